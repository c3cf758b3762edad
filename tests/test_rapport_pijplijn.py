"""The report end to end on simulated data: reproducible, safe to publish, and telling the truth."""
from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.config import ConfigFout, lees_config
from evaluatie.pijplijn import voer_uit

from browser import CHROMIUM, open_in_chromium

B = 40  # bootstrap replications: enough for a test of coverage across 18 cells, fast enough for the default run


def _cfg(data: Path):
    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as p:
        cfg = lees_config(p)
    return dataclasses.replace(cfg, data=data, bootstrap=B)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("rapport")
    res = voer_uit(_cfg(base / "data"), base / "uit")
    return base, res


def test_rapport_en_manifest_geschreven(run):
    base, res = run
    assert res.rapport.exists() and res.rapport.stat().st_size > 100_000
    m = json.loads((base / "uit" / "manifest.json").read_text())
    assert set(m["inputs"]) >= {"clienten.csv", "uitkeringen.csv", "trajecten.csv", "gemeenten.csv"}
    assert m["seed"] == 1 and m["config"]["bootstrap"] == B
    assert (base / "uit" / "intern" / "effecten.parquet").exists()
    assert (base / "uit" / "publiceerbaar" / "rapport.html") == res.rapport and json.loads((base / "uit" / "manifest.json").read_text())["voltooid"] is True


def test_twee_keer_renderen_geeft_dezelfde_bytes(run, tmp_path):
    _, res = run
    res2 = voer_uit(_cfg(tmp_path / "data"), tmp_path / "uit")
    assert res2.rapport.read_bytes() == res.rapport.read_bytes()


def test_geen_enkel_clientnummer_in_het_rapport(run):
    base, res = run
    html = res.rapport.read_text(encoding="utf-8")
    ids = pd.read_csv(base / "data" / "clienten.csv", dtype=str)["client_id"]
    assert len(ids) > 1000
    tokens = set(re.findall(r"[A-Za-z0-9_\-]+", html))
    assert not tokens & set(ids)


def test_kleine_cellen_onderdrukt_in_rapport(run, tmp_path):
    """An effect cell of fewer than 10 participants never reaches the report, nor can it be recovered from the
    pooled row of its categorie (the smallest other cell of that categorie goes too)."""
    from evaluatie.rapport.html import render_html
    from evaluatie.rapport.secties import bouw_inhoud

    base, res = run
    eff = res.effecten.copy()
    klein = (eff.instrument == "werkplekaanpassing") & (eff.categorie == "B")
    eff.loc[klein, "n_deelnemers"] = 7
    eff.loc[klein & (eff.maat == "att") & (eff.horizon == 12), "schatting"] = 0.123456  # a value we can search for
    cfg = _cfg(base / "data")
    inhoud = bouw_inhoud(cfg, manifest={}, reconciliatie=res.reconciliatie, bevindingen_telling=None,
                         benchmark=None, effecten=eff, populatie=res.populatie)
    html = render_html(inhoud)
    assert "Werkplekaanpassing" not in html and "+12,3" not in html
    # the pooled row of B minus the shown B rows must not give the 7 away: another B figure is suppressed too
    # (which one is up to the joint disclosure control: a combination, 'overige combinaties' or the pool)
    b = inhoud.tellingen.get("effecten")
    rijen_b = (b.tabel.categorie == "B").to_numpy()
    assert b.onderdrukt["n_deelnemers"].to_numpy()[rijen_b].sum() >= 2
    effecten = next(s for s in inhoud.secties if s.anker == "effecten")
    tabel = effecten.tabellen[0].frame
    assert "alle instrumenten samen, categorie B" in set(tabel["instrument en categorie"])
    # shown: every row whose participants are not suppressed (combinations, 'overige combinaties', pools)
    assert len(tabel) == int((~b.onderdrukt["n_deelnemers"]).sum())
    assert "minder dan 10 deelnemers rusten: 1" in effecten.alineas[0]


def test_rapport_vertelt_de_waarheid(run):
    """Headline attributable share and the effects shown agree with truth.json within their CIs.

    The target is the *expected* truth of the realised participants (``*_verwacht``: exact from the true
    hazards), which is what an interval is for; the realised truth also carries the noise of the
    participants' own unseen Y0 draws. With 18 cells at nominal 95% (B = 40, a little less), 14 or more
    covered fails with probability < 1% when the intervals are right (binomial).
    """
    base, res = run
    truth = json.loads((base / "data" / "truth.json").read_text())
    p = res.populatie[res.populatie.maat == "toerekenbaar_aandeel"].iloc[0]
    assert p.ci_laag <= truth["populatie"]["toerekenbaar_aandeel_verwacht"] <= p.ci_hoog
    att = res.effecten[(res.effecten.maat == "att") & (res.effecten.horizon == 12) & (res.effecten.methode == "gformule")
                       & (res.effecten.instrument != "alle") & (res.effecten.uitkomst == "werk")]
    gedekt = [r.ci_laag <= truth["effecten"][r.instrument][r.categorie]["att_verwacht"][11] <= r.ci_hoog for r in att.itertuples()]
    assert len(gedekt) == 18
    assert sum(gedekt) >= 14, f"{sum(gedekt)} of 18 intervals cover the true ATT(12)"
    html = res.rapport.read_text(encoding="utf-8")
    assert f"{100 * p.schatting:.1f}".replace(".", ",") + "%" in html


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium niet geinstalleerd (.ci/run installeert het)")
def test_rapport_laadt_in_chromium_zonder_externe_verzoeken(run, tmp_path):
    _, res = run
    b = open_in_chromium(res.rapport, tmp_path / "rapport.png")
    assert b.mislukt == [] and b.console_fouten == []
    assert all(u.startswith(("file:", "data:")) for u in b.verzoeken)
    assert len(b.afbeeldingen) >= 7 and all(w > 0 for w in b.afbeeldingen)


def test_cli_rapport_config_fouten(tmp_path):
    slecht = tmp_path / "x.toml"
    slecht.write_text('[evaluatie]\ngemeenten = ["Etten-Leur"]\n[data]\nmap = "d"\n')
    r = CliRunner().invoke(main, ["rapport", str(slecht), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "GM0777" in r.output and "x.toml" in r.output
    with pytest.raises(ConfigFout, match="vergelijkingsgroep"):
        (tmp_path / "y.toml").write_text('[evaluatie]\ngemeenten = ["GM0777"]\n[data]\nmap = "d"\n[benchmark]\nvergelijkingsgroep = "budget"\n')
        lees_config(tmp_path / "y.toml")
    (tmp_path / "z.toml").write_text('[evaluatie]\ngemeenten = ["GM0777"]\n[data]\nmap = "bestaatniet"\n')
    r = CliRunner().invoke(main, ["rapport", str(tmp_path / "z.toml"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "bestaat niet" in r.output
