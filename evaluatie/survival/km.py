"""Kaplan-Meier (product-limit) estimator with delayed entry, Greenwood SE and log-log CI.

Written by hand (vectorised NumPy) rather than via ``statsmodels.SurvfuncRight``: SurvfuncRight does
handle ``entry`` with the same risk-set rule, but reports only event times (R also reports times with
censoring only, and the number censored), has no pointwise log-log interval and no groups. The test
suite cross-checks the survival values against SurvfuncRight and R ``survfit``.

A row is at risk at time ``t`` iff ``start < t <= stop`` (R's ``Surv(start, stop, event)`` convention).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluatie.survival.fouten import OverlevingsWaarschuwing
from evaluatie.survival.namen import MetWaarschuwingen, met_oude_namen
from evaluatie.survival.productlimiet import overleving
from evaluatie.survival.invoer import conf_z, groepen, tijden


def risk_table(start: np.ndarray, stop: np.ndarray, event: np.ndarray) -> pd.DataFrame:
    """Counts per distinct stop time: at risk (``start < t <= stop``), events by code, censored.

    Parameters
    ----------
    start, stop : ndarray
        Interval bounds per row (``start`` may be ``-inf`` for no delayed entry).
    event : ndarray of int
        0 = censored, 1..k = cause.

    Returns
    -------
    DataFrame with columns ``time``, ``n_risk``, ``n_event`` (any cause), ``n_censor`` and
    ``d1`` … ``dk`` per cause code present (k = max code).
    """
    times = np.unique(stop)
    n_risk = (len(stop) - np.searchsorted(np.sort(stop), times, side="left")) - (
        len(start) - np.searchsorted(np.sort(start), times, side="left"))
    idx = np.searchsorted(times, stop)
    k = int(event.max()) if len(event) else 0
    out = {"time": times, "n_risk": n_risk.astype(np.int64)}
    counts = np.zeros((len(times), k + 1), dtype=np.int64)
    np.add.at(counts, (idx, event), 1)
    out["n_event"] = counts[:, 1:].sum(axis=1)
    out["n_censor"] = counts[:, 0]
    for c in range(1, k + 1):
        out[f"d{c}"] = counts[:, c]
    return pd.DataFrame(out)


def km_curve(table: pd.DataFrame, z: float) -> pd.DataFrame:
    """Product-limit survival, Greenwood SE (survival scale) and log-log CI from a :func:`risk_table`.

    Matches R ``survfit(..., conf.type = "log-log")``: ``std.err`` of R is the SE of the cumulative
    hazard, ``sqrt(cumsum(d / (n (n - d))))``; the SE reported here is ``S * std.err``.
    """
    n = table["n_risk"].to_numpy(dtype=float)
    d = table["n_event"].to_numpy(dtype=float)
    surv, _ = overleving((d / n,))
    with np.errstate(divide="ignore", invalid="ignore"):
        gw = np.cumsum(np.where(d > 0, d / (n * (n - d)), 0.0))
        se_log = np.sqrt(gw)
        ll = np.log(-np.log(surv))
        half = z * se_log / np.log(surv)
        lower = np.exp(-np.exp(ll - half))
        upper = np.exp(-np.exp(ll + half))
    one = surv >= 1.0
    lower[one], upper[one] = 1.0, 1.0
    zero = surv <= 0.0
    lower[zero], upper[zero] = 0.0, 0.0  # R gives NA; the curve is known to be 0 here
    with np.errstate(invalid="ignore"):
        se = surv * se_log
    se[zero] = 0.0
    out = table[["time", "n_risk", "n_event", "n_censor"]].copy()
    out["survival"], out["se"], out["ci_laag"], out["ci_hoog"] = surv, se, lower, upper
    return out


@dataclass(frozen=True)
class KaplanMeierSpec:
    stop: str
    event: str
    start: str | None
    group: str | None
    conf_level: float


@dataclass(frozen=True)
class KaplanMeierResult(MetWaarschuwingen):
    """Kaplan-Meier curves (one per group).

    Attributes
    ----------
    table : DataFrame
        group, time, n_risk, n_event, n_censor, survival, se (Greenwood, survival scale),
        ci_laag, ci_hoog (log-log). ``n_censor`` counts rows ending without an event at that time,
        including rows that end because a time-varying covariate changes (as R does).
    n : int
        Number of rows used. n_events : int. spec : KaplanMeierSpec. waarschuwingen : tuple of str
        (``warnings``: deprecated alias).
    """

    table: pd.DataFrame
    n: int
    n_events: int
    spec: KaplanMeierSpec
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self, *, oude_namen: bool = False) -> pd.DataFrame:
        """The curve table (a copy); ``oude_namen=True``: ci_lower/ci_upper as before (deprecated)."""
        return met_oude_namen(self.table.copy()) if oude_namen else self.table.copy()

    def at(self, times) -> pd.DataFrame:
        """Survival (right-continuous step function) at the given times, per group.

        Before the first time the survival is 1 with SE 0; after the last time the last value holds
        (it is not extrapolated: ``na_na_laatste`` marks times beyond the last observed time).
        """
        times = np.atleast_1d(np.asarray(times, dtype=float))
        rows = []
        for g, sub in self.table.groupby("group", sort=False):
            t = sub["time"].to_numpy()
            i = np.searchsorted(t, times, side="right") - 1
            vals = {c: np.where(i >= 0, sub[c].to_numpy()[np.maximum(i, 0)], 1.0 if c != "se" else 0.0)
                    for c in ("survival", "se", "ci_laag", "ci_hoog")}
            rows.append(pd.DataFrame({"group": g, "time": times, **vals, "na_na_laatste": times > t[-1]}))
        return pd.concat(rows, ignore_index=True)

    def summary(self) -> str:
        lines = [f"Kaplan-Meier (n = {self.n} rijen, {self.n_events} gebeurtenissen, "
                 f"{int(self.spec.conf_level * 100)}%-BI log-log)"]
        for g, sub in self.table.groupby("group", sort=False):
            med = sub.loc[sub["survival"] <= 0.5, "time"]
            med_txt = f"{med.iloc[0]:g}" if len(med) else "niet bereikt"
            lines.append(f"  {g}: {int(sub['n_event'].sum())} gebeurtenissen, mediane tijd {med_txt}, "
                         f"laatste S(t) = {sub['survival'].iloc[-1]:.3f} op t = {sub['time'].iloc[-1]:g}")
        lines += [f"  waarschuwing: {w}" for w in self.waarschuwingen]
        return "\n".join(lines)


def kaplan_meier(data: pd.DataFrame, *, stop: str, event: str, start: str | None = None,
                 group: str | None = None, conf_level: float = 0.95) -> KaplanMeierResult:
    """Kaplan-Meier estimate of the survival function, with delayed entry.

    Parameters
    ----------
    data : DataFrame
        One row per (start, stop] interval (counting-process rows) or per subject.
    stop, event : str
        Column names; ``event`` non-zero = event of any cause (codes > 1 are competing exits; for KM
        all are events — use :func:`cumulative_incidence` for exit to work among competing exits).
    start : str, optional
        Entry time column (delayed entry / counting process); at risk iff ``start < t <= stop``.
    group : str, optional
        Column to estimate a curve per value.
    conf_level : float
        Level of the pointwise log-log interval.

    Returns
    -------
    KaplanMeierResult
    """
    z = conf_z(conf_level)
    tt = tijden(data, stop=stop, event=event, start=start)
    codes, labels = groepen(data, group)
    ev = (tt.event > 0).astype(np.int64)
    frames, warns = [], []
    for gi, label in enumerate(labels):
        m = codes == gi
        curve = km_curve(risk_table(tt.start[m], tt.stop[m], ev[m]), z)
        if (curve["survival"] <= 0).any():
            t0 = curve.loc[curve["survival"] <= 0, "time"].iloc[0]
            warns.append(f"groep {label}: overleving wordt 0 op t = {t0:g}; SE daarna 0 per definitie")
        if int(ev[m].sum()) == 0:
            warns.append(f"groep {label}: geen gebeurtenissen; overleving is 1 over de hele periode")
        curve.insert(0, "group", label)
        frames.append(curve)
    spec = KaplanMeierSpec(stop=stop, event=event, start=start, group=group, conf_level=conf_level)
    return KaplanMeierResult(table=pd.concat(frames, ignore_index=True), n=len(data),
                             n_events=int(ev.sum()), spec=spec, waarschuwingen=tuple(warns))
