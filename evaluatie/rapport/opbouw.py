"""Build the report content from stage results (pure: results in, content objects out; fits nothing).

Every table built from person-level data passes :mod:`evaluatie.disclosure` here, before it is formatted;
figures are drawn from the protected frames only.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import beveilig_aantallen, beveilig_schattingen, knip_curve, regel_tekst
from evaluatie.rapport.inhoud import Figuur, Kernindicator, Rapportinhoud, Sectie, Tabel, figuur_png

HOOFDMETHODE = "gformule"


# -- formatting (Dutch) -------------------------------------------------------------------------------
def pct(x: float, d: int = 1) -> str:
    """0.278 -> '27,8%'."""
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:.{d}f}%".replace(".", ",")


def getal(x: float, d: int = 1, teken: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    s = f"{x:+.{d}f}" if teken else f"{x:.{d}f}"
    return s.replace(".", ",")


def pp(x: float, d: int = 1) -> str:
    """Share difference in percentage points: 0.042 -> '+4,2 procentpunt'."""
    return "–" if not np.isfinite(x) else f"{getal(100 * x, d, teken=True)} procentpunt"


def bi(lo: float, hi: float, schaal: float = 100, d: int = 1, eenheid: str = "") -> str:
    return f"95%-BI {getal(schaal * lo, d)} – {getal(schaal * hi, d)}{eenheid}"


def _aantoonbaar(lo: float, hi: float) -> str:
    if lo > 0:
        return "aantoonbaar positief"
    if hi < 0:
        return "aantoonbaar negatief"
    return "niet aantoonbaar (het interval bevat 0)"


# -- effects ------------------------------------------------------------------------------------------
def _cellen(effecten: pd.DataFrame, maat: str, horizon: int, methode: str = HOOFDMETHODE) -> pd.DataFrame:
    d = effecten[(effecten.maat == maat) & (effecten.horizon == horizon) & (effecten.methode == methode)
                 & (effecten.instrument != "alle")]
    return d.set_index(["instrument", "categorie"])


def effecttabel(effecten: pd.DataFrame, horizonnen: tuple[int, ...], drempel: int,
                gevoeligheid: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per instrument x categorie with ATT, naive difference, deadweight, attributable share.

    Disclosure: a row resting on fewer than ``drempel`` participants is suppressed whole.
    """
    h1 = horizonnen[0]
    basis = _cellen(effecten, "att", h1)
    rows = []
    for (ins, cat), r in basis.iterrows():
        rec: dict[str, Any] = {"instrument": ins, "categorie": cat, "n_deelnemers": r.n_deelnemers, "vlag": r.vlag}
        for h in horizonnen:
            a = _cellen(effecten, "att", h)
            if (ins, cat) in a.index:
                x = a.loc[(ins, cat)]
                rec[f"att{h}"], rec[f"att{h}_lo"], rec[f"att{h}_hi"] = x.schatting, x.ci_laag, x.ci_hoog
        for maat, methode in (("naief", "naief"), ("deadweight", HOOFDMETHODE), ("toerekenbaar", HOOFDMETHODE)):
            t = _cellen(effecten, maat, h1, methode)
            if (ins, cat) in t.index:
                x = t.loc[(ins, cat)]
                rec[maat], rec[f"{maat}_lo"], rec[f"{maat}_hi"] = x.schatting, x.ci_laag, x.ci_hoog
        rs = _cellen(effecten, "att", h1, "risicoset")
        if (ins, cat) in rs.index:
            rec["att_rs"] = rs.loc[(ins, cat)].schatting
        rows.append(rec)
    df = pd.DataFrame(rows)
    if gevoeligheid is not None and len(df):
        g = gevoeligheid[gevoeligheid.horizon == h1][["instrument", "categorie", "e_waarde", "e_waarde_ci"]]
        df = df.merge(g, on=["instrument", "categorie"], how="left")
    waarden = [c for c in df.columns if c not in ("instrument", "categorie", "n_deelnemers", "vlag")]
    return beveilig_schattingen(df, "n_deelnemers", waarden, drempel=drempel).tabel


