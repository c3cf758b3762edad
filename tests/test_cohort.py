"""Cohort table: VNG method (Bijstand.R) on hand-made spells, Kaplan-Meier, where and why they differ."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.cohort import cohortanalyse
from evaluatie.cohort.jaren import jaren_sinds, verjaardag

DATA = Path(__file__).parent / "data" / "vng"
D = pd.Timestamp


def test_anniversaries_like_lubridate_m_plus():
    s = pd.to_datetime(["2016-02-29", "2015-06-15", None])
    assert list(pd.to_datetime(verjaardag(s, 1))[:2]) == [D("2017-02-28"), D("2016-06-15")]
    assert pd.to_datetime(verjaardag(s, 4))[0] == D("2020-02-29")
    t = jaren_sinds(pd.to_datetime(["2015-06-15", "2015-06-15", "2015-06-15"]),
                    pd.to_datetime(["2016-06-15", "2016-06-14", "2015-06-15"]))
    assert t[0] == 1.0 and t[1] == pytest.approx(365 / 366) and t[2] == 0.0  # 2015-06-15..2016-06-15 has 29 Feb


def _spells():
    """Peildatum 2019-01-01. Cohort 2015 fully observed for k = 1..3; cohort 2017 not for k = 2."""
    rows = [
        # cohort 2015
        ("A", "2015-03-01", "2016-03-01"),  # ends ON its 1st anniversary → not active at k=1 (strict <)
        ("B", "2015-06-01", "2017-01-01"),  # active at 1, not at 2
        ("C", "2015-01-10", None),          # running; 4th anniversary 2019-01-10 after peildatum → NA at k=4
        ("D", "2015-12-31", "2018-12-31"),  # active at 1, 2; ends on 3rd anniversary
        # cohort 2017
        ("E", "2017-01-01", "2017-07-01"),
        ("I", "2017-02-01", "2017-12-01"),
        ("H", "2017-03-01", "2018-06-01"),
        ("G", "2017-07-01", None),          # running, 1.5 years old at the peildatum
        ("J", "2017-01-15", "2018-11-01"),  # leaves after G was censored, before 2 years
        ("F", "2017-01-01", None),          # running, exactly 2 years old at the peildatum
    ]
    return pd.DataFrame({"client_id": [r[0] for r in rows], "startdatum": pd.to_datetime([r[1] for r in rows]),
                         "einddatum": pd.to_datetime([r[2] for r in rows]), "uitstroomreden": None})


@pytest.fixture(scope="module")
def res():
    return cohortanalyse(_spells(), peildatum="2019-01-01", jaren=range(1, 5))


def _cel(res, jaar, k):
    t = res.to_frame()
    return t[(t["instroomjaar"] == jaar) & (t["jaren"] == k)].iloc[0]


def test_vng_table_by_hand(res):
    # cohort 2015 (A, B, C, D): k=1: B, C, D active → 3/4; k=2: C, D → 2/4; k=3: C → 1/4; k=4: C undetermined → NA
    assert [_cel(res, 2015, k)["vng_aandeel"] for k in (1, 2, 3)] == [0.75, 0.5, 0.25]
    c4 = _cel(res, 2015, 4)
    assert np.isnan(c4["vng_aandeel"]) and c4["n_onbepaald"] == 1 and c4["n_cohort"] == 4
    assert c4["vng_zonder_onbepaald"] == 0.0 and c4["vng_lopend_actief"] == 0.25
    # cohort 2017 (E, I, H, G, J, F): k=1: H, G, J, F → 4/6; k=2: G and F undetermined → NA
    assert _cel(res, 2017, 1)["vng_aandeel"] == pytest.approx(4 / 6)
    c = _cel(res, 2017, 2)
    assert np.isnan(c["vng_aandeel"]) and c["n_onbepaald"] == 2
    assert c["vng_zonder_onbepaald"] == 0.0  # E, I, H, J all left: 0/4
    assert c["vng_lopend_actief"] == pytest.approx(2 / 6)
    assert _cel(res, 2015, 1)["vng_se"] == pytest.approx(np.sqrt(0.75 * 0.25 / 4))


def test_km_equals_vng_where_fully_observed(res):
    t = res.to_frame()
    vol = t[t["volledig_waargenomen"]]
    assert len(vol) == 4  # 2015: k = 1, 2, 3; 2017: k = 1
    np.testing.assert_allclose(vol["km_aandeel"], vol["vng_aandeel"], rtol=0, atol=1e-12)


def test_km_by_hand_for_recent_cohort(res):
    # ordered durations 2017: E .50 ev, I .83 ev, H 1.25 ev, G 1.50 cens, J 1.79 ev, F 2.00 cens
    # S(1) = 5/6 * 4/5 = 4/6; S(2) = 4/6 * 3/4 * 1/2 = 1/4 (J leaves with only J and F at risk)
    c1, c2 = _cel(res, 2017, 1), _cel(res, 2017, 2)
    assert c1["km_aandeel"] == pytest.approx(4 / 6)
    assert c1["km_se"] == pytest.approx((4 / 6) * np.sqrt(1 / (6 * 5) + 1 / (5 * 4)))  # Greenwood
    assert c2["km_aandeel"] == pytest.approx(0.25)
    assert c2["n_risico"] == 1 and c2["n_uitgestroomd"] == 4
    # where the script is empty, the two ways to fill it bracket KM: dropping running spells understates,
    # counting them active forever overstates
    assert c2["vng_zonder_onbepaald"] < c2["km_aandeel"] < c2["vng_lopend_actief"]
    assert np.isnan(_cel(res, 2015, 4)["km_aandeel"])  # beyond the longest follow-up (C censored at 3.98)
    s = res.summary()
    assert "ONDERSCHAT" in s and "OVERSCHAT" in s and "instroom 2017, 2 jaar" in s


def test_input_not_mutated_and_checks():
    u = _spells()
    kopie = u.copy()
    cohortanalyse(u, peildatum="2019-01-01")
    pd.testing.assert_frame_equal(u, kopie)
    with pytest.raises(ValueError, match="jaren"):
        cohortanalyse(u, peildatum="2019-01-01", jaren=[0, 1])
    r = cohortanalyse(u, peildatum="2016-01-01")
    assert any("startdatum na de peildatum" in w for w in r.waarschuwingen)


def test_dummy_matches_r_reference():
    """tests/data/vng/vng_cohort_referentie.R recomputes the Bijstand.R table in R (lubridate) on the .rds."""
    from evaluatie.importeer import importeer

    u = importeer("vng-dsh", DATA / "DummyDataBijstandv3.rds", gemeentecode="GM0777").tabellen["uitkeringen"]
    t = cohortanalyse(u, peildatum="2019-02-28").to_frame()
    ref = pd.read_csv(DATA / "vng_cohort_referentie.csv")
    m = t.merge(ref, on=["instroomjaar", "jaren"], suffixes=("", "_r"), validate="one_to_one")
    assert len(m) == 99
    assert (m["n_cohort"] == m["n"]).all() and (m["n_onbepaald"] == m["n_onbepaald_r"]).all()
    for ons, r in (("vng_aandeel", "script"), ("vng_zonder_onbepaald", "zonder_onbepaald"),
                   ("vng_lopend_actief", "lopend_actief")):
        np.testing.assert_allclose(m[ons], m[r], rtol=0, atol=1e-12, equal_nan=True)
    vol = t[t["volledig_waargenomen"]]
    np.testing.assert_allclose(vol["km_aandeel"], vol["vng_aandeel"], rtol=0, atol=1e-12)


def test_cli_cohort(tmp_path):
    runner = CliRunner()
    imp = tmp_path / "imp"
    r = runner.invoke(main, ["importeer", "vng-dsh", str(DATA / "DummyDataBijstandv3.csv"), "--out", str(imp),
                             "--gemeentecode", "GM0777"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "coh"
    r = runner.invoke(main, ["cohort", str(imp), "--out", str(out)])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(out / "publiceerbaar" / "tabellen" / "cohorten.csv")
    assert len(t) == 11 * 9
    assert t.loc[(t.instroomjaar == 2008) & (t.jaren == 1), "vng_aandeel"].iloc[0] == pytest.approx(246 / 442, abs=1e-6)
    png = (out / "publiceerbaar" / "cohorten.png").read_bytes()
    r = runner.invoke(main, ["cohort", str(imp), "--out", str(out)])
    assert (out / "publiceerbaar" / "cohorten.png").read_bytes() == png  # deterministic
    r = runner.invoke(main, ["cohort", str(tmp_path), "--out", str(out)])
    assert r.exit_code != 0 and "Traceback" not in r.output


def test_cli_cohort_lege_cel_als_streepje_en_gebruiksfout(tmp_path):
    runner = CliRunner()
    imp = tmp_path / "imp"
    r = runner.invoke(main, ["importeer", "vng-dsh", str(DATA / "DummyDataBijstandv3.csv"), "--out", str(imp),
                             "--gemeentecode", "GM0777"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["cohort", str(imp), "--out", str(tmp_path / "coh"), "--jaren", "3"])
    assert r.exit_code == 0, r.output
    tekst = (tmp_path / "coh" / "publiceerbaar" / "cohorten.txt").read_text(encoding="utf-8")
    # the legend promises '-' for cells the script leaves empty; inflow 2018 is never a full year old at the
    # peildatum 2019-02-28 (running uitkeringen younger than a year), so its row is empty in table (a)
    assert "<NA>" not in tekst
    a = tekst.split("(b)")[0]
    rij_2018 = next(x for x in a.splitlines() if x.startswith("2018"))
    assert rij_2018.split() == ["2018", "-", "-", "-"]
    r = runner.invoke(main, ["cohort", str(imp), "--out", str(tmp_path / "c2"), "--peildatum", "28-02-2019"])
    assert r.exit_code == 2 and "--peildatum" in r.output and "jjjj-mm-dd" in r.output
