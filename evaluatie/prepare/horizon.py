"""Horizon outcomes per spell: exit to werk within h months, and whether that exit lasted.

Rules (``S`` = startdatum, ``E`` = einddatum = last day on benefit, ``W1`` = window end = peildatum,
"+ h months" as in :func:`evaluatie.prepare.spells.plus_maanden`; all columns nullable ``Int8``):

``werk_h{h}``
    1 when the spell ended in werk with ``E < S + h months`` (exit in spell months 0 … h-1) and
    ``E <= W1``; 0 when it ended for another reason before ``S + h months``, or when it is observed on
    benefit or ended through the last day ``S + h months − 1`` (``W1 >= S + h months − 1``) without a work
    exit in time; NA when observation stops earlier (follow-up shorter than h and no exit yet).
``terugkeer_{k}``
    Only for spells that ended in werk within the window (else NA): 1 when the client's next spell starts
    before ``E + 1 + k months``; 0 when no new spell started by then and the window covers that period
    (``W1 >= E + 1 + k months − 1``); NA otherwise.
``duurzaam_werk_{k}_h{h}``
    1 when ``werk_h{h}`` = 1 and ``terugkeer_{k}`` = 0; 0 when ``werk_h{h}`` = 0, or = 1 with
    ``terugkeer_{k}`` = 1; NA otherwise.

Spells that began before the window (``instroom_in_venster`` = False) are included, but are a selection
(they survived to the window start); filter on that column for an inflow cohort.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.prepare.codes import WERK
from evaluatie.prepare.koppeling import deelnames, indeling, kies_instrumenten
from evaluatie.prepare.persoonmaanden import eerste_startmaand
from evaluatie.prepare.spells import STATISCH, dag_sleutel, perioden, plus_maanden
from evaluatie.prepare.telproces import frame


def _int8(waarde: np.ndarray, bekend: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(waarde.astype(np.int8), ~bekend)


def _positief_int(waarden: Sequence[int], naam: str) -> tuple[int, ...]:
    uit = tuple(int(h) for h in waarden)
    if not uit or any(h <= 0 for h in uit) or any(h != w for h, w in zip(uit, waarden)):
        raise ValueError(f"{naam}: verwacht positieve gehele aantallen maanden, kreeg {tuple(waarden)!r}")
    return uit


def horizonuitkomsten(
    tabellen: Mapping[str, pd.DataFrame],
    *,
    horizonnen: Sequence[int] = (6, 12, 24, 36),
    duurzaam: Sequence[int] = (6, 12),
    waarnemingsperiode: Any = None,
    instrumenten: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per spell in the window with its horizon outcomes (rules in the module docstring).

    Parameters
    ----------
    tabellen : mapping of str to DataFrame
        Validated tables (``uitkeringen`` required). Not modified.
    horizonnen : sequence of int
        Horizons in months since spell start.
    duurzaam : sequence of int
        Months without a new spell that make a work exit lasting.
    waarnemingsperiode : None, (start, eind) or {"start": ..., "eind": ...}
        As for :func:`evaluatie.prepare.telproces`; the end plays the role of the peildatum.
    instrumenten : sequence of str, optional
        Instruments that get a ``<code>_startmaand`` column.

    Returns
    -------
    DataFrame
        ``client_id``, ``spell_id``, ``spell_nr``, ``startdatum``, ``uitstroomdatum`` (einddatum when the
        exit lies in the window, else NaT), ``status``, ``instroom_in_venster``, ``categorie``/``trede``
        (in force at spell start; when none, the first assignment during the observed spell), the static
        covariates, ``terugval``, ``<code>_startmaand`` (float: spell month of the first programme start,
        NaN if none before the end of observation), ``werk_h{h}``, ``terugkeer_{k}``,
        ``duurzaam_werk_{k}_h{h}``.
    """
    horizonnen = _positief_int(horizonnen, "horizonnen")
    duurzaam = _positief_int(duurzaam, "duurzaam")
    p = perioden(tabellen, waarnemingsperiode)
    codes = kies_instrumenten(tabellen.get("trajecten"), instrumenten)
    deel = deelnames(p, tabellen.get("trajecten"), codes)
    ind = indeling(p, tabellen.get("categorieen"))

    S, E, w1 = p.start, p.eind, p.w1
    geeindigd = p.status > 0
    naar_werk = p.status == WERK

    idx = ind.in_kracht(p.client_code, S)
    if len(ind.sleutels):
        pos = np.searchsorted(ind.sleutels, dag_sleutel(p.client_code, S))
        pc = np.minimum(pos, len(ind.sleutels) - 1)
        later = (pos < len(ind.sleutels)) & (ind.client_code[pc] == p.client_code) & (ind.dag[pc] < S + p.einde)
        idx = np.where(idx >= 0, idx, np.where(later, pc, -1))
    cat, trede = ind.neem(idx)

    kol: dict[str, Any] = {
        "client_id": p.client_id,
        "spell_id": p.spell_id,
        "spell_nr": p.spell_nr,
        "startdatum": S.astype("datetime64[D]").astype("datetime64[ns]"),
        "uitstroomdatum": np.where(geeindigd, E, 0).astype("datetime64[D]").astype("datetime64[ns]"),
        "status": p.status,
        "instroom_in_venster": S >= p.w0,
        "categorie": cat,
        "trede": trede,
    }
    kol["uitstroomdatum"][~geeindigd] = np.datetime64("NaT")
    for naam in STATISCH:
        kol[naam] = p.statisch[naam].array
    kol["terugval"] = p.terugval
    sm = eerste_startmaand(p, deel)
    for k, code in enumerate(codes):
        kol[f"{code}_startmaand"] = sm[:, k]

    werk: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for h in horizonnen:
        grens = plus_maanden(S, h)
        op_tijd = geeindigd & (E < grens)
        waarde = op_tijd & naar_werk
        bekend = op_tijd | (w1 >= grens - 1)
        werk[h] = (waarde, bekend)
        kol[f"werk_h{h}"] = _int8(waarde, bekend)
    terug: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    uit = np.where(naar_werk, E + 1, 0)
    for k in duurzaam:
        grens = plus_maanden(uit, k)
        keert_terug = naar_werk & (p.volgende_start < grens) & (p.volgende_start <= w1)
        bekend = naar_werk & (keert_terug | (w1 >= grens - 1))
        terug[k] = (keert_terug, bekend)
        kol[f"terugkeer_{k}"] = _int8(keert_terug, bekend)
    for k in duurzaam:
        t_w, t_b = terug[k]
        for h in horizonnen:
            w_w, w_b = werk[h]
            waarde = w_w & t_b & ~t_w
            bekend = w_b & (~w_w | t_b)
            kol[f"duurzaam_werk_{k}_h{h}"] = _int8(waarde, bekend)
    df = frame(kol)
    df.attrs.update({"telling": dict(p.telling), "instrumenten": codes,
                     "spec": {"horizonnen": horizonnen, "duurzaam": duurzaam,
                              "waarnemingsperiode": (p.telling["venster_start"], p.telling["venster_eind"])}})
    return df
