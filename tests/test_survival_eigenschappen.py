"""Hand-computed answers and invariances of the survival estimators (no R needed)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.survival import cox, cumulative_incidence, kaplan_meier


def test_km_by_hand_with_delayed_entry():
    # rows (start, stop]: A (0,2] event, B (0,3] cens, C (1,3] event, D (2,4] event
    d = pd.DataFrame({"start": [0, 0, 1, 2], "stop": [2, 3, 3, 4], "e": [1, 0, 1, 1]})
    km = kaplan_meier(d, start="start", stop="stop", event="e").to_frame()
    # t=2: at risk A,B,C (D enters at 2, not at risk at 2) -> 3, 1 event; t=3: B,C,D -> 3, 1 event
    # t=4: D -> 1, 1 event
    assert km["n_risk"].tolist() == [3, 3, 1]
    np.testing.assert_allclose(km["survival"], [2 / 3, 4 / 9, 0.0], atol=1e-12)
    gw = np.sqrt(1 / (3 * 2))
    np.testing.assert_allclose(km["se"].iloc[0], 2 / 3 * gw, atol=1e-12)
    at = kaplan_meier(d, start="start", stop="stop", event="e").at([0.5, 2, 2.5, 10])
    np.testing.assert_allclose(at["survival"], [1, 2 / 3, 2 / 3, 0.0])
    assert at["na_na_laatste"].tolist() == [False, False, False, True]


def test_cif_by_hand_and_not_one_minus_km():
    # 4 subjects from 0: t=1 werk, t=2 other exit, t=3 werk, t=4 censored
    d = pd.DataFrame({"stop": [1, 2, 3, 4], "status": [1, 2, 1, 0]})
    cif = cumulative_incidence(d, stop="stop", event="status", cause=1).to_frame()
    # F(1)=1/4; S(1)=3/4; t=2 other; S(2)=1/2; F(3)=1/4 + 1/2*1/2 = 1/2
    np.testing.assert_allclose(cif["cif"], [0.25, 0.25, 0.5, 0.5])
    km_werk = kaplan_meier(d.assign(w=(d.status == 1) * 1), stop="stop", event="w").to_frame()
    assert 1 - km_werk["survival"].iloc[-1] > cif["cif"].iloc[-1] + 0.1  # 1 - KM overstates


def test_cif_all_causes_plus_survival_is_one():
    d = pd.read_csv("tests/reference/data/sim_survival.csv")
    tot = sum(cumulative_incidence(d, start="start", stop="stop", event="status", cause=k).to_frame()["cif"]
              for k in (1, 2, 3))
    km = kaplan_meier(d.assign(a=(d.status > 0) * 1), start="start", stop="stop", event="a").to_frame()
    np.testing.assert_allclose(tot + km["survival"], 1.0, atol=1e-12)


def _spells(seed=3, n=300):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.integers(0, 2, n)
    t = np.ceil(rng.exponential(10 * np.exp(-0.5 * x), n))
    c = rng.integers(5, 30, n)
    return pd.DataFrame({"id": np.arange(n), "stop": np.minimum(t, c).astype(float),
                         "status": (t <= c).astype(int), "x": x, "z": z})


def test_split_static_rows_equal_plain_cox():
    d = _spells()
    plain = cox("status ~ x + z", d, stop="stop")
    # split every spell at integer times that coincide with event times (the statsmodels trap)
    rows = []
    for r in d.itertuples():
        cuts = [0.0] + [c for c in (2.0, 5.0, 9.0) if c < r.stop] + [r.stop]
        for a, b in zip(cuts[:-1], cuts[1:]):
            rows.append((r.id, a, b, r.status if b == r.stop else 0, r.x, r.z))
    long = pd.DataFrame(rows, columns=["id", "start", "stop", "status", "x", "z"])
    split = cox("status ~ x + z", long, start="start", stop="stop")
    np.testing.assert_allclose(split.params, plain.params, rtol=1e-10)
    np.testing.assert_allclose(split.se_model, plain.se_model, rtol=1e-10)
    rob_plain = cox("status ~ x + z", d, stop="stop", robust=True)
    rob_split = cox("status ~ x + z", long, start="start", stop="stop", cluster="id")
    np.testing.assert_allclose(rob_split.se_robust, rob_plain.se_robust, rtol=1e-10)
    # statsmodels PHReg with entry = start does not reproduce this (documented trap)
    from statsmodels.duration.hazard_regression import PHReg

    sm = PHReg(long["stop"], long[["x", "z"]], status=long["status"], entry=long["start"], ties="efron").fit()
    assert np.max(np.abs(sm.params - plain.params.to_numpy())) > 1e-3


def test_cause_specific_censors_other_causes():
    d = pd.read_csv("tests/reference/data/sim_survival.csv")
    a = cox("werk ~ x1 + x2", d, start="start", stop="stop")
    b = cox("w ~ x1 + x2", d.assign(w=(d.status == 1).astype(int)), start="start", stop="stop")
    c = cox(None, d, covariates=["x1", "x2"], start="start", stop="stop", cause=1)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    np.testing.assert_allclose(a.params, c.params, rtol=1e-12)


def test_duplicating_clusters_halves_robust_variance_scaling():
    d = _spells()
    # Breslow: duplicating every subject doubles all risk-set sums (Efron's tie correction is not
    # invariant to duplication), so beta is unchanged and the sandwich variance halves
    one = cox("status ~ x + z", d, stop="stop", cluster="id", ties="breslow")
    two = cox("status ~ x + z", pd.concat([d, d.assign(id=d.id + 10_000)]), stop="stop", cluster="id",
              ties="breslow")
    np.testing.assert_allclose(two.params, one.params, rtol=1e-8)
    np.testing.assert_allclose(two.se_robust ** 2, one.se_robust ** 2 / 2, rtol=1e-6)


def test_input_not_mutated_and_result_frames():
    d = _spells()
    before = d.copy()
    res = cox("status ~ x + C(z)", d, stop="stop")
    pd.testing.assert_frame_equal(d, before)
    fr = res.to_frame()
    assert {"term", "coef", "se", "hr", "hr_ci_laag", "hr_ci_hoog", "p", "n", "events"} <= set(fr.columns)
    assert (fr["hr_ci_laag"] < fr["hr"]).all() and (fr["hr"] < fr["hr_ci_hoog"]).all()
    assert "gebeurtenissen" in res.summary()
    with pytest.raises(Exception):
        res.n = 3  # frozen
