"""The expected truth (exact integration over the true hazards) agrees with the realised truth (draws).

Two independent computations of the same quantities from the same data-generating process: the
simulated counterfactual paths (with their sampling noise) and the month-by-month integration in
:mod:`evaluatie.simulatie.verwachting`. They must agree within the sampling error of the paths.
"""
import numpy as np
import pytest

from evaluatie.simulatie import simuleer
from evaluatie.simulatie.config import SimulatieConfig, nul_effecten


@pytest.fixture(scope="module")
def sim():
    return simuleer(seed=4, n_clienten=20000)


@pytest.mark.parametrize("gerealiseerd,verwacht", [("cif_controle_nooit", "cif_controle_verwacht"),
                                                   ("cif_deelnemers", "cif_deelnemers_verwacht")])
@pytest.mark.parametrize("h", [6, 12, 24])
def test_verwachting_binnen_steekproeffout_van_realisatie(sim, gerealiseerd, verwacht, h):
    z = []
    for per in sim.waarheid["effecten"].values():
        for t in per.values():
            n = t["n_deelnemers"]
            p = t[verwacht][h - 1]
            se = np.sqrt(p * (1 - p) / n)
            z.append((t[gerealiseerd][h - 1] - p) / se)
    z = np.array(z)
    assert len(z) == 18
    assert np.max(np.abs(z)) < 4, z
    assert abs(z.sum() / np.sqrt(len(z))) < 3, z  # no systematic difference across cells


def test_populatie_verwacht_naast_gerealiseerd(sim):
    p = sim.waarheid["populatie"]
    # attributable exits: ~1000 at this size; the realised count has Poisson-like noise of about its root
    verschil = p["werk_uitstroom_waargenomen"] - p["werk_uitstroom_zonder_instrumenten"] - p["toegerekende_uitstroom_verwacht"]
    assert abs(verschil) < 4 * np.sqrt(abs(p["toegerekende_uitstroom_verwacht"]) + 50)


def test_zonder_effecten_is_verwacht_effect_exact_nul():
    s = simuleer(seed=2, n_clienten=1500, config=SimulatieConfig(effecten=nul_effecten()))
    for per in s.waarheid["effecten"].values():
        for t in per.values():
            if t["n_deelnemers"]:
                np.testing.assert_array_equal(t["att_verwacht"], 0.0)
    assert s.waarheid["populatie"]["toerekenbaar_aandeel_verwacht"] == 0.0
