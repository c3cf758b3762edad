"""Regression tests for the input-side families of issue 14, each built from the issue's own example.

Family 2: malformed CSV; 3: crashes in validation rules; 7: direct identifiers; 10: implausible data;
11 (input parts): a second Excel sheet, a NUL byte in an id, a 100 KB value.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.lezen import Invoerfout, lees_csv
from evaluatie.validatie import valideer_map
from evaluatie.validatie.plausibel import elfproef

from .controle import controleer_validatie, draai, fysieke_dataregels


@pytest.fixture
def map(basismap: Path, tmp_path: Path) -> Path:
    """A fresh copy of the valid simulated input directory."""
    m = tmp_path / "invoer"
    shutil.copytree(basismap, m)
    return m


def _regels(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").split("\n")


def _schrijf(p: Path, regels: list[str], einde: str = "\n") -> None:
    p.write_bytes(einde.join(regels).encode("utf-8"))


def _bev(res, bestand: str, regel: str) -> pd.DataFrame:
    b = res.bevindingen
    return b[(b["bestand"] == bestand) & (b["regel"] == regel)]


# --------------------------------------------------------------------------- family 2: malformed CSV
@pytest.mark.parametrize("regel, velden", [("C0000001,2015-06-01", 2), ("C0000001,2015-06-01,,,x,y", 6)])
def test_f2_rij_met_te_weinig_of_te_veel_velden_wordt_afgekeurd(map, regel, velden):
    p = map / "uitkeringen.csv"
    r = _regels(p)
    n_data = len([x for x in r[1:] if x])
    _schrijf(p, r[:5] + [regel] + r[5:])
    res = controleer_validatie(map)
    assert res.gelezen["uitkeringen"] == n_data + 1
    f = _bev(res, "uitkeringen.csv", "aantal_velden")
    assert f["rij"].tolist() == [6]  # header row 1, the inserted line is the fifth data line
    assert f["veld"].tolist() == ["(hele rij)"]
    assert f"{velden} velden, verwacht 4" in f["melding"].item()
    assert res.afgekeurd["uitkeringen"]["rij"].tolist() == [6]


def test_f2_witregel_aan_het_eind_van_een_crlf_export(map):
    p = map / "uitkeringen.csv"
    raw = p.read_bytes()
    n_data = raw.count(b"\n") - 1
    p.write_bytes(raw.replace(b"\n", b"\r\n") + b"   \r\n")
    res = controleer_validatie(map)
    assert res.gelezen["uitkeringen"] == n_data
    assert not len(res.afgekeurd["uitkeringen"])
    f = _bev(res, "uitkeringen.csv", "lege_regel")
    assert len(f) == 1 and f"regel {n_data + 2}" in f["melding"].item() and f["niveau"].item() == "waarschuwing"


def test_f2_open_aanhalingsteken_slokt_geen_regels_op(tmp_path):
    # the example: a 911-line file was reconciled as 5 rows read
    regels = ["client_id,instrument,startdatum,einddatum"]
    regels += [f"C{i:04d},jobcoaching,2016-01-01,2016-06-30" for i in range(910)]
    regels[5] = 'C0004,"jobcoaching,2016-01-01,2016-06-30'
    p = tmp_path / "trajecten.csv"
    _schrijf(p, regels + [""])
    assert fysieke_dataregels(p) == 910
    inv = lees_csv(p)
    assert inv.n == 910 and inv.n_regels == 910 and int(inv.spanne.sum()) == 910
    assert list(inv.kapot) == [4]
    assert "geopend in regel 6" in inv.kapot[4]
    assert inv.data["client_id"].iloc[5] == "C0005"  # the next line is a row of its own


def test_f2_aanhalingsteken_met_regeleinde_in_waarde_blijft_een_rij(tmp_path):
    p = tmp_path / "trajecten.csv"
    p.write_text('client_id,instrument,startdatum,einddatum\nA,"job\ncoaching",2016-01-01,\nB,scholing,2016-01-01,\n',
                 encoding="utf-8")
    inv = lees_csv(p)
    assert inv.rij.tolist() == [2, 3] and inv.regel.tolist() == [2, 4] and inv.spanne.tolist() == [2, 1]
    assert inv.data["instrument"].iloc[0] == "job\ncoaching" and not inv.kapot


# ----------------------------------------------------------------------- family 3: validation rules
def test_f3_traject_van_bekende_client_zonder_uitkering(map):
    t = pd.read_csv(map / "trajecten.csv", dtype=str, keep_default_na=False)
    u = pd.read_csv(map / "uitkeringen.csv", dtype=str, keep_default_na=False)
    cid = t["client_id"].iloc[0]
    u[u["client_id"] != cid].to_csv(map / "uitkeringen.csv", index=False, lineterminator="\n")
    res = controleer_validatie(map)
    f = _bev(res, "trajecten.csv", "traject_zonder_uitkering")
    assert len(f) == int((t["client_id"] == cid).sum())
    assert f["rij"].min() == 2 and f["veld"].eq("client_id").all()
    assert f"'{cid}' heeft geen uitkering in uitkeringen.csv" in f["melding"].iloc[0]


def test_f3_gehele_getallen_als_datum_in_parquet(map):
    df = pd.read_csv(map / "uitkeringen.csv", dtype=str, keep_default_na=False)
    for k in ("startdatum", "einddatum"):
        df[k] = pd.to_numeric(df[k].str.replace("-", "").replace("", None)).astype("Int64")
    df.to_parquet(map / "uitkeringen.parquet", index=False)
    (map / "uitkeringen.csv").unlink()
    res = controleer_validatie(map)
    assert len(res.afgekeurd["uitkeringen"]) == len(df)
    f = _bev(res, "uitkeringen.parquet", "type")
    assert (f["rij"] == 1).any() and "is geen geldige datum" in f["melding"].iloc[0]


@pytest.mark.parametrize("datum", ["0001-06-01", "1600-06-01", "9999-12-31"])
def test_f3_datums_buiten_het_nanosecondebereik(map, datum):
    p = map / "uitkeringen.csv"
    r = _regels(p)
    _schrijf(p, r[:3] + [f"C0000001,2015-06-01,{datum},werk"] + r[3:])
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "datumbereik")
    assert f["rij"].tolist() == [4] and f["veld"].tolist() == ["einddatum"]
    assert datum in f["melding"].item() and "1900-01-01 t/m 2100-12-31" in f["melding"].item()


def test_f3_datums_buiten_bereik_als_parquet_tijdstempels(map):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.read_csv(map / "trajecten.csv", dtype=str, keep_default_na=False)
    start = [pd.Timestamp(v).to_pydatetime() for v in df["startdatum"]]
    start[0], start[1] = dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)
    tbl = pa.table({"client_id": df["client_id"], "instrument": df["instrument"],
                    "startdatum": pa.array(start, type=pa.timestamp("us")),
                    "einddatum": pa.array([None if v == "" else v for v in df["einddatum"]], type=pa.string())})
    pq.write_table(tbl, map / "trajecten.parquet")
    (map / "trajecten.csv").unlink()
    res = controleer_validatie(map)
    f = _bev(res, "trajecten.parquet", "datumbereik")
    assert f["rij"].tolist() == [1, 2]


# --------------------------------------------------------------------- family 7: direct identifiers
IDENTIFICEREND = ("bsn", "naam", "adres", "geboortedatum", "email", "telefoon")


def test_f7_identificerende_kolommen_komen_nergens_in_de_uitvoer(map, tmp_path):
    p = map / "clienten.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    n = len(df)
    df["bsn"] = [f"9{i:08d}" for i in range(n)]
    df["naam"] = [f"Naamgeheim{i}" for i in range(n)]
    df["adres"] = "Geheimstraat 1"
    df["geboortedatum"] = "1980-01-01"
    df["email"] = "geheim@example.org"
    df["telefoon"] = "0612345678"
    df.loc[0, "geslacht"] = "X"  # one rejected row
    df.to_csv(p, index=False, lineterminator="\n")
    res = controleer_validatie(map)
    assert len(res.afgekeurd["clienten"]) == 1
    assert not set(IDENTIFICEREND) & set(res.afgekeurd["clienten"].columns)
    assert list(res.afgekeurd["clienten"].columns) == ["rij", *[c for c in df.columns if c not in IDENTIFICEREND], "redenen"]
    f = _bev(res, "clienten.csv", "kolom_onbekend")
    assert set(f["veld"]) == set(IDENTIFICEREND)
    assert "kolom 'bsn' genegeerd en niet opgeslagen" in " ".join(f["melding"])
    uit = res.schrijf(tmp_path / "uit")
    for q in uit.rglob("*"):
        if q.is_file():
            tekst = q.read_bytes()
            assert b"Naamgeheim" not in tekst and b"Geheimstraat" not in tekst and b"geheim@" not in tekst, q.name
            assert b"0612345678" not in tekst and b"900000000" not in tekst, q.name


def test_f7_elfproef():
    # hand-checked: 1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2−2 = 154 = 14·11; 111222333 → 66 = 6·11
    x = pd.Series(["123456782", "111222333", "123456789", "12345678", "C12345678", None, " 123456782 "])
    assert elfproef(x).tolist() == [True, True, False, False, False, False, True]


def test_f7_negen_cijfers_met_elfproef_geeft_waarschuwing(map):
    p = map / "clienten.csv"
    r = _regels(p)
    oud = r[1].split(",")[0]
    r[1] = r[1].replace(oud, "123456782", 1)
    _schrijf(p, r)
    for t in ("uitkeringen", "categorieen", "trajecten"):
        q = map / f"{t}.csv"
        q.write_text(q.read_text(encoding="utf-8").replace(oud + ",", "123456782,"), encoding="utf-8")
    res = controleer_validatie(map)
    f = _bev(res, "clienten.csv", "mogelijk_bsn")
    assert f["rij"].tolist() == [2] and f["niveau"].item() == "waarschuwing" and "BSN" in f["melding"].item()
    assert not res.bevindingen["waarde"].astype(str).str.contains("123456782").any()  # not echoed
    assert "123456782" in set(res.geaccepteerd["clienten"]["client_id"])  # a warning, not a rejection


# ------------------------------------------------------------------- family 10: implausible data
def _client_met(map: Path, geboortejaar: int, uitkeringen: list[str]) -> None:
    with open(map / "clienten.csv", "a", encoding="utf-8") as f:
        f.write(f"CTEST,GM0777,{geboortejaar},man,laag,false,false,false\n")
    with open(map / "uitkeringen.csv", "a", encoding="utf-8") as f:
        for u in uitkeringen:
            f.write(f"CTEST,{u}\n")


def _rij_van_laatste(map: Path, tabel: str, k: int = 1) -> int:
    return fysieke_dataregels(map / f"{tabel}.csv") + 2 - k


def test_f10_uitkering_vijftien_jaar_voor_de_geboorte(map):
    _client_met(map, 1990, ["1975-03-01,1975-12-31,werk"])
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "leeftijd")
    assert f["rij"].tolist() == [_rij_van_laatste(map, "uitkeringen")]
    assert "vóór het geboortejaar 1990" in f["melding"].item() and f["niveau"].item() == "waarschuwing"


def test_f10_uitkering_in_1850_is_een_fout(map):
    _client_met(map, 1960, ["1850-03-01,1851-12-31,werk"])
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "datumbereik")
    assert len(f) == 2 and set(f["veld"]) == {"startdatum", "einddatum"} and (f["niveau"] == "fout").all()


def test_f10_client_van_acht_op_de_bijstand(map):
    _client_met(map, 2009, ["2017-03-01,,"])
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "leeftijd")
    assert f["rij"].tolist() == [_rij_van_laatste(map, "uitkeringen")]
    assert "toen de cliënt 8 was" in f["melding"].item()


def test_f10_vijfhonderd_uitkeringen_van_drie_dagen(map):
    start = pd.Timestamp("2015-01-01") + pd.to_timedelta(np.arange(500) * 3, unit="D")
    _client_met(map, 1980, [f"{s:%Y-%m-%d},{s + pd.Timedelta(days=1):%Y-%m-%d},werk" for s in start])
    eerste = _rij_van_laatste(map, "uitkeringen", 500)
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "veel_uitkeringen")
    assert f["rij"].tolist() == [eerste] and f["niveau"].item() == "waarschuwing"
    assert "'CTEST' heeft 500 uitkeringsperioden" in f["melding"].item()
    assert f"rijen {eerste}, {eerste + 1}," in f["melding"].item()


def test_f10_datum_ver_in_het_verleden(map):
    _client_met(map, 1950, ["1985-03-01,1986-12-31,werk"])
    res = controleer_validatie(map)
    f = _bev(res, "uitkeringen.csv", "ver_verleden")
    assert len(f) == 2 and (f["niveau"] == "waarschuwing").all()


def test_f10_waarnemingsperiode_na_de_peildatum_is_een_fout(map, tmp_path):
    (map / "metadata.json").write_text(
        '{"peildatum": "2018-12-31", "waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}', encoding="utf-8")
    with pytest.raises(Invoerfout, match="loopt tot 2019-12-31, na de peildatum 2018-12-31"):
        valideer_map(map)
    uit = draai(["valideer", str(map), "--out", str(tmp_path / "v")])
    assert "na de peildatum 2018-12-31" in uit


# --------------------------------------------------------------------------- family 11 (input)
def test_f11_tweede_werkblad_wordt_gemeld(map):
    df = pd.read_csv(map / "categorieen.csv", dtype=str, keep_default_na=False)
    with pd.ExcelWriter(map / "categorieen.xlsx") as w:
        df.to_excel(w, sheet_name="Export", index=False)
        df.head(3).to_excel(w, sheet_name="Oud", index=False)
    (map / "categorieen.csv").unlink()
    res = controleer_validatie(map)
    f = _bev(res, "categorieen.xlsx", "werkblad")
    assert len(f) == 1 and "'Export', 'Oud'" in f["melding"].item() and "genegeerd: 'Oud'" in f["melding"].item()
    assert res.gelezen["categorieen"] == len(df)


def test_f11_nul_byte_in_een_id(map):
    p = map / "clienten.csv"
    r = p.read_bytes().split(b"\n")
    r[3] = b"C00\x0000003" + r[3][len(b"C0000003"):]
    p.write_bytes(b"\n".join(r))
    res = controleer_validatie(map)
    f = _bev(res, "clienten.csv", "stuurteken")
    assert f["rij"].tolist() == [4] and f["veld"].tolist() == ["client_id"]
    assert "\\x00" in f["melding"].item()
    assert res.afgekeurd["clienten"]["rij"].tolist() == [4]


def test_f11_waarde_van_100_kb_wordt_ingekort(map, tmp_path):
    p = map / "clienten.csv"
    r = _regels(p)
    r[2] = "C" + "9" * 100_000 + r[2][len("C0000002"):]
    _schrijf(p, r)
    res = controleer_validatie(map)
    f = _bev(res, "clienten.csv", "lengte")
    assert f["rij"].tolist() == [3] and "…(100001 tekens)' is 100001 tekens lang" in f["melding"].item()
    assert len(f["waarde"].item()) < 100
    uit = draai(["valideer", str(map), "--out", str(tmp_path / "v")])
    assert "9" * 200 not in uit


def test_f2_dubbele_kolomnaam_in_de_kopregel(map):
    # found by the suite: a header naming a column twice crashed the empty-row check
    p = map / "clienten.csv"
    r = _regels(p)
    r[0] = r[0] + ",client_id"
    _schrijf(p, r)
    with pytest.raises(Invoerfout, match="kolom 'client_id' staat twee keer in de kopregel"):
        valideer_map(map)
