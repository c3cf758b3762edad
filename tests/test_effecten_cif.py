"""Weighted discrete-time Aalen-Johansen and CIF from hazards, checked on paper."""
import numpy as np

from evaluatie.effecten.cif import aalen_johansen, cif_uit_hazards


def test_aalen_johansen_by_hand():
    # 4 entries: werk in month 1, other in month 2, censored after month 2, werk in month 3
    T = np.array([1, 2, 2, 3])
    e = np.array([1, 2, 0, 1])
    cw, co, R = aalen_johansen(T, e, None, 4)
    # month 1: R=4, werk 1 -> CIF_w = 1/4, S = 3/4
    # month 2: R=3, other 1 -> CIF_o = 3/4 * 1/3 = 1/4, S = 1/2
    # month 3: R=1 (censored one left after month 2), werk 1 -> CIF_w += 1/2
    np.testing.assert_allclose(cw, [0.25, 0.25, 0.75, 0.75])
    np.testing.assert_allclose(co, [0.0, 0.25, 0.25, 0.25])
    np.testing.assert_allclose(R, [4, 3, 1, 0])


def test_aalen_johansen_weights_equal_duplication():
    T = np.array([1, 2, 3, 3, 5])
    e = np.array([1, 0, 2, 1, 0])
    w = np.array([2.0, 1.0, 3.0, 1.0, 2.0])
    dup = np.repeat(np.arange(5), w.astype(int))
    a = aalen_johansen(T, e, w, 6)
    b = aalen_johansen(T[dup], e[dup], None, 6)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y)


def test_cif_from_hazards_by_hand():
    hw = np.array([0.1, 0.2])
    ho = np.array([0.3, 0.0])
    # CIF(1) = 0.1; S(1) = 0.6; CIF(2) = 0.1 + 0.6*0.2 = 0.22
    np.testing.assert_allclose(cif_uit_hazards(hw, ho), [0.1, 0.22])
