"""Comparison groups on constructed cases whose right answer is known; relabelling invariance."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmark_data import rij, simuleer_gemeenten
from evaluatie.benchmark import (BenchmarkFout, benchmark, bereken_indicatoren, groep_buig, groep_structureel,
                                 groep_synthetisch, synthetische_gewichten, vergelijkingsgroep)


def _budgetten(budgets, jaar=2019) -> pd.DataFrame:
    return bereken_indicatoren(pd.DataFrame([rij(f"GM{1000 + i}", jaar, 100, 100, budget=b)
                                             for i, b in enumerate(budgets)]))


def test_buig_groep_dichtstbijzijnde_budgetten_zonder_zichzelf():
    ind = _budgetten([100.0 * i for i in range(30)])
    g = groep_buig(ind, "GM1010", k=4)
    assert set(g.leden) == {"GM1008", "GM1009", "GM1011", "GM1012"}
    assert "GM1010" not in g.leden
    assert sum(g.gewichten) == pytest.approx(1) and g.n_kandidaten == 29
    assert sorted(g.afstanden) == [100, 100, 200, 200]


def test_buig_groep_gelijke_afstand_neemt_alle_gelijken_mee():
    ind = _budgetten([100.0 * i for i in range(30)])
    g = groep_buig(ind, "GM1010", k=3)
    assert set(g.leden) == {"GM1008", "GM1009", "GM1011", "GM1012"}
    assert any("gelijke afstand" in w for w in g.waarschuwingen)


def test_buig_groep_gebruikt_referentiejaar():
    rows = [rij("GM1000", 2018, 100, 100, budget=500), rij("GM1000", 2019, 100, 100, budget=500),
            rij("GM1001", 2018, 100, 100, budget=510), rij("GM1001", 2019, 100, 100, budget=900),
            rij("GM1002", 2018, 100, 100, budget=800), rij("GM1002", 2019, 100, 100, budget=505)]
    ind = bereken_indicatoren(pd.DataFrame(rows))
    assert groep_buig(ind, "GM1000", k=1).leden == ("GM1002",)  # default: last year 2019
    assert groep_buig(ind, "GM1000", k=1, referentiejaar=2018).leden == ("GM1001",)


def _kenmerken(a, b) -> pd.DataFrame:
    return bereken_indicatoren(pd.DataFrame([
        rij(f"GM{1000 + i}", 2019, 100, 100, kenmerk_a=float(x), kenmerk_b=float(y)) for i, (x, y) in enumerate(zip(a, b))
    ]))


def test_structureel_euclidisch_op_z_scores():
    # By hand: sd_a = sd([0,1,2,0,1,2]) = 0.894, sd_b = sd([0,0,0,10,10,10]) = 5.477. From GM1000 (0, 0):
    # GM1001 (1, 0) at 1/0.894 = 1.118, GM1003 (0, 10) at 10/5.477 = 1.826, GM1002 (2, 0) at 2.236.
    a = [0, 1, 2, 0, 1, 2]
    b = [0, 0, 0, 10, 10, 10]
    g = groep_structureel(_kenmerken(a, b), "GM1000", k=2, kenmerken=["kenmerk_a", "kenmerk_b"])
    assert g.leden == ("GM1001", "GM1003")
    # Rescaling a characteristic changes nothing (z-scores)
    g2 = groep_structureel(_kenmerken([1000 * x for x in a], b), "GM1000", k=2, kenmerken=["kenmerk_a", "kenmerk_b"])
    assert g2.leden == g.leden and g2.afstanden == pytest.approx(g.afstanden)
    # distance by hand: z of kenmerk_a uses sd of [0,1,2,0,1,2] (ddof=1)
    assert g.afstanden == pytest.approx((1 / 0.894427191, 10 / 5.477225575))


def test_structureel_beantwoordt_bezwaar_college():
    # Budget mostly reflects size: GM1001 has the same budget as GM1000 but 4x the inhabitants (quarter of the
    # norm per inhabitant); GM1002 is the same kind of gemeente (size and norm per inhabitant) with another budget.
    rows = [rij("GM1000", 2019, 700, 700, inwoners=40_000, budget=10e6),
            rij("GM1001", 2019, 700, 700, inwoners=160_000, budget=10.1e6),
            rij("GM1002", 2019, 730, 700, inwoners=41_000, budget=11e6),
            rij("GM1003", 2019, 2000, 2000, inwoners=100_000, budget=30e6)]
    ind = bereken_indicatoren(pd.DataFrame(rows))
    assert groep_buig(ind, "GM1000", k=1).leden == ("GM1001",)
    assert groep_structureel(ind, "GM1000", k=1).leden == ("GM1002",)


def test_synthetische_gewichten_exacte_convexe_combinatie():
    rng = np.random.default_rng(11)
    X0 = rng.normal(100, 10, size=(10, 6))  # 10 pre-years, 6 donors: identified
    w_waar = np.array([0, 0.3, 0, 0, 0.7, 0])
    w = synthetische_gewichten(X0 @ w_waar, X0)
    assert w == pytest.approx(w_waar, abs=1e-4)
    assert w.sum() == pytest.approx(1, abs=1e-12) and (w >= 0).all()


def test_synthetisch_via_gemeenten_tabel_herstelt_gewichten_en_pad():
    rng = np.random.default_rng(5)
    jaren = list(range(2010, 2020))
    donor = {f"GM{1001 + i}": rng.uniform(80, 120, len(jaren)) for i in range(6)}
    doel = 0.25 * donor["GM1002"] + 0.75 * donor["GM1005"]
    doel[-1] += 5.0  # after the cut-off the gemeente diverges by 5 points
    rows = [rij(c, j, 100, v) for c, pad in donor.items() for j, v in zip(jaren, pad)]
    rows += [rij("GM1000", j, 100, v) for j, v in zip(jaren, doel)]
    ind = bereken_indicatoren(pd.DataFrame(rows))
    g = groep_synthetisch(ind, "GM1000", snijjaar=2019)
    got = dict(zip(g.leden, g.gewichten))
    assert set(got) == {"GM1002", "GM1005"}
    assert got["GM1002"] == pytest.approx(0.25, abs=1e-3) and got["GM1005"] == pytest.approx(0.75, abs=1e-3)
    assert g.rmspe_voor < 1e-3
    assert g.pad.set_index("jaar").loc[2019, "verschil"] == pytest.approx(5.0, abs=1e-2)
    assert g.rmspe_na == pytest.approx(5.0, abs=1e-2)


def test_synthetisch_onderbepaald_is_onafhankelijk_van_volgorde():
    rng = np.random.default_rng(3)
    X0 = rng.normal(100, 10, size=(3, 40))  # 3 pre-years, 40 donors: many exact fits
    x1 = X0[:, :5].mean(axis=1)
    w = synthetische_gewichten(x1, X0)
    perm = rng.permutation(40)
    w2 = synthetische_gewichten(x1, X0[:, perm])
    assert w2 == pytest.approx(w[perm], abs=1e-6)
    assert np.sqrt(np.mean((X0 @ w - x1) ** 2)) < 1e-3


def test_synthetisch_zonder_voorperiode_is_fout():
    ind = bereken_indicatoren(simuleer_gemeenten(n=5, etten_leur=False))
    with pytest.raises(ValueError, match="geen jaren vóór"):
        groep_synthetisch(ind, "GM1000", snijjaar=2015)


def test_onbekende_methode():
    ind = bereken_indicatoren(simuleer_gemeenten(n=5, etten_leur=False))
    with pytest.raises(ValueError, match="verwacht een van buig, structureel, synthetisch, kreeg 'budget'"):
        vergelijkingsgroep(ind, "GM1000", "budget")


def test_onbekende_gemeente_noemt_naaste_codes():
    with pytest.raises(BenchmarkFout, match="onbekende gemeente 'GM0778'.*GM0777"):
        benchmark(simuleer_gemeenten(n=5), gemeente="GM0778")


def test_hernummeren_van_gemeenten_verandert_niets():
    df = simuleer_gemeenten(n=40, seed=2)
    r1 = benchmark(df, gemeente="GM0777", k=10)
    rng = np.random.default_rng(9)
    codes = sorted(df.gemeentecode.unique())
    nieuw = dict(zip(codes, [f"GM{5000 + i}" for i in rng.permutation(len(codes))]))
    df2 = df.assign(gemeentecode=df.gemeentecode.map(nieuw)).sample(frac=1.0, random_state=4)
    r2 = benchmark(df2, gemeente=nieuw["GM0777"], k=10)
    kols = ["methode", "indicator", "jaar"]
    a = r1.gevoeligheid.sort_values(kols).reset_index(drop=True)
    b = r2.gevoeligheid.sort_values(kols).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, atol=1e-6, rtol=1e-6)
    for m in ("buig", "structureel", "synthetisch"):
        g1, g2 = r1.groep(m), r2.groep(m)
        w1 = {nieuw[c]: w for c, w in zip(g1.leden, g1.gewichten)}
        w2 = dict(zip(g2.leden, g2.gewichten))
        assert set(w1) == set(w2)
        assert [w1[c] for c in sorted(w1)] == pytest.approx([w2[c] for c in sorted(w2)], abs=1e-6)
