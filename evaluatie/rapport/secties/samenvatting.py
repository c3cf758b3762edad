"""Managementsamenvatting: a handful of headline indicators, each with its uncertainty, and conclusions
that are generated from the numbers (careful wording when an interval includes 0).

Pure: stage results in, ``(kernindicatoren, conclusies, sectie)`` out.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Kernindicator, Sectie
from evaluatie.rapport.secties import benchmark as sb
from evaluatie.rapport.secties.effectcellen import Effectcellen, effectcellen
from evaluatie.rapport.secties.effecten import telling
from evaluatie.rapport.secties.opmaak import aantal, aantoonbaar, bi, celnaam, getal, pct_punt, procentpunt
from evaluatie.rapport.secties.populatie import Toerekenbaar, lezing_best, toerekenbaar, zin

ANKER = "samenvatting"
TITEL = "Managementsamenvatting"


def _benchmark_indicator(bm: Any, cfg: Evaluatieconfig, indicator: str) -> tuple[Kernindicator, str] | None:
    jaar = bm.laatste_jaar(indicator)
    if jaar is None:
        return None
    m = sb.hoofdmethode(bm, cfg)
    p = sb.positie(bm, indicator, jaar, m)
    if p is None:
        return None
    naam = sb.INDICATORNAAM[indicator]
    oordeel = sb.oordeel(p)
    k = Kernindicator(
        naam=f"{naam[0].upper()}{naam[1:]} ({jaar})",
        waarde=pct_punt(p.waarde),
        onzekerheid=f"verschil met groep {sb.verschil_tekst(p)}",
        vergelijking=(f"vergelijkingsgroep {pct_punt(p.groep_gemiddelde)} (n = {int(p.n_groep)} gemeenten, "
                      f"{sb.METHODENAAM.get(m, m)}); Nederland {pct_punt(p.landelijk)}"),
        lezing=f"{oordeel[0].upper()}{oordeel[1:]}; {sb.trechterklasse(bm, indicator, jaar)}.",
    )
    zin_ = (f"{naam[0].upper()}{naam[1:]} ({jaar}): {bm.gemeentenaam} {pct_punt(p.waarde)}, vergelijkbare gemeenten "
            f"{pct_punt(p.groep_gemiddelde)} (verschil {sb.verschil_tekst(p, haakjes=False)}): {oordeel}. "
            f"{sb.robuustheid(bm, indicator, jaar)}")
    return k, zin_.strip()


def _toerekenbaar_indicator(t: Toerekenbaar) -> tuple[Kernindicator, str]:
    n = f"; n = {aantal(t.n_uitstroom_werk)} uitstromers naar werk" if pd.notna(t.n_uitstroom_werk) else ""
    k = Kernindicator("Uitstroom naar werk toe te rekenen aan instrumenten", f"{getal(100 * t.schatting, 1)}%",
                      bi(t.ci_laag, t.ci_hoog, schaal=100, eenheid="%") + n,
                      "Rekenkamercommissie Best: maximaal ca. 45%", lezing_best(t))
    return k, zin(t) + " " + lezing_best(t)


def _effect_indicatoren(c: Effectcellen) -> tuple[list[Kernindicator], list[str]]:
    h = c.horizon
    t = c.cellen
    betrouwbaar = t[(t.vlag == "") & t[f"att_{h}"].notna()] if f"att_{h}" in t else t.iloc[:0]
    n = telling(c)
    kern: list[Kernindicator] = []
    concl: list[str] = []
    if len(betrouwbaar):
        a = betrouwbaar[f"att_{h}"].astype(float)
        for soort, r in (("Grootste", betrouwbaar.loc[a.idxmax()]), ("Kleinste", betrouwbaar.loc[a.idxmin()])):
            oordeel = aantoonbaar(r[f"att_{h}_laag"], r[f"att_{h}_hoog"])
            later = ""
            for h2 in (x for x in c.horizonnen if x > h and pd.notna(r.get(f"att_{x}"))):
                later = (f" Na {h2} maanden: {procentpunt(r[f'att_{h2}'])} ({bi(r[f'att_{h2}_laag'], r[f'att_{h2}_hoog'], schaal=100)}), "
                         f"{aantoonbaar(r[f'att_{h2}_laag'], r[f'att_{h2}_hoog'])}.")
                break
            kern.append(Kernindicator(
                f"{soort} netto effect na {h} maanden", procentpunt(r[f"att_{h}"]),
                bi(r[f"att_{h}_laag"], r[f"att_{h}_hoog"], schaal=100, eenheid=" procentpunt") + f"; n = {aantal(r.n_deelnemers)} deelnemers",
                celnaam(r.instrument, r.categorie), f"Het effect is {oordeel}.{later}"))
            concl.append(f"{soort} netto effect na {h} maanden: {celnaam(r.instrument, r.categorie)}, "
                         f"{procentpunt(r[f'att_{h}'])} ({bi(r[f'att_{h}_laag'], r[f'att_{h}_hoog'], schaal=100)}; "
                         f"n = {aantal(r.n_deelnemers)}); dat effect is {oordeel}.{later}")
        if len(betrouwbaar) == 1:  # largest = smallest: one card is enough
            kern.pop()
            concl.pop()
    else:
        concl.append(f"Geen enkele combinatie van instrument en categorie heeft een ongevlagde schatting na {h} maanden; "
                     "over de werking van afzonderlijke instrumenten is met deze gegevens niets aantoonbaar.")
    kern.append(Kernindicator(
        "Combinaties instrument × categorie", f"{n['getoond']} getoond",
        f"{n['gevlagd']} gevlagd (onzeker), {n['onderdrukt']} weggelaten (< {c.drempel} deelnemers)",
        f"na {h} maanden: {n['positief']} aantoonbaar positief, {n['negatief']} aantoonbaar negatief",
        "De overige effecten zijn niet aantoonbaar met deze aantallen."))
    concl.append(f"Van de {n['getoond']} getoonde combinaties van instrument en categorie is het effect na {h} maanden "
                 f"aantoonbaar positief voor {n['positief']} en aantoonbaar negatief voor {n['negatief']}; voor de rest is "
                 f"het niet aantoonbaar. Gevlagd als onzeker: {n['gevlagd']}; weggelaten omdat ze op minder dan {c.drempel} "
                 f"deelnemers rusten: {n['onderdrukt']}.")
    return kern, concl


def samenvatting(cfg: Evaluatieconfig, *, benchmark: Any, effecten: pd.DataFrame | None, populatie: pd.DataFrame | None,
                 gevoeligheid: pd.DataFrame | None = None) -> tuple[tuple[Kernindicator, ...], tuple[str, ...], Sectie]:
    """Headline indicators, conclusions, and the summary section (what is missing, how to read it).

    Returns
    -------
    (kernindicatoren, conclusies, sectie)
    """
    kern: list[Kernindicator] = []
    concl: list[str] = []
    ontbreekt: list[str] = []
    if benchmark is not None:
        for ind in ("pct_norm", "uitstroom_pct"):
            r = _benchmark_indicator(benchmark, cfg, ind)
            if r is not None:
                kern.append(r[0])
                concl.append(r[1])
            elif ind == "uitstroom_pct":
                ontbreekt.append("in- en uitstroomcijfers per gemeente (uitstroom in % van de norm)")
    else:
        ontbreekt.append("de gemeentetabel (benchmark tegen vergelijkbare gemeenten)")
    t = toerekenbaar(populatie, cfg.drempel)
    if t is not None:
        k, z = _toerekenbaar_indicator(t)
        kern.append(k)
        concl.append(z)
    else:
        ontbreekt.append("het aandeel van de uitstroom naar werk dat aan instrumenten is toe te rekenen")
    if effecten is not None and len(effecten):
        c = effectcellen(effecten, horizonnen=tuple(cfg.horizonnen), drempel=cfg.drempel, gevoeligheid=gevoeligheid)
        k2, c2 = _effect_indicatoren(c)
        kern += k2
        concl += c2
    else:
        ontbreekt.append("effecten per instrument en categorie (geen trajectgegevens of geen effectanalyse)")
    alineas = ["Elk kerncijfer staat met zijn onzekerheid (95%-interval) en het aantal waarop het rust. 'Significant' of "
               "'aantoonbaar' betekent: het interval sluit geen verschil (0) uit; 'niet aantoonbaar' betekent niet dat er "
               "geen effect is, maar dat deze gegevens het niet kunnen laten zien."]
    if ontbreekt:
        alineas.append("Niet in dit rapport, omdat de gegevens ontbraken: " + "; ".join(ontbreekt) + ".")
    return tuple(kern), tuple(concl), Sectie(ANKER, TITEL, tuple(alineas))
