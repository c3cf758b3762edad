"""Kennisbank on the output `evaluatie analyseer` really writes (issue 8, first acceptance item), and
pooling that never combines the two estimators of one run.

test_kennisbank.py hand-writes a manifest with ``config.waarnemingsperiode = {"start", "eind"}``;
`evaluatie analyseer` writes ``[start, eind]``, which used to leave the period of every stored run empty.
The fast tests below use that exact shape; the slow test runs analyseer itself on two simulated periods.
"""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.kennisbank import open_kennisbank, pool
from evaluatie.kennisbank.opslag import _periode
from evaluatie.kennisbank.overzicht import overzicht

PERIODEN = {"A": ("2015-01-01", "2017-12-31"), "B": ("2017-01-01", "2019-12-31")}


def _effecten(y_gformule: float, y_risicoset: float, se: float = 0.02) -> pd.DataFrame:
    """One cell (jobcoaching B, att 12), estimated by both methods, as analyseer's effecten.parquet has it."""
    return pd.DataFrame({
        "instrument": ["jobcoaching"] * 2, "categorie": ["B"] * 2, "uitkomst": ["werk"] * 2, "maat": ["att"] * 2,
        "horizon": [12, 12], "schatting": [y_gformule, y_risicoset], "se": [se, se],
        "ci_laag": [y_gformule - 1.96 * se, y_risicoset - 1.96 * se],
        "ci_hoog": [y_gformule + 1.96 * se, y_risicoset + 1.96 * se],
        "n_deelnemers": [200, 200], "n_gebeurtenissen": [50, 50], "methode": ["gformule", "risicoset"], "vlag": ["", ""],
    })


def _manifest_zoals_analyseer(h: str, start: str, eind: str) -> dict:
    # shape of evaluatie/commands/analyseer.py: config.waarnemingsperiode is a two-element list
    return {"commando": "analyseer", "manifest_hash": h, "seed": 1, "versions": {"evaluatie": "0.1.0"},
            "gemeenten": ["GM1655", "GM0777"],
            "config": {"bootstrap": 200, "horizonnen": [12, 24], "waarnemingsperiode": [start, eind]}}


def test_periode_uit_beide_manifestvormen():
    assert _periode({"start": "2015-01-01", "eind": "2017-12-31"}) == ("2015-01-01", "2017-12-31")
    assert _periode(["2015-01-01", "2017-12-31"]) == ("2015-01-01", "2017-12-31")
    assert _periode(None) == ("", "") and _periode("2015") == ("", "")


