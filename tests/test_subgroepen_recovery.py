"""Recovery of the subgroup truths on a large simulated population (issue 19; slow suite).

20,000 clients, seed 5, heterogeneous effects (jobcoaching +0.5 log-odds after the programme for statushouders,
-0.5 for 55+), B = 20. Tolerance, both methods, horizon 24:
- every estimated statushouder / 55+ subgroup with at least 100 participants: |att_subgroep - truth| and
  |verschil - truth| below 3 bootstrap SEs + 0.01 (the truth is the expected ATT, the estimate carries the
  participants' own noise as well);
- jobcoaching C (300+ participants per subgroup): the differences within 0.03 of the truth and of the planted
  sign (statushouders better, 55+ worse), i.e. the g-formula difference sees the heterogeneity.
"""
import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_subgroepwaarheid_teruggevonden():
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.effecten.subgroepen import Subgroepconfig
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer
    from evaluatie.simulatie.config import SimulatieConfig
    from evaluatie.simulatie.heterogeniteit import VOORBEELD

    sim = simuleer(seed=5, n_clienten=20_000, config=SimulatieConfig(heterogeniteit=VOORBEELD))
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=20, n_jobs=2, seed=1, duurzaam=(),
                                        subgroepen=Subgroepconfig(indelingen=("statushouder", "55plus"))))
    s = r.subgroepen
    g = s[(s.status == "geschat") & (s.horizon == 24) & (s.n_deelnemers >= 100)]
    w = sim.waarheid["effecten"]
    assert len(g) > 20
    for x in g.itertuples():
        tw = w[x.instrument][x.categorie]["subgroepen"][x.indeling]
        waar = (tw["subgroep"][23] - tw["rest"][23]) if x.maat == "verschil" else \
            tw["subgroep" if x.maat == "att_subgroep" else "rest"][23]
        assert abs(x.schatting - waar) < 3 * x.se + 0.01, (x.instrument, x.categorie, x.indeling, x.methode, x.maat)
    jc = g[(g.instrument == "jobcoaching") & (g.categorie == "C") & (g.maat == "verschil")]
    for x in jc.itertuples():
        tw = w["jobcoaching"]["C"]["subgroepen"][x.indeling]
        waar = tw["subgroep"][23] - tw["rest"][23]
        assert abs(x.schatting - waar) < 0.03
        assert np.sign(x.schatting) == (1 if x.indeling == "statushouder" else -1)
