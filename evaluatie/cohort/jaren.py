"""Calendar arithmetic in whole years after the start of a spell, as ``lubridate``'s ``%m+% years(k)``.

``verjaardag(start, k)`` is the k-th anniversary of ``start``; 29 February rolls back to 28 February in a
year without one (what ``%m+%`` does, and what ``Bijstand.R`` uses). ``jaren_sinds(start, datum)`` puts a
date on the spell's own anniversary scale: ``k + fraction of the (k+1)-th year elapsed``, so that
``jaren_sinds(start, d) > k`` exactly when ``verjaardag(start, k) < d``. The Kaplan-Meier estimate in
:mod:`evaluatie.cohort.km` runs on this scale, which is what makes it coincide exactly with the VNG share
for fully observed cohorts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _schrikkel(jaar: np.ndarray) -> np.ndarray:
    return (jaar % 4 == 0) & ((jaar % 100 != 0) | (jaar % 400 == 0))


def _delen(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12), day (1-31) of a datetime64 array of any shape (NaT gives garbage; mask it)."""
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    return (y.astype(np.int64) + 1970, (m - y.astype("datetime64[M]")).astype(np.int64) + 1,
            (d.astype("datetime64[D]") - m.astype("datetime64[D]")).astype(np.int64) + 1)


def verjaardag(start: pd.Series | np.ndarray, k: int | np.ndarray) -> np.ndarray:
    """``start`` plus ``k`` calendar years (vectorised, any shape), 29 Feb → 28 Feb in non-leap years.

    Parameters
    ----------
    start : datetime64 array-like
        NaT stays NaT.
    k : int or ndarray of int
        Whole years (broadcast against ``start``).

    Returns
    -------
    ndarray of datetime64[ns]
    """
    s = np.asarray(start, dtype="datetime64[ns]")
    s, kk = np.broadcast_arrays(s, np.asarray(k, dtype=np.int64))
    na = np.isnat(s)
    s0 = np.where(na, np.datetime64("2000-01-01", "ns"), s)
    jaar, maand, dag = _delen(s0)
    jaar = jaar + kk
    dag = np.where((maand == 2) & (dag == 29) & ~_schrikkel(jaar), 28, dag)
    out = ((jaar - 1970) * 12 + (maand - 1)).astype("datetime64[M]").astype("datetime64[D]") + (dag - 1).astype("timedelta64[D]")
    out = out.astype("datetime64[ns]")
    out[na] = np.datetime64("NaT")
    return out


def jaren_sinds(start: pd.Series | np.ndarray, datum: pd.Series | np.ndarray) -> np.ndarray:
    """Years from ``start`` to ``datum`` on the spell's own anniversary scale.

    ``k + (datum - A_k) / (A_{k+1} - A_k)`` where ``A_k = verjaardag(start, k)`` is the last anniversary on or
    before ``datum``. Exact whole numbers on anniversaries; NaN where either date is missing; negative
    values for ``datum`` before ``start`` are computed the same way.
    """
    s = np.asarray(pd.to_datetime(np.asarray(start, dtype="datetime64[ns]")), dtype="datetime64[ns]")
    d = np.asarray(pd.to_datetime(np.asarray(datum, dtype="datetime64[ns]")), dtype="datetime64[ns]")
    s, d = np.broadcast_arrays(s, d)
    na = np.isnat(s) | np.isnat(d)
    s0 = np.where(na, np.datetime64("2000-01-01", "ns"), s)
    d0 = np.where(na, np.datetime64("2000-01-01", "ns"), d)
    k = _delen(d0)[0] - _delen(s0)[0]
    a = verjaardag(s0, k)
    k = k - (a > d0)  # anniversary in datum's year still to come
    a = verjaardag(s0, k)
    b = verjaardag(s0, k + 1)
    frac = (d0 - a).astype("timedelta64[ns]").astype(np.int64) / (b - a).astype("timedelta64[ns]").astype(np.int64)
    out = k + frac
    out[na] = np.nan
    return out
