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
from evaluatie.rapport.secties.samenvatting import kans_op_toeval

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
        + _cel("praktijkovereenkomst", "A", 40, 0.300, 0.250, 0.350, vlag="slechte overlap")  # flagged, largest
        + _cel("sociale_detachering", "B", 30, 0.010, -0.040, 0.060)             # smallest other: secondary suppression
        + _cel("alle", "alle", 277, 0.03, 0.01, 0.05))                            # pooled row = sum of the cells


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
    # no winner's curse: neither the largest (flagged praktijkovereenkomst +30 pp) nor the largest unflagged
    # estimate is headlined; the pooled effect and the cells whose interval excludes 0 are
    assert not any(k.naam.startswith(("Grootste", "Kleinste")) for k in inh.kernindicatoren)
    assert "Grootste" not in concl and "+30,0" not in concl
    pool = kaarten["Netto effect van alle instrumenten samen na 12 maanden"]
    assert pool.waarde == "+3,0 procentpunt" and "1,0–5,0" in pool.onzekerheid and "n = 277" in pool.onzekerheid
    assert "aantoonbaar positief" in pool.lezing
    cellen = kaarten["Combinaties instrument × categorie met een aantoonbaar effect na 12 maanden"]
    assert cellen.waarde == "1 positief, 0 negatief"
    assert "van 2 beoordeelde combinaties" in cellen.onzekerheid and "ongeveer 0,1" in cellen.onzekerheid
    assert "Jobcoaching, categorie B" in cellen.vergelijking and "Arbeidstraining" not in cellen.vergelijking
    assert "1 gevlagd" in cellen.vergelijking and "2 weggelaten" in cellen.vergelijking
    assert "geen bewijs per instrument" in cellen.lezing
    assert "Jobcoaching, categorie B (+6,2 procentpunt, 95%-BI 2,1–10,3; n = 120)" in concl
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
    concl = [c for c in standaard.conclusies if c.startswith("Van de 2 beoordeelde")]
    assert len(concl) == 1
    assert "aantoonbaar positief voor 1 en aantoonbaar negatief voor 0" in concl[0]
    assert "niet aantoonbaar (dat is niet hetzelfde als geen effect)" in concl[0]
    assert "Arbeidstraining" not in concl[0]  # its interval (−5,0 tot 2,0) contains 0


def test_zonder_aantoonbaar_effect_de_nauwkeurigste_cel(bm_etten_leur):
    """No interval excludes 0: say so carefully, and show the most precisely estimated cell, not the largest."""
    e = pd.DataFrame(_cel("jobcoaching", "B", 120, 0.062, -0.010, 0.134)      # largest, wide
                     + _cel("arbeidstraining", "C", 80, -0.015, -0.030, 0.002)  # narrowest interval
                     + _cel("loonkostenvoordeel", "A", 60, 0.020, -0.050, 0.090))
    inh = _inhoud(bm_etten_leur, effecten=e)
    k = next(k for k in inh.kernindicatoren if k.naam.startswith("Combinaties instrument"))
    assert k.waarde == "0 positief, 0 negatief"
    assert "Geen enkel instrument heeft met deze gegevens een aantoonbaar effect" in k.lezing
    assert "niet dat ze geen effect hebben" in k.lezing
    assert "Nauwkeurigst geschat: Arbeidstraining, categorie C (\u22121,5 procentpunt" in k.vergelijking
    assert "Jobcoaching" not in k.vergelijking + k.lezing
    assert not any(x.naam.startswith("Netto effect van alle") for x in inh.kernindicatoren)  # no pooled rows given


def test_kans_op_toeval_binomiaal():
    # P(at least k of m 95% intervals exclude 0 | no effect anywhere), on paper
    assert kans_op_toeval(0, 5) == 1.0
    assert kans_op_toeval(1, 1) == pytest.approx(0.05)
    assert kans_op_toeval(2, 2) == pytest.approx(0.05 ** 2)
    papier = 1 - 0.95 ** 18 - 18 * 0.05 * 0.95 ** 17 - 153 * 0.05 ** 2 * 0.95 ** 16
    assert kans_op_toeval(3, 18) == pytest.approx(papier) and 0.05 < papier < 0.06


