"""Effects after the first exit: durable exit D(h, k) and months on benefit (issue 17).

Expected values on paper (the building blocks), from the simulator's truth (signs, recovery) and from the
definitions (bad input); never from our own output.
"""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten import na_uitstroom as na
from evaluatie.effecten.ontwerp import maak_ontwerp
from evaluatie.effecten.toestand import cif_markov


# -- building blocks on paper -------------------------------------------------------------------------------
def test_months_on_benefit_and_durable_exit_by_hand():
    """The one-person example of tests/test_simulatie_terugval.py: monthly work probability p on the first
    spell, job lost with probability h per work month (the next spell starts in exit month + J + 1), a
    return spell leaves for work with pr a month. Occupation in months 1..4 and D(h, k = 2) on paper."""
    p, h, pr, H = 0.2, 0.5, 0.3, 4
    t = np.arange(1, H + 1)
    cw = 1 - (1 - p) ** t
    co = np.zeros(H)
    s_terug = np.r_[1.0, (1 - h) ** np.arange(1, H)]   # P(g > u): g = J + 1 >= 2
    q = 1 - pr * np.r_[0.0, np.ones(H - 1)]            # on benefit in month s of the return spell (s <= 2 used)
    q[2:] = (1 - pr) ** np.arange(2, H)
    q1, q2 = h, (1 - h) * h
    hand = [1.0, 1 - p, (1 - p) ** 2 + p * q1, (1 - p) ** 3 + p * q1 * (1 - pr) + p * q2 + (1 - p) * p * q1]
    np.testing.assert_allclose(na.op_uitkering(cw, co, s_terug, q), hand, rtol=1e-12)
    # months on benefit over 1..H is the sum
    assert np.cumsum(na.op_uitkering(cw, co, s_terug, q))[-1] == pytest.approx(sum(hand))
    # D(h, 2): exit within h months and no return in work month 1
    hand_d = [p * (1 - q1), (p + (1 - p) * p) * (1 - q1), (p + (1 - p) * p + (1 - p) ** 2 * p) * (1 - q1)]
    np.testing.assert_allclose(cw[:3] * s_terug[1], hand_d, rtol=1e-12)


def test_return_gap_kaplan_meier_by_hand():
    """Gaps (g) and follow-up (f): (2, 10), (none, 1), (3, 2) censored, (1, 5), and an overlap (left out)."""
    no = SimpleNamespace(x_gap=np.array([2, 10 ** 6, 3, 1, -1]), x_fu=np.array([10, 1, 2, 5, 4]),
                         x_geldig=np.array([True, True, True, True, False]))
    s = na.s_terug_km(no, np.arange(5), np.ones(5), 3)
    np.testing.assert_allclose(s, [3 / 4, 3 / 8, 3 / 8])
    # weights count as frequencies
    s2 = na.s_terug_km(no, np.array([0, 0, 1, 2, 3]), np.array([0.5, 0.5, 1, 1, 1]), 3)
    np.testing.assert_allclose(s2, s)


def test_return_spell_occupation_renewal_by_hand():
    """Four return spells (werk in month 1, werk in month 2, other exit in 3, censored in 3) and a given
    return-gap distribution pi0: q(s) from the renewal equation on paper."""
    no = SimpleNamespace(v_T=np.array([1, 2, 3, 3]), v_eind=np.array([1, 1, 2, 0]), v_client=np.arange(4))
    pi0 = np.array([0.1, 0.2, 0.3])
    q = na.q_terugval(no, np.ones(4), pi0, 3)
    S1, S2, f1, f2 = 3 / 4, 1 / 2, 1 / 4, 1 / 4
    q2 = S1 + f1 * pi0[0] * 1.0
    q3 = S2 + f1 * (pi0[0] * q2 + pi0[1] * 1.0) + f2 * pi0[0] * 1.0
    np.testing.assert_allclose(q, [1.0, q2, q3], rtol=1e-12)


