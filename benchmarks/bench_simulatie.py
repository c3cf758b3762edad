"""Benchmark: simulating at Werkplein and national scale (time and peak memory).

Run: ``.venv/bin/python benchmarks/bench_simulatie.py [n ...]`` (default 4685 and 400000).
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time

from evaluatie.simulatie import schrijf, simuleer


def main(ns: list[int]) -> None:
    for n in ns:
        t0 = time.perf_counter()
        sim = simuleer(seed=1, n_clienten=n)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as d:
            schrijf(sim, d)
        t2 = time.perf_counter()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = sim.tabellen
        print(f"n_clienten={n:>8}: simuleer {t1 - t0:6.1f} s, schrijf {t2 - t1:6.1f} s, piek-RSS {rss:7.0f} MB; "
              f"{len(t['clienten'])} clienten, {len(t['uitkeringen'])} uitkeringen, {len(t['trajecten'])} trajecten")


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:] if x.isdigit()] or [4685, 400_000])
