"""Werkplein-size cost of the subgroup cells and the MSE of the shrunken (empirical-Bayes) estimates (issue 19).

Per seed: simulate the Werkplein population (4685 clients) with heterogeneous effects
(:data:`~evaluatie.simulatie.heterogeniteit.VOORBEELD`), estimate with the default configuration without and with
the default subgroups (same B, n_jobs = 1; wall and CPU seconds), and compare the raw and the shrunken cell ATTs
(``celtoetsen``, toets att) and subgroup ATTs (``subgroepen``, att_subgroep; statushouder and 55plus, which have a
truth) with the expected truth of ``truth.json``.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_voorwie.py --seeds 1 2 --bootstrap 20
"""
from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--bootstrap", type=int, default=20)
    ap.add_argument("--clienten", type=int, default=4685)
    a = ap.parse_args()
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.effecten.subgroepen import STANDAARD, Subgroepconfig
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer
    from evaluatie.simulatie.config import SimulatieConfig
    from evaluatie.simulatie.heterogeniteit import VOORBEELD

    fout_c, fout_s = {"ruw": [], "gekrompen": []}, {"ruw": [], "gekrompen": []}
    for seed in a.seeds:
        sim = simuleer(seed=seed, n_clienten=a.clienten, config=SimulatieConfig(heterogeniteit=VOORBEELD))
        pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
        tijden = {}
        for naam, ind in (("zonder subgroepen", ()), ("met standaardsubgroepen", STANDAARD)):
            w, c = time.perf_counter(), time.process_time()
            r = schat_effecten(pm, Effectconfig(bootstrap=a.bootstrap, n_jobs=1, seed=seed,
                                                subgroepen=Subgroepconfig(indelingen=ind)))
            tijden[naam] = (time.perf_counter() - w, time.process_time() - c)
        print(f"seed {seed}: " + "; ".join(f"{k} wand {v[0]:.1f} s, cpu {v[1]:.1f} s" for k, v in tijden.items())
              + f"; verhouding cpu {tijden['met standaardsubgroepen'][1] / tijden['zonder subgroepen'][1]:.2f}", flush=True)
        w = sim.waarheid["effecten"]
        t = r.celtoetsen
        for x in t[(t.toets == "att") & (t.methode == "gformule")].itertuples():
            waar = w[x.instrument][x.categorie]["att_verwacht"][x.horizon - 1]
            fout_c["ruw"].append(x.schatting - waar)
            fout_c["gekrompen"].append(x.gekrompen - waar)
        s = r.subgroepen
        g = s[(s.status == "geschat") & (s.maat == "att_subgroep") & (s.methode == "gformule")
              & s.indeling.isin(["statushouder", "55plus"])]
        for x in g.itertuples():
            waar = w[x.instrument][x.categorie]["subgroepen"][x.indeling]["subgroep"][x.horizon - 1]
            fout_s["ruw"].append(x.schatting - waar)
            fout_s["gekrompen"].append(x.gekrompen - waar)
        n_sub = int((s.status == "geschat").sum() // 12)
        print(f"  subgroepcellen geschat: {n_sub}; niet geschat: {int((s.maat == 'aantal').sum())} rijen", flush=True)
    for naam, f in (("cellen (att, g-formule, 12 en 24 mnd)", fout_c), ("subgroepen statushouder/55+", fout_s)):
        r, k = np.array(f["ruw"]), np.array(f["gekrompen"])
        ok = np.isfinite(r) & np.isfinite(k)
        print(f"MSE t.o.v. verwachte waarheid, {naam}, {ok.sum()} schattingen: ruw {np.mean(r[ok] ** 2):.5f}, "
              f"gekrompen {np.mean(k[ok] ** 2):.5f}")


if __name__ == "__main__":
    main()
