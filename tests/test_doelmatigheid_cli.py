"""Doelmatigheid through the commands: analyseer picks up kosten.csv and says so; without it every other output
is the same; bad kosten input stops with file/line/field and no traceback; the report chapter."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("dm") / "data"
    r = CliRunner().invoke(main, ["simuleer", "--out", str(d), "--clienten", "300", "--seed", "4"])
    assert r.exit_code == 0, r.output
    assert (d / "kosten.csv").is_file()
    return d


@pytest.fixture(scope="module")
def runs(sim: Path, tmp_path_factory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("dmruns")
    zonder = base / "zonder"
    shutil.copytree(sim, zonder)
    (zonder / "kosten.csv").unlink()
    uit = {}
    for naam, d in (("met", sim), ("zonder", zonder)):
        r = CliRunner().invoke(main, ["analyseer", str(d), "--out", str(base / f"uit_{naam}"), "--bootstrap", "5"])
        assert r.exit_code == 0, r.output
        uit[naam] = r.output
    return base / "uit_met", base / "uit_zonder", uit["met"]


def test_analyseer_met_kosten(runs) -> None:
    met, _, output = runs
    assert "Kostentabel gevonden (kosten.csv" in output and "Doelmatigheid" in output
    t = pd.read_csv(met / "publiceerbaar" / "tabellen" / "doelmatigheid.csv")
    assert {"netto_per_deelnemer", "ci_laag", "ci_hoog", "kans_positief", "kosten_per_extra_uitstroom"} <= set(t.columns)
    assert "n_deelnemers" not in t.columns and "netto_totaal" not in t.columns  # no counts published
    intern = pd.read_csv(met / "intern" / "doelmatigheid.csv")
    # cells under the threshold are in intern/ only
    assert set(intern[intern.n_deelnemers < 10].instrument).isdisjoint(
        set(zip(t.instrument, t.categorie)) & set(zip(intern[intern.n_deelnemers < 10].instrument,
                                                      intern[intern.n_deelnemers < 10].categorie)))
    for naam in ("doelmatigheid_terugverdientijd", "doelmatigheid_scenarios", "doelmatigheid_gevoeligheid"):
        assert (met / "publiceerbaar" / "tabellen" / f"{naam}.csv").is_file()


def test_zonder_kosten_alles_gelijk(runs) -> None:
    met, zonder, _ = runs
    tz = sorted(p.name for p in (zonder / "publiceerbaar" / "tabellen").iterdir())
    assert not any(n.startswith("doelmatigheid") for n in tz)
    for n in tz:
        assert (met / "publiceerbaar" / "tabellen" / n).read_bytes() == (zonder / "publiceerbaar" / "tabellen" / n).read_bytes(), n


def test_foute_kosten(sim: Path, tmp_path: Path) -> None:
    d = tmp_path / "data"
    shutil.copytree(sim, d)
    k = (d / "kosten.csv").read_text(encoding="utf-8").replace("jobcoaching,,,,traject,3000", "jobcoaching,,,,traject,-3000")
    (d / "kosten.csv").write_text(k, encoding="utf-8")
    r = CliRunner().invoke(main, ["analyseer", str(d), "--out", str(tmp_path / "uit"), "--bootstrap", "0"])
    assert r.exit_code == 1
    assert "kosten.csv, regel" in r.output and "veld bedrag" in r.output and "-3000" in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "uit").exists()


def test_rapportsectie_zonder_kosten() -> None:
    from evaluatie.config import Evaluatieconfig
    from evaluatie.rapport.secties.doelmatigheid import regel_samenvatting, sectie_doelmatigheid
    from evaluatie.stappen.doelmatigheid import doelmatigheid

    stap = doelmatigheid(None, None, None)
    cfg = Evaluatieconfig(naam="x", data=Path("."), gemeenten=("GM0777",))
    s = sectie_doelmatigheid(cfg, stap)
    assert s.titel == "Wat levert het op?"
    assert "kon niet worden berekend" in s.alineas[0] and "kosten.csv" in s.alineas[0]
    assert regel_samenvatting(stap) is None


def test_config_scenario(tmp_path: Path) -> None:
    from evaluatie.config import ConfigFout, lees_config
    from evaluatie.stappen.doelmatigheid import instellingen

    p = tmp_path / "e.toml"
    basis = '[evaluatie]\ngemeenten = ["GM0777"]\n[data]\nmap = "."\n[doelmatigheid]\nbuig_aandeel = 0.5\n'
    p.write_text(basis + '[[doelmatigheid.scenario]]\nnaam = "s"\nvan = "A"\nnaar = "jobcoaching x C"\ndeelnemers = 5\n',
                 encoding="utf-8")
    cfg = lees_config(p)
    d = instellingen(cfg.doelmatigheid, cfg.scenarios)
    assert d.buig_aandeel == 0.5 and d.scenarios[0].van == ("alle", "A") and d.scenarios[0].naar == ("jobcoaching", "C")
    assert cfg.als_dict()["doelmatigheid"]["scenario"][0]["deelnemers"] == 5
    p.write_text(basis + '[[doelmatigheid.scenario]]\nnaam = "s"\nvan = "A"\nnaar = "C"\n', encoding="utf-8")
    with pytest.raises(ConfigFout, match="precies een van deelnemers en budget"):
        lees_config(p)
    p.write_text(basis.replace("0.5", "1.5"), encoding="utf-8")
    with pytest.raises(ConfigFout, match=r"\[doelmatigheid\] buig_aandeel"):
        lees_config(p)
