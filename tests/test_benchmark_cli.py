"""`evaluatie benchmark` end to end on a written directory; bad input gives a message, not a traceback."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from benchmark_data import simuleer_gemeenten
from evaluatie.cli import main

pytest.importorskip("evaluatie.validatie")


@pytest.fixture(scope="module")
def invoer(tmp_path_factory):
    d = tmp_path_factory.mktemp("invoer")
    simuleer_gemeenten(n=40).to_csv(d / "gemeenten.csv", index=False)
    pd.DataFrame({
        "gemeentecode": ["GM0777"] * 4 + ["GM1000"] * 4 + ["GM1001"] * 4 + ["GM1002"] * 4,
        "jaar": [2016, 2017, 2018, 2019] * 4, "maand": [""] * 16, "maanden": ["", "", "", "6"] * 4,
        "meldingen": [2539, 2133, 1874, 898] + [300, 280, 260, 120] * 3,
        "aanvragen": [1490, 1378, 1134, 571] + [200, 180, 170, 80] * 3,
        "toekenningen": [1422, 1188, 905, 433] + [170, 160, 150, 70] * 3,
    }).to_csv(d / "poort.csv", index=False)
    return d


def _run(*args):
    return CliRunner().invoke(main, ["benchmark", *map(str, args)])


def test_cli_schrijft_tabellen_figuren_en_manifest(invoer, tmp_path):
    out = tmp_path / "uit"
    r = _run(invoer, "--gemeente", "GM0777", "--out", out)
    assert r.exit_code == 0, r.output
    assert "Etten-Leur" in r.output and "Preventiequotum" in r.output
    for naam in ("indicatoren", "gevoeligheid", "vergelijkingsgroepen", "index", "trechter", "preventiequotum"):
        assert (out / "intern" / f"{naam}.csv").exists() and (out / "intern" / f"{naam}.parquet").exists()
        assert (out / "publiceerbaar" / "tabellen" / f"{naam}.csv").exists()
    for fig in ("norm", "stromen", "index", "trechter_pct_norm", "gevoeligheid"):
        assert (out / "publiceerbaar" / f"{fig}.png").stat().st_size > 1000
    man = json.loads((out / "manifest.json").read_text())
    assert set(man["inputs"]) == {"gemeenten.csv", "poort.csv"}
    assert man["config"]["gemeente"] == "GM0777" and man["config"]["k"] == 20
    # Tabel 5 of the report through the whole pipeline (2016-2019 as printed; see test_benchmark_indicatoren
    # for 2015): pct_norm = feitelijk / genormeerd
    ind = pd.read_parquet(out / "intern" / "indicatoren.parquet")
    el = ind[(ind.gemeentecode == "GM0777") & (ind.indicator == "pct_norm")].sort_values("jaar")
    assert el.waarde.round().tolist()[1:] == [100, 95, 94, 100]
    prev = pd.read_csv(out / "publiceerbaar" / "tabellen" / "preventiequotum.csv")
    el = prev[prev.gemeentecode == "GM0777"]
    assert el.preventiequotum.round().tolist() == [44, 44, 52, 52]
    assert el.periode.tolist()[-1] == "2019 (6 mnd)"
    groepen = pd.read_csv(out / "publiceerbaar" / "tabellen" / "vergelijkingsgroepen.csv")
    assert set(groepen.methode) == {"buig", "structureel", "synthetisch"}
    assert (groepen[groepen.methode == "buig"].shape[0]) == 20 and "GM0777" not in set(groepen.lid)


def test_cli_is_deterministisch(invoer, tmp_path):
    for sub in ("a", "b"):
        r = _run(invoer, "--gemeente", "GM0777", "--methode", "buig", "--k", "10", "--out", tmp_path / sub)
        assert r.exit_code == 0, r.output
    for f in sorted(p for p in (tmp_path / "a").rglob("*") if p.is_file()):
        rel = f.relative_to(tmp_path / "a")
        assert f.read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _schrijf(tmp_path, df):
    d = tmp_path / "in"
    d.mkdir()
    df.to_csv(d / "gemeenten.csv", index=False)
    return d


@pytest.mark.parametrize("geval, verwacht", [
    ("dubbel", "GM1000"),
    ("ontbrekend_jaar", "GM1003 mist 2018"),
    ("norm_nul", "genormeerd_aantal: GM1001 in 2016"),
])
def test_cli_foute_invoer_geeft_duidelijke_melding(tmp_path, geval, verwacht):
    df = simuleer_gemeenten(n=8)
    if geval == "dubbel":
        df = pd.concat([df, df[(df.gemeentecode == "GM1000") & (df.jaar == 2017)]])
    elif geval == "ontbrekend_jaar":
        df = df[~((df.gemeentecode == "GM1003") & (df.jaar == 2018))]
    else:
        df.loc[(df.gemeentecode == "GM1001") & (df.jaar == 2016), "genormeerd_aantal"] = 0.0
    r = _run(_schrijf(tmp_path, df), "--gemeente", "GM0777", "--out", tmp_path / "uit")
    assert r.exit_code == 1
    assert "Traceback" not in r.output and verwacht in r.output
    assert not (tmp_path / "uit" / "manifest.json").exists()


def test_cli_onbekende_gemeente(invoer, tmp_path):
    r = _run(invoer, "--gemeente", "GM0778", "--out", tmp_path / "uit")
    assert r.exit_code == 1 and "onbekende gemeente 'GM0778'" in r.output and "GM0777 (Etten-Leur)" in r.output


def test_cli_naam_in_plaats_van_code(invoer, tmp_path):
    r = _run(invoer, "--gemeente", "Etten-Leur", "--out", tmp_path / "uit")
    assert r.exit_code == 1 and "gebruik de CBS-code GM0777" in r.output


def test_cli_zonder_gemeententabel(tmp_path):
    (tmp_path / "leeg").mkdir()
    r = _run(tmp_path / "leeg", "--gemeente", "GM0777", "--out", tmp_path / "uit")
    assert r.exit_code == 1 and "geen tabel gemeenten" in r.output


def test_cli_norm_nul_noemt_bestandsrij(tmp_path):
    """A norm of 0 passes the schema (minimum 0) but the benchmark divides by it: the message names the
    row of gemeenten.csv as the user sees it (header = row 1), the field and the gemeente and year."""
    df = simuleer_gemeenten(n=8).reset_index(drop=True)
    pos = df.index[(df.gemeentecode == "GM1001") & (df.jaar == 2016)][0]
    df.loc[pos, "genormeerd_aantal"] = 0.0
    r = _run(_schrijf(tmp_path, df), "--gemeente", "GM0777", "--out", tmp_path / "uit")
    assert r.exit_code == 1
    assert f"gemeenten.csv, rij {pos + 2}, veld genormeerd_aantal: GM1001, 2016" in r.output, r.output
