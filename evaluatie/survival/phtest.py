"""Proportional-hazards test from scaled Schoenfeld residuals, as R ``cox.zph`` (survival >= 3).

R (>= 3.0) computes the score test of adding ``x * g(t)`` for each term, with ``g`` the transformed
event time centred at its mean over events, holding beta at the fitted value. With per-event-time
information contributions ``V_j`` (Efron- or Breslow-weighted, as in the fit) and Schoenfeld sums
``r_j``::

    I = [[sum V_j, sum g_j V_j], [sum g_j V_j, sum g_j^2 V_j]],   u = [0, sum g_j r_j]
    chisq(term) = u_k' I_kk^{-1} u_k  over the block (all betas, the term's extra columns)

Transform ``"km"`` (default): ``g(t) = 1 - S(t-)`` with S the Kaplan-Meier of the model's event over
all rows (strata pooled, delayed entry respected), as R does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2

from evaluatie.survival.efron import PartialLik, RiskIndex, schoenfeld_sums
from evaluatie.survival.fouten import OverlevingsFout
from evaluatie.survival.km import risk_table
from evaluatie.survival.namen import MetWaarschuwingen

Transform = Literal["km", "identity", "rank", "log"]


@dataclass(frozen=True)
class PHTestResult(MetWaarschuwingen):
    """Per-term and global chi-square tests of proportional hazards.

    Attributes
    ----------
    table : DataFrame
        term, chisq, df, p (last row ``GLOBAL``).
    transform : str
    n_events : int
    waarschuwingen : tuple of str (``warnings``: deprecated alias)
    """

    table: pd.DataFrame
    transform: str
    n_events: int
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        lines = [f"Toets proportionele hazards (geschaalde Schoenfeld-residuen, transformatie "
                 f"'{self.transform}', {self.n_events} gebeurtenissen)"]
        for r in self.table.itertuples():
            vlag = "  <- mogelijk niet-proportioneel" if r.p < 0.05 and r.term != "GLOBAL" else ""
            lines.append(f"  {r.term:<30} chi2 = {r.chisq:8.3f}  df = {r.df}  p = {r.p:.4f}{vlag}")
        return "\n".join(lines)


def _transform_times(transform: str, start, stop, event, ix: RiskIndex) -> np.ndarray:
    """g(t) per event-time index (uncentred)."""
    t = ix.time
    if transform == "km":
        tab = risk_table(start, stop, event.astype(np.int64))
        surv = np.cumprod(1.0 - tab["n_event"].to_numpy() / tab["n_risk"].to_numpy())
        i = np.searchsorted(tab["time"].to_numpy(), t, side="left")  # times strictly before t
        return 1.0 - np.r_[1.0, surv][i]
    if transform == "identity":
        return t.astype(float)
    if transform == "log":
        return np.log(t)
    if transform == "rank":
        # R ranks the event rows' stop times (average ties) over all rows
        allt = stop
        from scipy.stats import rankdata

        r = rankdata(allt)
        lookup = pd.Series(r).groupby(allt).first()
        return lookup.loc[t].to_numpy()
    raise OverlevingsFout(f"transform: verwacht een van 'km', 'identity', 'rank', 'log', kreeg {transform!r}")


def ph_test(X: np.ndarray, ix: RiskIndex, pl: PartialLik, *, start: np.ndarray, stop: np.ndarray,
            event: np.ndarray, terms: list[tuple[str, list[int]]], transform: str = "km") -> PHTestResult:
    """Score test of ``x * g(t)`` per term and globally (R ``cox.zph``).

    Parameters
    ----------
    X : ndarray (n, p)
        Design (centring irrelevant) of the fitted model; ``pl`` evaluated at the fitted beta with
        ``per_time=True``.
    terms : list of (name, column indices)
        Model terms (a factor is one term with several columns).
    """
    if pl.info_t is None:
        raise ValueError("partial likelihood must be evaluated with per_time=True")
    p = X.shape[1]
    g_t = _transform_times(transform, start, stop, event, ix)
    g = g_t - np.sum(g_t * ix.d) / ix.d.sum()  # centred at the mean over event rows
    V = pl.info_t
    r = schoenfeld_sums(X, ix, pl)
    I11 = V.sum(axis=0)
    I12 = np.tensordot(g, V, axes=1)
    I22 = np.tensordot(g * g, V, axes=1)
    imat = np.block([[I11, I12], [I12, I22]])
    u = np.r_[np.zeros(p), g @ r]
    rows = []
    for name, cols in terms:
        kk = list(range(p)) + [p + c for c in cols]
        uk = u[kk]
        stat = float(uk @ np.linalg.solve(imat[np.ix_(kk, kk)], uk))
        rows.append((name, stat, len(cols)))
    rows.append(("GLOBAL", float(u @ np.linalg.solve(imat, u)), p))
    tab = pd.DataFrame(rows, columns=["term", "chisq", "df"])
    tab["p"] = chi2.sf(tab["chisq"], tab["df"])
    return PHTestResult(table=tab, transform=transform, n_events=int(ix.d.sum()))
