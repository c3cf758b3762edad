"""Regression tests for the tracebacks found by the fault injection of every command (tests/fouteninjectie).

Each case crashed with a Python exception before; now it is refused with a Dutch message naming the file.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.importeer.mapping import Mappingfout
from evaluatie.importeer.mappingspec import lees_mappingspec
from evaluatie.importeer.samenvoegen import spell_nummers
from evaluatie.importeer.statline import lees_statline, lees_szw, lees_tabellen
from evaluatie.lezen import Invoerfout

DATA = Path(__file__).parents[1] / "evaluatie" / "data"
EXPORT = DATA / "voorbeeld_export"
STATLINE = DATA / "voorbeeld_statline"
VNG = Path(__file__).parent / "data" / "vng" / "DummyDataBijstandv3.csv"


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXPORT, tmp_path / "export", ignore=shutil.ignore_patterns("*.py", "__pycache__")))


def _vervang(p: Path, oud: str, nieuw: str) -> None:
    tekst = p.read_text(encoding="utf-8")
    assert oud in tekst
    p.write_text(tekst.replace(oud, nieuw, 1), encoding="utf-8")


# ------------------------------------------------------------------ importeer generiek: the mapping TOML
@pytest.mark.parametrize("toml,waar", [
    ("mapping = 5\n", "[mapping]"),                      # was TypeError: 'int' object is not iterable
    ("bronnen = 3\n", "[bronnen]"),
    ("[mapping]\ntabellen = 'x'\n", "[mapping]"),
    ("tabellen = 'x'\n", "[tabellen]"),
])
def test_mapping_sectie_geen_tabel(export, toml, waar):
    (export / "mapping.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(Mappingfout) as e:
        lees_mappingspec(export / "mapping.toml")
    assert str(e.value).startswith("mapping.toml, ") and waar in str(e.value)


def test_mapping_datumformaat_van_een_veld_geen_tekst(export):
    # was TypeError in pandas (Argument 'fmt' has incorrect type) while converting the dates
    _vervang(export / "mapping.toml", 'datumformaat = "%Y%m%d"', "datumformaat = 5")
    with pytest.raises(Mappingfout, match=r"mapping\.toml, \[tabellen\.categorieen\.velden\] startdatum\.datumformaat: waarde 5; verwacht"):
        lees_mappingspec(export / "mapping.toml")


def test_mapping_ongeldig_datumformaat(export):
    # was a bare "'Q' is a bad directive in format '%Q'" without file
    _vervang(export / "mapping.toml", 'datumformaat = "%d-%m-%Y"', 'datumformaat = "%Q"')
    with pytest.raises(Mappingfout, match=r"mapping\.toml, \[mapping\] datumformaat: waarde '%Q' is geen geldig datumformaat"):
        lees_mappingspec(export / "mapping.toml")


def test_mapping_peildatum_getal(export):
    # was read as "2019" = 2019-01-01 without a word
    _vervang(export / "mapping.toml", 'peildatum = "2019-12-31"', "peildatum = 2019")
    with pytest.raises(Mappingfout, match=r"\[mapping\] peildatum: waarde 2019; verwacht een datum"):
        lees_mappingspec(export / "mapping.toml")


def test_mapping_koppel_geen_lijst(export):
    _vervang(export / "mapping.toml", "[[bronnen.trajecten.koppel]]\nbestand = \"voorzieningen.csv\"\nop = \"Voorzieningcode\"",
             "koppel = 5")
    with pytest.raises(Mappingfout, match=r"\[bronnen\.trajecten\] koppel: waarde 5; verwacht \[\[bronnen\.trajecten\.koppel\]\]"):
        lees_mappingspec(export / "mapping.toml")


def test_mapping_niet_utf8_en_bom(export):
    p = export / "mapping.toml"
    raw = p.read_bytes()
    p.write_bytes(raw.replace(b"Halderberge", b"H\xe9lderberge"))
    with pytest.raises(Mappingfout, match=r"^mapping\.toml: geen UTF-8-tekst \(byte \d+\)"):
        lees_mappingspec(p)
    p.write_bytes(b"\xef\xbb\xbf" + raw)  # a BOM (Windows editors) is fine
    assert "clienten" in lees_mappingspec(p).tabellen


# ------------------------------------------------------------------ importeer statline
J = "84066NED_TypedDataSet.json"
CSV = ("37230ned_UntypedDataSet.csv", "82015NED_labels.csv")


@pytest.mark.parametrize("naam", CSV)
@pytest.mark.parametrize("soort,melding", [
    ("leeg", "leeg bestand"),                          # was pandas EmptyDataError
    ("afgekapt", "onleesbare CSV"),                    # was pandas ParserError (EOF inside string)
    ("latin1", r"geen UTF-8-tekst \(byte \d+\)"),      # was UnicodeDecodeError
    ("kop", "geen datarijen"),                         # was TypeError in combineer (empty frame)
])
def test_statline_csv_kapot(tmp_path, naam, soort, melding):
    raw = (STATLINE / naam).read_bytes()
    raw = {"leeg": b"", "afgekapt": raw[: len(raw) // 2], "latin1": raw.replace(b"e", b"\xe9", 20),
           "kop": raw.split(b"\n")[0] + b"\n"}[soort]
    p = tmp_path / naam
    p.write_bytes(raw)
    with pytest.raises(Invoerfout, match=rf"^{re.escape(naam)}: {melding}"):
        lees_statline(p)


@pytest.mark.parametrize("raw,melding", [
    ((STATLINE / J).read_bytes().replace(b"e", b"\xe9", 3), "geen UTF-8-tekst"),   # was UnicodeDecodeError
    (b"[" * 100_000, r"geen geldige JSON \(te diep genest\)"),                       # was RecursionError
    (b'{"value": []}', "geen datarijen"),
])
def test_statline_json_kapot(tmp_path, raw, melding):
    p = tmp_path / J
    p.write_bytes(raw)
    with pytest.raises(Invoerfout, match=rf"^{re.escape(J)}: {melding}"):
        lees_statline(p)


def test_statline_json_met_bom_wordt_gelezen(tmp_path):
    p = tmp_path / J
    p.write_bytes(b"\xef\xbb\xbf" + (STATLINE / J).read_bytes())
    assert len(lees_statline(p).herkomst) == len(lees_statline(STATLINE / J).herkomst) > 0


@pytest.mark.parametrize("raw,melding", [
    (b"{kapot", "geen geldige JSON"), (b'{"value": 5}', "geen lijst 'value' met perioden"), (b"\xff\xfe", "geen UTF-8-tekst"),
])
def test_statline_perioden_kapot(tmp_path, raw, melding):
    per = tmp_path / "Perioden.json"
    per.write_bytes(raw)
    with pytest.raises(Invoerfout, match=rf"^Perioden\.json: {melding}"):
        lees_statline(STATLINE / J, perioden=per)


@pytest.mark.parametrize("raw,melding", [
    (b"[tabellen.x\n", "geen geldige TOML"), (b"tabellen = 5\n", r"\[tabellen\]: verwacht per tabel"),
    (b"[tabellen.\xe9]\n", "geen UTF-8-tekst"), (b"[tabellen.X]\nmaten = 5\n", r"\[tabellen\.X\] maten: waarde '5'"),
])
def test_statline_tabellenmapping_kapot(tmp_path, raw, melding):
    p = tmp_path / "tab.toml"
    p.write_bytes(raw)
    with pytest.raises(Invoerfout, match=rf"^tab\.toml: {melding}"):
        lees_tabellen(p)


@pytest.mark.parametrize("naam,raw", [("v.xlsx", b"geen excel"), ("v.csv", b"")])
def test_szw_verdeling_kapot(tmp_path, naam, raw):
    # was ValueError "Excel file format cannot be determined" / "Passed header=[2]" without file name
    p = tmp_path / naam
    p.write_bytes(raw)
    with pytest.raises(Invoerfout, match=rf"^{re.escape(naam)}: niet te lezen als SZW-verdeling"):
        lees_szw(p, jaar=2019)


# ------------------------------------------------------------------ importeer vng-dsh
def test_spell_nummers_zonder_perioden():
    # was IndexError (index 0 is out of bounds) for an extract with only a header
    leeg = pd.Series([], dtype="datetime64[ns]")
    uit = spell_nummers(pd.Series([], dtype=str), leeg, leeg, 0)
    assert isinstance(uit, np.ndarray) and uit.shape == (0,)


@pytest.mark.parametrize("soort", ["kop", "geen_datums"])
def test_vng_dsh_alleen_kop_of_geen_datums(tmp_path, soort):
    raw = VNG.read_bytes()
    raw = raw.split(b"\n")[0] + b"\n" if soort == "kop" else re.sub(rb"\d{4}-\d\d-\d\d", b"31-31-2019", raw)
    p = tmp_path / "extract.csv"
    p.write_bytes(raw)
    r = CliRunner().invoke(main, ["importeer", "vng-dsh", str(p), "--out", str(tmp_path / "uit"), "--gemeentecode", "GM0777"])
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.exit_code == 1
    verwacht = "geen datarijen" if soort == "kop" else "geen enkele geldige datum"  # the latter was "NaTType does not support strftime"
    assert f"extract.csv: {verwacht}" in r.output
    assert not (tmp_path / "uit").exists()


# ------------------------------------------------------------------ rapport
def test_rapport_melding_zonder_klassenaam_en_map_is_bestand(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "gemeenten.csv").write_bytes(b"\xff\xfe\x00")
    cfg = tmp_path / "e.toml"
    tekst = ('[evaluatie]\nnaam = "x"\ngemeenten = ["GM0777"]\nperiode = ["2015-01-01", "2019-12-31"]\n'
             '[data]\nmap = "{}"\n[effecten]\nbootstrap = 0\nn_jobs = 1\n')
    cfg.write_text(tekst.format(data), encoding="utf-8")
    r = CliRunner().invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "uit"), "--stil"])
    assert r.exit_code == 1 and "Error: gemeenten.csv: " in r.output and "Stapfout" not in r.output
    bestand = tmp_path / "bestand.csv"
    bestand.write_text("x\n", encoding="utf-8")
    cfg.write_text(tekst.format(bestand), encoding="utf-8")
    r = CliRunner().invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "uit"), "--stil"])
    assert r.exit_code == 1 and f"[data] map {bestand} is een bestand, geen map" in r.output


# ------------------------------------------------------------------ beleidswijziging
def test_beleidswijziging_behandelde_gemeente_mist_een_jaar(tmp_path):
    # was LinAlgError("Singular matrix"): the treated gemeente's first year rejected -> event dummy without data
    from evaluatie.simulatie import schrijf, simuleer

    map = tmp_path / "data"
    schrijf(simuleer(seed=11, n_clienten=20), map)
    g = pd.read_csv(map / "gemeenten.csv", dtype=str, keep_default_na=False)
    houd = sorted(set(g["gemeentecode"]) - {"GM0777"})[:9] + ["GM0777"]
    g = g[g["gemeentecode"].isin(houd)].reset_index(drop=True)
    eerste = g.index[(g["gemeentecode"] == "GM0777") & (g["jaar"] == g["jaar"].min())][0]
    g.loc[eerste, "gemeentecode"] = ""  # rejected by validation
    g.to_csv(map / "gemeenten.csv", index=False, lineterminator="\n")
    r = CliRunner().invoke(main, ["beleidswijziging", str(map), "--behandeld", "GM0777", "--jaar", "2017",
                                  "--bootstrap", "99", "--out", str(tmp_path / "uit")])
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.exit_code == 1 and "gemeenten.csv: het model is niet te schatten (geen waarneming voor rel_" in r.output


# ------------------------------------------------------------------ kennisbank voeg-toe
def test_kennisbank_effecten_zonder_kolom_noemt_het_bestand(tmp_path):
    # was "resultaten missen kolommen instrument" without a file
    import hashlib
    import json

    from evaluatie.kennisbank import KennisbankFout
    from evaluatie.kennisbank.run import lees_run

    run = tmp_path / "run"
    (run / "intern").mkdir(parents=True)
    eff = run / "intern" / "effecten.parquet"
    pd.DataFrame({"categorie": ["A"], "schatting": [0.1]}).to_parquet(eff, index=False)
    m = {"commando": "analyseer", "inputs": {"clienten.csv": "0" * 64}, "config": {"waarnemingsperiode": ["2015-01-01", "2019-12-31"]},
         "seed": 1, "versions": {"evaluatie": "0"}, "manifest_hash": "a" * 64, "voltooid": True,
         "uitvoer": {"intern/effecten.parquet": hashlib.sha256(eff.read_bytes()).hexdigest()}}
    (run / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(KennisbankFout, match=r"effecten\.parquet: kolom\(men\) instrument, uitkomst, .* ontbreken"):
        lees_run(run)
