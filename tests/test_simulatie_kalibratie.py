"""Calibration of the simulator against the Werkplein figures, with explicit tolerances.

Targets (Werkplein Hart van West-Brabant, domain brief):
- stock on 2019-07-01 = n_clienten (table 2: 4685), tolerance +-5 % (n = 20000) / +-10 % (n = 4685);
- categorie mix of the stock A:B:C = 315:932:3041 (7.3 / 21.7 / 70.9 %), tolerance +-1.5 / +-2.5 / +-3 pp;
  every client (also jongeren) has a categorie;
- jongeren (< 27 jaar on 2019-07-01, any categorie) 397 / 4685 = 8.5 % of the stock, tolerance +-2 pp;
- exits to work 29 % of all exits in the window (Werkplein), tolerance +-4 pp;
- terugval: about 22 % of exits to work (2015-2018) return within 365 days, tolerance +-4 pp;
- monthly work probability per categorie in the window: A 4-6 %, B 1.5-2.5 %, C 0.3-0.6 %.
"""
from __future__ import annotations

import pytest

from evaluatie.simulatie import simuleer
from evaluatie.simulatie.kalibratie import DOEL_JONGEREN, DOEL_MIX, DOEL_WERK_AANDEEL, kalibratiecijfers

N = 20_000


@pytest.fixture(scope="module")
def cijfers():
    return kalibratiecijfers(simuleer(seed=2024, n_clienten=N).tabellen, met_kansen=True)


def test_stock_size(cijfers):
    assert abs(cijfers["bestand_2019_07_01"] / N - 1) < 0.05


def test_stock_size_default_population():
    k = kalibratiecijfers(simuleer(seed=1).tabellen)
    assert abs(k["bestand_2019_07_01"] / 4685 - 1) < 0.10


def test_categorie_mix(cijfers):
    mix = cijfers["mix"]
    assert set(mix) == {"A", "B", "C"}
    for cat, tol in (("A", 0.015), ("B", 0.025), ("C", 0.03)):
        assert abs(mix[cat] - DOEL_MIX[cat]) < tol, (cat, mix[cat], DOEL_MIX[cat])


def test_jongeren_share(cijfers):
    assert abs(cijfers["jongeren"] - DOEL_JONGEREN) < 0.02


def test_exit_to_work_share(cijfers):
    r = cijfers["uitstroom_redenen"]
    assert abs(r["werk"] - DOEL_WERK_AANDEEL) < 0.04
    assert set(r) == {"werk", "verhuizing", "huishoudenswijziging", "pensioen_leeftijd", "overig"}
    assert max(r, key=r.get) != "werk" or r["werk"] < 0.35  # most outflow is NOT to work


def test_terugval(cijfers):
    assert abs(cijfers["terugval_12m"] - 0.22) < 0.04


def test_work_hazard_by_categorie(cijfers):
    k = cijfers["werkkans_per_maand"]
    assert 0.04 <= k["A"] <= 0.06
    assert 0.015 <= k["B"] <= 0.025
    assert 0.003 <= k["C"] <= 0.006
