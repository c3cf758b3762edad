"""Pooling estimates across runs: inverse-variance (fixed) and DerSimonian-Laird random effects."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Pooling:
    """Pooled estimate of k run-level estimates.

    Attributes
    ----------
    k : int
        Number of estimates pooled.
    vast, vast_se : float
        Inverse-variance (common-effect) estimate and SE.
    random, random_se : float
        DerSimonian-Laird random-effects estimate and SE.
    ci_laag, ci_hoog : float
        95% CI of the random-effects estimate.
    q, q_p : float
        Cochran's Q and its chi-square p-value (k-1 df): evidence of heterogeneity.
    i2 : float
        I² = max(0, (Q - (k-1)) / Q): share of variation due to heterogeneity.
    tau2 : float
        Between-run variance (DerSimonian-Laird).
    pi_laag, pi_hoog : float
        95% prediction interval for the effect in a new run (Higgins et al. 2009; t with k-2 df),
        NaN when k < 3.
    """

    k: int
    vast: float
    vast_se: float
    random: float
    random_se: float
    ci_laag: float
    ci_hoog: float
    q: float
    q_p: float
    i2: float
    tau2: float
    pi_laag: float
    pi_hoog: float

    def summary(self) -> str:
        return (
            f"Gepoold over {self.k} evaluaties (random effects): {self.random:.3f} "
            f"(95%-BI {self.ci_laag:.3f} – {self.ci_hoog:.3f}); heterogeniteit I² = {100 * self.i2:.0f}% "
            f"(Q = {self.q:.2f}, p = {self.q_p:.3f}), tau² = {self.tau2:.4g}"
        )


def pool(schattingen: np.ndarray, se: np.ndarray, *, conf_level: float = 0.95) -> Pooling:
    """Pool estimates with standard errors (pure function).

    Raises
    ------
    ValueError
        With fewer than one estimate, or a non-positive / missing SE.
    """
    y = np.asarray(schattingen, dtype=float)
    s = np.asarray(se, dtype=float)
    if y.ndim != 1 or y.shape != s.shape or y.size == 0:
        raise ValueError("pool: verwacht evenveel schattingen als standaardfouten, minstens één")
    if not np.all(np.isfinite(y)) or not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise ValueError("pool: elke schatting heeft een eindige waarde en een standaardfout > 0 nodig")
    k = y.size
    w = 1.0 / s**2
    vast = float(np.sum(w * y) / np.sum(w))
    vast_se = float(np.sqrt(1.0 / np.sum(w)))
    q = float(np.sum(w * (y - vast) ** 2))
    df = k - 1
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - df) / c) if df > 0 and c > 0 else 0.0
    wr = 1.0 / (s**2 + tau2)
    random = float(np.sum(wr * y) / np.sum(wr))
    random_se = float(np.sqrt(1.0 / np.sum(wr)))
    z = stats.norm.ppf(0.5 + conf_level / 2)
    i2 = max(0.0, (q - df) / q) if q > 0 and df > 0 else 0.0
    q_p = float(stats.chi2.sf(q, df)) if df > 0 else float("nan")
    if k >= 3:
        t = stats.t.ppf(0.5 + conf_level / 2, k - 2)
        half = t * np.sqrt(tau2 + random_se**2)
        pi = (random - half, random + half)
    else:
        pi = (float("nan"), float("nan"))
    return Pooling(k, vast, vast_se, random, random_se, random - z * random_se, random + z * random_se,
                   q, q_p, i2, tau2, float(pi[0]), float(pi[1]))
