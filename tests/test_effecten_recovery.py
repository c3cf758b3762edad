"""Recovery of known effects: the example DGP (fast) and the package simulator (selection on observables).

Truths are the simulated truths (expected ATT of the realised participants for the example DGP; the
simulator's truth.json, same random draws), never values from our own output.
"""
import numpy as np
import pytest

from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten.voorbeeld import Voorbeeldconfig, simuleer_persoonmaanden


@pytest.fixture(scope="module")
def voorbeeld():
    v = simuleer_persoonmaanden(11, 60000)
    r = schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=0))
    return v, r


def test_gformule_recovers_att12_example(voorbeeld):
    v, r = voorbeeld
    tr = v.waarheid[v.waarheid.horizon == 12].set_index(["instrument", "categorie"])
    for (ins, cat), t in tr.iterrows():
        est = r.waarde(ins, cat, "att", 12).schatting
        assert abs(est - t.att_nooit) < 0.02, (ins, cat, est, t.att_nooit)


def test_naive_visibly_biased_example(voorbeeld):
    """Selection on observables (high opleiding, young, short duration start more often and find work
    faster): the naive comparison is off by more than the tolerance somewhere, the corrected one is not."""
    v, r = voorbeeld
    tr = v.waarheid[v.waarheid.horizon == 12].set_index(["instrument", "categorie"])
    fout_naief = [abs(r.waarde(i, c, "naief", 12, "naief").schatting - t.att_nooit) for (i, c), t in tr.iterrows()]
    fout_g = [abs(r.waarde(i, c, "att", 12).schatting - t.att_nooit) for (i, c), t in tr.iterrows()]
    assert max(fout_naief) > 0.05
    assert max(fout_naief) > 3 * max(fout_g)


def test_population_share_example(voorbeeld):
    v, r = voorbeeld
    est = r.populatie.set_index("maat").loc["toerekenbaar_aandeel", "schatting"]
    assert abs(est - v.toerekenbaar_aandeel) < 0.01


@pytest.mark.slow  # large simulated population (default suite budget: 10 min)
def test_recovery_simulator_selected_cells():
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=5, n_clienten=20000)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=0))
    eff = sim.waarheid["effecten"]
    # cells large enough that 0.02 is > 2 SE of the estimate (>= 1200 participants); the expected truth
    # of the realised participants (exact from the true hazards, doorstroom included)
    cellen = [(i, c) for i, per in eff.items() for c, t in per.items() if t["n_deelnemers"] >= 1200]
    assert len(cellen) >= 4
    for ins, cat in cellen:
        t = eff[ins][cat]
        est = r.waarde(ins, cat, "att", 12).schatting
        assert abs(est - t["att_verwacht"][11]) < 0.02, (ins, cat, est, t["att_verwacht"][11])
    pop = r.populatie.set_index("maat").loc["toerekenbaar_aandeel", "schatting"]
    assert abs(pop - sim.waarheid["populatie"]["toerekenbaar_aandeel_verwacht"]) < 0.01


def _e_config(u: float) -> Voorbeeldconfig:
    return Voorbeeldconfig(onwaarneembaar=u, instrumenten={
        "A": (("arbeidsbemiddeling_wsp", 3, 0.0, 0.0, -4.0),),        # placebo
        "B": (("jobcoaching", 3, 0.0, 1.2, -4.0),),                   # strong effect
        "C": (("arbeidstraining", 3, 0.0, 0.0, -4.0),),               # placebo
    })


@pytest.mark.slow  # large simulated population (default suite budget: 10 min)
def test_evalue_flags_estimates_broken_by_unobserved_confounding():
    """Criterion. The E-value answers "could unobserved confounding explain this effect away?". With a
    moderate unobserved U (log-odds 0.5 per SD in both the start and the work logit) the placebo cells
    (true effect 0) get spurious, 'significant' estimates: every placebo cell whose 95% CI excludes 0
    must be *kwetsbaar* (E-value of the CI limit < 2), and there must be at least one. The cell with a
    strong real effect must not be kwetsbaar, with or without U (U biases it, but cannot explain it
    away). (With U at 1.0 the spurious placebo effects reach RR 1.4-2.2 and E-values above 2: the
    E-value then correctly says only a strong confounder explains them -- and one is present.)"""
    v = simuleer_persoonmaanden(21, 30000, _e_config(0.5))
    r = schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=40, n_jobs=1, seed=3))
    tr = v.waarheid[v.waarheid.horizon == 12].set_index(["instrument", "categorie"])
    gev = r.gevoeligheid.set_index(["instrument", "categorie"])
    schijn = 0
    for (ins, cat), t in tr.iterrows():
        row = r.waarde(ins, cat, "att", 12)
        if t.att_nooit == 0 and not (row.ci_laag <= 0 <= row.ci_hoog):
            schijn += 1
            assert gev.loc[(ins, cat), "kwetsbaar"], (ins, cat, gev.loc[(ins, cat), "e_waarde_ci"])
    assert schijn >= 1  # U really produced a spurious effect (otherwise the test would be empty)
    assert not gev.loc[("jobcoaching", "B"), "kwetsbaar"]

    v0 = simuleer_persoonmaanden(22, 30000, _e_config(0.0))
    r0 = schat_effecten(v0.persoonmaanden, Effectconfig(bootstrap=40, n_jobs=1, seed=3))
    g0 = r0.gevoeligheid.set_index(["instrument", "categorie"])
    assert not g0.loc[("jobcoaching", "B"), "kwetsbaar"]
    assert g0.loc[("jobcoaching", "B"), "e_waarde_ci"] > 2
