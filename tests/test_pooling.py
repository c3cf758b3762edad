"""Empirical-Bayes shrinkage (evaluatie.effecten.pooling) against metafor (rma DL + blup) and by hand."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.effecten.pooling import krimp, krimp_per_groep

FIX = Path(__file__).parent / "reference" / "fixtures" / "voorwie"


@pytest.mark.parametrize("naam", ["heterogeen", "homogeen", "twee"])
def test_krimp_gelijk_aan_metafor_blup(naam):
    f = pd.read_csv(FIX / "blup_dl.csv")
    f = f[f["set"] == naam]
    r = krimp(f["yi"].to_numpy(), f["sei"].to_numpy() ** 2)
    assert r.mu == pytest.approx(f["mu"].iloc[0], abs=1e-12)
    assert r.mu_se == pytest.approx(f["mu_se"].iloc[0], abs=1e-12)
    assert r.tau2 == pytest.approx(f["tau2"].iloc[0], abs=1e-12)
    assert np.allclose(r.gekrompen, f["pred"], rtol=0, atol=1e-12)
    assert np.allclose(r.gekrompen_se, f["se"], rtol=0, atol=1e-12)


def test_krimp_met_de_hand():
    # tau^2 = 0: everything goes to the inverse-variance mean (0.1/1 + 0.3/1)/2 = 0.2
    r = krimp(np.array([0.1, 0.3]), np.array([1.0, 1.0]))
    assert r.tau2 == 0 and np.allclose(r.gekrompen, 0.2)
    # one estimate: nothing to pool toward
    assert krimp(np.array([0.4]), np.array([0.01])).gekrompen[0] == 0.4
    with pytest.raises(ValueError, match="positief"):
        krimp(np.array([0.1, 0.2]), np.array([0.0, 1.0]))


def test_krimp_per_groep_laat_ontbrekende_se_staan():
    f = pd.DataFrame({"instrument": ["a", "a", "a", "b"], "schatting": [0.1, 0.12, 0.3, 0.5],
                      "se": [0.05, 0.05, np.nan, 0.1]})
    u = krimp_per_groep(f, ["instrument"])
    assert np.isnan(u["gekrompen"].iloc[2])
    assert u["gekrompen"].iloc[3] == 0.5
    assert u["gekrompen"].iloc[0] == pytest.approx(0.11)  # tau^2 = 0 for (0.1, 0.12) with se 0.05
