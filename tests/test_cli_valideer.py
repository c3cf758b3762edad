"""``evaluatie valideer``: exit codes 0/1/2, --json, output files, no tracebacks."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from evaluatie.cli import main

GEMENGD = Path(__file__).parent / "data" / "validatie" / "gemengd"


def _schoon(map: Path) -> Path:
    map.mkdir()
    (map / "clienten.csv").write_text(
        "client_id,gemeentecode,geboortejaar,geslacht,opleidingsniveau,statushouder,speciaal_onderwijs,nugger\n"
        "C1,GM0777,1980,man,laag,false,false,false\n", encoding="utf-8")
    (map / "uitkeringen.csv").write_text("client_id,startdatum,einddatum,uitstroomreden\nC1,2016-01-01,,\n", encoding="utf-8")
    return map


def test_schoon_geeft_exit_0_en_schrijft_uitvoer(tmp_path):
    map = _schoon(tmp_path / "in")
    r = CliRunner().invoke(main, ["valideer", str(map), "--peildatum", "2019-12-31"])
    assert r.exit_code == 0, r.output
    assert "clienten.csv" in r.output and "0 fout(en)" in r.output
    assert not (map / "_validatie").exists()  # never inside the input
    out = tmp_path / "in_validatie"
    assert (out / "intern" / "validatie" / "clienten.parquet").is_file() and (out / "manifest.json").is_file()
    assert (out / "intern" / "validatie" / "reconciliatie.csv").read_text(encoding="utf-8").splitlines()[1].startswith("clienten,clienten.csv,1,1,0")


def test_afkeuringen_geven_exit_1_en_json(tmp_path):
    data = tmp_path / "gemengd"
    shutil.copytree(GEMENGD, data)
    out = tmp_path / "uit"
    r = CliRunner().invoke(main, ["valideer", str(data), "--out", str(out), "--json", "--max", "2"])
    assert r.exit_code == 1, r.output
    d = json.loads(r.output)
    assert d["heeft_afkeuringen"] is True and d["fouten"] == 20
    rec = {x["tabel"]: x for x in d["reconciliatie"]}
    assert rec["trajecten"]["gelezen"] == 9 and rec["trajecten"]["afgekeurd"] == 6
    enum = [x for x in d["regels"] if x["regel"] == "enum"]
    assert {x["bestand"] for x in enum} == {"clienten.csv", "trajecten.csv"}
    assert all(len(x["voorbeelden"]) <= 2 for x in d["regels"])
    assert (out / "intern" / "validatie" / "afgekeurd_trajecten.csv").is_file()
    assert not (data / "_validatie").exists()


def test_tekstuitvoer_toont_eerste_n_per_regel(tmp_path):
    data = tmp_path / "gemengd"
    shutil.copytree(GEMENGD, data)
    r = CliRunner().invoke(main, ["valideer", str(data), "--max", "1"])
    assert r.exit_code == 1
    assert "clienten.csv · enum (fout): 1x" in r.output
    assert "rij 5: geslacht: 'X' is niet toegestaan" in r.output


def test_misvormd_bestand_geeft_exit_1_zonder_traceback(tmp_path):
    # README: 1 = an error in the data (the message names the file), 2 = a usage error
    map = _schoon(tmp_path / "in")
    (map / "clienten.csv").write_text("client_id|gemeentecode\nC1|GM0777\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["valideer", str(map)])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "clienten.csv" in r.output and "scheidingsteken" in r.output
    assert not (map / "_validatie").exists() and not (tmp_path / "in_validatie").exists()  # nothing written


def test_gebruiksfouten_geven_exit_2(tmp_path):
    r = CliRunner().invoke(main, ["valideer", str(tmp_path / "bestaatniet")])
    assert r.exit_code == 2 and "bestaat niet" in r.output
    map = _schoon(tmp_path / "in")
    r = CliRunner().invoke(main, ["valideer", str(map), "--peildatum", "31-12-2019"])
    assert r.exit_code == 2 and "jjjj-mm-dd" in r.output
