"""E-values (VanderWeele & Ding 2017, worked values)."""
import numpy as np

from evaluatie.effecten.gevoeligheid import e_waarde, e_waarde_ci, kwetsbaar


def test_e_waarde_known_values():
    # RR = 2 -> 2 + sqrt(2) = 3.414; RR = 3.9 -> 7.26 (VanderWeele & Ding's example)
    np.testing.assert_allclose(e_waarde(2.0), 2 + np.sqrt(2))
    np.testing.assert_allclose(e_waarde(3.9), 7.26, atol=0.01)
    np.testing.assert_allclose(e_waarde(0.5), e_waarde(2.0))
    assert e_waarde(1.0) == 1.0


def test_e_waarde_ci():
    assert e_waarde_ci(1.3, 0.9, 1.8) == 1.0
    np.testing.assert_allclose(e_waarde_ci(2.0, 1.5, 2.5), e_waarde(1.5))
    np.testing.assert_allclose(e_waarde_ci(0.5, 0.3, 0.8), e_waarde(0.8))
    assert kwetsbaar(1.0) and not kwetsbaar(3.0)