def test_cif_markov_other_exits_complete_the_survival():
    """One state, constant hazards: werk a/(1+a+b), other b/(1+a+b) a month; werk CIF unchanged by ``ander``."""
    a, b, H = 0.3, 0.1, 5
    eta = np.log(np.tile([[a, b]], (1, H, 1)))
    args = (eta, np.zeros((1, H), np.int64), np.zeros((1, 1, 2)), np.eye(1), np.zeros(1, np.int64))
    cw, co = cif_markov(*args, ander=True)
    pw, po = a / (1 + a + b), b / (1 + a + b)
    S = (1 - pw - po) ** np.arange(1, H + 1)
    np.testing.assert_allclose(1 - cw[0] - co[0], S, rtol=1e-12)
    np.testing.assert_allclose(co[0], po / (pw + po) * (1 - S), rtol=1e-12)
    np.testing.assert_array_equal(cw, cif_markov(*args))


# -- bad input: overlap and an exit in the last month of the data ------------------------------------------
def _maanden(client, spell, nr, start, n, status_laatst, terugval=0, instr_vanaf=None):
    km = pd.period_range(start, periods=n, freq="M")
    rows = pd.DataFrame({"client_id": client, "spell_id": spell, "spell_nr": nr, "maand": np.arange(n),
                         "kalendermaand": km, "status": 0, "categorie": "A", "terugval": terugval})
    rows.loc[n - 1, "status"] = status_laatst
    jc = np.zeros(n, np.int8)
    if instr_vanaf is not None:
        jc[instr_vanaf:] = 1
    rows["jobcoaching_in"] = jc
    rows["jobcoaching_na"] = np.int8(0)
    return rows


@pytest.fixture(scope="module")
def kleine_pm():
    """A: werk in 2019-03, back on 2019-06 (gap 3); B: werk in 2019-12, the last month (no follow-up);
    C: werk in 2019-04 but the next spell began 2019-03 (overlap); D: jobcoaching from month 2, werk in
    2019-06, never back (follow-up 6 months)."""
    delen = [_maanden("A", 1, 1, "2019-01", 3, 1), _maanden("A", 2, 2, "2019-06", 7, 0, terugval=1),
             _maanden("B", 3, 1, "2019-01", 12, 1), _maanden("C", 4, 1, "2019-01", 4, 1),
             _maanden("C", 5, 2, "2019-03", 3, 2), _maanden("D", 6, 1, "2019-01", 6, 1, instr_vanaf=2)]
    return pd.concat(delen, ignore_index=True)


def test_overlap_and_exit_in_last_month_are_counted_not_dropped(kleine_pm):
    o, _ = maak_ontwerp(kleine_pm, H=12)
    no, warns = na.maak_naontwerp(kleine_pm, o, (6,))
    assert no.telling == {"uitstroom_werk": 4, "overlap": 1, "zonder_nazorg": 1, "terugvalperioden": 1}
    tekst = " ".join(warns)
    assert "overlappende perioden" in tekst and "laatste maand" in tekst
    klant = o.client_ids[no.x_client]
    g = dict(zip(klant, no.x_gap))
    f = dict(zip(klant, no.x_fu))
    assert (g["A"], f["A"]) == (3, 9)
    assert f["B"] == 0 and f["D"] == 6 and g["D"] > 36
    assert not no.x_geldig[list(klant).index("C")]
    # B (no follow-up): censored at 0 months -- no month at risk of a return, so neither a return nor durable
    b = list(klant).index("B")
    assert not (no.t_exit == b).any()
    dz = no.x_geldig & (no.x_fu >= 6) & (no.x_gap > 6)
    assert list(klant[dz]) == ["D"]                    # A returned within 6 months, C left out, B not followed
    # the participant D's exit is linked to its start
    assert no.p_exit.tolist() == [list(klant).index("D")]


