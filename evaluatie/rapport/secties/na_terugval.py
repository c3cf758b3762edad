"""'Blijft het werk?' part (a): return to benefit after an exit to work, as the report shows it.

The descriptive cumulative incidence of :mod:`evaluatie.terugval` per categorie and for participants (a
trajectory during the spell) versus the others, at the CBS windows, set against the CBS and Divosa figures.
Disclosure: the counts and incidences come from the report's joint control
(:func:`evaluatie.rapport.beveiliging.rapporttellingen`, tables ``terugval`` / ``terugval_aantallen`` with the
terugval step's :data:`~evaluatie.stappen.terugval.SPECS`); an incidence is shown only where at least
``drempel`` persons are at risk *and* at least ``drempel`` returns were seen by then (a share of a few returns
gives their number away), and never next to a suppressed count (share × exits would estimate it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import knip_curve
from evaluatie.rapport.beveiliging import marker_noot
from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.opmaak import aantal, bereik, bi, pct

#: CBS, cohort 2021 of exits to loondienst: share still in work without bijstand after 6 and 18 months.
CBS_NOG_AAN_HET_WERK = {6: 0.82, 18: 0.72}
#: Divosa: about 1 in 5 of those who leave for work are back within a year.
DIVOSA_TERUG_12 = 0.20
#: Groups of the terugval table shown in the report (the command writes all groupings).
GETOONDE_GROEPERINGEN = ("totaal", "categorie", "traject")
GROEPNAAM = {"alle": "alle uitstromers naar werk", "met traject": "deelnemers (traject tijdens de uitkering)",
             "zonder traject": "niet-deelnemers (geen traject)"}


def _f(v: Any) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else np.nan
    except (TypeError, ValueError):
        return np.nan


def _groepnaam(groepering: str, groep: str) -> str:
    if groepering == "categorie":
        return f"categorie {groep}"
    return GROEPNAAM.get(str(groep), str(groep))

@dataclass(frozen=True)
class Terugvalcijfers:
    """The terugval figures the report may show (after joint disclosure control).

    Attributes
    ----------
    tabel : DataFrame
        groepering, groep, maanden, n_risico, cif, ci_laag, ci_hoog, getoond (bool: at least ``drempel`` at
        risk and at least ``drempel`` returns seen by that month), for the shown groupings.
    aantallen : DataFrame
        groepering, groep, n_uitstroom_werk, n_terugval (protected; NaN where suppressed) and
        n_uitstroom_werk_tekst / n_terugval_tekst (display, with the markers).
    curves : DataFrame
        groepering, groep, time, n_risk, cif, ci_laag, ci_hoog: cut where fewer than ``drempel`` are at risk,
        only for groups with at least ``drempel`` returns.
    maanden : tuple of int
    n_uitstroom_werk, n_terugval : int
        Totals (all exits used; the table's 'alle' row).
    n_weggelaten : int
        Exits to work left out by the terugval analysis (overlap, exit on the peildatum, after it).
    drempel : int
    """

    tabel: pd.DataFrame
    aantallen: pd.DataFrame
    curves: pd.DataFrame
    maanden: tuple[int, ...]
    n_uitstroom_werk: int
    n_terugval: int
    n_weggelaten: int
    drempel: int
    #: moving out was a competing event (otherwise a move counts as no return)
    verhuizingen: bool = False

    def totaal(self, maanden: int) -> pd.Series | None:
        """The 'alle' row at ``maanden`` if it may be shown, else None."""
        t = self.tabel
        r = t[(t.groepering == "totaal") & (t.maanden == maanden) & t.getoond]
        return None if r.empty else r.iloc[0]


def _terugkeer_tot(curves: pd.DataFrame, maanden: Sequence[int]) -> dict[tuple[str, str, int], float]:
    """Returns observed by month m per (groepering, groep): the cumulative number of events up to m."""
    uit: dict[tuple[str, str, int], float] = {}
    if "n_event" not in curves:
        return uit
    for (g, k), d in curves.groupby(["groepering", "groep"], sort=False):
        t, e = d["time"].to_numpy(dtype=float), d["n_event"].to_numpy(dtype=float)
        for m in maanden:
            uit[(str(g), str(k), int(m))] = float(e[t <= m].sum())
    return uit


def terugvalcijfers(res: Any, drempel: int, *, beveiligd: Any = None) -> Terugvalcijfers:
    """The shown terugval figures of a :class:`~evaluatie.terugval.Terugvalresultaat`.

    Parameters
    ----------
    res : Terugvalresultaat
    drempel : int
    beveiligd : mapping, optional
        The protected tables ``terugval`` and ``terugval_aantallen`` of the report's joint disclosure control
        (:class:`~evaluatie.rapport.beveiliging.Rapporttellingen`); without them they are protected here on
        their own.
    """
    from evaluatie.rapport.beveiliging import terugvaltabellen
    from evaluatie.disclosure import beveilig_uitvoer

    if beveiligd is None or beveiligd.get("terugval") is None:
        tabellen, gelijk = terugvaltabellen(res)
        beveiligd = beveilig_uitvoer(tabellen, drempel=drempel, gelijk=gelijk)
    bt, ba = beveiligd.get("terugval"), beveiligd.get("terugval_aantallen")
    mnd = tuple(int(m) for m in res.spec.maanden)
    terug = _terugkeer_tot(res.curves, mnd)
    t = bt.tabel.assign(groep=bt.tabel.groep.astype(str))
    weg = bt.onderdrukt["cif"].to_numpy(dtype=bool) if "cif" in bt.onderdrukt else np.zeros(len(t), bool)
    n_terug = np.array([terug.get((g, k, int(m)), np.nan) for g, k, m in zip(t.groepering, t.groep, t.maanden)])
    getoond = ~weg & (t.n_risico.astype(float).to_numpy() >= drempel) & (n_terug >= drempel) & t.cif.notna().to_numpy()
    # a share next to a suppressed count would let a reader estimate that count (share × exits): not shown
    ond = ba.onderdrukt.reindex(columns=["n_uitstroom_werk", "n_terugval"], fill_value=False).to_numpy(dtype=bool).any(axis=1)
    verborgen = set(zip(ba.tabel.groepering, ba.tabel.groep.astype(str), ond))
    getoond &= np.array([(g, k, False) in verborgen for g, k in zip(t.groepering, t.groep)], dtype=bool)
    t = t.assign(getoond=getoond)[lambda d: d.groepering.isin(GETOONDE_GROEPERINGEN)]
    w = ba.weergave()
    a = ba.tabel.assign(groep=ba.tabel.groep.astype(str),
                        n_uitstroom_werk_tekst=[v if isinstance(v, str) else aantal(v) for v in w.n_uitstroom_werk],
                        n_terugval_tekst=[v if isinstance(v, str) else aantal(v) for v in w.n_terugval])
    a = a[a.groepering.isin(GETOONDE_GROEPERINGEN)]
    # curves: groups with enough returns, cut where fewer than drempel are at risk (no per-point counts)
    teruggezien = {(g, k) for g, k, n in zip(a.groepering, a.groep, a.n_terugval.astype(float)) if n >= drempel}
    c = res.curves.assign(groep=res.curves.groep.astype(str))
    c = c[np.array([(g, k) in teruggezien for g, k in zip(c.groepering, c.groep)], dtype=bool)
          & c.groepering.isin(("categorie", "traject")).to_numpy()]
    c = knip_curve(c, "n_risk", groep=["groepering", "groep"], tijd_kolom="time", drempel=drempel) if len(c) else c
    c = c[[k for k in ("groepering", "groep", "time", "n_risk", "cif", "ci_laag", "ci_hoog") if k in c]]
    weggelaten = int(res.n_overlap + res.n_op_peildatum + res.n_na_peildatum)
    return Terugvalcijfers(t.reset_index(drop=True), a.reset_index(drop=True), c.reset_index(drop=True), mnd,
                           int(res.n_uitstroom_werk), int(res.n_terugval), weggelaten, drempel,
                           bool(getattr(res.spec, "verhuizingen", False)))


def _volgorde_groepen(df: pd.DataFrame) -> pd.DataFrame:
    rang = {g: i for i, g in enumerate(GETOONDE_GROEPERINGEN)}
    trang = {"met traject": 0, "zonder traject": 1}
    return df.assign(_r=df.groepering.map(rang), _t=[trang.get(k, 2) if g == "traject" else 0 for g, k in
                                                       zip(df.groepering, df.groep)]).sort_values(
        ["_r", "_t", "groep"], kind="mergesort").drop(columns=["_r", "_t"])


def terugvaltabel(tc: Terugvalcijfers) -> pd.DataFrame:
    """Display table: per group the exits to work (n), returns (n) and the share back within 6/12/18 months."""
    a = _volgorde_groepen(tc.aantallen)
    t = tc.tabel.set_index(["groepering", "groep", "maanden"])
    out = pd.DataFrame({"groep": [_groepnaam(g, k) for g, k in zip(a.groepering, a.groep)],
                        "uitstroom naar werk (n)": a.n_uitstroom_werk_tekst.to_numpy(),
                        "terug in de uitkering (n)": a.n_terugval_tekst.to_numpy()})
    for m in tc.maanden:
        kol = []
        for g, k in zip(a.groepering, a.groep):
            r = t.loc[(g, k, m)] if (g, k, m) in t.index else None
            kol.append(f"{pct(r.cif)} ({bereik(r.ci_laag, r.ci_hoog, schaal=100, eenheid='%')})"
                       if r is not None and bool(r.getoond) else "–")
        out[f"terug binnen {m} mnd (95%-BI)"] = kol
    return out.reset_index(drop=True)


def divosa_oordeel(lo: float, hi: float) -> str:
    """'minder dan' / 'meer dan' / 'in lijn met' Divosa's 1 in 5 within a year, from the 95% interval at 12 months."""
    return "minder dan" if hi < DIVOSA_TERUG_12 else "meer dan" if lo > DIVOSA_TERUG_12 else "in lijn met"


def _cbs_tekst(tc: Terugvalcijfers) -> str:
    """Our figures set against CBS and Divosa (context: other definitions, other populations)."""
    delen = []
    r12 = tc.totaal(12)
    if r12 is not None:
        lo, hi = _f(r12.ci_laag), _f(r12.ci_hoog)
        oordeel = divosa_oordeel(lo, hi)
        delen.append(f"Binnen een jaar is {pct(r12.cif)} terug ({bi(lo, hi, schaal=100, eenheid='%')}): {oordeel} het "
                     "landelijke beeld van Divosa (ongeveer 1 op de 5 is binnen een jaar terug).")
    eigen = [f"{pct(r.cif)} na {m}" for m in sorted(CBS_NOG_AAN_HET_WERK) if (r := tc.totaal(m)) is not None]
    delen.append("Het CBS volgt uitstroom naar loondienst (cohort 2021): na 6 maanden werkt 82% nog zonder bijstand, na "
                 "18 maanden 72%. Wie daar afvalt (18% en 28%), is niet altijd terug in de bijstand: ook wie zonder werk "
                 "en zonder uitkering zit, telt daar mee. Terug in de bijstand hoort dus lager uit te komen"
                 + (f" (hier {' en '.join(eigen)} maanden)" if eigen else "")
                 + ". Het zijn landelijke cijfers met andere definities: context, geen norm.")
    return " ".join(delen)


def _terugval_alineas(tc: Terugvalcijfers) -> list[str]:
    al = []
    rijen = [(m, tc.totaal(m)) for m in tc.maanden]
    getoond = [f"{pct(r.cif)} binnen {m} maanden ({bi(r.ci_laag, r.ci_hoog, schaal=100, eenheid='%')})"
               for m, r in rijen if r is not None]
    if getoond:
        al.append(f"Van de {aantal(tc.n_uitstroom_werk)} keer dat iemand de bijstand verliet voor werk, was "
                  f"{', '.join(getoond[:-1]) + ' en ' + getoond[-1] if len(getoond) > 1 else getoond[0]} weer terug in de "
                  "bijstand. Dat is een cumulatieve incidentie: wie korter gevolgd is, telt mee zolang hij gevolgd is, en "
                  "wie de AOW-leeftijd bereikt, kan niet meer terugkeren (een concurrerende gebeurtenis, geen terugval)."
                  + ("" if tc.verhuizingen else " Verhuizingen uit de gemeenten zijn niet bekend: wie na de uitstroom "
                     "verhuist, telt als niet teruggekeerd, dus de terugval kan iets te laag uitvallen."))
    else:
        al.append(f"Er zijn {aantal(tc.n_uitstroom_werk)} keer uitstroom naar werk, maar te weinig terugkeer of te "
                  f"korte waarneming om een aandeel te tonen (minder dan {tc.drempel} personen).")
    al.append(_cbs_tekst(tc))
    mt = tc.tabel[(tc.tabel.groepering == "traject") & (tc.tabel.maanden == 12) & tc.tabel.getoond].set_index("groep")
    if {"met traject", "zonder traject"} <= set(mt.index):
        a, b = mt.loc["met traject"], mt.loc["zonder traject"]
        al.append(f"Deelnemers aan een traject: {pct(a.cif)} binnen 12 maanden terug ({bi(a.ci_laag, a.ci_hoog, schaal=100, eenheid='%')}); "
                  f"niet-deelnemers: {pct(b.cif)} ({bi(b.ci_laag, b.ci_hoog, schaal=100, eenheid='%')}). Dit is een "
                  "beschrijving, geen effect: deelnemers verschillen ook op andere punten van niet-deelnemers. Het effect "
                  "van een instrument op duurzaam werk staat hieronder.")
    if tc.n_weggelaten:  # the number itself is in 'evaluatie terugval' (intern): next to two totals it could be small
        al.append("Niet meegeteld: uitstroom naar werk zonder een maand waarneming erna (op of na de peildatum) of met een "
                  "volgende uitkering die al vóór het einde begon; het aantal staat in de uitvoer van 'evaluatie terugval'.")
    return al


def sectie_terugval(tc: Terugvalcijfers | None, reden: str | None, cfg: Evaluatieconfig) -> Sectie:
    titel = "Terug in de bijstand na uitstroom naar werk"
    if tc is None:
        return Sectie("terugval", titel, (f"Niet te beoordelen: {reden or 'geen terugvalanalyse uitgevoerd'}.",))
    if tc.n_terugval == 0:
        return Sectie("terugval", titel, (
            f"Niet te beoordelen: bij geen van de {aantal(tc.n_uitstroom_werk)} keer uitstroom naar werk is een nieuwe "
            "uitkering van dezelfde cliënt gezien. Dat kan kloppen, maar meestal betekent het dat de gegevens nieuwe "
            "uitkeringen na een uitstroom niet bevatten (bijvoorbeeld één periode per cliënt, of een te korte "
            "waarneming na de uitstroom); controleer de levering voordat u hier iets uit afleidt.",))
    figs = []
    if len(tc.curves):
        from evaluatie.rapport import figuren as ef

        figs.append(Figuur("Terug in de bijstand na uitstroom naar werk", figuur_png(ef.terugvalfiguur(tc.curves)),
                           "Cumulatief percentage terug in de bijstand naar maanden na uitstroom naar werk, per categorie "
                           "en voor deelnemers en niet-deelnemers, met 95%-banden",
                           f"Curves stoppen waar minder dan {cfg.drempel} personen gevolgd worden; groepen met minder dan "
                           f"{cfg.drempel} keer terugkeer zijn weggelaten. Ruit: Divosa, ongeveer 1 op de 5 binnen een jaar."))
    tab = Tabel("Terug in de bijstand binnen 6, 12 en 18 maanden na uitstroom naar werk", terugvaltabel(tc),
                f"Cumulatieve incidentie (Aalen-Johansen) met 95%-BI; AOW-leeftijd als concurrerende gebeurtenis. Een "
                f"aandeel staat er alleen als minstens {cfg.drempel} personen op dat moment gevolgd worden en minstens "
                f"{cfg.drempel} teruggekeerd zijn. Eén persoon kan vaker uitstromen en tellen. " + marker_noot(cfg.drempel))
    return Sectie("terugval", titel, tuple(_terugval_alineas(tc)), (tab,), tuple(figs))

