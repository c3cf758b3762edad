"""`evaluatie analyseer` on a small simulated directory: files and columns per the contract."""
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main

KOLOMMEN = ["instrument", "categorie", "uitkomst", "maat", "horizon", "schatting", "se", "ci_laag", "ci_hoog",
            "n_deelnemers", "n_gebeurtenissen", "methode", "vlag"]


@pytest.fixture(scope="module")
def simmap(tmp_path_factory):
    from evaluatie.simulatie import schrijf, simuleer

    d = tmp_path_factory.mktemp("sim")
    schrijf(simuleer(seed=2, n_clienten=1500), d)
    return d


def test_analyseer_writes_contract(simmap, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["analyseer", str(simmap), "--out", str(out), "--bootstrap", "4", "--n-jobs", "1",
                                  "--horizon", "12", "--horizon", "24"])
    assert r.exit_code == 0, r.output
    eff = pd.read_parquet(out / "intern" / "effecten.parquet")
    assert list(eff.columns) == KOLOMMEN
    assert set(eff.maat) == {"att", "deadweight", "toerekenbaar", "naief", "cif_deelnemers", "cif_controle"}
    assert set(eff.uitkomst) == {"werk", "duurzaam_werk_6", "duurzaam_werk_12"}
    assert set(eff[eff.maat == "deadweight"].horizon) == {12, 24}
    csv = pd.read_csv(out / "intern" / "effecten.csv", keep_default_na=False)
    assert len(csv) == len(eff)
    # small cells are flagged, not silently reported
    klein = eff[(eff.n_deelnemers < 50) & (eff.maat == "att")]
    assert len(klein) and klein.vlag.str.contains("te weinig deelnemers").all()
    pop = pd.read_csv(out / "publiceerbaar" / "tabellen" / "populatie.csv")
    assert "toerekenbaar_aandeel" in set(pop.maat)
    man = json.loads((out / "manifest.json").read_text())
    assert man["seed"] == 1 and "uitkeringen.csv" in man["inputs"] and man["config"]["bootstrap"] == 4
    assert "toe te rekenen aan de inzet van instrumenten" in r.output


def test_analyseer_missing_table_is_clean_error(tmp_path):
    (tmp_path / "leeg").mkdir()
    r = CliRunner().invoke(main, ["analyseer", str(tmp_path / "leeg"), "--out", str(tmp_path / "o")])
    assert r.exit_code != 0
    assert "Traceback" not in r.output