def _effect_weergave(t: pd.DataFrame, horizonnen: tuple[int, ...], drempel: int) -> pd.DataFrame:
    h1 = horizonnen[0]
    out = pd.DataFrame({"instrument": t.instrument.str.replace("_", " "), "categorie": t.categorie})
    out["deelnemers"] = [f"<{drempel}" if pd.isna(n) else f"{int(n)}" for n in t.n_deelnemers]
    for h in horizonnen:
        if f"att{h}" in t:
            out[f"effect {h} mnd (pp)"] = [
                "–" if pd.isna(a) else f"{getal(100 * a, 1, True)} [{getal(100 * lo, 1)}; {getal(100 * hi, 1)}]"
                for a, lo, hi in zip(t[f"att{h}"], t[f"att{h}_lo"], t[f"att{h}_hi"])]
    if "att_rs" in t:
        out[f"controle: risicoset {h1} mnd"] = [getal(100 * a, 1, True) for a in t.att_rs.astype(float)]
    if "naief" in t:
        out[f"naïef verschil {h1} mnd"] = [getal(100 * a, 1, True) for a in t.naief.astype(float)]
    if "deadweight" in t:
        out[f"deadweight {h1} mnd"] = [
            "–" if pd.isna(a) else f"{pct(a, 0)} [{pct(lo, 0)}; {pct(hi, 0)}]"
            for a, lo, hi in zip(t.deadweight, t.deadweight_lo, t.deadweight_hi)]
    if "e_waarde_ci" in t:
        out["E-waarde (BI)"] = [getal(x, 2) for x in t.e_waarde_ci.astype(float)]
    out["vlag"] = t.vlag.fillna("")
    return out


