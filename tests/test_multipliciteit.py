"""Holm and Romano-Wolf (evaluatie.effecten.multipliciteit) against statsmodels, R and cases we can reason about."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from evaluatie.effecten.multipliciteit import familie, holm, p_normaal, romano_wolf

FIX = Path(__file__).parent / "reference" / "fixtures" / "voorwie"


def test_holm_gelijk_aan_statsmodels():
    rng = np.random.default_rng(3)
    for m in (1, 2, 7, 40):
        p = rng.uniform(0, 0.2, m) ** 2
        assert np.allclose(holm(p), multipletests(p, method="holm")[1], rtol=0, atol=1e-15)


def test_holm_gelijk_aan_r_p_adjust():
    f = pd.read_csv(FIX / "holm.csv")
    assert np.allclose(holm(f["p"].to_numpy()), f["p_holm"].to_numpy(), rtol=0, atol=1e-15)


def test_holm_met_de_hand_en_nan_buiten_de_familie():
    # sorted 0.01, 0.02, 0.04: 3 * 0.01 = 0.03, 2 * 0.02 = 0.04, 1 * 0.04 = 0.04
    assert np.allclose(holm(np.array([0.04, np.nan, 0.01, 0.02])), [0.04, np.nan, 0.03, 0.04], equal_nan=True)


def test_romano_wolf_grote_effecten_altijd_verworpen_nullen_niet():
    rng = np.random.default_rng(0)
    B, m = 400, 6
    se = np.array([0.02, 0.03, 0.01, 0.05, 0.02, 0.04])
    th = np.array([0.5, 0.0, 0.0, 0.0, 0.0, 0.0]) + rng.normal(0, se)
    reps = th + rng.normal(0, se, size=(B, m))
    p = romano_wolf(th, reps)
    assert p[0] == pytest.approx(1 / (B + 1))          # t = 25: no replicate's max comes near it
    assert np.all(p[1:] > 0.05)                          # the nulls are not rejected (|t| < 2 by this seed)
    assert np.all(p >= p[0])


def test_romano_wolf_een_hypothese_is_bootstrap_p_en_niet_lager_dan_holm_bij_onafhankelijkheid():
    rng = np.random.default_rng(5)
    B = 2000
    th = np.array([0.05])
    reps = th + rng.normal(0, 0.025, size=(B, 1))
    se = reps.std(ddof=1)
    expected = (1 + np.sum(np.abs(reps[:, 0] - th[0]) / se >= abs(th[0]) / se)) / (B + 1)
    assert romano_wolf(th, reps)[0] == pytest.approx(expected)
    # perfectly correlated hypotheses: the family acts like one test, so RW is far below Bonferroni/Holm
    z = rng.normal(0, 1, size=(B, 1))
    th5 = np.full(5, 2.2)
    reps5 = th5 + np.repeat(z, 5, axis=1)
    prw = romano_wolf(th5, reps5)
    ph = holm(p_normaal(th5, reps5.std(axis=0, ddof=1)))
    assert np.all(prw < 0.05) and np.all(ph > 0.05)


def test_familie_frame_en_geen_replicaten():
    sl = pd.DataFrame({"cel": ["a", "b"]})
    f = familie("toets", sl, np.array([0.1, 0.0]), np.full((1, 2), np.nan))
    assert np.all(np.isnan(f.p_romano_wolf)) and f.m == 0
    assert list(f.to_frame().columns) == ["cel", "familie", "m", "p", "p_holm", "p_romano_wolf"]
