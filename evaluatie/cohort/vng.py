"""The VNG cohort table: share of uitkeringen still active k years after start, per inflow year.

Follows ``Bijstand.R`` in VNG-Realisatie/Data-Science-Hub-Bijstand (section "Verschillen tussen cohorten",
identical in ``Bijstand-MD.Rmd``): for k = 1 … ``period_end - period_start`` it sets, per row,

- ``ActiefNaJaar<k> = startdatum %m+% years(k) < einddatum`` (NA where einddatum is missing), then
- ``TRUE`` where einddatum is missing **and** ``startdatum %m+% years(k) < <reference date>``
  (the script hard-codes ``as.POSIXct("2018-07-09")``; here: the peildatum),

and takes ``mean()`` per ``instroomjaar = year(startdatum)`` and k, without ``na.rm``. So an uitkering
without einddatum that is not yet k years old at the reference date is *undetermined* (NA), and one
such uitkering makes the whole cohort's share for that k NA: the script's figure has no value there.
(The script compares a ``Date`` with a ``POSIXct``; with lubridate loaded, as the script does, R compares
them as dates. Checked with R 4.2.2 / lubridate 1.9.2 in ``tests/data/vng/vng_cohort_referentie.R``.)

Two common ways to fill the empty cells are computed as diagnostics, both biased for recent cohorts:
``vng_zonder_onbepaald`` drops the undetermined uitkeringen (``mean(na.rm = TRUE)``) and **understates**
(the dropped ones are exactly those still running); ``vng_lopend_actief`` counts every uitkering without
einddatum as active at every k (the reading "an empty einddatum counts as active") and **overstates**.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from evaluatie.cohort.jaren import verjaardag


def actief_na_jaren(start: pd.Series, eind: pd.Series, jaren: Sequence[int], *, peildatum: pd.Timestamp) -> np.ndarray:
    """``ActiefNaJaar<k>`` per uitkering and k as ``Bijstand.R`` sets it: 1.0 active, 0.0 not, NaN undetermined.

    Returns
    -------
    ndarray, shape (n uitkeringen, len(jaren))
    """
    s = np.asarray(pd.to_datetime(start), dtype="datetime64[ns]")
    e = np.asarray(pd.to_datetime(eind), dtype="datetime64[ns]")
    k = np.asarray(list(jaren), dtype=np.int64)
    a = verjaardag(s[:, None], k[None, :])  # anniversaries, (n, K)
    peil = np.datetime64(pd.Timestamp(peildatum).to_datetime64(), "ns")
    out = np.where(a < e[:, None], 1.0, 0.0)
    return np.where(np.isnat(e)[:, None], np.where(a < peil, 1.0, np.nan), out)


def vng_tabel(start: pd.Series, eind: pd.Series, jaren: Sequence[int], *, peildatum: pd.Timestamp) -> pd.DataFrame:
    """Per inflow year and k.

    Returns
    -------
    DataFrame
        ``instroomjaar``, ``jaren``, ``n_cohort``, ``n_onbepaald`` (running uitkeringen not yet k years old at
        the peildatum), ``n_actief`` (missing when ``n_onbepaald > 0``), ``vng_aandeel`` (the script's share;
        missing when ``n_onbepaald > 0``), ``vng_se`` (binomial), ``vng_ci_laag``/``vng_ci_hoog`` (Wilson
        95%), and the diagnostics ``vng_zonder_onbepaald`` and ``vng_lopend_actief`` (see module docstring).
    """
    from statsmodels.stats.proportion import proportion_confint

    jaren = list(jaren)
    s = pd.to_datetime(pd.Series(start).reset_index(drop=True))
    e = pd.to_datetime(pd.Series(eind).reset_index(drop=True))
    act = actief_na_jaren(s, e, jaren, peildatum=peildatum)
    jaar = s.dt.year.to_numpy()
    lang = pd.DataFrame({
        "instroomjaar": np.repeat(jaar, len(jaren)),
        "jaren": np.tile(np.asarray(jaren, dtype=np.int64), len(jaar)),
        "actief": np.nan_to_num(act.ravel(), nan=0.0),
        "onbepaald": np.isnan(act.ravel()),
    })
    g = lang.groupby(["instroomjaar", "jaren"], sort=True)
    t = pd.DataFrame({"n_cohort": g.size(), "n_onbepaald": g["onbepaald"].sum(), "_actief": g["actief"].sum()}).reset_index()
    t["n_onbepaald"] = t["n_onbepaald"].astype("int64")
    n = t["n_cohort"].to_numpy(dtype=float)
    nb = n - t["n_onbepaald"].to_numpy(dtype=float)
    a = t["_actief"].to_numpy(dtype=float)
    bepaald = t["n_onbepaald"].to_numpy() == 0
    t["n_actief"] = pd.array(np.round(a).astype(np.int64), dtype="Int64")
    t.loc[~bepaald, "n_actief"] = pd.NA
    p = np.where(bepaald, a / n, np.nan)
    t["vng_aandeel"] = p
    t["vng_se"] = np.sqrt(p * (1 - p) / n)
    lo = np.full(len(t), np.nan)
    hi = np.full(len(t), np.nan)
    if bepaald.any():
        lo[bepaald], hi[bepaald] = proportion_confint(a[bepaald], n[bepaald], alpha=0.05, method="wilson")
    t["vng_ci_laag"], t["vng_ci_hoog"] = lo, hi
    with np.errstate(invalid="ignore", divide="ignore"):
        t["vng_zonder_onbepaald"] = np.where(nb > 0, a / nb, np.nan)
    t["vng_lopend_actief"] = (a + t["n_onbepaald"].to_numpy()) / n
    return t.drop(columns="_actief")
