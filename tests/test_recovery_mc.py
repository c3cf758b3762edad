"""Monte Carlo coverage of the bootstrap CIs (slow; `make test-slow`).

Design (feasible on 2 cores): the example DGP with one instrument per categorie-pair kept small --
two cells (jobcoaching x B with a real effect, arbeidstraining x C with lock-in) -- 6,000 clients per
replicate, B = 200 client-clustered bootstrap replicates each, R = 200 Monte Carlo replicates. Targets:
ATT(12) and deadweight(12) per cell (expected values for the realised participants, from the true
hazards) and the population attributable share. Coverage of the 95% percentile CI must lie in 0.90-0.98.

Run as a script for a report: ``.venv/bin/python tests/test_recovery_mc.py R`` (prints the table).
"""
from __future__ import annotations

import sys

import numpy as np
import pytest

from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten.voorbeeld import Voorbeeldconfig, simuleer_persoonmaanden

CFG = Voorbeeldconfig(instrumenten={
    "B": (("jobcoaching", 6, 0.2, 0.5, -3.6),),
    "C": (("arbeidstraining", 6, -0.5, 0.6, -3.8),),
})
CELLEN = (("jobcoaching", "B"), ("arbeidstraining", "C"))


def een_replicatie(r: int, n: int = 6000, B: int = 200, n_jobs: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(grootheid, waarheid, schatting, ci_laag, ci_hoog) for one Monte Carlo replicate."""
    v = simuleer_persoonmaanden(10_000 + r, n, CFG)
    res = schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=B, n_jobs=n_jobs, seed=r, horizonnen=(12,)))
    tr = v.waarheid[v.waarheid.horizon == 12].set_index(["instrument", "categorie"])
    out = []
    for ins, cat in CELLEN:
        t = tr.loc[(ins, cat)]
        a = res.waarde(ins, cat, "att", 12)
        out.append((f"att12 {ins} {cat}", t.att_nooit, a.schatting, a.ci_laag, a.ci_hoog))
        d = res.waarde(ins, cat, "deadweight", 12)
        out.append((f"deadweight12 {ins} {cat}", t.cif_controle_nooit / t.cif_deelnemers, d.schatting, d.ci_laag, d.ci_hoog))
    p = res.populatie.set_index("maat").loc["toerekenbaar_aandeel"]
    out.append(("toerekenbaar_aandeel", v.toerekenbaar_aandeel, p.schatting, p.ci_laag, p.ci_hoog))
    return out


def dekking(R: int, n_jobs: int = 2) -> dict[str, tuple[float, float]]:
    """Coverage and mean bias per quantity over ``R`` replicates (replicates run in parallel)."""
    from joblib import Parallel, delayed

    rows = Parallel(n_jobs=n_jobs)(delayed(een_replicatie)(r) for r in range(R))
    uit: dict[str, list] = {}
    for rep in rows:
        for naam, t, e, lo, hi in rep:
            uit.setdefault(naam, []).append((t, e, lo, hi))
    res = {}
    for naam, v in uit.items():
        a = np.array(v)
        res[naam] = (float(np.mean((a[:, 2] <= a[:, 0]) & (a[:, 0] <= a[:, 3]))), float(np.mean(a[:, 1] - a[:, 0])))
    return res


@pytest.mark.slow
def test_coverage_95():
    res = dekking(200)
    for naam, (cov, bias) in res.items():
        assert 0.90 <= cov <= 0.98, (naam, cov, bias)


if __name__ == "__main__":
    R = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for naam, (cov, bias) in dekking(R).items():
        print(f"{naam:40s} dekking {cov:.3f}  gem. afwijking {bias:+.4f}")
