"""Person-month FE LPM: reproduces R plm (fixture + script in tests/reference/) and the published
Vella & Verbeek wage-panel table (Wooldridge, Introductory Econometrics, Table 14.2, FE column)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.panel.inferentie import cluster_vcov, codeer
from evaluatie.panel.persoon import PanelWaarschuwing, fwl_twoway, schat_persoon_fe

FIX = Path(__file__).parent / "reference" / "fixtures" / "panel"
TERMEN = ["jobcoaching_in", "jobcoaching_na", "arbeidstraining_in", "arbeidstraining_na"]


@pytest.fixture(scope="module")
def pm() -> pd.DataFrame:
    d = pd.read_csv(FIX / "persoonmaanden.csv")
    d["kalendermaand"] = pd.PeriodIndex(d["kalendermaand"], freq="M")
    return d


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return pd.read_csv(FIX / "plm_persoon.csv")


@pytest.mark.parametrize("engine", ["fwl", "panelols"])
@pytest.mark.parametrize("eenheid,case", [("spell", "spell_cluster_client"), ("client", "client")])
def test_reproduceert_plm_twoways_geclusterd_op_client(pm, ref, engine, eenheid, case):
    r = schat_persoon_fe(pm, eenheid=eenheid, engine=engine)
    rr = ref[(ref.case == case) & ref.vcov_type.str.startswith("sss")].set_index("term").loc[list(r.termen)]
    assert list(r.termen) == TERMEN
    np.testing.assert_allclose(r.schatting, rr.estimate, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(r.se, rr.se, rtol=1e-6, atol=1e-9)
    assert r.n_obs == rr.n.iloc[0] == len(pm)
    assert r.df == pm.client_id.nunique() - 1


def test_sandwich_reproduceert_plm_hc1_en_sss_per_spell(pm, ref):
    """plm's own vcovHC(type=HC1/sss, cluster='group') on the spell x month model (no hand-made R step)."""
    y = (pm.status == 1).to_numpy(float)
    X = pm[TERMEN].to_numpy(float)
    s, S = codeer(pm.spell_id)
    t, _ = codeer(pm.kalendermaand)
    beta, Xdd, e = fwl_twoway(y, X, s, t)
    N, K = X.shape
    for vtype, factor in (("HC1_group", N / (N - K)), ("sss_group", S / (S - 1) * (N - 1) / (N - K))):
        rr = ref[(ref.case == "spell") & (ref.vcov_type == vtype)].set_index("term").loc[TERMEN]
        np.testing.assert_allclose(beta, rr.estimate, rtol=1e-6, atol=1e-9)
        se = np.sqrt(np.diag(cluster_vcov(Xdd, e, s, factor=factor)))
        np.testing.assert_allclose(se, rr.se, rtol=1e-6, atol=1e-9)


@pytest.fixture(scope="module")
def wage() -> pd.DataFrame:
    from linearmodels.datasets import wage_panel

    return wage_panel.load()


def test_wage_panel_gepubliceerde_tabel(wage):
    """Wooldridge (Introductory Econometrics, Table 14.2 "three different estimators of a wage equation"), FE column with year
    dummies: expersq -.0052 (.0007), married .047 (.018), union .080 (.019); conventional SEs."""
    y = wage.lwage.to_numpy(float)
    X = wage[["expersq", "union", "married"]].to_numpy(float)
    a, n_a = codeer(wage.nr)
    t, T = codeer(wage.year)
    beta, Xdd, e = fwl_twoway(y, X, a, t)
    dfres = len(y) - X.shape[1] - n_a - (T - 1)
    se = np.sqrt(np.diag(e @ e / dfres * np.linalg.inv(Xdd.T @ Xdd)))
    gepubliceerd = {"expersq": (-0.0052, 0.0007), "union": (0.080, 0.019), "married": (0.047, 0.018)}
    for j, term in enumerate(["expersq", "union", "married"]):
        b, s = gepubliceerd[term]
        dec = 4 if term == "expersq" else 3
        assert round(beta[j], dec) == pytest.approx(b, abs=1e-12), term
        assert round(se[j], dec) == pytest.approx(s, abs=1e-12), term


