"""CR2 joint Wald test with the HTZ (approximate Hotelling T-squared) reference distribution.

References: R clubSandwich (tests/reference/panel_clubsandwich_wald.R), the exact one-sample Hotelling
T-squared test (a case known on paper), the CR2 t-test with Satterthwaite df (one constraint), and a Monte
Carlo of the pre-trend test under the null (slow suite).
"""
from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluatie.panel import gebeurtenisstudie, indicatoren
from evaluatie.panel.gemeente import Pretrend, bouw_ontwerp, schat_coefficienten
from evaluatie.panel.inferentie import (
    WaldHTZ,
    beperkingsmatrix,
    cluster_vcov,
    cr1_factor,
    cr2,
    wald_htz,
    wild_bootstrap_wald,
)

from test_panel_gemeente import HVWB, simuleer_gemeenten

FIX = Path(__file__).parent / "reference" / "fixtures" / "panel"


def _fixture_ontwerp(uitkomst: str):
    """Event-study design on did_panel.csv; ``y_trend`` = y + 0.8 * behandeld * (jaar - 2016), as in the R script."""
    d = pd.read_csv(FIX / "did_panel.csv")
    d["y_trend"] = d.y + 0.8 * d.behandeld * (d.jaar - 2016)
    beh = sorted(d.loc[d.behandeld == 1, "gemeentecode"].unique())
    return bouw_ontwerp(d, behandeld=beh, jaar=2016, indicator=uitkomst, soort="event")


def _r_naam(term: str) -> str:
    k = int(term[4:])
    return f"rel_m{-k}" if k < 0 else f"rel_{k}"


def _beperkingen(o, case: str) -> np.ndarray:
    """The constraint matrices of the R script, on our design (terms first, then year and gemeente dummies)."""
    K = o.X.shape[1]
    kol = {_r_naam(t): i for i, t in enumerate(o.termen)}
    if case == "leads_nul":
        return beperkingsmatrix([kol[n] for n in ("rel_m5", "rel_m4", "rel_m3", "rel_m2")], K)
    if case == "rel_m2_nul":
        return beperkingsmatrix([kol["rel_m2"]], K)
    if case == "rel_m5_m4_nul":
        return beperkingsmatrix([kol["rel_m5"], kol["rel_m4"]], K)
    if case == "lags_gelijk":  # clubSandwich::constrain_equal: rel_k - rel_0 = 0 for k = 1, 2, 3
        R = np.zeros((3, K))
        for i, n in enumerate(("rel_1", "rel_2", "rel_3")):
            R[i, kol["rel_0"]], R[i, kol[n]] = -1.0, 1.0
        return R
    raise KeyError(case)


# --- reference: R clubSandwich::Wald_test(..., vcov = "CR2", test = "HTZ") ------------------------------
WALD_REF = pd.read_csv(FIX / "clubsandwich_wald.csv")


@pytest.mark.parametrize("uitkomst", ["y", "y_trend"])
@pytest.mark.parametrize("case", ["leads_nul", "lags_gelijk", "rel_m2_nul", "rel_m5_m4_nul"])
def test_htz_reproduceert_clubsandwich(uitkomst, case):
    o = _fixture_ontwerp(uitkomst)
    ref = WALD_REF[(WALD_REF.uitkomst == uitkomst) & (WALD_REF.case == case)].set_index("test")
    w = wald_htz(o.X, o.y, o.cluster, _beperkingen(o, case))
    h = ref.loc["HTZ"]
    assert (len(o.y), o.G, w.q) == (h.n, h.G, h.q)
    assert w.F == pytest.approx(h.Fstat, rel=1e-6)
    assert w.Q == pytest.approx(h.Q, rel=1e-6)
    assert w.delta == pytest.approx(h.delta, rel=1e-6)
    assert w.df2 == pytest.approx(h.df_denom, rel=1e-6)
    assert w.eta == pytest.approx(h.df_denom + h.q - 1, rel=1e-6)
    assert w.p == pytest.approx(h.p_val, rel=1e-6)
    # clubSandwich's "Naive-F" is the same CR2 Wald statistic referred to F(q, G-1)
    naief = ref.loc["Naive-F"]
    assert w.Q / w.q == pytest.approx(naief.Fstat, rel=1e-6)


