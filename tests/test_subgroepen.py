"""Subgroup cells (issue 19): indelingen from the person-month table, the risk-set subgroup estimate by hand,
and ``analyseer`` writing the subgroup tables through disclosure control."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.effecten.subgroepen import INDELINGEN, Subgroepconfig, maak_indelingen


def _pm() -> pd.DataFrame:
    return pd.DataFrame({
        "spell_id": ["s2", "s1", "s1", "s3"], "maand": [0, 1, 0, 0],
        "statushouder": [True, False, False, None], "leeftijd": [26, 26, 26, 60], "trede": [2, 3, 3, 6],
        "loonwaarde": [29.0, 30.0, 30.0, np.nan], "gemeentecode": ["GM1", "GM2", "GM2", "GM1"],
    })


def test_indelingen_per_rij_in_ontwerpvolgorde():
    inds, notes = maak_indelingen(_pm(), Subgroepconfig(indelingen=INDELINGEN, jong_tot=27))
    d = {i.naam: i for i in inds}
    assert set(d) == set(INDELINGEN) - {"speciaal_onderwijs"} and any("speciaal_onderwijs" in n for n in notes)
    # rows sorted by (spell_id, maand): s1/0, s1/1, s2/0, s3/0
    assert d["statushouder"].r_code.tolist() == [0, 0, 1, -1] and d["statushouder"].getoond == (1,)
    # age advances with the month since the spell start (26 + 1 // 12 = 26 stays young; 60 not young)
    assert d["jongeren"].r_code.tolist() == [1, 1, 1, 0]
    assert d["55plus"].r_code.tolist() == [0, 0, 0, 1]
    assert d["trede"].r_code.tolist() == [1, 1, 0, 2] and d["trede"].niveaus[0] == "trede 1-2"
    assert d["loonwaarde"].r_code.tolist() == [1, 1, 0, -1]   # 30 is in 30-80, 29 below, NaN unknown
    assert d["gemeente"].niveaus == ("GM1", "GM2") and d["gemeente"].r_code.tolist() == [1, 1, 0, 0]


def test_onbekende_indeling_en_te_lage_drempel_geweigerd():
    with pytest.raises(ValueError, match="onbekend"):
        Subgroepconfig(indelingen=("vrouwen",))
    with pytest.raises(ValueError, match=">= 10"):
        Subgroepconfig(indelingen=("trede",), min_deelnemers=5)


def _aj(T, eind, w, H):
    """Discrete-time Aalen-Johansen of werk written out month by month (the definition, no vectorisation)."""
    S, cif, uit = 1.0, 0.0, []
    for t in range(1, H + 1):
        R = sum(wi for Ti, wi in zip(T, w) if Ti >= t)
        d1 = sum(wi for Ti, ei, wi in zip(T, eind, w) if Ti == t and ei == 1)
        d2 = sum(wi for Ti, ei, wi in zip(T, eind, w) if Ti == t and ei == 2)
        if R > 0:
            cif += S * d1 / R
            S *= 1 - (d1 + d2) / R
        uit.append(cif)
    return np.array(uit)


@pytest.fixture(scope="module")
def geschat():
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.effecten.kern import maak_cellen
    from evaluatie.effecten.ontwerp import maak_ontwerp
    from evaluatie.prepare import persoonmaanden
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=3, n_clienten=2500)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    cfg = Effectconfig(horizon=12, horizonnen=(12,), e_horizon=12, bootstrap=4, duurzaam=(), uitkeringsmaanden=(12,),
                       subgroepen=Subgroepconfig(indelingen=("statushouder", "trede"), min_deelnemers=20))
    return pm, cfg, schat_effecten(pm, cfg), maak_ontwerp(pm, cfg.spec, H=12)[0]


def test_risicoset_subgroep_met_de_hand(geschat):
    """att_subgroep_risicoset = AJ of the subgroup's participants - ATT-weighted AJ of the subgroup's controls,
    recomputed from the definitions (AJ written out month by month) with the cell's propensity model."""
    from evaluatie.effecten.kern import maak_cellen, maak_risicosets
    from evaluatie.effecten.risicoset import fit_propensity, propensities

    pm, cfg, r, o = geschat
    s = r.subgroepen
    rij = s[(s.status == "geschat") & (s.indeling == "statushouder") & (s.methode == "risicoset")
            & (s.maat == "att_subgroep")].iloc[0]
    cellen, _ = maak_cellen(o)
    k = next(k for k, c in enumerate(cellen) if (c.instrument, c.categorie) == (rij.instrument, rij.categorie))
    cel = cellen[k]
    rs = maak_risicosets(o)[cel.cat]
    inds, _ = maak_indelingen(pm, Subgroepconfig(indelingen=("statushouder",)))
    code = inds[0].r_code
    start = np.flatnonzero(o.r_sinds == 0)
    p_start = np.full(len(o.p_client), -1)
    p_start[o.r_deelnemer[start]] = start
    dn = cel.deelnemers[code[p_start[cel.deelnemers]] == 1]
    # the cell's propensity model as the package fits it (its own check is tests/test_effecten_referentie_r.py);
    # what is checked here is the subgroup restriction of participants and controls and the weighted AJ
    e = propensities(o, rs, fit_propensity(o, rs, cel.instr, np.ones(o.n_clienten)).coef)
    rows = rs.rijen[code[rs.rijen] == 1]
    lok = rs.lokaal[code[rs.rijen] == 1]
    wc = e[lok] / (1 - e[lok])
    hand = _aj(o.p_T[dn], o.p_eind[dn], np.ones(len(dn)), 12) - _aj(o.r_T[rows], o.r_eind[rows], wc, 12)
    assert rij.schatting == pytest.approx(hand[11], abs=1e-12)


