"""Section 'Vergelijking met andere gemeenten': the normed benchmark for a raad.

Pure: a :class:`~evaluatie.benchmark.Benchmarkresultaat` in, a :class:`~evaluatie.rapport.inhoud.Sectie`
out. Municipal aggregates (CBS / BUIG) are not person-level, but the poort counts still pass
:mod:`evaluatie.rapport.beveiliging` (the report's joint disclosure control).
"""
from __future__ import annotations

from typing import Any, Sequence

import dataclasses

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.opmaak import aantal, bereik, getal, pct_punt
from evaluatie.waarschuwingen import Melding

ANKER = "benchmark"
TITEL = "Vergelijking met andere gemeenten (genormeerde benchmark)"
INDICATORNAAM = {"pct_norm": "uitkeringen in % van de norm", "instroom_pct": "instroom in % van de norm",
                 "uitstroom_pct": "uitstroom in % van de norm", "uitstroom_werk_pct": "uitstroom naar werk in % van de norm",
                 "netto_groei_pct": "netto groei in % van de norm", "preventiequotum": "preventiequotum"}
KORT = {"pct_norm": "uitkeringen", "instroom_pct": "instroom", "uitstroom_pct": "uitstroom",
        "uitstroom_werk_pct": "uitstroom naar werk", "netto_groei_pct": "netto groei", "preventiequotum": "preventiequotum"}
METHODENAAM = {"buig": "vergelijkbaar BUIG-budget (methode rapport)",
               "structureel": "structureel vergelijkbaar (norm per inwoner, omvang, kenmerken)",
               "synthetisch": "synthetische vergelijking (gewogen gemeenten)"}
NOOT_ETTEN_LEUR = ("Etten-Leur 2015: 673 / 593 = 113,5%, afgerond 113%. Het rapport drukte 114% af; dat is alleen "
                   "bereikbaar met de niet-afgeronde aantallen achter de gepubliceerde gehele getallen (binnen de afronding). "
                   "Wij tonen wat uit de gepubliceerde getallen volgt.")


def hoofdmethode(bm: Any, cfg: Evaluatieconfig | None = None) -> str:
    """The comparison group the headline uses: the configured one, else the report's (buig), else the first."""
    methoden = [g.methode for g in bm.groepen]
    if cfg is not None and cfg.vergelijkingsgroep in methoden:
        return cfg.vergelijkingsgroep
    return "buig" if "buig" in methoden else methoden[0]


def positie(bm: Any, indicator: str, jaar: int, methode: str) -> pd.Series | None:
    """The sensitivity row (gemeente vs group) for one indicator, year and method."""
    g = bm.gevoeligheid
    r = g[(g.indicator == indicator) & (g.jaar == jaar) & (g.methode == methode)]
    return None if r.empty or pd.isna(r.iloc[0].waarde) else r.iloc[0]


def oordeel(r: pd.Series) -> str:
    """Verdict on the position within the group (95% prediction interval)."""
    if not np.isfinite(r.pi_laag) or not np.isfinite(r.pi_hoog):
        return "niet te beoordelen (te kleine groep)"
    if bool(r.buiten_interval):
        return "significant " + ("hoger" if r.verschil > 0 else "lager") + " dan de groep"
    return "niet significant verschillend van de groep"


def trechterklasse(bm: Any, indicator: str, jaar: int) -> str:
    """Funnel verdict against all gemeenten (95% limits)."""
    t = bm.trechters
    if t is None or t.empty:
        return "trechter niet beschikbaar"
    r = t[(t.indicator == indicator) & (t.jaar == jaar) & (t.eenheid == bm.spec.gemeente)]
    if r.empty:
        return "trechter niet beschikbaar"
    return {"binnen": "binnen de 95%-grenzen van alle gemeenten", "boven": "boven de 95%-grens van alle gemeenten",
            "onder": "onder de 95%-grens van alle gemeenten"}.get(str(r.iloc[0].klasse_95), str(r.iloc[0].klasse_95))


def verschil_tekst(r: pd.Series, *, haakjes: bool = True) -> str:
    """'+1,8 punt (95%-interval −8,1 tot 11,6)' (or with a comma instead of brackets)."""
    bi = f"95%-interval {bereik(r.ci_laag, r.ci_hoog)}"
    v = getal(r.verschil, 1, teken=True)
    return f"{v} punt ({bi})" if haakjes else f"{v} punt, {bi}"


