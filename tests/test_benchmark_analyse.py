"""The whole benchmark on a constructed case that mirrors the report's 2017 comparison."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmark_data import ETTEN_LEUR, rij
from evaluatie.benchmark import BenchmarkFout, benchmark


def _rapportgeval() -> pd.DataFrame:
    """Etten-Leur (Tabel 5, 2017 flows 210/200 on norm 755) + 20 gemeenten with BUIG budgets close to
    Etten-Leur's 2019 budget whose flows are exactly 27.6% / 26.8% of their norm (the report's group means),
    + 4 far-away gemeenten with very different flows that must not enter the BUIG group."""
    rows = []
    for j, b, n, f in zip(*ETTEN_LEUR.values()):
        fl = {"instroom": 210.0, "uitstroom": 200.0} if j == 2017 else {}
        rows.append(rij("GM0777", j, n, f, naam="Etten-Leur", budget=b, **fl))
    for i in range(20):
        for j in ETTEN_LEUR["jaar"]:
            fl = {"instroom": 276.0, "uitstroom": 268.0} if j == 2017 else {}
            rows.append(rij(f"GM{1100 + i}", j, 1000, 950 + 5 * i, budget=10.5e6 + (i - 10) * 0.1e6 + 0.01e6, **fl))
    for i in range(4):
        for j in ETTEN_LEUR["jaar"]:
            fl = {"instroom": 500.0, "uitstroom": 100.0} if j == 2017 else {}
            rows.append(rij(f"GM{1200 + i}", j, 1000, 1300, budget=60e6 + i * 1e6, **fl))
    return pd.DataFrame(rows)


def test_rapport_vergelijking_2017_met_buig_groep():
    r = benchmark(_rapportgeval(), gemeente="GM0777", methoden=["buig"], k=20, referentiejaar=2019)
    g = r.groep("buig")
    assert set(g.leden) == {f"GM{1100 + i}" for i in range(20)}
    gev = r.gevoeligheid.set_index(["methode", "indicator", "jaar"])
    ins = gev.loc[("buig", "instroom_pct", 2017)]
    uit = gev.loc[("buig", "uitstroom_pct", 2017)]
    net = gev.loc[("buig", "netto_groei_pct", 2017)]
    assert ins.waarde == pytest.approx(100 * 210 / 755) and ins.groep_gemiddelde == pytest.approx(27.6)
    assert uit.waarde == pytest.approx(100 * 200 / 755) and uit.groep_gemiddelde == pytest.approx(26.8)
    # report: "1,3% ... dat is 0,5%-punt meer dan het gemiddelde van de vergelijkingsgemeenten"
    assert round(net.waarde, 1) == 1.3 and round(net.verschil, 1) == 0.5
    # national = sum over all 25 gemeenten
    nl_ins = 100 * (210 + 20 * 276 + 4 * 500) / (755 + 20 * 1000 + 4 * 1000)
    assert ins.landelijk == pytest.approx(nl_ins)
    assert "Instroom in % van de norm 2017" in r.summary()


def test_index_en_samenvatting():
    r = benchmark(_rapportgeval(), gemeente="GM0777", basisjaar=2017)
    idx = r.index.set_index(["reeks", "jaar"])["index"]
    assert idx[("gemeente", 2017)] == 100 and idx[("Nederland", 2017)] == pytest.approx(100)
    assert idx[("gemeente", 2019)] == pytest.approx(100 * 705 / 719)
    # group index = mean of the members' indices (equal weights)
    verwacht = np.mean([(950 + 5 * i) / (950 + 5 * i) for i in range(20)]) * 100
    assert idx[("groep: buig", 2019)] == pytest.approx(verwacht)
    assert set(r.to_frame().methode) == {"buig", "structureel", "synthetisch"}
    assert "geen maandgegevens" in r.summary()


def test_foute_methode_en_jaren():
    with pytest.raises(BenchmarkFout, match="verwacht een van buig, structureel, synthetisch"):
        benchmark(_rapportgeval(), gemeente="GM0777", methoden=["budget"])
    with pytest.raises(BenchmarkFout, match="referentiejaar 2020"):
        benchmark(_rapportgeval(), gemeente="GM0777", referentiejaar=2020)