def sectie_effecten(effecten: pd.DataFrame | None, populatie: pd.DataFrame | None, cfg: Evaluatieconfig,
                    gevoeligheid: pd.DataFrame | None = None) -> Sectie:
    if effecten is None or effecten.empty:
        return Sectie("effecten", "Effectiviteit per instrument en categorie",
                      ("Voor deze evaluatie zijn geen trajectgegevens beschikbaar; effecten per instrument zijn niet geschat.",))
    from evaluatie.kennisbank.literatuur import literatuur
    from evaluatie.rapport.effectfiguren import bosfiguur, lockinfiguur

    hz = tuple(cfg.horizonnen)
    h1 = hz[0]
    t = effecttabel(effecten, hz, cfg.drempel, gevoeligheid)
    zichtbaar = t[t.n_deelnemers.notna()]
    alineas = [
        "Per instrument en intake-categorie vergelijken we deelnemers met wat er zonder het instrument gebeurd zou zijn. "
        "Omdat klantmanagers de kansrijkste mensen vaker een instrument geven, is een gewone vergelijking van deelnemers "
        "met niet-deelnemers vertekend (kolom 'naïef verschil'). De hoofdschatting (g-formule) modelleert de maandelijkse "
        "kans op werk en op andere uitstroom naar kenmerken, uitkeringsduur, kalenderjaar en instrumentstatus, en voorspelt "
        "voor elke deelnemer het verloop met en zonder instrument. De controleschatting (risicoset-weging) vergelijkt "
        "met mensen die in dezelfde maand nog geen instrument kregen maar er even kansrijk voor waren.",
        "De schattingen steunen op één aanname: gegeven de waargenomen kenmerken hangt de start van een instrument niet "
        "samen met de kans op werk. Of dat zo is, kan de data niet bewijzen. De E-waarde zegt hoe sterk een niet-gemeten "
        "verschil (bijvoorbeeld motivatie) met zowel deelname als werk zou moeten samenhangen om het effect weg te "
        "verklaren; een E-waarde dicht bij 1 betekent: kwetsbaar.",
        "Tijdens een traject zoeken mensen minder naar werk (lock-in); het effect kan daardoor eerst negatief zijn en pas "
        "later positief worden. De figuur met curves laat per instrument zien wanneer deelnemers hun controlegroep inhalen.",
    ]
    figuren = []
    bos = zichtbaar.rename(columns={f"att{h1}": "schatting", f"att{h1}_lo": "ci_laag", f"att{h1}_hi": "ci_hoog"})
    if len(bos):
        figuren.append(Figuur(f"Netto effect na {h1} maanden", figuur_png(bosfiguur(bos, horizon=h1)),
                              f"Bosdiagram van het effect op uitstroom naar werk binnen {h1} maanden per instrument en categorie",
                              f"Punt = schatting, lijn = 95%-betrouwbaarheidsinterval. Cellen met minder dan {cfg.drempel} deelnemers zijn weggelaten."))
    cd = effecten[(effecten.methode == HOOFDMETHODE) & effecten.maat.isin(["cif_deelnemers", "cif_controle"]) & (effecten.instrument != "alle")]
    if len(cd):
        w = cd.pivot_table(index=["instrument", "categorie", "horizon"], columns="maat", values="schatting").reset_index()
        n = cd.groupby(["instrument", "categorie"]).n_deelnemers.first()
        toon = set(n[n >= cfg.drempel].index)
        w = w[[(i, c) in toon for i, c in zip(w.instrument, w.categorie)]]
        w = w.rename(columns={"cif_deelnemers": "deelnemers", "cif_controle": "controle"})
        if len(w):
            figuren.append(Figuur("Lock-in en inhaalslag", figuur_png(lockinfiguur(w)),
                                  "Cumulatieve uitstroom naar werk van deelnemers en hun controle per instrument",
                                  "Doorgetrokken lijn: deelnemers; stippellijn: dezelfde mensen zonder instrument (geschat)."))
    lit = literatuur()[["instrument", "richting_werk", "bron"]].rename(columns={"richting_werk": "verwachting (literatuur, extern)"})
    lit = lit[lit.instrument.isin(zichtbaar.instrument)].assign(instrument=lambda d: d.instrument.str.replace("_", " "))
    tabellen = [
        Tabel(f"Effecten, deadweight en gevoeligheid (uitstroom naar werk, {h1} maanden)", _effect_weergave(t, hz, cfg.drempel),
              f"Effect in procentpunt met 95%-BI (bootstrap geclusterd op cliënt, B = {cfg.bootstrap}). Deadweight = deel van de "
              "uitstroom naar werk van deelnemers dat er zonder instrument ook was geweest. Vlag: te weinig deelnemers of "
              "slechte overlap met de controlegroep — lees zulke cellen niet als bewijs."),
        Tabel("Wat de literatuur verwacht (extern, niet uit deze gegevens)", lit.drop_duplicates().reset_index(drop=True)),
    ]
    subs = ()
    if populatie is not None and len(populatie):
        p = populatie[populatie.maat == "toerekenbaar_aandeel"].iloc[0]
        subs = (Sectie("toerekenbaar", "Hoeveel uitstroom is toe te rekenen aan instrumenten?", (
            f"{pct(p.schatting)} ({bi(p.ci_laag, p.ci_hoog, eenheid='%')}) van alle uitstroom naar werk in de "
            f"waarnemingsperiode is toe te rekenen aan de inzet van instrumenten; de rest was er ook zonder instrument "
            f"gekomen. De Rekenkamercommissie Best kwam uit op maximaal ca. 45%: dat is een bovengrens op basis van "
            f"toerekening, geen geschat effect.",)),)
    return Sectie("effecten", "Effectiviteit per instrument en categorie", tuple(alineas), tuple(tabellen), tuple(figuren), subs)


# -- benchmark ----------------------------------------------------------------------------------------
INDICATORNAMEN = {
    "pct_norm": "uitkeringen in % van de norm", "instroom_pct": "instroom in % van de norm",
    "uitstroom_pct": "uitstroom in % van de norm", "uitstroom_werk_pct": "uitstroom naar werk in % van de norm",
    "netto_groei_pct": "netto groei in % van de norm", "preventiequotum": "preventiequotum",
}
METHODENAMEN = {"buig": "20 gemeenten met vergelijkbaar BUIG-budget (methode rapport)",
                "structureel": "structureel vergelijkbaar (norm per inwoner, omvang, kenmerken)",
                "synthetisch": "synthetische vergelijking (gewogen gemeenten)"}


