"""Benchmark: preparing spells at national scale — reading the input vs splitting it.

Run: ``.venv/bin/python benchmarks/bench_prepare.py [n_clienten ...]`` (default 400000; the simulator's
``n_clienten`` is the caseload size, the tables hold everyone who passed through in 2015–2019, about three
times as many clients). The simulated tables are written to Parquet once; then each stage runs in a fresh
process that reads the Parquet files, so every figure has its own peak memory (RSS; reading included):

* ``lezen``: read the four input tables (pyarrow);
* ``telproces``: read + counting-process rows (split at instruments, categorie and 1 January);
* ``persoonmaanden``: read + person-month table (compact: categorical codes, narrow integers; the default);
* ``persoonmaanden_breed``: the same with ``compact=False`` (object strings, 64-bit integers; as before issue 20);
* ``horizon``: read + horizon outcomes.

The target: the split costs about as much as reading the input.

Peak memory is the child's ``VmHWM`` (``/proc/self/status``), not ``ru_maxrss``: on Linux ``ru_maxrss``
survives ``exec``, so a spawned child reported the parent's peak (the simulation's ~10 GB) as its own.
``--map DIR`` reuses (or writes, when empty) the Parquet tables in DIR instead of simulating into a
temporary folder (a national simulation takes about ten minutes on this machine).
"""
from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TABELLEN = ("clienten", "uitkeringen", "categorieen", "trajecten")


def _lees(map_: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(map_ / f"{t}.parquet") for t in TABELLEN}


def _piek_mb() -> float:
    """Peak resident memory of this process (VmHWM, MB); ru_maxrss where /proc is absent."""
    try:
        for regel in Path("/proc/self/status").read_text().splitlines():
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stap(args: tuple[str, str, dict]) -> tuple[float, float, float, int, float]:
    """Run one stage in this (fresh) process: read time, first and second build time, rows, peak RSS."""
    stap, map_, venster = args
    from functools import partial

    from evaluatie.prepare import horizonuitkomsten, persoonmaanden, telproces

    functie = {"telproces": telproces, "persoonmaanden": persoonmaanden, "horizon": horizonuitkomsten,
               "persoonmaanden_breed": partial(persoonmaanden, compact=False)}.get(stap)
    t0 = time.perf_counter()
    tab = _lees(Path(map_))
    lees = time.perf_counter() - t0
    n, tijden = 0, [0.0, 0.0]
    if functie is not None:
        for i in range(2):  # first call (cold: lazy imports, schema) and second call (warm)
            t1 = time.perf_counter()
            n = len(functie(tab, waarnemingsperiode=venster))
            tijden[i] = time.perf_counter() - t1
    return lees, tijden[0], tijden[1], n, _piek_mb(), time.process_time()


def main(ns: list[int], vaste_map: str | None = None) -> None:
    import contextlib

    from evaluatie.simulatie import simuleer

    ctx = mp.get_context("spawn")
    for n in ns:
        with (contextlib.nullcontext(vaste_map) if vaste_map else tempfile.TemporaryDirectory()) as d:
            t0 = time.perf_counter()
            venster = {"start": "2015-01-01", "eind": "2019-12-31"}  # the simulator's window
            if not all((Path(d) / f"{t}.parquet").exists() for t in TABELLEN):
                Path(d).mkdir(parents=True, exist_ok=True)
                sim = simuleer(seed=1, n_clienten=n)
                for t in TABELLEN:
                    sim.tabellen[t].to_parquet(Path(d) / f"{t}.parquet", index=False)
                venster = sim.metadata["waarnemingsperiode"]
                del sim
            tab = _lees(Path(d))
            print(f"n_clienten={n}: {len(tab['clienten'])} clienten, {len(tab['uitkeringen'])} uitkeringen, "
                  f"{len(tab['categorieen'])} categorieen, {len(tab['trajecten'])} trajecten "
                  f"(simuleren/lezen + Parquet {time.perf_counter() - t0:.1f} s; map {d if vaste_map else 'tijdelijk'})",
                  flush=True)
            del tab
            import os

            print(f"  belasting (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
            piek = {}
            for stap in sys_stappen():
                with ctx.Pool(1) as pool:
                    lees, koud, warm, rijen, rss, cpu = pool.map(_stap, [(stap, d, venster)])[0]
                piek[stap] = rss
                extra = (f", bouwen {koud:6.2f} s eerste keer / {warm:6.2f} s tweede keer "
                         f"({warm / lees:4.1f}x lezen), {rijen} rijen") if stap != "lezen" else ""
                print(f"  {stap:<21} lezen {lees:5.2f} s{extra}; piek-RSS {rss:6.0f} MB ({rss / piek['lezen']:4.2f}x lezen); "
                      f"cpu {cpu:6.1f} s; belasting {os.getloadavg()[0]:.2f}", flush=True)
            if "persoonmaanden" in piek and "persoonmaanden_breed" in piek:
                print(f"  persoonmaanden compact / breed: piek-RSS {piek['persoonmaanden'] / piek['persoonmaanden_breed']:4.2f}x",
                      flush=True)


def sys_stappen() -> tuple[str, ...]:
    """Stages to run (environment ``BENCH_STAPPEN``, comma-separated; default all)."""
    import os

    alle = ("lezen", "telproces", "persoonmaanden", "persoonmaanden_breed", "horizon")
    return tuple(s for s in os.environ.get("BENCH_STAPPEN", ",".join(alle)).split(",") if s in alle)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n_clienten", type=int, nargs="*", default=[400_000])
    ap.add_argument("--map", default=None, help="folder with (or for) the simulated Parquet tables")
    a = ap.parse_args()
    main(a.n_clienten, a.map)
