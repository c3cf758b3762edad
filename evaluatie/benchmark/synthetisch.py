"""Synthetic comparison group: convex weights on other gemeenten that reproduce the pre-period path.

Solves ``min_w ||x1 − X0 w||² + ε||w||²`` subject to ``w ≥ 0`` and ``Σw = 1`` (Abadie, Diamond &
Hainmueller 2010, with the outcome path itself as predictors and V = I). Solver: ``scipy.optimize.nnls``
(Lawson–Hanson active set, exact on its active set) on an augmented system: the equality ``Σw = 1`` is a
heavily weighted extra row (weight ``M``), the ridge ``ε`` adds rows ``√ε·I``; afterwards ``w`` is
rescaled to sum to exactly 1. The tiny ridge makes the solution unique when the pre-period has fewer
years than there are donors (many exact fits), so the answer cannot depend on the order of the
gemeenten (relabelling invariance); among exact fits it picks the one with the smallest ``||w||²``.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import nnls


def synthetische_gewichten(x1: np.ndarray, X0: np.ndarray, *, ridge: float = 1e-8,
                           straf_som: float = 1e4) -> np.ndarray:
    """Convex weights ``w`` (``w ≥ 0``, ``Σw = 1``) with ``X0 @ w ≈ x1``.

    Parameters
    ----------
    x1 : array, shape (T0,)
        The gemeente's pre-period values.
    X0 : array, shape (T0, J)
        Donors' pre-period values, one column per donor.
    ridge : float
        ε relative to the mean squared donor value times T0 (scale-free); > 0 makes the solution unique.
    straf_som : float
        Weight of the ``Σw = 1`` row relative to the root-mean-square donor value.

    Returns
    -------
    ndarray, shape (J,)
    """
    x1 = np.asarray(x1, dtype=float)
    X0 = np.asarray(X0, dtype=float)
    if X0.ndim != 2 or X0.shape[0] != x1.shape[0]:
        raise ValueError(f"X0 moet vorm (T0, J) = ({x1.shape[0]}, J) hebben, kreeg {X0.shape}")
    if not (np.isfinite(x1).all() and np.isfinite(X0).all()):
        raise ValueError("ontbrekende waarden in de voorperiode; verwacht volledige reeksen")
    t0, j = X0.shape
    if j == 1:
        return np.ones(1)
    schaal = float(np.sqrt(np.mean(X0 ** 2))) or 1.0
    eps = ridge * schaal ** 2 * t0
    m = straf_som * schaal
    A = np.vstack([X0, np.sqrt(eps) * np.eye(j), m * np.ones((1, j))])
    b = np.concatenate([x1, np.zeros(j), [m]])
    w, _ = nnls(A, b, maxiter=50 * j)
    s = w.sum()
    if s <= 0:
        raise ValueError("geen geldige gewichten gevonden (som 0)")
    return w / s


def rmspe(a: np.ndarray, b: np.ndarray) -> float:
    """Root mean squared prediction error between two paths (NaN if empty)."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.sqrt(np.mean((a - b) ** 2))) if a.size else float("nan")
