"""Balance and overlap of the risk-set design: standardised mean differences, propensity overlap, ESS."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


def smd(x1: np.ndarray, x0: np.ndarray, w0: np.ndarray | None = None) -> np.ndarray:
    """Standardised mean difference per column: ``(m1 - m0_w) / sqrt((v1 + v0) / 2)``.

    The denominator uses the *unweighted* variances of both groups, so before/after weighting share a
    scale (Austin & Stuart 2015). Columns without variance give 0.
    """
    x1 = np.asarray(x1, dtype=float)
    x0 = np.asarray(x0, dtype=float)
    m1 = x1.mean(axis=0)
    m0 = np.average(x0, axis=0, weights=w0) if w0 is not None else x0.mean(axis=0)
    s = np.sqrt((x1.var(axis=0) + x0.var(axis=0)) / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, (m1 - m0) / s, 0.0)


def ess(w: np.ndarray) -> float:
    """Kish effective sample size ``(sum w)^2 / sum w^2``."""
    w = np.asarray(w, dtype=float)
    s2 = float((w * w).sum())
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


@dataclass(frozen=True)
class Balans:
    """Balance diagnostics of one cell."""

    tabel: pd.DataFrame       # covariaat, smd_voor, smd_na
    max_smd_voor: float
    max_smd_na: float
    ess_controle: float
    n_controle: int
    aandeel_buiten: float     # participants with propensity above every control's
    e_deelnemers: tuple[float, float, float]  # min, median, max
    e_controle: tuple[float, float, float]


def balans(X1: np.ndarray, X0: np.ndarray, w0: np.ndarray, e1: np.ndarray, e0: np.ndarray,
           namen: tuple[str, ...]) -> Balans:
    """Balance of participants (``X1`` at the start month) vs not-yet-treated controls (``X0``, weights ``w0``)."""
    voor = smd(X1, X0)
    na = smd(X1, X0, w0)
    tab = pd.DataFrame({"covariaat": list(namen), "smd_voor": voor, "smd_na": na})
    buiten = float(np.mean(e1 > e0.max())) if len(e1) and len(e0) else float("nan")

    def q(a: np.ndarray) -> tuple[float, float, float]:
        return (float(a.min()), float(np.median(a)), float(a.max())) if len(a) else (np.nan,) * 3

    return Balans(tab, float(np.abs(voor).max(initial=0)), float(np.abs(na).max(initial=0)), ess(w0), len(w0),
                  buiten, q(e1), q(e0))
