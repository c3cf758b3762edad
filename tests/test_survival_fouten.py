"""Degenerate input gives a typed Dutch error or a documented warning, never a crash or silent NaN."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evaluatie.survival import NietGeconvergeerd, OverlevingsFout, cox, cumulative_incidence, kaplan_meier


def _d(n=60, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"id": np.arange(n) // 2, "start": 0.0, "stop": rng.integers(1, 20, n).astype(float),
                         "status": rng.integers(0, 3, n), "x": rng.normal(size=n), "g": rng.integers(0, 2, n),
                         "s": np.repeat(["a", "b"], n // 2)})


def test_no_events_is_an_error():
    d = _d().assign(status=0)
    with pytest.raises(OverlevingsFout, match="geen enkele rij"):
        cox("werk ~ x", d, start="start", stop="stop")
    km = kaplan_meier(d, stop="stop", event="status")
    assert (km.to_frame()["survival"] == 1).all() and any("geen gebeurtenissen" in w for w in km.waarschuwingen)
    ci = cumulative_incidence(d, stop="stop", event="status", cause=1)
    assert (ci.to_frame()["cif"] == 0).all() and ci.waarschuwingen


@pytest.mark.parametrize("bad_start", [5.0, 20.0])
def test_zero_length_or_negative_interval_names_rows(bad_start):
    d = _d()
    d.loc[[3, 7], "start"] = d.loc[[3, 7], "stop"] + (0 if bad_start == 5.0 else 1)
    with pytest.raises(OverlevingsFout, match=r"index 3, 7"):
        cox("werk ~ x", d, start="start", stop="stop")
    with pytest.raises(OverlevingsFout, match="lengte nul"):
        kaplan_meier(d, start="start", stop="stop", event="status")


def test_constant_covariate_named():
    d = _d().assign(c=1.0)
    with pytest.raises(OverlevingsFout, match="'?c'? zijn constant|covariaat/covariaten c "):
        cox("werk ~ x + c", d, start="start", stop="stop")


def test_constant_within_every_stratum_named():
    d = _d()
    d["sb"] = (d["s"] == "b").astype(float)
    with pytest.raises(OverlevingsFout, match="sb"):
        cox("werk ~ x + sb", d, start="start", stop="stop", strata="s")


def test_collinear_covariates_named():
    d = _d().assign(x2=lambda f: 2 * f.x + 1)
    with pytest.raises(OverlevingsFout, match="collineair.*x.*x2"):
        cox("werk ~ x + x2 + g", d, start="start", stop="stop")


def test_perfect_separation_warns_like_r():
    d = _d(80)
    d["sep"] = (d["status"] == 1).astype(float)  # only x=1 rows ever exit to work
    with pytest.warns(NietGeconvergeerd, match="covariaat sep.*mogelijk oneindig"):
        res = cox("werk ~ sep + x", d, start="start", stop="stop")
    assert any("sep" in w for w in res.waarschuwingen)
    assert np.isfinite(res.params).all()


def test_single_client_cluster_is_error_without_cluster_fine():
    d = _d().assign(id=7)
    with pytest.raises(OverlevingsFout, match="minstens 2 clusters"):
        cox("werk ~ x", d, start="start", stop="stop", cluster="id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isfinite(cox("werk ~ x", d, start="start", stop="stop").params).all()


def test_bad_options_and_columns():
    d = _d()
    with pytest.raises(OverlevingsFout, match="verwacht een van 'efron', 'breslow'"):
        cox("werk ~ x", d, start="start", stop="stop", ties="exact")
    with pytest.raises(OverlevingsFout, match="ontbreekt"):
        cox("werk ~ x", d, start="begin", stop="stop")
    with pytest.raises(OverlevingsFout, match="geen kolom en geen uitstroomreden"):
        cox("baan ~ x", d, start="start", stop="stop")
    with pytest.raises(OverlevingsFout, match="formule"):
        cox("werk ~ onbekend", d, start="start", stop="stop")
    d2 = d.copy()
    d2.loc[4, "x"] = np.nan
    with pytest.raises(OverlevingsFout):
        cox(None, d2, covariates=["x"], start="start", stop="stop", cause=1)
    with pytest.raises(OverlevingsFout, match="gehele"):
        kaplan_meier(d.assign(status=0.5), stop="stop", event="status")
    with pytest.raises(OverlevingsFout, match="leeg"):
        kaplan_meier(d.iloc[:0], stop="stop", event="status")
