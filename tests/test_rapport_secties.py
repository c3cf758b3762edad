"""Report content (evaluatie.rapport.secties): headline numbers follow the inputs, disclosure holds in
tables and figure data, careful wording for intervals that contain 0, deterministic rendering, and
missing stages are reported instead of crashing. All inputs are small hand-made frames."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmark_data import simuleer_gemeenten
from evaluatie.benchmark import benchmark
from evaluatie.config import Evaluatieconfig
from evaluatie.rapport import figuren as ef
from evaluatie.rapport.html import render_html
from evaluatie.rapport.secties import bouw_inhoud
from evaluatie.rapport.secties.effectcellen import bosdata, effectcellen, verloopdata
from evaluatie.rapport.secties.opmaak import aantoonbaar, bi, getal, pct

DREMPEL = 10


def _cel(ins, cat, n, att12, lo12, hi12, *, vlag="", methode="gformule"):
    """One cell: att/cif over 1..24 months (linear up to 12, flat after), naief/deadweight/toerekenbaar at 12, 24."""
    rows = []
    basis = dict(instrument=ins, categorie=cat, uitkomst="werk", n_deelnemers=n, n_gebeurtenissen=n // 3, vlag=vlag)
    for h in range(1, 25):
        f = min(h, 12) / 12
        a = att12 * f
        rows.append({**basis, "maat": "att", "horizon": h, "schatting": a, "se": (hi12 - lo12) / 3.92 * f,
                     "ci_laag": a - (att12 - lo12) * f, "ci_hoog": a + (hi12 - att12) * f, "methode": methode})
        rows.append({**basis, "maat": "cif_deelnemers", "horizon": h, "schatting": 0.02 * h + a, "se": 0.01,
                     "ci_laag": 0.02 * h + a - 0.02, "ci_hoog": 0.02 * h + a + 0.02, "methode": methode})
        rows.append({**basis, "maat": "cif_controle", "horizon": h, "schatting": 0.02 * h, "se": 0.01,
                     "ci_laag": 0.02 * h - 0.02, "ci_hoog": 0.02 * h + 0.02, "methode": methode})
    for h in (12, 24):
        rows.append({**basis, "maat": "naief", "horizon": h, "schatting": att12 + 0.08, "se": 0.01,
                     "ci_laag": att12 + 0.06, "ci_hoog": att12 + 0.10, "methode": "naief", "vlag": ""})
        rows.append({**basis, "maat": "deadweight", "horizon": h, "schatting": 0.7, "se": 0.05, "ci_laag": 0.6,
                     "ci_hoog": 0.8, "methode": methode})
        rows.append({**basis, "maat": "toerekenbaar", "horizon": h, "schatting": 0.3, "se": 0.05, "ci_laag": 0.2,
                     "ci_hoog": 0.4, "methode": methode})
    return rows


def _effecten() -> pd.DataFrame:
    return pd.DataFrame(
        _cel("jobcoaching", "B", 120, 0.062, 0.021, 0.103)                       # largest, CI > 0
        + _cel("arbeidstraining", "C", 80, -0.015, -0.050, 0.020)                 # smallest, CI contains 0
        + _cel("beschut_werk", "C", 7, 0.200, 0.100, 0.300)                       # n < drempel: never shown
        + _cel("praktijkovereenkomst", "A", 40, 0.300, 0.250, 0.350, vlag="slechte overlap")  # flagged
        + _cel("alle", "alle", 247, 0.03, 0.01, 0.05))                            # pooled row


POPULATIE = pd.DataFrame({"maat": ["toerekenbaar_aandeel"], "schatting": [0.123], "ci_laag": [0.081],
                          "ci_hoog": [0.165], "n_uitstroom_werk": [812]})


@pytest.fixture(scope="module")
def bm_etten_leur():
    return benchmark(simuleer_gemeenten(n=30), gemeente="GM0777", methoden=("buig", "structureel"), k=10)


@pytest.fixture(scope="module")
def standaard(bm_etten_leur):
    """The default content, built once (figures are the slow part)."""
    return _inhoud(bm_etten_leur)


def _cfg(gemeente="GM0777") -> Evaluatieconfig:
    return Evaluatieconfig(naam="Testevaluatie", data=Path("invoer"), gemeenten=(gemeente,), drempel=DREMPEL)


def _inhoud(bm, *, effecten=None, populatie=POPULATIE, cfg=None, **kw):
    rec = pd.DataFrame({"tabel": ["clienten", "uitkeringen"], "gelezen": [500, 800], "geaccepteerd": [497, 800],
                        "afgekeurd": [3, 0]})
    tel = pd.DataFrame({"tabel": ["clienten", "uitkeringen"], "regel": ["datum_in_toekomst", "type"], "aantal": [3, 25]})
    return bouw_inhoud(cfg or _cfg(), manifest={"seed": 1}, reconciliatie=rec, bevindingen_telling=tel, benchmark=bm,
                       effecten=_effecten() if effecten is None else effecten, populatie=populatie, **kw)


def _alle_tekst(inh) -> str:
    """Every string of the content: conclusions, cards, paragraphs, table cells (figures excluded)."""
    delen = list(inh.conclusies) + [" ".join(k.__dict__.values()) for k in inh.kernindicatoren]

    def sectie(s):
        delen.extend(s.alineas)
        for t in s.tabellen:
            delen.append(t.titel + " " + t.noot + " " + t.frame.to_csv(index=False))
        for f in s.figuren:
            delen.append(f.titel + " " + f.alt + " " + f.noot)
        for sub in s.subsecties:
            sectie(sub)

    for s in inh.secties:
        sectie(s)
    return "\n".join(delen)


# -- formatting --------------------------------------------------------------------------------------
def test_nederlandse_getallen():
    assert getal(1234.56) == "1.234,6"
    assert pct(0.278) == "27,8%"
    assert getal(-0.015 * 100, 1) == "\u22121,5"
    assert getal(0.04, 1, teken=True) == "0,0"  # rounds to zero: no sign
    assert bi(0.081, 0.165, schaal=100, eenheid="%") == "95%-BI 8,1–16,5%"
    assert bi(-0.05, 0.02, schaal=100) == "95%-BI \u22125,0 tot 2,0"


def test_interval_met_nul_is_niet_aantoonbaar():
    assert aantoonbaar(-0.05, 0.02).startswith("niet aantoonbaar")
    assert aantoonbaar(0.01, 0.02) == "aantoonbaar positief"
    assert aantoonbaar(-0.03, -0.01) == "aantoonbaar negatief"
    assert aantoonbaar(np.nan, 0.1).startswith("niet te beoordelen")


# -- headline ----------------------------------------------------------------------------------------
def test_kernzinnen_volgen_de_invoer(bm_etten_leur, standaard):
    inh = standaard
    concl = "\n".join(inh.conclusies)
    assert ("12,3% (95%-BI 8,1–16,5%) van de uitstroom naar werk is toe te rekenen aan de inzet van instrumenten "
            "(n = 812 uitstromers naar werk)") in concl
    assert "onder de bovengrens van ca. 45%" in concl  # 16,5% < 45%
    kaarten = {k.naam: k for k in inh.kernindicatoren}
    t = kaarten["Uitstroom naar werk toe te rekenen aan instrumenten"]
    assert t.waarde == "12,3%" and "8,1–16,5%" in t.onzekerheid and "45%" in t.vergelijking
    # largest / smallest unflagged, shown cell at 12 months (flagged praktijkovereenkomst +30 pp is skipped)
    groot = kaarten["Grootste netto effect na 12 maanden"]
    assert groot.waarde == "+6,2 procentpunt" and "2,1–10,3" in groot.onzekerheid and "n = 120" in groot.onzekerheid
    assert "Jobcoaching, categorie B" in groot.vergelijking and "aantoonbaar positief" in groot.lezing
    klein = kaarten["Kleinste netto effect na 12 maanden"]
    assert klein.waarde == "\u22121,5 procentpunt" and "Arbeidstraining, categorie C" in klein.vergelijking
    cellen = kaarten["Combinaties instrument × categorie"]
    assert cellen.waarde == "3 getoond" and "1 gevlagd" in cellen.onzekerheid and "1 weggelaten" in cellen.onzekerheid
    # % of norm: the value and the group mean are the benchmark's own numbers for 2019
    g = bm_etten_leur.gevoeligheid
    r = g[(g.indicator == "pct_norm") & (g.jaar == 2019) & (g.methode == "buig")].iloc[0]
    norm = kaarten["Uitkeringen in % van de norm (2019)"]
    assert norm.waarde == getal(r.waarde, 1) + "%"
    assert getal(r.groep_gemiddelde, 1) + "%" in norm.vergelijking
    assert ("significant" in norm.lezing)


def test_bovengrens_best_binnen_interval_is_niet_aantoonbaar_anders(bm_etten_leur):
    pop = POPULATIE.assign(schatting=0.42, ci_laag=0.30, ci_hoog=0.55)
    concl = "\n".join(_inhoud(bm_etten_leur, populatie=pop).conclusies)
    assert "42,0% (95%-BI 30,0–55,0%)" in concl and "niet aantoonbaar anders dan de bovengrens van ca. 45%" in concl


def test_interval_met_nul_geeft_niet_aantoonbaar_in_conclusie(standaard):
    concl = [c for c in standaard.conclusies if c.startswith("Kleinste")]
    assert len(concl) == 1
    assert "Arbeidstraining" in concl[0] and "niet aantoonbaar" in concl[0] and "\u22125,0 tot 2,0" in concl[0]


# -- disclosure ---------------------------------------------------------------------------------------
def test_cel_onder_drempel_nergens_zichtbaar(bm_etten_leur, monkeypatch):
    gezien: list[pd.DataFrame] = []
    for naam in ("bosfiguur", "verloopfiguur", "cif_figuur"):
        echt = getattr(ef, naam)

        def vang(df, *a, _echt=echt, **k):
            gezien.append(df.copy())
            return _echt(df, *a, **k)

        monkeypatch.setattr(ef, naam, vang)
    inh = _inhoud(bm_etten_leur)
    assert len(gezien) == 3 and all(len(d) for d in gezien)
    for d in gezien:
        assert "beschut_werk" not in set(d.instrument), d
        assert "alle" not in set(d.instrument)
    tekst = _alle_tekst(inh)
    assert "Beschut werk" not in tekst and "beschut" not in tekst.lower()
    html = render_html(inh)
    assert "beschut" not in html.lower()
    # the small cell is counted, not named
    assert "minder dan 10 deelnemers rusten: 1" in tekst


def test_effectcellen_onderdrukt_en_telt():
    c = effectcellen(_effecten(), horizonnen=(12, 24), drempel=DREMPEL)
    assert c.n_onderdrukt == 1 and c.n_gevlagd == 1 and c.horizon == 12
    assert set(c.tabel.instrument) == {"jobcoaching", "arbeidstraining", "praktijkovereenkomst", "alle"}
    assert c.tabel.n_deelnemers.min() >= DREMPEL
    assert c.tabel.set_index("instrument").loc["jobcoaching", "att_12"] == pytest.approx(0.062)
    assert set(bosdata(c).horizon) == {12, 24}
    att, cif = verloopdata(c)
    assert "beschut_werk" not in set(att.instrument) | set(cif.instrument)
    # a cell is suppressed on its smallest n: one row below the threshold hides the whole cell
    e = _effecten()
    e.loc[(e.instrument == "jobcoaching") & (e.horizon == 24) & (e.maat == "att"), "n_deelnemers"] = 5
    c2 = effectcellen(e, horizonnen=(12, 24), drempel=DREMPEL)
    assert "jobcoaching" not in set(c2.tabel.instrument) and "jobcoaching" not in set(c2.lang.instrument)


def test_curves_worden_geknipt(bm_etten_leur, monkeypatch):
    gezien = []
    echt = ef.uitstroomfiguur
    monkeypatch.setattr(ef, "uitstroomfiguur", lambda df: (gezien.append(df.copy()), echt(df))[1])
    t = np.arange(0, 30.0)
    curves = pd.DataFrame({"group": "C", "time": t, "n_risk": 40 - t.astype(int) * 2, "estimate": t / 100,
                           "ci_lower": t / 100 - 0.01, "ci_upper": t / 100 + 0.01})
    _inhoud(bm_etten_leur, uitstroom_curves=curves)
    assert len(gezien) == 1
    assert gezien[0].n_risk.min() >= DREMPEL and gezien[0].time.max() == 15  # 40 - 2*16 = 8 < 10 from t = 16


def test_kleine_aantallen_in_recordstroom_onderdrukt(standaard):
    inh = standaard
    data = next(s for s in inh.secties if s.anker == "data")
    stroom = data.tabellen[0].frame.set_index("tabel")
    assert stroom.loc["clienten", "afgekeurd"] == "<10" and stroom.loc["clienten", "geaccepteerd"] == "<10"
    assert "497" not in _alle_tekst(inh)  # 500 - 497 would give the 3 rejected rows away
    redenen = data.tabellen[1].frame.set_index("regel")
    assert redenen.loc["datum_in_toekomst", "aantal"] == "<10" and redenen.loc["type", "aantal"] == "25"
    assert any("Geen enkele gepubliceerde cel beschrijft minder dan 10 personen" in a for a in data.alineas)


# -- benchmark ----------------------------------------------------------------------------------------
def test_noot_114_113_alleen_voor_etten_leur(standaard, monkeypatch):
    bm = next(s for s in standaard.secties if s.anker == "benchmark")
    noot = bm.tabellen[0].noot
    assert "114%" in noot and "113%" in noot and "673 / 593" in noot
    rij_2015 = bm.tabellen[0].frame.set_index("jaar").loc["2015"]
    assert rij_2015["in % van de norm"] == "113,5%"
    from evaluatie.rapport.secties import benchmark as sb

    monkeypatch.setattr(sb, "_figuren", lambda bm: ([], []))  # only the table matters here
    ander = benchmark(simuleer_gemeenten(n=30), gemeente="GM1003", methoden=("buig",), k=10)
    s = sb.sectie_benchmark(ander, _cfg("GM1003"))
    assert s.tabellen[0].titel.startswith("Gemeente GM1003") and "114%" not in s.tabellen[0].noot


def test_college_bezwaar_en_gevoeligheid_in_benchmark(standaard):
    bm = next(s for s in standaard.secties if s.anker == "benchmark")
    tekst = " ".join(bm.alineas)
    assert "omvang van de gemeente" in tekst
    assert len(bm.figuren) == 5
    gev = next(t for t in bm.tabellen if t.titel.startswith("Hangt het oordeel"))
    assert set(gev.frame.vergelijkingsgroep.str.split(" ").str[0]) == {"vergelijkbaar", "structureel"}


# -- effect chapter -----------------------------------------------------------------------------------
def test_effecttabel_naief_naast_gecorrigeerd_en_literatuur_extern(bm_etten_leur):
    gev = pd.DataFrame({"instrument": ["jobcoaching", "arbeidstraining"], "categorie": ["B", "C"], "horizon": [12, 12],
                        "e_waarde": [1.9, 1.2], "e_waarde_ci": [1.3, 1.0]})
    s = next(s for s in _inhoud(bm_etten_leur, gevoeligheid=gev).secties if s.anker == "effecten")
    t = s.tabellen[0].frame.set_index("instrument en categorie")
    r = t.loc["Jobcoaching, categorie B"]
    assert r["effect 12 mnd, procentpunt (95%-BI)"] == "+6,2 (2,1–10,3)"
    assert r["naïef verschil 12 mnd"] == "+14,2 (12,2–16,2)"
    assert r["deelnemers (n)"] == "120"
    assert t.loc["Arbeidstraining, categorie C", "oordeel 12 mnd"].startswith("niet aantoonbaar")
    dw = s.tabellen[1].frame.set_index("instrument en categorie")
    assert dw.loc["Jobcoaching, categorie B", "deadweight 12 mnd (95%-BI)"] == "70,0% (60,0–80,0%)"
    assert dw.loc["Jobcoaching, categorie B", "E-waarde (schatting / grens BI)"] == "1,90 / 1,30"
    lit = s.tabellen[2].frame
    assert set(lit.herkomst) == {"extern"} and "Beschut werk" not in set(lit.instrument)
    tekst = " ".join(s.alineas)
    assert "geen niet-waargenomen verschillen" in tekst and "E-waarde" in tekst
    assert "voor 2 van de 2 combinaties" in tekst  # both E-values of the CI bound < 1,5


# -- rendering & missing stages ------------------------------------------------------------------------
def test_render_twee_keer_identiek(bm_etten_leur, standaard):
    a = render_html(standaard)
    b = render_html(_inhoud(bm_etten_leur))
    assert a == b
    assert "<script" not in a and not re.search(r"""(src|href)\s*=\s*["'](?!data:|#)""", a)
    assert a.count('id="samenvatting"') == 1