def test_veel_aantoonbare_effecten_meer_dan_toeval(bm_etten_leur):
    e = pd.DataFrame(sum((_cel(i, c, 100, 0.05, 0.02, 0.08) for i, c in
                          [("jobcoaching", "B"), ("jobcoaching", "C"), ("arbeidstraining", "C")]), []))
    k = next(k for k in _inhoud(bm_etten_leur, effecten=e).kernindicatoren if k.naam.startswith("Combinaties instrument"))
    assert k.waarde == "3 positief, 0 negatief" and k.lezing.startswith("Meer dan door toeval")


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
    # 277 (pooled) − 120 − 80 − 40 would give the 7 away: the smallest other cell goes too
    assert "sociale detachering" not in html.lower() and all("sociale_detachering" not in set(d.instrument) for d in gezien)
    assert "daarnaast 1 andere" in tekst


def test_effectcellen_onderdrukt_en_telt():
    c = effectcellen(_effecten(), horizonnen=(12, 24), drempel=DREMPEL)
    assert c.n_onderdrukt == 1 and c.n_secundair == 1 and c.n_gevlagd == 1 and c.horizon == 12
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
    assert stroom.loc["cliënten", "afgekeurd"] == "<10" and stroom.loc["cliënten", "geaccepteerd"] == "x"  # partner: shown as x, not as "<10"
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
    assert r["effect 12 mnd (95%-BI)"] == "+6,2 (2,1–10,3)"
    assert r["naïef verschil 12 mnd"] == "+14,2 (12,2–16,2)"
    assert r["deelnemers (n)"] == "120"
    assert t.loc["Arbeidstraining, categorie C", "oordeel 12 mnd"] == "niet aantoonbaar"
    assert t.loc["Jobcoaching, categorie B", "oordeel 12 mnd"] == "aantoonbaar positief"
    assert t.loc["Jobcoaching, categorie B", "vlag"] == "" and t.loc["Praktijkovereenkomst, categorie A", "vlag"] == "slechte overlap"
    dw = s.tabellen[1].frame.set_index("instrument en categorie")
    assert dw.loc["Jobcoaching, categorie B", "deadweight 12 mnd (95%-BI)"] == "70,0% (60,0–80,0%)"
    assert dw.loc["Jobcoaching, categorie B", "E-waarde (schatting / grens BI)"] == "1,90 / 1,30"
    assert "Boven 100%" in s.tabellen[1].noot
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


# -- secondary suppression, counts of events -------------------------------------------------------------
def test_gepoolde_categorie_verraadt_kleine_cel_niet():
    """(alle, B) publishes the sum of the B cells: with one B cell suppressed, the smallest other B cell goes too."""
    e = pd.DataFrame(_cel("jobcoaching", "B", 7, 0.05, 0.01, 0.09) + _cel("arbeidstraining", "B", 50, 0.01, -0.02, 0.04)
                     + _cel("praktijkovereenkomst", "B", 60, 0.02, -0.01, 0.05)
                     + _cel("arbeidstraining", "C", 15, 0.02, -0.01, 0.05)       # other margin: untouched
                     + _cel("alle", "B", 117, 0.02, 0.00, 0.04) + _cel("alle", "C", 15, 0.02, -0.01, 0.05))
    c = effectcellen(e, horizonnen=(12,), drempel=DREMPEL)
    getoond = set(zip(c.tabel.instrument, c.tabel.categorie))
    assert getoond == {("praktijkovereenkomst", "B"), ("arbeidstraining", "C"), ("alle", "B"), ("alle", "C")}
    assert c.n_onderdrukt == 1 and c.n_secundair == 1
    assert set(c.lang.instrument) == {"praktijkovereenkomst", "arbeidstraining", "alle"}
    assert set(zip(c.lang.instrument, c.lang.categorie)) == getoond


def test_uitstroom_aantal_en_complement_onderdrukt():
    """Exits among participants are persons; so are the participants without an exit (n − events)."""
    e = pd.DataFrame(_cel("jobcoaching", "B", 120, 0.05, 0.01, 0.09) + _cel("arbeidstraining", "C", 80, 0.01, -0.02, 0.04))
    e.loc[e.instrument == "jobcoaching", "n_gebeurtenissen"] = 115   # 5 without an exit
    e.loc[e.instrument == "arbeidstraining", "n_gebeurtenissen"] = 6  # 6 with an exit
    c = effectcellen(e, horizonnen=(12,), drempel=DREMPEL)
    assert c.tabel.n_gebeurtenissen.isna().all() and c.tabel.n_gebeurtenissen_onderdrukt.all()
    from evaluatie.rapport.secties.effecten import effecttabel

    # 115 is not small but gives the 5 without an exit away: suppressed as partner ('x'); 6 is small ('<10')
    assert list(effecttabel(c)["naar werk ≤ 12 mnd (n)"]) == ["x", "<10"]