def _lees_gevoeligheid(bm: Any, indicator: str, jaar: int, methode: str) -> pd.Series | None:
    g = bm.gevoeligheid
    r = g[(g.indicator == indicator) & (g.jaar == jaar) & (g.methode == methode)]
    return None if r.empty else r.iloc[0]


def _trechterklasse(bm: Any, indicator: str, jaar: int) -> str:
    t = bm.trechters
    r = t[(t.indicator == indicator) & (t.jaar == jaar) & (t.eenheid == bm.spec.gemeente)]
    if r.empty:
        return "niet beschikbaar"
    return {"binnen": "binnen de 95%-grenzen van alle gemeenten", "boven": "boven de 95%-grens", "onder": "onder de 95%-grens"}.get(
        str(r.iloc[0].klasse_95), str(r.iloc[0].klasse_95))


def sectie_benchmark(bm: Any, cfg: Evaluatieconfig) -> Sectie:
    if bm is None:
        return Sectie("benchmark", "Vergelijking met andere gemeenten", ("Geen gemeentetabel aangeleverd; de benchmark is niet gemaakt.",))
    from evaluatie.benchmark import figuren as bf

    jaar = max(bm.jaren)
    methoden = [g.methode for g in bm.groepen]
    figs, niet_getekend = [], []
    for titel, fn, alt in (("Uitkeringen in % van de norm", bf.figuur_norm, "Feitelijk aantal uitkeringen als percentage van het genormeerde aantal per jaar"),
                           ("In- en uitstroom in % van de norm", bf.figuur_stromen, "In- en uitstroom als percentage van de norm, gemeente en vergelijkingsgroep"),
                           ("Index aantal uitkeringen", bf.figuur_index, "Index van het aantal uitkeringen, basisjaar 100"),
                           ("Trechterdiagram: alle gemeenten", bf.figuur_trechter, "Trechterdiagram van uitkeringen in % van de norm tegen de omvang"),
                           ("Gevoeligheid voor de keuze van de vergelijkingsgroep", bf.figuur_gevoeligheid, "Verschil met de vergelijkingsgroep per methode")):
        try:
            figs.append(Figuur(titel, figuur_png(fn(bm)), alt))
        except (ValueError, KeyError, IndexError) as e:  # reported in the text, not fatal
            niet_getekend.append(f"De figuur '{titel}' kon niet worden getekend ({e}).")
    gi = bm.indicatoren[bm.indicatoren.gemeentecode == bm.spec.gemeente].sort_values("jaar")
    nl = bm.landelijk.set_index("jaar") if "jaar" in bm.landelijk.columns else bm.landelijk
    rows = []
    for _, r in gi.iterrows():
        g = _lees_gevoeligheid(bm, "pct_norm", int(r.jaar), methoden[0])
        rows.append({"jaar": int(r.jaar), "genormeerd aantal": getal(r.genormeerd_aantal, 0), "feitelijk aantal": getal(r.feitelijk_aantal, 0),
                     "in % norm": pct(r.pct_norm / 100, 0), "groep (% norm)": "–" if g is None else pct(g.groep_gemiddelde / 100, 0),
                     "Nederland (% norm)": pct(nl.loc[r.jaar, "pct_norm"] / 100, 0) if "pct_norm" in nl.columns and r.jaar in nl.index else "–"})
    noot = ""
    if bm.spec.gemeente == "GM0777":
        noot = ("Etten-Leur 2015: 673 / 593 = 113,5%, afgerond 113%. Het rapport van de Rekenkamer West-Brabant drukt 114% af; "
                "dat volgt alleen uit niet-afgeronde aantallen (binnen de afronding van de gepubliceerde gehele getallen).")
    sens = bm.gevoeligheid[bm.gevoeligheid.jaar == jaar]
    srows = []
    for _, r in sens.iterrows():
        srows.append({"indicator": INDICATORNAMEN.get(r.indicator, r.indicator), "methode": r.methode, "gemeente": getal(r.waarde, 1),
                      "groep": getal(r.groep_gemiddelde, 1), "verschil": getal(r.verschil, 1, True),
                      "95%-BI verschil": f"{getal(r.ci_laag, 1)} – {getal(r.ci_hoog, 1)}",
                      "percentiel": getal(r.percentiel, 0), "p": getal(r.p, 3), "n groep": int(r.n_groep)})
    tabellen = [Tabel(f"{bm.gemeentenaam}: uitkeringen tegenover de norm", pd.DataFrame(rows), noot),
                Tabel(f"Positie in {jaar} per vergelijkingsgroep", pd.DataFrame(srows),
                      "Verschil = gemeente min groepsgemiddelde (procentpunt van de norm); 95%-BI en p gaan over de vraag of de "
                      "gemeente binnen de spreiding van haar groep valt.")]
    if bm.preventie is not None and len(bm.preventie):
        pv = bm.preventie[bm.preventie.gemeentecode.isin(cfg.gemeenten)].copy()
        if len(pv):
            keep = [c for c in ("gemeentecode", "jaar", "maanden", "meldingen", "toekenningen", "preventiequotum", "ci_laag", "ci_hoog") if c in pv.columns]
            pv = pv[keep]
            b = beveilig_aantallen(pv, [c for c in ("meldingen", "toekenningen") if c in pv.columns], drempel=cfg.drempel)
            tabellen.append(Tabel("Preventiequotum (1 − toekenningen / meldingen)", b.weergave().round(1),
                                  "Jaren met minder dan 12 maanden (maanden) zijn deeljaren."))
    lokaal = bm.indicatoren[bm.indicatoren.gemeentecode.isin(cfg.gemeenten) & (bm.indicatoren.jaar == jaar)]
    if len(lokaal) > 1:
        tabellen.append(Tabel(f"Per gemeente ({jaar})", pd.DataFrame({
            "gemeente": lokaal.gemeentenaam, "uitkeringen in % norm": [pct(x / 100, 0) for x in lokaal.pct_norm],
            "instroom % norm": [pct(x / 100, 1) for x in lokaal.instroom_pct], "uitstroom % norm": [pct(x / 100, 1) for x in lokaal.uitstroom_pct],
            "uitstroom naar werk % norm": [pct(x / 100, 1) for x in lokaal.uitstroom_werk_pct]})))
    alineas = (
        "Het genormeerde aantal uitkeringen komt uit het verdeelmodel van het BUIG-budget: hoeveel uitkeringen een gemeente "
        "'zou moeten hebben' gegeven factoren die ze niet kan beïnvloeden. Meer uitkeringen dan de norm betekent dat de "
        "gemeente het verschil zelf betaalt.",
        "Het rapport vergeleek met de 20 gemeenten met het meest vergelijkbare BUIG-budget. Het college wierp tegen dat de "
        "omvang van het budget vooral de omvang van de gemeente weerspiegelt. Daarom tonen we naast die methode een "
        "structureel vergelijkbare groep en een synthetische vergelijking; een conclusie die onder alle drie standhoudt is robuust.",
        "Het trechterdiagram zet alle gemeenten uit tegen hun omvang: kleine gemeenten schommelen van nature meer. Alleen "
        "een gemeente buiten de grenzen wijkt meer af dan toeval (met correctie voor overdispersie) verklaart.",
        *niet_getekend,
    )
    return Sectie("benchmark", "Vergelijking met andere gemeenten (genormeerde benchmark)", alineas, tuple(tabellen), tuple(figs))


