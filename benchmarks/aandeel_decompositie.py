"""Where the error of the attributable share comes from, and how much of it the bootstrap sees.

The share is ``A / T`` with ``A = sum_i (met_i - zonder_i)`` over the participants (``met``: exit to werk in
the window observed; ``zonder``: the g-formula's no-instrument CIF at the window end) and ``T`` all exits to
werk in the window. Against the simulator's expected truth ``A* = sum_i (p1_i - p0_i)`` the error splits
exactly into

* ``e1 = sum_i met_i - sum_i p1_i``: the participants' own outcome noise (binomial given their hazards);
* ``e2 = sum_i zonder_i - sum_i p0_i``: the model error of the counterfactual;

``A - A* = e1 - e2``. ``punt`` runs many seeds without bootstrap and gives the SD of each part and of the
share's error; ``bootstrap`` runs a few seeds with the package's own client-clustered replicates and gives
the bootstrap SD of ``A`` and of the share, to set against the first. Seeds 0, 1, ... (the demo is seed 1).

Usage::

    .venv/bin/python benchmarks/aandeel_decompositie.py punt [--seeds 200] [--n-jobs 2]
    .venv/bin/python benchmarks/aandeel_decompositie.py bootstrap [--seeds 12] [--B 60] [--n-jobs 2]

Not a test (``punt`` with 200 seeds takes about 8 minutes on 2 cores, ``bootstrap`` with 12 seeds and
B = 60 about 9 minutes); the figures go into NOTES.md.
"""
from __future__ import annotations

import argparse
import os
from multiprocessing import get_context

import numpy as np
import pandas as pd

N_CLIENTEN = 4685


def een_seed(seed: int, B: int = 0) -> dict:
    """Parts of the share's error for one simulated population (and bootstrap SDs when ``B`` > 0)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import evaluatie.simulatie.simulator as sm
    from evaluatie.effecten import Effectconfig
    from evaluatie.effecten.kern import maak_celrijen_alle, maak_cellen, maak_risicosets, schat_punt, schat_replicaat
    from evaluatie.effecten.ontwerp import maak_ontwerp
    from evaluatie.prepare import persoonmaanden

    gezien: dict = {}
    echte = sm.bereken_waarheid

    def onthoud(**kw):  # the simulator's own arrays (expected CIFs per participant), not in truth.json
        gezien.update(kw)
        return echte(**kw)

    sm.bereken_waarheid = onthoud
    try:
        sim = sm.simuleer(seed=seed, n_clienten=N_CLIENTEN)
    finally:
        sm.bereken_waarheid = echte
    verw, start, feit, dn = gezien["verwachting"], gezien["start"], gezien["feit"], gezien["deelnemers"]
    w1 = gezien["venster"][1]
    hv = w1 - (start[dn] + feit.d[dn])
    i = np.arange(len(dn))
    p1, p0 = float(verw.met[i, hv].sum()), float(verw.zonder[i, hv].sum())

    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    cfg = Effectconfig(bootstrap=0)
    o, _ = maak_ontwerp(pm, cfg.spec, H=cfg.horizon)
    cellen, _ = maak_cellen(o, cfg.min_schatten)
    rsets, crij = maak_risicosets(o), maak_celrijen_alle(o, cellen)
    punt, fits, _ = schat_punt(o, cellen, rsets, crij, cfg.horizon)
    pop = punt.populatie.als_vector()
    h = np.minimum(o.p_hvenster, o.proj_idx.shape[1]) - 1
    zonder = float(punt.cif0_deelnemers[np.arange(len(h)), h].sum())
    met = float((o.p_eind == 1).sum())
    uit = {"seed": seed, "deelnemers": len(dn), "deelnemers_schatter": len(h), "T": pop[2], "aandeel": pop[0],
           "waar": (p1 - p0) / pop[2], "e1": met - p1, "e2": zonder - p0}
    if B:
        rng = np.random.default_rng(seed + 999)
        a, s, model, deeln = [], [], [], []
        z_punt = punt.cif0_deelnemers[np.arange(len(h)), h]
        met_i = (o.p_eind == 1).astype(float)
        for _ in range(B):
            w = rng.multinomial(o.n_clienten, np.full(o.n_clienten, 1 / o.n_clienten)).astype(float)
            rb = schat_replicaat(o, cellen, rsets, crij, w, cfg.horizon, fits, cfg.stappen)
            a.append(rb.populatie.toegerekende_uitstroom)
            s.append(rb.populatie.toerekenbaar_aandeel)
            # the bootstrap's view of each part: the refitted model on the same participants (e2), and the
            # resampled participants with the point estimate's model (e1 plus the spread of met - zonder)
            model.append(float(rb.cif0_deelnemers[np.arange(len(h)), h].sum()))
            deeln.append(float((w[o.p_client] * (met_i - z_punt)).sum()))
        uit.update(boot_sd_A=float(np.std(a, ddof=1)), boot_sd_aandeel=float(np.std(s, ddof=1)),
                   boot_sd_model=float(np.std(model, ddof=1)), boot_sd_deelnemers=float(np.std(deeln, ddof=1)))
    return uit


def _kaart(args: tuple[int, int]) -> dict:
    return een_seed(*args)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wat", choices=("punt", "bootstrap"))
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--B", type=int, default=60)
    ap.add_argument("--n-jobs", type=int, default=2)
    a = ap.parse_args(argv)
    n = a.seeds or (200 if a.wat == "punt" else 12)
    B = 0 if a.wat == "punt" else a.B
    with get_context("spawn").Pool(a.n_jobs) as pool:
        d = pd.DataFrame(pool.map(_kaart, [(s, B) for s in range(n)]))
    assert (d.deelnemers == d.deelnemers_schatter).all(), "estimator and simulator disagree on the participants"
    fout = d.aandeel - d.waar
    eA = d.e1 - d.e2
    print(f"{n} seeds, {N_CLIENTEN} clienten, participants {d.deelnemers.mean():.0f} on average")
    print(f"  e1 (participants' outcome noise): mean {d.e1.mean():+.1f}, SD {d.e1.std():.1f} exits")
    print(f"  e2 (model error of the counterfactual): mean {d.e2.mean():+.1f}, SD {d.e2.std():.1f} exits")
    print(f"  corr(e1, e2) {np.corrcoef(d.e1, d.e2)[0, 1]:+.2f}; A - A*: SD {eA.std():.1f} exits")
    print(f"  share: mean error {fout.mean():+.4f}, SD {fout.std():.4f}")
    if B:
        rms = {k: float(np.sqrt((d[k] ** 2).mean())) for k in ("boot_sd_A", "boot_sd_aandeel", "boot_sd_model",
                                                               "boot_sd_deelnemers")}
        print(f"  bootstrap (B = {B}): RMS SD of A {rms['boot_sd_A']:.1f} exits, RMS SE of the share "
              f"{rms['boot_sd_aandeel']:.4f}; model part alone {rms['boot_sd_model']:.1f} exits (compare e2), "
              f"participants alone {rms['boot_sd_deelnemers']:.1f} (compare e1)")
    print(d.round(4).to_string(index=False) if n <= 20 else d.describe().round(4).to_string())


if __name__ == "__main__":
    main()
