"""Benchmark: evaluatie.survival.cox (Efron) vs R coxph, statsmodels PHReg, lifelines CoxTimeVaryingFitter.

National-scale counting-process data generated here (self-contained, seeded): by default 400,000
clients followed monthly for up to 5 years (60 months), 10 time-varying 0/1 instrument covariates
(``i01_in`` … ``i10_in``), static leeftijd, vrouw and categorie (B, C dummies), delayed entry for 30%
of the spells, exit to werk (cause 1) competing with other exits (cause 2), times in days on a monthly
grid (heavy ties). All fits are single-threaded (BLAS threads = 1) for a fair comparison.

Usage::

    .venv/bin/python benchmarks/bench_cox.py                    # 400k clients
    .venv/bin/python benchmarks/bench_cox.py --clients 50000 --lifelines-clients 5000

Times: ours = the whole ``cox()`` call (checks, design, index, Newton-Raphson, variance); R = only
``system.time(coxph(...))`` on a data.table already in memory; statsmodels = ``PHReg(...).fit()``;
lifelines on a subsample of clients, extrapolated linearly in rows (labelled as such).
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

N_INSTR = 10
MONTH = 30  # days per month on the grid


def generate(n_clients: int, seed: int = 20240601) -> pd.DataFrame:
    """Counting-process rows (start, stop] in days with status 0/1/2 on the last row of a spell."""
    rng = np.random.default_rng(seed)
    n = n_clients
    leeftijd = rng.integers(18, 65, n).astype(float)
    vrouw = rng.integers(0, 2, n).astype(float)
    cat = rng.choice(3, n, p=[0.1, 0.25, 0.65])
    entry = np.where(rng.random(n) < 0.3, rng.integers(1, 36, n), 0)       # months already on benefit
    horizon = entry + rng.integers(12, 61, n)                                # end of observation
    has = rng.random((n, N_INSTR)) < 0.15
    i_start = rng.integers(0, 48, (n, N_INSTR))
    i_end = i_start + rng.integers(3, 13, (n, N_INSTR))
    i_start = np.where(has, i_start, 10_000)
    i_end = np.where(has, i_end, 10_000)
    b_instr = np.linspace(-0.3, 0.4, N_INSTR)
    lp_static = -0.02 * (leeftijd - 40) - 0.1 * vrouw + np.array([0.0, -0.5, -1.2])[cat]
    status = np.zeros(n, dtype=np.int64)
    exit_m = horizon.copy()
    alive = np.ones(n, dtype=bool)
    for m in range(int(entry.min()), int(horizon.max())):
        act = alive & (m >= entry) & (m < horizon)
        if not act.any():
            continue
        idx = np.flatnonzero(act)
        on = (i_start[idx] <= m) & (m < i_end[idx])
        h1 = 0.03 * np.exp(lp_static[idx] + on @ b_instr)
        h2 = np.full(len(idx), 0.015)
        u = rng.random(len(idx))
        e1 = u < h1
        e2 = (~e1) & (u < h1 + h2)
        ev = idx[e1 | e2]
        status[idx[e1]] = 1
        status[idx[e2]] = 2
        exit_m[ev] = m + 1
        alive[ev] = False
    # cut points: entry, exit and instrument switches strictly inside (entry, exit)
    cid = [np.arange(n), np.arange(n)]
    cut = [entry, exit_m]
    for j in range(N_INSTR):
        for t in (i_start[:, j], i_end[:, j]):
            inside = (t > entry) & (t < exit_m)
            cid.append(np.flatnonzero(inside))
            cut.append(t[inside])
    cid, cut = np.concatenate(cid), np.concatenate(cut)
    o = np.lexsort((cut, cid))
    cid, cut = cid[o], cut[o]
    keep = np.r_[True, (cid[1:] != cid[:-1]) | (cut[1:] != cut[:-1])]
    cid, cut = cid[keep], cut[keep]
    nxt_same = np.r_[cid[1:] == cid[:-1], False]
    a = cut[:-1][nxt_same[:-1]]
    b = cut[1:][nxt_same[:-1]]
    c = cid[:-1][nxt_same[:-1]]
    last = np.r_[c[1:] != c[:-1], True]
    df = pd.DataFrame({"client_id": c, "start": a * MONTH * 1.0, "stop": b * MONTH * 1.0,
                       "status": np.where(last, status[c], 0)})
    for j in range(N_INSTR):
        df[f"i{j + 1:02d}_in"] = ((i_start[c, j] <= a) & (a < i_end[c, j])).astype(float)
    df["leeftijd"] = leeftijd[c]
    df["vrouw"] = vrouw[c]
    df["cat_B"] = (cat[c] == 1).astype(float)
    df["cat_C"] = (cat[c] == 2).astype(float)
    return df


R_SCRIPT = r"""
suppressPackageStartupMessages({library(survival); library(data.table); library(jsonlite)})
args <- commandArgs(TRUE)
d <- fread(args[1])
d[, werk := as.integer(status == 1)]
f <- as.formula(paste("Surv(start, stop, werk) ~", args[3]))
tm <- system.time(fit <- coxph(f, data = d, ties = "efron"))
writeLines(toJSON(list(seconds = unname(tm["elapsed"]), coef = unname(coef(fit)),
                       se = unname(sqrt(diag(fit$var))), iter = fit$iter), digits = NA, auto_unbox = TRUE),
           args[2])
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=400_000)
    ap.add_argument("--lifelines-clients", type=int, default=20_000)
    ap.add_argument("--statsmodels-clients", type=int, default=0, help="0 = all")
    ap.add_argument("--skip", nargs="*", default=[], choices=["r", "statsmodels", "lifelines"])
    args = ap.parse_args()

    from evaluatie.survival import cox

    t0 = time.perf_counter()
    df = generate(args.clients)
    covs = [f"i{j + 1:02d}_in" for j in range(N_INSTR)] + ["leeftijd", "vrouw", "cat_B", "cat_C"]
    print(f"gegevens: {args.clients} cliënten, {len(df):,} rijen, {int((df.status == 1).sum()):,} "
          f"uitstroom naar werk, {df.stop.nunique()} unieke stoptijden, {len(covs)} covariaten "
          f"(gegenereerd in {time.perf_counter() - t0:.1f} s)")
    res = {}

    t0 = time.perf_counter()
    fit = cox(None, df, covariates=covs, start="start", stop="stop", event="status", cause=1, ties="efron")
    res["evaluatie"] = (time.perf_counter() - t0, fit.params.to_numpy(), fit.se_model.to_numpy(), "alle rijen")
    print(f"evaluatie.cox: {res['evaluatie'][0]:.2f} s ({fit.iterations} iteraties)")

    if "r" not in args.skip:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "d.csv"
            df.to_csv(csv, index=False)
            rs = Path(tmp) / "bench.R"
            rs.write_text(R_SCRIPT)
            out = Path(tmp) / "r.json"
            subprocess.run(["Rscript", str(rs), str(csv), str(out), " + ".join(covs)], check=True,
                           env={**os.environ, "OMP_NUM_THREADS": "1"})
            r = json.loads(out.read_text())
        res["R coxph"] = (r["seconds"], np.array(r["coef"]), np.array(r["se"]), "alle rijen")
        print(f"R coxph: {r['seconds']:.2f} s ({r['iter']} iteraties)")

    if "statsmodels" not in args.skip:
        from statsmodels.duration.hazard_regression import PHReg

        sub = df if not args.statsmodels_clients else df[df.client_id < args.statsmodels_clients]
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = PHReg(sub["stop"].to_numpy(), sub[covs].to_numpy(), status=(sub.status == 1).to_numpy(int),
                      entry=sub["start"].to_numpy(), ties="efron").fit()
        secs = (time.perf_counter() - t0) * len(df) / len(sub)
        label = "alle rijen" if sub is df else f"deelsteekproef {len(sub):,} rijen, lineair geëxtrapoleerd"
        res["statsmodels PHReg"] = (secs, m.params, m.bse, label)
        print(f"statsmodels PHReg: {secs:.2f} s ({label})")

    if "lifelines" not in args.skip:
        from lifelines import CoxTimeVaryingFitter

        sub = df[df.client_id < args.lifelines_clients].copy()
        sub["werk"] = (sub.status == 1).astype(int)
        t0 = time.perf_counter()
        ctv = CoxTimeVaryingFitter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ctv.fit(sub[["client_id", "start", "stop", "werk"] + covs], id_col="client_id", event_col="werk",
                    start_col="start", stop_col="stop", show_progress=False)
        secs = (time.perf_counter() - t0) * len(df) / len(sub)
        res["lifelines CTV"] = (secs, None, None,
                                f"deelsteekproef {len(sub):,} rijen, lineair geëxtrapoleerd (schattingen niet vergeleken)")
        print(f"lifelines CoxTimeVaryingFitter: {secs:.2f} s (geëxtrapoleerd)")

    ref = res.get("R coxph")
    print("\nmethode                 seconden  ratio t.o.v. R  max |Δcoef| t.o.v. R  max rel Δse  opmerking")
    for k, (secs, coef, se, label) in res.items():
        ratio = secs / ref[0] if ref else float("nan")
        if ref is not None and coef is not None:
            dc = np.max(np.abs(coef - ref[1]))
            ds = np.max(np.abs(se - ref[2]) / ref[2])
            cmp_txt = f"{dc:20.2e}  {ds:11.2e}"
        else:
            cmp_txt = f"{'-':>20}  {'-':>11}"
        print(f"{k:<22}{secs:10.2f}  {ratio:14.2f}  {cmp_txt}  {label}")


if __name__ == "__main__":
    main()
