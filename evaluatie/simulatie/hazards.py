"""Linear predictors (log-odds) of the monthly hazards: exits by reason, instrument start, doorstroom.

Pure functions of arrays; one value per spell in the current month. The exit model is a multinomial
logit over {werk, verhuizing, huishoudenswijziging, overig} against "stays on benefit"; pensioen_leeftijd
is deterministic at the AOW age.
"""
from __future__ import annotations

import numpy as np

from evaluatie.simulatie.config import SimulatieConfig

# opleidingsniveau codes: 0 laag, 1 middelbaar, 2 hoog, 3 onbekend
OPLEIDINGEN: tuple[str, ...] = ("laag", "middelbaar", "hoog", "onbekend")
_OPL_WERK = np.array([-0.30, 0.0, 0.35, -0.15])
_OPL_START = np.array([-0.10, 0.0, 0.10, -0.10])

#: Reference trede per categorie A, B, C (trede enters relative to it).
TREDE_REF = np.array([5, 3, 2])

#: Labour-market (calendar-year) effect on the work logit, 2000-2025 (crisis 2009-2014, recovery after).
_JAAR_EFFECT = {
    2000: 0.10, 2001: 0.10, 2002: 0.0, 2003: -0.05, 2004: -0.05, 2005: 0.0, 2006: 0.05, 2007: 0.10,
    2008: 0.10, 2009: -0.10, 2010: -0.15, 2011: -0.15, 2012: -0.25, 2013: -0.30, 2014: -0.25,
    2015: -0.15, 2016: -0.05, 2017: 0.0, 2018: 0.15, 2019: 0.20, 2020: 0.0, 2021: 0.10, 2022: 0.20,
    2023: 0.20, 2024: 0.20, 2025: 0.20,
}
_JAAR0 = min(_JAAR_EFFECT)
_JAAR_ARR = np.array([_JAAR_EFFECT[j] for j in range(_JAAR0, max(_JAAR_EFFECT) + 1)])


def jaar_effect(jaar: np.ndarray) -> np.ndarray:
    """Calendar-year shift of the work logit."""
    return _JAAR_ARR[np.clip(jaar - _JAAR0, 0, len(_JAAR_ARR) - 1)]


def leeftijd_werk(leeftijd: np.ndarray) -> np.ndarray:
    """Age shift of the work logit (age in whole years)."""
    return np.select([leeftijd < 27, leeftijd < 50, leeftijd < 58], [0.15, 0.0, -0.45], -1.0)


def duurfactor(cfg: SimulatieConfig, maand: np.ndarray | int) -> np.ndarray:
    """Duration-dependence term of :func:`werk_logit` (the only part that depends on the spell month)."""
    return cfg.duur_werk * np.log1p(np.asarray(maand) / 12.0)


def werk_logit(
    *,
    cfg: SimulatieConfig,
    categorie: np.ndarray,
    maand: int,
    leeftijd: np.ndarray,
    opleiding: np.ndarray,
    statushouder: np.ndarray,
    jaar: np.ndarray,
    gemeente_effect: np.ndarray,
    trede: np.ndarray,
    u: np.ndarray,
) -> np.ndarray:
    """Log-odds of exit to work this month, before the instrument effect."""
    return (
        np.asarray(cfg.werk_intercept)[categorie]
        + duurfactor(cfg, maand)
        + leeftijd_werk(leeftijd)
        + _OPL_WERK[opleiding]
        - 0.40 * statushouder
        + jaar_effect(jaar)
        + gemeente_effect
        + 0.15 * (trede - TREDE_REF[categorie])
        + cfg.onwaarneembaar * u
    )


def overige_logits(*, cfg: SimulatieConfig, leeftijd: np.ndarray, statushouder: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-odds of exit to verhuizing, huishoudenswijziging and overig this month."""
    v, h, o = cfg.overig_intercepts
    jong = leeftijd < 27
    verh = v + 0.5 * jong + 0.3 * statushouder
    huis = h + 0.3 * (leeftijd < 40) - 0.4 * (leeftijd >= 55)
    ov = o + 0.2 * jong + 0.0 * statushouder
    return verh, huis, ov


def start_logit(
    *,
    cfg: SimulatieConfig,
    categorie: np.ndarray,
    maand: int,
    leeftijd: np.ndarray,
    opleiding: np.ndarray,
    speciaal_onderwijs: np.ndarray,
    trede: np.ndarray,
    u: np.ndarray,
) -> np.ndarray:
    """Log-odds of starting an instrument this month (selection on observables + optional U)."""
    return (
        np.asarray(cfg.start_intercept)[categorie]
        - 0.25 * np.log1p(maand / 12.0)
        + 0.30 * (leeftijd < 27)
        - 0.70 * (leeftijd >= 58)
        + 0.20 * speciaal_onderwijs
        + _OPL_START[opleiding]
        + 0.15 * (trede - TREDE_REF[categorie])
        + cfg.onwaarneembaar * u
    )


def expit(x: np.ndarray) -> np.ndarray:
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-x))