# -- end to end on the simulator ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim_resultaat():
    """A small simulated population where incidentele loonkostensubsidie raises first exit strongly and makes
    its jobs end much more often (baan = +2.5), so the two effects have opposite signs beyond noise."""
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import SimulatieConfig, simuleer
    from evaluatie.simulatie.config import STANDAARD_EFFECTEN

    eff = tuple(replace(e, na=1.2, baan=2.5) if e.instrument == "incidentele_loonkostensubsidie" else e
                for e in STANDAARD_EFFECTEN)
    sim = simuleer(seed=3, n_clienten=1200, config=SimulatieConfig(effecten=eff))
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=3, seed=2, duurzaam=(6, 12), uitkeringsmaanden=(12, 24)))
    return sim, r


def test_first_exit_up_durable_exit_down(sim_resultaat):
    sim, r = sim_resultaat
    cel = ("incidentele_loonkostensubsidie", "B")
    t = sim.waarheid["effecten"][cel[0]][cel[1]]
    assert t["att_verwacht"][23] > 0 and t["duurzaam"]["k12_h24"]["att_verwacht"] < 0   # the truth says so
    assert r.waarde(*cel, "att", 24).schatting > 0.05
    for methode in ("gformule", "risicoset"):
        assert r.waarde(*cel, "att", 24, methode, uitkomst="duurzaam_werk_12").schatting < -0.03, methode


def test_effect_table_and_months_table_follow_the_contract(sim_resultaat):
    _, r = sim_resultaat
    e = r.effecten
    assert set(e.uitkomst) == {"werk", "duurzaam_werk_6", "duurzaam_werk_12"}
    for u in ("duurzaam_werk_6", "duurzaam_werk_12"):
        w, d = e[e.uitkomst == "werk"], e[e.uitkomst == u]
        key = ["instrument", "categorie", "maat", "horizon", "methode"]
        assert sorted(map(tuple, w[key].to_numpy().tolist())) == sorted(map(tuple, d[key].to_numpy().tolist()))
    d = e[(e.uitkomst == "duurzaam_werk_6") & (e.maat == "att")]
    assert (d.ci_laag <= d.ci_hoog).all() and d.se.notna().all()
    # a durable exit is an exit: never more durable exits than exits, per cell, method and horizon
    c1 = e[e.maat == "cif_deelnemers"].set_index(["instrument", "categorie", "methode", "horizon", "uitkomst"]).schatting
    assert (c1.xs("duurzaam_werk_6", level="uitkomst") <= c1.xs("werk", level="uitkomst") + 1e-12).all()
    assert (c1.xs("duurzaam_werk_12", level="uitkomst") <= c1.xs("duurzaam_werk_6", level="uitkomst") + 1e-12).all()
    # observed durable exits are counted among the exits
    n = e.set_index(["instrument", "categorie", "methode", "maat", "horizon", "uitkomst"]).n_gebeurtenissen
    assert (n.xs("duurzaam_werk_6", level="uitkomst") <= n.xs("werk", level="uitkomst")).all()
    um = r.uitkeringsmaanden
    assert list(um.columns) == ["instrument", "categorie", "methode", "horizon", "maat", "schatting", "se", "ci_laag",
                                "ci_hoog", "n_deelnemers", "vlag"]
    assert set(um.maat) == {"deelnemers", "controle", "verschil"} and set(um.horizon) == {12, 24}
    p = um.pivot_table(index=["instrument", "categorie", "methode", "horizon"], columns="maat", values="schatting")
    np.testing.assert_allclose(p.verschil, p.deelnemers - p.controle, atol=1e-12)
    assert ((p.deelnemers > 0) & (p.deelnemers <= p.index.get_level_values("horizon"))).all()
    pop = r.populatie.set_index("maat")
    for k in (6, 12):
        v = pop.loc[f"toerekenbaar_aandeel_duurzaam_{k}"]
        assert v.schatting == pytest.approx(pop.loc[f"toegerekende_duurzaam_{k}", "schatting"]
                                            / pop.loc[f"uitstroom_duurzaam_{k}", "schatting"])
    assert pop.loc["uitstroom_duurzaam_12", "schatting"] <= pop.loc["uitstroom_duurzaam_6", "schatting"] \
        <= pop.loc["uitstroom_werk", "schatting"]


