"""The return-to-benefit CIF and the restricted mean time in state against R survival::survfit.

Fixtures: tests/reference/terugval_survfit.R on the data of tests/reference/terugval_maak_data.py.
Tolerances: CIF and occupation probabilities and restricted means 1e-10 absolute (same estimator, only
rounding differs). SE of the CIF: R gives the infinitesimal-jackknife SE, the package Gray's delta-method
SE (as cmprsk); without delayed entry they agree to within 0.7 % relative here, tolerance 2 % relative where
the SE is above 0.005.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.survival import cumulative_incidence
from evaluatie.uitkeringsmaanden import restricted_mean, toestandskansen

FIX = Path(__file__).parent / "reference" / "fixtures" / "terugval"


@pytest.fixture(scope="module")
def rijen():
    return pd.read_csv(FIX / "terugval_rijen.csv", dtype={"categorie": str})


def test_cif_equals_r(rijen):
    r = pd.read_csv(FIX / "r_cif.csv")
    res = cumulative_incidence(rijen.assign(alle="alle"), stop="tijd", event="status", cause=1, group="alle")
    eigen = res.at(r.loc[r["group"] == "alle", "time"].to_numpy())
    np.testing.assert_allclose(eigen["cif"], r.loc[r["group"] == "alle", "cif"], atol=1e-10)
    for g in sorted(rijen["categorie"].unique()):
        sub = rijen[rijen["categorie"] == g]
        rg = r[r["group"] == g]
        e = cumulative_incidence(sub.assign(g=g), stop="tijd", event="status", cause=1, group="g").at(rg["time"].to_numpy())
        np.testing.assert_allclose(e["cif"], rg["cif"], atol=1e-10)
    se_r = r.loc[r["group"] == "alle", "se"].to_numpy()
    groot = se_r > 0.005
    np.testing.assert_allclose(eigen["se"].to_numpy()[groot], se_r[groot], rtol=0.02)


def test_cif_at_cbs_windows_equals_r(rijen):
    from evaluatie.terugval import TERUGVAL  # noqa: F401  (status code 1 = terugval)
    r = pd.read_csv(FIX / "r_cif_6_12_18.csv")
    res = cumulative_incidence(rijen.assign(alle="alle"), stop="tijd", event="status", cause=1, group="alle")
    np.testing.assert_allclose(res.at([6, 12, 18])["cif"], r["cif"], atol=1e-10)


def test_occupation_and_restricted_mean_equal_r():
    m = pd.read_csv(FIX / "terugval_meertoestand.csv", keep_default_na=False, na_values=[""])
    k = toestandskansen(m)
    ps = pd.read_csv(FIX / "r_pstate.csv")
    i = np.searchsorted(k.tijd, ps["time"].to_numpy(), side="right") - 1
    for j, s in enumerate(("uitkering", "werk", "overig")):
        np.testing.assert_allclose(k.p[i, j], ps[f"p_{s}"], atol=1e-10)
    rm = pd.read_csv(FIX / "r_rmean.csv")
    for tau, sub in rm.groupby("tau"):
        eigen = dict(zip(("uitkering", "werk", "overig"), restricted_mean(k, tau)))
        for _, row in sub.iterrows():
            assert eigen[row["toestand"]] == pytest.approx(row["rmean"], abs=1e-10), (tau, row["toestand"])
