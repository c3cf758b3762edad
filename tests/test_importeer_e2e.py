"""From the shipped example exports and StatLine/SZW samples to a report, without hand editing:
importeer generiek → importeer statline → valideer → analyseer → rapport (with goals)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main

DATA = Path(__file__).parents[1] / "evaluatie" / "data"
SL = DATA / "voorbeeld_statline"

CONFIG = """
[evaluatie]
naam = "Voorbeeld: van export tot rapport"
gemeenten = ["GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879"]
periode = ["2015-01-01", "2019-12-31"]
seed = 1
drempel = 10
[data]
map = "invoer"
[effecten]
horizonnen = [12]
bootstrap = 20
n_jobs = 1
[benchmark]
vergelijkingsgroep = "buig"
k = 3
basisjaar = 2017
referentiejaar = 2019
[[doelen]]
indicator = "pct_norm"
jaar = 2019
streefwaarde = 120.0
richting = "lager"
label = "Niet meer uitkeringen dan de norm (+20%)"
[[doelen]]
indicator = "instroom_pct"
jaar = 2017
streefwaarde = 28.0
[[doelen]]
indicator = "toerekenbaar_aandeel"
jaar = 2019
streefwaarde = 50.0
label = "Helft van de uitstroom naar werk door instrumenten"
"""


def _statline_args(out: Path) -> list[str]:
    return ["importeer", "statline", str(SL / "84066NED_TypedDataSet.json"), str(SL / "82015NED_labels.csv"),
            str(SL / "37230ned_UntypedDataSet.csv"), "--perioden", f"84066NED={SL / '84066NED_Perioden.json'}",
            "--szw", f"2017={SL / 'szw_verdeling_buig_2017.xlsx'}", "--szw", f"2019={SL / 'szw_verdeling_buig_2019.xlsx'}",
            "--out", str(out)]


@pytest.mark.slow
def test_export_to_report_with_effects_goals_and_provisional_marker(tmp_path):
    runner = CliRunner()
    invoer = tmp_path / "invoer"
    r = runner.invoke(main, ["importeer", "generiek", str(DATA / "voorbeeld_export" / "mapping.toml"), "--out", str(invoer)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, _statline_args(tmp_path / "cbs"))
    assert r.exit_code == 0, r.output
    shutil.copy(tmp_path / "cbs" / "gemeenten.csv", invoer / "gemeenten.csv")
    r = runner.invoke(main, ["valideer", str(invoer), "--out", str(tmp_path / "val")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["analyseer", str(invoer), "--out", str(tmp_path / "an"), "--bootstrap", "20", "--n-jobs", "1",
                             "--horizon", "12"])
    assert r.exit_code == 0, r.output
    eff = pd.read_csv(next((tmp_path / "an").rglob("effecten.csv")))
    assert (eff["maat"] == "att").any() and eff["schatting"].notna().any()
    cfg = tmp_path / "evaluatie.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    r = runner.invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "rapport"), "--stil"])
    assert r.exit_code == 0, r.output
    html = next((tmp_path / "rapport").rglob("rapport.html")).read_text(encoding="utf-8")
    assert "Doelen en realisatie" in html
    # Etten-Leur 2017: instroom 210 of a norm of 755 = 27.8% (the Etten-Leur report's figure); Poisson margin
    # 210 → [182.6, 240.4] → 24.2–31.8%, contains the goal 28 → not to be judged
    assert re.search(r"Instroom in % van de norm \(2017\): niet te beoordelen\. Gerealiseerd 27,8 \(marge 24,2–31,8\)", html)
    # 2019: 727 / 702 = 103.6%, margin 96.2–111.3 (Poisson on 727), entirely below 120 → gehaald
    assert re.search(r"\(2019\): gehaald\. Gerealiseerd 103,6", html)
    assert "voorlopig" in html and "82015NED" in html


def test_unknown_goal_indicator_is_a_clear_error(tmp_path):
    from evaluatie.config import ConfigFout
    from evaluatie.doelen import lees_doelen

    p = tmp_path / "e.toml"
    p.write_text(CONFIG.replace('indicator = "instroom_pct"', 'indicator = "instroom_procent"'), encoding="utf-8")
    with pytest.raises(ConfigFout) as e:
        lees_doelen(p)
    m = str(e.value)
    assert "e.toml" in m and "doelen[2].indicator" in m and "'instroom_procent'" in m and "uitstroom_werk_pct" in m
