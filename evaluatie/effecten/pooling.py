"""Partial pooling: empirical-Bayes shrinkage of cell and subgroup effects toward their group mean.

Model (per group, e.g. the cells of one instrument across categorieen, or one subgroup of one instrument
across categorieen): ``y_j = theta_j + e_j`` with ``e_j ~ N(0, v_j)`` (``v_j`` the bootstrap variance of the
estimate) and ``theta_j ~ N(mu, tau^2)``. ``tau^2`` by DerSimonian-Laird (truncated at 0), ``mu`` the
random-effects mean; the shrunken estimate is the BLUP

    ``theta~_j = mu + lambda_j (y_j - mu)``,  ``lambda_j = tau^2 / (tau^2 + v_j)``,

with standard error ``sqrt(lambda_j v_j + (1 - lambda_j)^2 se(mu)^2)`` (as ``metafor::blup`` of an ``rma``
fit; checked against it in ``tests/reference/pooling_metafor.R``). A small, noisy cell moves most toward its
group: a realistic expectation for a raadslid, shown next to the raw estimate, never instead of it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm


@dataclass(frozen=True)
class Krimp:
    """Shrinkage of one group of estimates.

    Attributes
    ----------
    schatting, v : ndarray
        Raw estimates and their variances.
    mu, mu_se, tau2 : float
        Random-effects mean, its SE, between-estimate variance (DL).
    lam : ndarray
        Weight of the own estimate, ``tau^2 / (tau^2 + v)`` (1 = not shrunk).
    gekrompen, gekrompen_se : ndarray
        BLUP and its SE.
    """

    schatting: np.ndarray
    v: np.ndarray
    mu: float
    mu_se: float
    tau2: float
    lam: np.ndarray
    gekrompen: np.ndarray
    gekrompen_se: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        z = norm.ppf(0.975)
        return pd.DataFrame({"schatting": self.schatting, "se": np.sqrt(self.v), "gekrompen": self.gekrompen,
                             "gekrompen_se": self.gekrompen_se,
                             "gekrompen_laag": self.gekrompen - z * self.gekrompen_se,
                             "gekrompen_hoog": self.gekrompen + z * self.gekrompen_se,
                             "groepsgemiddelde": self.mu, "tau2": self.tau2, "gewicht_eigen": self.lam})

    def summary(self) -> str:
        return (f"{len(self.schatting)} schattingen; groepsgemiddelde {self.mu:.4f} (se {self.mu_se:.4f}), "
                f"tau^2 {self.tau2:.3g}; gemiddeld gewicht eigen schatting {np.mean(self.lam):.2f}")


def krimp(y: np.ndarray, v: np.ndarray) -> Krimp:
    """DerSimonian-Laird random-effects fit and BLUPs of one group (finite ``y``, ``v > 0``; k >= 1).

    With k = 1 the estimate stays as it is (nothing to pool toward); ``tau^2 = 0`` shrinks every estimate to
    the common (fixed-effect) mean.
    """
    y = np.asarray(y, dtype=float)
    v = np.asarray(v, dtype=float)
    if y.shape != v.shape or y.ndim != 1 or not len(y):
        raise ValueError(f"krimp: verwacht even lange niet-lege vectoren, kreeg {y.shape} en {v.shape}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v)) and np.all(v > 0)):
        raise ValueError("krimp: schattingen moeten eindig zijn en varianties positief")
    k = len(y)
    if k == 1:
        return Krimp(y, v, float(y[0]), float(np.sqrt(v[0])), 0.0, np.ones(1), y.copy(), np.sqrt(v))
    w = 1.0 / v
    mu_fe = np.sum(w * y) / np.sum(w)
    q = np.sum(w * (y - mu_fe) ** 2)
    c = np.sum(w) - np.sum(w ** 2) / np.sum(w)
    tau2 = max(0.0, (q - (k - 1)) / c)
    ws = 1.0 / (v + tau2)
    mu = float(np.sum(ws * y) / np.sum(ws))
    mu_se = float(np.sqrt(1.0 / np.sum(ws)))
    lam = tau2 / (tau2 + v)
    pred = mu + lam * (y - mu)
    se = np.sqrt(lam * v + (1.0 - lam) ** 2 * mu_se ** 2)
    return Krimp(y, v, mu, mu_se, float(tau2), lam, pred, se)


def krimp_per_groep(frame: pd.DataFrame, groep: list[str], *, schatting: str = "schatting",
                    se: str = "se") -> pd.DataFrame:
    """Shrink ``frame[schatting]`` within groups of ``groep`` columns; returns ``frame`` with the
    :meth:`Krimp.to_frame` columns ``gekrompen``, ``gekrompen_se``, ``gekrompen_laag``, ``gekrompen_hoog``,
    ``groepsgemiddelde``, ``tau2``, ``gewicht_eigen`` (NaN where the estimate or its SE is missing)."""
    uit = frame.copy()
    kol = ["gekrompen", "gekrompen_se", "gekrompen_laag", "gekrompen_hoog", "groepsgemiddelde", "tau2", "gewicht_eigen"]
    for k in kol:
        uit[k] = np.nan
    if not len(frame):
        return uit
    y = frame[schatting].to_numpy(dtype=float)
    s = frame[se].to_numpy(dtype=float)
    geldig = np.isfinite(y) & np.isfinite(s) & (s > 0)
    sleutel = frame[groep].astype(str).agg("\x1f".join, axis=1) if groep else pd.Series("", index=frame.index)
    for _, idx in pd.Series(np.arange(len(frame)), index=sleutel.to_numpy()).groupby(level=0, sort=True):
        ix = idx.to_numpy()
        ix = ix[geldig[ix]]
        if not len(ix):
            continue
        r = krimp(y[ix], s[ix] ** 2).to_frame()
        for k in kol:
            uit.iloc[ix, uit.columns.get_loc(k)] = r[k].to_numpy()
    return uit
