"""`evaluatie importeer statline`: OData JSON, label/raw CSV and the SZW verdeling into `gemeenten`
(shipped samples in evaluatie/data/voorbeeld_statline), and every kind of bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.importeer.statline import combineer, lees_statline, lees_szw, parse_periode
from evaluatie.lezen import Invoerfout

SL = Path(__file__).parents[1] / "evaluatie" / "data" / "voorbeeld_statline"


@pytest.mark.parametrize("tekst, verwacht", [
    ("2019JJ00", (2019, "JJ00", False)), ("2019MM03", (2019, "MM03", False)), ("2019KW04", (2019, "KW04", False)),
    ("2019", (2019, "JJ00", False)), ("2023 januari*", (2023, "MM01", True)), ("2019 1e kwartaal", (2019, "KW01", False)),
    ("2018*", (2018, "JJ00", True)),
])
def test_periods_codes_and_labels(tekst, verwacht):
    assert parse_periode(tekst, "x.csv", 2) == verwacht


def test_unparseable_period_names_file_row_field():
    with pytest.raises(Invoerfout, match=r"x\.csv: rij 7, veld Perioden: waarde '2019 Q3'"):
        parse_periode("2019 Q3", "x.csv", 7)


def test_samples_into_gemeenten_with_source_and_status():
    delen = [lees_statline(SL / "84066NED_TypedDataSet.json", perioden=SL / "84066NED_Perioden.json"),
             lees_statline(SL / "82015NED_labels.csv"), lees_statline(SL / "37230ned_UntypedDataSet.csv"),
             lees_szw(SL / "szw_verdeling_buig_2017.xlsx", jaar=2017), lees_szw(SL / "szw_verdeling_buig_2019.xlsx", jaar=2019)]
    r = combineer(delen)
    g = r.gemeenten.set_index(["gemeentecode", "jaar"])
    el = g.loc[("GM0777", 2017)]
    # padded "GM0777  " read as GM0777; Etten-Leur 2017 as typed in the sample (Tabel 5: norm 755, 719 uitkeringen)
    assert (el.genormeerd_aantal, el.feitelijk_aantal, el.buig_budget, el.instroom) == (755, 719, 9816000, 210)
    assert el.inwoners == 43500  # 1 January (MM01), not February
    assert g.loc[("GM0777", 2019), "status"] == "voorlopig" and g.loc[("GM0777", 2019), "feitelijk_aantal"] == 727
    assert "82015NED (2019 december*)" in g.loc[("GM0777", 2019), "bron"]
    h = r.herkomst
    x = h[(h.gemeentecode == "GM0777") & (h.jaar == 2017) & (h.veld == "instroom")].iloc[0]
    assert (x.bron, x.periode, x.status) == ("84066NED", "2017JJ00", "definitief")
    assert pd.isna(g.loc[("GM0879", 2017), "uitstroom_werk"])  # null in the feed: missing, not 0
    assert not (h.gemeentecode == "NL01").any()
    from evaluatie.benchmark import benchmark
    from evaluatie.validatie import valideer_tabellen

    v = valideer_tabellen({"gemeenten": r.gemeenten.astype(str).replace("nan", "")})
    assert not v.heeft_afkeuringen and len(v.bevindingen) == 0
    bm = benchmark(v.geaccepteerd["gemeenten"], None, gemeente="GM0777", methoden=("buig",), k=3, referentiejaar=2019, basisjaar=2017)
    assert round(float(bm.indicatoren.set_index(["gemeentecode", "jaar"]).loc[("GM0777", 2017), "instroom_pct"]), 1) == 27.8


def _json(tmp_path, tabel="84066NED", regio="GM0777  ", periode="2017JJ00"):
    p = tmp_path / "feed.json"
    p.write_text(json.dumps({"odata.metadata": f"https://opendata.cbs.nl/ODataApi/odata/{tabel}/$metadata#x",
                             "value": [{"ID": 0, "RegioS": regio, "Perioden": periode, "Bijstandsontvangers_1": 5}]}))
    return p


def test_file_of_another_table(tmp_path):
    with pytest.raises(Invoerfout, match=r"feed\.json: dit bestand is StatLine-tabel 84066NED; verwacht tabel 82015NED"):
        lees_statline(_json(tmp_path), tabel="82015NED")
    with pytest.raises(Invoerfout, match=r"tabel 99999NED staat niet in de tabellenmapping; verwacht een van .*84066NED"):
        lees_statline(_json(tmp_path, tabel="99999NED"))


def test_bad_region_and_period_name_the_element(tmp_path):
    with pytest.raises(Invoerfout, match=r"element 1, veld RegioS: gemeentecode 'GM77'"):
        lees_statline(_json(tmp_path, regio="GM77"))
    with pytest.raises(Invoerfout, match=r"element 1, veld Perioden: waarde '2017-01'"):
        lees_statline(_json(tmp_path, periode="2017-01"))


def test_gemeentecode_that_does_not_exist(tmp_path):
    feed = lees_statline(_json(tmp_path, regio="GM9999"))
    szw = lees_szw(SL / "szw_verdeling_buig_2017.xlsx", jaar=2017)
    with pytest.raises(Invoerfout, match=r"feed\.json: rij 1, veld RegioS: gemeentecode GM9999 bestaat niet in de SZW-verdeling 2017"):
        combineer([feed, szw])


def test_two_sources_disagree(tmp_path):
    a = lees_statline(_json(tmp_path))
    b = lees_statline(SL / "84066NED_TypedDataSet.json")
    with pytest.raises(Invoerfout, match=r"feitelijk_aantal van GM0777 in 2017 is 719 .* maar 5 in feed\.json"):
        combineer([a, b])


def test_cli_statline_and_incomplete_rows_listed(tmp_path):
    r = CliRunner().invoke(main, ["importeer", "statline", str(SL / "84066NED_TypedDataSet.json"),
                                  "--szw", f"2017={SL / 'szw_verdeling_buig_2017.xlsx'}", "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    g = pd.read_csv(tmp_path / "o" / "gemeenten.csv")
    onv = pd.read_csv(tmp_path / "o" / "import" / "onvolledig.csv")
    # no population table given: every gemeente × jaar lacks inwoners → listed, not written, never silently dropped
    assert len(g) == 0 and len(onv) == 6 and (onv.ontbreekt == "inwoners").all()
    r = CliRunner().invoke(main, ["importeer", "statline", str(SL / "84066NED_TypedDataSet.json"), "--out", str(SL)])
    assert r.exit_code == 1 and "schrijft nooit in of over zijn invoer" in r.output, r.output
