"""Chapter 'Blijft het werk?': what happens after the exit to work (issue 17).

Three questions a raad asks after "how many found work?":

(a) **Terugval** — how many of those who left benefit for work are back within 6, 12 and 18 months (the
    CBS windows), per categorie and for participants (a trajectory during the spell) versus the others;
    the descriptive cumulative incidence of :mod:`evaluatie.terugval`, set against the CBS and Divosa
    figures as context;
(b) **duurzaam werk** — per instrument × categorie the effect on "exit to work and no new benefit within
    ``k`` months" next to the effect on the first exit, at the report's main horizon;
(c) **uitkeringsmaanden** — the difference in months on benefit in the first 12/24/36 months after the
    start, per cell and pooled, in words;
(d) where the first-exit effect and the durable-exit effect of a cell point in opposite directions, the
    chapter says so (:func:`tegengesteld`: both 95% intervals exclude 0, on opposite sides).

The parts live in :mod:`.na_terugval` (a), :mod:`.na_duurzaam` (b, d) and :mod:`.na_maanden` (c); this
module builds them once (:func:`na_uitstroom`), makes the chapter and the summary lines.

Pure: stage results in, a :class:`~evaluatie.rapport.inhoud.Sectie` out. Disclosure: the terugval counts and
incidences are protected with the report's other counts in one call
(:func:`evaluatie.rapport.beveiliging.rapporttellingen`, tables ``terugval`` and ``terugval_aantallen`` with
the terugval step's :data:`~evaluatie.stappen.terugval.SPECS`); an incidence is shown only where at least
``drempel`` persons are at risk *and* at least ``drempel`` returns were seen by then (a share of a few
returns would give their number away), and never next to a suppressed count (share × exits would estimate
it). Durable-exit effects and months on benefit are shown only for the
cells the effect chapter shows (same participants, same protection), and never with a count of their own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Kernindicator, Sectie
from evaluatie.rapport.secties.effectcellen import effectcellen
from evaluatie.rapport.secties.na_duurzaam import (K_STANDAARD, REGEL_TEGENGESTELD, Duurzaamcellen,
                                                   duurzaam_populatie, duurzaamcellen, sectie_duurzaam, tegengesteld)
from evaluatie.rapport.secties.na_maanden import (Uitkeringsmaandcellen, maanden_tekst, mnd_bi, oordeel_maanden,
                                                  sectie_uitkeringsmaanden, uitkeringsmaandcellen)
from evaluatie.rapport.secties.na_terugval import Terugvalcijfers, divosa_oordeel, sectie_terugval, terugvalcijfers
from evaluatie.rapport.secties.opmaak import aantal, aantoonbaar, aantoonbaar_kort, bi, celnaam, getal, pct, procentpunt

ANKER = "na-uitstroom"
TITEL = "Blijft het werk? Terugval, duurzaam werk en uitkeringsmaanden"


@dataclass(frozen=True)
class Nauitstroom:
    """Everything the chapter and the summary read (built once by :func:`na_uitstroom`)."""

    terugval: Terugvalcijfers | None
    terugval_reden: str | None
    duurzaam: Duurzaamcellen | None
    duurzaam_reden: str | None
    uitkeringsmaanden: Uitkeringsmaandcellen | None
    uitkeringsmaanden_reden: str | None
    #: the attributable share of all durable exits (schatting, ci_laag, ci_hoog), when the estimator gave it
    duurzaam_aandeel: tuple[float, float, float] | None = None


def _get(tellingen: Any, naam: str) -> Any:
    return None if tellingen is None else tellingen.get(naam)


def na_uitstroom(cfg: Evaluatieconfig, *, terugval: Any = None, terugval_reden: str | None = None,
                 effecten: pd.DataFrame | None = None, uitkeringsmaanden: pd.DataFrame | None = None,
                 populatie: pd.DataFrame | None = None, gevoeligheid: pd.DataFrame | None = None,
                 tellingen: Any = None, k: int = K_STANDAARD) -> Nauitstroom:
    """The protected figures of the chapter, and for each part the reason when it cannot be shown.

    Parameters
    ----------
    cfg : Evaluatieconfig
    terugval : Terugvalresultaat, optional
        From :func:`evaluatie.stappen.terugval.terugval` (the report step runs it when the data allow).
    terugval_reden : str, optional
        Why there is no terugval result (shown as 'niet te beoordelen: …').
    effecten : DataFrame, optional
        The tidy effect frame; rows with ``uitkomst`` ``duurzaam_werk_<k>`` give part (b).
    uitkeringsmaanden : DataFrame, optional
        ``Effectresultaat.uitkeringsmaanden`` (part c); None for results without it.
    populatie : DataFrame, optional
        ``Effectresultaat.populatie``; its row ``toerekenbaar_aandeel_duurzaam_<k>`` is quoted when present.
    gevoeligheid, tellingen
        As for the effect chapter (the same protected effect cells).
    k : int
        The durable-exit outcome shown (default 6; the smallest present when 6 is not).
    """
    tv = None
    if terugval is not None:
        tv = terugvalcijfers(terugval, cfg.drempel, beveiligd=tellingen)
    elif terugval_reden is None:
        terugval_reden = "geen terugvalanalyse uitgevoerd"
    dc = uc = None
    if effecten is None or not len(effecten):
        dreden = ureden = "er zijn geen effectschattingen per instrument (geen trajectgegevens of geen effectanalyse)"
    else:
        c = effectcellen(effecten, horizonnen=tuple(cfg.horizonnen), drempel=cfg.drempel, gevoeligheid=gevoeligheid,
                         beveiligd=_get(tellingen, "effecten"))
        dreden = ureden = None
        if c.tabel.empty:
            dreden = ureden = (f"alle combinaties van instrument en categorie hebben minder dan {cfg.drempel} "
                               "deelnemers of zijn weggelaten om zo'n kleine combinatie te beschermen")
        else:
            dc = duurzaamcellen(effecten, c, k=k)
            if dc is None:
                dreden = ("deze effectanalyse bevat geen schattingen op duurzaam werk (uitkomst duurzaam_werk_k); "
                          "draai 'evaluatie analyseer' met een versie die ze maakt")
            uc = uitkeringsmaandcellen(uitkeringsmaanden, c)
            if uc is None:
                ureden = ("deze effectanalyse bevat geen schattingen van het aantal maanden in de bijstand"
                          if uitkeringsmaanden is None or not len(uitkeringsmaanden) else
                          "geen van de getoonde combinaties heeft een schatting van het aantal maanden in de bijstand")
    aandeel = None if dc is None else duurzaam_populatie(populatie, dc.k)
    return Nauitstroom(tv, terugval_reden, dc, dreden, uc, ureden, aandeel)


def sectie_na_uitstroom(cfg: Evaluatieconfig, na: Nauitstroom) -> Sectie:
    """The chapter 'Blijft het werk?' (see the module docstring)."""
    inleiding = ("Uitstroom naar werk is pas winst als het werk blijft. Dit hoofdstuk beschrijft hoeveel mensen na "
                 "uitstroom naar werk terugkomen in de bijstand, zet het effect van instrumenten op duurzaam werk naast "
                 "het effect op de eerste uitstroom, en vertaalt de effecten in maanden bijstand.")
    subs = (sectie_terugval(na.terugval, na.terugval_reden, cfg),
            sectie_duurzaam(na.duurzaam, na.duurzaam_reden, na.duurzaam_aandeel, cfg),
            sectie_uitkeringsmaanden(na.uitkeringsmaanden, na.uitkeringsmaanden_reden, cfg))
    return Sectie(ANKER, TITEL, (inleiding,), subsecties=subs)


def kern_na_uitstroom(na: Nauitstroom) -> tuple[list[Kernindicator], list[str]]:
    """Headline indicator(s) and one conclusion: durable-exit effect next to the first-exit effect (pooled), the
    months on benefit, the return to benefit within 12 months, and the number of cells with opposite effects."""
    kern: list[Kernindicator] = []
    concl: list[str] = []
    dc = na.duurzaam
    pool = None
    if dc is not None:
        t = dc.tabel
        p = t[(t.instrument == "alle") & (t.categorie == "alle")]
        pool = None if p.empty else p.iloc[0]
    um = None if na.uitkeringsmaanden is None else na.uitkeringsmaanden.rij("alle", "alle")
    delen = []
    if pool is not None:
        h, k = dc.horizon, dc.k
        delen.append(f"op uitstroom naar werk binnen {h} maanden {procentpunt(pool.werk)} "
                     f"({bi(pool.werk_laag, pool.werk_hoog, schaal=100)}, {aantoonbaar_kort(pool.werk_laag, pool.werk_hoog)}), "
                     f"op duurzaam werk ({k} maanden geen nieuwe uitkering) {procentpunt(pool.duurzaam)} "
                     f"({bi(pool.duurzaam_laag, pool.duurzaam_hoog, schaal=100)}, "
                     f"{aantoonbaar_kort(pool.duurzaam_laag, pool.duurzaam_hoog)})")
        kern.append(Kernindicator(
            f"Netto effect op duurzaam werk ({k} mnd geen uitkering) na {h} maanden", procentpunt(pool.duurzaam),
            bi(pool.duurzaam_laag, pool.duurzaam_hoog, schaal=100, eenheid=" procentpunt")
            + f"; n = {aantal(pool.n_deelnemers)} deelnemers",
            f"effect op uitstroom naar werk: {procentpunt(pool.werk)} ({bi(pool.werk_laag, pool.werk_hoog, schaal=100)})",
            f"Alle instrumenten samen; het effect op duurzaam werk is {aantoonbaar(pool.duurzaam_laag, pool.duurzaam_hoog)}."))
    if um is not None:
        delen.append(f"in de eerste {int(um.horizon)} maanden gemiddeld {maanden_tekst(um.verschil)} in de bijstand "
                     f"({mnd_bi(um.verschil_laag, um.verschil_hoog)})")
        kern.append(Kernindicator(
            f"Maanden in de bijstand, eerste {int(um.horizon)} maanden na de start", getal(um.verschil, 1, teken=True),
            mnd_bi(um.verschil_laag, um.verschil_hoog) + f"; n = {aantal(um.n_deelnemers)} deelnemers",
            f"deelnemers {getal(um.deelnemers, 1)} maanden, zonder instrument (geschat) {getal(um.controle, 1)}",
            f"Alle instrumenten samen; negatief = minder maanden uitkering. Oordeel: "
            f"{oordeel_maanden(um.verschil_laag, um.verschil_hoog)}."))
    if delen:
        concl.append("Alle instrumenten samen, na de eerste uitstroom: effect " + "; ".join(delen) + ".")
    if dc is not None and len(dc.tegengestelde):
        namen = ", ".join(celnaam(r.instrument, r.categorie) for r in dc.tegengestelde.itertuples(index=False))
        concl.append(f"Bij {len(dc.tegengestelde)} combinatie(s) gaan het effect op uitstroom en op duurzaam werk "
                     f"aantoonbaar tegengestelde kanten op: {namen} (zie 'Blijft het werk?').")
    tv = na.terugval
    r12 = None if tv is None else tv.totaal(12)
    if r12 is not None:
        kern.append(Kernindicator(
            "Terug in de bijstand binnen 12 maanden na uitstroom naar werk", pct(r12.cif),
            bi(r12.ci_laag, r12.ci_hoog, schaal=100, eenheid="%") + f"; n = {aantal(tv.n_uitstroom_werk)} keer uitstroom naar werk",
            "Divosa: ongeveer 1 op de 5 binnen een jaar; CBS: 82% na 6 en 72% na 18 maanden nog aan het werk zonder bijstand",
            f"{divosa_oordeel(r12.ci_laag, r12.ci_hoog).capitalize()} het landelijke beeld (Divosa: ongeveer 1 op de "
            "5); beschrijvend, geen effect van instrumenten (zie 'Blijft het werk?')."))
    return kern, concl


def ontbreekt_na_uitstroom(na: Nauitstroom) -> list[str]:
    """What the chapter could not show, for the summary's 'Niet in dit rapport' line."""
    uit = []
    if na.terugval is None:
        uit.append("terugval in de bijstand na uitstroom naar werk (" + (na.terugval_reden or "niet uitgevoerd") + ")")
    elif na.terugval.n_terugval == 0:
        uit.append("terugval in de bijstand na uitstroom naar werk (geen enkele terugkeer in de gegevens)")
    if na.duurzaam is None and na.duurzaam_reden and "geen effectschattingen" not in na.duurzaam_reden:
        uit.append("het effect van instrumenten op duurzaam werk")
    if na.uitkeringsmaanden is None and na.uitkeringsmaanden_reden and "geen effectschattingen" not in na.uitkeringsmaanden_reden:
        uit.append("het effect van instrumenten op het aantal maanden in de bijstand")
    return uit


__all__ = ["ANKER", "K_STANDAARD", "REGEL_TEGENGESTELD", "TITEL", "Duurzaamcellen", "Nauitstroom", "Terugvalcijfers",
           "Uitkeringsmaandcellen", "duurzaamcellen", "kern_na_uitstroom", "na_uitstroom", "ontbreekt_na_uitstroom", "sectie_na_uitstroom",
           "tegengesteld", "terugvalcijfers", "uitkeringsmaandcellen"]
