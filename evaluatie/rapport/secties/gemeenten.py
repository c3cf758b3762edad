"""Section 'Per gemeente' ("couleur locale"): the headline numbers of each evaluated gemeente.

Three sources: the benchmark's indicators for the configured gemeenten, their preventiequotum (poort
counts, disclosure-controlled), and optional small frames per
gemeente (``per_gemeente``) from the caller. Those frames are disclosure-controlled generically: a column
``n_deelnemers`` (or ``n``) makes it an estimate table (:func:`beveilig_schattingen`), columns named
``aantal…``/``n_…`` are counts (:func:`beveilig_aantallen`).
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import MARKER_SECUNDAIR, beveilig_aantallen, beveilig_schattingen
from evaluatie.rapport.beveiliging import INVOERTABELLEN_TOTAAL, Rapporttellingen, marker_noot, rapporttellingen
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.opmaak import aantal, bereik, getal, pct, pct_punt

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


def preventie_per_gemeente(bm: Any, cfg: Evaluatieconfig, *, tellingen: Rapporttellingen | None = None) -> Tabel | None:
    """Preventiequotum of every evaluated gemeente per period (rows gemeenten, columns periods).

    The counts behind a cell (meldingen, toekenningen, and the applications not granted) are part of the
    report's joint disclosure control (table ``preventie``); a cell where either count is suppressed shows the
    marker instead of the quotum, which would give the count away.
    """
    pv = None if bm is None else bm.preventie
    if pv is None or pv.empty:
        return None
    pv = pv[pv.gemeentecode.isin(cfg.gemeenten)].reset_index(drop=True)
    if pv.gemeentecode.nunique() < 2:  # one gemeente: the benchmark chapter already shows it
        return None
    if tellingen is None:
        tellingen = rapporttellingen(cfg.drempel, preventie=pv, gemeenten=cfg.gemeenten)
    b = tellingen.get("preventie")
    weg = b.onderdrukt.any(axis=1).to_numpy()
    klein = b.primair.any(axis=1).to_numpy() if b.primair is not None else weg
    t = b.tabel.assign(_tekst=[(f"<{cfg.drempel}" if k else MARKER_SECUNDAIR) if w else
                               f"{pct_punt(r.preventiequotum)} ({bereik(r.ci_laag, r.ci_hoog, eenheid='%')})"
                               for w, k, r in zip(weg, klein, b.tabel.itertuples())])
    perioden = t.drop_duplicates("jaar").sort_values("jaar").periode.tolist()
    namen = bm.indicatoren.drop_duplicates("gemeentecode").set_index("gemeentecode").gemeentenaam.to_dict()
    rows = []
    for code in [g for g in cfg.gemeenten if g in set(t.gemeentecode)]:
        d = t[t.gemeentecode == code].set_index("periode")._tekst
        rows.append({"gemeente": namen.get(code, code), **{p: d.get(p, "–") for p in perioden}})
    return Tabel("Preventiequotum per gemeente (1 − toekenningen / meldingen, 95%-BI)", pd.DataFrame(rows),
                 "Deel van de meldingen bij de poort dat niet tot een uitkering leidt. Een deeljaar staat met het aantal "
                 f"maanden in de kop. '<{cfg.drempel}': minder dan {cfg.drempel} meldingen, toekenningen of afwijzingen, niet "
                 f"getoond; '{MARKER_SECUNDAIR}': niet getoond omdat het een ander klein aantal zou verraden.")


def toerekenbaar_per_gemeente(pg: pd.DataFrame | None, cfg: Evaluatieconfig, namen: Mapping[str, str], *,
                              tellingen: Rapporttellingen | None = None) -> Tabel | None:
    """Attributable share of exits to werk per gemeente (client-level couleur locale), disclosure-controlled.

    ``pg`` is ``Effectresultaat.per_gemeente`` (gemeentecode, maat, schatting, ci_laag, ci_hoog,
    n_deelnemers, n_clienten). Counts below the threshold are suppressed with a partner (the counts of the
    gemeenten add up to the published totals); a share is only shown when both its participants and its
    exits to werk reach the threshold. The counts are part of the report's joint disclosure control
    (``tellingen``; computed here when not given): per gemeente they add up to the totals that other
    chapters publish.
    """
    if pg is None or pg.empty or pg.gemeentecode.nunique() < 2:
        return None
    if tellingen is None:
        tellingen = rapporttellingen(cfg.drempel, toerekenbaar_per_gemeente=pg, gemeenten=cfg.gemeenten)
    b = tellingen.get("gemeenten_toerekenbaar")
    if b is None:
        return None
    a = pg[pg.maat == "toerekenbaar_aandeel"].set_index("gemeentecode")
    detail = (b.tabel.gemeentecode != INVOERTABELLEN_TOTAAL).to_numpy()
    volgorde = b.tabel.gemeentecode[detail].tolist()
    weg = b.onderdrukt[detail]
    w = b.weergave()[detail]
    toon = ~(weg["n_deelnemers"] | weg["n_uitstroom_werk"]).to_numpy()
    s_ = a.loc[volgorde, "schatting"].to_numpy()
    lo, hi = a.loc[volgorde, "ci_laag"].to_numpy(), a.loc[volgorde, "ci_hoog"].to_numpy()

    def fmt(k: str) -> list[str]:
        return [v if isinstance(v, str) else aantal(v) for v in w[k]]

    df = pd.DataFrame({
        "gemeente": [namen.get(c, c) for c in volgorde],
        "cliënten (n)": fmt("n_clienten"),
        "deelnemers (n)": fmt("n_deelnemers"),
        "uitstroom naar werk (n)": fmt("n_uitstroom_werk"),
        "toe te rekenen aan instrumenten": [pct(v) if t else "–" for v, t in zip(s_, toon)],
        "95%-BI": [bereik(l_, h_, schaal=100, eenheid="%") if t else "–" for l_, h_, t in zip(lo, hi, toon)],
    })
    return Tabel("Uitstroom naar werk toe te rekenen aan instrumenten, per gemeente", df,
                 f"Per gemeente van de cliënt: het deel van de uitstroom naar werk van die gemeente "
                 f"({cfg.periode[0][:4]}–{cfg.periode[1][:4]}) dat aan "
                 "de inzet van instrumenten is toe te rekenen (g-formule, bootstrap geclusterd op cliënt). Per gemeente "
                 "zijn er minder deelnemers dan voor het Werkplein als geheel, dus de intervallen zijn breder; een "
                 "verschil tussen gemeenten is pas betekenisvol als de intervallen elkaar nauwelijks overlappen. "
                 + marker_noot(cfg.drempel))


def sectie_gemeenten(bm: Any, per_gemeente: Mapping[str, pd.DataFrame] | None, cfg: Evaluatieconfig,
                     toerekenbaar: pd.DataFrame | None = None, *,
                     tellingen: Rapporttellingen | None = None) -> Sectie | None:
    """The per-gemeente chapter, or None when there is nothing local to show.

    ``toerekenbaar``: the attributable share per gemeente (``Effectresultaat.per_gemeente``), optional.
    """
    namen: dict[str, str] = {}
    if bm is not None:
        namen = bm.indicatoren.drop_duplicates("gemeentecode").set_index("gemeentecode").gemeentenaam.to_dict()
    tabellen = [t for t in (_benchmark_tabel(bm, cfg), preventie_per_gemeente(bm, cfg, tellingen=tellingen),
                            toerekenbaar_per_gemeente(toerekenbaar, cfg, namen, tellingen=tellingen)) if t is not None]
    for code in sorted(per_gemeente or {}, key=lambda c: (c not in cfg.gemeenten, c)):
        df = per_gemeente[code]
        if df is None or df.empty:
            continue
        tabellen.append(Tabel(f"{namen.get(code, code)} ({code})", beveilig_klein_frame(df, cfg.drempel)))
    if not tabellen:
        return None
    return Sectie(ANKER, TITEL, ("Kerncijfers per gemeente, voor wie de eigen gemeente zoekt. Kleine aantallen zijn "
                                 f"onderdrukt (weergegeven als '<{cfg.drempel}').",), tuple(tabellen))
