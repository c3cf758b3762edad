"""`evaluatie beleidswijziging`: outputs, determinism, Dutch error messages (no tracebacks)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner

import evaluatie.validatie
from evaluatie.cli import main

from test_panel_gemeente import HVWB, simuleer_gemeenten


def _nep_valideer_map(map_, *, tabellen=None, **kw):
    """Stand-in for the validator (written concurrently): reads gemeenten.csv with contract dtypes."""
    d = pd.read_csv(map_ / "gemeenten.csv", dtype={"gemeentecode": str})
    d["jaar"] = d["jaar"].astype("Int64")
    return SimpleNamespace(geaccepteerd={"gemeenten": d}, afgekeurd={}, heeft_afkeuringen=False)


@pytest.fixture
def invoer(tmp_path, monkeypatch):
    if not hasattr(evaluatie.validatie, "valideer_map"):
        monkeypatch.setattr(evaluatie.validatie, "valideer_map", _nep_valideer_map, raising=False)
    d = tmp_path / "in"
    d.mkdir()
    simuleer_gemeenten(seed=5, effect=2.0).to_csv(d / "gemeenten.csv", index=False)
    return d


def _run(invoer, out, *extra):
    args = ["beleidswijziging", str(invoer), *sum([["--behandeld", g] for g in HVWB], []), "--jaar", "2016",
            "--bootstrap", "199", "--out", str(out), *extra]
    return CliRunner().invoke(main, args)


def test_schrijft_tabellen_figuur_manifest_en_is_deterministisch(invoer, tmp_path):
    r1 = _run(invoer, tmp_path / "a", "--indicator", "uitstroom_pct_norm", "--indicator", "instroom_pct_norm")
    assert r1.exit_code == 0, r1.output
    assert "Verschil-in-verschillen 2016" in r1.output and "Pre-trendtoets" in r1.output
    a = tmp_path / "a"
    for f in ("publiceerbaar/tabellen/verschil_in_verschillen.csv", "intern/gebeurtenisstudie.parquet",
              "publiceerbaar/tabellen/pretrend.csv", "manifest.json", "publiceerbaar/gebeurtenisstudie_uitstroom_pct_norm.png",
              "publiceerbaar/gebeurtenisstudie_instroom_pct_norm.png", "publiceerbaar/samenvatting.txt"):
        assert (a / f).exists(), f
    did = pd.read_csv(a / "publiceerbaar" / "tabellen" / "verschil_in_verschillen.csv")
    assert set(did.analyse) == {"did", "placebo_2013"} and set(did.indicator) == {"uitstroom_pct_norm", "instroom_pct_norm"}
    pre = pd.read_csv(a / "publiceerbaar" / "tabellen" / "pretrend.csv")
    assert set(pre.indicator) == {"uitstroom_pct_norm", "instroom_pct_norm"}
    hoofd = pre[pre.hoofdtoets]
    assert list(hoofd.methode) == ["cr2_htz"] * 2 and (hoofd.aantal_leads == 4).all()
    assert set(pre.methode) == {"cr2_htz", "cr1_f", "wild_bootstrap_webb"}
    assert "HTZ" in r1.output and "Lezing:" in r1.output
    m = json.loads((a / "manifest.json").read_text())
    assert m["seed"] == 1 and "gemeenten.csv" in m["inputs"]
    r2 = _run(invoer, tmp_path / "b", "--indicator", "uitstroom_pct_norm", "--indicator", "instroom_pct_norm")
    assert r2.exit_code == 0
    for f in ("intern/verschil_in_verschillen.csv", "intern/gebeurtenisstudie.csv",
              "publiceerbaar/gebeurtenisstudie_uitstroom_pct_norm.png", "manifest.json"):
        assert (a / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


@pytest.mark.parametrize("extra,boodschap", [
    (["--behandeld", "GM9998"], "onbekende gemeentecode(s) bij behandeld: GM9998"),
    (["--controle", "GM1234", "--controle", "GM2001"], "onbekende gemeentecode(s) bij controle: GM1234"),
    (["--indicator", "uitstroompje"], "onbekende indicator uitstroompje"),
])
def test_foutmeldingen(invoer, tmp_path, extra, boodschap):
    r = _run(invoer, tmp_path / "o", *extra)
    assert r.exit_code != 0 and boodschap in r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)


def test_jaar_buiten_gegevens(invoer, tmp_path):
    args = ["beleidswijziging", str(invoer), "--behandeld", "GM0777", "--jaar", "2030", "--out", str(tmp_path / "o")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "beleidsjaar 2030 valt buiten de gegevens" in r.output


def test_te_weinig_voorperiodes(tmp_path, monkeypatch):
    if not hasattr(evaluatie.validatie, "valideer_map"):
        monkeypatch.setattr(evaluatie.validatie, "valideer_map", _nep_valideer_map, raising=False)
    d = tmp_path / "in"
    d.mkdir()
    g = simuleer_gemeenten(seed=1)
    g[~(g.gemeentecode.isin(HVWB) & (g.jaar < 2016))].to_csv(d / "gemeenten.csv", index=False)
    r = _run(d, tmp_path / "o")
    assert r.exit_code == 1 and "te weinig voorperiodes" in r.output


def test_map_zonder_gemeenten(tmp_path):
    r = CliRunner().invoke(main, ["beleidswijziging", str(tmp_path), "--behandeld", "GM0777", "--jaar", "2016",
                                  "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "bevat geen tabel gemeenten" in r.output
