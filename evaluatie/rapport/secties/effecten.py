"""Section 'Effectiviteit per instrument × categorie': forest plot, effect over time, tables, literature.

Pure: the effect frame in, a :class:`~evaluatie.rapport.inhoud.Sectie` out. Everything shown comes from
:func:`~evaluatie.rapport.secties.effectcellen.effectcellen` (disclosure-controlled); curves are cut with
:func:`~evaluatie.disclosure.knip_curve`.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import MARKER_SECUNDAIR, knip_curve
from evaluatie.drempels import KWETSBAAR_E
from evaluatie.rapport import figuren as ef
from evaluatie.rapport.beveiliging import marker_noot
from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.effectcellen import OVERIG, Effectcellen, bosdata, effectcellen, verloopdata
from evaluatie.rapport.secties.opmaak import (MIN_BREEDTE, aantal, aantoonbaar_kort, bereik, bi, celnaam, getal,
                                              instrumentnaam, pct)
from evaluatie.rapport.secties.populatie import lezing_best, toerekenbaar, zin

ANKER = "effecten"
TITEL = "Effectiviteit per instrument en categorie"
METHODENAAM = {"gformule": "g-formule", "risicoset": "risicoset-weging", "naief": "naïef verschil"}
RICHTING = {"positief": "positief effect op werk", "positief_klein": "klein positief effect",
            "lock_in_dan_positief": "eerst lock-in, later positief", "nul_of_negatief": "geen of negatief effect op uitstroom",
            "onbekend": "geen eenduidige verwachting"}
MAX_CIF_CELLEN = 6
KWETSBAAR_KOLOM = f"kwetsbaar (E-waarde grens BI < {KWETSBAAR_E:.1f})".replace(".", ",")


def en_lijst(delen: list[str]) -> str:
    """``['12', '24', '36']`` → ``'12, 24 en 36'``."""
    return delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]


def _effect(a: float, lo: float, hi: float) -> str:
    if pd.isna(a):
        return "–"
    return f"{getal(100 * a, 1, teken=True)} ({bereik(lo, hi, schaal=100)})"


def _aandeel(a: float, lo: float, hi: float) -> str:
    return "–" if pd.isna(a) else f"{pct(a)} ({bereik(lo, hi, schaal=100, eenheid='%')})"


def _col(t: pd.DataFrame, k: str) -> pd.Series:
    return t[k].astype(float) if k in t else pd.Series(np.nan, index=t.index)


def _n_gebeurtenissen(t: pd.DataFrame, drempel: int) -> list[str]:
    weg = t["n_gebeurtenissen_onderdrukt"] if "n_gebeurtenissen_onderdrukt" in t else pd.Series(False, index=t.index)
    prim = t["n_gebeurtenissen_primair"] if "n_gebeurtenissen_primair" in t else weg
    return [(f"<{drempel}" if p else MARKER_SECUNDAIR) if w else ("–" if pd.isna(n) else aantal(n))
            for n, w, p in zip(t.n_gebeurtenissen, weg, prim)]


def _celnaam(i: str, k: str) -> str:
    if i == OVERIG:
        return "overige combinaties (niet geschat)" + ("" if k == OVERIG else f", categorie {k}")
    return celnaam(i, k)


def _vlag(out: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    """Add the flag column only when some shown cell has a flag (an empty column says nothing)."""
    if (t.vlag != "").any():
        out["vlag"] = t.vlag.to_numpy()
    return out


def effecttabel(c: Effectcellen) -> pd.DataFrame:
    """Display table: effect per horizon with CI, naive difference, verdict, n (participants, exits to work)."""
    t = c.tabel
    h = c.horizon
    out = pd.DataFrame({"instrument en categorie": [_celnaam(i, k) for i, k in zip(t.instrument, t.categorie)],
                        "deelnemers (n)": [aantal(n) for n in t.n_deelnemers],
                        f"naar werk ≤ {h} mnd (n)": _n_gebeurtenissen(t, c.drempel)})
    for hh in c.horizonnen:
        out[f"effect {hh} mnd (95%-BI)"] = [
            _effect(a, lo, hi) for a, lo, hi in zip(_col(t, f"att_{hh}"), _col(t, f"att_{hh}_laag"), _col(t, f"att_{hh}_hoog"))]
    if "naief" in t:
        out[f"naïef verschil {h} mnd"] = [_effect(a, lo, hi) for a, lo, hi in zip(_col(t, "naief"), _col(t, "naief_laag"), _col(t, "naief_hoog"))]
    out[f"oordeel {h} mnd"] = [aantoonbaar_kort(lo, hi) for lo, hi in zip(_col(t, f"att_{h}_laag"), _col(t, f"att_{h}_hoog"))]
    return _vlag(out, t)


def deadweighttabel(c: Effectcellen) -> pd.DataFrame:
    """Display table: deadweight, attributable part, the control estimator and the E-value per cell."""
    t = c.tabel
    h = c.horizon
    out = pd.DataFrame({"instrument en categorie": [_celnaam(i, k) for i, k in zip(t.instrument, t.categorie)],
                        "deelnemers (n)": [aantal(n) for n in t.n_deelnemers]})
    out[f"deadweight {h} mnd (95%-BI)"] = [_aandeel(a, lo, hi) for a, lo, hi in zip(_col(t, "deadweight"), _col(t, "deadweight_laag"), _col(t, "deadweight_hoog"))]
    out[f"toe te rekenen {h} mnd (95%-BI)"] = [_aandeel(a, lo, hi) for a, lo, hi in zip(_col(t, "toerekenbaar"), _col(t, "toerekenbaar_laag"), _col(t, "toerekenbaar_hoog"))]
    if "controle" in t:
        out[f"controle: risicoset-weging, effect {h} mnd"] = [
            _effect(a, lo, hi) for a, lo, hi in zip(_col(t, "controle"), _col(t, "controle_laag"), _col(t, "controle_hoog"))]
    if "e_waarde" in t:
        out["E-waarde (schatting / grens BI)"] = [f"{getal(a, 2)} / {getal(b, 2)}" for a, b in zip(_col(t, "e_waarde"), _col(t, "e_waarde_ci"))]
    if "kwetsbaar" in t:  # the estimator's label (gevoeligheid.kwetsbaar), shown as it is
        out[KWETSBAAR_KOLOM] = ["–" if pd.isna(k) else ("ja" if k == 1 else "nee") for k in _col(t, "kwetsbaar")]
    return _vlag(out, t)


def literatuurtabel(instrumenten: list[str]) -> pd.DataFrame:
    """What the literature expects per instrument type (external, not from these data)."""
    from evaluatie.kennisbank.literatuur import literatuur

    lit = literatuur()
    lit = lit[lit.instrument.isin(instrumenten)]
    return pd.DataFrame({"instrument": [instrumentnaam(i) for i in lit.instrument], "soort": lit.soort.str.replace("_", " "),
                         "verwachting": [RICHTING.get(str(r), str(r)) for r in lit.richting_werk],
                         "bron": lit.bron.fillna("–").replace("-", "–"), "herkomst": lit.bron_type}).reset_index(drop=True)


def beoordeelbaar(c: Effectcellen) -> pd.DataFrame:
    """Shown, non-pooled, unflagged cells with an estimate and an interval of some width at the main horizon."""
    t = c.cellen
    h = c.horizon
    if f"att_{h}" not in t:
        return t.iloc[:0]
    lo, hi = _col(t, f"att_{h}_laag"), _col(t, f"att_{h}_hoog")
    ok = (t.vlag == "") & _col(t, f"att_{h}").notna() & lo.notna() & hi.notna() & ((hi - lo).abs() >= MIN_BREEDTE)
    return t[ok]


def telling(c: Effectcellen) -> dict[str, int]:
    """Counts of cells at the main horizon (pooled rows excluded).

    ``getoond`` shown cells; ``beoordeeld`` of those the unflagged ones with an interval; ``positief`` /
    ``negatief`` of the assessed cells those whose 95% interval lies above / below 0; ``gevlagd``;
    ``onderdrukt`` (fewer than ``drempel`` participants); ``secundair`` (left out to protect those).
    """
    b = beoordeelbaar(c)
    h = c.horizon
    lo, hi = _col(b, f"att_{h}_laag"), _col(b, f"att_{h}_hoog")
    return {"getoond": len(c.cellen), "beoordeeld": len(b), "positief": int((lo > 0).sum()), "negatief": int((hi < 0).sum()),
            "gevlagd": c.n_gevlagd, "onderdrukt": c.n_onderdrukt, "secundair": c.n_secundair}


def weggelaten(c: Effectcellen) -> str:
    """What is missing from the effect table, and why (never 'nothing' when something is)."""
    if not c.weggelaten_combinaties:
        if not (c.tabel.instrument == "alle").any():  # no pooled row: what the estimator skipped is unknown here
            return (f"In deze tabel is geen combinatie weggelaten wegens minder dan {c.drempel} deelnemers; "
                    "combinaties die te weinig deelnemers hadden om te schatten staan er niet in.")
        return f"Er zijn geen combinaties weggelaten wegens minder dan {c.drempel} deelnemers."
    delen = []
    if c.n_onderdrukt:
        delen.append(f"Weggelaten omdat ze op minder dan {c.drempel} deelnemers rusten: {c.n_onderdrukt}"
                     + (f" (daarnaast {c.n_secundair} andere, zodat de totalen die niet door aftrekken verraden)"
                        if c.n_secundair else "") + ".")
    elif c.n_secundair:
        delen.append(f"Weggelaten zodat de totalen geen kleine aantallen door aftrekken verraden: {c.n_secundair}.")
    if c.n_overig > 0:
        delen.append(f"Combinaties met te weinig deelnemers voor een schatting zijn niet geschat; hun deelnemers "
                     "tellen wel mee in de totalen van alle instrumenten samen"
                     + (" en staan als 'overige combinaties' in de tabel" if not c.overig_onderdrukt else
                        " (waar dat er minder dan " + str(c.drempel) + " zijn, of hun aantal een ander klein aantal "
                        "zou verraden, staat hun aantal niet in de tabel)") + ".")
    return " ".join(delen)


def _naief_min_att(populatie: pd.DataFrame | None, h: int) -> tuple[float, float, float] | None:
    """The estimator's mean naive-minus-att difference at horizon ``h`` (row ``naief_min_att_<h>``), or None."""
    if populatie is None or "maat" not in populatie:
        return None
    r = populatie[populatie.maat == f"naief_min_att_{h}"]
    if r.empty or pd.isna(r.schatting.iloc[0]):
        return None
    return float(r.schatting.iloc[0]), float(r.ci_laag.iloc[0]), float(r.ci_hoog.iloc[0])


