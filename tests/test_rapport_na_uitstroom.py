"""Chapter 'Blijft het werk?' (issue 17): terugval, durable exit next to first exit, months on benefit.

The effect rows are hand-built to the contract of the durable-exit estimators (uitkomst ``duurzaam_werk_6``
next to ``werk``; ``Effectresultaat.uitkeringsmaanden``), so every expected sentence follows from numbers
written here; the terugval figures come from :func:`evaluatie.terugval.terugval` on a small simulation (its
CIF is checked against R elsewhere) and from hand-built counts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.html import render_html
from evaluatie.rapport.secties import bouw_inhoud
from evaluatie.rapport.secties.na_uitstroom import (ANKER, REGEL_TEGENGESTELD, na_uitstroom, sectie_na_uitstroom,
                                                    tegengesteld)

DREMPEL = 10


def _cfg(**kw) -> Evaluatieconfig:
    return Evaluatieconfig(naam="Toets", data=Path("x"), gemeenten=("GM0777",), horizonnen=(12, 24), drempel=DREMPEL, **kw)


def _rij(ins, cat, uitkomst, h, a, lo, hi, n, methode="gformule", vlag="", e=30):
    return dict(instrument=ins, categorie=cat, uitkomst=uitkomst, maat="att", horizon=h, schatting=a, se=(hi - lo) / 3.92,
                ci_laag=lo, ci_hoog=hi, n_deelnemers=n, n_gebeurtenissen=e, methode=methode, vlag=vlag)


#: per cell: n, (werk att, lo, hi) at 12 months, (duurzaam_werk_6 att, lo, hi) at 12 months, vlag
CELLEN = {
    ("incidentele_loonkostensubsidie", "A"): (80, (0.08, 0.03, 0.13), (-0.05, -0.09, -0.01), ""),  # opposite
    ("jobcoaching", "B"): (70, (0.06, 0.01, 0.11), (0.07, 0.02, 0.12), ""),  # same direction
    ("arbeidstraining", "C"): (90, (0.04, 0.01, 0.07), (-0.02, -0.05, 0.01), ""),  # durable CI contains 0
    ("leerwerktraject", "B"): (60, (-0.06, -0.10, -0.02), (0.04, 0.01, 0.07), ""),  # opposite, the other way
    ("praktijkovereenkomst", "A"): (40, (0.10, 0.02, 0.18), (-0.06, -0.11, -0.01), "weinig overlap"),  # flagged
    ("werkplekaanpassing", "B"): (7, (0.123456, 0.05, 0.2), (-0.0987, -0.15, -0.05), ""),  # fewer than 10
}


def effecten(cellen=CELLEN, duurzaam: bool = True) -> pd.DataFrame:
    rows = []
    for (ins, cat), (n, w, d, vlag) in cellen.items():
        for h in (12, 24):
            rows.append(_rij(ins, cat, "werk", h, *w, n, vlag=vlag))
            rows.append(_rij(ins, cat, "werk", h, *w, n, methode="risicoset"))
            if duurzaam:
                rows.append(_rij(ins, cat, "duurzaam_werk_6", h, *d, n, vlag=vlag, e=20))
                rows.append(_rij(ins, cat, "duurzaam_werk_12", h, d[0] / 2, d[1], d[2], n, vlag=vlag, e=15))
    for cat in "AB":
        n = sum(v[0] for k, v in cellen.items() if k[1] == cat) + 12  # 12 participants in combinations not estimated
        for h in (12, 24):
            rows.append(_rij("alle", cat, "werk", h, 0.03, 0.01, 0.05, n, e=60))
            if duurzaam:
                rows.append(_rij("alle", cat, "duurzaam_werk_6", h, 0.01, -0.01, 0.03, n, e=40))
    n = sum(v[0] for v in cellen.values()) + 24
    for h in (12, 24):
        rows.append(_rij("alle", "C", "werk", h, 0.02, 0.0, 0.04, sum(v[0] for k, v in cellen.items() if k[1] == "C"), e=25))
        rows.append(_rij("alle", "alle", "werk", h, 0.034, 0.012, 0.056, n, e=150))
        if duurzaam:
            rows.append(_rij("alle", "C", "duurzaam_werk_6", h, 0.0, -0.02, 0.02, sum(v[0] for k, v in cellen.items() if k[1] == "C")))
            rows.append(_rij("alle", "alle", "duurzaam_werk_6", h, 0.012, -0.004, 0.028, n, e=100))
    return pd.DataFrame(rows)


def uitkeringsmaanden(cellen=CELLEN) -> pd.DataFrame:
    rows = []
    alle = {**{k: v[0] for k, v in cellen.items()}, ("alle", "alle"): 353}
    for (ins, cat), n in alle.items():
        for h in (12, 24, 36):
            v = -0.5 * h / 12 if ins != "jobcoaching" else 0.3 * h / 12
            for maat, s, lo, hi in (("deelnemers", 0.6 * h, np.nan, np.nan), ("controle", 0.6 * h - v, np.nan, np.nan),
                                    ("verschil", v, v - 0.4, v + 0.4 if ins != "alle" else v + 0.3)):
                rows.append(dict(instrument=ins, categorie=cat, methode="gformule", horizon=h, maat=maat, schatting=s,
                                 se=0.2, ci_laag=lo, ci_hoog=hi, n_deelnemers=n, vlag=""))
    return pd.DataFrame(rows)


@lru_cache(maxsize=None)
def _sim_tabellen(seed: int = 2, n: int = 300):
    from evaluatie.simulatie import simuleer

    s = simuleer(seed=seed, n_clienten=n)
    return s.tabellen, s.metadata


def terugval_uit(tabellen=None, seed: int = 2):
    from evaluatie.terugval import terugval

    tab, meta = _sim_tabellen(seed)
    return terugval(tabellen or tab, peildatum=meta["peildatum"], van=meta["waarnemingsperiode"]["start"])


def _alle(s):
    yield s
    for sub in s.subsecties:
        yield from _alle(sub)


def _tekst(s) -> str:
    return " ".join(a for x in _alle(s) for a in x.alineas)


def _tabellen(s):
    return [t for x in _alle(s) for t in x.tabellen]


def _hoofdstuk(**kw):
    cfg = kw.pop("cfg", _cfg())
    return sectie_na_uitstroom(cfg, na_uitstroom(cfg, **kw))


# -- (d) opposite signs ----------------------------------------------------------------------------------
def test_regel_tegengesteld():
    assert tegengesteld(0.01, 0.05, -0.04, -0.01)
    assert tegengesteld(-0.05, -0.01, 0.01, 0.04)
    assert not tegengesteld(0.01, 0.05, -0.04, 0.01)  # durable interval contains 0
    assert not tegengesteld(-0.01, 0.05, -0.04, -0.01)  # first-exit interval contains 0
    assert not tegengesteld(0.01, 0.05, 0.01, 0.04)  # same direction
    assert not tegengesteld(0.01, 0.05, -0.02, -0.02)  # zero-width interval proves nothing
    assert not tegengesteld(0.01, 0.05, -0.04, -0.01, vlag="weinig overlap")
    assert not tegengesteld(np.nan, np.nan, -0.04, -0.01)


def test_tegengestelde_zin_dan_en_alleen_dan():
    s = _hoofdstuk(effecten=effecten())
    tekst = _tekst(s)
    assert "Incidentele loonkostensubsidie, categorie A: de effecten gaan tegengestelde kanten op" in tekst
    assert "sneller in kortdurend werk" in tekst
    assert "Leerwerktraject (WVS of markt), categorie B: de effecten gaan tegengestelde kanten op" in tekst
    assert "trager, maar duurzamer" in tekst
    assert "Bij 2 van de 5 getoonde combinaties" in tekst
    for naam in ("Jobcoaching, categorie B:", "Arbeidstraining, categorie C:", "Praktijkovereenkomst, categorie A:"):
        assert naam not in tekst
    assert REGEL_TEGENGESTELD in tekst
    tab = next(t.frame for t in _tabellen(s) if t.titel.startswith("Effect op uitstroom naar werk en op duurzaam"))
    teg = dict(zip(tab["instrument en categorie"], tab["tegengesteld"]))
    assert teg["Incidentele loonkostensubsidie, categorie A"] == "ja" and teg["Jobcoaching, categorie B"] == ""
    assert teg["Praktijkovereenkomst, categorie A"] == ""  # flagged: shown, never called opposite
    # the durable effect at the main horizon (12) with its interval, next to the first-exit effect
    r = tab[tab["instrument en categorie"] == "Incidentele loonkostensubsidie, categorie A"].iloc[0]
    assert r["uitstroom naar werk 12 mnd (95%-BI)"] == "+8,0 (3,0–13,0)"
    assert r["duurzaam werk (6 mnd geen uitkering) 12 mnd (95%-BI)"] == "\u22125,0 (\u22129,0 tot \u22121,0)"


def test_geen_tegengestelde_zin_als_de_regel_niet_geldt():
    cellen = {k: v for k, v in CELLEN.items() if k not in (("incidentele_loonkostensubsidie", "A"), ("leerwerktraject", "B"))}
    tekst = _tekst(_hoofdstuk(effecten=effecten(cellen)))
    assert "tegengestelde kanten op:" not in tekst and "kortdurend werk" not in tekst
    assert "Bij geen van de" in tekst and "aantoonbaar tegengestelde kanten op" in tekst


def test_samenvatting_noemt_duurzaam_naast_eerste_uitstroom():
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=effecten(), populatie=None, uitkeringsmaanden=uitkeringsmaanden())
    concl = " ".join(inh.conclusies)
    assert ("Alle instrumenten samen, na de eerste uitstroom: effect op uitstroom naar werk binnen 12 maanden "
            "+3,4 procentpunt (95%-BI 1,2–5,6, aantoonbaar positief), op duurzaam werk (6 maanden geen nieuwe uitkering) "
            "+1,2 procentpunt (95%-BI \u22120,4 tot 2,8, niet aantoonbaar)") in concl
    assert "in de eerste 24 maanden gemiddeld 1,0 maand minder in de bijstand (95%-BI \u22121,4 tot \u22120,7 maanden)" in concl
    assert "Bij 2 combinatie(s) gaan het effect op uitstroom en op duurzaam werk aantoonbaar tegengestelde kanten op" in concl
    namen = [k.naam for k in inh.kernindicatoren]
    assert "Netto effect op duurzaam werk (6 mnd geen uitkering) na 12 maanden" in namen
    assert "Maanden in de bijstand, eerste 24 maanden na de start" in namen
    assert [s.anker for s in inh.secties].index(ANKER) == [s.anker for s in inh.secties].index("effecten") + 1


# -- (c) months on benefit -------------------------------------------------------------------------------
def test_uitkeringsmaanden_in_woorden_en_tabel():
    s = _hoofdstuk(effecten=effecten(), uitkeringsmaanden=uitkeringsmaanden())
    tekst = _tekst(s)
    assert ("Alle deelnemers samen zaten gemiddeld 1,0 maand minder in de bijstand in de eerste 24 maanden na de start "
            "dan zonder instrument (geschat: 14,4 tegen 15,4 maanden; 95%-BI \u22121,4 tot \u22120,7 maanden; n = 353 "
            "deelnemers); dat verschil is aantoonbaar.") in tekst
    assert "aantoonbaar méér maanden voor Jobcoaching, categorie B (0,6 maanden meer" in tekst
    tab = next(t.frame for t in _tabellen(s) if t.titel.startswith("Maanden in de bijstand"))
    assert [k for k in tab.columns if k.startswith(("verschil", "oordeel"))] == ["verschil 12 mnd (95%-BI)", "verschil 24 mnd (95%-BI)", "verschil 36 mnd (95%-BI)",
                                      "oordeel 24 mnd"]
    r = tab.set_index("instrument en categorie").loc["alle instrumenten samen, alle categorieën"]
    assert r["verschil 24 mnd (95%-BI)"] == "\u22121,0 (\u22121,4 tot \u22120,7)" and r["oordeel 24 mnd"] == "aantoonbaar minder"


def test_oude_resultaten_zonder_duurzaam_en_uitkeringsmaanden():
    s = _hoofdstuk(effecten=effecten(duurzaam=False), uitkeringsmaanden=None)
    tekst = _tekst(s)
    assert "Niet te beoordelen: deze effectanalyse bevat geen schattingen op duurzaam werk" in tekst
    assert "Niet te beoordelen: deze effectanalyse bevat geen schattingen van het aantal maanden in de bijstand" in tekst
    s = _hoofdstuk(effecten=None)
    assert "Niet te beoordelen: er zijn geen effectschattingen per instrument" in _tekst(s)


# -- disclosure ------------------------------------------------------------------------------------------
def _telkolommen(df: pd.DataFrame) -> list[str]:
    return [k for k in df.columns if k.endswith("(n)")]


def test_kleine_cellen_niet_in_het_hoofdstuk():
    tv = terugval_uit()
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=effecten(), populatie=None, uitkeringsmaanden=uitkeringsmaanden(), terugval=tv)
    s = next(x for x in inh.secties if x.anker == ANKER)
    html = render_html(inh, client_ids=tuple(_sim_tabellen()[0]["clienten"].client_id.astype(str)))
    assert "Werkplekaanpassing" not in html and "12,3" not in html.replace("12,3%", "") and "9,9" not in html
    gezien = 0
    for t in _tabellen(s):
        for k in _telkolommen(t.frame):
            for v in t.frame[k]:
                if re.fullmatch(r"[\d.]+", str(v)):
                    gezien += 1
                    assert int(str(v).replace(".", "")) >= DREMPEL, f"{t.titel}: {k} = {v}"
    assert gezien >= 10


def test_aandeel_alleen_met_genoeg_terugkeer():
    """A share of a handful of returns gives their number away: only where ≥ drempel at risk and returned."""
    from evaluatie.rapport.secties.na_uitstroom import terugvalcijfers

    tv = terugval_uit()
    tc = terugvalcijfers(tv, DREMPEL)
    cur = tv.curves
    for r in tc.tabel[tc.tabel.getoond].itertuples():
        c = cur[(cur.groepering == r.groepering) & (cur.groep.astype(str) == r.groep) & (cur.time <= r.maanden)]
        assert c.n_event.sum() >= DREMPEL and r.n_risico >= DREMPEL
    verborgen = tc.tabel[~tc.tabel.getoond]
    assert len(verborgen)  # the 6-month shares of small groups rest on fewer than 10 returns


def _nep_terugval(n_tot: float, per_cat: dict[str, tuple[int, int]]):
    """A terugval result with given counts (n exits, n returns) per categorie; traject split in half."""
    rijen = [("totaal", "alle", n_tot, sum(v[1] for v in per_cat.values()))]
    rijen += [("categorie", k, n, t) for k, (n, t) in per_cat.items()]
    n_met = sum(v[0] for v in per_cat.values()) // 2
    t_met = sum(v[1] for v in per_cat.values()) // 2
    rijen += [("traject", "met traject", n_met, t_met),
              ("traject", "zonder traject", n_tot - n_met, rijen[0][3] - t_met)]
    a = pd.DataFrame([{"groepering": g, "groep": k, "n_uitstroom_werk": float(n), "n_terugval": float(t),
                       "n_concurrerend": 0.0, "n_gecensureerd": float(n - t)} for g, k, n, t in rijen])
    tabel = pd.DataFrame([{"groepering": g, "groep": k, "maanden": m, "n": n, "n_terugval": t, "n_risico": n * (1 - m / 40),
                           "cif": t / n * m / 18, "se": 0.01, "ci_laag": t / n * m / 18 - 0.02,
                           "ci_hoog": t / n * m / 18 + 0.02, "voorbij_laatste": False}
                          for g, k, n, t in rijen for m in (6, 12, 18)])
    curves = pd.DataFrame([{"groepering": g, "groep": k, "time": m, "n_risk": n * (1 - m / 40), "n_event": t / 18,
                            "cif": t / n * m / 18, "ci_laag": 0.0, "ci_hoog": 0.5} for g, k, n, t in rijen
                           for m in range(1, 19)])
    return SimpleNamespace(tabel=tabel, aantallen=a, curves=curves, spec=SimpleNamespace(maanden=(6, 12, 18)),
                           n_uitstroom_werk=int(n_tot), n_terugval=int(rijen[0][3]), n_overlap=0, n_op_peildatum=0,
                           n_na_peildatum=0)


def test_verschil_met_de_uitstroom_van_het_toerekenbare_aandeel_beschermd():
    """The report prints the exits to work twice (attributable share and terugval); a difference of 1–9
    (e.g. exits on the peildatum) would be a count of persons by subtraction."""
    from evaluatie.disclosure import controleer_publiceerbaar
    from evaluatie.rapport.beveiliging import rapporttellingen

    pop = pd.DataFrame({"maat": ["toerekenbaar_aandeel"], "schatting": [0.05], "ci_laag": [0.01], "ci_hoog": [0.09],
                        "n_uitstroom_werk": [406.0], "n_clienten": [2000]})
    tv = _nep_terugval(400, {"A": (150, 30), "B": (130, 25), "C": (120, 20)})
    tel = rapporttellingen(DREMPEL, populatie=pop, terugval=tv)
    publ = {n: b.tabel for n, b in tel.beveiligd.items()}
    assert controleer_publiceerbaar(publ, tel.specs, drempel=DREMPEL, gelijk=tel.gelijk) == ()
    assert tel.get("terugval_koppeling").onderdrukt.any().any() or tel.get("toerekenbaar").onderdrukt.any().any() \
        or tel.get("terugval_aantallen").onderdrukt["n_uitstroom_werk"].any()
    # the same tables unprotected: the checker finds the difference of 6
    ruw = {"toerekenbaar": pd.DataFrame({"n_uitstroom_werk": [406.0], "schatting": [0.05], "ci_laag": [0.01],
                                         "ci_hoog": [0.09]}),
           "terugval_aantallen": tv.aantallen[["groepering", "groep", "n_uitstroom_werk", "n_terugval", "n_concurrerend"]],
           "terugval_koppeling": pd.DataFrame({"n_effect": [406.0], "n_terugval": [400.0]})}
    assert controleer_publiceerbaar(ruw, tel.specs, drempel=DREMPEL, gelijk=tel.gelijk) != ()


# -- degenerate data -------------------------------------------------------------------------------------
def test_zonder_uitstroom_naar_werk_niet_te_beoordelen():
    from evaluatie.stappen.rapport import terugval_voor_rapport

    tab, meta = _sim_tabellen()
    u = tab["uitkeringen"].copy()
    u.loc[u.uitstroomreden == "werk", "uitstroomreden"] = "overig"
    val = SimpleNamespace(geaccepteerd={**tab, "uitkeringen": u}, peildatum=pd.Timestamp(meta["peildatum"]),
                          waarnemingsperiode=(pd.Timestamp("2015-01-01"), pd.Timestamp("2019-12-31")), invoer={},
                          bronrijen={}, gelezen={"uitkeringen": len(u)})
    res, reden = terugval_voor_rapport(val)
    assert res is None and "geen uitstroom naar werk" in reden
    s = _hoofdstuk(terugval=None, terugval_reden=reden)
    assert "Niet te beoordelen: geen terugvalanalyse mogelijk (geen uitstroom naar werk" in _tekst(s)


def test_samenvatting_noemt_wat_ontbreekt():
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=effecten(duurzaam=False), populatie=None, terugval_reden="geen peildatum bekend")
    sam = " ".join(next(s for s in inh.secties if s.anker == "samenvatting").alineas)
    assert "terugval in de bijstand na uitstroom naar werk (geen peildatum bekend)" in sam
    assert "het effect van instrumenten op duurzaam werk" in sam
    inh = bouw_inhoud(_cfg(), manifest={}, reconciliatie=None, bevindingen_telling=None, benchmark=None,
                      effecten=effecten(), populatie=None, uitkeringsmaanden=uitkeringsmaanden(), terugval=terugval_uit())
    sam = " ".join(next(s for s in inh.secties if s.anker == "samenvatting").alineas)
    assert "terugval in de bijstand" not in sam and "duurzaam werk" not in sam
    kaart = next(k for k in inh.kernindicatoren if k.naam.startswith("Terug in de bijstand binnen 12"))
    assert kaart.lezing.startswith(("In lijn met het landelijke beeld", "Meer dan het landelijke", "Minder dan het"))


def test_zonder_terugkeer_niet_te_beoordelen():
    tab, _ = _sim_tabellen()
    u = tab["uitkeringen"].sort_values(["client_id", "startdatum"]).drop_duplicates("client_id")  # one spell per client
    tv = terugval_uit({**tab, "uitkeringen": u})
    assert tv.n_terugval == 0 and tv.n_uitstroom_werk > 0
    s = _hoofdstuk(terugval=tv)
    assert "Niet te beoordelen: bij geen van de" in _tekst(s) and "nieuwe uitkering van dezelfde cliënt" in _tekst(s)
    assert not any(t.titel.startswith("Terug in de bijstand binnen") for t in _tabellen(s))


def test_zonder_peildatum_niet_te_beoordelen():
    from evaluatie.stappen.rapport import terugval_voor_rapport

    tab, _ = _sim_tabellen()
    val = SimpleNamespace(geaccepteerd=tab, peildatum=None, waarnemingsperiode=None, invoer={}, bronrijen={},
                          gelezen={"uitkeringen": 1})
    res, reden = terugval_voor_rapport(val, bron="invoer")
    assert res is None and "peildatum" in reden


def test_terugvalfiguur_deterministisch():
    from evaluatie.rapport import figuren as ef
    from evaluatie.rapport.inhoud import figuur_png
    from evaluatie.rapport.secties.na_uitstroom import terugvalcijfers

    tc = terugvalcijfers(terugval_uit(), DREMPEL)
    assert len(tc.curves) and (tc.curves.n_risk >= DREMPEL).all()
    a, b = figuur_png(ef.terugvalfiguur(tc.curves)), figuur_png(ef.terugvalfiguur(tc.curves))
    assert a == b and a[:4] == b"\x89PNG"
    s = _hoofdstuk(effecten=effecten())
    fig = next(f for x in _alle(s) if x.anker == "duurzaam" for f in x.figuren)
    assert fig.png == next(f for x in _alle(_hoofdstuk(effecten=effecten())) if x.anker == "duurzaam" for f in x.figuren).png


# -- CLI: terugval easy to find ------------------------------------------------------------------------------
def test_help_wijst_de_weg_na_de_uitstroom():
    from click.testing import CliRunner

    from evaluatie.cli import main

    def hulp(*pad):
        r = CliRunner().invoke(main, [*pad, "--help"])
        assert r.exit_code == 0, r.output
        return " ".join(r.output.split())

    assert "'evaluatie terugval MAP --out UIT' telt wie binnen 6, 12 en 18 maanden terug is" in hulp()
    assert "zie 'evaluatie terugval'" in hulp("overleving")
    assert "duurzaam_werk_6" in hulp("analyseer") and "'Blijft het werk?'" in hulp("analyseer")
    assert "'Blijft het werk?'" in hulp("rapport") and "'Blijft het werk?'" in hulp("terugval")


def test_de_waarheid_van_de_simulator_tegengesteld_benoemd():
    """The simulator's truth as if it were estimates (intervals ±0,5 procentpunt): incidentele
    loonkostensubsidie raises the first exit and lowers durable work (its jobs end with the subsidy), and the
    chapter says so; every cell it calls opposite has true effects of opposite sign."""
    from evaluatie.simulatie import simuleer

    w = simuleer(seed=1, n_clienten=1500).waarheid
    rows, marge = [], 0.005
    for ins, per in w["effecten"].items():
        for cat, c in per.items():
            n = c["n_deelnemers"]
            a, d = c["att_verwacht"][11], c["duurzaam"]["k6_h12"]["att_verwacht"]
            rows += [_rij(ins, cat, "werk", 12, a, a - marge, a + marge, n),
                     _rij(ins, cat, "duurzaam_werk_6", 12, d, d - marge, d + marge, n)]
    s = _hoofdstuk(effecten=pd.DataFrame(rows), cfg=Evaluatieconfig(naam="Toets", data=Path("x"), gemeenten=("GM0777",),
                                                                    horizonnen=(12,), drempel=DREMPEL))
    tekst = _tekst(s)
    for cat in "AB":
        assert f"Incidentele loonkostensubsidie, categorie {cat}: de effecten gaan tegengestelde kanten op" in tekst
    tab = next(t.frame for t in _tabellen(s) if t.titel.startswith("Effect op uitstroom naar werk en op duurzaam"))
    genoemd = tab[tab.tegengesteld == "ja"]["instrument en categorie"]
    from evaluatie.rapport.secties.opmaak import celnaam

    waar = {celnaam(i, k): (c["att_verwacht"][11], c["duurzaam"]["k6_h12"]["att_verwacht"])
            for i, per in w["effecten"].items() for k, c in per.items()}
    assert len(genoemd) >= 2 and all(waar[g][0] * waar[g][1] < 0 for g in genoemd)