# -- readable tables -------------------------------------------------------------------------------------
def test_gepubliceerde_tabellen_zonder_ruwe_kolomnamen_of_lange_decimalen(standaard):
    def tabellen(s):
        yield from s.tabellen
        for sub in s.subsecties:
            yield from tabellen(sub)

    alle = [t for s in standaard.secties for t in tabellen(s)]
    assert len(alle) >= 8
    for t in alle:
        for k in t.frame.columns:
            assert "_" not in str(k), (t.titel, k)  # no ci_laag, n_deelnemers, gemeentecode ...
        tekst = t.frame.astype(str).to_csv(index=False)
        # no raw floats: a point followed by other than exactly three digits is not a Dutch thousands separator
        assert not re.search(r"\d\.(\d{1,2}|\d{4,})(?!\d)", tekst), t.titel


def test_html_tabel_getallen_rechts_tekst_links_interval_eronder():
    from evaluatie.rapport.html import _tabel_html

    df = pd.DataFrame({"instrument en categorie": ["Jobcoaching, categorie B", "Beschut werk, categorie C"],
                       "deelnemers (n)": ["120", "<10"], "effect (95%-BI)": ["+6,2 (2,1–10,3)", "\u22121,5 (\u22125,0 tot 2,0)"],
                       "oordeel": ["aantoonbaar positief", "niet aantoonbaar"]})
    h = _tabel_html(df)
    assert '<th class="getal">deelnemers (n)</th>' in h and "<th>oordeel</th>" in h and "<th>instrument en categorie</th>" in h
    assert '<td class="getal">&lt;10</td>' in h
    assert '<td class="getal">+6,2<span class="bi">(2,1–10,3)</span></td>' in h
    assert "<td>niet aantoonbaar</td>" in h


# -- data & method, benchmark notes, per gemeente ------------------------------------------------------------
def test_beperking_horizon_voorbij_eind_gegevens_en_analyse_in_recordstroom(standaard):
    from evaluatie.rapport.secties.data import sectie_data

    data = next(s for s in standaard.secties if s.anker == "data")
    zin = next(a for a in data.alineas if a.startswith("Horizon voorbij het eind"))
    # horizons (12, 24), period ending 31-12-2019: starts after 31-12-2017 are not followed for 24 months
    assert "31 december 2017" in zin and "laatste waargenomen kalenderjaar (2019)" in zin and "lange horizon" in zin
    assert "1 januari 2015 tot en met 31 december 2019" in " ".join(data.alineas)
    rec = pd.DataFrame({"tabel": ["clienten", "uitkeringen"], "gelezen": [500, 800], "geaccepteerd": [500, 800],
                        "afgekeurd": [0, 0]})
    pop = POPULATIE.assign(n_clienten=450)
    stroom = sectie_data(rec, None, _cfg(), populatie=pop).tabellen[0].frame.set_index("tabel")
    assert stroom.loc["cliënten", "in de effectanalyse"] == "450" and stroom.loc["uitkeringen", "in de effectanalyse"] == "–"
    # 4 accepted clients left out would be a small count: the analysed number is suppressed (no 'meer dan N',
    # which next to the accepted count gives the 4 away as well)
    s = sectie_data(rec, None, _cfg(), populatie=POPULATIE.assign(n_clienten=496))
    f = s.tabellen[0].frame.set_index("tabel")
    assert f.loc["cliënten", "in de effectanalyse"] == "x" and f.loc["cliënten", "geaccepteerd"] == "500"
    tekst = " ".join(s.alineas)
    assert "496" not in tekst and "meer dan" not in tekst
    assert "496" not in _alle_tekst(bouw_inhoud(_cfg(), manifest={}, reconciliatie=rec, bevindingen_telling=None,
                                                benchmark=None, effecten=None, populatie=POPULATIE.assign(n_clienten=496)))


def test_kanttekeningen_benchmark_in_gewone_taal():
    from evaluatie.rapport.secties.benchmark import kanttekeningen

    from evaluatie.waarschuwingen import Melding

    z = kanttekeningen([Melding("kleine verwachte aantallen (<10) (2018, 2019)", bron="trechter", onderwerp="instroom_pct"),
                        Melding("kleine verwachte aantallen (<10) (2018, 2019)", bron="trechter",
                                onderwerp="uitstroom_werk_pct"),
                        Melding("deeljaren 2019 (6 mnd) (preventiequotum over minder dan 12 maanden)", bron="poort")])
    assert "_pct" not in z and "poort:" not in z
    assert "trechterdiagrammen instroom en uitstroom naar werk: kleine verwachte aantallen" in z
    assert kanttekeningen([]) == ""


