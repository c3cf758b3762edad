"""Clustered bootstrap: same seed -> identical numbers whatever n_jobs; clusters are clients."""
import numpy as np

from evaluatie.bootstrap import bootstrap_replicaties, client_gewichten, percentiel_interval
from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten.voorbeeld import simuleer_persoonmaanden


def _gemiddelde(w):
    x = np.arange(len(w), dtype=float)
    return np.array([np.sum(w * x) / np.sum(w)])


def test_replicates_identical_for_n_jobs_1_and_2():
    a = bootstrap_replicaties(_gemiddelde, 50, B=17, seed=4, n_jobs=1)
    b = bootstrap_replicaties(_gemiddelde, 50, B=17, seed=4, n_jobs=2)
    np.testing.assert_array_equal(a, b)
    c = bootstrap_replicaties(_gemiddelde, 50, B=17, seed=5, n_jobs=1)
    assert not np.array_equal(a, c)


def test_client_weights_are_a_resample():
    w = client_gewichten(1000, np.random.SeedSequence(1))
    assert w.sum() == 1000 and np.all(w == np.round(w)) and (w == 0).mean() > 0.3  # ~e^-1 left out


def test_percentile_interval_by_hand():
    reps = np.arange(1, 102, dtype=float)[:, None]  # 1..101
    iv = percentiel_interval(reps)
    assert np.isclose(iv.laag[0], 3.5) and np.isclose(iv.hoog[0], 98.5)
    np.testing.assert_allclose(iv.se[0], np.std(np.arange(1, 102), ddof=1))


def test_schat_effecten_same_numbers_n_jobs():
    v = simuleer_persoonmaanden(3, 3000)
    r1 = schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=6, n_jobs=1, seed=9))
    r2 = schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=6, n_jobs=2, seed=9))
    np.testing.assert_array_equal(r1.effecten[["schatting", "se", "ci_laag", "ci_hoog"]].to_numpy(),
                                  r2.effecten[["schatting", "se", "ci_laag", "ci_hoog"]].to_numpy())
    assert r1.effecten.se.notna().any()


def test_gebundelde_propensity_gelijk_aan_per_instrument():
    """The batched replicate update of all propensities of a categorie equals newton_vast per instrument."""
    from evaluatie.bootstrap import client_gewichten
    from evaluatie.effecten.kern import maak_cellen, maak_celrijen_alle, maak_risicosets, schat_punt
    from evaluatie.effecten.ontwerp import maak_ontwerp
    from evaluatie.effecten.hazardmodel import newton_vast
    from evaluatie.effecten.risicoset import RIDGE, fit_propensities_replicaat, propensity_tellingen

    v = simuleer_persoonmaanden(4, 3000)
    o, _ = maak_ontwerp(v.persoonmaanden, H=12)
    cellen, _ = maak_cellen(o)
    rsets = maak_risicosets(o)
    _, fits, _ = schat_punt(o, cellen, rsets, maak_celrijen_alle(o, cellen), 12)
    w = client_gewichten(o.n_clienten, np.random.SeedSequence(5))
    for c in range(len(rsets)):
        ks = [k for k, cel in enumerate(cellen) if cel.instr >= 0 and cel.cat == c]
        B = fit_propensities_replicaat(o, rsets[c], [cellen[k].instr for k in ks], w, [fits.propensity[k] for k in ks],
                                       stappen=6)
        for j, k in enumerate(ks):
            rs = rsets[c]
            a = newton_vast(rs.X, propensity_tellingen(o, rs, cellen[k].instr, w), fits.propensity[k], stappen=6,
                            ridge=RIDGE, XT=rs.XT)
            assert np.max(np.abs(a - fits.propensity[k].coef)) > 1e-4  # the replicate really moved
            np.testing.assert_allclose(B[:, j], a, rtol=0, atol=1e-10)