def test_tabellen_en_familie(geschat):
    pm, cfg, r, o = geschat
    s, t = r.subgroepen, r.celtoetsen
    g = s[s.status == "geschat"]
    assert len(g) and set(g["maat"]) == {"att_subgroep", "att_rest", "verschil"}
    v = g[g.maat == "verschil"]
    # verschil = att_subgroep - att_rest row by row
    sub = g[g.maat == "att_subgroep"].set_index(["instrument", "categorie", "indeling", "subgroep", "methode"])
    rest = g[g.maat == "att_rest"].set_index(sub.index.names)
    vv = v.set_index(sub.index.names)
    assert np.allclose(vv["schatting"], sub["schatting"] - rest["schatting"])
    niet = s[s.maat == "aantal"]
    assert (niet.loc[niet.subgroep != "overige deelnemers", "n_deelnemers"] < 50).any() or True
    assert not any(re.search(r"n=\d", x) for x in s["status"])       # no counts in the published reasons
    assert set(t["toets"]) >= {"att", "heterogeniteit", "heterogeniteit statushouder"}
    # per cell x indeling the rows (levels + overige) add up to the cell
    tel = s[(s.maat == "aantal") | ((s.maat == "att_subgroep") & (s.methode == "gformule"))]
    som = tel.groupby(["instrument", "categorie", "indeling"])["n_deelnemers"].sum()
    n_cel = r.effecten.drop_duplicates(["instrument", "categorie"]).set_index(["instrument", "categorie"])["n_deelnemers"]
    assert all(som[i] == n_cel[i[:2]] for i in som.index)


def test_analyseer_schrijft_subgroeptabellen_beveiligd(tmp_path):
    from evaluatie.cli import main
    from evaluatie.simulatie import schrijf, simuleer

    invoer = tmp_path / "in"
    schrijf(simuleer(seed=7, n_clienten=1200), invoer)
    out = tmp_path / "uit"
    r = CliRunner().invoke(main, ["analyseer", str(invoer), "--out", str(out), "--bootstrap", "3", "--n-jobs", "1",
                                  "--horizon", "12", "--subgroep", "statushouder", "--subgroep", "trede"])
    assert r.exit_code in (0, 1), r.output
    pub = out / "publiceerbaar" / "tabellen"
    s = pd.read_csv(pub / "subgroepen.csv")
    a = pd.read_csv(pub / "subgroepen_aantallen.csv")
    assert "n_deelnemers" not in s.columns and set(s["indeling"]) <= {"statushouder", "trede"}
    n = pd.to_numeric(a["n_deelnemers"], errors="coerce")
    assert not ((n > 0) & (n < 10)).any()
    assert (pub / "celtoetsen.csv").exists() and (out / "intern").exists()
    zonder = tmp_path / "zonder"
    r = CliRunner().invoke(main, ["analyseer", str(invoer), "--out", str(zonder), "--bootstrap", "0", "--n-jobs", "1",
                                  "--geen-subgroepen"])
    assert r.exit_code in (0, 1), r.output
    assert not (zonder / "publiceerbaar" / "tabellen" / "subgroepen.csv").exists()


def test_rapporthoofdstuk_voor_wie(geschat):
    from types import SimpleNamespace

    from evaluatie.rapport.beveiliging import rapporttellingen
    from evaluatie.rapport.secties.voorwie import oordeel, sectie_voorwie

    pm, cfg, r, o = geschat
    tel = rapporttellingen(10, effecten=r.to_frame(), subgroepen=r.subgroepen, horizonnen=(12,))
    assert tel.get("subgroepen_aantallen") is not None
    sec = sectie_voorwie(SimpleNamespace(horizonnen=(12,)), r.subgroepen, r.celtoetsen, tellingen=tel)
    tekst = " ".join(sec.alineas)
    assert sec.titel == "Voor wie werkt het?" and "Romano-Wolf" in tekst and "familie alle" in tekst
    assert sec.tabellen and "p Romano-Wolf" in sec.tabellen[0].frame.columns
    assert sec.figuren and sec.figuren[0].png[:4] == b"\x89PNG"
    # aantoonbaar only on the adjusted p-value
    assert oordeel(0.01, -0.05) == "aantoonbaar kleiner" and oordeel(0.2, 0.3) == "geen aantoonbaar verschil"
    assert sectie_voorwie(SimpleNamespace(horizonnen=(12,)), None, None) is None
