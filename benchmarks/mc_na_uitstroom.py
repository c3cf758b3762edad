"""Monte Carlo of the estimators after the first exit: 95% CI coverage of the durable-exit ATT and of the
months-on-benefit difference and of the attributable share of durable exits against the simulator's expected
truth.

Usage::

    nice -n 10 .venv/bin/python benchmarks/mc_na_uitstroom.py [--replicaties 200] [--clienten 1000]
        [--bootstrap 100] [--uit benchmarks/results/mc_na_uitstroom.txt]

Each replication simulates a population (seed = replication number), estimates with the g-formula (B
client-clustered bootstrap replicates) and compares the pooled cells (``alle`` x categorie and ``alle`` x
``alle``) with the expected truth of ``truth.json`` (``duurzaam[k{k}_h{h}].att_verwacht``,
``uitkeringsmaanden[m{H}].verschil_verwacht``; the categorie rows are the participant-weighted means of the
cells' truths, which is exact because the expected truth is a mean over participants). Only the pooled
cells are estimated (``min_schatten`` above every cell size) so that 200 replications fit in an hour on one
core. The attributable share of durable exits is compared with
``populatie.toerekenbaar_aandeel_duurzaam_{k}_verwacht``.

Partial results are written after every replication (the table and the raw rows beside it).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

GROOTHEDEN = (("duurzaam_werk_6", 24), ("duurzaam_werk_12", 24), ("duurzaam_werk_6", 12))
MAANDEN = (12, 24, 36)


def _waarheid_cat(eff: dict, cat: str, pad) -> float:
    n = v = 0.0
    for per in eff.values():
        t = per.get(cat)
        if t is None or not t.get("n_deelnemers"):
            continue
        x = pad(t)
        if x is None:
            continue
        n += t["n_deelnemers"]
        v += t["n_deelnemers"] * x
    return v / n if n else float("nan")


def een_replicatie(seed: int, n_clienten: int, B: int) -> list[dict]:
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=seed, n_clienten=n_clienten)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    r = schat_effecten(pm, Effectconfig(bootstrap=B, seed=seed, min_schatten=10 ** 9, duurzaam=(6, 12),
                                        uitkeringsmaanden=MAANDEN))
    w = sim.waarheid
    eff, gep = w["effecten"], w["na_uitstroom_gepoold"]
    e, um = r.effecten, r.uitkeringsmaanden
    rows = []
    for cat in ("A", "B", "C", "alle"):
        for uitkomst, h in GROOTHEDEN:
            k = int(uitkomst.rsplit("_", 1)[1])
            sleutel = f"k{k}_h{h}"
            waar = (gep["duurzaam"][sleutel]["att_verwacht"] if cat == "alle"
                    else _waarheid_cat(eff, cat, lambda t: t["duurzaam"][sleutel]["att_verwacht"]))
            x = e[(e.instrument == "alle") & (e.categorie == cat) & (e.uitkomst == uitkomst) & (e.maat == "att")
                  & (e.horizon == h) & (e.methode == "gformule")]
            if len(x):
                x = x.iloc[0]
                rows.append(dict(seed=seed, cel=cat, grootheid=f"att_{uitkomst}_h{h}", waarheid=waar, schatting=x.schatting,
                                 se=x.se, ci_laag=x.ci_laag, ci_hoog=x.ci_hoog))
        for H in MAANDEN:
            waar = (gep["uitkeringsmaanden"][f"m{H}"]["verschil_verwacht"] if cat == "alle"
                    else _waarheid_cat(eff, cat, lambda t: t["uitkeringsmaanden"][f"m{H}"]["verschil_verwacht"]))
            x = um[(um.instrument == "alle") & (um.categorie == cat) & (um.horizon == H) & (um.maat == "verschil")]
            if len(x):
                x = x.iloc[0]
                rows.append(dict(seed=seed, cel=cat, grootheid=f"uitkeringsmaanden_verschil_m{H}", waarheid=waar,
                                 schatting=x.schatting, se=x.se, ci_laag=x.ci_laag, ci_hoog=x.ci_hoog))
    pop = r.populatie.set_index("maat")
    x = pop.loc["toerekenbaar_aandeel"]  # the first exit's share, for comparison
    rows.append(dict(seed=seed, cel="populatie", grootheid="toerekenbaar_aandeel",
                     waarheid=w["populatie"]["toerekenbaar_aandeel_verwacht"],
                     schatting=x.schatting, se=x.se, ci_laag=x.ci_laag, ci_hoog=x.ci_hoog))
    for k in (6, 12):
        x = pop.loc[f"toerekenbaar_aandeel_duurzaam_{k}"]
        rows.append(dict(seed=seed, cel="populatie", grootheid=f"toerekenbaar_aandeel_duurzaam_{k}",
                         waarheid=w["populatie"][f"toerekenbaar_aandeel_duurzaam_{k}_verwacht"],
                         schatting=x.schatting, se=x.se, ci_laag=x.ci_laag, ci_hoog=x.ci_hoog))
    return rows


def samenvatting(df: pd.DataFrame) -> pd.DataFrame:
    out = []
    for (g, cel), d in df.groupby(["grootheid", "cel"], sort=True):
        ok = d.ci_laag.notna() & d.ci_hoog.notna()
        dek = ((d.ci_laag <= d.waarheid) & (d.waarheid <= d.ci_hoog))[ok & d.waarheid.notna()]
        out.append(dict(grootheid=g, cel=cel, replicaties=len(d), waarheid_gem=d.waarheid.mean(),
                        schatting_gem=d.schatting.mean(), bias=(d.schatting - d.waarheid).mean(),
                        sd_schatting=d.schatting.std(ddof=1), se_gem=d.se.mean(),
                        dekking_95=dek.mean() if len(dek) else np.nan))
    return pd.DataFrame(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicaties", type=int, default=200)
    ap.add_argument("--clienten", type=int, default=1000)
    ap.add_argument("--bootstrap", type=int, default=100)
    ap.add_argument("--start", type=int, default=1, help="eerste seed")
    ap.add_argument("--uit", type=Path, default=Path("benchmarks/results/mc_na_uitstroom.txt"))
    ap.add_argument("--voeg-samen", type=Path, nargs="+", default=None,
                    help="alleen de ruwe CSV's van eerdere (parallelle) runs samenvatten naar --uit")
    a = ap.parse_args()
    if a.voeg_samen:
        df = pd.concat([pd.read_csv(f) for f in a.voeg_samen], ignore_index=True)
        n = df.seed.nunique()
        kop = (f"Monte Carlo na de eerste uitstroom: {n} replicaties (seeds {', '.join(str(f) for f in a.voeg_samen)}), "
               f"g-formule, gepoolde cellen\n"
               "dekking_95: aandeel replicaties waarvan het 95%-BI (percentiel) de verwachte waarheid bevat; "
               "toerekenbaar_aandeel_duurzaam: tegen populatie.toerekenbaar_aandeel_duurzaam_{k}_verwacht.\n\n")
        a.uit.write_text(kop + samenvatting(df).to_string(index=False, float_format=lambda x: f"{x:.4f}") + "\n",
                         encoding="utf-8")
        return
    ruw = a.uit.with_suffix(".csv")
    a.uit.parent.mkdir(parents=True, exist_ok=True)
    alle: list[dict] = []
    t0 = time.perf_counter()
    from evaluatie.voortgang import balk, stil

    voortgang = balk(a.replicaties, "Monte Carlo", eenheid="replicatie")
    for i in range(a.replicaties):
        with stil():  # one bar (the replications), not one per replication's bootstrap
            alle += een_replicatie(a.start + i, a.clienten, a.bootstrap)
        voortgang.update(1)
        df = pd.DataFrame(alle)
        df.to_csv(ruw, index=False, float_format="%.10g")
        s = samenvatting(df)
        kop = (f"Monte Carlo na de eerste uitstroom: {i + 1} van {a.replicaties} replicaties, {a.clienten} clienten, "
               f"B = {a.bootstrap}, g-formule, gepoolde cellen; {time.perf_counter() - t0:.0f} s\n"
               f"commando: benchmarks/mc_na_uitstroom.py --replicaties {a.replicaties} --clienten {a.clienten} "
               f"--bootstrap {a.bootstrap} --start {a.start}\n"
               "dekking_95: aandeel replicaties waarvan het 95%-BI (percentiel) de verwachte waarheid bevat; "
               "toerekenbaar_aandeel_duurzaam: tegen populatie.toerekenbaar_aandeel_duurzaam_{k}_verwacht.\n\n")
        a.uit.write_text(kop + s.to_string(index=False, float_format=lambda x: f"{x:.4f}") + "\n", encoding="utf-8")
    voortgang.close()


if __name__ == "__main__":
    main()
