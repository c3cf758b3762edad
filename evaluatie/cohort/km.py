"""Kaplan-Meier per inflow cohort: share still on benefit k years after start, censoring at the peildatum.

Uitkeringen without an einddatum (or ending after the peildatum) are censored at the peildatum instead of
being counted as active forever. Time runs on the anniversary scale of :func:`evaluatie.cohort.jaren.jaren_sinds`
so that "still on benefit after k years" means the same as in the VNG table (``start + k years <
einddatum``): for a cohort in which every running uitkering is older than k years at the peildatum, the
estimate equals the VNG share exactly.

The product-limit estimate, its Greenwood standard error and the pointwise log-log interval (R
``survfit(conf.type = "log-log")``) come from the package's one Kaplan-Meier engine,
:func:`evaluatie.survival.km.km_curve` (checked against R and ``statsmodels``' ``SurvfuncRight``).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from evaluatie.cohort.jaren import jaren_sinds


def duur_en_status(start: pd.Series, eind: pd.Series, peildatum: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Duration in anniversary-years and status (1 = ended on or before the peildatum, 0 = censored)."""
    s = pd.to_datetime(pd.Series(start).reset_index(drop=True))
    e = pd.to_datetime(pd.Series(eind).reset_index(drop=True))
    peil = pd.Timestamp(peildatum)
    beeindigd = (e.notna() & (e <= peil)).to_numpy()
    stop = e.where(beeindigd, peil)
    return jaren_sinds(s, stop), beeindigd.astype(np.int64)


def km_op_jaren(tijd: np.ndarray, status: np.ndarray, jaren: Sequence[int], z: float) -> pd.DataFrame:
    """Kaplan-Meier survival at whole years ``jaren`` for one group.

    Returns ``jaren``, ``km_aandeel``, ``km_se``, ``km_ci_laag``, ``km_ci_hoog``, ``n_risico`` (duration ≥ k,
    R's ``n.risk`` at k) and ``n_uitgestroomd`` (events at or before k). Beyond the last observed duration the
    estimate is missing unless it already reached 0.
    """
    from evaluatie.survival.km import km_curve, risk_table

    k = np.asarray(list(jaren), dtype=float)
    tijd = np.asarray(tijd, dtype=float)
    status = np.asarray(status, dtype=np.int64)
    if status.sum() > 0:
        c = km_curve(risk_table(np.full(len(tijd), -np.inf), tijd, status), z)
        tt = c["time"].to_numpy()
        kol = {n: c[n].to_numpy() for n in ("survival", "se", "ci_laag", "ci_hoog")}
    else:
        tt, kol = np.empty(0), {n: np.empty(0) for n in ("survival", "se", "ci_laag", "ci_hoog")}
    i = np.searchsorted(tt, k, side="right") - 1
    voor = {"survival": 1.0, "se": 0.0, "ci_laag": 1.0, "ci_hoog": 1.0}  # before the first time: S = 1 exactly
    w = {n: np.where(i >= 0, v[np.clip(i, 0, None)] if len(v) else voor[n], voor[n]) for n, v in kol.items()}
    onbekend = (k > tijd.max()) & (w["survival"] > 0)
    surv, sse, lo, hi = (np.where(onbekend, np.nan, w[n]) for n in ("survival", "se", "ci_laag", "ci_hoog"))
    srt = np.sort(tijd)
    n_risico = len(tijd) - np.searchsorted(srt, k, side="left")
    ev = np.sort(tijd[status == 1])
    n_uit = np.searchsorted(ev, k, side="right")
    return pd.DataFrame({
        "jaren": np.asarray(list(jaren), dtype=np.int64), "km_aandeel": surv, "km_se": sse,
        "km_ci_laag": lo, "km_ci_hoog": hi, "n_risico": n_risico.astype(np.int64), "n_uitgestroomd": n_uit.astype(np.int64),
    })


def km_tabel(start: pd.Series, eind: pd.Series, jaren: Sequence[int], *, peildatum: pd.Timestamp, niveau: float = 0.95) -> pd.DataFrame:
    """:func:`km_op_jaren` per inflow year (year of startdatum)."""
    z = float(norm.ppf(0.5 + niveau / 2))
    s = pd.to_datetime(pd.Series(start).reset_index(drop=True))
    tijd, status = duur_en_status(s, eind, peildatum)
    jaar = s.dt.year.to_numpy()
    delen = []
    for j in np.unique(jaar):
        m = jaar == j
        delen.append(km_op_jaren(tijd[m], status[m], jaren, z).assign(instroomjaar=int(j)))
    kol = ["instroomjaar", "jaren", "km_aandeel", "km_se", "km_ci_laag", "km_ci_hoog", "n_risico", "n_uitgestroomd"]
    if not delen:
        return pd.DataFrame(columns=kol)
    return pd.concat(delen, ignore_index=True).loc[:, kol]