def test_reeks_interface(sim_resultaat):
    _, r = sim_resultaat
    H = r.config.horizon
    cellen = r.cellen()
    assert ("alle", "alle", r.n_deelnemers) in cellen
    ins, cat, _ = next(c for c in cellen if c[0] != "alle")
    for g in ("att", "att_duurzaam_6", "att_duurzaam_12", "uitkeringsmaanden_deelnemers", "uitkeringsmaanden_controle",
              "uitkeringsmaanden_verschil"):
        for m in ("gformule", "risicoset"):
            punt, reps = r.reeks(ins, cat, g, m)
            assert punt.shape == (H,) and reps.shape == (3, H)
    punt, _ = r.reeks(ins, cat, "att")
    np.testing.assert_allclose(punt[[11, 23]], [r.waarde(ins, cat, "att", h).schatting for h in (12, 24)])
    d, _ = r.reeks(ins, cat, "att_duurzaam_12", "risicoset")
    assert d[23] == pytest.approx(r.waarde(ins, cat, "att", 24, "risicoset", uitkomst="duurzaam_werk_12").schatting)
    m1, _ = r.reeks(ins, cat, "uitkeringsmaanden_deelnemers")
    m0, _ = r.reeks(ins, cat, "uitkeringsmaanden_controle")
    mv, rv = r.reeks(ins, cat, "uitkeringsmaanden_verschil")
    np.testing.assert_allclose(mv, m1 - m0)
    assert np.all(np.diff(m1) >= -1e-12) and np.all(np.diff(m1) <= 1 + 1e-12)   # cumulative months, <= 1 a month
    um = r.uitkeringsmaanden
    v = um[(um.instrument == ins) & (um.categorie == cat) & (um.methode == "gformule") & (um.maat == "verschil")
           & (um.horizon == 24)]
    assert mv[23] == pytest.approx(v.schatting.iloc[0])
    assert float(np.nanquantile(rv[:, 23], 0.025)) == pytest.approx(v.ci_laag.iloc[0])
    with pytest.raises(KeyError, match="geldig: att, att_duurzaam_6"):
        r.reeks(ins, cat, "duurzaam")
    with pytest.raises(KeyError, match="gformule"):
        r.reeks("alle", "alle", "att", "risicoset")
    with pytest.raises(KeyError, match="geen cel"):
        r.reeks("bestaat_niet", "A", "att")


def test_reeks_without_bootstrap_has_no_replicates(kleine_pm):
    pm = kleine_pm
    r = schat_effecten(pm, Effectconfig(bootstrap=0, horizon=12, horizonnen=(6,), e_horizon=6, duurzaam=(6,),
                                        uitkeringsmaanden=(6, 12), min_schatten=1))
    punt, reps = r.reeks("alle", "alle", "uitkeringsmaanden_verschil")
    assert punt.shape == (12,) and reps.shape == (0, 12)
    assert {"overlap", "laatste maand"} <= {w for w in ("overlap", "laatste maand") if any(w in x for x in r.waarschuwingen)}


def test_config_refuses_bad_k_and_horizons():
    with pytest.raises(ValueError, match="duurzaam"):
        Effectconfig(duurzaam=(0,))
    with pytest.raises(ValueError, match="uitkeringsmaanden"):
        Effectconfig(horizon=24, uitkeringsmaanden=(12, 36))
    assert Effectconfig(duurzaam=()).als_dict()["duurzaam"] == []


