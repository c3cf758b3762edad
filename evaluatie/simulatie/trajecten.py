"""Instrument choice and programme duration, plus the trede/inzetbaarheid drawn at each classification.

Only the twelve instruments of Werkplein table 4 are used, and only those available to the client's
categorie at the start (``evaluatie.schema.beschikbaar``). SIMPLIFICATION: a spell has at most one
trajectory, so every participant has a clean "before / in / after" path and the estimands are clean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.schema import beschikbaar
from evaluatie.simulatie.config import CATEGORIEEN, INSTRUMENTEN, SimulatieConfig

_I = {c: i for i, c in enumerate(INSTRUMENTEN)}

# trede (participatieladder 1-6) given categorie A, B, C: cumulative probabilities over treden 1..6
_TREDE_P = np.array([
    [0.00, 0.00, 0.00, 0.35, 0.50, 0.15],
    [0.00, 0.10, 0.45, 0.35, 0.10, 0.00],
    [0.25, 0.45, 0.30, 0.00, 0.00, 0.00],
])
# inzetbaarheid (1 direct inzetbaar .. 5 niet inzetbaar) given categorie
_INZET_P = np.array([
    [0.60, 0.40, 0.00, 0.00, 0.00],
    [0.00, 0.50, 0.50, 0.00, 0.00],
    [0.00, 0.00, 0.20, 0.45, 0.35],
])
_TREDE_CUM = np.cumsum(_TREDE_P, axis=1)
_INZET_CUM = np.cumsum(_INZET_P, axis=1)


def trek_trede(categorie: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Trede (1-6) for each classification, consistent with the categorie."""
    return (u[:, None] >= _TREDE_CUM[categorie]).sum(axis=1).clip(0, 5).astype(np.int8) + 1


def trek_inzetbaarheid(categorie: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inzetbaarheid (1-5) for each classification, consistent with the categorie."""
    return (u[:, None] >= _INZET_CUM[categorie]).sum(axis=1).clip(0, 4).astype(np.int8) + 1


@dataclass(frozen=True)
class Instrumenttabellen:
    """Arrays derived from the config, indexed [instrument, categorie]."""

    gewichten: np.ndarray  # (3, 12) choice weights per categorie
    lock_in: np.ndarray  # (12, 3)
    na: np.ndarray  # (12, 3)
    baan: np.ndarray  # (12, 3) shift of the log-odds of the return hazard after an exit to work
    duur_min: np.ndarray  # (12,)
    duur_max: np.ndarray  # (12,)


def instrumenttabellen(cfg: SimulatieConfig) -> Instrumenttabellen:
    """Build the lookup arrays and check every weight and effect against table 4."""
    g = np.zeros((3, len(INSTRUMENTEN)))
    for ci, cat in enumerate(CATEGORIEEN):
        w = np.asarray(cfg.keuzegewichten[cat], dtype=float)
        if w.shape != (len(INSTRUMENTEN),) or (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"keuzegewichten[{cat!r}]: verwacht {len(INSTRUMENTEN)} gewichten >= 0 met som > 0")
        for ii, ins in enumerate(INSTRUMENTEN):
            if w[ii] > 0 and not beschikbaar(ins, cat):
                raise ValueError(f"keuzegewichten[{cat!r}]: {ins} is volgens tabel 4 niet beschikbaar voor categorie {cat}")
        g[ci] = w
    lock = np.zeros((len(INSTRUMENTEN), 3))
    na = np.zeros((len(INSTRUMENTEN), 3))
    baan = np.zeros((len(INSTRUMENTEN), 3))
    for e in cfg.effecten:
        if not beschikbaar(e.instrument, e.categorie):
            raise ValueError(f"effecten: {e.instrument} is niet beschikbaar voor categorie {e.categorie}")
        lock[_I[e.instrument], CATEGORIEEN.index(e.categorie)] = e.lock_in
        na[_I[e.instrument], CATEGORIEEN.index(e.categorie)] = e.na
        baan[_I[e.instrument], CATEGORIEEN.index(e.categorie)] = e.baan
    dmin = np.zeros(len(INSTRUMENTEN), dtype=np.int32)
    dmax = np.zeros(len(INSTRUMENTEN), dtype=np.int32)
    for d in cfg.duur:
        if not 1 <= d.minimum <= d.maximum:
            raise ValueError(f"duur {d.instrument}: verwacht 1 <= minimum <= maximum, kreeg {d.minimum}..{d.maximum}")
        dmin[_I[d.instrument]], dmax[_I[d.instrument]] = d.minimum, d.maximum
    return Instrumenttabellen(g, lock, na, baan, dmin, dmax)


def kies_instrument(
    tab: Instrumenttabellen, categorie: np.ndarray, leeftijd: np.ndarray, u: np.ndarray
) -> np.ndarray:
    """Index of the chosen instrument for each starter (only instruments allowed for its categorie).

    Loonkostenvoordeel (ouderen/arbeidsbeperkten) is chosen three times as often for clients of 56+ and
    half as often below; leerwerktraject and individuele studietoeslag twice as often for jongeren (< 27).
    """
    w = tab.gewichten[categorie].copy()
    w[:, _I["loonkostenvoordeel"]] *= np.where(leeftijd >= 56, 3.0, 0.5)
    jong = np.where(leeftijd < 27, 2.0, 1.0)
    w[:, _I["leerwerktraject"]] *= jong
    w[:, _I["individuele_studietoeslag"]] *= jong
    cum = np.cumsum(w, axis=1)
    keuze = (cum <= (u * cum[:, -1])[:, None]).sum(axis=1)
    return np.minimum(keuze, len(INSTRUMENTEN) - 1).astype(np.int16)


def trek_duur(tab: Instrumenttabellen, instrument: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Programme duration in months, uniform on the instrument's ``minimum..maximum``."""
    lo, hi = tab.duur_min[instrument], tab.duur_max[instrument]
    return (lo + np.floor(u * (hi - lo + 1))).astype(np.int32)
