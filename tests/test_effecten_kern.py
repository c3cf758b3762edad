"""Named per-method results of one estimation pass; att, deadweight and toerekenbaar derived in one place."""
from __future__ import annotations

import numpy as np

from evaluatie.effecten.kern import (GROOTHEDEN, Celschatting, Naief, Pass, Populatieschatting, Vectorindeling,
                                     contrast)


def test_contrast_op_papier():
    c = contrast(np.array([0.2, 0.5, 0.0]), np.array([0.1, 0.4, 0.0]))
    np.testing.assert_allclose(c.att, [0.1, 0.1, 0.0])
    np.testing.assert_allclose(c.deadweight[:2], [0.5, 0.8])
    assert np.isnan(c.deadweight[2])  # CIF1 = 0: no deadweight
    np.testing.assert_allclose(c.toerekenbaar[:2], [0.5, 0.2])


def test_vector_en_namen_horen_bij_elkaar():
    H = 3
    g = contrast(np.array([0.2, 0.3, 0.4]), np.array([0.1, 0.1, 0.2]))
    r = contrast(np.array([0.25, 0.35, 0.45]), np.array([0.05, 0.1, 0.15]))
    cel_instr = Celschatting(g, r, Naief(np.array([0.0, 0.1, 0.2]), np.array([0.25, 0.25, 0.25])))
    cel_pool = Celschatting(contrast(np.array([0.3, 0.3, 0.3]), np.array([0.3, 0.3, 0.3])))
    pop = Populatieschatting(0.02, 5.0, 250.0, 40.0, np.array([[0.01, 1.0, 100.0, 10.0], [0.03, 4.0, 150.0, 30.0]]))
    p = Pass((cel_instr, cel_pool), pop, np.zeros((0, H)))
    v = p.als_vector(H)
    vi = Vectorindeling(2, H)
    assert v.size == 2 * len(GROOTHEDEN) * H + 4 + 8
    np.testing.assert_allclose(vi.cel(v, 0, "att_risicoset"), [0.2, 0.25, 0.3])
    np.testing.assert_array_equal(vi.cel(v, 0, "naief"), [0.25, 0.25, 0.25])
    np.testing.assert_array_equal(vi.cel(v, 1, "att_gformule"), [0.0, 0.0, 0.0])
    assert np.isnan(vi.cel(v, 1, "att_risicoset")).all()  # pooled cell: no risk-set design
    np.testing.assert_array_equal(vi.populatie(v), [0.02, 5.0, 250.0, 40.0, 0.01, 1.0, 100.0, 10.0, 0.03, 4.0, 150.0, 30.0])
    # a matrix of replicates (B rows) is read with the same names
    M = np.vstack([v, 2 * v])
    np.testing.assert_array_equal(vi.cel(M, 0, "cif_controle_gformule")[1], 2 * g.cif_controle)


def test_uitstroomcodes_een_thuis():
    from evaluatie.prepare import codes
    from evaluatie.survival.ontwerp import UITSTROOM_OORZAKEN

    np.testing.assert_array_equal(codes.werk_of_ander(np.array([0, 1, 2, 3, 4, 5])), [0, 1, 2, 2, 2, 2])
    assert UITSTROOM_OORZAKEN == dict(codes.UITSTROOM_OORZAKEN) == {
        "werk": 1, "verhuizing": 2, "huishoudenswijziging": 3, "pensioen_leeftijd": 4, "overig": 5}


def test_een_productlimiet_motor_op_papier():
    from evaluatie.survival.productlimiet import hazard, incidentie, overleving

    # 10 at risk, 2 to werk and 1 other in month 1; 7 at risk, 1 to werk in month 2; nobody at risk in month 3
    n, dw, do = np.array([10.0, 7.0, 0.0]), np.array([2.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    S, S_voor = overleving((hazard(dw, n), hazard(do, n)))
    np.testing.assert_allclose(S, [0.7, 0.6, 0.6])
    np.testing.assert_allclose(S_voor, [1.0, 0.7, 0.6])
    np.testing.assert_allclose(incidentie(S_voor, hazard(dw, n)), [0.2, 0.3, 0.3])
