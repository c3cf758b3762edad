"""Goals: meaning checks and verdicts worked out on paper."""
from __future__ import annotations

import pytest

from evaluatie.config import ConfigFout
from evaluatie.doelen import lees_doelen, oordeel, poisson_interval


@pytest.mark.parametrize("w, lo, hi, streef, richting, verwacht", [
    (30, 25, 35, 20, "hoger", "gehaald"), (30, 25, 35, 40, "hoger", "niet gehaald"), (30, 25, 35, 30, "hoger", "niet te beoordelen"),
    (30, 25, 35, 40, "lager", "gehaald"), (30, 25, 35, 20, "lager", "niet gehaald"), (30, 25, 35, 25, "lager", "niet te beoordelen"),
    (float("nan"), float("nan"), float("nan"), 1, "hoger", "niet te beoordelen"),
])
def test_verdict(w, lo, hi, streef, richting, verwacht):
    assert oordeel(w, lo, hi, streef, richting) == verwacht


def test_poisson_interval_known_values():
    # Garwood interval for k = 0 is [0, 3.689] and for k = 10 [4.795, 18.39] (standard tables)
    assert poisson_interval(0) == (0.0, pytest.approx(3.689, abs=1e-3))
    lo, hi = poisson_interval(10)
    assert lo == pytest.approx(4.795, abs=1e-3) and hi == pytest.approx(18.39, abs=1e-2)


@pytest.mark.parametrize("doel, veld, stuk", [
    ({"indicator": "werkloosheid", "jaar": 2019, "streefwaarde": 1}, "doelen[1].indicator", "pct_norm"),
    ({"indicator": "pct_norm", "jaar": "2019", "streefwaarde": 1}, "doelen[1].jaar", "jaartal"),
    ({"indicator": "pct_norm", "jaar": 2019, "streefwaarde": "veel"}, "doelen[1].streefwaarde", "getal"),
    ({"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 1, "richting": "omhoog"}, "doelen[1].richting", "hoger of lager"),
])
def test_bad_goal_names_field_and_expectation(doel, veld, stuk):
    with pytest.raises(ConfigFout) as e:
        lees_doelen({"doelen": [doel]})
    assert veld in str(e.value) and stuk in str(e.value)


def test_default_direction_and_label():
    (d,) = lees_doelen({"doelen": [{"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 100}]})
    assert d.richting == "lager" and d.label == "Uitkeringen in % van de norm"


def test_goals_against_the_statline_sample_benchmark():
    from pathlib import Path

    from evaluatie.benchmark import benchmark
    from evaluatie.doelen import evalueer_doelen
    from evaluatie.importeer.statline import combineer, lees_statline, lees_szw
    from evaluatie.rapport.secties.benchmark import voorlopige_cijfers
    from evaluatie.validatie import valideer_tabellen

    sl = Path(__file__).parents[1] / "evaluatie" / "data" / "voorbeeld_statline"
    r = combineer([lees_statline(sl / "84066NED_TypedDataSet.json"), lees_statline(sl / "82015NED_labels.csv"),
                   lees_statline(sl / "37230ned_UntypedDataSet.csv"), lees_szw(sl / "szw_verdeling_buig_2017.xlsx", jaar=2017),
                   lees_szw(sl / "szw_verdeling_buig_2019.xlsx", jaar=2019)])
    g = valideer_tabellen({"gemeenten": r.gemeenten.astype(str).replace("nan", "")}).geaccepteerd["gemeenten"]
    bm = benchmark(g, None, gemeente="GM0777", methoden=("buig",), k=3, referentiejaar=2019, basisjaar=2017)
    doelen = lees_doelen({"doelen": [
        {"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 120.0},
        {"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 95.0},
        {"indicator": "instroom_pct", "jaar": 2017, "streefwaarde": 28.0},
        {"indicator": "uitstroom_pct", "jaar": 2018, "streefwaarde": 20.0},
        {"indicator": "toerekenbaar_aandeel", "jaar": 2019, "streefwaarde": 10.0},
    ]})
    res = evalueer_doelen(doelen, benchmark=bm, populatie=None).rijen
    # 727 / 702 = 103.56%; exact Poisson 95% interval on 727 is about [675, 782] → 96.2%–111.4%
    assert res.oordeel.tolist() == ["gehaald", "niet gehaald", "niet te beoordelen", "niet te beoordelen", "niet te beoordelen"]
    assert res.waarde.iloc[0] == pytest.approx(100 * 727 / 702)
    assert res.ci_laag.iloc[0] == pytest.approx(96.2, abs=0.1) and res.ci_hoog.iloc[0] == pytest.approx(111.4, abs=0.15)
    assert "voorlopig" in res.toelichting.iloc[0]
    assert "geen cijfer voor 2018" in res.toelichting.iloc[3] and "effectanalyse" in res.toelichting.iloc[4]
    zin = voorlopige_cijfers(bm)
    assert zin is not None and "2019" in zin and "82015NED" in zin and "2017" not in zin