def _alineas(c: Effectcellen, cfg: Evaluatieconfig, populatie: pd.DataFrame | None = None) -> list[str]:
    h = c.horizon
    n = telling(c)
    t = c.cellen
    vlag = (f"Van de {n['getoond']} getoonde combinaties van instrument en categorie zijn er {n['gevlagd']} gevlagd (te weinig "
            "deelnemers, slechte overlap of balans met de vergelijkingsgroep; lees die niet als bewijs). Van de overige "
            f"{n['beoordeeld']} is" if n["gevlagd"] else
            f"Geen van de {n['getoond']} getoonde combinaties van instrument en categorie is gevlagd wegens te weinig deelnemers "
            f"of slechte overlap met de vergelijkingsgroep. Van de {n['beoordeeld']} combinaties met een interval is"
            if n["beoordeeld"] < n["getoond"] else
            f"Geen van de {n['getoond']} getoonde combinaties van instrument en categorie is gevlagd wegens te weinig deelnemers "
            "of slechte overlap met de vergelijkingsgroep. Daarvan is")
    weg = weggelaten(c)
    if n["beoordeeld"]:
        al = [f"{vlag} het effect op uitstroom naar werk na {h} maanden aantoonbaar positief voor {n['positief']} en "
              f"aantoonbaar negatief voor {n['negatief']}; voor de rest is een effect niet aantoonbaar met deze aantallen. "
              f"{weg}"]
    else:
        al = [f"Van de {n['getoond']} getoonde combinaties van instrument en categorie heeft geen enkele een ongevlagde "
              f"schatting met een betrouwbaarheidsinterval van enige breedte na {h} maanden (geen intervallen berekend, "
              "bijvoorbeeld zonder bootstrap, of geen uitstroom naar werk om te vergelijken): of een instrument effect "
              f"heeft, is met deze uitvoer niet te beoordelen. {weg}"]
    if n["beoordeeld"]:
        al.append(f"Bij {n['beoordeeld']} combinaties hebben er door toeval alleen al ongeveer {getal(0.05 * n['beoordeeld'], 1)} "
                  "een interval dat 0 uitsluit, ook als geen enkel instrument werkt. Eén opvallend resultaat tussen veel "
                  "combinaties is dus nog geen bewijs, en het grootste geschatte effect is meestal een overschatting van het "
                  "ware effect. Het effect van alle instrumenten samen (onderaan de tabel) rust op veel meer deelnemers.")
    al.append(f"Een effect is het verschil in procentpunten tussen het deel van de deelnemers dat binnen {h} maanden naar "
              "werk uitstroomt en het deel dat dat (geschat) zonder het instrument zou hebben gedaan. Hoofdschatting: "
              f"{METHODENAAM.get(c.methode, c.methode)}" + (", met risicoset-weging als controle." if "controle" in c.tabel else "."))
    sel = _naief_min_att(populatie, h)  # computed by the estimator with its bootstrap CI; the report only formats it
    if sel is not None:
        gem, lo_, hi_ = sel
        richting = "hoger" if gem > 0 else "lager"
        al.append(f"Een gewone vergelijking van deelnemers met niet-deelnemers (naïef verschil) ligt gemiddeld over de "
                  f"combinaties {getal(abs(100 * gem), 1)} procentpunt {richting} dan het gecorrigeerde effect "
                  f"({bi(lo_, hi_, schaal=100, eenheid=' procentpunt')}, verschil naïef min gecorrigeerd): klantmanagers "
                  "zetten instrumenten vaker in bij wie toch al kansrijker is, en die selectie zit in het naïeve verschil.")
    al.append("De schattingen rusten op één aanname die de gegevens niet kunnen bewijzen: gegeven de waargenomen kenmerken "
              "(categorie, trede, leeftijd, opleiding, uitkeringsduur, kalenderjaar, gemeente) zijn er geen niet-waargenomen "
              "verschillen tussen deelnemers en de vergelijkingsgroep die ook met de kans op werk samenhangen.")
    if "e_waarde_ci" in t:
        ev = _col(t, "e_waarde_ci").notna()
        kw = int((_col(t, "kwetsbaar")[ev] == 1).sum())  # the estimator's label (gevoeligheid.kwetsbaar), not recomputed
        al.append(f"Gevoeligheid (E-waarde): voor {kw} van de {int(ev.sum())} combinaties is de E-waarde van de intervalgrens kleiner "
                  f"dan {getal(KWETSBAAR_E, 1)} (1 betekent: het interval bevat al 0). Daar zou een niet-gemeten verschil "
                  "(bijvoorbeeld motivatie) dat met zowel deelname als werk matig samenhangt het effect al kunnen "
                  "wegverklaren; alleen effecten met een hogere E-waarde zijn robuust.")
    else:
        al.append("Een gevoeligheidsanalyse (E-waarde) is voor deze run niet beschikbaar; hoe robuust de effecten zijn voor "
                  "niet-gemeten verschillen is daarom niet gekwantificeerd.")
    al.append("Tijdens een traject zoeken mensen minder naar werk (lock-in): het effect kan eerst negatief zijn en pas later "
              "positief worden. Vergelijk daarom de effecten na verschillende horizonnen en de verloopfiguur.")
    return al


