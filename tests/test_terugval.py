"""Terugval after an exit to work: a by-hand example, bad input counted, groups, the CLI and disclosure."""
from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.terugval import AOW, GECENSUREERD, TERUGVAL, VERHUIZING, TerugvalFout, terugval, terugvalrijen

PEIL = "2016-12-31"


def _tabellen() -> dict[str, pd.DataFrame]:
    """Six clients; by hand (months after the exit, month 1 = the month after the einddatum):

    c1 werk 31-01, new spell 01-04 -> back in month 3; c2 werk 31-03, never back -> censored after 9
    complete months; c3 werk 31-05, born 1950 -> AOW (1 Nov 2016) in month 6 (competing); c4 werk 30-06,
    new spell 01-08 -> back in month 2; c5 werk on the peildatum -> no follow-up (counted, left out);
    c6 werk 29-02 but its next spell starts 15-02 (overlap; counted, left out).
    """
    d = pd.to_datetime
    u = pd.DataFrame({
        "client_id": ["c1", "c1", "c2", "c3", "c4", "c4", "c5", "c6", "c6"],
        "startdatum": d(["2015-06-01", "2016-04-01", "2015-01-01", "2015-01-01", "2016-01-01", "2016-08-01",
                         "2016-01-01", "2016-01-01", "2016-02-15"]),
        "einddatum": d(["2016-01-31", None, "2016-03-31", "2016-05-31", "2016-06-30", None, "2016-12-31",
                        "2016-02-29", "2016-06-30"]),
        "uitstroomreden": ["werk", None, "werk", "werk", "werk", None, "werk", "werk", "overig"],
    })
    c = pd.DataFrame({"client_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
                      "gemeentecode": ["GM0777", "GM0777", "GM1655", "GM1655", "GM0777", "GM0777"],
                      "geboortejaar": [1980, 1985, 1950, 1990, 1970, 1970]})
    k = pd.DataFrame({"client_id": ["c1", "c2", "c3", "c4"], "startdatum": d(["2015-06-01"] * 2 + ["2015-01-01"] * 2),
                      "categorie": ["A", "A", "B", "B"]})
    t = pd.DataFrame({"client_id": ["c1"], "instrument": ["jobcoaching"], "startdatum": d(["2015-09-01"]),
                      "einddatum": d(["2015-12-31"])})
    return {"uitkeringen": u, "clienten": c, "categorieen": k, "trajecten": t}


def test_rows_by_hand():
    rijen, telling, warns = terugvalrijen(_tabellen(), peildatum=PEIL)
    r = rijen.set_index("client_id")
    assert r.loc["c1", ["tijd", "status"]].tolist() == [3, TERUGVAL]
    assert r.loc["c2", ["tijd", "status"]].tolist() == [9, GECENSUREERD]
    assert r.loc["c3", ["tijd", "status"]].tolist() == [6, AOW]
    assert r.loc["c4", ["tijd", "status"]].tolist() == [2, TERUGVAL]
    assert set(r.index) == {"c1", "c2", "c3", "c4"}
    assert telling == {"n_overlap": 1, "n_op_peildatum": 1, "n_na_peildatum": 0}
    # the warnings name the file rows (header = row 1): c6's exit is row 9, c5's exit row 8
    assert any("overlap" in w and "rij 9" in w for w in warns)
    assert any("peildatum zelf" in w and "rij 8" in w for w in warns)
    assert r.loc["c1", "traject"] == "met traject" and r.loc["c1", "instrument"] == "jobcoaching"
    assert r.loc["c2", "instrument"] == "geen traject"
    assert r.loc["c3", "categorie"] == "B" and r.loc["c3", "gemeente"] == "GM1655"


def test_incidence_by_hand():
    """Aalen-Johansen by hand: month 2, 4 at risk, 1 back -> 1/4; month 3, 3 at risk, 1 back: + 3/4 * 1/3."""
    res = terugval(_tabellen(), peildatum=PEIL, maanden=(2, 6, 12))
    tot = res.to_frame().query("groepering == 'totaal'").set_index("maanden")
    assert tot.loc[2, "cif"] == pytest.approx(0.25)
    assert tot.loc[6, "cif"] == pytest.approx(0.5)
    assert tot.loc[12, "cif"] == pytest.approx(0.5)
    assert bool(tot.loc[12, "voorbij_laatste"]) and not bool(tot.loc[6, "voorbij_laatste"])
    assert tot.loc[6, "n_risico"] == 2 and tot.loc[2, "n_risico"] == 4  # c2 (9) and c3 (6) reach month 6
    assert (res.n_uitstroom_werk, res.n_terugval, res.n_concurrerend) == (4, 2, 1)
    assert (res.n_overlap, res.n_op_peildatum) == (1, 1)
    assert "niet meegeteld: 1 (overlap" in res.summary()
    a = res.aantallen.query("groepering == 'categorie'").set_index("groep")
    assert a.loc["A", "n_terugval"] == 1 and a.loc["B", "n_concurrerend"] == 1


def test_moving_out_is_competing():
    verh = pd.DataFrame({"client_id": ["c2"], "datum": pd.to_datetime(["2016-06-15"])})
    rijen, _, warns = terugvalrijen(_tabellen(), peildatum=PEIL, verhuizingen=verh)
    r = rijen.set_index("client_id")
    assert r.loc["c2", ["tijd", "status"]].tolist() == [3, VERHUIZING]
    assert not any("verhuizingen" in w for w in warns)
    res = terugval(_tabellen(), peildatum=PEIL, verhuizingen=verh, maanden=(6,))
    assert res.n_concurrerend == 2
    # month 3: 3 at risk, c1 back and c2 moved: F = 1/4 + 3/4 * 1/3
    assert res.to_frame().query("groepering == 'totaal'")["cif"].iloc[0] == pytest.approx(0.5)


