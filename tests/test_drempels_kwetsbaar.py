"""One threshold, one label: the report shows the estimator's kwetsbaar label, never one of its own."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie import drempels
from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten.gevoeligheid import kwetsbaar
from evaluatie.effecten.voorbeeld import simuleer_persoonmaanden
from evaluatie.rapport.secties.effectcellen import effectcellen
from evaluatie.rapport.secties.effecten import KWETSBAAR_KOLOM, _alineas, deadweighttabel
from evaluatie.rapport.secties.opmaak import celnaam


def _cfg():
    from evaluatie.config import Evaluatieconfig

    return Evaluatieconfig(naam="t", data=".", gemeenten=("GM0001",))


def test_een_drempel_voor_schatter_en_standaard():
    assert Effectconfig().e_drempel == drempels.KWETSBAAR_E == 2.0
    assert Effectconfig().min_deelnemers == drempels.MIN_DEELNEMERS
    # between the old report threshold (1.5) and the estimator's (2.0): kwetsbaar by the one rule
    assert kwetsbaar(1.7) and not kwetsbaar(2.1)


def _effecten_hand(e_ci: list[float], label: list[bool]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two cells of 60 participants with known E-values; the labels deliberately as the estimator set them."""
    rows = []
    for ins in ("jobcoaching", "scholing"):
        for h in (12, 24):
            rows.append((ins, "B", "werk", "att", h, 0.05, 0.01, 0.01, 0.09, 60, 20, "gformule", ""))
    eff = pd.DataFrame(rows, columns=["instrument", "categorie", "uitkomst", "maat", "horizon", "schatting", "se",
                                      "ci_laag", "ci_hoog", "n_deelnemers", "n_gebeurtenissen", "methode", "vlag"])
    gev = pd.DataFrame({"instrument": ["jobcoaching", "scholing"], "categorie": ["B", "B"], "horizon": [12, 12],
                        "e_waarde": [2.5, 3.0], "e_waarde_ci": e_ci, "kwetsbaar": label})
    return eff, gev


def test_rapport_telt_het_label_van_de_schatter():
    # E-limit 1.7: kwetsbaar at 2.0 (the estimator), not at 1.5 (what the report used to recompute)
    eff, gev = _effecten_hand([1.7, 2.6], [True, False])
    c = effectcellen(eff, horizonnen=(12, 24), drempel=10, gevoeligheid=gev)
    zin = next(a for a in _alineas(c, _cfg()) if a.startswith("Gevoeligheid"))
    assert zin.startswith("Gevoeligheid (E-waarde): voor 1 van de 2 combinaties")
    assert "kleiner dan 2,0" in zin
    tab = deadweighttabel(c).set_index("instrument en categorie")
    assert tab.loc[celnaam("jobcoaching", "B"), KWETSBAAR_KOLOM] == "ja"
    assert tab.loc[celnaam("scholing", "B"), KWETSBAAR_KOLOM] == "nee"


def test_rapport_volgt_label_ook_als_het_afwijkt_van_een_eigen_regel():
    """The report must not recompute: a label the estimator set (e.g. with another e_drempel) is shown as is."""
    eff, gev = _effecten_hand([3.5, 1.2], [True, False])  # labels opposite to the default rule
    c = effectcellen(eff, horizonnen=(12, 24), drempel=10, gevoeligheid=gev)
    tab = deadweighttabel(c).set_index("instrument en categorie")
    assert tab.loc[celnaam("jobcoaching", "B"), KWETSBAAR_KOLOM] == "ja"
    assert tab.loc[celnaam("scholing", "B"), KWETSBAAR_KOLOM] == "nee"


@pytest.fixture(scope="module")
def geschat():
    v = simuleer_persoonmaanden(3, 3000)
    return schat_effecten(v.persoonmaanden, Effectconfig(bootstrap=8, seed=2))


def test_kwetsbaar_gelijk_in_gevoeligheid_csv_en_rapport(geschat, tmp_path):
    """Acceptance (issue 15): the kwetsbaar label of every cell is the same in gevoeligheid.csv and in the report."""
    pad = tmp_path / "gevoeligheid.csv"
    geschat.gevoeligheid.to_csv(pad, index=False, float_format="%.10g", lineterminator="\n")
    gev = pd.read_csv(pad)
    c = effectcellen(geschat.to_frame(), horizonnen=(12, 24), drempel=10, gevoeligheid=gev)
    tab = deadweighttabel(c)
    getoond = dict(zip(tab["instrument en categorie"], tab[KWETSBAAR_KOLOM]))
    assert len(getoond) >= 3
    verwacht = {celnaam(i, k): ("ja" if bool(w) else "nee") for i, k, w in zip(gev.instrument, gev.categorie, gev.kwetsbaar)}
    for cel, label in getoond.items():
        assert label == verwacht[cel], cel
    # and the count in the text is the count of labelled cells among the shown ones
    zin = next(a for a in _alineas(c, _cfg()) if a.startswith("Gevoeligheid"))
    t = c.cellen
    n_kw = int(sum(verwacht[celnaam(i, k)] == "ja" for i, k, e in zip(t.instrument, t.categorie, t.e_waarde_ci)
                   if np.isfinite(e)))
    assert f"voor {n_kw} van de {int(np.isfinite(t.e_waarde_ci).sum())} combinaties" in zin


def test_naief_min_att_komt_uit_de_schatter_met_interval():
    eff, gev = _effecten_hand([1.7, 2.6], [True, False])
    eff = pd.concat([eff, eff[eff.horizon == 12].assign(maat="naief", methode="naief", schatting=0.30)], ignore_index=True)
    c = effectcellen(eff, horizonnen=(12, 24), drempel=10, gevoeligheid=gev)
    pop = pd.DataFrame({"maat": ["toerekenbaar_aandeel", "naief_min_att_12"], "schatting": [0.02, 0.031],
                        "ci_laag": [0.01, 0.010], "ci_hoog": [0.03, 0.050]})
    zin = [a for a in _alineas(c, _cfg(), pop) if a.startswith("Een gewone vergelijking")]
    assert len(zin) == 1 and "3,1 procentpunt hoger" in zin[0] and "95%-BI 1,0–5,0 procentpunt" in zin[0]
    # without the estimator's number the report says nothing about it (it does not average the cells itself)
    assert not [a for a in _alineas(c, _cfg(), pop.iloc[:1]) if a.startswith("Een gewone vergelijking")]


def test_schatter_levert_naief_min_att_met_bi(geschat):
    p = geschat.populatie.set_index("maat")
    e = geschat.effecten
    for h in (12, 24):
        r = p.loc[f"naief_min_att_{h}"]
        cel = e[(e.horizon == h) & (e.instrument != "alle") & (e.categorie != "alle") & (e.methode != "risicoset")]
        w = cel.pivot_table(index=["instrument", "categorie"], columns="maat", values="schatting")
        w = w[w.naief.notna()]
        assert r.schatting == pytest.approx(float((w.naief - w.att).mean()))
        assert r.ci_laag <= r.schatting <= r.ci_hoog and r.se > 0
