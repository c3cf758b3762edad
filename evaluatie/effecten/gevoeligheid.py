"""Sensitivity to unobserved confounding: the E-value (VanderWeele & Ding 2017).

For a risk ratio ``RR`` (here ``CIF1(h) / CIF0(h)``) the E-value is the minimum strength of association,
on the risk-ratio scale, that an unmeasured confounder would need with both the start of the instrument
and exit to werk (conditional on the covariates) to explain the estimate away:
``E = RR + sqrt(RR * (RR - 1))`` for ``RR >= 1`` (use ``1/RR`` below 1). For the confidence limit closest
to 1 the same formula applies, and it is 1 if the interval contains 1.
"""
from __future__ import annotations

import numpy as np

from evaluatie.drempels import KWETSBAAR_E


def e_waarde(rr: float | np.ndarray) -> np.ndarray:
    """E-value of a risk ratio (NaN for non-positive or missing)."""
    rr = np.asarray(rr, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(rr >= 1, rr, 1.0 / rr)
        out = r + np.sqrt(r * (r - 1.0))
    return np.where(np.isfinite(rr) & (rr > 0), out, np.nan)


def e_waarde_ci(rr: float, laag: float, hoog: float) -> float:
    """E-value of the confidence limit closest to 1 (1 when the interval contains 1)."""
    if not np.all(np.isfinite([rr, laag, hoog])):
        return float("nan")
    if laag <= 1.0 <= hoog:
        return 1.0
    return float(e_waarde(laag if rr >= 1 else hoog))


def kwetsbaar(e_ci: float, drempel: float = KWETSBAAR_E) -> bool:
    """Whether an unmeasured confounder weaker than ``drempel`` (RR with both start and werk) could move the
    confidence limit to 1: the estimate is then *kwetsbaar* (fragile).

    The one rule behind the ``kwetsbaar`` column of ``gevoeligheid``; a report reads that column."""
    return bool(np.isfinite(e_ci) and e_ci < drempel)