def test_bad_input_messages():
    t = _tabellen()
    with pytest.raises(TerugvalFout, match="groepering 'leeftijd' bestaat niet"):
        terugval(t, peildatum=PEIL, groeperingen=("leeftijd",))
    with pytest.raises(TerugvalFout, match="kolom\\(men\\) uitstroomreden ontbreken"):
        terugval({"uitkeringen": t["uitkeringen"].drop(columns="uitstroomreden")}, peildatum=PEIL)
    with pytest.raises(TerugvalFout, match="peildatum: verwacht een datum"):
        terugval(t, peildatum="gisteren")
    with pytest.raises(TerugvalFout, match="geen uitstroom naar werk"):
        terugval(t, peildatum=PEIL, van="2017-01-01")


@pytest.fixture(scope="module")
def simmap(tmp_path_factory):
    from evaluatie.simulatie import schrijf, simuleer
    d = tmp_path_factory.mktemp("sim")
    schrijf(simuleer(seed=4, n_clienten=1500), d)
    return d


def test_full_follow_up_equals_simple_share(simmap):
    """Exits in 2016 are followed for at least 36 months: the incidence at 12 is the plain share back."""
    from evaluatie.validatie import valideer_map
    val = valideer_map(simmap)
    res = terugval(val.geaccepteerd, peildatum=val.peildatum, van=val.waarnemingsperiode[0], bronrijen=val.bronrijen)
    r = res.rijen[res.rijen["uitstroomjaar"] == "2016"]
    deel = ((r["status"] == TERUGVAL) & (r["tijd"] <= 12)).mean()
    t = res.to_frame().query("groepering == 'uitstroomjaar' and groep == '2016' and maanden == 12")
    assert t["cif"].iloc[0] == pytest.approx(deel, abs=1e-12)
    tot = res.to_frame().query("groepering == 'totaal' and maanden == 12")["cif"].iloc[0]
    assert 0.14 < tot < 0.25  # simulator: 19 % back within 12 months (Divosa about 1 in 5)


def test_cli_writes_protected_tables(simmap, tmp_path):
    from evaluatie.cli import main as cli
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["terugval", str(simmap), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "binnen 12 maanden terug" in r.output
    publ = out / "publiceerbaar" / "tabellen"
    tab = pd.read_csv(publ / "terugval.csv")
    klein = tab["n_risico"].isna()
    assert klein.any() and tab.loc[klein, "cif"].isna().all()
    assert (tab.loc[~klein, "n_risico"] >= 10).all()
    cur = pd.read_csv(publ / "terugval_curves.csv")
    assert (cur["n_risk"] >= 10).all()
    a = pd.read_csv(publ / "terugval_aantallen.csv")
    # n_gecensureerd (= n_uitstroom_werk - n_terugval - n_concurrerend) is only in intern/
    assert "n_gecensureerd" not in a.columns and "n_gecensureerd" in pd.read_csv(out / "intern" / "terugval_aantallen.csv")
    for c in ("n_uitstroom_werk", "n_terugval", "n_concurrerend"):
        v = a[c].dropna()
        assert ((v == 0) | (v >= 10)).all(), c
    assert (out / "manifest.json").exists()


def test_cli_help_lists_terugval_and_bad_usage(tmp_path):
    from evaluatie.cli import main as cli
    r = CliRunner().invoke(cli, ["--help"])
    assert "terugval" in r.output
    r = CliRunner().invoke(cli, ["terugval", str(tmp_path / "bestaat_niet"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "bestaat niet" in r.output


def test_cli_options_moves_in_manifest_and_bad_months(simmap, tmp_path):
    """--verhuizingen is an input (hashed in the manifest, --out may not hold it); --maanden 0 is a usage error."""
    import hashlib
    import json

    from evaluatie.cli import main as cli
    verh = tmp_path / "verh" / "verhuizingen.csv"
    verh.parent.mkdir()
    verh.write_text("client_id,datum\nbestaat_niet,2017-03-01\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["terugval", str(simmap), "--out", str(verh.parent), "--verhuizingen", str(verh)])
    assert r.exit_code == 1 and "--out" in r.output and "Traceback" not in r.output, r.output
    assert verh.read_text(encoding="utf-8") == "client_id,datum\nbestaat_niet,2017-03-01\n"
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["terugval", str(simmap), "--out", str(out), "--verhuizingen", str(verh),
                                 "--maanden", "12"])
    assert r.exit_code == 0, r.output
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["voltooid"] is True and m["commando"] == "terugval" and m["config"]["maanden"] == [12]
    assert m["inputs"]["verhuizingen.csv"] == hashlib.sha256(verh.read_bytes()).hexdigest()
    assert set(pd.read_csv(out / "publiceerbaar" / "tabellen" / "terugval.csv")["maanden"]) == {12}
    r = CliRunner().invoke(cli, ["terugval", str(simmap), "--out", str(tmp_path / "o2"), "--maanden", "0,12"])
    assert r.exit_code == 2 and "--maanden" in r.output and not (tmp_path / "o2").exists(), r.output


def test_cli_unusable_moves_file_names_file_and_columns(simmap, tmp_path):
    from evaluatie.cli import main as cli
    verh = tmp_path / "verh.csv"
    verh.write_text("id,wanneer\nx,2017-01-01\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["terugval", str(simmap), "--out", str(tmp_path / "o"), "--verhuizingen", str(verh)])
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert "verh.csv" in r.output and "client_id, datum ontbreken" in r.output and not (tmp_path / "o").exists()
