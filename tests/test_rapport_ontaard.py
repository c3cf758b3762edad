"""Degenerate data must not produce confident conclusions (issue 14 family 9).

With no exits to work at all every effect is 0 with an interval of zero width: that proves nothing and
must read 'niet te beoordelen', never 'aantoonbaar'. Without bootstrap there are no intervals at all:
the report says so instead of crashing.
"""
from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.secties import bouw_inhoud
from evaluatie.rapport.secties.opmaak import aantoonbaar, aantoonbaar_kort, bi


def _tekst(inh) -> str:
    delen = list(inh.conclusies) + [" ".join(k.__dict__.values()) for k in inh.kernindicatoren]

    def sectie(s):
        delen.extend(s.alineas)
        for t in s.tabellen:
            delen.extend(t.frame.astype(str).to_numpy().ravel().tolist())
        for sub in s.subsecties:
            sectie(sub)
    for s in inh.secties:
        sectie(s)
    return " ".join(delen)


def test_interval_zonder_breedte_is_niet_te_beoordelen():
    for lo, hi in ((0.0, 0.0), (-1e-17, -1e-17), (0.05, 0.05)):
        assert aantoonbaar(lo, hi).startswith("niet te beoordelen") and "geen breedte" in aantoonbaar(lo, hi)
        assert aantoonbaar_kort(lo, hi) == "niet te beoordelen"
    assert aantoonbaar(-0.02, -0.01) == "aantoonbaar negatief"  # a real interval keeps its verdict
    assert aantoonbaar(np.nan, np.nan).startswith("niet te beoordelen")
    assert bi(np.nan, np.nan) == "geen 95%-BI berekend" and bi(pd.NA, 0.1) == "geen 95%-BI berekend"


def _eff(lo: float, hi: float, ci: bool = True) -> pd.DataFrame:
    rows = []
    for ins, cat, n in (("jobcoaching", "B", 60), ("arbeidstraining", "C", 80), ("alle", "B", 60), ("alle", "C", 80),
                        ("alle", "alle", 140)):
        for h in (6, 12):
            rows.append(dict(instrument=ins, categorie=cat, uitkomst="werk", maat="att", horizon=h, schatting=0.0,
                             se=0.0 if ci else np.nan, ci_laag=lo if ci else np.nan, ci_hoog=hi if ci else np.nan,
                             n_deelnemers=n, n_gebeurtenissen=0, methode="gformule", vlag=""))
    return pd.DataFrame(rows)


def _cfg(**kw) -> Evaluatieconfig:
    return Evaluatieconfig(naam="Toets", data=Path("x"), gemeenten=("GM0777",), horizonnen=(6, 12), **kw)


POP = pd.DataFrame({"maat": ["toerekenbaar_aandeel", "uitstroom_werk"], "schatting": [0.0, 0.0],
                    "ci_laag": [0.0, 0.0], "ci_hoog": [0.0, 0.0], "n_clienten": [400, 400]})


@pytest.mark.parametrize("grens", [0.0, -1e-17])
def test_geen_uitstroom_naar_werk_geen_aantoonbaar(grens, monkeypatch):
    monkeypatch.setattr("evaluatie.rapport.secties.effecten._figuren", lambda c, cfg: [])
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=_eff(grens, grens), populatie=POP)
    tekst = _tekst(inh)
    assert "aantoonbaar negatief voor 0" not in tekst or "aantoonbaar negatief voor 1" not in tekst
    for zin in ("is het effect aantoonbaar negatief", "effect aantoonbaar positief.", "Aantoonbaar negatief:"):
        assert zin not in tekst
    assert "Gemiddeld over alle deelnemers is het effect niet te beoordelen" in tekst
    assert "ligt aantoonbaar onder de bovengrens" not in tekst  # the share 0 (0–0) says nothing against Best


def test_zonder_bootstrap_geen_intervallen_wel_een_rapport(monkeypatch):
    monkeypatch.setattr("evaluatie.rapport.secties.effecten._figuren", lambda c, cfg: [])
    pop = POP.assign(schatting=[0.1, 50.0], ci_laag=pd.NA, ci_hoog=pd.NA)
    inh = bouw_inhoud(_cfg(bootstrap=0), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=_eff(0, 0, ci=False).assign(schatting=0.03), populatie=pop)
    tekst = _tekst(inh)
    assert "geen 95%-BI berekend" in tekst and "aantoonbaar positief" not in tekst
    assert "Er is geen betrouwbaarheidsinterval berekend" in tekst


@pytest.mark.slow
def test_gesimuleerd_zonder_uitstroom_naar_werk(tmp_path):
    """A simulated population whose exits are all to something else than work: nothing is 'aantoonbaar'."""
    from evaluatie.config import lees_config
    from evaluatie.pijplijn import voer_uit
    from evaluatie.simulatie import schrijf, simuleer

    data = tmp_path / "data"
    schrijf(simuleer(seed=3, n_clienten=400), data)
    u = pd.read_csv(data / "uitkeringen.csv", dtype=str, keep_default_na=False)
    assert (u.uitstroomreden == "werk").any()
    u.loc[u.uitstroomreden == "werk", "uitstroomreden"] = "overig"
    u.to_csv(data / "uitkeringen.csv", index=False)
    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as f:
        cfg = lees_config(f)
    cfg = dataclasses.replace(cfg, data=data, simuleer=False, bootstrap=5)
    res = voer_uit(cfg, tmp_path / "uit")
    html = res.rapport.read_text(encoding="utf-8")
    assert "aantoonbaar negatief" not in html.replace("aantoonbaar negatief voor 0", "")
    assert "aantoonbaar positief" not in html.replace("aantoonbaar positief voor 0", "")
    assert "niet te beoordelen" in html
