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
    cif = pd.read_csv(tmp_path / "uit" / "publiceerbaar" / "tabellen" / "cif_werk.csv")
    assert set(cif["group"]) <= {"A", "B", "C", "onbekend"}
    assert (cif["n_risk"] >= 10).all() and cif["cif"].between(0, 1).all()
    assert (tmp_path / "uit" / "publiceerbaar" / "km.svg").exists()


def test_overleving_missing_dir_is_clean_error(tmp_path):
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "bestaat_niet"), "--out", str(tmp_path / "u")])
    assert r.exit_code != 0 and "bestaat niet" in r.output and "Traceback" not in r.output


def test_overleving_manifest_en_afgekeurde_rijen(tmp_path):
    import hashlib
    import json

    from evaluatie.simulatie import schrijf, simuleer

    schrijf(simuleer(seed=7, n_clienten=300), tmp_path / "in")
    u = tmp_path / "in" / "uitkeringen.csv"
    regels = u.read_text(encoding="utf-8").splitlines()
    veld = regels[1].split(",")
    veld[1] = "2018-02-30"  # an impossible startdatum in row 2
    regels[1] = ",".join(veld)
    u.write_text("\n".join(regels) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 1, r.output  # README: done, but rows were rejected
    assert "rij(en) afgekeurd bij de validatie" in r.output  # row 2, plus any trajecten hanging on it
    m = json.loads((tmp_path / "uit" / "manifest.json").read_text(encoding="utf-8"))
    assert m["inputs"]["uitkeringen.csv"] == hashlib.sha256(u.read_bytes()).hexdigest()
    assert m["config"] == {"groep": "categorie", "cox": None, "strata": [],
                           "waarnemingsperiode": ["2015-01-01", "2019-12-31"]}


def test_overleving_met_cox(tmp_path):
    """--cox fits the cause-specific Cox model on the same rows; equal to the library call."""
    from evaluatie.prepare import telproces
    from evaluatie.simulatie import schrijf, simuleer
    from evaluatie.survival import cox

    sim = simuleer(seed=7, n_clienten=600)
    schrijf(sim, tmp_path / "in")
    f = "werk ~ leeftijd + C(opleidingsniveau)"
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "uit"), "--cox", f,
                                  "--strata", "categorie"])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(tmp_path / "uit" / "intern" / "cox.csv")
    ref = cox(f, telproces(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"]), start="start",
              stop="stop", strata="categorie", cluster="client_id").to_frame()
    assert list(t.term) == list(ref.term) and len(t) == 4
    pd.testing.assert_series_equal(t.coef, ref.coef, rtol=1e-10, check_names=False)
    assert "GLOBAL" in set(pd.read_csv(tmp_path / "uit" / "intern" / "cox_ph.csv").iloc[:, 0].astype(str))
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "u2"), "--cox",
                                  "werk ~ bestaat_niet"])
    assert r.exit_code == 1 and "bestaat_niet" in r.output and "Traceback" not in r.output, r.output


def test_overleving_zonder_uitkeringen_is_gegevensfout(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "clienten.csv").write_text(
        "client_id,gemeentecode,geboortejaar,geslacht,opleidingsniveau,statushouder,speciaal_onderwijs,nugger\n"
        "C1,GM0777,1980,man,laag,false,false,false\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 1, r.output
    assert "geen bestand uitkeringen" in r.output and "uitkeringen.csv" in r.output and "Traceback" not in r.output
    (tmp_path / "in" / "uitkeringen.csv").write_text("client_id,startdatum,einddatum,uitstroomreden\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["overleving", str(tmp_path / "in"), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 1 and "geen geaccepteerde rijen in uitkeringen" in r.output, r.output
