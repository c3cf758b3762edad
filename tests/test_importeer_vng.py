"""`importeer("vng-dsh", ...)`: the public dummy extract (CSV and .rds) and a hand-made SQL-style extract."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.importeer import FORMATEN, importeer
from evaluatie.lezen import Invoerfout

DATA = Path(__file__).parent / "data" / "vng"
CSV = DATA / "DummyDataBijstandv3.csv"
RDS = DATA / "DummyDataBijstandv3.rds"


@pytest.fixture(scope="module")
def dummy():
    return importeer("vng-dsh", CSV, gemeentecode="GM0777"), importeer("vng-dsh", RDS, gemeentecode="GM0777")


def test_registry():
    assert "vng-dsh" in FORMATEN
    with pytest.raises(ValueError, match="onbekend formaat 'cbs'; verwacht een van vng-dsh"):
        importeer("cbs", CSV)


def test_csv_and_rds_give_same_frames(dummy):
    a, b = dummy
    for t in ("clienten", "uitkeringen"):
        pd.testing.assert_frame_equal(a.tabellen[t], b.tabellen[t])
        pd.testing.assert_frame_equal(a.omgezet.tabellen[t], b.omgezet.tabellen[t])
    pd.testing.assert_frame_equal(a.omgezet.extra["uitkeringskenmerken"], b.omgezet.extra["uitkeringskenmerken"])
    # provenance differs only by the header row: CSV row r+1 = R row r
    hc = a.omgezet.herkomst["bronrijen"].astype(int)
    hr = b.omgezet.herkomst["bronrijen"].astype(int)
    assert (hc == hr + 1).all()


def test_dummy_validates_clean_and_counts_reconcile(dummy):
    a, _ = dummy
    assert a.omgezet.n_gelezen == 6878
    assert not a.heeft_afkeuringen
    rec = a.to_frame().set_index("tabel")
    for t in ("clienten", "uitkeringen"):
        assert rec.loc[t, "bronrijen"] == rec.loc[t, "geaccepteerd"] + rec.loc[t, "afgekeurd"] == 6878
    assert rec.loc["uitkeringen", "bronrijen_geaccepteerd"] == 6878
    u = a.tabellen["uitkeringen"]
    # 1691 rows without einddatum in the source (R NA) stay running; the others end with reden 'overig'
    assert u["einddatum"].isna().sum() == 1691
    assert (u.loc[u["einddatum"].notna(), "uitstroomreden"] == "overig").all()
    assert u.loc[u["einddatum"].isna(), "uitstroomreden"].isna().all()
    # first source row: 2008-05-04, man, 2012-06-09, Alleenstaande, 14, 1982
    c = a.tabellen["clienten"].iloc[0]
    assert (c["geboortejaar"], c["geslacht"], c["gemeentecode"]) == (1982, "man", "GM0777")
    assert u.iloc[0]["startdatum"] == pd.Timestamp("2008-05-04")
    k = a.omgezet.extra["uitkeringskenmerken"].iloc[0]
    assert (k["leefvorm"], k["oorzaak_code"], k["oorzaak_omschrijving"]) == ("Alleenstaande", "14", "Einde Uitkering werkeloosheid")
    assert a.omgezet.metadata["peildatum"] == "2019-02-28"  # latest date in the extract
    assert a.omgezet.metadata["import"]["reden_einde_beschikbaar"] is False
    assert "NIET te analyseren" in a.summary()


# ----------------------------------------------------------------------- hand-made SQL-style extract
KOP = ("Dossiernr,Clientnummer,geboortejaar,geslacht,Type,Startdatum periodiek algemeen,Einddatum periodiek algemeen,"
       "Omschrijving leefvorm,Oorzaak bijstandsafhankelijkheid,Omschrijving einde bijstandsafhankelijkheid,Extra kolom")
RIJEN = [
    # X (123456): P1 + P2 adjoin → one spell ending 2015-06-30 with reden of P2 (Verhuizing)
    "D1,123456,1980,M,A,2015-04-01,2015-06-30,Alleenstaande,14,Verhuizing,x",
    "D2,654321,1975,V,A,2016-01-01,2016-02-01,Alleenstaande ouder,2,Baan bij de buurman,x",
    "D3,123456,1980,M,A,2015-01-01,2015-03-31,Alleenstaande,11,Aanvaarding arbeid,x",
    # X: P3 after one day without benefit → new spell; P4 overlaps and is open
    "D4,123456,1980,M,A,2015-07-02,2015-08-31,Gehuwd / Samenwonend,2,Aanvaarding arbeid,x",
    "D5,123456,1980,M,A,2015-08-15,,Gehuwd / Samenwonend,2,,x",
    # Z (999999): ended without reden → reported
    "D6,999999,1990,V,A,2017-03-01,2017-09-30,Alleenstaande,14,,x",
]


@pytest.fixture()
def sql_extract(tmp_path):
    p = tmp_path / "extract.csv"
    p.write_text("\n".join([KOP, *RIJEN]) + "\n", encoding="utf-8")
    return p


def test_sql_extract_merge_mapping_and_pseudonyms(sql_extract):
    r = importeer("vng-dsh", sql_extract, gemeentecode="GM1709", peildatum="2018-12-31", onbekend_als_overig=True)
    o = r.omgezet
    u = o.tabellen["uitkeringen"]
    assert o.n_gelezen == 6 and len(u) == 4 and len(o.tabellen["clienten"]) == 3
    assert u.to_dict("records") == [
        {"client_id": "C0001", "startdatum": "2015-01-01", "einddatum": "2015-06-30", "uitstroomreden": "verhuizing"},
        {"client_id": "C0002", "startdatum": "2016-01-01", "einddatum": "2016-02-01", "uitstroomreden": "overig"},
        {"client_id": "C0001", "startdatum": "2015-07-02", "einddatum": "", "uitstroomreden": ""},
        {"client_id": "C0003", "startdatum": "2017-03-01", "einddatum": "2017-09-30", "uitstroomreden": "overig"},
    ]
    h = o.herkomst[o.herkomst["tabel"] == "uitkeringen"]
    assert h["bronrijen"].tolist() == ["2;4", "3", "5;6", "7"]  # header = row 1
    assert o.tabellen["clienten"]["geslacht"].tolist() == ["man", "vrouw", "vrouw"]
    # unmapped values listed with counts and what was done
    ng = o.niet_gemapt.to_dict("records")
    assert {"veld": "reden_einde", "waarde": "Baan bij de buurman", "aantal": 1, "actie": "overig (onbekend_als_overig)"} in ng
    assert {"veld": "reden_einde", "waarde": "(leeg)", "aantal": 1, "actie": "overig (onbekend_als_overig)"} in ng
    assert not r.heeft_afkeuringen
    # never the original numbers
    alles = pd.concat([*o.tabellen.values(), o.herkomst, *o.extra.values()]).astype(str)
    for nummer in ("123456", "654321", "999999", "D1"):
        assert not alles.apply(lambda s: s.str.contains(nummer)).any().any()
    assert any("Extra kolom" in b for b in o.bevindingen)
    assert any("Type" in b for b in o.bevindingen)


def test_unmapped_reden_rejected_by_default_and_counts_reconcile(sql_extract):
    r = importeer("vng-dsh", sql_extract, gemeentecode="GM1709", peildatum="2018-12-31")
    assert r.heeft_afkeuringen
    rec = r.to_frame().set_index("tabel")
    assert rec.loc["uitkeringen", "rijen"] == 4
    assert rec.loc["uitkeringen", "geaccepteerd"] + rec.loc["uitkeringen", "afgekeurd"] == 4
    af = r.validatie.afgekeurd["uitkeringen"]
    assert sorted(af["startdatum"].astype(str)) == ["2016-01-01", "2017-03-01"]  # unmapped and empty reden
    # 6 source rows = 2 merged away + 4 spells; the 2 accepted spells come from source rows 2;4 and 5;6
    assert rec.loc["uitkeringen", "bronrijen_geaccepteerd"] == 4
    assert "Baan bij de buurman" in r.summary() and "afgekeurd" in r.summary()


def test_no_merge_option_and_keyed_hash(sql_extract):
    r = importeer("vng-dsh", sql_extract, gemeentecode="GM1709", peildatum="2018-12-31", max_gat_dagen=None,
                  onbekend_als_overig=True, geheim="sleutel")
    u = r.omgezet.tabellen["uitkeringen"]
    assert len(u) == 6
    ids = r.omgezet.tabellen["clienten"]["client_id"]
    assert len(ids) == 3 and all(len(x) == 17 and x.startswith("C") for x in ids)


def test_einddatum_after_peildatum_means_running(sql_extract):
    r = importeer("vng-dsh", sql_extract, gemeentecode="GM1709", peildatum="2016-01-15", onbekend_als_overig=True,
                  valideer=False)
    u = r.omgezet.tabellen["uitkeringen"].set_index("startdatum")
    assert u.loc["2016-01-01", "einddatum"] == "" and u.loc["2016-01-01", "uitstroomreden"] == ""
    assert any("na de peildatum" in b for b in r.omgezet.bevindingen)


def test_errors_name_file_and_expectation(sql_extract, tmp_path):
    with pytest.raises(Invoerfout, match="gemeentecode 'Etten-Leur': verwacht GM"):
        importeer("vng-dsh", sql_extract, gemeentecode="Etten-Leur")
    p = tmp_path / "kapot.csv"
    p.write_text("startdatum,geslacht,geboortejaar\n2015-01-01,man,1980\n", encoding="utf-8")
    with pytest.raises(Invoerfout, match=r"kapot\.csv: verplichte kolom\(men\) ontbreken \(einddatum: 'einddatum' of"):
        importeer("vng-dsh", p, gemeentecode="GM0777")


def test_cli_importeer(sql_extract, tmp_path):
    runner = CliRunner()
    out = tmp_path / "uit"
    res = runner.invoke(main, ["importeer", "vng-dsh", str(sql_extract), "--out", str(out), "--gemeentecode", "GM1709",
                               "--peildatum", "2018-12-31"])
    assert res.exit_code == 1, res.output  # two uitkeringen rejected
    assert (out / "uitkeringen.csv").exists() and (out / "import" / "rapport.txt").exists()
    assert (out / "import" / "niet_gemapt.csv").read_text(encoding="utf-8").count("Baan bij de buurman") == 1
    res = runner.invoke(main, ["importeer", "vng-dsh", str(sql_extract), "--out", str(out), "--gemeentecode", "GM1709",
                               "--peildatum", "2018-12-31", "--onbekend-als-overig", "--geheim", "zeer-geheim-123"])
    assert res.exit_code == 0, res.output
    import hashlib
    import json

    m = json.loads((out / "import" / "manifest.json").read_text(encoding="utf-8"))
    assert m["inputs"][sql_extract.name] == hashlib.sha256(sql_extract.read_bytes()).hexdigest()
    assert "mapping/vng_dsh_reden_einde.csv" in m["inputs"]
    assert m["config"]["gemeentecode"] == "GM1709" and m["config"]["geheim"] is True
    assert "zeer-geheim-123" not in (out / "import" / "manifest.json").read_text(encoding="utf-8")
    res = runner.invoke(main, ["importeer", "vng-dsh", str(sql_extract), "--out", str(out), "--gemeentecode", "X"])
    assert res.exit_code != 0 and "Traceback" not in res.output and "gemeentecode" in res.output
