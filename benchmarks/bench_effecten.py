"""Benchmark of `evaluatie.effecten.schat_effecten` (effects + deadweight + bootstrap).

Usage::

    .venv/bin/python benchmarks/bench_effecten.py werkplein [--bootstrap 200] [--n-jobs 2]
    .venv/bin/python benchmarks/bench_effecten.py nationaal [--bootstrap 200] [--n-jobs 2]

``werkplein``: the simulator at its default size (n_clienten=4685: the Werkplein caseload; about 15,000
clients pass through in 2015-2019). ``nationaal``: the simulator scaled so that about 400,000 clients are
in the person-month table (n_clienten=128,000). Times the preparation and the estimation separately.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

SCHAAL = {"werkplein": 4685, "nationaal": 128_000}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("schaal", choices=sorted(SCHAAL))
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    t = time.perf_counter()
    sim = simuleer(seed=a.seed, n_clienten=SCHAAL[a.schaal])
    t_sim = time.perf_counter() - t
    t = time.perf_counter()
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    t_pm = time.perf_counter() - t
    t = time.perf_counter()
    r = schat_effecten(pm, Effectconfig(bootstrap=a.bootstrap, n_jobs=a.n_jobs, seed=a.seed))
    t_eff = time.perf_counter() - t
    print(f"schaal={a.schaal} clienten={r.n_clienten} persoonmaanden={r.n_persoonmaanden} deelnemers={r.n_deelnemers}")
    print(f"simulatie {t_sim:.1f} s | persoonmaanden {t_pm:.1f} s | effecten+deadweight (B={a.bootstrap}, "
          f"n_jobs={a.n_jobs}) {t_eff:.1f} s")
    e = r.effecten
    att = e[(e.maat == "att") & (e.horizon == 12) & (e.methode == "gformule") & (e.instrument != "alle")]
    w = sim.waarheid["effecten"]
    fout = [abs(row.schatting - w[row.instrument][row.categorie]["att_verwacht"][11]) for row in att.itertuples()]
    print(f"cellen={len(att)} mediane |ATT(12) - verwachte waarheid| = {np.median(fout):.3f}; {r.zin}")


if __name__ == "__main__":
    main()
