"""Recovery of the effects after the first exit on a large simulated population (slow).

Truth: the simulator's expected truth (``truth.json``: ``duurzaam[k6_h24].att_verwacht``,
``uitkeringsmaanden[m24].verschil_verwacht``), never our own output. The categorie rows are the
participant-weighted means of the cells' truths (exact: the expected truth is a mean over participants).

Tolerances as issue 17: 0.02 for the durable ATT, 0.3 months for the months difference. Per cell they are
applied where the cell is large enough for them to exceed the sampling noise of the realised participants
around their expectation (>= 1200 participants for the ATT, as the first-exit recovery test; for the
months the noise of one cell of ~1500 participants is 0.2-0.4 months, so the 0.3 criterion is applied to
the pooled cells: ``alle`` per categorie and overall).
"""
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def groot():
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=5, n_clienten=20000)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    return sim, schat_effecten(pm, Effectconfig(bootstrap=0))


def _cat(eff, cat, f):
    n = v = 0.0
    for per in eff.values():
        t = per.get(cat)
        if t is not None and t["n_deelnemers"]:
            n += t["n_deelnemers"]
            v += t["n_deelnemers"] * f(t)
    return v / n


def test_durable_att_recovered_per_cell(groot):
    sim, r = groot
    eff = sim.waarheid["effecten"]
    cellen = [(i, c) for i, per in eff.items() for c, t in per.items() if t["n_deelnemers"] >= 1200]
    assert len(cellen) >= 4
    for ins, cat in cellen:
        waar = eff[ins][cat]["duurzaam"]["k6_h24"]["att_verwacht"]
        est = r.waarde(ins, cat, "att", 24, uitkomst="duurzaam_werk_6").schatting
        assert abs(est - waar) < 0.02, (ins, cat, est, waar)
    for cat in ("A", "B", "C"):
        waar = _cat(eff, cat, lambda t: t["duurzaam"]["k6_h24"]["att_verwacht"])
        assert abs(r.waarde("alle", cat, "att", 24, uitkomst="duurzaam_werk_6").schatting - waar) < 0.02, cat
    waar = sim.waarheid["na_uitstroom_gepoold"]["duurzaam"]["k6_h24"]["att_verwacht"]
    assert abs(r.waarde("alle", "alle", "att", 24, uitkomst="duurzaam_werk_6").schatting - waar) < 0.02


def test_months_difference_recovered_pooled(groot):
    sim, r = groot
    eff = sim.waarheid["effecten"]
    um = r.uitkeringsmaanden
    um = um[(um.methode == "gformule") & (um.horizon == 24) & (um.maat == "verschil") & (um.instrument == "alle")]
    est = um.set_index("categorie").schatting
    for cat in ("A", "B", "C"):
        waar = _cat(eff, cat, lambda t: t["uitkeringsmaanden"]["m24"]["verschil_verwacht"])
        assert abs(est[cat] - waar) < 0.3, (cat, est[cat], waar)
    waar = sim.waarheid["na_uitstroom_gepoold"]["uitkeringsmaanden"]["m24"]["verschil_verwacht"]
    assert abs(est["alle"] - waar) < 0.3


def test_months_per_large_cell_within_their_noise(groot):
    """Per cell of >= 1200 participants the months difference lies within 0.6 months (about 2-3 times the
    sampling SD of such a cell) of the expected truth."""
    sim, r = groot
    eff = sim.waarheid["effecten"]
    um = r.uitkeringsmaanden
    um = um[(um.methode == "gformule") & (um.horizon == 24) & (um.maat == "verschil")].set_index(["instrument", "categorie"])
    for ins, per in eff.items():
        for cat, t in per.items():
            if t["n_deelnemers"] >= 1200:
                waar = t["uitkeringsmaanden"]["m24"]["verschil_verwacht"]
                assert abs(um.loc[(ins, cat), "schatting"] - waar) < 0.6, (ins, cat)


def test_attributable_share_of_durable_exits_recovered(groot):
    """The attributable share of durable exits (k = 6, 12) against ``populatie.toerekenbaar_aandeel_duurzaam_{k}
    _verwacht``: within 0.015 (its bootstrap SE at 20,000 clients is about 0.005, from the Monte Carlo SE of
    0.022 at 1,000 clients; the first exit's share is held to 0.01 with a smaller SE)."""
    sim, r = groot
    pop = r.populatie.set_index("maat").schatting
    for k in (6, 12):
        waar = sim.waarheid["populatie"][f"toerekenbaar_aandeel_duurzaam_{k}_verwacht"]
        assert abs(pop[f"toerekenbaar_aandeel_duurzaam_{k}"] - waar) < 0.015, (k, pop[f"toerekenbaar_aandeel_duurzaam_{k}"], waar)
        assert pop[f"uitstroom_duurzaam_{k}"] == sim.waarheid["populatie"][f"duurzame_uitstroom_{k}_waargenomen"]
