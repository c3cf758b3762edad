"""Benchmark, side by side: the person-month two-way FE LPM — ours (FWL) vs pyfixest ``feols`` vs linearmodels.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_fe_naast.py --n-clienten 100000   # 6M rows
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_fe_naast.py --n-clienten 400000 --engines fwl pyfixest

The same model everywhere: ``1[status == 1] ~ <code>_in + <code>_na | client_id + kalendermaand``, SE
clustered on ``client_id`` with CR1 ``G/(G-1) (N-1)/(N-K)``, K = the instrument columns (pyfixest:
``ssc(k_fixef="none")``; linearmodels: ``PanelOLS(entity_effects, time_effects)`` with
``cov_type="clustered"``, as :func:`evaluatie.panel.persoon.schat_persoon_fe` with ``engine="panelols"``).
The person-month table (``bench_panel.genereer``) is written to Parquet once; each engine runs in a fresh
process that reads it, so every figure has its own peak memory (ru_maxrss; reading included, the RSS after
reading is printed too). Times are wall and CPU seconds of the fit alone. Ratios are against ``fwl``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

ENGINES = ("fwl", "pyfixest", "panelols")


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _kind(engine: str, pad: str) -> dict:
    import pandas as pd

    pm = pd.read_parquet(pad)
    na_lezen = _rss_gb()
    kol = [c for c in pm.columns if c.endswith(("_in", "_na"))]
    t0, c0 = time.perf_counter(), time.process_time()
    if engine in ("fwl", "panelols"):
        from evaluatie.panel.persoon import schat_persoon_fe

        r = schat_persoon_fe(pm, engine=engine)
        b, se, n = r.schatting.tolist(), r.se.tolist(), r.n_obs
        termen = list(r.termen)
    else:
        import pyfixest as pf

        pm["werk"] = (pm["status"].to_numpy() == 1).astype(np.float64)
        fit = pf.feols(f"werk ~ {' + '.join(kol)} | client_id + kalendermaand", data=pm, vcov={"CRV1": "client_id"},
                       ssc=pf.ssc(k_adj=True, k_fixef="none", G_adj=True), copy_data=False, store_data=False,
                       lean=True, fixef_rm="none")
        coef, sen = fit.coef(), fit.se()
        termen = [k for k in kol if k in coef.index]
        b, se, n = coef[termen].tolist(), sen[termen].tolist(), int(fit._N)
    return {"engine": engine, "rijen": n, "wand_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
            "rss_na_lezen_gb": na_lezen, "piek_gb": _rss_gb(), "termen": termen, "schatting": b, "se": se}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-clienten", type=int, default=100_000)
    ap.add_argument("--maanden", type=int, default=60)
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--_kind", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._kind:
        print(json.dumps(_kind(*a._kind)))
        return
    from bench_panel import genereer

    print(f"belasting (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}", flush=True)
    with tempfile.TemporaryDirectory() as d:
        pad = str(Path(d) / "pm.parquet")
        t0 = time.perf_counter()
        genereer(a.n_clienten, a.maanden).to_parquet(pad, index=False)
        print(f"{a.n_clienten} clienten x {a.maanden} maanden naar Parquet in {time.perf_counter() - t0:.1f} s", flush=True)
        uit = {}
        for eng in a.engines:
            p = subprocess.run([sys.executable, __file__, "--_kind", eng, pad], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{eng:9s} mislukt (code {p.returncode}): {p.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            uit[eng] = r
            print(f"{eng:9s} {r['rijen']:>11,d} rijen  schatten {r['wand_s']:7.1f} s wand / {r['cpu_s']:7.1f} s cpu  "
                  f"piek {r['piek_gb']:5.2f} GB (na lezen {r['rss_na_lezen_gb']:4.2f} GB)  "
                  f"belasting {os.getloadavg()[0]:.2f}", flush=True)
    if "fwl" in uit:
        f = uit["fwl"]
        for eng, r in uit.items():
            if eng == "fwl":
                continue
            idx = [r["termen"].index(t) for t in f["termen"]]
            db = np.max(np.abs(np.subtract(f["schatting"], np.take(r["schatting"], idx))))
            ds = np.max(np.abs(np.subtract(f["se"], np.take(r["se"], idx)) / np.asarray(f["se"])))
            print(f"{eng} / fwl: tijd {r['wand_s'] / f['wand_s']:5.2f}x wand, {r['cpu_s'] / f['cpu_s']:5.2f}x cpu; "
                  f"piekgeheugen {r['piek_gb'] / f['piek_gb']:5.2f}x; max |verschil| schatting {db:.1e}, "
                  f"max relatief verschil se {ds:.1e}")
        print("termen:", f["termen"])
        print("schatting fwl:", np.round(f["schatting"], 5).tolist())
        print("se fwl:       ", np.round(f["se"], 6).tolist())


if __name__ == "__main__":
    main()