def test_without_after_exit_outcomes_the_first_exit_numbers_are_unchanged(sim_resultaat):
    """The after-exit block sits in its own part of the vector: switching it off changes no first-exit number."""
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=4, n_clienten=300)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    a = schat_effecten(pm, Effectconfig(bootstrap=2, duurzaam=()))
    b = schat_effecten(pm, Effectconfig(bootstrap=2))
    pd.testing.assert_frame_equal(a.effecten, b.effecten[b.effecten.uitkomst == "werk"].reset_index(drop=True))
    pd.testing.assert_frame_equal(a.populatie, b.populatie.iloc[: len(a.populatie)])
    assert len(a.uitkeringsmaanden) == 0


def test_fast_interval_equals_percentile_interval():
    from evaluatie.bootstrap import percentiel_interval
    from evaluatie.effecten.na_tabellen import interval

    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 300))
    x[3, 5] = np.nan
    x[:, 7] = np.nan
    for m in (x, np.full((1, 10), np.nan), rng.normal(size=(1, 20))):
        a, b = interval(m), percentiel_interval(m)
        for f in ("se", "laag", "hoog", "n_geldig"):
            np.testing.assert_array_equal(getattr(a, f), getattr(b, f))


def test_return_gap_km_equals_r_survfit():
    """Weighted KM of the return gap against R survival::survfit (tests/reference/duurzaam_km.R), 1e-12."""
    from pathlib import Path

    base = Path(__file__).parent / "reference" / "fixtures" / "duurzaam"
    d = pd.read_csv(base / "terugkeer_data.csv")
    r = pd.read_csv(base / "r_km.csv")
    no = SimpleNamespace(x_gap=d.gap.to_numpy(), x_fu=d.fu.to_numpy(), x_geldig=np.ones(len(d), bool))
    s = na.s_terug_km(no, np.arange(len(d)), d.w.to_numpy(dtype=float), int(r.u.max()))
    np.testing.assert_allclose(s, r.surv.to_numpy(), rtol=0, atol=1e-12)


def test_no_exit_to_work_at_all_gives_estimates_not_a_crash():
    """Nobody leaves for work (and the table has no terugval column): D is 0 and nothing returns."""
    pm = pd.concat([_maanden("A", 1, 1, "2019-01", 3, 2), _maanden("B", 3, 1, "2019-01", 12, 0),
                    _maanden("D", 6, 1, "2019-01", 6, 2, instr_vanaf=2)], ignore_index=True).drop(columns="terugval")
    r = schat_effecten(pm, Effectconfig(bootstrap=2, horizon=12, horizonnen=(6,), e_horizon=6, duurzaam=(6,),
                                        uitkeringsmaanden=(6, 12), min_schatten=1))
    pop = r.populatie.set_index("maat").schatting
    assert pop["uitstroom_duurzaam_6"] == 0 and pop["deelnemers_duurzaam_6"] == 0
    d = r.waarde("alle", "alle", "cif_deelnemers", 12, uitkomst="duurzaam_werk_6").schatting
    assert d < 1e-3
    um = r.uitkeringsmaanden
    assert ((um.maat == "deelnemers") & (um.horizon == 6)).any()


def test_weighted_mean_occupation_equals_mean_of_rows():
    """The frequency-domain weighted mean (cel_gformule) equals the mean of op_uitkering row by row."""
    rng = np.random.default_rng(2)
    n, H = 300, 36
    cw = np.cumsum(rng.uniform(0, 0.03, (n, H)), 1)
    co = np.cumsum(rng.uniform(0, 0.01, (n, H)), 1)
    st = np.cumprod(1 - rng.uniform(0, 0.05, (n, H)), 1)
    q = np.cumprod(1 - rng.uniform(0, 0.1, (3, H)), 1)
    q[:, 0] = 1
    cat = rng.integers(0, 3, n)
    w = rng.integers(0, 4, n).astype(float)
    rij = (w[:, None] * na.op_uitkering(cw, co, st, q[cat])).sum(axis=0) / w.sum()
    np.testing.assert_allclose(na.op_uitkering_gemiddeld(w, cw, co, st, q, cat), rij, rtol=1e-12, atol=1e-13)
