"""evaluatie.survival against R survival 3.x / cmprsk (fixtures from tests/reference/survival_fixtures.R).

Tolerances: coefficients 1e-6 relative, SEs (model and robust) 1e-5 relative, log-likelihood 1e-8
relative, KM and CIF values (and Gray variance) 1e-8 absolute, cox.zph chi-square 1e-6 relative.
"""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.survival import cox, cumulative_incidence, kaplan_meier

REF = Path(__file__).parent / "reference"
FIX = REF / "fixtures" / "survival"
DATA = REF / "data"


def _fx(name: str) -> dict:
    return json.loads((FIX / name).read_text())


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    return pd.read_csv(DATA / "rossi.csv")


@pytest.fixture(scope="module")
def rossi_long() -> pd.DataFrame:
    return pd.read_csv(DATA / "rossi_long.csv")


@pytest.fixture(scope="module")
def sim() -> pd.DataFrame:
    d = pd.read_csv(DATA / "sim_survival.csv")
    d["any"] = (d["status"] > 0).astype(int)
    return d


RHS = "fin + age + race + wexp + mar + paro + prio"


def _check_cox(res, ref: dict, robust: bool) -> None:
    # same terms in the same order (R names a factor level 'factor(v)L', patsy 'C(v)[T.L]')
    r_namen = [re.sub(r"^factor\((\w+)\)(\w+)$", r"C(\1)[T.\2]", n) for n in ref["names"]]
    assert list(res.params.index) == r_namen
    np.testing.assert_allclose(res.params.to_numpy(), ref["coef"], rtol=1e-6)
    np.testing.assert_allclose(res.se_model.to_numpy(), ref["se"], rtol=1e-5)
    np.testing.assert_allclose([res.loglik_null, res.loglik], ref["loglik"], rtol=1e-8)
    assert res.n_events == ref["nevent"]
    assert res.iterations == ref["iter"]
    if robust:
        np.testing.assert_allclose(res.se_robust.to_numpy(), ref["robust_se"], rtol=1e-5)
        np.testing.assert_allclose(res.se.to_numpy(), ref["robust_se"], rtol=1e-5)
    else:
        assert res.se_robust is None
    z = res.ph_test().to_frame()
    assert list(z["df"]) == ref["zph"]["df"]
    np.testing.assert_allclose(z["chisq"].to_numpy(), ref["zph"]["chisq"], rtol=1e-6)
    np.testing.assert_allclose(z["p"].to_numpy(), ref["zph"]["p"], rtol=1e-5)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_rossi_fixed(rossi, ties):
    res = cox(f"arrest ~ {RHS}", rossi, stop="week", ties=ties)
    _check_cox(res, _fx(f"rossi_cox_{ties}.json"), robust=False)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_rossi_time_varying_employed_cluster(rossi_long, ties):
    res = cox(f"arrest ~ {RHS} + employed", rossi_long, start="start", stop="stop", cluster="id", ties=ties)
    _check_cox(res, _fx(f"rossi_tv_cox_{ties}.json"), robust=True)
    assert res.n_clusters == rossi_long["id"].nunique() == 431  # one person arrested in week 1 has no lagged row


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_sim_cause_specific_strata_cluster(sim, ties):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warnings expected on this well-behaved model
        res = cox("werk ~ x1 + x2 + instr_in + instr_na", sim, start="start", stop="stop",
                  strata="categorie", cluster="client_id", ties=ties)
    assert res.spec.cause == 1 and res.spec.event == "status"
    _check_cox(res, _fx(f"sim_cox_{ties}.json"), robust=True)


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_sim_cause2_factor_term(sim, ties):
    res = cox("verhuizing ~ x1 + x2 + instr_in + C(categorie)", sim, start="start", stop="stop", ties=ties)
    _check_cox(res, _fx(f"sim_cox2_{ties}.json"), robust=False)
    assert list(res.ph_test().to_frame()["term"])[-2:] == ["C(categorie)", "GLOBAL"]