def test_wage_panel_plm(wage):
    """Same data through R plm (within, twoways): coefficients, conventional and clustered SE to 1e-6."""
    ref = pd.read_csv(FIX / "plm_wage_panel.csv").set_index("term").loc[["expersq", "union", "married"]]
    y = wage.lwage.to_numpy(float)
    X = wage[["expersq", "union", "married"]].to_numpy(float)
    a, n_a = codeer(wage.nr)
    t, T = codeer(wage.year)
    beta, Xdd, e = fwl_twoway(y, X, a, t)
    N, K = X.shape
    np.testing.assert_allclose(beta, ref.estimate, rtol=1e-6)
    conv = np.sqrt(np.diag(e @ e / (N - K - n_a - (T - 1)) * np.linalg.inv(Xdd.T @ Xdd)))
    np.testing.assert_allclose(conv, ref.se_conventional, rtol=1e-6)
    hc1 = np.sqrt(np.diag(cluster_vcov(Xdd, e, a, factor=N / (N - K))))
    np.testing.assert_allclose(hc1, ref.se_hc1_group, rtol=1e-6)
    sss = np.sqrt(np.diag(cluster_vcov(Xdd, e, a, factor=n_a / (n_a - 1) * (N - 1) / (N - K))))
    np.testing.assert_allclose(sss, ref.se_sss_group, rtol=1e-6)


def test_fwl_gelijk_aan_panelols_ongebalanceerd_met_gaten():
    """Unbalanced panel with gaps and units of one row: both engines agree (and agree with LSDV)."""
    rng = np.random.default_rng(5)
    n = 900
    pm = pd.DataFrame({"client_id": rng.integers(0, 60, n), "kalendermaand": rng.integers(0, 14, n)})
    pm = pm.drop_duplicates().reset_index(drop=True)
    pm["spell_id"] = pm.client_id
    pm["x_in"] = rng.integers(0, 2, len(pm))
    pm["x_na"] = (rng.random(len(pm)) < 0.3).astype(int)
    pm["status"] = (rng.random(len(pm)) < 0.1 + 0.1 * pm.x_in).astype(int)
    a = schat_persoon_fe(pm, engine="fwl")
    b = schat_persoon_fe(pm, engine="panelols")
    np.testing.assert_allclose(a.schatting, b.schatting, rtol=1e-9)
    np.testing.assert_allclose(a.se, b.se, rtol=1e-9)
    # LSDV with explicit dummies
    D = pd.get_dummies(pm.spell_id).to_numpy(float)
    T = pd.get_dummies(pm.kalendermaand).to_numpy(float)[:, 1:]
    Z = np.column_stack([pm[["x_in", "x_na"]].to_numpy(float), D, T])
    coef = np.linalg.lstsq(Z, (pm.status == 1).to_numpy(float), rcond=None)[0]
    np.testing.assert_allclose(a.schatting, coef[:2], rtol=1e-8)


def test_invariant_voor_rijvolgorde_en_muteert_niet(pm):
    kopie = pm.copy()
    a = schat_persoon_fe(pm)
    b = schat_persoon_fe(pm.sample(frac=1.0, random_state=3))
    pd.testing.assert_frame_equal(pm, kopie)
    np.testing.assert_allclose(a.schatting, b.schatting, rtol=1e-10)
    np.testing.assert_allclose(a.se, b.se, rtol=1e-10)


def test_resultaat_tabel_en_samenvatting(pm):
    r = schat_persoon_fe(pm)
    f = r.to_frame()
    assert list(f.columns[:4]) == ["term", "instrument", "toestand", "schatting"]
    assert set(f.toestand) == {"tijdens", "na"}
    assert (f.ci_laag < f.schatting).all() and (f.schatting < f.ci_hoog).all()
    assert r.n_gebeurtenissen == int((pm.status == 1).sum())
    s = r.summary()
    assert "procentpunt" in s and "niet-herhaalbare" in s