def test_periode_van_analyseer_manifest_wordt_bewaard_en_getoond(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    kb.voeg_toe(_effecten(0.05, 0.06), _manifest_zoals_analyseer("a" * 64, *PERIODEN["A"]))
    kb.voeg_toe(_effecten(0.07, 0.08), _manifest_zoals_analyseer("b" * 64, *PERIODEN["B"]))
    df = kb.lees()
    assert set(zip(df.periode_start, df.periode_eind)) == set(PERIODEN.values())
    assert set(df.gemeenten) == {"GM0777,GM1655"}  # from the manifest's top level, as analyseer writes it
    s = overzicht(df).summary()
    for start, eind in PERIODEN.values():
        assert f"{start}–{eind} (run " in s


def test_methoden_van_een_run_worden_niet_samen_gepoold(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    kb.voeg_toe(_effecten(0.05, 0.20), _manifest_zoals_analyseer("a" * 64, *PERIODEN["A"]))
    een = overzicht(kb.lees())
    # one run with two methods: nothing to pool (it used to say "gepoold (random effects, 2 runs)")
    assert (een.gepoold["k"] == 1).all() and "gepoold" not in een.summary()
    kb.voeg_toe(_effecten(0.09, 0.30), _manifest_zoals_analyseer("b" * 64, *PERIODEN["B"]))
    twee = overzicht(kb.lees())
    g = twee.gepoold.set_index("methode")
    assert g.loc["gformule", "k"] == 2 and g.loc["risicoset", "k"] == 2
    # each pooled line is DerSimonian-Laird on that method's run estimates only (worked out by hand:
    # equal SEs, so the common-effect estimate is the plain mean; Q = sum w (y - mean)^2)
    assert g.loc["gformule", "gepoold"] == pytest.approx(pool(np.array([0.05, 0.09]), np.array([0.02, 0.02])).random)
    assert g.loc["risicoset", "gepoold"] == pytest.approx(pool(np.array([0.20, 0.30]), np.array([0.02, 0.02])).random)
    assert g.loc["gformule", "q"] == pytest.approx(2 * 2500 * 0.02**2)  # w = 1/0.02^2, deviations ±0.02
    s = twee.summary()
    assert "gepoold gformule (random effects, 2 runs)" in s and "gepoold risicoset (random effects, 2 runs)" in s
    assert s.count("jobcoaching | categorie B") == 1


@pytest.mark.slow
def test_analyseer_twee_perioden_voeg_toe_toon(tmp_path):
    """End to end: two evaluations of simulated data from different periods, a re-run not duplicated."""
    from evaluatie.simulatie import schrijf, simuleer

    basis = tmp_path / "sim"
    schrijf(simuleer(seed=3, n_clienten=600), basis)
    runner = CliRunner()
    kb = tmp_path / "kb"
    for naam, (start, eind) in PERIODEN.items():
        data = tmp_path / f"data_{naam}"
        shutil.copytree(basis, data)
        (data / "metadata.json").write_text(json.dumps(
            {"peildatum": "2019-12-31", "waarnemingsperiode": {"start": start, "eind": eind}}), encoding="utf-8")
        out = tmp_path / f"effecten_{naam}"
        r = runner.invoke(main, ["analyseer", str(data), "--out", str(out), "--bootstrap", "5", "--n-jobs", "1"])
        # period A ends before the data do: its later trajecten are rejected ("traject_na_waarneming"), so
        # analyseer finishes with exit code 1 ("klaar maar rijen afgekeurd"); period B rejects nothing
        assert r.exit_code == (1 if naam == "A" else 0) and (out / "manifest.json").is_file(), r.output
        r = runner.invoke(main, ["kennisbank", "voeg-toe", str(out), "--kennisbank", str(kb)])
        assert r.exit_code == 0 and "toegevoegd" in r.output, r.output
    r = runner.invoke(main, ["kennisbank", "voeg-toe", str(tmp_path / "effecten_A"), "--kennisbank", str(kb)])
    assert r.exit_code == 0 and "staat al" in r.output, r.output
    df = open_kennisbank(kb, maak=False).lees()
    assert df["run_id"].nunique() == 2
    assert set(zip(df["periode_start"], df["periode_eind"])) == set(PERIODEN.values())
    r = runner.invoke(main, ["kennisbank", "toon", "--instrument", "jobcoaching", "--kennisbank", str(kb)])
    assert r.exit_code == 0, r.output
    for start, eind in PERIODEN.values():
        assert f"{start}–{eind} (run " in r.output
    g = overzicht(df[(df["maat"] == "att") & (df["horizon"] == 12)]).gepoold
    assert g["k"].max() == 2  # two runs, whatever the number of methods


def _run_en_voeg_toe(tmp_path, naam: str, seed: int, config, kb) -> dict:
    """Simulate, analyse (B = 60) and add to the kennisbank; returns the truth of the run."""
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.manifest import build_manifest
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=seed, n_clienten=4000, config=config)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    cfg = Effectconfig(bootstrap=60, seed=seed, n_jobs=2)
    res = schat_effecten(pm, cfg)
    m = build_manifest(inputs={naam: str(seed)}, config={**cfg.als_dict(), "waarnemingsperiode": ["2015-01-01", "2019-12-31"]},
                       seed=seed, extra={"commando": "analyseer"})
    kb.voeg_toe(res.to_frame(), m)
    return sim.waarheid


@pytest.mark.slow
def test_poolen_dekt_gemeenschappelijk_effect_en_heterogeniteit_zichtbaar(tmp_path):
    """Issue 8: runs simulated with the same true effect pool to an interval that covers it; runs with
    different true effects show heterogeneity. Cell: jobcoaching x C (largest), ATT(24), g-formula."""
    from dataclasses import replace

    from evaluatie.simulatie.config import STANDAARD_EFFECTEN, SimulatieConfig

    def met_na(na: float) -> SimulatieConfig:
        eff = tuple(replace(e, na=na) if (e.instrument, e.categorie) == ("jobcoaching", "C") else e
                    for e in STANDAARD_EFFECTEN)
        return SimulatieConfig(effecten=eff)

    def gepoold(kb) -> pd.Series:
        df = kb.lees()
        d = df[(df.instrument == "jobcoaching") & (df.categorie == "C") & (df.maat == "att") & (df.horizon == 24)
               & (df.methode == "gformule")]
        return overzicht(d).gepoold.set_index("methode").loc["gformule"]

    zelfde = open_kennisbank(tmp_path / "zelfde")
    waar = [_run_en_voeg_toe(tmp_path, f"z{s}", s, met_na(1.0), zelfde)["effecten"]["jobcoaching"]["C"]["att_verwacht"][23]
            for s in (11, 12, 13, 14)]
    g = gepoold(zelfde)
    print("zelfde effect:", g.to_dict(), "waar:", waar)
    assert g["k"] == 4
    assert g["ci_laag"] <= float(np.mean(waar)) <= g["ci_hoog"], (g.to_dict(), waar)
    assert g["q_p"] > 0.01  # same truth: no evidence of heterogeneity

    anders = open_kennisbank(tmp_path / "anders")
    for s, na in ((21, 0.0), (22, 0.0), (23, 1.6), (24, 1.6)):
        _run_en_voeg_toe(tmp_path, f"a{s}", s, met_na(na), anders)
    h = gepoold(anders)
    print("verschillende effecten:", h.to_dict())
    assert h["k"] == 4 and h["q_p"] < 0.01 and h["i2"] > 0.5, h.to_dict()
