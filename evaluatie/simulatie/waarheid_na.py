"""The truth after the first exit: durable exit to work and months on benefit, realised and expected.

Realised: from the chains of :mod:`evaluatie.simulatie.keten` in the three worlds (same draws).
Expected: from :func:`evaluatie.simulatie.verwachting.verwachte_na_uitstroom`. Both are added per
instrument x categorie to ``waarheid['effecten']`` under ``duurzaam`` and ``uitkeringsmaanden``, and
pooled over all participants under ``waarheid['na_uitstroom_gepoold']``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.simulatie.config import SimulatieConfig
from evaluatie.simulatie.keten import Keten
from evaluatie.simulatie.paden import Paden

DEFINITIES_NA: dict[str, str] = {
    "duurzaam": "duurzaam[k{k}_h{h}]: D(h, k) = uitstroom naar werk binnen h maanden na de start (als bij "
    "'horizon') en geen nieuwe uitkeringsperiode binnen k maanden na die uitstroom (de nieuwe periode begint "
    "op de eerste van maand e + j + 1 bij uitstroom in maand e en baanverlies in werkmaand j; terugkeer "
    "binnen k maanden = j < k). Wie de AOW-leeftijd bereikt keert niet terug. Velden: deelnemers, "
    "controle_nooit, att_nooit, controle_wachten, att_wachten (gerealiseerd, zelfde trekkingen; in elke "
    "wereld eindigt een baan volgens dezelfde trekking, met het baan-effect van het instrument van die "
    "wereld) en deelnemers_verwacht, controle_verwacht, att_verwacht (verwachting; controle = zonder "
    "instrument vanaf d).",
    "uitkeringsmaanden": "uitkeringsmaanden[m{H}]: het aantal maanden met een uitkering (alle perioden, "
    "terugval meegeteld) in de eerste H maanden vanaf de startmaand van het traject (startmaand = maand 1; "
    "de maand van uitstroom telt mee, de maanden met werk niet): de restricted mean time on benefit. "
    "Velden: deelnemers, controle_nooit, verschil_nooit = deelnemers - controle_nooit (gerealiseerd; in de "
    "wereld 'nooit' starten ook terugvalperioden geen instrument), deelnemers_verwacht, controle_verwacht, "
    "verschil_verwacht (verwachting; terugvalperioden starten daarin geen instrument, zie "
    "'uitkeringsmaanden_benadering'). Negatief verschil = minder maanden uitkering door het instrument.",
    "uitkeringsmaanden_benadering": "De verwachting van de uitkeringsmaanden met instrument laat een nieuw "
    "traject in een terugvalperiode weg; 'uitkeringsmaanden_vervolgtraject' in na_uitstroom_gepoold geeft "
    "het aandeel deelnemers bij wie dat binnen de horizon gebeurt.",
    "baan": "Verschuiving van de log-odds van de maandelijkse kans op baanverlies (terugkeer in de "
    "uitkering) na uitstroom naar werk uit een periode met dit traject; negatief = duurzamer werk.",
    "na_uitstroom_gepoold": "Dezelfde grootheden over alle deelnemers samen, met n_deelnemers.",
    "toerekenbaar_aandeel_duurzaam": "populatie[toerekenbaar_aandeel_duurzaam_{k}]: als toerekenbaar_aandeel, "
    "maar voor duurzame uitstroom met ten minste k maanden nazorg in het venster: uitstroom naar werk in een "
    "maand e met venster-begin <= e <= venster-einde - k en geen nieuwe uitkeringsperiode binnen k maanden "
    "(een nieuwe periode die begint in maand e + j + 1 met j < k). duurzame_uitstroom_{k}_waargenomen telt die "
    "uitstroom over alle perioden (waargenomen wereld); toegerekende_duurzame_uitstroom_{k} is de som over de "
    "deelnemers van (zo duurzaam uitgestroomd met instrument) - (idem in de wereld 'nooit'), zelfde "
    "trekkingen; toerekenbaar_aandeel_duurzaam_{k} = toegerekend / waargenomen. De varianten '_verwacht' nemen "
    "per deelnemer de kans D(h_i, k) met en zonder instrument, h_i = maanden van de startmaand tot venster-"
    "einde - k (startmaand = maand 1), in plaats van de eigen trekking.",
}


def _terug_binnen(keten: Keten, paden: Paden, start: np.ndarray, geboorte: np.ndarray, aow: int, k: int) -> np.ndarray:
    e = start + paden.eind
    return (paden.reden == 1) & (keten.baan < k) & (e + keten.baan + 1 - geboorte < aow)


def _duurzaam(keten: Keten, paden: Paden, start: np.ndarray, d: np.ndarray, geboorte: np.ndarray, aow: int,
              k: int, h: int) -> np.ndarray:
    werk = (paden.reden == 1) & (paden.eind >= d) & (paden.eind - d <= h - 1)
    return werk & ~_terug_binnen(keten, paden, start, geboorte, aow, k)


def _f(x: np.ndarray) -> float | None:
    return float(x.mean()) if x.size else None


def _maten(sel: np.ndarray, *, cfg: SimulatieConfig, ketens: dict[str, Keten], paden: dict[str, Paden],
           start: np.ndarray, d: np.ndarray, geboorte: np.ndarray, verwachting: Any) -> dict[str, Any]:
    aow = cfg.aow_leeftijd_maanden
    duurzaam: dict[str, dict[str, float | None]] = {}
    for k in cfg.duurzaam:
        for h in cfg.duurzaam_horizonnen:
            y = {w: _duurzaam(ketens[w], paden[w], start, d, geboorte, aow, k, h)[sel].astype(float)
                 for w in ("feit", "nooit", "wachten")}
            v: dict[str, float | None] = {
                "deelnemers": _f(y["feit"]), "controle_nooit": _f(y["nooit"]),
                "att_nooit": _f(y["feit"] - y["nooit"]), "controle_wachten": _f(y["wachten"]),
                "att_wachten": _f(y["feit"] - y["wachten"])}
            if verwachting is not None:
                e1 = verwachting.duurzaam_met[k][sel, h - 1]
                e0 = verwachting.duurzaam_zonder[k][sel, h - 1]
                v.update({"deelnemers_verwacht": _f(e1), "controle_verwacht": _f(e0), "att_verwacht": _f(e1 - e0)})
            duurzaam[f"k{k}_h{h}"] = v
    maanden: dict[str, dict[str, float | None]] = {}
    for H in cfg.uitkeringsmaanden_horizonnen:
        m1 = ketens["feit"].op_uitkering[sel, :H].sum(axis=1).astype(float)
        m0 = ketens["nooit"].op_uitkering[sel, :H].sum(axis=1).astype(float)
        v = {"deelnemers": _f(m1), "controle_nooit": _f(m0), "verschil_nooit": _f(m1 - m0)}
        if verwachting is not None:
            e1 = verwachting.op_uitkering_met[sel, :H].sum(axis=1)
            e0 = verwachting.op_uitkering_zonder[sel, :H].sum(axis=1)
            v.update({"deelnemers_verwacht": _f(e1), "controle_verwacht": _f(e0), "verschil_verwacht": _f(e1 - e0)})
        maanden[f"m{H}"] = v
    return {"duurzaam": duurzaam, "uitkeringsmaanden": maanden}


def na_uitstroom(*, cfg: SimulatieConfig, ketens: dict[str, Keten], paden: dict[str, Paden], start: np.ndarray,
                 d: np.ndarray, geboorte: np.ndarray, cellen: dict[tuple[str, str], np.ndarray],
                 verwachting: Any = None, vervolgtraject: np.ndarray | None = None) -> tuple[dict, dict]:
    """Durable-exit and months-on-benefit truths per cell and pooled.

    Parameters
    ----------
    ketens, paden : dict
        Per world ("feit", "nooit", "wachten") the participants' chains and first-spell paths.
    start, d, geboorte : ndarray
        Per participant: absolute start month of the spell, spell month of the trajectory start, birth month.
    cellen : dict
        (instrument, categorie) -> boolean mask over the participants.
    verwachting : VerwachtingNa, optional
    vervolgtraject : ndarray of bool, optional
        Per participant: a return spell within the horizon started a new trajectory (observed world).

    Returns
    -------
    per_cel : dict of (instrument, categorie) -> dict
    gepoold : dict
    """
    per_cel = {c: _maten(sel, cfg=cfg, ketens=ketens, paden=paden, start=start, d=d, geboorte=geboorte,
                         verwachting=verwachting) for c, sel in cellen.items()}
    alle = np.ones(len(d), dtype=bool)
    gepoold = _maten(alle, cfg=cfg, ketens=ketens, paden=paden, start=start, d=d, geboorte=geboorte,
                     verwachting=verwachting)
    gepoold["n_deelnemers"] = int(len(d))
    if vervolgtraject is not None:
        gepoold["uitkeringsmaanden_vervolgtraject"] = _f(vervolgtraject.astype(float))
    return per_cel, gepoold


def na_uitstroom_frame(waarheid: dict[str, Any]) -> pd.DataFrame:
    """Tidy view of the truths after the first exit.

    Columns: instrument, categorie (``"alle"`` for the pooled row), grootheid (``duurzaam`` or
    ``uitkeringsmaanden``), k (NaN for uitkeringsmaanden), horizon, maat, waarde, n_deelnemers.
    """
    rows = []

    def _rijen(ins: str, cat: str, v: dict[str, Any], n: int) -> None:
        for sleutel, maten in v.get("duurzaam", {}).items():
            k, h = (int(x[1:]) for x in sleutel.split("_"))
            rows.extend((ins, cat, "duurzaam", k, h, maat, np.nan if x is None else x, n) for maat, x in maten.items())
        for sleutel, maten in v.get("uitkeringsmaanden", {}).items():
            h = int(sleutel[1:])
            rows.extend((ins, cat, "uitkeringsmaanden", np.nan, h, maat, np.nan if x is None else x, n)
                        for maat, x in maten.items())

    for ins, per in waarheid["effecten"].items():
        for cat, v in per.items():
            _rijen(ins, cat, v, v["n_deelnemers"])
    g = waarheid.get("na_uitstroom_gepoold")
    if g:
        _rijen("alle", "alle", g, g["n_deelnemers"])
    return pd.DataFrame(rows, columns=["instrument", "categorie", "grootheid", "k", "horizon", "maat", "waarde",
                                       "n_deelnemers"])


def populatie_duurzaam(*, cfg: SimulatieConfig, ketens: dict[str, Keten], paden: dict[str, Paden], start: np.ndarray,
                       d: np.ndarray, geboorte: np.ndarray, verwachting: Any, w0: int, w1: int,
                       alle_exit: np.ndarray, alle_werk: np.ndarray, alle_terug: np.ndarray) -> dict[str, Any]:
    """The attributable share of durable exits to work in the window, realised and expected, per k.

    Parameters
    ----------
    start, d, geboorte : ndarray
        Per participant: absolute start month of the spell, spell month of the trajectory start, birth month.
    verwachting : VerwachtingNa or None
        Its durable-exit probabilities must reach ``h_i`` months for every participant.
    w0, w1 : int
        First and last absolute month of the window.
    alle_exit, alle_werk, alle_terug : ndarray
        Per spell of the observed world: absolute exit month (-1: none), exit to work, and the absolute start
        month of the spell that follows it (-1: none).

    Returns
    -------
    dict
        Flat keys per k (see ``DEFINITIES_NA['toerekenbaar_aandeel_duurzaam']``).
    """
    aow = cfg.aow_leeftijd_maanden
    hv = w1 - (start + d) + 1                       # months from the start month (month 1) to the window end
    uit: dict[str, Any] = {}
    for k in cfg.duurzaam:
        h = hv - k                                  # the exit must come in the first h months
        waar = int(np.sum(alle_werk & (alle_exit >= w0) & (alle_exit <= w1 - k)
                          & ~((alle_terug >= 0) & (alle_terug - alle_exit <= k))))
        y = {w: _duurzaam(ketens[w], paden[w], start, d, geboorte, aow, k, h) & (h >= 1) for w in ("feit", "nooit")}
        toeg = float(np.sum(y["feit"].astype(float) - y["nooit"].astype(float)))
        uit[f"duurzame_uitstroom_{k}_waargenomen"] = waar
        uit[f"toegerekende_duurzame_uitstroom_{k}"] = toeg
        uit[f"toerekenbaar_aandeel_duurzaam_{k}"] = toeg / waar if waar else None
        if verwachting is not None:
            i = np.flatnonzero(h >= 1)
            kol = h[i] - 1
            if len(i) and int(kol.max()) >= verwachting.duurzaam_met[k].shape[1]:
                raise AssertionError("de verwachte duurzame uitstroom reikt niet tot het einde van het venster")
            tv = float(np.sum(verwachting.duurzaam_met[k][i, kol] - verwachting.duurzaam_zonder[k][i, kol]))
            uit[f"toegerekende_duurzame_uitstroom_{k}_verwacht"] = tv
            uit[f"toerekenbaar_aandeel_duurzaam_{k}_verwacht"] = tv / waar if waar else None
    return uit
