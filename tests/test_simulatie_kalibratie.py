"""Calibration of the simulator against the Werkplein figures, with explicit tolerances.

Targets (Werkplein Hart van West-Brabant, domain brief):
- stock on 2019-07-01 = n_clienten (table 2: 4685), tolerance +-5 % (n = 20000) / +-10 % (n = 4685);
- categorie mix of the stock A:B:C = 315:932:3041 (7.3 / 21.7 / 70.9 %), tolerance +-1.5 / +-2.5 / +-3 pp;
  every client (also jongeren) has a categorie;
- jongeren (< 27 jaar on 2019-07-01, any categorie) 397 / 4685 = 8.5 % of the stock, tolerance +-2 pp;
- exits to work 29 % of all exits in the window (Werkplein), tolerance +-4 pp;
- terugval: about 20 % of exits to work (2015-2018) return within 365 days (Divosa: about 1 in 5),
  tolerance +-4 pp; within 183 days 15 % +-4 pp (Divosa, all exits); within 548 days at most 28 % (CBS 2021:
  72 % still in work without bijstand after 18 months);
- monthly work probability per categorie in the window: A 4-6 %, B 1.5-2.5 %, C 0.3-0.6 %.
"""
from __future__ import annotations

import pytest

from evaluatie.simulatie import simuleer
from evaluatie.simulatie.kalibratie import DOEL_JONGEREN, DOEL_MIX, DOEL_WERK_AANDEEL, kalibratiecijfers

N = 20_000


@pytest.fixture(scope="module")
def tabellen_groot():
    return simuleer(seed=2024, n_clienten=N).tabellen


@pytest.fixture(scope="module")
def uitkeringen_groot(tabellen_groot):
    return tabellen_groot["uitkeringen"]


@pytest.fixture(scope="module")
def cijfers(tabellen_groot):
    return kalibratiecijfers(tabellen_groot, met_kansen=True)


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
    assert abs(cijfers["terugval_12m"] - 0.20) < 0.04


def test_terugval_6_and_18_months(uitkeringen_groot):
    from evaluatie.simulatie.kalibratie import terugval_aandeel
    assert abs(terugval_aandeel(uitkeringen_groot, dagen=183) - 0.15) < 0.04
    r18 = terugval_aandeel(uitkeringen_groot, tot="2018-06-30", dagen=548)
    assert terugval_aandeel(uitkeringen_groot, tot="2018-06-30") < r18 < 0.28


def test_work_hazard_by_categorie(cijfers):
    k = cijfers["werkkans_per_maand"]
    assert 0.04 <= k["A"] <= 0.06
    assert 0.015 <= k["B"] <= 0.025
    assert 0.003 <= k["C"] <= 0.006
