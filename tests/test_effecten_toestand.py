"""Time-varying classification in the g-formula: transition counts, the Markov projection, by hand.

The projection must reduce to the plain hazard product with one state, reproduce a two-state chain
computed on paper, and the state decomposition of the design must hold on real person-months.
"""
import numpy as np
import pandas as pd
import pytest

from evaluatie.effecten.cif import cif_uit_hazards
from evaluatie.effecten.hazardmodel import Specificatie, codes, design, maak_codering
from evaluatie.effecten.ontwerp import controleer_toestandsdecompositie, maak_ontwerp
from evaluatie.effecten.toestand import (Toestanden, cif_markov, maak_toestanden, overgangsmatrix,
                                         overgangstellingen, zonder_toestand)


def _logit(p):
    return np.log(p)


def test_een_toestand_is_gewone_cif():
    rng = np.random.default_rng(1)
    n, H = 5, 7
    hw = rng.uniform(0.01, 0.2, (n, H))
    ho = rng.uniform(0.01, 0.1, (n, H))
    # multinomial logit: p_w = e_w / (1 + e_w + e_o) -> e_k = p_k / p_stay
    stay = 1 - hw - ho
    eta = np.stack([np.log(hw / stay), np.log(ho / stay)], axis=-1)
    cif = cif_markov(eta, np.zeros((n, H), np.int64), np.zeros((1, 1, 2)), np.eye(1), np.zeros(n, np.int64))
    np.testing.assert_allclose(cif, cif_uit_hazards(hw, ho), rtol=1e-12)


def test_twee_toestanden_op_papier():
    # state 0: werk 0.1, other 0.1 per month; state 1: werk 0.4, other 0; move 0 -> 1 with 0.5 per month
    # month 1 (start in 0): CIF = 0.1; at risk 0.8, then half moves: a = (0.4, 0.4)
    # month 2: CIF += 0.4*0.1 + 0.4*0.4 = 0.2 -> 0.3
    e0 = np.log([0.1 / 0.8, 0.1 / 0.8])
    e1 = np.array([np.log(0.4 / 0.6), -np.inf])
    eta_s = np.stack([e0, e1])[None, :, :]          # (1 band, 2 states, 2)
    P = np.array([[0.5, 0.5], [0.0, 1.0]])
    cif = cif_markov(np.zeros((1, 2, 2)), np.zeros((1, 2), np.int64), eta_s, P, np.array([0]))
    np.testing.assert_allclose(cif[0], [0.1, 0.3], rtol=1e-12)


def test_overgangstellingen_en_krimp():
    t = Toestanden(kolommen=(1,), codes=np.array([[0], [1]]), r_toestand=np.array([0, 0, 1, 1, 0]),
                   paar_rij=np.array([0, 1, 2, 3]), paar_van=np.array([0, 0, 1, 1]), paar_naar=np.array([0, 1, 1, 0]),
                   Xs=np.zeros((1, 2, 1)))
    w = np.array([1.0, 2.0, 1.0, 3.0, 1.0])
    C = overgangstellingen(t, w, np.array([True, True, True, False, True]))
    np.testing.assert_allclose(C, [[1.0, 2.0], [0.0, 1.0]])
    np.testing.assert_allclose(overgangsmatrix(C), [[1 / 3, 2 / 3], [0.0, 1.0]])
    prior = np.array([[0.9, 0.1], [0.2, 0.8]])
    np.testing.assert_allclose(overgangsmatrix(C, prior, kappa=3.0), [[(1 + 2.7) / 6, (2 + 0.3) / 6], [0.6 / 4, 3.4 / 4]])
    # a state never left or entered stays put
    np.testing.assert_allclose(overgangsmatrix(np.zeros((2, 2))), np.eye(2))


def test_paren_alleen_opeenvolgende_maanden_van_een_periode():
    spell = np.array([1, 1, 1, 2, 2, 3])
    maand = np.array([0, 1, 3, 5, 6, 0])
    import pandas as pd
    df = pd.DataFrame({"maand": maand, "categorie": ["B", "A", "A", "C", "C", "B"], "trede": [3, 4, 4, 1, 2, 3]})
    cod, _ = maak_codering(df, Specificatie(confounders=("categorie", "trede")))
    t = maak_toestanden(codes(df, cod), cod, spell, maand)
    np.testing.assert_array_equal(t.paar_rij, [0, 3])  # 1->3 is a gap, 2->3 and 4->5 change spell
    assert t.S == 4  # B3, A4, C1, C2
    assert tuple(t.codes[t.paar_van[0]]) != tuple(t.codes[t.paar_naar[0]])  # B3 -> A4


def test_decompositie_op_persoonmaanden():
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=3, n_clienten=800)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    o, _ = maak_ontwerp(pm, H=12)
    assert o.toestanden.S > 3  # categorie x trede
    df = pm.sort_values(["spell_id", "maand"], kind="mergesort").reset_index(drop=True)
    cr = codes(df, o.cod)
    links = design(cr, o.cod)
    s = o.toestanden.r_toestand
    rechts = design(zonder_toestand(cr, o.toestanden), o.cod) + o.toestanden.Xs[cr[:, 0], s]
    np.testing.assert_allclose(links, rechts, atol=1e-12)
    # and the guard notices a design that is not additive in the state
    kapot = Toestanden(o.toestanden.kolommen, o.toestanden.codes, s, o.toestanden.paar_rij, o.toestanden.paar_van,
                       o.toestanden.paar_naar, o.toestanden.Xs * 0.5)
    with pytest.raises(AssertionError, match="additief"):
        controleer_toestandsdecompositie(cr[:2000], o.cod, kapot)


def test_elke_deelnemer_van_de_simulator_telt_mee():
    """Programmes that start in the window's first month are starts (traject_start), not programmes already
    running before the window: the estimator's participants are exactly the simulator's."""
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=6, n_clienten=1500)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    o, warns = maak_ontwerp(pm, H=12)
    waar = sum(t["n_deelnemers"] for per in sim.waarheid["effecten"].values() for t in per.values())
    assert o.n_uitgesloten == 0 and not any("liepen al" in w for w in warns)
    assert len(o.p_client) == waar
    jan = pm[(pm.traject_start == 1) & (pm.kalendermaand == pd.Period("2015-01", "M"))]
    assert len(jan) > 0  # the case really occurs


def test_toerekenbaar_per_gemeente_telt_op_tot_het_geheel():
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=8, n_clienten=1500)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=0))
    g = r.per_gemeente.pivot(index="gemeentecode", columns="maat", values="schatting")
    tot = r.populatie.set_index("maat").schatting
    assert len(g) == 6
    for maat in ("toegerekende_uitstroom", "uitstroom_werk", "deelnemers_werk"):
        assert g[maat].sum() == pytest.approx(tot[maat], rel=1e-12)
    np.testing.assert_allclose(g.toerekenbaar_aandeel, g.toegerekende_uitstroom / g.uitstroom_werk)
    n = r.per_gemeente.drop_duplicates("gemeentecode")
    assert n.n_deelnemers.sum() == r.n_deelnemers and n.n_clienten.sum() == r.n_clienten
    werk = pm[pm.status == 1].groupby("gemeentecode").size()
    np.testing.assert_array_equal(g.uitstroom_werk.to_numpy(), werk.loc[g.index].to_numpy())
