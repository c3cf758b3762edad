"""Cost of the estimates after the first exit (durable exit, months on benefit) at Werkplein size.

Usage (run it once per checkout to compare, e.g. main and this branch)::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_na_uitstroom.py [--bootstrap 20] [--n-jobs 1] [--zonder-na]

Prints wall time and CPU time (this process and its finished children) of ``schat_effecten`` on the default
simulator population (seed 1), so that a run on a loaded machine still compares: CPU seconds are far less
sensitive to other jobs than wall seconds. On a checkout without the after-exit estimates (``Effectconfig``
without ``duurzaam``) ``--zonder-na`` is implied. The Werkplein budget (B = 200 on 2 cores within 60 s) is
checked with ``benchmarks/bench_effecten.py werkplein --bootstrap 200 --n-jobs 2`` on an idle machine.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import time


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", type=int, default=20)
    ap.add_argument("--n-jobs", type=int, default=1)
    ap.add_argument("--zonder-na", action="store_true")
    a = ap.parse_args()

    import evaluatie
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=1, n_clienten=4685)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    heeft_na = "duurzaam" in {f.name for f in dataclasses.fields(Effectconfig)}
    kw = {"duurzaam": ()} if (heeft_na and a.zonder_na) else {}
    cfg = Effectconfig(bootstrap=a.bootstrap, n_jobs=a.n_jobs, seed=1, **kw)
    t, c = time.perf_counter(), _cpu()
    r = schat_effecten(pm, cfg)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    na = heeft_na and not a.zonder_na
    print(f"{os.path.dirname(os.path.dirname(evaluatie.__file__))}: na_uitstroom={'ja' if na else 'nee'} "
          f"B={a.bootstrap} n_jobs={a.n_jobs} clienten={r.n_clienten} deelnemers={r.n_deelnemers} | "
          f"wand {wall:.1f} s, cpu {cpu:.1f} s, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