def _figuren(c: Effectcellen, cfg: Evaluatieconfig) -> list[Figuur]:
    figs = []
    bos = bosdata(c)
    if len(bos):
        hs = en_lijst([str(h) for h in c.horizonnen])
        figs.append(Figuur(f"Netto effect na {hs} maanden", figuur_png(ef.bosfiguur(bos, horizonnen=c.horizonnen)),
                           "Bosdiagram van het effect op uitstroom naar werk per instrument en categorie, met 95%-betrouwbaarheidsintervallen",
                           f"Punt = schatting, lijn = 95%-BI. Open grijze punten (*) zijn gevlagd. Combinaties met minder dan "
                           f"{cfg.drempel} deelnemers zijn weggelaten."))
    att, _ = verloopdata(c)  # every shown cell: a raadslid looks for the instrument of their question
    _, cif = verloopdata(c, max_cellen=MAX_CIF_CELLEN)
    if len(att):
        figs.append(Figuur("Effect naar maanden sinds start (lock-in en inhaalslag)", figuur_png(ef.verloopfiguur(att)),
                           "Effect in procentpunt per maand sinds start van het instrument, met 95%-band, per instrument en categorie",
                           "Onder nul: deelnemers lopen (nog) achter op dezelfde mensen zonder instrument (lock-in); boven nul: "
                           "ze hebben hen ingehaald. Waar de band 0 bevat is het effect op die horizon niet aantoonbaar."))
    if len(cif):
        figs.append(Figuur("Deelnemers en dezelfde mensen zonder instrument", figuur_png(ef.cif_figuur(cif)),
                           "Cumulatieve uitstroom naar werk van deelnemers en hun geschatte situatie zonder instrument",
                           f"De {min(MAX_CIF_CELLEN, len(set(zip(cif.instrument, cif.categorie))))} combinaties met de meeste "
                           "deelnemers. Doorgetrokken: deelnemers; gestippeld: geschat zonder instrument."))
    return figs