def test_htz_max_afwijking_van_r():
    """All fixture rows at once; prints the largest absolute and relative differences (for the record)."""
    ons, r = [], []
    for (uitkomst, case), h in WALD_REF[WALD_REF.test == "HTZ"].groupby(["uitkomst", "case"]):
        o = _fixture_ontwerp(uitkomst)
        w = wald_htz(o.X, o.y, o.cluster, _beperkingen(o, case))
        ons.append([w.F, w.df2, w.p])
        r.append(h[["Fstat", "df_denom", "p_val"]].to_numpy()[0])
    ons, r = np.array(ons), np.array(r, dtype=float)
    print(f"max |verschil| met R (F, df, p): {np.abs(ons - r).max(axis=0)}; "
          f"max relatief: {np.abs(ons / r - 1).max():.1e}")
    np.testing.assert_allclose(ons, r, rtol=1e-6)


@pytest.mark.parametrize("uitkomst", ["y", "y_trend"])
def test_gebeurtenisstudie_cr2_per_jaar_en_pretrend_gelijk_aan_r(uitkomst):
    ref = pd.read_csv(FIX / "clubsandwich_event_coef.csv")
    ref = ref[ref.uitkomst == uitkomst].set_index("term")
    d = pd.read_csv(FIX / "did_panel.csv")
    d["y_trend"] = d.y + 0.8 * d.behandeld * (d.jaar - 2016)
    beh = sorted(d.loc[d.behandeld == 1, "gemeentecode"].unique())
    with warnings.catch_warnings(record=True) as gezien:
        warnings.simplefilter("always")
        es = gebeurtenisstudie(d, behandeld=beh, jaar=2016, indicator=uitkomst, B=199)
    pre_waarschuwing = [w for w in es.waarschuwingen if w.startswith("pre-trend:")]
    assert len(pre_waarschuwing) == (uitkomst == "y_trend")  # R: HTZ p = 0.016 with the trend, 0.41 without
    assert len([w for w in gezien if str(w.message).startswith("pre-trend:")]) == len(pre_waarschuwing)
    f = es.to_frame()
    f = f[~f.referentie].assign(term=lambda x: [f"rel_m{-k}" if k < 0 else f"rel_{k}" for k in x.relatief_jaar])
    f = f.set_index("term").loc[ref.index]
    np.testing.assert_allclose(f.schatting, ref.estimate, rtol=1e-8)
    np.testing.assert_allclose(f.se, ref.se_cr2, rtol=1e-8)
    np.testing.assert_allclose(f.df, ref.df_cr2, rtol=1e-8)
    np.testing.assert_allclose(f.p, ref.p_cr2, rtol=1e-6)
    h = WALD_REF[(WALD_REF.uitkomst == uitkomst) & (WALD_REF.case == "leads_nul") & (WALD_REF.test == "HTZ")].iloc[0]
    assert es.pretrend.p == pytest.approx(h.p_val, rel=1e-6)
    pf = es.pretrend.to_frame().set_index("methode")
    assert pf.loc["cr2_htz", "hoofdtoets"] and not pf.loc["cr1_f", "hoofdtoets"]
    assert pf.loc["cr2_htz", "p"] == pytest.approx(h.p_val, rel=1e-6)
    assert pf.loc["cr2_htz", "df2"] == pytest.approx(h.df_denom, rel=1e-6)


# --- known on paper ------------------------------------------------------------------------------------
@pytest.mark.parametrize("G,q", [(7, 3), (12, 4), (5, 1)])
def test_een_steekproef_hotelling_is_exact(G, q):
    """Cluster g holds one observation per dimension s: y_gs = mu_s + e_gs, X = dimension dummies.

    Then V^CR2 = S/G (S the sample covariance with divisor G-1), Q = G ybar' S^-1 ybar is Hotelling's
    T-squared, and ``G V^CR2`` is exactly Wishart(G-1, Sigma/(G-1)) under the working model, so HTZ must
    give eta = G - 1 and the exact test: (G-q)/(q(G-1)) T^2 ~ F(q, G-q).
    """
    rng = np.random.default_rng(G * 10 + q)
    Y = rng.normal(size=(G, q)) @ np.triu(np.ones((q, q))) + 0.3  # correlated dimensions, mean != 0
    y = Y.ravel()
    X = np.tile(np.eye(q), (G, 1))
    cluster = np.repeat(np.arange(G), q)
    w = wald_htz(X, y, cluster, np.eye(q))
    ybar, S = Y.mean(axis=0), np.atleast_2d(np.cov(Y, rowvar=False))
    T2 = G * ybar @ np.linalg.solve(S, ybar)
    assert w.Q == pytest.approx(T2, rel=1e-10)
    assert w.eta == pytest.approx(G - 1, rel=1e-10)
    assert w.df2 == pytest.approx(G - q, rel=1e-10)
    F = (G - q) / (q * (G - 1)) * T2
    assert w.F == pytest.approx(F, rel=1e-10)
    assert w.p == pytest.approx(stats.f.sf(F, q, G - q), rel=1e-10)


