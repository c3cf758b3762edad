"""Monte Carlo of the doelmatigheid net saving: 95% CI coverage of the net saving per participant (gemeente
view, BUIG share 0.8, and the full saving) against the simulator's expected truth.

Usage::

    OPENBLAS_NUM_THREADS=1 nice -n 10 /work/venv/bin/python benchmarks/mc_doelmatigheid.py [--replicaties 200]
        [--clienten 1000] [--bootstrap 100] [--start 1] [--uit benchmarks/results/mc_doelmatigheid.txt]
    ... --voeg-samen a.csv b.csv --uit benchmarks/results/mc_doelmatigheid.txt

Each replication simulates a population (seed = replication number), estimates the pooled cells only (as
``mc_na_uitstroom.py``, so that it fits on one core), takes the months-saved curve and its bootstrap replicates
through :meth:`Effectresultaat.reeks` and the definitions of :mod:`evaluatie.doelmatigheid.rekenen`. The cost per
participant of a pooled categorie is the participant-weighted mean of the simulator's true traject costs (the
same weights as the truth). Truth: ``aandeel x U x (-verschil_verwacht) - K`` from ``truth.json``.
CPU and wall seconds are printed in the header.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

MAANDEN = (12, 24, 36)


def een_replicatie(seed: int, n_clienten: int, B: int) -> list[dict]:
    from evaluatie.doelmatigheid import rekenen
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer
    from evaluatie.simulatie.kosten import KOSTEN_PER_TRAJECT, UITKERING_PER_JAAR

    sim = simuleer(seed=seed, n_clienten=n_clienten)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=B, seed=seed, min_schatten=10 ** 9, duurzaam=(6,),
                                        uitkeringsmaanden=MAANDEN))
    eff = sim.waarheid["effecten"]
    U = UITKERING_PER_JAAR / 12
    rows = []
    for cat in ("A", "B", "C", "alle"):
        leden = [(ins, t) for ins, per in eff.items() for c, t in per.items()
                 if (cat == "alle" or c == cat) and t.get("n_deelnemers")]
        n = sum(t["n_deelnemers"] for _, t in leden)
        K = sum(KOSTEN_PER_TRAJECT[i] * t["n_deelnemers"] for i, t in leden) / n
        p, reps = r.reeks("alle", cat, "uitkeringsmaanden_verschil")
        m = -np.vstack([p[None, :], reps])
        for aandeel in (0.8, 1.0):
            s = rekenen.besparing(m, U, aandeel=aandeel)
            for H in MAANDEN:
                waar_m = -sum(t["uitkeringsmaanden"][f"m{H}"]["verschil_verwacht"] * t["n_deelnemers"] for _, t in leden) / n
                net = rekenen.netto(s, K, H)
                pt, lo, hi, kans = rekenen.samenvatting(net[0], net[1:])
                rows.append(dict(seed=seed, cel=cat, grootheid=f"netto_aandeel{aandeel:g}_m{H}",
                                 waarheid=aandeel * U * waar_m - K, schatting=pt, se=float(np.std(net[1:], ddof=1)),
                                 ci_laag=lo, ci_hoog=hi))
    return rows


def samenvatting(df: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (g, cel), d in df.groupby(["grootheid", "cel"], sort=True):
        dek = (d.ci_laag <= d.waarheid) & (d.waarheid <= d.ci_hoog)
        out.append(dict(grootheid=g, cel=cel, replicaties=len(d), waarheid_gem=d.waarheid.mean(),
                        schatting_gem=d.schatting.mean(), bias=(d.schatting - d.waarheid).mean(),
                        sd_schatting=d.schatting.std(ddof=1), se_gem=d.se.mean(), dekking_95=dek.mean()))
    return pd.DataFrame(out)


KOP = ("dekking_95: aandeel replicaties waarvan het 95%-BI (percentiel, bootstrap) van de netto besparing per deelnemer "
       "de verwachte waarheid bevat (euro; aandeel 0.8 = gemeente, 1 = volledige besparing; zonder disconto).\n\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicaties", type=int, default=200)
    ap.add_argument("--clienten", type=int, default=1000)
    ap.add_argument("--bootstrap", type=int, default=100)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--uit", type=Path, default=Path("benchmarks/results/mc_doelmatigheid.txt"))
    ap.add_argument("--voeg-samen", type=Path, nargs="+", default=None)
    a = ap.parse_args()
    fmt = lambda x: f"{x:.4f}"  # noqa: E731
    if a.voeg_samen:
        df = pd.concat([pd.read_csv(f) for f in a.voeg_samen], ignore_index=True)
        a.uit.write_text(f"Monte Carlo doelmatigheid: {df.seed.nunique()} replicaties samengevoegd uit "
                         f"{', '.join(map(str, a.voeg_samen))}\n" + KOP
                         + samenvatting(df).to_string(index=False, float_format=fmt) + "\n", encoding="utf-8")
        return
    ruw = a.uit.with_suffix(".csv")
    a.uit.parent.mkdir(parents=True, exist_ok=True)
    alle: list[dict] = []
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(a.replicaties):
        alle += een_replicatie(a.start + i, a.clienten, a.bootstrap)
        df = pd.DataFrame(alle)
        df.to_csv(ruw, index=False, float_format="%.10g")
        kop = (f"Monte Carlo doelmatigheid: {i + 1} van {a.replicaties} replicaties, {a.clienten} clienten, "
               f"B = {a.bootstrap}, g-formule, gepoolde cellen; {time.perf_counter() - t0:.0f} s wall, "
               f"{time.process_time() - c0:.0f} s CPU\n"
               f"commando: benchmarks/mc_doelmatigheid.py --replicaties {a.replicaties} --clienten {a.clienten} "
               f"--bootstrap {a.bootstrap} --start {a.start} --uit {a.uit}\n")
        a.uit.write_text(kop + KOP + samenvatting(df).to_string(index=False, float_format=fmt) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
