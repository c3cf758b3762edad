"""Every command writes through the one writer: never into or over its input, never over foreign data,
a clear message for an unwritable folder, nothing below the threshold or a client id under publiceerbaar/,
and the same input hashes in every manifest (issues 14 and 15)."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main

DREMPEL = 10


@pytest.fixture(scope="module")
def invoer(tmp_path_factory) -> Path:
    from evaluatie.simulatie import schrijf, simuleer

    d = tmp_path_factory.mktemp("cli_uitvoer") / "in"
    schrijf(simuleer(seed=7, n_clienten=300), d)
    return d


def _config(invoer: Path, map_: Path, bootstrap: int = 2) -> Path:
    map_.mkdir(parents=True, exist_ok=True)
    p = map_ / "evaluatie.toml"
    p.write_text(f'[evaluatie]\nnaam = "test"\ngemeenten = ["GM0777"]\nperiode = ["2015-01-01", "2019-12-31"]\n'
                 f'[data]\nmap = "{invoer.as_posix()}"\n[effecten]\nbootstrap = {bootstrap}\nn_jobs = 1\n'
                 f'[benchmark]\nvergelijkingsgroep = "buig"\n', encoding="utf-8")
    return p


def _args(cmd: str, invoer: Path, out: Path, tmp: Path) -> list[str]:
    a = {
        "valideer": ["valideer", str(invoer), "--out", str(out)],
        "analyseer": ["analyseer", str(invoer), "--out", str(out), "--bootstrap", "0", "--n-jobs", "1"],
        "overleving": ["overleving", str(invoer), "--out", str(out)],
        "cohort": ["cohort", str(invoer), "--out", str(out)],
        "benchmark": ["benchmark", str(invoer), "--gemeente", "GM0777", "--methode", "buig", "--out", str(out)],
        "beleidswijziging": ["beleidswijziging", str(invoer), "--behandeld", "GM0777", "--jaar", "2016",
                             "--bootstrap", "99", "--out", str(out)],
        "rapport": ["rapport", str(_config(invoer, tmp / "cfg")), "--out", str(out), "--stil"],
        "terugval": ["terugval", str(invoer), "--out", str(out)],
    }
    return a[cmd]


MET_INVOER = ("valideer", "analyseer", "overleving", "cohort", "benchmark", "beleidswijziging", "rapport", "terugval")


def _inhoud(map_: Path) -> dict[str, bytes]:
    return {p.relative_to(map_).as_posix(): p.read_bytes() for p in sorted(map_.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("cmd", MET_INVOER)
@pytest.mark.parametrize("waar", ["gelijk", "binnen", "bevat"])
def test_out_overlapt_invoer_wordt_geweigerd(invoer, tmp_path, cmd, waar):
    voor = _inhoud(invoer)
    out = {"gelijk": invoer, "binnen": invoer / "uit", "bevat": invoer.parent}[waar]
    r = CliRunner().invoke(main, _args(cmd, invoer, out, tmp_path))
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "invoer" in r.output and "--out" in r.output
    assert _inhoud(invoer) == voor  # not one byte of the input changed
    assert not (invoer / "uit").exists()


def test_rapport_out_over_de_configuratie_geweigerd(invoer, tmp_path):
    cfg = _config(invoer, tmp_path / "cfg")
    r = CliRunner().invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "cfg"), "--stil"])
    assert r.exit_code == 1 and "bevat de invoer" in r.output or "is de invoer" in r.output, r.output
    assert cfg.is_file()


@pytest.mark.parametrize("cmd", ["simuleer", "analyseer", "demo"])
def test_map_met_gegevens_niet_overschreven_zonder_optie(invoer, tmp_path, cmd):
    """Family 1: `simuleer --out` into a folder with data overwrote it; now refused without --overschrijf."""
    eigen = tmp_path / "eigen"
    eigen.mkdir()
    (eigen / "clienten.csv").write_text("client_id\nechte_gegevens\n", encoding="utf-8")
    args = {"simuleer": ["simuleer", "--out", str(eigen), "--clienten", "20"],
            "analyseer": _args("analyseer", invoer, eigen, tmp_path),
            "demo": ["demo", "--out", str(eigen), "--clienten", "20", "--bootstrap", "0"]}[cmd]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "--overschrijf" in r.output and "Traceback" not in r.output, r.output
    assert (eigen / "clienten.csv").read_text(encoding="utf-8") == "client_id\nechte_gegevens\n"


def test_simuleer_vervangt_eigen_eerdere_simulatie(tmp_path):
    out = tmp_path / "sim"
    for seed in ("1", "2"):
        r = CliRunner().invoke(main, ["simuleer", "--out", str(out), "--clienten", "30", "--seed", seed])
        assert r.exit_code == 0, r.output
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["commando"] == "simuleer" and m["seed"] == 2 and m["voltooid"] is True


@pytest.mark.parametrize("cmd", ["valideer", "analyseer", "overleving", "cohort", "benchmark", "terugval"])
def test_onschrijfbare_uitvoer_geeft_melding_geen_traceback(invoer, tmp_path, cmd, monkeypatch):
    """Family 11: a read-only output folder (simulated: every write is refused by the OS)."""
    from evaluatie.uitvoer import schrijver

    def weigert(*a, **k):
        raise PermissionError(13, "Permission denied")

    out = tmp_path / "uit"
    args = _args(cmd, invoer, out, tmp_path)
    monkeypatch.setattr(schrijver.Path, "write_text", weigert)
    monkeypatch.setattr(schrijver, "write_manifest", weigert)
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and "kan uitvoer niet schrijven" in r.output and "Permission denied" in r.output
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ------------------------------------------------------------------------------- publiceerbaar
#: Columns that count gemeenten, gemeente-years or leads, not persons.
GEEN_PERSONEN = {"n_groep", "n_effectief", "n_obs", "n_gemeenten", "n_behandeld", "aantal_leads"}


def _persoonkolommen(naam: str, df: pd.DataFrame) -> list[str]:
    """Columns that count persons: n_* (except the above), aantal*, meldingen, toekenningen."""
    return [c for c in df.columns if c not in GEEN_PERSONEN
            and (c.startswith(("n_", "aantal")) or c in ("meldingen", "toekenningen"))]


def _controleer_publiceerbaar(out: Path, ids: set[str]) -> list[str]:
    fouten = []
    publ = out / "publiceerbaar"
    assert publ.is_dir()
    for p in sorted(publ.rglob("*.csv")):
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
        for c in _persoonkolommen(p.stem, df):
            v = pd.to_numeric(df[c].replace("", None), errors="coerce")
            klein = v[(v > 0) & (v < DREMPEL)]
            if len(klein):
                fouten.append(f"{p.relative_to(out)}: {c} = {klein.iloc[0]:g}")
        if ids & set(df.to_numpy().ravel().tolist()):
            fouten.append(f"{p.relative_to(out)}: cliëntnummer")
    for p in sorted(publ.rglob("*")):
        if p.suffix in (".txt", ".html", ".svg"):
            tokens = set(re.findall(r"[A-Za-z0-9_\-]+", p.read_text(encoding="utf-8")))
            if tokens & ids:
                fouten.append(f"{p.relative_to(out)}: cliëntnummer {sorted(tokens & ids)[0]}")
    try:  # the disclosure module's own independent checker, once it offers one
        from evaluatie.disclosure import Tabelspec, controleer_publiceerbaar
    except ImportError:
        return fouten
    tabellen = {p.stem: pd.read_csv(p) for p in sorted((publ / "tabellen").glob("*.csv"))}
    specs = {k: Tabelspec(aantallen=tuple(_persoonkolommen(k, df))) for k, df in tabellen.items()}
    fouten += list(controleer_publiceerbaar(tabellen, specs, drempel=DREMPEL, client_ids=sorted(ids)))
    return fouten


@pytest.fixture(scope="module")
def runs(invoer, tmp_path_factory):
    """One output per command that writes a publiceerbaar/ folder (and valideer), on the same input."""
    tmp = tmp_path_factory.mktemp("runs")
    uit = {}
    for cmd in MET_INVOER:
        out = tmp / cmd
        r = CliRunner().invoke(main, _args(cmd, invoer, out, tmp))
        assert r.exit_code in (0, 1) and (out / "manifest.json").is_file(), (cmd, r.output)
        uit[cmd] = out
    return uit


@pytest.mark.parametrize("cmd", ["analyseer", "overleving", "cohort", "benchmark", "beleidswijziging", "rapport",
                                 "terugval"])
def test_publiceerbaar_zonder_kleine_aantallen_of_clientnummers(invoer, runs, cmd):
    ids = set(pd.read_csv(invoer / "clienten.csv", dtype=str)["client_id"])
    out = runs[cmd]
    assert list((out / "publiceerbaar").rglob("*.csv")) or cmd == "rapport"
    assert _controleer_publiceerbaar(out, ids) == []


def test_controle_vangt_een_lek(invoer, runs, tmp_path):
    """The check above can fail: a copy of an intern table (small counts) under publiceerbaar/ is caught."""
    import shutil

    ids = set(pd.read_csv(invoer / "clienten.csv", dtype=str)["client_id"])
    kopie = tmp_path / "kopie"
    shutil.copytree(runs["analyseer"], kopie)
    shutil.copy(kopie / "intern" / "effecten.csv", kopie / "publiceerbaar" / "tabellen" / "effecten.csv")
    shutil.copy(kopie / "intern" / "validatie" / "afgekeurd_clienten.csv", kopie / "publiceerbaar" / "tabellen" / "x.csv")
    (kopie / "publiceerbaar" / "tabellen" / "x.csv").write_text(f"client_id\n{sorted(ids)[0]}\n", encoding="utf-8")
    fouten = _controleer_publiceerbaar(kopie, ids)
    assert any("effecten.csv: n_" in f for f in fouten) and any("cliëntnummer" in f for f in fouten), fouten


def test_zelfde_invoer_zelfde_invoerhashes(invoer, runs):
    echt = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in invoer.iterdir() if p.name != "truth.json"}
    manifesten = {c: json.loads((runs[c] / "manifest.json").read_text(encoding="utf-8")) for c in runs}
    for c, m in manifesten.items():
        assert m["voltooid"] is True and m["commando"] == c
        assert m["inputs"], c
        for naam, h in m["inputs"].items():
            assert echt[naam] == h, (c, naam)
    # analyseer, rapport, overleving and terugval read every table, benchmark only gemeenten and poort
    assert manifesten["analyseer"]["inputs"] == manifesten["rapport"]["inputs"] == manifesten["overleving"]["inputs"]
    assert manifesten["terugval"]["inputs"] == manifesten["overleving"]["inputs"]
    assert manifesten["benchmark"]["inputs"] == {k: echt[k] for k in ("gemeenten.csv", "poort.csv", "metadata.json")}


def test_mislukt_rapport_schrijft_geen_manifest(invoer, tmp_path, monkeypatch):
    """Family 9: `rapport` crashed after writing a manifest; now a failed run leaves nothing behind."""
    import evaluatie.stappen.effecten as stap

    def kapot(*a, **k):
        raise ValueError("sectie kapot")

    monkeypatch.setattr(stap, "effecten", kapot)  # fails after validation, before anything is complete
    out = tmp_path / "uit"
    r = CliRunner().invoke(main, ["rapport", str(_config(invoer, tmp_path / "cfg")), "--out", str(out), "--stil"])
    assert r.exit_code == 1 and "sectie kapot" in r.output, r.output
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_rapport_met_bootstrap_0(invoer, tmp_path):
    """Family 9: the report itself must work without bootstrap (no confidence intervals)."""
    out = tmp_path / "uit"
    r = CliRunner().invoke(main, ["rapport", str(_config(invoer, tmp_path / "cfg", bootstrap=0)), "--out", str(out),
                                  "--stil"])
    assert r.exit_code in (0, 1) and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
    assert "nan" not in r.output and "geen 95%-BI" in r.output
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["config"]["bootstrap"] == 0 and "publiceerbaar/rapport.html" in m["uitvoer"]


def test_herhaalde_run_laat_geen_oude_tabellen(invoer, tmp_path):
    """Family 5: re-run with fewer outputs (no --cox) leaves no cox table of the previous run."""
    out = tmp_path / "ov"
    r = CliRunner().invoke(main, ["overleving", str(invoer), "--out", str(out), "--cox", "werk ~ leeftijd"])
    assert r.exit_code == 0, r.output
    assert (out / "intern" / "cox.csv").is_file()
    r = CliRunner().invoke(main, ["overleving", str(invoer), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert not (out / "intern" / "cox.csv").exists()
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not any("cox" in k for k in m["uitvoer"]) and m["config"]["cox"] is None