def robuustheid(bm: Any, indicator: str, jaar: int) -> str:
    """One sentence: does the verdict on ``indicator`` hold under every comparison group?"""
    g = bm.gevoeligheid
    d = g[(g.indicator == indicator) & (g.jaar == jaar) & g.waarde.notna()]
    met = d[np.isfinite(d.pi_laag.astype(float)) & np.isfinite(d.pi_hoog.astype(float))]
    zonder = [METHODENAAM.get(m, m) for m in d.methode if m not in set(met.methode)]
    extra = f" Zonder interval (niet te beoordelen): {', '.join(zonder)}." if zonder else ""
    if len(met) < 2:
        return extra.strip()
    oordelen = {oordeel(r) for _, r in met.iterrows()}
    if len(oordelen) == 1:
        alle = "beide" if len(met) == 2 else f"alle {len(met)}"
        return f"Onder {alle} vergelijkingsgroepen met een interval is het oordeel hetzelfde.{extra}"
    return (f"Het oordeel hangt af van de gekozen vergelijkingsgroep ({'; '.join(sorted(oordelen))}): "
            f"lees het verschil daarom voorzichtig.{extra}")


def _tabel_norm(bm: Any, m: str) -> Tabel:
    gi = bm.indicatoren[bm.indicatoren.gemeentecode == bm.spec.gemeente].sort_values("jaar")
    nl = bm.landelijk.set_index("jaar")
    rows = []
    for _, r in gi.iterrows():
        p = positie(bm, "pct_norm", int(r.jaar), m)
        rows.append({"jaar": str(int(r.jaar)), "genormeerd aantal": aantal(r.genormeerd_aantal),
                     "feitelijk aantal": aantal(r.feitelijk_aantal), "in % van de norm": pct_punt(r.pct_norm),
                     "groep": "–" if p is None else pct_punt(p.groep_gemiddelde),
                     "verschil met groep": "–" if p is None else verschil_tekst(p),
                     "Nederland": pct_punt(nl.pct_norm.get(r.jaar, np.nan))})
    noot = (f"Groep: {METHODENAAM.get(m, m)}. Het 95%-interval geeft aan hoe ver een gewone gemeente uit de groep van "
            "het groepsgemiddelde kan liggen; een verschil daarbuiten is significant.")
    if bm.spec.gemeente == "GM0777":
        noot += " " + NOOT_ETTEN_LEUR
    return Tabel(f"{bm.gemeentenaam}: uitkeringen tegenover de norm", pd.DataFrame(rows), noot)


def _tabel_stromen(bm: Any, m: str) -> Tabel | None:
    jaar = bm.laatste_jaar("uitstroom_pct")
    if jaar is None:
        return None
    rows = []
    for ind in ("instroom_pct", "uitstroom_pct", "uitstroom_werk_pct", "netto_groei_pct"):
        p = positie(bm, ind, jaar, m)
        if p is None:
            continue
        rows.append({"indicator": INDICATORNAAM[ind], bm.gemeentenaam: pct_punt(p.waarde), "groep": pct_punt(p.groep_gemiddelde),
                     "Nederland": pct_punt(p.landelijk), "verschil met groep": verschil_tekst(p), "oordeel": oordeel(p),
                     "trechter": trechterklasse(bm, ind, jaar)})
    if not rows:
        return None
    n = positie(bm, "uitstroom_pct", jaar, m)
    return Tabel(f"In- en uitstroom {jaar} in % van de norm", pd.DataFrame(rows),
                 f"Groep: {METHODENAAM.get(m, m)}" + ("" if n is None else f", {int(n.n_groep)} gemeenten") + ".")


def _tabel_gevoeligheid(bm: Any) -> Tabel | None:
    rows = []
    for ind in ("pct_norm", "uitstroom_pct"):
        jaar = bm.laatste_jaar(ind)
        if jaar is None:
            continue
        for g in bm.groepen:
            p = positie(bm, ind, jaar, g.methode)
            if p is None:
                continue
            rows.append({"indicator": f"{INDICATORNAAM[ind]} ({jaar})", "vergelijkingsgroep": METHODENAAM.get(g.methode, g.methode),
                         "gemeenten (n)": f"{int(p.n_groep)} (effectief {getal(p.n_effectief, 1)})",
                         "groep": pct_punt(p.groep_gemiddelde), "verschil": verschil_tekst(p),
                         "percentiel": getal(p.percentiel, 0), "p": getal(p.p, 3), "oordeel": oordeel(p)})
    if not rows:
        return None
    return Tabel("Hangt het oordeel af van de vergelijkingsgroep?", pd.DataFrame(rows),
                 "Percentiel = plaats van de gemeente binnen haar groep (0 = laagste, 100 = hoogste); p = kans op een "
                 "minstens zo groot verschil voor een gewone gemeente uit de groep.")


