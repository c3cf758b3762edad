"""The one product-limit engine: Kaplan-Meier survival and Aalen-Johansen cumulative incidence from hazards.

Every curve in the package comes from these two lines of arithmetic, whatever the data shape:

* :mod:`evaluatie.survival.km` / :mod:`evaluatie.survival.cif` (continuous time, delayed entry, R-checked),
* :mod:`evaluatie.effecten.cif` (discrete months, weights, one bincount per curve in the bootstrap),
* :mod:`evaluatie.cohort.km` (anniversary years per inflow cohort).

``S(t) = prod_{s <= t} (1 - h(s))`` with ``h`` the hazard of leaving (all causes), and
``CIF_k(t) = sum_{s <= t} S(s-) h_k(s)``. The callers build the hazards (counts / at risk) their way.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def overleving(hazards: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Survival after and just before each time point from the hazards of leaving (last axis = time).

    Parameters
    ----------
    hazards : sequence of ndarray
        One hazard array per way of leaving (or one for all causes together); they are subtracted in turn,
        ``1 - h1 - h2 ...``.

    Returns
    -------
    (S, S_voor) : ``S(t)`` and ``S(t-)`` (1 at the first time point), same shape as the hazards.
    """
    blijft = 1.0
    for h in hazards:
        blijft = blijft - h
    S = np.cumprod(blijft, axis=-1)
    S_voor = np.concatenate([np.ones(S.shape[:-1] + (1,)), S[..., :-1]], axis=-1)
    return S, S_voor


def incidentie(S_voor: np.ndarray, h_oorzaak: np.ndarray) -> np.ndarray:
    """Aalen-Johansen cumulative incidence of one cause: ``cumsum(S(t-) * h_k(t))`` over the last axis."""
    return np.cumsum(S_voor * h_oorzaak, axis=-1)


def hazard(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``d / n`` with 0 where nobody is at risk (the curve stays flat there)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, d / n, 0.0)


__all__ = ["hazard", "incidentie", "overleving"]