def test_een_beperking_is_cr2_t_toets_met_satterthwaite_df():
    """q = 1: F = t^2 with t = b / SE_CR2, and df2 = eta = the Bell-McCaffrey / Satterthwaite df."""
    o = _fixture_ontwerp("y_trend")
    c = schat_coefficienten(o)
    for j in range(len(o.termen)):
        w = wald_htz(o.X, o.y, o.cluster, beperkingsmatrix([j], o.X.shape[1]))
        t = c.schatting[j] / c.se_cr2[j]
        assert w.F == pytest.approx(t**2, rel=1e-10)
        assert w.delta == pytest.approx(1.0)
        assert w.df2 == pytest.approx(c.df_cr2[j], rel=1e-10)
        assert w.p == pytest.approx(2 * stats.t.sf(abs(t), c.df_cr2[j]), rel=1e-10)


def test_htz_invariant_voor_herschrijven_van_de_beperkingen():
    """Testing R beta = 0 or T R beta = 0 (T invertible) is the same hypothesis: same F, eta and p."""
    o = _fixture_ontwerp("y_trend")
    R = _beperkingen(o, "leads_nul")
    T = np.array([[1.0, 0, 0, 0], [1, 1, 0, 0], [0, -2, 1, 0], [0.5, 0, 0, 3]])
    a, b = wald_htz(o.X, o.y, o.cluster, R), wald_htz(o.X, o.y, o.cluster, T @ R)
    assert b.F == pytest.approx(a.F, rel=1e-9)
    assert b.eta == pytest.approx(a.eta, rel=1e-9)
    assert b.p == pytest.approx(a.p, rel=1e-9)
    # a nonzero null value shifts the test: R beta = R beta_hat is never rejected
    beta = np.linalg.lstsq(o.X, o.y, rcond=None)[0]
    assert wald_htz(o.X, o.y, o.cluster, R, R @ beta).F == pytest.approx(0.0, abs=1e-10)


def test_htz_cr2_variantie_gelijk_aan_cr2():
    """Q uses the CR2 covariance of :func:`cr2` (not CR1)."""
    o = _fixture_ontwerp("y")
    R = _beperkingen(o, "leads_nul")
    beta = np.linalg.lstsq(o.X, o.y, rcond=None)[0]
    V = cr2(o.X, o.y - o.X @ beta, o.cluster).vcov
    d = R @ beta
    assert wald_htz(o.X, o.y, o.cluster, R).Q == pytest.approx(d @ np.linalg.solve(R @ V @ R.T, d), rel=1e-10)
    V1 = cluster_vcov(o.X, o.y - o.X @ beta, o.cluster)
    assert wald_htz(o.X, o.y, o.cluster, R).Q != pytest.approx(d @ np.linalg.solve(R @ V1 @ R.T, d), rel=1e-3)


def test_verkeerde_beperkingsmatrix():
    o = _fixture_ontwerp("y")
    with pytest.raises(ValueError, match="verwacht .* kolommen"):
        wald_htz(o.X, o.y, o.cluster, np.eye(3))


# --- the reading (pure text logic on constructed results) ----------------------------------------------
def _pretrend(p_htz: float, p_cr1: float, eta: float = 8.0) -> Pretrend:
    htz = WaldHTZ(Q=5.0, q=3, eta=eta, df2=eta - 2, delta=(eta - 2) / eta, F=1.0, p=p_htz)
    return Pretrend(leads=("rel_-4", "rel_-3", "rel_-2"), htz=htz, f_cr1=6.6, df1=3, df2_cr1=339, p_cr1=p_cr1,
                    wild=None)