# -- data & method ------------------------------------------------------------------------------------
def sectie_data(reconciliatie: pd.DataFrame | None, telling: pd.DataFrame | None, cfg: Evaluatieconfig) -> Sectie:
    tabellen = []
    if reconciliatie is not None and len(reconciliatie):
        tabellen.append(Tabel("Van bestand naar analyse: gelezen = geaccepteerd + afgekeurd", reconciliatie.reset_index(drop=True),
                              "Afgekeurde rijen zijn met hun reden bewaard naast de uitvoer (map validatie/)."))
    if telling is not None and len(telling):
        b = beveilig_aantallen(telling.reset_index(drop=True), ["aantal"], drempel=cfg.drempel)
        tabellen.append(Tabel("Bevindingen per regel", b.weergave()))
    alineas = (
        f"Waarnemingsperiode {cfg.periode[0]} tot en met {cfg.periode[1]}. Uitkeringen die eerder begonnen tellen mee vanaf "
        "het begin van de periode (late instap); uitkeringen die op de peildatum nog lopen tellen mee tot de peildatum "
        "(censurering). Uitstroom naar werk wordt gemeten naast de andere redenen van uitstroom (verhuizing, "
        "huishoudenswijziging, pensioen, overig), die als concurrerende risico's worden behandeld.",
        "Beperkingen: de effecten rusten op de aanname dat er geen niet-gemeten verschillen tussen deelnemers en "
        "controlegroep zijn; de registratie van de reden van uitstroom bepaalt wat als 'werk' telt; effecten voor "
        "cellen met weinig deelnemers zijn onzeker en gevlagd.",
        f"Alle cijfers zijn reproduceerbaar: dezelfde invoer, configuratie en seed ({cfg.seed}) geven exact hetzelfde rapport.",
    )
    return Sectie("data", "Gegevens en methode", alineas, tuple(tabellen))


