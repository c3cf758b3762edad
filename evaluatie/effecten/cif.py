"""Weighted cumulative incidence (Aalen-Johansen) in discrete time, for competing exits.

Written by hand: statsmodels' ``CumIncidenceRight`` takes no weights, and the bootstrap needs a
vectorised version that costs one :func:`numpy.bincount` per curve. The curves themselves come from the
package's one product-limit engine, :mod:`evaluatie.survival.productlimiet`.
"""
from __future__ import annotations

import numpy as np

from evaluatie.survival.productlimiet import hazard, incidentie, overleving


def aalen_johansen(T: np.ndarray, eind: np.ndarray, w: np.ndarray | None, H: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative incidence of exit to werk and of other exits at months 1..H.

    Parameters
    ----------
    T : ndarray of int
        Months observed from entry (entry month = 1) up to and including the last month at risk.
    eind : ndarray of int
        What happened in month ``T``: 0 censored (still on benefit at the end of observation), 1 werk,
        2 another exit.
    w : ndarray or None
        Weights (frequency, bootstrap or IPW). None = 1.
    H : int
        Last month.

    Returns
    -------
    (cif_werk, cif_ander, at_risk) each of length H.

    Notes
    -----
    Discrete-time Aalen-Johansen: ``S(t) = S(t-1) * (1 - d(t)/R(t))`` and
    ``CIF_k(t) = CIF_k(t-1) + S(t-1) * d_k(t)/R(t)`` with ``R(t)`` the weight still at risk at the start
    of month ``t`` (``T >= t``). A censored entry counts as at risk in its last month (it was observed
    not to exit then). Once nobody is at risk the curves stay flat.
    """
    T = np.asarray(T, dtype=np.int64)
    eind = np.asarray(eind, dtype=np.int64)
    w = np.ones(len(T)) if w is None else np.asarray(w, dtype=float)
    Tc = np.minimum(T, H + 1)
    n_t = np.bincount(Tc, weights=w, minlength=H + 2)[: H + 2]
    R = np.cumsum(n_t[::-1])[::-1][1 : H + 1]  # weight with T >= t, t = 1..H
    ev = Tc <= H
    dw = np.bincount(Tc[ev & (eind == 1)], weights=w[ev & (eind == 1)], minlength=H + 1)[1 : H + 1]
    do = np.bincount(Tc[ev & (eind == 2)], weights=w[ev & (eind == 2)], minlength=H + 1)[1 : H + 1]
    hw, ho = hazard(dw, R), hazard(do, R)
    _, S_voor = overleving((hw, ho))
    return incidentie(S_voor, hw), incidentie(S_voor, ho), R


def cif_uit_hazards(hw: np.ndarray, ho: np.ndarray) -> np.ndarray:
    """Cumulative incidence of werk from monthly hazards (last axis = month): ``sum_t S(t-1) hw(t)``."""
    return incidentie(overleving((hw, ho))[1], hw)
