"""Multiplicity: Holm and Romano-Wolf adjusted p-values for a family of estimates.

A *family* is the set of hypotheses one claim ranges over (all instrument cells at one horizon and method,
or all subgroup differences of one method and horizon). The report calls an estimate *aantoonbaar* only when
its adjusted p-value is below 0.05, and says which family was corrected.

- :func:`holm`: Holm's (1979) step-down on given p-values (equal to R ``p.adjust(method = "holm")`` and
  ``statsmodels.stats.multitest.multipletests(method="holm")``).
- :func:`romano_wolf`: the step-down of Romano & Wolf (2005, 2016) on bootstrap replicates that the package
  already draws: studentized statistics ``t_j = |theta_j| / se_j``, the null distribution of their maximum
  over the hypotheses not yet rejected from the centred replicates ``|theta*_bj - theta_j| / se_j``. Because
  it uses the joint distribution of the replicates, it is less conservative than Holm when estimates are
  correlated (cells sharing the no-instrument model, overlapping subgroups).

Raw p-values (:func:`p_normaal`) are two-sided normal p-values from the bootstrap SE: bootstrap-count p-values
have resolution 1/(B+1), which with B = 200 would make Holm unable to reject anything in a family of 40.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm


def p_normaal(schatting: np.ndarray, se: np.ndarray) -> np.ndarray:
    """Two-sided p-value ``2 (1 - Phi(|schatting / se|))``; NaN where the SE is missing or not positive."""
    s = np.asarray(schatting, dtype=float)
    e = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(e > 0, np.abs(s) / e, np.nan)
    return np.where(np.isfinite(z), 2.0 * norm.sf(z), np.nan)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values; NaN entries are not part of the family and stay NaN.

    ``p_adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))`` over the p-values sorted ascending.
    """
    p = np.asarray(p, dtype=float)
    uit = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return uit
    volg = ok[np.argsort(p[ok], kind="mergesort")]
    adj = np.minimum(1.0, (m - np.arange(m)) * p[volg])
    uit[volg] = np.maximum.accumulate(adj)
    return uit


def romano_wolf(schatting: np.ndarray, replicaten: np.ndarray) -> np.ndarray:
    """Romano-Wolf step-down adjusted p-values (studentized max-|t|) from bootstrap replicates.

    Parameters
    ----------
    schatting : ndarray (m,)
        Point estimates of the family.
    replicaten : ndarray (B, m)
        Bootstrap replicates of the same estimates (NaN replicates of a hypothesis are ignored for its SE;
        in the maximum a NaN counts as 0, i.e. that replicate says nothing about that hypothesis).

    Returns
    -------
    ndarray (m,)
        Adjusted p-values ``(1 + #{b: max_{j in R_s} t*_bj >= t_(s)}) / (B + 1)`` made monotone along the
        step-down order; NaN for hypotheses without a finite estimate or SE, and all NaN without replicates.
    """
    th = np.asarray(schatting, dtype=float)
    uit = np.full(th.shape, np.nan)
    if th.size == 0:
        return uit
    R = np.asarray(replicaten, dtype=float).reshape(-1, th.size)
    if R.shape[0] < 2:
        return uit
    with np.errstate(invalid="ignore"):
        se = np.nanstd(R, axis=0, ddof=1) if R.shape[0] > 1 else np.full(th.size, np.nan)
    ok = np.flatnonzero(np.isfinite(th) & np.isfinite(se) & (se > 0))
    if ok.size == 0:
        return uit
    t = np.abs(th[ok]) / se[ok]
    tstar = np.abs(R[:, ok] - th[ok]) / se[ok]
    tstar = np.where(np.isfinite(tstar), tstar, 0.0)
    volg = np.argsort(-t, kind="mergesort")
    B = R.shape[0]
    # max over the hypotheses from step s to the end: a reversed running maximum over the ordered columns
    gesorteerd = tstar[:, volg]
    staartmax = np.maximum.accumulate(gesorteerd[:, ::-1], axis=1)[:, ::-1]
    p = (1.0 + (staartmax >= t[volg][None, :]).sum(axis=0)) / (B + 1.0)
    adj = np.maximum.accumulate(p)
    res = np.empty(ok.size)
    res[volg] = adj
    uit[ok] = res
    return uit


@dataclass(frozen=True)
class Familie:
    """One family of hypotheses (H0: estimate = 0) with raw, Holm and Romano-Wolf p-values.

    Attributes
    ----------
    naam : str
        What was corrected, in words (``"alle instrumentcellen, att 12 maanden, g-formule"``).
    sleutels : DataFrame
        One row per hypothesis (the columns that identify it).
    schatting, se, p, p_holm, p_romano_wolf : ndarray
    """

    naam: str
    sleutels: pd.DataFrame
    schatting: np.ndarray
    se: np.ndarray
    p: np.ndarray
    p_holm: np.ndarray
    p_romano_wolf: np.ndarray

    @property
    def m(self) -> int:
        """Number of hypotheses in the family (those with a p-value)."""
        return int(np.isfinite(self.p).sum())

    def to_frame(self) -> pd.DataFrame:
        f = self.sleutels.reset_index(drop=True).copy()
        f["familie"] = self.naam
        f["m"] = self.m
        f["p"] = self.p
        f["p_holm"] = self.p_holm
        f["p_romano_wolf"] = self.p_romano_wolf
        return f

    def summary(self) -> str:
        n_h = int((self.p_holm < 0.05).sum())
        n_rw = int((self.p_romano_wolf < 0.05).sum())
        n_r = int((self.p < 0.05).sum())
        return (f"{self.naam}: {self.m} toetsen; p < 0,05 ongecorrigeerd {n_r}, na Holm {n_h}, "
                f"na Romano-Wolf {n_rw}")


def familie(naam: str, sleutels: pd.DataFrame, schatting: np.ndarray, replicaten: np.ndarray) -> Familie:
    """Build a :class:`Familie` from point estimates (m,) and bootstrap replicates (B, m)."""
    th = np.asarray(schatting, dtype=float)
    R = np.asarray(replicaten, dtype=float).reshape(-1, th.size) if th.size else np.zeros((0, 0))
    with np.errstate(invalid="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            se = np.nanstd(R, axis=0, ddof=1) if R.shape[0] > 1 else np.full(th.size, np.nan)
    p = p_normaal(th, se)
    return Familie(naam, sleutels, th, se, p, holm(p), romano_wolf(th, R))