def sectie_uitstroom(curves: pd.DataFrame | None, cfg: Evaluatieconfig) -> Sectie | None:
    if curves is None or curves.empty:
        return None
    from evaluatie.rapport.effectfiguren import uitstroomfiguur

    c = knip_curve(curves, "n_risk", groep=["group"], tijd_kolom="time", drempel=cfg.drempel)
    if c.empty:
        return None
    return Sectie("uitstroom", "Uitstroom naar werk per categorie", (
        "De kans om binnen een bepaalde tijd naar werk uit te stromen, per intake-categorie bij het begin van de waarneming. "
        "Andere uitstroom (verhuizing, huishouden, pensioen) telt niet als werk maar haalt mensen wel uit de groep; daarom is "
        "dit een cumulatieve incidentie (Aalen-Johansen) en niet 1 − Kaplan-Meier, die uitstroom naar werk zou overschatten.",),
        (), (Figuur("Cumulatieve uitstroom naar werk per categorie", figuur_png(uitstroomfiguur(c)),
                    "Curves van de cumulatieve uitstroom naar werk per categorie met betrouwbaarheidsbanden",
                    f"Curves stoppen waar minder dan {cfg.drempel} personen risico lopen."),))


# -- summary ------------------------------------------------------------------------------------------
def samenvatting(bm: Any, effecten: pd.DataFrame | None, populatie: pd.DataFrame | None, cfg: Evaluatieconfig
                 ) -> tuple[tuple[Kernindicator, ...], tuple[str, ...]]:
    kern: list[Kernindicator] = []
    concl: list[str] = []
    if bm is not None:
        jaar = max(bm.jaren)
        m0 = bm.groepen[0].methode
        for ind in ("pct_norm", "uitstroom_pct"):
            g = _lees_gevoeligheid(bm, ind, jaar, m0)
            if g is None:
                continue
            sig = "significant" if g.p < 0.05 else "niet significant"
            kern.append(Kernindicator(f"{INDICATORNAMEN[ind].capitalize()} ({jaar})", pct(g.waarde / 100, 1),
                                      f"verschil met groep {getal(g.verschil, 1, True)} punt ({bi(g.ci_laag, g.ci_hoog, 1, 1)})",
                                      f"vergelijkingsgroep {pct(g.groep_gemiddelde / 100, 1)}; {_trechterklasse(bm, ind, jaar)}",
                                      f"Verschil met vergelijkbare gemeenten is {sig} (p = {getal(g.p, 2)})."))
        robuust = bm.gevoeligheid[(bm.gevoeligheid.indicator == "pct_norm") & (bm.gevoeligheid.jaar == jaar)]
        if len(robuust):
            tekens = set(np.sign(robuust.verschil.round(1)))
            sign = set(robuust.p < 0.05)
            concl.append(f"{bm.gemeentenaam} had in {jaar} {pct(robuust.waarde.iloc[0] / 100, 0)} van het genormeerde aantal uitkeringen. "
                         + ("Onder alle drie de vergelijkingsgroepen wijkt dat niet significant af van vergelijkbare gemeenten."
                            if sign == {False} else
                            "De conclusie hangt af van de gekozen vergelijkingsgroep: zie de gevoeligheidstabel."
                            if len(sign) > 1 or len(tekens) > 1 else
                            "Onder alle drie de vergelijkingsgroepen wijkt dat significant af van vergelijkbare gemeenten."))
    if populatie is not None and len(populatie):
        p = populatie[populatie.maat == "toerekenbaar_aandeel"].iloc[0]
        kern.append(Kernindicator("Uitstroom naar werk toe te rekenen aan instrumenten", pct(p.schatting),
                                  bi(p.ci_laag, p.ci_hoog, eenheid="%"), "Rekenkamercommissie Best: maximaal ca. 45%",
                                  "De rest van de uitstroom naar werk was er ook zonder instrument gekomen (deadweight)."))
        concl.append(f"{pct(p.schatting)} ({bi(p.ci_laag, p.ci_hoog, eenheid='%')}) van de uitstroom naar werk is toe te rekenen "
                     "aan de inzet van instrumenten.")
    if effecten is not None and len(effecten):
        h1 = cfg.horizonnen[0]
        t = effecttabel(effecten, tuple(cfg.horizonnen), cfg.drempel)
        t = t[t.n_deelnemers.notna() & (t.vlag.fillna("") == "")]
        if len(t):
            pos = t[t[f"att{h1}_lo"] > 0]
            neg = t[t[f"att{h1}_hi"] < 0]
            best = t.loc[t[f"att{h1}"].astype(float).idxmax()]
            kern.append(Kernindicator(f"Grootste netto effect na {h1} maanden", pp(best[f"att{h1}"]),
                                      bi(best[f"att{h1}_lo"], best[f"att{h1}_hi"], eenheid=" punt"),
                                      f"{best.instrument.replace('_', ' ')}, categorie {best.categorie} (n = {int(best.n_deelnemers)})",
                                      f"Effect is {_aantoonbaar(best[f'att{h1}_lo'], best[f'att{h1}_hi'])}."))
            kern.append(Kernindicator("Instrumenten met aantoonbaar effect", f"{len(pos)} van {len(t)}",
                                      f"{len(neg)} aantoonbaar negatief (lock-in of selectie)", f"na {h1} maanden, 95%-BI",
                                      "De overige cellen: effect niet aantoonbaar met deze aantallen."))
            concl.append(f"Na {h1} maanden is het effect op uitstroom naar werk aantoonbaar positief voor {len(pos)} en aantoonbaar "
                         f"negatief voor {len(neg)} van de {len(t)} combinaties van instrument en categorie met genoeg deelnemers; "
                         "voor de rest is het niet aantoonbaar.")
    return tuple(kern), tuple(concl)


def bouw_inhoud(cfg: Evaluatieconfig, *, manifest: dict[str, Any], reconciliatie: pd.DataFrame | None,
                bevindingen_telling: pd.DataFrame | None, benchmark: Any, effecten: pd.DataFrame | None,
                populatie: pd.DataFrame | None, uitstroom_curves: pd.DataFrame | None = None,
                gevoeligheid: pd.DataFrame | None = None) -> Rapportinhoud:
    """All report content for one evaluation (see module docstring)."""
    kern, concl = samenvatting(benchmark, effecten, populatie, cfg)
    secties = [sectie_benchmark(benchmark, cfg), sectie_effecten(effecten, populatie, cfg, gevoeligheid)]
    u = sectie_uitstroom(uitstroom_curves, cfg)
    if u is not None:
        secties.append(u)
    secties.append(sectie_data(reconciliatie, bevindingen_telling, cfg))
    return Rapportinhoud(
        titel=cfg.naam, ondertitel=f"Evaluatie {cfg.periode[0][:4]}–{cfg.periode[1][:4]} · gemeenten {', '.join(cfg.gemeenten)}",
        kernindicatoren=kern, conclusies=concl, secties=tuple(secties), manifest=manifest, onthullingsregel=regel_tekst(cfg.drempel))
