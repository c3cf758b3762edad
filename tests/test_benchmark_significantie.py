"""Position in the group (hand calculation) and the funnel plot (hand calculation + simulated truth)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from evaluatie.benchmark import positie_in_groep, trechter
from evaluatie.benchmark.significantie import overdispersie_schatting, winsor_factor


def test_positie_handberekening():
    # group 1..5: mean 3, sd sqrt(2.5) = 1.5811; x = 6: z = 3/1.5811 = 1.8974
    # PI = 3 ± t(4, .975) · sd · sqrt(1 + 1/5) = 3 ± 2.776445 · 1.732051 = 3 ± 4.808944
    p = positie_in_groep(6.0, np.array([1, 2, 3, 4, 5.0]))
    assert p.gemiddelde == pytest.approx(3) and p.sd == pytest.approx(math.sqrt(2.5))
    assert p.z == pytest.approx(3 / math.sqrt(2.5))
    assert (p.pi_laag, p.pi_hoog) == pytest.approx((3 - 4.808944, 3 + 4.808944), abs=2e-6)
    assert p.se_verschil == pytest.approx(math.sqrt(3))
    assert p.percentiel == 100 and not p.buiten_interval
    assert p.p == pytest.approx(0.1583, abs=1e-4)  # t = 3/sqrt(3) = 1.732 on 4 df (t table: two-sided 0.158)
    assert positie_in_groep(9.0, np.array([1, 2, 3, 4, 5.0])).buiten_interval


def test_positie_percentiel_telt_gelijken_half():
    assert positie_in_groep(3.0, np.array([1, 2, 3, 4, 5.0])).percentiel == pytest.approx(50)
    assert positie_in_groep(0.0, np.array([1, 2, 3.0])).percentiel == 0


def test_positie_gewichten_gelijk_aan_herhaling():
    # weights (2,1,1) on (1,2,3): weighted mean 1.75, n_eff = 1/(0.25+0.0625·2)... = 1/0.375 = 2.667
    p = positie_in_groep(2.0, np.array([1, 2, 3.0]), np.array([2, 1, 1.0]))
    assert p.gemiddelde == pytest.approx(1.75)
    assert p.n_effectief == pytest.approx(1 / 0.375)
    assert p.percentiel == pytest.approx(100 * (0.5 + 0.5 * 0.25))
    # reliability-weighted variance: Σw(y-m)² / (1 - Σw²) = 0.6875 / 0.625 = 1.1
    assert p.sd == pytest.approx(math.sqrt(1.1))


def test_positie_te_kleine_groep_geeft_waarschuwing():
    p = positie_in_groep(2.0, np.array([1.0]))
    assert math.isnan(p.sd) and p.waarschuwingen


def test_winsor_factor_normaal():
    # (1-2a) - 2c·φ(c) + 2a·c², a = 0.1, c = 1.281552, φ(c) = 0.175498: 0.8 - 0.449819 + 0.328475 = 0.678656
    assert winsor_factor(0.1) == pytest.approx(0.678656, abs=2e-6)
    assert winsor_factor(0.0) == 1.0
    rng = np.random.default_rng(1)
    z = rng.normal(size=200_000)
    lo, hi = np.quantile(z, [0.1, 0.9])
    assert np.mean(np.clip(z, lo, hi) ** 2) == pytest.approx(0.678656, abs=0.01)


def test_phi_spiegelhalter_handberekening():
    # z = -5..5: winsorised at 10%/90% quantiles (-4, 4): squares 16,16,9,4,1,0,1,4,9,16,16 = 92
    z = np.arange(-5, 6, dtype=float)
    s = np.full(11, 0.05)
    phi, tau2 = overdispersie_schatting(z, s, winsor=0.1, correctie=False)
    assert phi == pytest.approx(92 / 11)
    # equal weights w = 1/s² = 400: τ² = (Iφ - (I-1)) / (w(I-1)) = (92 - 10) / (400·10)
    assert tau2 == pytest.approx(82 / 4000)
    phi_c, _ = overdispersie_schatting(z, s, winsor=0.1, correctie=True)
    assert phi_c == pytest.approx(92 / 11 / 0.678656, rel=3e-6)


def test_trechter_grenzen_en_klassen_handberekening():
    # Poisson ratio, target 1, sqrt scale: s = 1/(2·sqrt(E)); construct y with known z
    E = np.array([25.0, 100, 400, 1600, 100, 400])
    z = np.array([0.0, 2.5, -3.5, 1.0, -1.0, 0.5])
    y = (1 + z / (2 * np.sqrt(E))) ** 2
    t = trechter(y, E, doel=1.0, overdispersie="geen")
    assert t.tabel.z.to_numpy() == pytest.approx(z)
    assert t.tabel.klasse_95.tolist() == ["binnen", "boven", "onder", "binnen", "binnen", "binnen"]
    assert t.tabel.klasse_998.tolist() == ["binnen", "binnen", "onder", "binnen", "binnen", "binnen"]
    # 95% limit at E = 100: (1 ± 1.959964/20)²
    g = t.grenzen(np.array([100.0]))
    assert g.grens95_hoog.iloc[0] == pytest.approx((1 + 1.959964 / 20) ** 2, abs=1e-6)
    assert g.grens998_laag.iloc[0] == pytest.approx((1 - 3.090232 / 20) ** 2, abs=1e-6)


def test_trechter_multiplicatief_verbreedt_met_wortel_phi():
    rng = np.random.default_rng(8)
    E = rng.uniform(100, 2000, 400)
    z = rng.normal(0, 2.0, 400)  # φ = 4 exactly by construction of the z's
    y = (1 + z / (2 * np.sqrt(E))) ** 2
    t = trechter(y, E, doel=1.0, overdispersie="multiplicatief")
    assert t.phi == pytest.approx(4.0, rel=0.15)
    g = t.grenzen(np.array([400.0]))
    assert g.grens95_hoog.iloc[0] == pytest.approx((1 + 1.959963985 * math.sqrt(t.phi) / 40) ** 2, abs=1e-9)


def _simuleer(seed: int, sd_log: float, n: int = 300):
    rng = np.random.default_rng(seed)
    E = np.exp(rng.uniform(np.log(50), np.log(5000), n))
    E[:2] = 2000.0
    theta = np.exp(rng.normal(0, sd_log, n)) if sd_log > 0 else np.ones(n)
    theta[0], theta[1] = 1.6, 0.6  # planted: far too many benefits, far too few
    return rng.poisson(theta * E) / E, E


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trechter_vindt_geplante_gemeenten_zonder_overdispersie(seed):
    y, E = _simuleer(seed, 0.0)
    t = trechter(y, E, overdispersie="geen")
    assert t.tabel.klasse_998.iloc[0] == "boven" and t.tabel.klasse_998.iloc[1] == "onder"
    buiten = (t.tabel.klasse_95.iloc[2:] != "binnen").mean()
    assert buiten <= 0.05 + 0.035  # binomial SD of the share with n = 298 is 0.0126


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trechter_additief_bij_overdispersie(seed):
    y, E = _simuleer(seed, 0.08)
    naief = trechter(y, E, overdispersie="geen")
    t = trechter(y, E, overdispersie="additief")
    assert t.tabel.klasse_998.iloc[0] == "boven" and t.tabel.klasse_998.iloc[1] == "onder"
    buiten = (t.tabel.klasse_95.iloc[2:] != "binnen").mean()
    assert buiten <= 0.05 + 0.035
    # true τ on the sqrt scale ≈ sd_log / 2 = 0.04 (τ² = 0.0016); Spiegelhalter's plain estimate is lower
    assert t.tau2 == pytest.approx(0.0016, rel=0.35)
    assert (naief.tabel.klasse_95.iloc[2:] != "binnen").mean() > 0.2  # why overdispersion matters
    _, tau2_plain = overdispersie_schatting(naief.tabel.z.to_numpy(), 1 / (2 * np.sqrt(E)), correctie=False)
    assert tau2_plain < t.tau2


def test_trechter_binomiaal_symmetrisch_op_arcsinus_schaal():
    n = np.array([100.0, 400, 900, 1600])
    p = np.array([0.5, 0.5, 0.5, 0.5])
    t = trechter(p, n, soort="binomiaal", overdispersie="geen")
    assert t.doel == pytest.approx(0.5)
    g = t.grenzen(np.array([100.0]))
    # arcsin(sqrt(.5)) = π/4, s = 1/20
    assert g.grens95_hoog.iloc[0] == pytest.approx(math.sin(math.pi / 4 + 1.959964 / 20) ** 2, abs=1e-6)


def test_trechter_foute_optie():
    with pytest.raises(ValueError, match="verwacht een van geen, multiplicatief, additief, kreeg 'x'"):
        trechter(np.ones(5), np.ones(5) * 10, overdispersie="x")


def test_positie_geen_interval_bij_kleine_effectieve_groep():
    p = positie_in_groep(2.0, np.array([1.0, 3.0, 5.0]), np.array([0.9, 0.05, 0.05]))
    assert p.n_effectief < 3 and math.isnan(p.pi_laag) and not p.buiten_interval
    assert any("effectieve groepsgrootte" in w for w in p.waarschuwingen)


def test_positie_groep_zonder_spreiding():
    p = positie_in_groep(2.0, np.array([1.0, 1.0, 1.0, 1.0]))
    assert p.sd == 0 and math.isinf(p.z) and "geen spreiding in de groep" in p.waarschuwingen
