"""Shared builders for the benchmark tests (hand-made frames with known answers; no own output copied)."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Etten-Leur, Tabel 5 of the report (seed 000, chapter 5) and the 2017 flows (CBS, % of norm).
ETTEN_LEUR = {
    "jaar": [2015, 2016, 2017, 2018, 2019],
    "buig_budget": [7_798_000.0, 8_856_000.0, 9_816_000.0, 10_091_000.0, 10_508_000.0],
    "genormeerd_aantal": [593.0, 695.0, 755.0, 741.0, 702.0],
    "feitelijk_aantal": [673.0, 696.0, 719.0, 697.0, 705.0],
}


def rij(code, jaar, norm, feit, *, naam=None, inwoners=40_000, budget=None, instroom=np.nan, uitstroom=np.nan,
        uitstroom_werk=np.nan, **extra):
    return {"gemeentecode": code, "gemeentenaam": naam or f"Gemeente {code}", "jaar": jaar, "inwoners": inwoners,
            "buig_budget": float(norm) * 13_000.0 if budget is None else float(budget),
            "genormeerd_aantal": float(norm), "feitelijk_aantal": float(feit), "instroom": instroom,
            "uitstroom": uitstroom, "uitstroom_werk": uitstroom_werk, **extra}


def simuleer_gemeenten(n: int = 40, seed: int = 7, jaren=range(2015, 2020), etten_leur: bool = True) -> pd.DataFrame:
    """Random but complete panel of n gemeenten (codes GM1000...), plus Etten-Leur GM0777 from Tabel 5."""
    rng = np.random.default_rng(seed)
    inw = np.exp(rng.normal(10.3, 0.6, n)).round()
    rate = np.exp(rng.normal(np.log(0.02), 0.3, n))
    eff = rng.normal(0, 0.08, n)
    rows = []
    for i in range(n):
        for t, j in enumerate(jaren):
            norm = round(inw[i] * rate[i] * (1 + 0.02 * t), 1)
            feit = float(rng.poisson(norm * np.exp(eff[i])))
            ins, uit = float(rng.poisson(0.27 * norm)), float(rng.poisson(0.26 * norm))
            rows.append(rij(f"GM{1000 + i}", j, norm, feit, inwoners=int(inw[i]), instroom=ins, uitstroom=uit,
                            uitstroom_werk=float(rng.binomial(int(uit), 0.3)),
                            kenmerk_stedelijkheid=float(1 + i % 5)))
    if etten_leur:
        for j, b, nrm, f in zip(*ETTEN_LEUR.values()):
            extra = {"instroom": 210.0, "uitstroom": 200.0, "uitstroom_werk": 60.0} if j == 2017 else {
                "instroom": 200.0, "uitstroom": 200.0, "uitstroom_werk": 60.0}
            rows.append(rij("GM0777", j, nrm, f, naam="Etten-Leur", inwoners=43_000, budget=b,
                            kenmerk_stedelijkheid=3.0, **extra))
    return pd.DataFrame(rows)