def _tabel_preventie(bm: Any, cfg: Evaluatieconfig, tellingen: Any = None) -> Tabel | None:
    pv = bm.preventie
    if pv is None or pv.empty:
        return None
    if tellingen is None:
        from evaluatie.rapport.beveiliging import rapporttellingen

        tellingen = rapporttellingen(cfg.drempel, preventie=pv, gemeenten=(bm.spec.gemeente,))
    bt = tellingen.get("preventie")
    if bt is None:
        return None
    eigen = (bt.tabel.gemeentecode == bm.spec.gemeente).to_numpy()
    if not eigen.any():
        return None
    t = bt.tabel[eigen].reset_index(drop=True)
    ond = bt.onderdrukt[eigen].reset_index(drop=True)
    w = bt.weergave()[eigen].reset_index(drop=True)
    weg = ond.any(axis=1).to_numpy()  # the quotum and one count give the other away
    rows = []
    for i, r in t.iterrows():
        p = positie(bm, "preventiequotum", int(r.jaar), hoofdmethode(bm, cfg))
        rows.append({"periode": r.periode,
                     "meldingen": w.meldingen.iloc[i] if ond.meldingen.iloc[i] else aantal(r.meldingen),
                     "toekenningen": w.toekenningen.iloc[i] if ond.toekenningen.iloc[i] else aantal(r.toekenningen),
                     "preventiequotum (95%-BI)": "–" if weg[i] else f"{pct_punt(r.preventiequotum)} ({bereik(r.ci_laag, r.ci_hoog, eenheid='%')})",
                     "groep": "–" if p is None or weg[i] else pct_punt(p.groep_gemiddelde)})
    df = pd.DataFrame(rows)
    if (df.groep == "–").all():  # no other gemeente delivered poort counts: nothing to compare with
        df = df.drop(columns="groep")
    return Tabel(f"{bm.gemeentenaam}: preventiequotum (1 − toekenningen / meldingen)", df,
                 "Deel van de meldingen dat niet tot een uitkering leidt. Deeljaren zijn gemarkeerd met het aantal maanden; "
                 "interval volgens Wilson.")


def met_vergelijking(bm: Any) -> Any:
    """The benchmark result without sensitivity rows that have no group to compare with (e.g. a preventiequotum
    only the gemeente itself delivered), so a figure does not show an empty row."""
    g = bm.gevoeligheid
    return dataclasses.replace(bm, gevoeligheid=g[g.verschil.notna()].reset_index(drop=True))


def kanttekeningen(waarschuwingen: Sequence[str]) -> str:
    """The benchmark's warnings as one Dutch sentence, indicator codes replaced by their names.

    Reads the typed fields of each :class:`~evaluatie.waarschuwingen.Melding` (``bron``, ``onderwerp``,
    ``bericht``); the text is never parsed back. Funnel warnings (bron ``trechter``) with the same message for
    several indicators become one clause naming the funnels of all of them. A plain string is shown as it is.
    """
    def naam(code: str) -> str:
        return KORT.get(code, code.replace("_", " "))

    trechter: dict[str, list[str]] = {}
    overig: list[str] = []
    for w in waarschuwingen:
        bron, onderwerp, bericht = (w.bron, w.onderwerp, w.bericht) if isinstance(w, Melding) else ("", "", str(w))
        if bron == "trechter":
            trechter.setdefault(bericht, []).append(naam(onderwerp))
        elif bron == "groep":
            overig.append(f"vergelijkingsgroep {METHODENAAM.get(onderwerp, onderwerp)}: {bericht}")
        elif bron == "poort":
            overig.append(f"meldingen en toekenningen: {bericht}")
        else:
            overig.append(str(w))

    def lijst(x: list[str]) -> str:
        return x[0] if len(x) == 1 else ", ".join(x[:-1]) + " en " + x[-1]

    delen = [(f"trechterdiagram {inds[0]}" if len(inds) == 1 else f"trechterdiagrammen {lijst(inds)}") + f": {tekst}"
             for tekst, inds in trechter.items()] + overig
    return ("Kanttekeningen bij de berekening: " + "; ".join(delen) + ".") if delen else ""


def _figuren(bm: Any) -> tuple[list[Figuur], list[str]]:
    from evaluatie.benchmark import figuren as bf

    figs, mislukt = [], []
    zichtbaar = met_vergelijking(bm)
    for titel, fn, alt in (
            ("Uitkeringen in % van de norm", bf.figuur_norm, "Feitelijk aantal uitkeringen als percentage van het genormeerde aantal per jaar, gemeente, vergelijkingsgroepen en Nederland"),
            ("In- en uitstroom in % van de norm", bf.figuur_stromen, "In- en uitstroom als percentage van de norm, gemeente en vergelijkingsgroepen met 95%-interval"),
            ("Index aantal uitkeringen", bf.figuur_index, "Index van het aantal uitkeringen, basisjaar 100"),
            ("Trechterdiagram: alle gemeenten", bf.figuur_trechter, "Trechterdiagram van uitkeringen in % van de norm tegen de omvang van de gemeente"),
            ("Gevoeligheid voor de keuze van de vergelijkingsgroep", bf.figuur_gevoeligheid, "Verschil met de vergelijkingsgroep per methode met 95%-interval")):
        try:
            figs.append(Figuur(titel, figuur_png(fn(zichtbaar if fn is bf.figuur_gevoeligheid else bm)), alt))
        except (ValueError, KeyError, IndexError) as e:  # reported in the text, never fatal
            mislukt.append(f"De figuur '{titel}' kon niet worden getekend ({e}).")
    return figs, mislukt


