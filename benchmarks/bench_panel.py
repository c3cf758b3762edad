"""Benchmark: person-month FE LPM at national scale (default 400,000 clients x 60 months = 24M rows).

    .venv/bin/python benchmarks/bench_panel.py                      # fwl engine, national scale
    .venv/bin/python benchmarks/bench_panel.py --engine panelols    # linearmodels PanelOLS
    .venv/bin/python benchmarks/bench_panel.py --engine beide --n-clienten 50000   # side by side + equality

Each engine runs in a fresh subprocess so its peak resident memory (ru_maxrss) is its own. The generator
is self-contained: person-month columns of the contract (client_id, spell_id, kalendermaand, status,
<code>_in/_na for 4 instruments), spells ending at exit, instrument starts at random months.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

INSTRUMENTEN = ("jobcoaching", "scholing", "loonkostensubsidie", "arbeidstraining")
EFFECT_IN = (0.010, -0.010, 0.020, 0.0)
EFFECT_NA = (0.005, 0.008, 0.010, 0.0)


def genereer(n_clienten: int, maanden: int, seed: int = 1) -> pd.DataFrame:
    """Person-month table: every client observed ``maanden`` months; a spell ends at an exit (to work
    with monthly probability ``p_i + effects of instrument state``, otherwise 0.6% for other reasons) and a
    new spell starts the next month. Each spell draws its own instrument starts (30% per instrument)."""
    rng = np.random.default_rng(seed)
    k = len(INSTRUMENTEN)
    basis = rng.beta(2, 60, n_clienten)  # person-level heterogeneity of the work hazard
    spell = np.arange(n_clienten, dtype=np.int64)
    volgende = n_clienten
    start = np.zeros(n_clienten, dtype=np.int16)

    def schema(n):
        return (rng.random((n, k)) < 0.3, rng.integers(0, 12, (n, k)), rng.integers(2, 9, (n, k)))

    neemt, st, du = schema(n_clienten)
    S = np.empty((maanden, n_clienten), dtype=np.int64)
    M = np.empty((maanden, n_clienten), dtype=np.int16)
    ST = np.empty((maanden, n_clienten), dtype=np.int8)
    IN = np.empty((maanden, n_clienten, k), dtype=np.int8)
    NA = np.empty((maanden, n_clienten, k), dtype=np.int8)
    bi, bn = np.array(EFFECT_IN), np.array(EFFECT_NA)
    for t in range(maanden):
        m = (t - start)[:, None]
        cin = neemt & (m >= st) & (m < st + du)
        cna = neemt & (m >= st + du)
        p = np.clip(basis + cin @ bi + cna @ bn, 0.001, 0.9)
        u = rng.random(n_clienten)
        status = np.where(u < p, 1, np.where(u < p + 0.006, rng.integers(2, 6, n_clienten), 0))
        S[t], M[t], ST[t], IN[t], NA[t] = spell, m[:, 0], status, cin, cna
        uit = np.flatnonzero(status > 0)  # a new spell starts next month
        spell[uit] = volgende + np.arange(len(uit))
        volgende += len(uit)
        start[uit] = t + 1
        neemt[uit], st[uit], du[uit] = schema(len(uit))
    kalender = pd.period_range("2015-01", periods=maanden, freq="M").astype(str)
    t_idx = np.tile(np.arange(maanden, dtype=np.int16), n_clienten)
    cols = {}
    for j, code in enumerate(INSTRUMENTEN):
        cols[f"{code}_in"] = IN[:, :, j].T.ravel()
        cols[f"{code}_na"] = NA[:, :, j].T.ravel()
    return pd.DataFrame({"client_id": np.repeat(np.arange(n_clienten, dtype=np.int64), maanden),
                         "spell_id": S.T.ravel(), "maand": M.T.ravel(),
                         "kalendermaand": pd.Categorical.from_codes(t_idx, categories=kalender),
                         "status": ST.T.ravel(), **cols})


def _een(engine: str, n: int, maanden: int) -> dict:
    from evaluatie.panel.persoon import schat_persoon_fe

    t0 = time.perf_counter()
    pm = genereer(n, maanden)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = schat_persoon_fe(pm, engine=engine)
    t_fit = time.perf_counter() - t0
    return {"engine": engine, "n_clienten": n, "rijen": r.n_obs, "spells": r.n_eenheden,
            "genereren_s": round(t_gen, 1), "schatten_s": round(t_fit, 1),
            "piekgeheugen_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2),
            "schatting": r.schatting.tolist(), "se": r.se.tolist()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-clienten", type=int, default=400_000)
    ap.add_argument("--maanden", type=int, default=60)
    ap.add_argument("--engine", choices=["fwl", "panelols", "beide"], default="fwl")
    ap.add_argument("--_kind", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._kind:
        print(json.dumps(_een(a.engine, a.n_clienten, a.maanden)))
        return
    uit = []
    for eng in (["fwl", "panelols"] if a.engine == "beide" else [a.engine]):
        p = subprocess.run([sys.executable, __file__, "--_kind", "--engine", eng, "--n-clienten", str(a.n_clienten),
                            "--maanden", str(a.maanden)], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{eng}: mislukt (code {p.returncode})\n{p.stderr[-2000:]}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        uit.append(r)
        print(f"{eng:9s} {r['rijen']:>11,d} rijen  {r['spells']:>9,d} spells  genereren {r['genereren_s']:6.1f} s  "
              f"schatten {r['schatten_s']:7.1f} s  piekgeheugen {r['piekgeheugen_gb']:5.2f} GB")
    if len(uit) == 2:
        db = np.max(np.abs(np.subtract(uit[0]["schatting"], uit[1]["schatting"])))
        ds = np.max(np.abs(np.subtract(uit[0]["se"], uit[1]["se"])))
        print(f"max |verschil| schatting {db:.2e}, se {ds:.2e}")
    if uit:
        print("schattingen (in/na per instrument):", np.round(uit[0]["schatting"], 4).tolist())
        print("geplant (verschuiving maandkans werk):", list(sum(zip(EFFECT_IN, EFFECT_NA), ())))


if __name__ == "__main__":
    main()
