"""Managementsamenvatting: a handful of headline indicators, each with its uncertainty, and conclusions
that are generated from the numbers (careful wording when an interval includes 0).

Effects are summarised without a winner's curse: the pooled effect of all instruments together, and the
cells whose interval excludes 0 set against how many would do so by chance; never "the largest effect".

Pure: stage results in, ``(kernindicatoren, conclusies, sectie)`` out.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Kernindicator, Sectie
from evaluatie.rapport.secties import benchmark as sb
from evaluatie.rapport.secties.effectcellen import Effectcellen, effectcellen
from evaluatie.rapport.secties.effecten import beoordeelbaar, telling, weggelaten
from evaluatie.rapport.secties.opmaak import (aantal, aantoonbaar, aantoonbaar_kort, bereik, bi, celnaam, getal, pct_punt,
                                              procentpunt)
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
        vergelijking=(f"vergelijkingsgroep {pct_punt(p.groep_gemiddelde)}, Nederland {pct_punt(p.landelijk)}; "
                      f"groep: {sb.METHODENAAM.get(m, m)}, {int(p.n_groep)} gemeenten"),
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


def _later(c: Effectcellen, r: pd.Series) -> str:
    """' Na 24 maanden: +x procentpunt (95%-BI ..), oordeel.' for the first longer horizon with a value."""
    for h2 in (x for x in c.horizonnen if x > c.horizon and pd.notna(r.get(f"att_{x}"))):
        return (f" Na {h2} maanden: {procentpunt(r[f'att_{h2}'])} ({bi(r[f'att_{h2}_laag'], r[f'att_{h2}_hoog'], schaal=100)}), "
                f"{aantoonbaar(r[f'att_{h2}_laag'], r[f'att_{h2}_hoog'])}.")
    return ""


def _cel_kort(r: pd.Series, h: int) -> str:
    """'Jobcoaching, categorie B (+6,2 procentpunt, 95%-BI 2,1–10,3; n = 120)'."""
    return (f"{celnaam(r.instrument, r.categorie)} ({procentpunt(r[f'att_{h}'])}, "
            f"{bi(r[f'att_{h}_laag'], r[f'att_{h}_hoog'], schaal=100)}; n = {aantal(r.n_deelnemers)})")


def _opsomming(t: pd.DataFrame, h: int, max_n: int = 3) -> str:
    delen = [_cel_kort(r, h) for _, r in t.head(max_n).iterrows()]
    if len(t) > max_n:
        delen.append(f"en {len(t) - max_n} andere (zie de effecttabel)")
    return "; ".join(delen)


def _namen(t: pd.DataFrame, max_n: int = 3) -> str:
    namen = [celnaam(r.instrument, r.categorie) for r in t.head(max_n).itertuples()]
    return ", ".join(namen) + (f" en {len(t) - max_n} andere" if len(t) > max_n else "")


def kans_op_toeval(k: int, m: int, alfa: float = 0.05) -> float:
    """P(at least ``k`` of ``m`` independent 95% intervals exclude 0 when no instrument has any effect).

    Binomial tail with success probability ``alfa``: how surprising the number of 'demonstrable' cells
    is if every true effect were 0 (the cells rest on different people, so independence is a fair
    approximation).
    """
    if k <= 0:
        return 1.0
    return float(sum(math.comb(m, i) * alfa ** i * (1 - alfa) ** (m - i) for i in range(k, m + 1)))


def _gepoold(c: Effectcellen) -> tuple[list[Kernindicator], list[str]]:
    """The pooled effect of all instruments together (rows instrument == 'alle'), overall and per categorie."""
    h = c.horizon
    k = f"att_{h}"
    t = c.tabel
    if k not in t:
        return [], []
    pool = t[(t.instrument == "alle") & t[k].notna()]
    totaal = pool[pool.categorie == "alle"]
    per_cat = pool[pool.categorie != "alle"]
    cat_tekst = "; ".join(f"categorie {r.categorie} {getal(100 * r[k], 1, teken=True)} "
                          f"({bereik(r[f'{k}_laag'], r[f'{k}_hoog'], schaal=100)}, {aantoonbaar_kort(r[f'{k}_laag'], r[f'{k}_hoog'])})"
                          for _, r in per_cat.iterrows())
    kern: list[Kernindicator] = []
    concl: list[str] = []
    if len(totaal):
        r = totaal.iloc[0]
        oordeel = aantoonbaar(r[f"{k}_laag"], r[f"{k}_hoog"])
        kern.append(Kernindicator(
            f"Netto effect van alle instrumenten samen na {h} maanden", procentpunt(r[k]),
            bi(r[f"{k}_laag"], r[f"{k}_hoog"], schaal=100, eenheid=" procentpunt") + f"; n = {aantal(r.n_deelnemers)} deelnemers",
            ("per categorie (procentpunt): " + cat_tekst) if cat_tekst else "gemiddeld over alle deelnemers",
            f"Gemiddeld over alle deelnemers is het effect {oordeel}.{_later(c, r)}"))
        concl.append(f"Alle instrumenten samen: na {h} maanden {procentpunt(r[k])} "
                     f"({bi(r[f'{k}_laag'], r[f'{k}_hoog'], schaal=100)}; n = {aantal(r.n_deelnemers)} deelnemers), "
                     f"{oordeel}.{_later(c, r)}" + (f" Per categorie (procentpunt): {cat_tekst}." if cat_tekst else ""))
    elif cat_tekst:
        concl.append(f"Alle instrumenten samen, per categorie, na {h} maanden (procentpunt): {cat_tekst}.")
    return kern, concl


def _effect_indicatoren(c: Effectcellen) -> tuple[list[Kernindicator], list[str]]:
    """Headline on effects without a winner's curse: the pooled effect, then which cells are demonstrable.

    The largest of many noisy point estimates overstates its own effect (and the smallest understates),
    so neither is headlined. Instead: how many cells have an interval that excludes 0, set against how
    many would by chance alone; when there are none, the most precisely estimated cell.
    """
    h = c.horizon
    n = telling(c)
    kern, concl = _gepoold(c)
    b = beoordeelbaar(c)
    if b.empty:
        concl.append(f"Geen enkele combinatie van instrument en categorie heeft een ongevlagde schatting na {h} maanden; "
                     "over de werking van afzonderlijke instrumenten is met deze gegevens niets aantoonbaar.")
        return kern, concl
    lo, hi = b[f"att_{h}_laag"].astype(float), b[f"att_{h}_hoog"].astype(float)
    pos = b[lo > 0].sort_values(f"att_{h}", ascending=False, kind="mergesort")
    neg = b[hi < 0].sort_values(f"att_{h}", kind="mergesort")
    m, k = len(b), len(pos) + len(neg)
    verwacht = getal(0.05 * m, 1)
    weg = n["onderdrukt"] + n["secundair"]
    rest = (f"{n['gevlagd']} gevlagd als onzeker, {weg} weggelaten (privacy)" if n["gevlagd"] or weg
            else "geen gevlagd of weggelaten" if not c.weggelaten_combinaties else "geen gevlagd")
    if k:
        namen = " ".join(x for x in (f"Aantoonbaar positief: {_opsomming(pos, h)}." if len(pos) else "",
                                     f"Aantoonbaar negatief: {_opsomming(neg, h)}." if len(neg) else "") if x)
        kort = "; ".join(x for x in (f"positief: {_namen(pos)}" if len(pos) else "",
                                     f"negatief: {_namen(neg)}" if len(neg) else "") if x)
        if kans_op_toeval(k, m) < 0.05:
            toeval = (f"Dat zijn er meer dan door toeval alleen te verwachten (ongeveer {verwacht}), al is niet te "
                      "zeggen welk afzonderlijk resultaat toeval is.")
            kaart_lezing = "Meer dan door toeval te verwachten; welk afzonderlijk resultaat toeval is, valt niet te zeggen."
        else:
            toeval = (f"Door toeval alleen zijn er bij {m} combinaties ongeveer {verwacht} te verwachten, ook als geen enkel "
                      "instrument werkt: lees deze uitkomsten als aanwijzing om verder te onderzoeken, niet als bewijs per "
                      "instrument.")
            kaart_lezing = "Niet duidelijk meer dan door toeval te verwachten: een aanwijzing om verder te onderzoeken, geen bewijs per instrument."
        vergelijking = f"{kort[0].upper()}{kort[1:]}; {rest}"
        slot = f"{namen} {toeval}"
    else:
        scherp = b.assign(_breedte=hi - lo).sort_values(["_breedte", "instrument", "categorie"], kind="mergesort").iloc[0]
        kaart_lezing = ("Geen enkel instrument heeft met deze gegevens een aantoonbaar effect; dat betekent niet dat ze geen "
                        "effect hebben.")
        vergelijking = f"Nauwkeurigst geschat: {_cel_kort(scherp, h)}; {rest}"
        slot = f"{kaart_lezing} Het nauwkeurigst geschat: {_cel_kort(scherp, h)}."
    kern.append(Kernindicator(
        f"Combinaties instrument × categorie met een aantoonbaar effect na {h} maanden",
        f"{len(pos)} positief, {len(neg)} negatief",
        f"van {m} beoordeelde combinaties (95%-BI sluit 0 uit); door toeval alleen verwacht: ongeveer {verwacht}",
        vergelijking, kaart_lezing))
    concl.append(f"Van de {m} beoordeelde combinaties van instrument en categorie is het effect na {h} maanden aantoonbaar "
                 f"positief voor {len(pos)} en aantoonbaar negatief voor {len(neg)}; voor de rest is het niet aantoonbaar "
                 f"(dat is niet hetzelfde als geen effect). {slot}"
                 + (f" Gevlagd als onzeker: {n['gevlagd']}." if n["gevlagd"] else "")
                 + (f" {weggelaten(c)}" if c.weggelaten_combinaties else ""))
    return kern, concl


def samenvatting(cfg: Evaluatieconfig, *, benchmark: Any, effecten: pd.DataFrame | None, populatie: pd.DataFrame | None,
                 gevoeligheid: pd.DataFrame | None = None, tellingen: Any = None,
                 na_uitstroom: Any = None) -> tuple[tuple[Kernindicator, ...], tuple[str, ...], Sectie]:
    """Headline indicators, conclusions, and the summary section (what is missing, how to read it).

    ``na_uitstroom`` (:class:`~evaluatie.rapport.secties.na_uitstroom.Nauitstroom`) adds the durable-exit effect
    next to the first-exit effect, the months on benefit and the return to benefit.

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
    t = toerekenbaar(populatie, cfg.drempel, beveiligd=None if tellingen is None else tellingen.get("toerekenbaar"))
    if t is not None:
        k, z = _toerekenbaar_indicator(t)
        kern.append(k)
        concl.append(z)
    else:
        ontbreekt.append("het aandeel van de uitstroom naar werk dat aan instrumenten is toe te rekenen")
    if effecten is not None and len(effecten):
        c = effectcellen(effecten, horizonnen=tuple(cfg.horizonnen), drempel=cfg.drempel, gevoeligheid=gevoeligheid,
                         beveiligd=None if tellingen is None else tellingen.get("effecten"))
        k2, c2 = _effect_indicatoren(c)
        kern += k2
        concl += c2
    else:
        ontbreekt.append("effecten per instrument en categorie (geen trajectgegevens of geen effectanalyse)")
    if na_uitstroom is not None:  # 'Blijft het werk?': durable exit next to first exit, months on benefit, terugval
        from evaluatie.rapport.secties.na_uitstroom import kern_na_uitstroom, ontbreekt_na_uitstroom

        k3, c3 = kern_na_uitstroom(na_uitstroom)
        kern += k3
        concl += c3
        ontbreekt += ontbreekt_na_uitstroom(na_uitstroom)
    alineas = ["Elk kerncijfer staat met zijn onzekerheid (95%-interval) en het aantal waarop het rust. 'Significant' of "
               "'aantoonbaar' betekent: het interval sluit geen verschil (0) uit; 'niet aantoonbaar' betekent niet dat er "
               "geen effect is, maar dat deze gegevens het niet kunnen laten zien."]
    if ontbreekt:
        alineas.append("Niet in dit rapport, omdat de gegevens ontbraken: " + "; ".join(ontbreekt) + ".")
    return tuple(kern), tuple(concl), Sectie(ANKER, TITEL, tuple(alineas))