def test_instrument_zonder_variatie_binnen_personen_wordt_gemeld(pm):
    d = pm.assign(statisch_in=(pm.client_id < "C010").astype(int), statisch_na=0)
    with pytest.warns(PanelWaarschuwing, match="statisch_in"):
        r = schat_persoon_fe(d)
    assert "statisch_in" not in r.termen and any("statisch" in w for w in r.waarschuwingen)


def test_foute_opties_en_kolommen(pm):
    with pytest.raises(ValueError, match="verwacht een van spell, client, kreeg 'persoon'"):
        schat_persoon_fe(pm, eenheid="persoon")
    with pytest.raises(ValueError, match="verwacht een van fwl, panelols"):
        schat_persoon_fe(pm, engine="lsdv")
    with pytest.raises(ValueError, match="mist kolom"):
        schat_persoon_fe(pm.drop(columns="kalendermaand"))
    with pytest.raises(ValueError, match="jobcoach_in"):
        schat_persoon_fe(pm, instrumenten=["jobcoach"])


def _simuleer_pm(n: int, maanden: int = 60, seed: int = 1) -> pd.DataFrame:
    """Clients followed 60 months; spells end at exit (work with prob basis_i + 0.02*in, other 0.6%);
    one instrument per spell (30%), and a second instrument without any effect (the null)."""
    rng = np.random.default_rng(seed)
    basis = rng.beta(2, 60, n)
    spell, start, volgende = np.arange(n), np.zeros(n, int), n
    neemt, st, du = rng.random((n, 2)) < 0.3, rng.integers(0, 12, (n, 2)), rng.integers(2, 9, (n, 2))
    rijen = []
    for t in range(maanden):
        m = (t - start)[:, None]
        cin, cna = neemt & (m >= st) & (m < st + du), neemt & (m >= st + du)
        p = basis + 0.02 * cin[:, 0]
        u = rng.random(n)
        status = np.where(u < p, 1, np.where(u < p + 0.006, 2, 0))
        rijen.append(pd.DataFrame({"client_id": np.arange(n), "spell_id": spell.copy(), "kalendermaand": t,
                                   "status": status, "effect_in": cin[:, 0].astype(int), "effect_na": cna[:, 0].astype(int),
                                   "nul_in": cin[:, 1].astype(int), "nul_na": cna[:, 1].astype(int)}))
        uit = np.flatnonzero(status > 0)
        spell[uit] = volgende + np.arange(len(uit))
        volgende += len(uit)
        start[uit] = t + 1
        neemt[uit], st[uit], du[uit] = rng.random((len(uit), 2)) < 0.3, rng.integers(0, 12, (len(uit), 2)), rng.integers(2, 9, (len(uit), 2))
    return pd.concat(rijen, ignore_index=True)


def test_geplante_waarheid_client_fe_en_bias_van_spell_fe():
    """Planted: +0.02 per month while in 'effect', nothing for 'nul'. Client FE recovers the in-programme
    effects (within 4 SE); spell FE (non-repeated event) shows the Allison-Christakis bias on the null."""
    pm = _simuleer_pm(10_000)
    c = schat_persoon_fe(pm, eenheid="client").to_frame().set_index("term")
    for term, waarheid in (("effect_in", 0.02), ("nul_in", 0.0)):
        assert abs(c.loc[term, "schatting"] - waarheid) < 4 * c.loc[term, "se"], (term, c.loc[term].to_dict())
    s = schat_persoon_fe(pm, eenheid="spell").to_frame().set_index("term")
    assert s.loc["nul_in", "schatting"] > 5 * s.loc["nul_in", "se"]  # documented bias, see module docstring
