"""Monte Carlo of the multiplicity corrections and the subgroup difference test (issue 19).

Scenario ``nul``: every instrument effect zero (``nul_effecten``), so every cell ATT and every subgroup difference
is zero: the family-wise error rate (FWER) of Holm and Romano-Wolf at 5%, for the family of all instrument cells
(g-formula and risk-set, att at the horizon) and the family of all subgroup differences.
Scenario ``hetero``: the default effects plus :data:`evaluatie.simulatie.heterogeniteit.VOORBEELD` (jobcoaching
+0.5 log-odds after the programme for statushouders, -0.5 for 55+): the power of the difference test (raw and
adjusted) for the jobcoaching cells, and the coverage of the difference's 95% interval of the expected truth.

Usage (one line per replication is appended to ``--uit``; ``--vat-samen`` prints the table)::

    OPENBLAS_NUM_THREADS=1 python benchmarks/mc_multipliciteit.py nul --replicaties 40 --clienten 1500 --bootstrap 50
    OPENBLAS_NUM_THREADS=1 python benchmarks/mc_multipliciteit.py hetero --replicaties 20 --clienten 4685 --bootstrap 50
    python benchmarks/mc_multipliciteit.py samen benchmarks/results/mc_multipliciteit_*.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def een(scenario: str, seed: int, n: int, B: int, H: int) -> dict:
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.effecten.subgroepen import Subgroepconfig
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer
    from evaluatie.simulatie.config import SimulatieConfig, nul_effecten
    from evaluatie.simulatie.heterogeniteit import VOORBEELD

    cfg = SimulatieConfig(effecten=nul_effecten()) if scenario == "nul" else SimulatieConfig(heterogeniteit=VOORBEELD)
    sim = simuleer(seed=seed, n_clienten=n, config=cfg)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(horizon=H, horizonnen=(H,), e_horizon=H, bootstrap=B, n_jobs=1, seed=seed,
                                        duurzaam=(), uitkeringsmaanden=(H,),
                                        subgroepen=Subgroepconfig(indelingen=("statushouder", "55plus"))))
    t = r.celtoetsen
    s = r.subgroepen
    uit: dict = {"seed": seed}
    for meth in ("gformule", "risicoset"):
        a = t[(t.toets == "att") & (t.methode == meth)]
        d = s[(s.maat == "verschil") & (s.methode == meth) & (s.status == "geschat")]
        for naam, f in (("cellen", a), ("subgroepen", d)):
            uit[f"{naam}_{meth}_m"] = int(f["p"].notna().sum())
            for p in ("p", "p_holm", "p_romano_wolf"):
                uit[f"{naam}_{meth}_{p}"] = bool((f[p] < 0.05).any())
        if scenario == "hetero":
            w = sim.waarheid["effecten"]["jobcoaching"]
            for x in d[d.instrument == "jobcoaching"].itertuples():
                k = "statushouder" if x.indeling == "statushouder" else "55plus"
                tw = w[x.categorie]["subgroepen"][k]
                waar = tw["subgroep"][H - 1] - tw["rest"][H - 1]
                sl = f"jc_{x.categorie}_{k}_{meth}"
                uit[sl] = {"schatting": x.schatting, "waar": waar, "p": x.p, "p_holm": x.p_holm,
                           "p_rw": x.p_romano_wolf, "dekt": bool(x.ci_laag <= waar <= x.ci_hoog)}
    return uit


def samen(paden: list[str]) -> None:
    for pad in paden:
        rijen = [json.loads(r) for r in Path(pad).read_text().splitlines() if r.strip()]
        if not rijen:
            continue
        print(f"== {pad}: {len(rijen)} replicaties")
        sleutels = [k for k in rijen[0] if isinstance(rijen[0][k], bool)]
        for k in sleutels:
            x = np.array([r[k] for r in rijen], dtype=float)
            print(f"  P(minstens één p < 0,05) {k:42s} {x.mean():.3f} (MC-se {x.std(ddof=1) / np.sqrt(len(x)):.3f})")
        ms = [k for k in rijen[0] if k.endswith("_m")]
        for k in ms:
            print(f"  gemiddeld aantal toetsen {k:42s} {np.mean([r[k] for r in rijen]):.1f}")
        jc = sorted({k for r in rijen for k in r if k.startswith("jc_")})
        for k in jc:
            v = [r[k] for r in rijen if k in r]
            if not v:
                continue
            f = lambda n: np.mean([x[n] for x in v])  # noqa: E731
            print(f"  {k:32s} n={len(v):3d} waar {f('waar'):+.3f} gem. schatting {f('schatting'):+.3f} "
                  f"power ruw {np.mean([x['p'] < 0.05 for x in v]):.2f} Holm {np.mean([x['p_holm'] < 0.05 for x in v]):.2f} "
                  f"RW {np.mean([x['p_rw'] < 0.05 for x in v]):.2f} dekking 95% {np.mean([x['dekt'] for x in v]):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=("nul", "hetero", "samen"))
    ap.add_argument("bestanden", nargs="*")
    ap.add_argument("--replicaties", type=int, default=20)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--clienten", type=int, default=1500)
    ap.add_argument("--bootstrap", type=int, default=50)
    ap.add_argument("--horizon", type=int, default=12)
    ap.add_argument("--uit", type=str, default=None)
    a = ap.parse_args()
    if a.scenario == "samen":
        samen(a.bestanden)
        return
    uit = Path(a.uit or f"benchmarks/results/mc_multipliciteit_{a.scenario}.jsonl")
    uit.parent.mkdir(parents=True, exist_ok=True)
    w0, c0 = time.perf_counter(), time.process_time()
    for i in range(a.start, a.start + a.replicaties):
        r = een(a.scenario, 100_000 + i, a.clienten, a.bootstrap, a.horizon)
        r.update(clienten=a.clienten, bootstrap=a.bootstrap, horizon=a.horizon)
        with uit.open("a") as f:
            f.write(json.dumps(r) + "\n")
        print(f"replicatie {i}: wand {time.perf_counter() - w0:.0f} s, cpu {time.process_time() - c0:.0f} s",
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
