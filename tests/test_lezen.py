"""Reading exports as they arrive: separators, decimal commas, encodings, Excel, Parquet, row numbers."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from evaluatie.lezen import Invoerfout, lees_csv, lees_metadata, lees_parquet, lees_tabel, lees_xlsx
from evaluatie.validatie import valideer_map, valideer_tabellen
from evaluatie.validatie.typen import parse_boolean, parse_datum, parse_geheel, parse_getal

GEMEENTEN_KOP = "gemeentecode;gemeentenaam;jaar;inwoners;buig_budget;genormeerd_aantal;feitelijk_aantal;instroom;uitstroom;uitstroom_werk"


def test_puntkomma_decimale_komma_en_nederlandse_datums(tmp_path):
    (tmp_path / "gemeenten.csv").write_text(
        GEMEENTEN_KOP + "\nGM1900;Súdwest-Fryslân;2019;89.583;10.508.000,50;702,5;705;190;186;54\n", encoding="utf-8")
    (tmp_path / "clienten.csv").write_text(
        "client_id;gemeentecode;geboortejaar;geslacht;opleidingsniveau;statushouder;speciaal_onderwijs;nugger\n"
        "C1;GM1900;1980;man;laag;Ja;nee;N\nC2;GM1900;1981;vrouw;;WAAR;onwaar;0\n", encoding="utf-8")
    (tmp_path / "uitkeringen.csv").write_text(
        "client_id;startdatum;einddatum;uitstroomreden\nC1;1-3-2015;29/02/2016;werk\nC2;2017-01-05;;\n", encoding="utf-8")
    res = valideer_map(tmp_path, peildatum="2019-12-31")
    assert res.bevindingen.empty, res.bevindingen.to_string()
    g = res.geaccepteerd["gemeenten"].iloc[0]
    assert g["buig_budget"] == 10508000.5 and g["genormeerd_aantal"] == 702.5 and g["inwoners"] == 89583
    assert g["gemeentenaam"] == "Súdwest-Fryslân"
    c = res.geaccepteerd["clienten"]
    assert c["statushouder"].tolist() == [True, True] and c["speciaal_onderwijs"].tolist() == [False, False]
    assert c["nugger"].tolist() == [False, False]
    u = res.geaccepteerd["uitkeringen"]
    assert u["startdatum"].tolist() == [pd.Timestamp("2015-03-01"), pd.Timestamp("2017-01-05")]
    assert u["einddatum"].iloc[0] == pd.Timestamp("2016-02-29")


def test_decimale_punt_in_puntkomma_bestand_is_fout(tmp_path):
    (tmp_path / "gemeenten.csv").write_text(GEMEENTEN_KOP + "\nGM0777;Etten-Leur;2019;43695;10508000;702.5;705;;;\n",
                                            encoding="utf-8")
    res = valideer_map(tmp_path, peildatum="2019-12-31")
    f = res.bevindingen.iloc[0]
    assert len(res.bevindingen) == 1
    assert (f["rij"], f["veld"], f["regel"]) == (2, "genormeerd_aantal", "type")
    assert "'702.5'" in f["melding"] and "decimaalteken ','" in f["melding"]


@pytest.mark.parametrize("codering,bom", [("utf-8", True), ("utf-8", False), ("cp1252", False), ("utf-16", True)])
def test_coderingen(tmp_path, codering, bom):
    tekst = ("gemeentecode,gemeentenaam,jaar,inwoners,buig_budget,genormeerd_aantal,feitelijk_aantal\n"
             "GM0999,Hé Ĳsselstein-achtig dorp,2019,1000,1,1,1\n")
    if codering == "cp1252":
        tekst = tekst.replace("Ĳ", "IJ")  # not in cp1252
    raw = tekst.encode(codering)
    if bom and codering == "utf-8":
        raw = b"\xef\xbb\xbf" + raw
    (tmp_path / "gemeenten.csv").write_bytes(raw)
    inv = lees_csv(tmp_path / "gemeenten.csv")
    assert inv.data.columns[0] == "gemeentecode"  # BOM not glued to the first name
    assert inv.data["gemeentenaam"].iloc[0].startswith("Hé ")
    assert inv.codering == {"utf-8": "utf-8-sig" if bom else "utf-8", "cp1252": "cp1252", "utf-16": "utf-16"}[codering]


def test_onleesbare_codering(tmp_path):
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid UTF-8
    (tmp_path / "gemeenten.csv").write_bytes(b"gemeentecode,gemeentenaam\nGM0777,Etten\x81\x8dLeur\n")
    with pytest.raises(Invoerfout, match="onleesbare tekencodering.*0x81"):
        lees_csv(tmp_path / "gemeenten.csv")


def test_rijnummers_met_lege_regels_en_regeleinde_in_waarde(tmp_path):
    p = tmp_path / "trajecten.csv"
    p.write_text('client_id,instrument,startdatum,einddatum\nA,"job\ncoaching",2016-01-01,\n\nB,scholing,2016-01-01\n'
                 "C,scholing,2016-01-01,,,\nD,scholing,2016-01-01,\n", encoding="utf-8")
    inv = lees_csv(p)
    # records: 1 header, 2 A (two lines), 3 empty, 4 B (short), 5 C (long), 6 D
    assert inv.rij.tolist() == [2, 4, 5, 6]
    assert inv.data["client_id"].tolist() == ["A", "B", "C", "D"]
    assert sorted(inv.kapot) == [1, 2]
    assert "3 velden" in inv.kapot[1] and "6 velden" in inv.kapot[2]


def test_achterliggend_scheidingsteken_en_spaties(tmp_path):
    p = tmp_path / "poort.csv"
    p.write_text("gemeentecode;jaar;maand;maanden;meldingen;aanvragen;toekenningen;\n GM0777 ;2016;;;2539;1490;1422;\n",
                 encoding="utf-8")
    res = valideer_map(tmp_path, peildatum="2019-12-31")
    assert res.bevindingen.empty
    assert res.geaccepteerd["poort"]["gemeentecode"].tolist() == ["GM0777"]


def test_xlsx_met_datumcellen_en_rijnummers(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "uitkeringen"
    ws.append(["client_id", "startdatum", "einddatum", "uitstroomreden"])
    ws.append(["C1", dt.datetime(2015, 3, 1), dt.datetime(2016, 2, 29), "werk"])   # row 2
    ws.append([None, None, None, None])                                           # row 3: empty
    ws.append(["C2", 42736, None, None])                                          # row 4: serial 42736 = 2017-01-01
    ws.append(["C3", "31-02-2017", None, None])                                   # row 5: bad date as text
    wb.save(tmp_path / "uitkeringen.xlsx")
    inv = lees_xlsx(tmp_path / "uitkeringen.xlsx")
    assert inv.rij.tolist() == [2, 4, 5]
    assert inv.data["startdatum"].tolist() == ["2015-03-01", "2017-01-01", "31-02-2017"]
    res = valideer_map(tmp_path, peildatum="2019-12-31")
    b = res.bevindingen
    fout = b[b["regel"] == "type"]
    assert fout[["rij", "veld"]].values.tolist() == [[5, "startdatum"]]
    assert res.geaccepteerd["uitkeringen"]["startdatum"].tolist() == [pd.Timestamp("2015-03-01"), pd.Timestamp("2017-01-01")]


def test_kapot_xlsx_en_parquet(tmp_path):
    (tmp_path / "clienten.xlsx").write_bytes(b"geen zip")
    with pytest.raises(Invoerfout, match="geen leesbaar Excel"):
        lees_tabel(tmp_path / "clienten.xlsx")
    (tmp_path / "clienten.parquet").write_bytes(b"PAR1kapot")
    with pytest.raises(Invoerfout, match="geen leesbaar Parquet"):
        lees_parquet(tmp_path / "clienten.parquet")


def test_parquet_getypeerd_en_rijnummer_is_recordindex(tmp_path):
    df = pd.DataFrame({
        "client_id": ["P1", "P2", "P3"], "gemeentecode": ["GM0777"] * 3,
        "geboortejaar": np.array([1980, 1990, 1850], dtype=np.int64), "geslacht": ["man", "vrouw", "man"],
        "opleidingsniveau": [None, "laag", None], "statushouder": [True, False, False],
        "speciaal_onderwijs": [False] * 3, "nugger": [False] * 3,
    })
    df.to_parquet(tmp_path / "clienten.parquet", index=False)
    u = pd.DataFrame({"client_id": ["P1"], "startdatum": [dt.date(2016, 1, 1)], "einddatum": [None], "uitstroomreden": [None]})
    u.to_parquet(tmp_path / "uitkeringen.parquet", index=False)  # date32 column
    res = valideer_map(tmp_path, peildatum="2019-12-31")
    assert res.bevindingen[["rij", "regel"]].values.tolist() == [[3, "minimum"]]
    assert res.geaccepteerd["uitkeringen"]["startdatum"].tolist() == [pd.Timestamp("2016-01-01")]
    assert res.geaccepteerd["clienten"]["statushouder"].dtype == bool


def test_metadata(tmp_path):
    (tmp_path / "metadata.json").write_text('{"peildatum": "2019-12-31", "waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}')
    m = lees_metadata(tmp_path)
    assert m["peildatum"] == pd.Timestamp("2019-12-31") and m["waarnemingsperiode"][0] == pd.Timestamp("2015-01-01")
    (tmp_path / "metadata.json").write_text('{"peildatum": "31-12-2019x"}')
    with pytest.raises(Invoerfout, match="peildatum"):
        lees_metadata(tmp_path)
    (tmp_path / "metadata.json").write_text('{"peildatum": ')
    with pytest.raises(Invoerfout, match="geen geldige JSON"):
        lees_metadata(tmp_path)
    (tmp_path / "metadata.json").write_text('{"waarnemingsperiode": {"start": "2019-01-01", "eind": "2015-01-01"}}')
    with pytest.raises(Invoerfout, match="vóór start"):
        lees_metadata(tmp_path)


def test_parsers_per_type():
    d = parse_datum(pd.Series(["2019-01-05", "5-1-2019", "05/01/2019", "2019-01-05 00:00:00", "31-02-2019",
                               "19-01-05", "05-01-19", "", None]))
    assert d.waarde.iloc[:4].tolist() == [pd.Timestamp("2019-01-05")] * 4
    assert d.ongeldig.tolist() == [False] * 4 + [True] * 3 + [False, False]
    assert d.ontbreekt.tolist() == [False] * 7 + [True, True]
    b = parse_boolean(pd.Series(["true", "False", "ja", "NEE", "j", "n", "1", "0", "waar", "onwaar", "2", ""]))
    assert b.waarde.iloc[:10].tolist() == [True, False] * 5
    assert b.ongeldig.tolist() == [False] * 10 + [True, False]
    g = parse_geheel(pd.Series(["1990", "1990.0", "1990.5", "1e3", "x"]))
    assert g.waarde.iloc[[0, 1, 3]].tolist() == [1990, 1990, 1000] and g.ongeldig.tolist() == [False, False, True, False, True]
    x = parse_getal(pd.Series(["1.234,5", "12,5", "-3", "1.23", "inf"]), ",")
    assert x.waarde.iloc[:3].tolist() == [1234.5, 12.5, -3.0] and x.ongeldig.tolist() == [False, False, False, True, True]
    assert parse_getal(pd.Series(["1,5"]), ".").ongeldig.tolist() == [True]


def test_in_geheugen_tekst_en_getypeerd_gelijk():
    tekst = pd.DataFrame({"client_id": ["X1"], "startdatum": ["01-03-2015"], "einddatum": ["2016-02-29"], "uitstroomreden": ["werk"]})
    typed = pd.DataFrame({"client_id": ["X1"], "startdatum": pd.to_datetime(["2015-03-01"]),
                          "einddatum": pd.to_datetime(["2016-02-29"]), "uitstroomreden": ["werk"]})
    a = valideer_tabellen({"uitkeringen": tekst}, peildatum="2019-12-31").geaccepteerd["uitkeringen"]
    b = valideer_tabellen({"uitkeringen": typed}, peildatum="2019-12-31").geaccepteerd["uitkeringen"]
    pd.testing.assert_frame_equal(a, b)