def voorlopige_cijfers(bm: Any) -> str | None:
    """A sentence naming the focus gemeente's years whose figures are provisional (``status`` from
    ``evaluatie importeer statline``), with their sources; None when there are none."""
    ind = bm.indicatoren
    if "status" not in ind.columns:
        return None
    eigen = ind[(ind["gemeentecode"] == bm.spec.gemeente) & (ind["status"] == "voorlopig")]
    if eigen.empty:
        return None
    jaren = ", ".join(str(int(j)) for j in sorted(eigen["jaar"]))
    bron = "; ".join(sorted(set("; ".join(eigen["bron"].astype(str)).split("; ")))) if "bron" in eigen.columns else ""
    return (f"Let op: de cijfers van {bm.gemeentenaam} over {jaren} zijn voorlopig (CBS markeert ze met *) en kunnen nog "
            f"wijzigen" + (f"; bronnen: {bron}." if bron else "."))


def sectie_benchmark(bm: Any, cfg: Evaluatieconfig, *, tellingen: Any = None) -> Sectie:
    """The benchmark chapter; says what is missing when ``bm`` is None."""
    if bm is None:
        return Sectie(ANKER, TITEL, (
            "Er is geen gemeentetabel (gemeenten.csv met genormeerd en feitelijk aantal uitkeringen) aangeleverd; de "
            "vergelijking met andere gemeenten is daarom niet gemaakt.",))
    m = hoofdmethode(bm, cfg)
    jaar = bm.laatste_jaar("pct_norm")
    figs, mislukt = _figuren(bm)
    alineas = []
    p = positie(bm, "pct_norm", jaar, m) if jaar is not None else None
    if p is not None:
        alineas.append(f"{bm.gemeentenaam} had in {jaar} {pct_punt(p.waarde)} van het genormeerde aantal uitkeringen, tegen "
                       f"{pct_punt(p.groep_gemiddelde)} gemiddeld in de vergelijkingsgroep ({int(p.n_groep)} gemeenten, "
                       f"{METHODENAAM.get(m, m)}) en {pct_punt(p.landelijk)} in Nederland: {oordeel(p)}. "
                       + robuustheid(bm, "pct_norm", jaar))
    alineas += [
        "Het genormeerde aantal uitkeringen komt uit het verdeelmodel van het BUIG-budget: hoeveel uitkeringen een gemeente "
        "'zou moeten hebben' op grond van factoren die ze niet kan beïnvloeden. Meer uitkeringen dan de norm betekent dat "
        "de gemeente het verschil zelf betaalt.",
        "Het rekenkamerrapport vergeleek met de 20 gemeenten met het meest vergelijkbare BUIG-budget. Het college wierp "
        "tegen dat de omvang van het budget vooral de omvang van de gemeente weerspiegelt, zodat die groep niet zuiver is. "
        "Daarom tonen we naast die methode een structureel vergelijkbare groep en een synthetische vergelijking; een "
        "conclusie die onder alle groepen standhoudt is robuust, een conclusie die van de groep afhangt niet.",
        "Het trechterdiagram zet alle gemeenten uit tegen hun omvang: kleine gemeenten schommelen van nature meer. Alleen "
        "een gemeente buiten de grenzen wijkt meer af dan toeval (met correctie voor overdispersie) verklaart.",
    ]
    g = next(x for x in bm.groepen if x.methode == m)
    namen = bm.indicatoren.drop_duplicates("gemeentecode").set_index("gemeentecode").gemeentenaam
    alineas.append(f"Leden van de vergelijkingsgroep ({METHODENAAM.get(m, m)}): "
                   + ", ".join(str(namen.get(c, c)) for c in g.leden) + ".")
    alineas += mislukt + [k for k in (kanttekeningen(bm.waarschuwingen), voorlopige_cijfers(bm)) if k]
    tabellen = [t for t in (_tabel_norm(bm, m), _tabel_stromen(bm, m), _tabel_gevoeligheid(bm), _tabel_preventie(bm, cfg, tellingen))
                if t is not None]
    return Sectie(ANKER, TITEL, tuple(alineas), tuple(tabellen), tuple(figs))