def _vlag_noot(c: Effectcellen) -> str:
    if c.n_gevlagd or (c.tabel.vlag != "").any():
        return ("Vlag: te weinig deelnemers of slechte overlap met de vergelijkingsgroep; lees zulke combinaties niet als "
                "bewijs (in de figuur open en grijs).")
    return "Geen enkele getoonde combinatie is gevlagd wegens te weinig deelnemers of slechte overlap."


def sectie_uitstroom(curves: pd.DataFrame | None, cfg: Evaluatieconfig) -> Sectie | None:
    """Subsection with exit-to-work curves by categorie, cut where fewer than ``drempel`` are at risk."""
    if curves is None or curves.empty:
        return None
    c = curves.rename(columns={"categorie": "group"}) if "group" not in curves and "categorie" in curves else curves
    c = knip_curve(c, "n_risk", groep=["group"], tijd_kolom="time", drempel=cfg.drempel)
    if c.empty:
        return None
    return Sectie("uitstroom", "Uitstroom naar werk per categorie", (
        "Het deel van de mensen dat binnen een bepaalde tijd naar werk uitstroomt, per intake-categorie. Andere uitstroom "
        "(verhuizing, huishouden, pensioen) telt niet als werk maar haalt mensen wel uit de groep; daarom is dit een "
        "cumulatieve incidentie en niet 1 − Kaplan-Meier, die uitstroom naar werk zou overschatten.",),
        (), (Figuur("Cumulatieve uitstroom naar werk per categorie", figuur_png(ef.uitstroomfiguur(c)),
                    "Curves van de cumulatieve uitstroom naar werk per categorie met 95%-banden",
                    f"Curves stoppen waar minder dan {cfg.drempel} personen risico lopen."),))


