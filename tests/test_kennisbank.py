"""Kennisbank: append-only, re-runs recognised, pooling honest, old stores readable, concurrent-safe."""
from __future__ import annotations

import json
import multiprocessing as mp
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.kennisbank import SCHEMA_VERSIE, open_kennisbank, pool
from evaluatie.kennisbank.opslag import KennisbankFout

FIXTURE = Path(__file__).parent / "data" / "kennisbank_v1"


def _effecten(schatting: float, n: int = 200, se: float = 0.02, instrument: str = "jobcoaching") -> pd.DataFrame:
    return pd.DataFrame({
        "instrument": [instrument, instrument], "categorie": ["B", "B"], "uitkomst": ["werk", "werk"],
        "maat": ["att", "att"], "horizon": [12, 24], "schatting": [schatting, schatting + 0.01], "se": [se, se],
        "ci_laag": [schatting - 1.96 * se, schatting + 0.01 - 1.96 * se], "ci_hoog": [schatting + 1.96 * se, schatting + 0.01 + 1.96 * se],
        "n_deelnemers": [n, n], "n_gebeurtenissen": [50, 70], "methode": ["gformule", "gformule"], "vlag": ["", ""],
    })


def _manifest(h: str, start: str, eind: str) -> dict:
    return {"manifest_hash": h, "config": {"waarnemingsperiode": {"start": start, "eind": eind}, "gemeenten": ["GM0777"]},
            "versions": {"evaluatie": "0.1.0"}, "seed": 1}


