"""The truth: effects computed from simulated counterfactual paths (same draws), not from a formula.

Worlds (see :mod:`evaluatie.simulatie.paden`): *feitelijk* (observed), *nooit* (no instrument at all;
for a participant identical to "no instrument from d on", because before d it had none) and *wachten*
(only the start in month d is suppressed; the spell may start an instrument later, with the same draws).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.schema import beschikbaar
from evaluatie.simulatie.config import CATEGORIEEN, INSTRUMENTEN, SimulatieConfig
from evaluatie.simulatie.paden import Paden

DEFINITIES: dict[str, str] = {
    "deelnemers": "Uitkeringsperioden die in het venster (2015-01 t/m 2019-12) een instrument starten; per "
    "periode hoogstens een traject (vereenvoudiging). Categorie = categorie bij de start van het traject.",
    "horizon": "Y(h) = uitstroom naar werk binnen h maanden na de start: uitstroom in maand d .. d+h-1 van de "
    "periode, waarbij d de startmaand van het traject is; de startmaand telt als maand 1. Lijsten hebben "
    "index 0 = h 1 tot en met index 35 = h 36 (zie 'horizonnen').",
    "cif_deelnemers": "Gemiddelde van Y1(h): het waargenomen pad, zo nodig doorgesimuleerd na de peildatum.",
    "cif_controle_nooit": "Gemiddelde van Y0(h) als dezelfde perioden vanaf d nooit een instrument krijgen "
    "(zelfde trekkingen).",
    "att_nooit": "Gemiddelde van Y1(h) - Y0(h) met Y0 uit 'nooit'.",
    "cif_controle_wachten": "Gemiddelde van Y0(h) als alleen de start in maand d wordt onderdrukt; de periode "
    "loopt verder en kan later alsnog een instrument starten (zelfde trekkingen).",
    "att_wachten": "Gemiddelde van Y1(h) - Y0(h) met Y0 uit 'wachten'.",
    "deadweight": "cif_controle_nooit / cif_deelnemers (null als cif_deelnemers = 0).",
    "toerekenbaar": "1 - deadweight.",
    "lockin_maanden": "Eerste h waarop att_nooit >= 0 nadat att_nooit eerder negatief was; null als att_nooit "
    "nooit negatief is of binnen 36 maanden niet herstelt.",
    "lock_in": "Verschuiving van de log-odds van de maandelijkse kans op werk tijdens het traject.",
    "na": "Verschuiving van de log-odds van de maandelijkse kans op werk na afloop van het traject, binnen "
    "dezelfde uitkeringsperiode.",
    "werk_uitstroom_waargenomen": "Aantal uitkeringsperioden dat in het venster eindigt met uitstroom naar werk.",
    "werk_uitstroom_zonder_instrumenten": "Hetzelfde in de wereld zonder instrumenten (zelfde trekkingen). De "
    "verzameling perioden wordt vastgehouden: terugvalperioden na werk blijven zoals waargenomen.",
    "toerekenbaar_aandeel": "(waargenomen - zonder) / waargenomen.",
    "verwacht": "De grootheden met '_verwacht' zijn verwachtingen in plaats van realisaties: per deelnemer de kans "
    "op uitstroom naar werk binnen h maanden, exact berekend uit de ware uitstroomkansen (inclusief doorstroom "
    "tussen categorieen en treden) gegeven alle kenmerken en de classificatie in de startmaand, met en zonder "
    "instrument; daarna gemiddeld over de deelnemers. De gerealiseerde waarheid bevat de ruis van de eigen "
    "trekkingen van Y0, die geen schatter kan zien; een betrouwbaarheidsinterval hoort de verwachting te dekken.",
    "toerekenbaar_aandeel_verwacht": "Som over de deelnemers van (kans met - kans zonder) op uitstroom naar werk "
    "tussen de start en het einde van het venster, gedeeld door de waargenomen uitstroom naar werk in het venster.",
    "nuggers": "Cliënten met nugger = true hebben geen uitkering en geen traject, wel een indeling.",
    "datums": "Perioden beginnen op de eerste dag van een maand en eindigen op de laatste dag van een maand; "
    "lopende perioden en trajecten op de peildatum hebben een lege einddatum.",
}


def _cif(k: np.ndarray, horizon: int) -> np.ndarray:
    """Share with k <= h-1 for h = 1..horizon (k = months from start to exit to work; large = never)."""
    if k.size == 0:
        return np.full(horizon, np.nan)
    counts = np.bincount(np.clip(k, 0, horizon), minlength=horizon + 1)[:horizon]
    return np.cumsum(counts) / k.size


def _k(eind: np.ndarray, reden: np.ndarray, d: np.ndarray, horizon: int) -> np.ndarray:
    return np.where((reden == 1) & (eind >= d), eind - d, horizon + 1).astype(np.int64)


def _lijst(x: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in x]


def _lockin(att: np.ndarray) -> int | None:
    neg = np.flatnonzero(att < 0)
    if neg.size == 0:
        return None
    na = np.flatnonzero((att >= 0) & (np.arange(att.size) > neg[0]))
    return int(na[0] + 1) if na.size else None


def bereken_waarheid(
    *,
    cfg: SimulatieConfig,
    seed: int,
    n_clienten: int,
    start: np.ndarray,
    feit: Paden,
    geen: Paden,
    deelnemers: np.ndarray,
    wacht: Paden,
    venster: tuple[int, int],
    verwachting: Any = None,
) -> dict[str, Any]:
    """Assemble the truth dict from the three worlds.

    Parameters
    ----------
    start : ndarray
        Absolute start month of every spell.
    feit, geen : Paden
        Observed world and no-instrument world, all spells.
    deelnemers : ndarray
        Spell indices of the participants (trajectory start in the window).
    wacht : Paden
        The "wachten" world for ``deelnemers`` (same order).
    venster : (int, int)
        First and last absolute month of the window.
    verwachting : Verwachting, optional
        Expected CIFs of the participants (:mod:`evaluatie.simulatie.verwachting`), months 1..>= H; adds
        the ``*_verwacht`` entries.
    """
    H = cfg.horizon
    d = feit.d[deelnemers]
    k1 = _k(feit.eind[deelnemers], feit.reden[deelnemers], d, H)
    k0 = _k(geen.eind[deelnemers], geen.reden[deelnemers], d, H)
    kw = _k(wacht.eind, wacht.reden, d, H)
    # sanity: before d the worlds coincide, so every participant is still on benefit at d in all worlds
    for p in (geen.eind[deelnemers], wacht.eind):
        if np.any((p >= 0) & (p < d)):
            raise AssertionError("tegenfeitelijk pad wijkt af voor de start van het traject")
    ins = feit.instrument[deelnemers]
    cat = feit.cat_start[deelnemers]
    effecten: dict[str, dict[str, Any]] = {}
    for ii, code in enumerate(INSTRUMENTEN):
        for ci, c in enumerate(CATEGORIEEN):
            if not beschikbaar(code, c):
                continue
            sel = (ins == ii) & (cat == ci)
            c1, c0, cw = _cif(k1[sel], H), _cif(k0[sel], H), _cif(kw[sel], H)
            att0, attw = c1 - c0, c1 - cw
            with np.errstate(divide="ignore", invalid="ignore"):
                dw = np.where(c1 > 0, c0 / c1, np.nan)
            e = cfg.effect(code, c)
            duur = next(x for x in cfg.duur if x.instrument == code)
            effecten.setdefault(code, {})[c] = {
                "lock_in": e.lock_in,
                "na": e.na,
                "duur_min": duur.minimum,
                "duur_max": duur.maximum,
                "n_deelnemers": int(sel.sum()),
                "cif_deelnemers": _lijst(c1),
                "cif_controle_nooit": _lijst(c0),
                "cif_controle_wachten": _lijst(cw),
                "att_nooit": _lijst(att0),
                "att_wachten": _lijst(attw),
                "deadweight": _lijst(dw),
                "toerekenbaar": _lijst(1.0 - dw),
                "lockin_maanden": _lockin(att0) if sel.any() else None,
            }
            if verwachting is not None:
                e1 = verwachting.met[sel, :H].mean(axis=0) if sel.any() else np.full(H, np.nan)
                e0 = verwachting.zonder[sel, :H].mean(axis=0) if sel.any() else np.full(H, np.nan)
                with np.errstate(divide="ignore", invalid="ignore"):
                    dwv = np.where(e1 > 0, e0 / e1, np.nan)
                effecten[code][c].update({
                    "cif_deelnemers_verwacht": _lijst(e1),
                    "cif_controle_verwacht": _lijst(e0),
                    "att_verwacht": _lijst(e1 - e0),
                    "deadweight_verwacht": _lijst(dwv),
                })
    w0, w1 = venster
    t_f = start + feit.eind
    t_g = start + geen.eind
    waar = int(np.sum((feit.reden == 1) & (t_f >= w0) & (t_f <= w1)))
    zonder = int(np.sum((geen.reden == 1) & (t_g >= w0) & (t_g <= w1)))
    populatie: dict[str, Any] = {
        "werk_uitstroom_waargenomen": waar,
        "werk_uitstroom_zonder_instrumenten": zonder,
        "toerekenbaar_aandeel": (waar - zonder) / waar if waar else None,
    }
    if verwachting is not None:
        hv = w1 - (start[deelnemers] + d)  # index of the month of the window end (start month = 0)
        i = np.arange(len(deelnemers))
        toeg = float(np.sum(verwachting.met[i, hv] - verwachting.zonder[i, hv])) if len(i) else 0.0
        populatie["toegerekende_uitstroom_verwacht"] = toeg
        populatie["toerekenbaar_aandeel_verwacht"] = toeg / waar if waar else None
    return {
        "seed": seed,
        "n_clienten": n_clienten,
        "config": cfg.to_dict(),
        "definities": DEFINITIES,
        "horizonnen": list(range(1, H + 1)),
        "effecten": effecten,
        "populatie": populatie,
    }


def waarheid_frame(waarheid: dict[str, Any]) -> pd.DataFrame:
    """Tidy view of ``waarheid['effecten']``: instrument, categorie, maat, horizon, waarde, n_deelnemers.

    ``maat`` is one of cif_deelnemers, cif_controle_nooit, cif_controle_wachten, att_nooit, att_wachten,
    deadweight, toerekenbaar; convenient to join against the estimates of ``evaluatie analyseer``.
    """
    maten = ("cif_deelnemers", "cif_controle_nooit", "cif_controle_wachten", "att_nooit", "att_wachten", "deadweight", "toerekenbaar",
             "cif_deelnemers_verwacht", "cif_controle_verwacht", "att_verwacht", "deadweight_verwacht")
    rows = []
    hs = waarheid["horizonnen"]
    for ins, per in waarheid["effecten"].items():
        for cat, v in per.items():
            for maat in maten:
                for h, x in zip(hs, v.get(maat, ())):
                    rows.append((ins, cat, maat, h, np.nan if x is None else x, v["n_deelnemers"]))
    return pd.DataFrame(rows, columns=["instrument", "categorie", "maat", "horizon", "waarde", "n_deelnemers"])