def test_zonder_effecten_en_benchmark(tmp_path):
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None, effecten=None,
                      populatie=None)
    secties = {s.anker: s for s in inh.secties}
    assert "geen gemeentetabel" in secties["benchmark"].alineas[0]
    assert "geen effectschattingen" in secties["effecten"].alineas[0]
    assert any("Niet in dit rapport" in a for a in secties["samenvatting"].alineas)
    html = render_html(inh)
    assert "Managementsamenvatting" in html


def test_alleen_kleine_cellen(bm_etten_leur):
    e = _effecten()
    e = e[e.instrument == "beschut_werk"]
    inh = _inhoud(bm_etten_leur, effecten=e)
    s = next(s for s in inh.secties if s.anker == "effecten")
    assert "minder dan 10 deelnemers" in s.alineas[0] and not s.tabellen and not s.figuren
    assert "beschut" not in render_html(inh).lower()


def test_per_gemeente_onderdrukt_kleine_aantallen(bm_etten_leur):
    lokaal = {"GM0777": pd.DataFrame({"indicator": ["deelnemers jobcoaching", "deelnemers beschut werk"],
                                      "aantal": [120, 4]})}
    s = next(s for s in _inhoud(bm_etten_leur, per_gemeente=lokaal).secties if s.anker == "gemeenten")
    f = s.tabellen[-1].frame
    assert list(f.aantal) == ["120", "<10"] and "Etten-Leur" in s.tabellen[-1].titel