def test_twee_evaluaties_met_herkomst_en_geen_dubbeling(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    a = kb.voeg_toe(_effecten(0.05), _manifest("a" * 64, "2015-01-01", "2017-12-31"))
    b = kb.voeg_toe(_effecten(0.07), _manifest("b" * 64, "2017-01-01", "2019-12-31"))
    again = kb.voeg_toe(_effecten(0.05), _manifest("a" * 64, "2015-01-01", "2017-12-31"))
    assert a.nieuw and b.nieuw and not again.nieuw
    df = kb.lees(instrument="jobcoaching", categorie="B")
    assert len(df) == 4 and sorted(df.run_id.unique()) == ["a" * 16, "b" * 16]
    assert set(df.periode_eind) == {"2017-12-31", "2019-12-31"} and set(df.gemeenten) == {"GM0777"}


def test_alleen_beveiligde_aggregaten_opgeslagen(tmp_path):
    kb = open_kennisbank(tmp_path)
    eff = pd.concat([_effecten(0.05, n=200), _effecten(0.3, n=7, instrument="beschut_werk")])
    t = kb.voeg_toe(eff, _manifest("c" * 64, "2015-01-01", "2019-12-31"))
    assert t.n_onderdrukt == 2
    assert set(kb.lees().instrument) == {"jobcoaching"}


def test_pool_op_papier():
    # y = .1, .3; se = .1, .1 -> w = 100, vast = .2, Q = 2, c = 100, tau2 = .01, I2 = .5, random se = .1
    p = pool(np.array([0.1, 0.3]), np.array([0.1, 0.1]))
    assert p.vast == pytest.approx(0.2) and p.q == pytest.approx(2.0)
    assert p.tau2 == pytest.approx(0.01) and p.i2 == pytest.approx(0.5)
    assert p.random == pytest.approx(0.2) and p.random_se == pytest.approx(0.1)


def test_gepoold_dekt_het_ware_effect_en_heterogeniteit_zichtbaar():
    rng = np.random.default_rng(7)
    theta, se = 0.06, np.array([0.02, 0.03, 0.025, 0.02])
    dekking = np.mean([(lambda p: p.ci_laag <= theta <= p.ci_hoog)(pool(theta + rng.normal(0, se), se)) for _ in range(2000)])
    assert 0.93 <= dekking <= 0.975
    # different true effects per run: heterogeneity shows
    p = pool(np.array([0.0, 0.15, 0.0, 0.15]) + rng.normal(0, se), se)
    assert p.q_p < 0.01 and p.i2 > 0.7
    p0 = pool(theta + rng.normal(0, se), se)
    assert p0.i2 < 0.7


def test_pool_weigert_onzin():
    with pytest.raises(ValueError):
        pool(np.array([0.1]), np.array([0.0]))


def test_fixture_van_versie_1_leesbaar():
    df = open_kennisbank(FIXTURE, maak=False).lees()
    assert SCHEMA_VERSIE >= 1
    assert len(df) == 4
    r = df[(df.horizon == 12) & (df.periode_eind == "2017-12-31")].iloc[0]
    assert r.schatting == pytest.approx(0.05) and r.n_deelnemers == 200 and r.instrument == "jobcoaching"


def test_nieuwere_schemaversie_geeft_duidelijke_fout(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "kb")
    (tmp_path / "kb" / "kennisbank.json").write_text(json.dumps({"formaat": "evaluatie-kennisbank", "schema_versie": 99}))
    with pytest.raises(KennisbankFout, match="schemaversie 99"):
        open_kennisbank(tmp_path / "kb")


def _schrijver(args):
    pad, h, waarde = args
    kb = open_kennisbank(pad)
    return kb.voeg_toe(_effecten(waarde), _manifest(h, "2015-01-01", "2019-12-31")).nieuw


def test_gelijktijdige_schrijvers_verliezen_niets(tmp_path):
    pad = tmp_path / "kb"
    jobs = [(pad, f"{i:02d}" * 32, 0.01 * i) for i in range(12)] + [(pad, "00" * 32, 0.0)] * 4
    with mp.get_context("spawn").Pool(4) as p:
        nieuw = p.map(_schrijver, jobs)
    assert sum(nieuw) == 12  # every distinct run stored once, the duplicates recognised
    df = open_kennisbank(pad).lees()
    assert df.run_id.nunique() == 12 and len(df) == 24


def test_cli_voeg_toe_toon_export(tmp_path):
    res = tmp_path / "res"
    res.mkdir()
    _effecten(0.05).to_parquet(res / "effecten.parquet")
    (res / "manifest.json").write_text(json.dumps(_manifest("d" * 64, "2015-01-01", "2019-12-31")))
    kb = str(tmp_path / "kb")
    r = CliRunner().invoke(main, ["kennisbank", "voeg-toe", str(res), "--kennisbank", kb])
    assert r.exit_code == 0 and "toegevoegd" in r.output
    r = CliRunner().invoke(main, ["kennisbank", "voeg-toe", str(res), "--kennisbank", kb])
    assert "staat al" in r.output
    r = CliRunner().invoke(main, ["kennisbank", "toon", "--instrument", "jobcoaching", "--kennisbank", kb, "--figuur", str(tmp_path / "f.png")])
    assert r.exit_code == 0 and "0.050" in r.output and "literatuur (extern)" in r.output
    assert (tmp_path / "f.png").stat().st_size > 1000
    r = CliRunner().invoke(main, ["kennisbank", "toon", "--instrument", "bestaatniet", "--kennisbank", kb])
    assert r.exit_code == 2 and "onbekend instrument" in r.output
    r = CliRunner().invoke(main, ["kennisbank", "export", "--out", str(tmp_path / "x.csv"), "--kennisbank", kb])
    assert r.exit_code == 0 and len(pd.read_csv(tmp_path / "x.csv")) == 2
    r = CliRunner().invoke(main, ["kennisbank", "toon", "--kennisbank", str(tmp_path / "leeg")])
    assert r.exit_code == 1 and "geen kennisbank" in r.output


@pytest.mark.parametrize("rij", pd.read_csv(Path(__file__).parent / "reference" / "fixtures" / "kennisbank" / "metafor_dl.csv")
                         .to_dict("records"), ids=lambda r: r["set"])
def test_pool_gelijk_aan_metafor(rij):
    """DerSimonian-Laird and fixed effect as metafor::rma (tests/reference/kennisbank_metafor.R); the
    prediction interval with t(k-2) as Higgins, Thompson & Spiegelhalter (2009)."""
    y = np.array([float(x) for x in rij["yi"].split(";")])
    s = np.array([float(x) for x in rij["sei"].split(";")])
    p = pool(y, s)
    assert p.k == rij["k"]
    for veld in ("vast", "vast_se", "random", "random_se", "ci_laag", "ci_hoog", "q", "q_p", "i2", "tau2",
                 "pi_laag", "pi_hoog"):
        verwacht = rij[veld]
        if pd.isna(verwacht):
            assert np.isnan(getattr(p, veld)), veld
        else:
            assert getattr(p, veld) == pytest.approx(verwacht, rel=1e-10, abs=1e-14), veld