def test_preventiequotum_per_gemeente_beveiligd():
    from types import SimpleNamespace

    from evaluatie.rapport.secties.gemeenten import preventie_per_gemeente

    pv = pd.DataFrame({"gemeentecode": ["GM0777", "GM0777", "GM1655", "GM1655"], "jaar": [2018, 2019, 2018, 2019],
                       "periode": ["2018", "2019 (6 mnd)", "2018", "2019 (6 mnd)"], "meldingen": [400, 200, 90, 12],
                       "toekenningen": [200, 92, 45, 4], "preventiequotum": [50.0, 54.0, 50.0, 200 / 3],
                       "ci_laag": [45.1, 47.1, 39.9, 39.1], "ci_hoog": [54.9, 60.7, 60.1, 86.2]})
    ind = pd.DataFrame({"gemeentecode": ["GM0777", "GM1655"], "gemeentenaam": ["Etten-Leur", "Halderberge"]})
    bm = SimpleNamespace(preventie=pv, indicatoren=ind)
    cfg = Evaluatieconfig(naam="t", data=Path("d"), gemeenten=("GM1655", "GM0777"), drempel=DREMPEL)
    f = preventie_per_gemeente(bm, cfg).frame
    assert list(f.columns) == ["gemeente", "2018", "2019 (6 mnd)"] and list(f.gemeente) == ["Halderberge", "Etten-Leur"]
    r = f.set_index("gemeente")
    assert r.loc["Etten-Leur", "2019 (6 mnd)"] == "54,0% (47,1–60,7%)"
    assert r.loc["Halderberge", "2019 (6 mnd)"] == "<10"  # 4 toekenningen: the quotum would give them away
    assert "66,7" not in f.to_csv()
    one = Evaluatieconfig(naam="t", data=Path("d"), gemeenten=("GM0777",), drempel=DREMPEL)
    assert preventie_per_gemeente(bm, one) is None


def _per_gemeente(n_deelnemers: dict[str, int]) -> pd.DataFrame:
    rows = []
    for code, n in n_deelnemers.items():
        for maat, v in (("toerekenbaar_aandeel", 0.031), ("toegerekende_uitstroom", 3.0), ("uitstroom_werk", 4 * n),
                        ("deelnemers_werk", n // 3)):
            rows.append((code, maat, v, 0.01, v - 0.02, v + 0.02, n, 5 * n))
    return pd.DataFrame(rows, columns=["gemeentecode", "maat", "schatting", "se", "ci_laag", "ci_hoog", "n_deelnemers",
                                       "n_clienten"])


def test_toerekenbaar_per_gemeente_met_onthulling():
    from evaluatie.rapport.secties.gemeenten import toerekenbaar_per_gemeente

    cfg = _cfg()
    t = toerekenbaar_per_gemeente(_per_gemeente({"GM0777": 300, "GM1655": 150, "GM1709": 120}), cfg,
                                  {"GM0777": "Etten-Leur"})
    d = t.frame.set_index("gemeente")
    assert list(d.index) == ["Etten-Leur", "GM1655", "GM1709"]  # configured order, names where known
    assert d.loc["Etten-Leur", "toe te rekenen aan instrumenten"] == "3,1%"
    assert d.loc["Etten-Leur", "deelnemers (n)"] == "300"
    # a gemeente with 7 participants: its count and share are suppressed, and so is a partner, because the
    # counts of the gemeenten add up to the published total
    k = toerekenbaar_per_gemeente(_per_gemeente({"GM0777": 300, "GM1655": 7, "GM1709": 120}), cfg, {}).frame
    k = k.set_index("gemeente")
    assert k.loc["GM1655", "deelnemers (n)"] == "<10" and k.loc["GM1655", "toe te rekenen aan instrumenten"] == "–"
    assert (k["deelnemers (n)"] == "<10").sum() == 1 and (k["deelnemers (n)"] == "x").sum() == 1
    assert "7" not in set(k["deelnemers (n)"])
    assert toerekenbaar_per_gemeente(_per_gemeente({"GM0777": 300}), cfg, {}) is None  # one gemeente: nothing local
