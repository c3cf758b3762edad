"""Indicators against the published Etten-Leur numbers and hand calculations; input checks."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from benchmark_data import ETTEN_LEUR, rij, simuleer_gemeenten
from evaluatie.benchmark import BenchmarkFout, bereken_indicatoren, index_reeks, landelijk, maandreeksen, preventiequotum


def afgerond(x: float, d: int = 0) -> float:
    """Round half up, as a Dutch report does."""
    q = Decimal(1).scaleb(-d)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def _etten_leur_plus_een() -> pd.DataFrame:
    rows = [rij("GM0777", j, n, f, naam="Etten-Leur", budget=b) for j, b, n, f in zip(*ETTEN_LEUR.values())]
    rows += [rij("GM0001", j, 100, 100) for j in ETTEN_LEUR["jaar"]]
    return pd.DataFrame(rows)


def test_tabel5_uitkeringen_in_procent_norm():
    ind = bereken_indicatoren(_etten_leur_plus_een())
    el = ind[ind.gemeentecode == "GM0777"].sort_values("jaar")
    pct = el.pct_norm.to_numpy()
    # 2016-2019 exactly as printed in Tabel 5: 100, 95, 94, 100
    assert [afgerond(x) for x in pct[1:]] == [100, 95, 94, 100]
    # 2015: the report prints 114%, but 673/593 = 113.49% -> 113%. The printed 114 is only reachable with
    # unrounded inputs (e.g. a monthly-average feitelijk aantal >= 673.06); we keep the honest value and
    # check that 114 lies within what rounding of the two published integers allows.
    assert pct[0] == pytest.approx(100 * 673 / 593)
    assert afgerond(pct[0]) == 113
    hoogst = 100 * 673.5 / 592.5
    assert afgerond(hoogst) == 114 and 100 * 672.5 / 593.5 < 113.5 < hoogst


def test_instroom_uitstroom_2017_als_procent_van_norm():
    df = _etten_leur_plus_een()
    df.loc[(df.gemeentecode == "GM0777") & (df.jaar == 2017), ["instroom", "uitstroom", "uitstroom_werk"]] = [210, 200, 58]
    ind = bereken_indicatoren(df).set_index(["gemeentecode", "jaar"])
    r = ind.loc[("GM0777", 2017)]
    assert afgerond(r.instroom_pct, 1) == 27.8
    assert afgerond(r.uitstroom_pct, 1) == 26.5
    assert afgerond(r.netto_groei_pct, 1) == 1.3
    assert r.uitstroom_werk_pct == pytest.approx(100 * 58 / 755)
    assert math.isnan(ind.loc[("GM0777", 2018)].instroom_pct)


def test_tabel1_preventiequotum_en_deeljaar():
    poort = pd.DataFrame({
        "gemeentecode": ["GM0777"] * 4, "jaar": [2016, 2017, 2018, 2019], "maand": pd.array([pd.NA] * 4, "Int64"),
        "maanden": pd.array([pd.NA, pd.NA, pd.NA, 6], "Int64"),
        "meldingen": [2539, 2133, 1874, 898], "aanvragen": [1490, 1378, 1134, 571],
        "toekenningen": [1422, 1188, 905, 433],
    })
    p = preventiequotum(poort)
    assert [afgerond(x) for x in p.preventiequotum] == [44, 44, 52, 52]
    assert p.deeljaar.tolist() == [False, False, False, True]
    assert p.periode.tolist()[-1] == "2019 (6 mnd)"
    # binomial SE by hand for 2016: p = 1117/2539
    q = 1117 / 2539
    assert p.se.iloc[0] == pytest.approx(100 * math.sqrt(q * (1 - q) / 2539))
    assert (p.ci_laag < p.preventiequotum).all() and (p.preventiequotum < p.ci_hoog).all()
    assert poort.maanden.isna().sum() == 3  # caller's frame untouched


def test_preventiequotum_uit_maandrijen():
    poort = pd.DataFrame({"gemeentecode": "GM0001", "jaar": 2018, "maand": range(1, 7), "meldingen": 10,
                          "aanvragen": 6, "toekenningen": 4})
    p = preventiequotum(poort)
    assert len(p) == 1 and p.maanden.iloc[0] == 6 and p.deeljaar.iloc[0]
    assert p.meldingen.iloc[0] == 60 and p.preventiequotum.iloc[0] == pytest.approx(60.0)


def test_landelijk_is_som_over_gemeenten():
    df = pd.DataFrame([rij("GM0001", 2017, 100, 120, instroom=30, uitstroom=20),
                       rij("GM0002", 2017, 300, 240, instroom=60, uitstroom=70)])
    nl = landelijk(bereken_indicatoren(df))
    assert nl.pct_norm.iloc[0] == pytest.approx(100 * 360 / 400)
    assert nl.netto_groei_pct.iloc[0] == pytest.approx(100 * (90 - 90) / 400)


def test_index_basisjaar_is_100():
    df = pd.DataFrame([rij("GM0001", j, 100, f) for j, f in [(2016, 80), (2017, 100), (2018, 110)]])
    idx = index_reeks(bereken_indicatoren(df), 2017)
    assert idx["index"].tolist() == pytest.approx([80, 100, 110])
    with pytest.raises(ValueError, match="basisjaar 2014"):
        index_reeks(bereken_indicatoren(df), 2014)


def test_maandreeksen_voortschrijdend_en_groei():
    n = 15
    t = np.arange(n)
    df = pd.DataFrame({"gemeentecode": "GM0001", "jaar": 2018 + (t // 12), "maand": t % 12 + 1,
                       "instroom": 1.0 + t, "feitelijk_aantal": np.where(t >= 12, 200.0, 100.0)})
    m = maandreeksen(df)
    assert m.beschikbaar
    tot = m.tabel.instroom_12m.to_numpy()
    assert np.isnan(tot[:11]).all()
    assert tot[11] == sum(range(1, 13)) and tot[14] == sum(range(4, 16))
    groei = m.tabel.feitelijk_aantal_groei_12m.to_numpy()
    assert np.isnan(groei[:12]).all() and groei[12:] == pytest.approx([100, 100, 100])


def test_geen_maanddata_wordt_gezegd():
    m = maandreeksen(None)
    assert not m.beschikbaar and "geen maandgegevens" in m.summary()


def test_maandreeksen_gat_geeft_geen_12m_totaal():
    df = pd.DataFrame({"gemeentecode": "GM0001", "jaar": 2018, "maand": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
                       "instroom": 1.0})
    df = pd.concat([df, pd.DataFrame({"gemeentecode": ["GM0001"], "jaar": [2019], "maand": [2], "instroom": [1.0]})])
    m = maandreeksen(df)  # December 2018 and January 2019 missing: no complete 12 months
    assert m.tabel.instroom_12m.isna().all()


# ------------------------------------------------------------------------------------ bad input
def test_dubbele_rij_geeft_duidelijke_fout():
    df = simuleer_gemeenten(n=5, etten_leur=False)
    df = pd.concat([df, df.iloc[[3]]])
    with pytest.raises(BenchmarkFout, match=r"dubbele rijen.*\(GM1000, 2018\)"):
        bereken_indicatoren(df)


def test_ontbrekend_jaar_geeft_duidelijke_fout():
    df = simuleer_gemeenten(n=5, etten_leur=False)
    df = df[~((df.gemeentecode == "GM1002") & (df.jaar == 2018))]
    with pytest.raises(BenchmarkFout, match="GM1002 mist 2018"):
        bereken_indicatoren(df)


def test_norm_nul_geeft_duidelijke_fout():
    df = simuleer_gemeenten(n=5, etten_leur=False)
    df.loc[(df.gemeentecode == "GM1001") & (df.jaar == 2016), "genormeerd_aantal"] = 0.0
    with pytest.raises(BenchmarkFout, match=r"genormeerd_aantal: GM1001 in 2016 \(0\).*groter dan 0"):
        bereken_indicatoren(df)


def test_ontbrekende_kolom():
    df = simuleer_gemeenten(n=3, etten_leur=False).drop(columns="buig_budget")
    with pytest.raises(BenchmarkFout, match="mist kolom.*buig_budget"):
        bereken_indicatoren(df)


def test_invoer_niet_gewijzigd():
    df = simuleer_gemeenten(n=5)
    kopie = df.copy()
    bereken_indicatoren(df)
    pd.testing.assert_frame_equal(df, kopie)
