"""The simulator after the first exit: return to benefit in every world, durable exit, months on benefit.

The expected truth is checked by hand on a one-person configuration; the realised truth against the
expected one on a default population; common random numbers by a configuration where no instrument
works (every realised and expected difference is exactly 0).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from evaluatie.simulatie import SimulatieConfig, nul_effecten, simuleer
from evaluatie.simulatie.config import INSTRUMENTEN, InstrumentEffect
from evaluatie.simulatie.paden import Clienten, Paden, Spells
from evaluatie.simulatie.populatie import terugvalkans
from evaluatie.simulatie.trajecten import instrumenttabellen
from evaluatie.simulatie.verwachting import verwachte_na_uitstroom
from evaluatie.simulatie.waarheid_na import na_uitstroom_frame


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_terugvalkans_by_hand():
    cfg = SimulatieConfig(terugval_hazard=(0.1, 0.2, 0.3))
    f = terugvalkans(cfg, 0.0)
    assert f[0] == pytest.approx(0.1)
    assert f[6] == pytest.approx(1 - 0.9 ** 6 * 0.8)
    assert f[12] == pytest.approx(1 - 0.9 ** 6 * 0.8 ** 6 * 0.7)
    # a shift of log(9) on the log-odds turns 0.1 into 0.5
    assert terugvalkans(cfg, math.log(9.0))[0] == pytest.approx(0.5)


def test_expected_truth_by_hand_on_one_person():
    """One client in categorie A (trede 5 = reference), 30 years old, all months in 2017, no other exits.

    Monthly work probability p = 0.2 on the first spell; a job is lost with probability h = 0.5 a month
    without the instrument and 0.75 with it (baan = log 3); a return spell has trede 4/5/6 with probability
    .35/.50/.15, so its work probability is p_r = sum pi_t expit(logit(0.2) + 0.15 (t - 5)).
    """
    p, h0 = 0.2, 0.5
    effect = InstrumentEffect("praktijkovereenkomst", "A", 0.0, 0.0, math.log(3.0))
    cfg = SimulatieConfig(werk_intercept=(_logit(p), -3.35, -4.75), duur_werk=0.0, overig_intercepts=(-60, -60, -60),
                          doorstroom_ba=0.0, doorstroom_cb=0.0, terugval_hazard=(h0, h0, h0),
                          effecten=(effect,), duurzaam=(2,), duurzaam_horizonnen=(3,),
                          uitkeringsmaanden_horizonnen=(4,))
    tab = instrumenttabellen(cfg)
    start = 2017 * 12 + 0                                  # January 2017; d = 1 -> months Feb..May 2017
    clienten = Clienten(geboorte=np.array([start - 30 * 12]), geslacht=np.array([0]), opleiding=np.array([1]),
                        statushouder=np.array([False]), speciaal_onderwijs=np.array([False]),
                        gemeente=np.array([1]), u=np.array([0.0]), nugger=np.array([False]))
    spells = Spells(np.array([1], dtype=np.uint64), np.array([0]), np.array([start]), np.array([0], dtype=np.int8))
    feit = Paden(eind=np.array([-1]), reden=np.array([0]), cat_eind=np.array([0]),
                 instrument=np.array([INSTRUMENTEN.index("praktijkovereenkomst")]), d=np.array([1]),
                 duur=np.array([3]), cat_start=np.array([0]),
                 klassen={"spell": np.array([0]), "maand": np.array([0]), "categorie": np.array([0]),
                          "trede": np.array([5]), "inzet": np.array([1])})
    gem = np.zeros(6)  # gemeente effect 0
    v = verwachte_na_uitstroom(cfg=cfg, tab=tab, spells=spells, clienten=clienten, feit=feit,
                               deelnemers=np.array([0]), gemeente_effect=gem, H=3, Hu=4)
    pr = sum(pi * _expit(_logit(p) + 0.15 * (t - 5)) for pi, t in ((0.35, 4), (0.50, 5), (0.15, 6)))
    for h, occ, dz in ((h0, v.op_uitkering_zonder, v.duurzaam_zonder), (0.75, v.op_uitkering_met, v.duurzaam_met)):
        q1, q2 = h, (1 - h) * h                            # P(J = 1), P(J = 2)
        hand = [1.0, 1 - p, (1 - p) ** 2 + p * q1,
                (1 - p) ** 3 + p * q1 * (1 - pr) + p * q2 + (1 - p) * p * q1]
        np.testing.assert_allclose(occ[0], hand, rtol=1e-9, atol=1e-12)
        # durable (k = 2): exit in month t < h and no return in work month 1
        hand_d = [p * (1 - q1), (p + (1 - p) * p) * (1 - q1), (p + (1 - p) * p + (1 - p) ** 2 * p) * (1 - q1)]
        np.testing.assert_allclose(dz[2][0], hand_d, rtol=1e-9, atol=1e-12)


@pytest.fixture(scope="module")
def sim():
    return simuleer(seed=11, n_clienten=4685)


def test_realised_truth_close_to_expected(sim):
    g = sim.waarheid["na_uitstroom_gepoold"]
    n = g["n_deelnemers"]
    assert n > 1000
    for sleutel, v in g["duurzaam"].items():
        # a difference of two shares with the same draws; 0.012 is about 3 SE at n ~ 3800
        assert abs(v["att_nooit"] - v["att_verwacht"]) < 0.012, (sleutel, v)
        assert abs(v["deelnemers"] - v["deelnemers_verwacht"]) < 0.03, (sleutel, v)
    for sleutel, v in g["uitkeringsmaanden"].items():
        assert abs(v["verschil_nooit"] - v["verschil_verwacht"]) < 0.15, (sleutel, v)
        assert abs(v["deelnemers"] - v["deelnemers_verwacht"]) < 0.8, (sleutel, v)
    assert 0 < g["uitkeringsmaanden_vervolgtraject"] < 0.05


def test_temporary_wage_subsidy_raises_exit_but_lowers_durable_exit(sim):
    """incidentele loonkostensubsidie: more first exits, but its jobs end with the subsidy (baan > 0)."""
    for cat in ("A", "B"):
        v = sim.waarheid["effecten"]["incidentele_loonkostensubsidie"][cat]
        assert v["att_verwacht"][23] > 0.03
        assert v["duurzaam"]["k12_h24"]["att_verwacht"] < -0.01
        assert v["baan"] > 0
    jc = sim.waarheid["effecten"]["jobcoaching"]["B"]
    # jobcoaching (baan < 0): the durable effect keeps more than the baseline durable share (about 0.8)
    # of the first-exit effect
    assert jc["duurzaam"]["k12_h24"]["att_verwacht"] > 0.75 * jc["att_verwacht"][23] > 0


def test_truth_frame_has_every_cell_and_the_pooled_row(sim):
    f = na_uitstroom_frame(sim.waarheid)
    assert set(f["grootheid"]) == {"duurzaam", "uitkeringsmaanden"}
    assert set(f.loc[f["grootheid"] == "uitkeringsmaanden", "horizon"]) == {12, 24, 36}
    assert set(f.loc[f["grootheid"] == "duurzaam", "k"]) == {6, 12}
    assert (f["instrument"] == "alle").any()
    assert len(f.groupby(["instrument", "categorie"])) == 19


def test_no_instrument_effect_means_exactly_no_difference():
    """With every effect 0 the worlds coincide spell by spell (same draws), also after the first exit."""
    sim = simuleer(seed=5, n_clienten=900, config=SimulatieConfig(effecten=nul_effecten()))
    g = sim.waarheid["na_uitstroom_gepoold"]
    for v in g["duurzaam"].values():
        assert v["att_nooit"] == 0.0 and v["att_wachten"] == 0.0
        assert v["att_verwacht"] == pytest.approx(0.0, abs=1e-12)
    for v in g["uitkeringsmaanden"].values():
        assert v["verschil_nooit"] == 0.0
        assert v["verschil_verwacht"] == pytest.approx(0.0, abs=1e-9)


def test_months_on_benefit_bounded_and_monotone(sim):
    g = sim.waarheid["na_uitstroom_gepoold"]["uitkeringsmaanden"]
    m = [g[f"m{H}"]["deelnemers"] for H in (12, 24, 36)]
    assert 0 < m[0] <= 12 and m[0] < m[1] < m[2] <= 36
    assert m[1] - m[0] <= 12 and m[2] - m[1] <= 12


def test_observed_chain_check_catches_a_shifted_return(monkeypatch):
    """simuleer checks that the observed world's chain equals the observed spells; a chain whose return
    spells start one month late must be caught."""
    import evaluatie.simulatie.keten as keten
    from evaluatie.simulatie.populatie import terugval as echte_terugval

    def later(*args, **kwargs):
        nieuw, ouder = echte_terugval(*args, **kwargs)
        return Spells(nieuw.key, nieuw.client, nieuw.start + 1, nieuw.categorie0), ouder

    monkeypatch.setattr(keten, "terugval", later)
    with pytest.raises(AssertionError, match="keten in de feitelijke wereld"):
        simuleer(seed=2, n_clienten=600)


def test_attributable_durable_share_truth_zero_without_effects():
    """With every effect 0 the attributable share of durable exits is exactly 0, realised and expected."""
    sim = simuleer(seed=5, n_clienten=900, config=SimulatieConfig(effecten=nul_effecten()))
    p = sim.waarheid["populatie"]
    for k in sim.waarheid["config"]["duurzaam"]:
        assert p[f"toegerekende_duurzame_uitstroom_{k}"] == 0.0
        assert p[f"toerekenbaar_aandeel_duurzaam_{k}"] == 0.0
        assert p[f"toerekenbaar_aandeel_duurzaam_{k}_verwacht"] == pytest.approx(0.0, abs=1e-9)


def test_durable_exits_in_window_reconcile_with_the_estimator_count():
    """The truth's denominator (durable exits with k months of follow-up, counted by the simulator from its
    own spells) equals the count the estimator makes from the exported tables: two independent routes."""
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden

    sim = simuleer(seed=3, n_clienten=1200)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=0, min_schatten=10 ** 9))
    pop = r.populatie.set_index("maat").schatting
    for k in (6, 12):
        assert pop[f"uitstroom_duurzaam_{k}"] == sim.waarheid["populatie"][f"duurzame_uitstroom_{k}_waargenomen"]
        # a longer follow-up requirement leaves fewer durable exits
    assert (sim.waarheid["populatie"]["duurzame_uitstroom_12_waargenomen"]
            < sim.waarheid["populatie"]["duurzame_uitstroom_6_waargenomen"]
            < sim.waarheid["populatie"]["werk_uitstroom_waargenomen"])