def test_cox_without_formula_equals_formula(sim):
    sim = sim.assign(cB=(sim.categorie == "B") * 1.0, cC=(sim.categorie == "C") * 1.0)
    a = cox(None, sim, covariates=["x1", "x2", "instr_in", "cB", "cC"], start="start", stop="stop",
            cause=2)
    ref = _fx("sim_cox2_efron.json")
    np.testing.assert_allclose(a.params.to_numpy(), ref["coef"], rtol=1e-6)


#: our column -> the R fixture's (the fixtures keep the names survival_fixtures.R writes)
KM_COLS = {"time": "time", "n_risk": "n_risk", "n_event": "n_event", "n_censor": "n_censor", "survival": "survival",
           "se": "se", "ci_laag": "ci_lower", "ci_hoog": "ci_upper"}


@pytest.mark.parametrize("fixture,kwargs", [
    ("sim_km.csv", dict(start="start")),
    ("sim_km_cat.csv", dict(start="start", group="categorie")),
])
def test_km_delayed_entry_vs_r(sim, fixture, kwargs):
    ref = pd.read_csv(FIX / fixture)
    got = kaplan_meier(sim, stop="stop", event="any", **kwargs).to_frame()
    assert len(got) == len(ref)
    for c, r in KM_COLS.items():
        np.testing.assert_allclose(got[c].to_numpy(float), ref[r].to_numpy(float), atol=1e-8, err_msg=c)
    if "group" in kwargs:
        assert list(got["group"]) == list(ref["group"])


@pytest.mark.parametrize("fixture,group", [("rossi_km.csv", None), ("rossi_km_fin.csv", "fin")])
def test_km_rossi_vs_r(rossi, fixture, group):
    ref = pd.read_csv(FIX / fixture)
    got = kaplan_meier(rossi, stop="week", event="arrest", group=group).to_frame()
    for c, r in KM_COLS.items():
        np.testing.assert_allclose(got[c].to_numpy(float), ref[r].to_numpy(float), atol=1e-8, err_msg=c)


def test_cif_delayed_entry_vs_r_multistate(sim):
    ref = pd.read_csv(FIX / "sim_aj_entry.csv")
    for k in (1, 2, 3):
        got = cumulative_incidence(sim, start="start", stop="stop", event="status", cause=k).to_frame()
        np.testing.assert_allclose(got["time"], ref["time"], atol=0)
        np.testing.assert_allclose(got["n_risk"], ref["n_risk"], atol=0)
        np.testing.assert_allclose(got["cif"], ref[f"cif{k}"], atol=1e-8)
    # Gray's variance with delayed entry is not R's infinitesimal-jackknife SE, but close
    got = cumulative_incidence(sim, start="start", stop="stop", event="status", cause=1).to_frame()
    np.testing.assert_allclose(got["se"], ref["se1_ij"], rtol=0.05)


def test_cif_by_group_vs_r(sim):
    ref = pd.read_csv(FIX / "sim_aj_entry_cat.csv")
    got = cumulative_incidence(sim, start="start", stop="stop", event="status", cause=1,
                               group="categorie").to_frame()
    assert list(got["group"]) == list(ref["group"])
    np.testing.assert_allclose(got["cif"], ref["cif1"], atol=1e-8)


@pytest.mark.parametrize("k", [1, 2])
def test_cif_vs_cmprsk_cuminc_gray_variance(k):
    spells = pd.read_csv(DATA / "sim_spells_noentry.csv")
    ref = pd.read_csv(FIX / "sim_cuminc.csv")
    got = cumulative_incidence(spells, stop="stop", event="status", cause=k).to_frame()
    np.testing.assert_allclose(got["time"], ref["time"])
    np.testing.assert_allclose(got["cif"], ref[f"cif{k}"], atol=1e-8)
    np.testing.assert_allclose(got["se"] ** 2, ref[f"var{k}"], atol=1e-8, rtol=1e-7)


def test_cif_no_entry_vs_r_multistate():
    spells = pd.read_csv(DATA / "sim_spells_noentry.csv")
    ref = pd.read_csv(FIX / "sim_aj_noentry.csv")
    got = cumulative_incidence(spells, stop="stop", event="status", cause=1).to_frame()
    np.testing.assert_allclose(got["cif"], ref["cif1"], atol=1e-8)
