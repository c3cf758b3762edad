"""Section 'Per gemeente' ("couleur locale"): the headline numbers of each evaluated gemeente.

Two sources: the benchmark's indicators for the configured gemeenten, and optional small frames per
gemeente (``per_gemeente``) from the caller. Those frames are disclosure-controlled generically: a column
``n_deelnemers`` (or ``n``) makes it an estimate table (:func:`beveilig_schattingen`), columns named
``aantal…``/``n_…`` are counts (:func:`beveilig_aantallen`).
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import beveilig_aantallen, beveilig_schattingen
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import aantal, getal, pct_punt

ANKER = "gemeenten"
TITEL = "Per gemeente"


def _is_telling(k: str) -> bool:
    return k.startswith("aantal") or k.startswith("n_") or k == "n"


def beveilig_klein_frame(df: pd.DataFrame, drempel: int) -> pd.DataFrame:
    """Protect and format a small headline frame (Dutch numbers; suppressed cells '<drempel')."""
    d = df.reset_index(drop=True)
    marker = f"<{drempel}"
    nkol = next((k for k in ("n_deelnemers", "n") if k in d.columns), None)
    numeriek = [k for k in d.columns if pd.api.types.is_numeric_dtype(d[k]) and k != nkol]
    weg = pd.DataFrame(False, index=d.index, columns=d.columns)
    if nkol is not None:
        b = beveilig_schattingen(d, nkol, [k for k in numeriek if not _is_telling(str(k))], drempel=drempel)
        d = b.tabel
        for k in b.onderdrukt.columns:
            weg[k] = b.onderdrukt[k].to_numpy()
    tel = [k for k in d.columns if _is_telling(str(k)) and pd.api.types.is_numeric_dtype(d[k])]
    if tel:
        b = beveilig_aantallen(d, tel, drempel=drempel)
        d = b.tabel
        for k in tel:
            weg[k] = weg[k].to_numpy() | b.onderdrukt[k].to_numpy()
    out = d.astype(object).copy()
    for k in d.columns:
        if pd.api.types.is_numeric_dtype(d[k]):
            fmt = aantal if _is_telling(str(k)) else (lambda v: getal(v, 1))
            out[k] = [marker if w else fmt(v) for v, w in zip(d[k], weg[k])]
    return out


def _benchmark_tabel(bm: Any, cfg: Evaluatieconfig) -> Tabel | None:
    if bm is None or len(cfg.gemeenten) < 2:
        return None
    ind = bm.indicatoren
    jaar = int(ind.jaar.max())
    lokaal = ind[ind.gemeentecode.isin(cfg.gemeenten) & (ind.jaar == jaar)]
    if len(lokaal) < 2:
        return None
    volgorde = {g: i for i, g in enumerate(cfg.gemeenten)}
    lokaal = lokaal.sort_values("gemeentecode", key=lambda s: s.map(volgorde), kind="mergesort")
    return Tabel(f"Kerncijfers per gemeente ({jaar})", pd.DataFrame({
        "gemeente": lokaal.gemeentenaam.to_numpy(), "uitkeringen (n)": [aantal(x) for x in lokaal.feitelijk_aantal],
        "norm (n)": [aantal(x) for x in lokaal.genormeerd_aantal],
        "uitkeringen in % van de norm": [pct_punt(x) for x in lokaal.pct_norm],
        "instroom % norm": [pct_punt(x) for x in lokaal.instroom_pct],
        "uitstroom % norm": [pct_punt(x) for x in lokaal.uitstroom_pct],
        "uitstroom naar werk % norm": [pct_punt(x) for x in lokaal.uitstroom_werk_pct]}),
        "Aantallen uit de gemeentetabel (CBS / BUIG-verdeelmodel); zie de benchmark voor de vergelijking per gemeente.")


def sectie_gemeenten(bm: Any, per_gemeente: Mapping[str, pd.DataFrame] | None, cfg: Evaluatieconfig) -> Sectie | None:
    """The per-gemeente chapter, or None when there is nothing local to show."""
    tabellen = [t for t in (_benchmark_tabel(bm, cfg),) if t is not None]
    namen: dict[str, str] = {}
    if bm is not None:
        namen = bm.indicatoren.drop_duplicates("gemeentecode").set_index("gemeentecode").gemeentenaam.to_dict()
    for code in sorted(per_gemeente or {}, key=lambda c: (c not in cfg.gemeenten, c)):
        df = per_gemeente[code]
        if df is None or df.empty:
            continue
        tabellen.append(Tabel(f"{namen.get(code, code)} ({code})", beveilig_klein_frame(df, cfg.drempel)))
    if not tabellen:
        return None
    return Sectie(ANKER, TITEL, ("Kerncijfers per gemeente, voor wie de eigen gemeente zoekt. Kleine aantallen zijn "
                                 f"onderdrukt (weergegeven als '<{cfg.drempel}').",), tuple(tabellen))
