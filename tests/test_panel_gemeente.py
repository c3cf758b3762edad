"""Municipal DiD / event study: clubSandwich reference, planted effects, Monte Carlo size, bad input."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluatie.panel import (
    BeleidsFout,
    analyseer_beleidswijziging,
    gebeurtenisstudie,
    indicatoren,
    placebo_in_tijd,
    verschil_in_verschillen,
)
from evaluatie.panel.gemeente import bouw_ontwerp, schat_coefficienten
from evaluatie.panel.inferentie import wild_bootstrap_t

FIX = Path(__file__).parent / "reference" / "fixtures" / "panel"
HVWB = ["GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879"]


def simuleer_gemeenten(seed: int, effect: float = 0.0, n_controle: int = 20, jaren=range(2011, 2021),
                       rho: float = 0.5, trend: float = 0.0) -> pd.DataFrame:
    """A gemeenten table (schema columns) with uitstroom % norm = a_g + l_t + effect*D + AR(1) noise.

    ``trend``: extra linear trend (points per year) for treated gemeenten (violates parallel trends).
    """
    rng = np.random.default_rng(seed)
    codes = HVWB + [f"GM{2000 + i:04d}" for i in range(n_controle)]
    jaren = list(jaren)
    rows = []
    for i, g in enumerate(codes):
        a = rng.normal(27, 3)
        sd = rng.uniform(0.6, 2.0)
        norm = rng.uniform(300, 3000)
        e = rng.normal(0, sd)
        for j in jaren:
            e = rho * e + np.sqrt(1 - rho**2) * rng.normal(0, sd) if j > jaren[0] else e
            beh = g in HVWB
            y = a + 0.4 * (j - 2011) + np.sin(j) + e + (effect if beh and j >= 2016 else 0.0) + (trend * (j - 2016) if beh else 0.0)
            rows.append({
                "gemeentecode": g, "gemeentenaam": f"Gemeente {g}", "jaar": j, "inwoners": int(norm * 60),
                "buig_budget": norm * 13000.0, "genormeerd_aantal": norm, "feitelijk_aantal": norm * rng.uniform(0.9, 1.1),
                "instroom": norm * rng.uniform(0.25, 0.3), "uitstroom": norm * y / 100,
                "uitstroom_werk": norm * y / 100 * rng.uniform(0.25, 0.4),
            })
    return pd.DataFrame(rows)


# --- reference: R clubSandwich (tests/reference/panel_plm.R) --------------------------------------------
def test_did_reproduceert_clubsandwich_cr1_cr2_satterthwaite():
    d = pd.read_csv(FIX / "did_panel.csv")
    ref = pd.read_csv(FIX / "clubsandwich_did.csv").iloc[0]
    beh = sorted(d.loc[d.behandeld == 1, "gemeentecode"].unique())
    r = verschil_in_verschillen(d, behandeld=beh, jaar=2016, indicator="y", B=199)
    assert r.schatting == pytest.approx(ref.estimate, rel=1e-8)
    assert r.se_cr1 == pytest.approx(ref.se_cr1, rel=1e-8)
    assert r.se_cr2 == pytest.approx(ref.se_cr2, rel=1e-8)
    assert r.df_cr2 == pytest.approx(ref.df_cr2, rel=1e-8)
    p = r.to_frame().set_index("methode").loc["cr2_bell_mccaffrey", "p"]
    assert p == pytest.approx(ref.p_cr2, rel=1e-6)
    assert (r.n_obs, r.n_gemeenten) == (ref.n, ref.G)


# --- by hand ------------------------------------------------------------------------------------------
def test_twee_bij_twee_is_verschil_van_verschillen_van_gemiddelden():
    """Balanced 2x2 with exact numbers: DiD coefficient = (T1-T0) - (C1-C0) of cell means."""
    d = pd.DataFrame({
        "gemeentecode": ["GM0001"] * 2 + ["GM0002"] * 2 + ["GM0003"] * 2 + ["GM0004"] * 2,
        "jaar": [2015, 2016] * 4,
        "y": [10, 14, 12, 15, 20, 21, 30, 32.0],
    })
    r = verschil_in_verschillen(d, behandeld=["GM0001", "GM0002"], jaar=2016, indicator="y", bootstrap=False)
    assert r.schatting == pytest.approx(((14 + 15) - (10 + 12)) / 2 - ((21 + 32) - (20 + 30)) / 2)
    assert r.gemiddelde_voor == pytest.approx(11.0)


def test_indicatoren_procent_van_norm():
    d = pd.DataFrame({"uitstroom": [26.5, 5.0], "genormeerd_aantal": [100.0, 0.0], "instroom": [27.8, 1],
                      "feitelijk_aantal": [114, 3], "uitstroom_werk": [10.0, 1]})
    f = indicatoren(d)
    assert f.uitstroom_pct_norm.iloc[0] == pytest.approx(26.5)
    assert f.feitelijk_pct_norm.iloc[0] == pytest.approx(114)
    assert f.aandeel_werk_in_uitstroom_pct.iloc[0] == pytest.approx(100 * 10 / 26.5)
    assert np.isnan(f.uitstroom_pct_norm.iloc[1])  # genormeerd 0: no percentage
    assert "uitstroom_pct_norm" not in d.columns  # caller's frame untouched


# --- planted truth -------------------------------------------------------------------------------------
@pytest.mark.parametrize("effect", [0.0, 3.0])
def test_geplant_effect_binnen_betrouwbaarheidsinterval(effect):
    d = simuleer_gemeenten(seed=11, effect=effect)
    r = verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, B=999, seed=3)
    f = r.to_frame().set_index("methode")
    for m in ("cr2_bell_mccaffrey", "wild_bootstrap_webb"):
        assert f.loc[m, "ci_laag"] < effect < f.loc[m, "ci_hoog"], m
    assert abs(r.schatting - effect) < 3 * r.se_cr2
    assert r.n_behandeld == 6 and r.n_gemeenten == 26 and r.n_obs == 260


def test_gebeurtenisstudie_vlak_voor_en_effect_na():
    d = simuleer_gemeenten(seed=4, effect=5.0)
    es = gebeurtenisstudie(d, behandeld=HVWB, jaar=2016, B=499)
    f = es.to_frame().set_index("relatief_jaar")
    assert list(f.index) == list(range(-5, 5))
    assert f.loc[-1, "schatting"] == 0 and f.loc[-1, "referentie"]
    na = f.loc[0:]
    assert ((na.ci_laag < 5) & (5 < na.ci_hoog)).mean() >= 0.8
    assert (na.ci_laag > 0).all()
    assert es.pretrend is not None and es.pretrend.df1 == 4 and es.pretrend.df2_cr1 == 25
    assert es.pretrend.htz.q == 4 and 0 < es.pretrend.htz.df2 < 25  # CR2/HTZ: few effective df
    assert es.pretrend.p > 0.05 and es.pretrend.p_cr1 > 0.05
    assert "Pre-trendtoets" in es.summary() and "HTZ" in es.summary() and "Lezing: geen aanwijzing" in es.summary()


def test_pretrend_en_placebo_vangen_divergente_trend():
    """A treated-only trend of 1.5 points per year before and after: leads and placebo must show it."""
    d = simuleer_gemeenten(seed=8, effect=0.0, trend=1.5)
    es = gebeurtenisstudie(d, behandeld=HVWB, jaar=2016, B=999)
    assert es.pretrend.p < 0.05 and es.pretrend.p_cr1 < 0.01 and es.pretrend.wild.p < 0.05
    assert "twijfelachtig" in es.summary() and any("pre-trend" in w for w in es.waarschuwingen)
    pl = placebo_in_tijd(d, behandeld=HVWB, jaar=2016, B=999)
    assert pl.jaar == 2013 and pl.jaren == (2011, 2012, 2013, 2014, 2015)
    assert pl.to_frame().set_index("methode").loc["cr2_bell_mccaffrey", "p"] < 0.05
    # without the trend the placebo finds nothing
    pl0 = placebo_in_tijd(simuleer_gemeenten(seed=8), behandeld=HVWB, jaar=2016, B=999)
    assert pl0.to_frame().set_index("methode").loc["cr2_bell_mccaffrey", "p"] > 0.05


def test_een_voorperiode_geen_pretrend_geen_placebo():
    d = simuleer_gemeenten(seed=2, jaren=range(2015, 2020))
    with pytest.warns(UserWarning, match="pre-trendtoets"):
        es = gebeurtenisstudie(d, behandeld=HVWB, jaar=2016, bootstrap=False)
    assert es.pretrend is None
    assert placebo_in_tijd(d, behandeld=HVWB, jaar=2016) is None
    a = analyseer_beleidswijziging(d, behandeld=HVWB, jaar=2016, B=199)
    assert "niet mogelijk" in a.summary()


def test_seed_geeft_identieke_uitkomst():
    d = simuleer_gemeenten(seed=1, effect=1.0)
    a = verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, B=499, seed=7).to_frame()
    b = verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, B=499, seed=7).to_frame()
    c = verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, B=499, seed=8).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_controlegroep_kiezen_verandert_n():
    d = simuleer_gemeenten(seed=1)
    ctrl = [f"GM{2000 + i:04d}" for i in range(8)]
    r = verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, controle=ctrl, bootstrap=False)
    assert r.n_gemeenten == 14 and r.controle == tuple(sorted(ctrl))


# --- bad input -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw,boodschap", [
    (dict(behandeld=["GM9999"], jaar=2016), "onbekende gemeentecode.*GM9999"),
    (dict(behandeld=HVWB, jaar=2025), "beleidsjaar 2025 valt buiten"),
    (dict(behandeld=HVWB, jaar=2011), "beleidsjaar 2011 valt buiten"),
    (dict(behandeld=HVWB, jaar=2016, controle=["GM0777", "GM2001"]), "zowel behandeld als controle"),
    (dict(behandeld=HVWB, jaar=2016, controle=["GM2001"]), "minstens twee controlegemeenten"),
    (dict(behandeld=HVWB, jaar=2016, indicator="onzin"), "onbekende indicator"),
])
def test_duidelijke_fouten(kw, boodschap):
    d = simuleer_gemeenten(seed=1)
    with pytest.raises(BeleidsFout, match=boodschap):
        verschil_in_verschillen(d, bootstrap=False, **kw)


def test_behandelde_zonder_voorperiode():
    d = simuleer_gemeenten(seed=1)
    d = d[~(d.gemeentecode.isin(HVWB) & (d.jaar < 2016))]
    with pytest.raises(BeleidsFout, match="te weinig voorperiodes"):
        verschil_in_verschillen(d, behandeld=HVWB, jaar=2016, bootstrap=False)


# --- Monte Carlo size under the null -------------------------------------------------------------------
def _mc(reps: int, B: int, seed0: int = 1000) -> dict[str, float]:
    rej = {"cr1_normaal": 0, "cr1_t_G-1": 0, "cr2_bell_mccaffrey": 0, "wild_webb": 0}
    for r in range(reps):
        d = indicatoren(simuleer_gemeenten(seed=seed0 + r))
        o = bouw_ontwerp(d, behandeld=HVWB, jaar=2016, indicator="uitstroom_pct_norm")
        c = schat_coefficienten(o)
        b, s1, s2, df2 = c.schatting[0], c.se_cr1[0], c.se_cr2[0], c.df_cr2[0]
        rej["cr1_normaal"] += abs(b / s1) > stats.norm.ppf(0.975)
        rej["cr1_t_G-1"] += abs(b / s1) > stats.t.ppf(0.975, o.G - 1)
        rej["cr2_bell_mccaffrey"] += abs(b / s2) > stats.t.ppf(0.975, df2)
        w = wild_bootstrap_t(o.X, o.y, o.cluster, 0, factor=c.factor, B=B, seed=r, ci=False)
        rej["wild_webb"] += w.p < 0.05
    return {k: v / reps for k, v in rej.items()}


def test_monte_carlo_omvang_onder_nulhypothese():
    """200 null replications, 6 treated of 26 gemeenten, AR(1) errors with gemeente-specific variance.

    Small-cluster-corrected tests must reject close to 5% (binomial 99% band for 200 reps ~ [1%, 9.5%]);
    the naive CR1-normal rate is only reported (it over-rejects).
    """
    t0 = time.perf_counter()
    rates = _mc(200, 399)
    print("verwerpingskansen bij 5%:", rates, f"({time.perf_counter() - t0:.1f} s)")
    assert 0.01 <= rates["cr2_bell_mccaffrey"] <= 0.095
    assert 0.01 <= rates["wild_webb"] <= 0.095
    assert rates["cr1_normaal"] >= rates["cr2_bell_mccaffrey"]


@pytest.mark.slow
def test_monte_carlo_omvang_1000_replicaties():
    rates = _mc(1000, 999, seed0=50_000)
    print("verwerpingskansen bij 5% (1000 rep.):", rates)
    assert 0.03 <= rates["cr2_bell_mccaffrey"] <= 0.075
    assert 0.03 <= rates["wild_webb"] <= 0.075


# --- the project's simulator (planted beleidseffect for the six HvWB gemeenten from 2016) --------------
def test_simulator_beleidseffect_teruggevonden():
    sim_mod = pytest.importorskip("evaluatie.simulatie")
    if not hasattr(sim_mod, "simuleer"):
        pytest.skip("evaluatie.simulatie.simuleer nog niet beschikbaar")
    # One draw: its CI misses the truth ~5% of seeds by construction; coverage over seeds is checked in
    # test_simulator_beleidseffect_dekking (slow suite).
    sim = sim_mod.simuleer(seed=1, n_clienten=500)
    if "gemeenten" not in sim.tabellen or "beleidseffect" not in sim.waarheid:
        pytest.skip("simulator schrijft (nog) geen gemeenten/beleidseffect")
    truth = sim.waarheid["beleidseffect"]
    assert truth["vanaf_jaar"] == 2016 and sorted(truth["gemeenten"]) == sorted(HVWB)
    a = analyseer_beleidswijziging(sim.tabellen["gemeenten"], behandeld=HVWB, jaar=2016, B=399)
    if min(sim.tabellen["gemeenten"].jaar) == 2015:  # simulator panel 2015-2019: one pre-year only
        assert a.gebeurtenis.pretrend is None and a.placebo is None
    f = a.did.to_frame().set_index("methode")
    print(truth["pp_van_norm"], truth["gerealiseerd_pp"], a.did.summary())
    for m in ("cr2_bell_mccaffrey", "wild_bootstrap_webb"):
        assert f.loc[m, "ci_laag"] < truth["pp_van_norm"] < f.loc[m, "ci_hoog"], m
    assert a.did.n_gemeenten == len(sim.tabellen["gemeenten"].gemeentecode.unique())


@pytest.mark.slow
def test_simulator_beleidseffect_dekking():
    """Over 40 simulated municipal panels the CR2 interval covers the planted effect ~95% of the time."""
    from evaluatie.simulatie import SimulatieConfig
    from evaluatie.simulatie.gemeenten import gemeentetabel

    schattingen, dekking = [], []
    for s in range(40):
        df, truth = gemeentetabel(SimulatieConfig(), np.random.default_rng(s))
        f = verschil_in_verschillen(df, behandeld=HVWB, jaar=2016, indicator="uitstroom_pct_norm", bootstrap=False).to_frame().set_index("methode")
        schattingen.append(f.loc["cr2_bell_mccaffrey", "schatting"])
        dekking.append(f.loc["cr2_bell_mccaffrey", "ci_laag"] < truth["pp_van_norm"] < f.loc["cr2_bell_mccaffrey", "ci_hoog"])
    assert 0.85 <= np.mean(dekking) <= 1.0
    assert abs(np.mean(schattingen) - 1.0) < 3 * np.std(schattingen) / np.sqrt(40)
