"""Deadweight, attributable share and the raad sentence, by hand."""
import numpy as np

from evaluatie.deadweight import deadweight, toerekenbaar_aandeel, zin_toerekenbaar


def test_deadweight_by_hand():
    np.testing.assert_allclose(deadweight([0.5, 0.2, 0.0], [0.4, 0.25, 0.1]), [0.8, 1.25, np.nan])


def test_toerekenbaar_aandeel_by_hand():
    met = np.array([1, 1, 0, 1])
    zonder = np.array([0.5, 0.9, 0.1, 0.5])
    w = np.ones(4)
    # attributable = (1-.5)+(1-.9)+(0-.1)+(1-.5) = 1.0 out of 10 exits to werk in the window
    a, n = toerekenbaar_aandeel(met, zonder, w, 10.0)
    assert np.isclose(n, 1.0) and np.isclose(a, 0.1)
    # doubling a participant's weight counts it twice
    a2, n2 = toerekenbaar_aandeel(met, zonder, np.array([2.0, 1, 1, 1]), 10.0)
    assert np.isclose(n2, 1.5)


def test_zin():
    z = zin_toerekenbaar(0.123, 0.05, 0.2)
    assert z == "12,3% (95%-BI 5,0–20,0%) van de uitstroom naar werk is toe te rekenen aan de inzet van instrumenten."
    # one builder for report and estimator: n of exits to work, a negative bound, a missing interval
    assert zin_toerekenbaar(0.017, -0.002, 0.03, 1234).startswith(
        "1,7% (95%-BI \u22120,2 tot 3,0%) van de uitstroom naar werk is toe te rekenen aan de inzet van instrumenten "
        "(n = 1.234 uitstromers naar werk).")
    assert zin_toerekenbaar(0.017, float("nan"), float("nan")).startswith("1,7% (95%-BI –) van")