def _get(tellingen: Any, naam: str) -> Any:
    return None if tellingen is None else tellingen.get(naam)


def sectie_toerekenbaar(populatie: pd.DataFrame | None, cfg: Evaluatieconfig, *, tellingen: Any = None) -> Sectie | None:
    """Subsection on the share of all exits to work attributable to instruments."""
    t = toerekenbaar(populatie, cfg.drempel, beveiligd=_get(tellingen, "toerekenbaar"))
    if t is None:
        return None
    return Sectie("toerekenbaar", "Hoeveel uitstroom naar werk is toe te rekenen aan instrumenten?", (
        zin(t) + " " + lezing_best(t),
        "De Rekenkamercommissie Best schreef dat 'maximaal ca. 45%' van de uitstroom aan het participatiebeleid is toe "
        "te rekenen. Dat is een bovengrens op basis van toerekening; ons getal is een schatting van wat er zonder "
        "instrumenten zou zijn gebeurd, met een betrouwbaarheidsinterval.",))


def sectie_effecten(effecten: pd.DataFrame | None, populatie: pd.DataFrame | None, cfg: Evaluatieconfig, *,
                    gevoeligheid: pd.DataFrame | None = None, uitstroom_curves: pd.DataFrame | None = None,
                    tellingen: Any = None) -> Sectie:
    """The effect chapter (see module docstring); says what is missing when ``effecten`` is None or empty.

    ``tellingen``: the report's joint disclosure control (:class:`~evaluatie.rapport.beveiliging.Rapporttellingen`);
    without it the chapter's tables are protected on their own.
    """
    subs = [s for s in (sectie_toerekenbaar(populatie, cfg, tellingen=tellingen), sectie_uitstroom(uitstroom_curves, cfg))
            if s is not None]
    if effecten is None or effecten.empty:
        return Sectie(ANKER, TITEL, (
            "Er zijn geen effectschattingen per instrument beschikbaar (geen trajectgegevens aangeleverd of de effectanalyse "
            "is niet uitgevoerd). Dit hoofdstuk toont daarom geen effecten; draai 'evaluatie analyseer' met een map waarin "
            "trajecten.csv staat om ze toe te voegen.",), subsecties=tuple(subs))
    c = effectcellen(effecten, horizonnen=tuple(cfg.horizonnen), drempel=cfg.drempel, gevoeligheid=gevoeligheid,
                     beveiligd=_get(tellingen, "effecten"))
    if c.tabel.empty:
        return Sectie(ANKER, TITEL, (
            f"Alle combinaties van instrument en categorie hebben minder dan {cfg.drempel} deelnemers of moeten worden "
            f"weggelaten om zo'n kleine combinatie te beschermen; om privacyredenen worden ze niet getoond. {weggelaten(c)}",),
            subsecties=tuple(subs))
    h = c.horizon
    tabellen = [
        Tabel("Effect op uitstroom naar werk per instrument en categorie", effecttabel(c),
              f"Effect = verschil in procentpunten met de geschatte situatie zonder instrument, met daaronder het "
              f"95%-betrouwbaarheidsinterval (bootstrap geclusterd op cliënt, {METHODENAAM.get(c.methode, c.methode)}). "
              f"Naïef verschil = deelnemers min niet-deelnemers, zonder correctie. 'Niet aantoonbaar': het interval bevat 0; "
              f"dat is niet hetzelfde als 'geen effect'. Naar werk ≤ {h} mnd = aantal deelnemers dat binnen {h} maanden naar "
              f"werk uitstroomde. " + _vlag_noot(c) + f" Combinaties met minder dan {cfg.drempel} deelnemers zijn weggelaten. "
              + marker_noot(cfg.drempel)),
        Tabel(f"Deadweight, toe te rekenen uitstroom en robuustheid ({h} maanden)", deadweighttabel(c),
              "Deadweight = deel van de uitstroom naar werk van deelnemers dat er zonder instrument ook was gekomen; toe te "
              "rekenen = de rest. Boven 100% betekent: zonder instrument waren binnen deze tijd méér deelnemers aan het werk "
              "gekomen (lock-in). Controle = dezelfde vraag met een andere schatter (risicoset-weging); een groot verschil met "
              "de hoofdschatting is een reden tot voorzichtigheid. E-waarde: hoe sterk een niet-gemeten verschil met zowel "
              "deelname als werk zou moeten samenhangen om het effect (of de grens van het interval) weg te verklaren; "
              "1 = helemaal niet robuust."),
    ]
    lit = literatuurtabel(sorted(set(c.cellen.instrument)))
    if len(lit):
        tabellen.append(Tabel("Wat de literatuur verwacht (extern: niet uit deze gegevens)", lit,
                              "Bron: kennisbank, rijen gemarkeerd 'extern'. Een verschil met onze schatting is een reden om door te vragen, geen fout."))
    return Sectie(ANKER, TITEL, tuple(_alineas(c, cfg, populatie)), tuple(tabellen), tuple(_figuren(c, cfg)), tuple(subs))
