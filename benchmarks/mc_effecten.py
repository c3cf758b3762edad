"""Monte Carlo of the effect estimator on the package simulator: bias and coverage of the bootstrap CIs.

Each replicate simulates a Werkplein-sized population with its own seed (selection on observables, the
default true effects), runs `schat_effecten` with a client-clustered bootstrap, and compares every
estimate with the simulator's **expected** truth (``*_verwacht`` in truth.json: exact from the true
hazards for the realised participants) and, for reference, with the realised truth. Rows are appended to a
CSV per replicate, so an interrupted run keeps what it did and a rerun continues where it stopped.

Usage::

    .venv/bin/python benchmarks/mc_effecten.py run [--R 200] [--B 200] [--n 4685] [--n-jobs 2] [--uit FILE]
    .venv/bin/python benchmarks/mc_effecten.py rapport [--uit FILE]

Not a test (it takes about an hour on 2 cores); the figures go into NOTES.md.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

STANDAARD = Path(__file__).parent / "results" / "mc_effecten.csv"
KOLOMMEN = ["replicatie", "grootheid", "instrument", "categorie", "horizon", "n_deelnemers", "schatting",
            "ci_laag", "ci_hoog", "waar_verwacht", "waar_gerealiseerd"]


def een_replicatie(r: int, n: int, B: int) -> pd.DataFrame:
    """All compared quantities of Monte Carlo replicate ``r``."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=100_000 + r, n_clienten=n)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    res = schat_effecten(pm, Effectconfig(bootstrap=B, seed=r, n_jobs=1))
    e = res.effecten
    e = e[(e.methode == "gformule") & (e.instrument != "alle")]
    rows = []
    maten = {"att": ("att_verwacht", "att_nooit"), "deadweight": ("deadweight_verwacht", "deadweight"),
             "cif_controle": ("cif_controle_verwacht", "cif_controle_nooit"),
             "cif_deelnemers": ("cif_deelnemers_verwacht", "cif_deelnemers")}
    for x in e[e.maat.isin(list(maten)) & e.horizon.isin([12, 24])].itertuples():
        t = sim.waarheid["effecten"][x.instrument][x.categorie]
        kv, kr = maten[x.maat]
        rows.append((r, x.maat, x.instrument, x.categorie, x.horizon, x.n_deelnemers, x.schatting, x.ci_laag,
                     x.ci_hoog, t[kv][x.horizon - 1], t[kr][x.horizon - 1]))
    p = res.populatie.set_index("maat").loc["toerekenbaar_aandeel"]
    w = sim.waarheid["populatie"]
    rows.append((r, "toerekenbaar_aandeel", "alle", "alle", 0, res.n_deelnemers, p.schatting, p.ci_laag, p.ci_hoog,
                 w["toerekenbaar_aandeel_verwacht"], w["toerekenbaar_aandeel"]))
    return pd.DataFrame(rows, columns=KOLOMMEN)


def _stil_replicatie(r: int, n: int, B: int) -> pd.DataFrame:
    from evaluatie.voortgang import stil

    with stil():  # one bar (the replications), not one per replication's bootstrap
        return een_replicatie(r, n, B)


def run(R: int, B: int, n: int, n_jobs: int, uit: Path) -> None:
    from joblib import Parallel, delayed

    from evaluatie.voortgang import balk

    uit.parent.mkdir(parents=True, exist_ok=True)
    klaar = set(pd.read_csv(uit)["replicatie"]) if uit.exists() else set()
    todo = [r for r in range(R) if r not in klaar]
    print(f"{len(klaar)} replicaties al klaar, {len(todo)} te gaan (n={n}, B={B})", flush=True)
    with balk(len(todo), "Monte Carlo", eenheid="replicatie") as voortgang:
        for blok in range(0, len(todo), 2 * n_jobs):
            delen = Parallel(n_jobs=n_jobs)(delayed(_stil_replicatie)(r, n, B) for r in todo[blok:blok + 2 * n_jobs])
            df = pd.concat(delen)
            df.to_csv(uit, mode="a", header=not uit.exists(), index=False)
            voortgang.update(len(delen))
            print(f"  t/m replicatie {todo[min(blok + 2 * n_jobs, len(todo)) - 1]}", flush=True)


def rapport(uit: Path) -> str:
    d = pd.read_csv(uit)
    d["gedekt"] = (d.ci_laag <= d.waar_verwacht) & (d.waar_verwacht <= d.ci_hoog)
    d["gedekt_gerealiseerd"] = (d.ci_laag <= d.waar_gerealiseerd) & (d.waar_gerealiseerd <= d.ci_hoog)
    d["fout"] = d.schatting - d.waar_verwacht
    R = d.replicatie.nunique()
    regels = [f"Monte Carlo op de simulator: {R} replicaties; 95%-percentielintervallen (bootstrap geclusterd op cliënt)",
              "dekking = aandeel intervallen dat de verwachte waarheid bevat (tussen haakjes: de gerealiseerde)", ""]
    g = d.groupby(["grootheid", "horizon"]).agg(dekking=("gedekt", "mean"), dekking_gerealiseerd=("gedekt_gerealiseerd", "mean"),
                                                gem_fout=("fout", "mean"), sd_fout=("fout", "std"),
                                                gem_breedte=("ci_hoog", "mean"), n=("gedekt", "size"))
    g["gem_breedte"] = d.assign(b=d.ci_hoog - d.ci_laag).groupby(["grootheid", "horizon"]).b.mean()
    regels.append(g.round(4).to_string())
    regels += ["", "ATT(12) per cel:"]
    a = d[(d.grootheid == "att") & (d.horizon == 12)]
    c = a.groupby(["instrument", "categorie"]).agg(n_deelnemers=("n_deelnemers", "mean"), waar=("waar_verwacht", "mean"),
                                                   schatting=("schatting", "mean"), dekking=("gedekt", "mean"),
                                                   sd_fout=("fout", "std"))
    regels.append(c.round(4).to_string())
    return "\n".join(regels)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("actie", choices=["run", "rapport"])
    ap.add_argument("--R", type=int, default=200)
    ap.add_argument("--B", type=int, default=200)
    ap.add_argument("--n", type=int, default=4685)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--uit", type=Path, default=STANDAARD)
    a = ap.parse_args()
    if a.actie == "run":
        run(a.R, a.B, a.n, a.n_jobs, a.uit)
    print(rapport(a.uit))


if __name__ == "__main__":
    sys.exit(main())
