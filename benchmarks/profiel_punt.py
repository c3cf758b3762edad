"""Profile of the point estimate (effects + deadweight + share, no bootstrap) at a given scale.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/profiel_punt.py nationaal [--breed] [--top 25]

Simulates (``bench_effecten.SCHAAL``), prepares the person-month table (compact by default; ``--breed``:
``compact=False``) and runs ``schat_effecten`` with ``bootstrap=0`` under pyinstrument. Prints wall and
CPU seconds of each stage, the peak RSS, and the functions with the most time (own time and total, from
pyinstrument's session), so it is visible where the single fit spends its time.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _functies(sessie, top: int) -> tuple[list, list]:
    """(total, own, 'function file:line') per function summed over the call tree: largest total, largest own."""
    totaal: dict[str, float] = {}
    eigen: dict[str, float] = {}

    def loop(f, voorouders: frozenset) -> None:
        naam = f"{f.function}  {Path(f.file_path_short or f.file_path or '?').as_posix()}:{f.line_no}"
        if naam not in voorouders:  # recursion: count a function's total once per path
            totaal[naam] = totaal.get(naam, 0.0) + f.time
        eigen[naam] = eigen.get(naam, 0.0) + f.total_self_time
        for k in f.children:
            loop(k, voorouders | {naam})

    wortel = sessie.root_frame()
    if wortel is not None:
        loop(wortel, frozenset())
    rijen = [(t, eigen.get(n, 0.0), n) for n, t in totaal.items() if not n.startswith("[")]  # pyinstrument's [self]
    return sorted(rijen, reverse=True)[:top], sorted(rijen, key=lambda r: -r[1])[:top]


def main() -> None:
    from bench_effecten import SCHAAL

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("schaal", choices=sorted(SCHAAL))
    ap.add_argument("--breed", action="store_true", help="person-months with compact=False")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    from pyinstrument import Profiler

    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    print(f"belasting (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}", flush=True)
    t, c = time.perf_counter(), time.process_time()
    sim = simuleer(seed=a.seed, n_clienten=SCHAAL[a.schaal])
    print(f"simuleren {time.perf_counter() - t:6.1f} s wand / {time.process_time() - c:6.1f} s cpu; "
          f"piek {_rss_gb():.2f} GB", flush=True)
    t, c = time.perf_counter(), time.process_time()
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"], compact=not a.breed)
    del sim
    print(f"persoonmaanden ({'breed' if a.breed else 'compact'}) {len(pm):,d} rijen, "
          f"{pm.memory_usage(deep=False).sum() / 1e9:.2f} GB: {time.perf_counter() - t:6.1f} s wand / "
          f"{time.process_time() - c:6.1f} s cpu; piek {_rss_gb():.2f} GB", flush=True)
    prof = Profiler(interval=0.01)
    t, c = time.perf_counter(), time.process_time()
    prof.start()
    res = schat_effecten(pm, Effectconfig(bootstrap=0, n_jobs=1, seed=a.seed))
    prof.stop()
    print(f"puntschatting (B = 0): {time.perf_counter() - t:6.1f} s wand / {time.process_time() - c:6.1f} s cpu; "
          f"piek {_rss_gb():.2f} GB; {res.n_deelnemers:,d} deelnemers; belasting {os.getloadavg()[0]:.2f}", flush=True)
    op_totaal, op_eigen = _functies(prof.last_session, a.top)
    for kop, rijen in (("totaal incl. aanroepen", op_totaal), ("eigen tijd", op_eigen)):
        print(f"\nfuncties met de meeste tijd, op {kop} (kolommen: totaal / eigen, s):")
        for tot, eig, naam in rijen:
            print(f"  {tot:7.1f} {eig:7.1f}  {naam}")


if __name__ == "__main__":
    main()