def test_lezing_volgt_de_hoofdtoets_niet_cr1():
    niets = _pretrend(0.16, 0.0004).lezing()
    assert "geen aanwijzing" in niets and "CR1" in niets and "telt hier niet" in niets
    assert "CR1" not in _pretrend(0.4, 0.3).lezing()
    wel = _pretrend(0.01, 0.0001).lezing()
    assert "twijfelachtig" in wel and "geen aanwijzing" not in wel
    assert "niet te beoordelen" in _pretrend(float("nan"), 0.01, eta=1.5).lezing()
    s = _pretrend(0.16, 0.0004).summary()
    assert s.splitlines()[0].startswith("Pre-trendtoets") and "HTZ" in s.splitlines()[0] and "p = 0.160" in s
    assert "CR1 F(3, 339) = 6.60, p = 0.000" in s.splitlines()[1]


# --- Monte Carlo: size of the pre-trend tests under the null ------------------------------------------
def _mc_pretrend(panelen, B: int) -> dict[str, float]:
    """Rejection rates at 5% of the joint lead test on panels without a pre-trend (HVWB treated from 2016)."""
    rej = {"cr1_f": 0, "cr2_htz": 0, "wild_webb": 0}
    reps = 0
    for r, panel in enumerate(panelen):
        o = bouw_ontwerp(indicatoren(panel), behandeld=HVWB, jaar=2016, indicator="uitstroom_pct_norm", soort="event")
        leads = [i for i, t in enumerate(o.termen) if int(t[4:]) <= -2]
        q = len(leads)
        M = np.linalg.inv(o.X.T @ o.X)
        beta = M @ (o.X.T @ o.y)
        factor = cr1_factor(len(o.y), o.k_slopes, o.G)
        V1 = cluster_vcov(o.X, o.y - o.X @ beta, o.cluster, bread=M, factor=factor)[np.ix_(leads, leads)]
        rej["cr1_f"] += stats.f.sf(beta[leads] @ np.linalg.solve(V1, beta[leads]) / q, q, o.G - 1) < 0.05
        rej["cr2_htz"] += wald_htz(o.X, o.y, o.cluster, beperkingsmatrix(leads, o.X.shape[1])).p < 0.05
        rej["wild_webb"] += wild_bootstrap_wald(o.X, o.y, o.cluster, leads, factor=factor, B=B, seed=r).p < 0.05
        reps += 1
    return {k: v / reps for k, v in rej.items()}


@pytest.mark.slow
def test_monte_carlo_pretrend_omvang_26_gemeenten():
    """1000 null replications of :func:`simuleer_gemeenten` (AR(1) errors, gemeente-specific variance;
    2011-2020, so 4 leads; 6 of 26 treated); wild bootstrap B = 399.

    HTZ must not over-reject (binomial 99% band for 1000 reps around 5% is about [3.2%, 6.8%]); with 6
    treated gemeenten it is conservative (about 1%), so only a loose lower bound. The CR1 F test must
    over-reject (it is the test HTZ replaces as the headline).
    """
    t0 = time.perf_counter()
    rates = _mc_pretrend((simuleer_gemeenten(seed=70_000 + r) for r in range(1000)), B=399)
    print("pre-trendtoets 6 van 26, verwerpingskansen bij 5% (1000 rep.):", rates,
          f"({time.perf_counter() - t0:.1f} s)")
    assert 0.002 <= rates["cr2_htz"] <= 0.068
    assert rates["cr1_f"] > 0.10
    assert 0.032 <= rates["wild_webb"] <= 0.075


@pytest.mark.slow
def test_monte_carlo_pretrend_omvang_gesimuleerd_land():
    """1000 null replications of the simulator's national panel (6 HvWB of 340 gemeenten, 2012-2019: 3 leads;
    the planted policy effect starts in 2016, so the leads are zero); wild bootstrap B = 399."""
    from evaluatie.simulatie import SimulatieConfig
    from evaluatie.simulatie.gemeenten import gemeentetabel

    t0 = time.perf_counter()
    panelen = (gemeentetabel(SimulatieConfig(), np.random.default_rng(90_000 + r))[0] for r in range(1000))
    rates = _mc_pretrend(panelen, B=399)
    print("pre-trendtoets 6 van 340, verwerpingskansen bij 5% (1000 rep.):", rates,
          f"({time.perf_counter() - t0:.1f} s)")
    assert rates["cr2_htz"] <= 0.068  # 99% binomial upper limit for 5% at 1000 reps
    assert rates["cr1_f"] > rates["cr2_htz"]
