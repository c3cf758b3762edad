"""``evaluatie overleving DIR --out OUT`` on a small simulated population."""
from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from evaluatie.cli import main


def test_overleving_writes_curves(tmp_path):
    from evaluatie.simulatie import schrijf, simuleer

    schrijf(simuleer(seed=7, n_clienten=300), tmp_path / "in")
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 0, r.output
    cif = pd.read_csv(tmp_path / "uit" / "cif_werk.csv")
    assert set(cif["group"]) <= {"A", "B", "C", "onbekend"}
    assert (cif["n_risk"] >= 10).all() and cif["cif"].between(0, 1).all()
    assert (tmp_path / "uit" / "km.svg").exists()


def test_overleving_missing_dir_is_clean_error(tmp_path):
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "bestaat_niet"), "--out", str(tmp_path / "u")])
    assert r.exit_code != 0 and "bestaat niet" in r.output and "Traceback" not in r.output
