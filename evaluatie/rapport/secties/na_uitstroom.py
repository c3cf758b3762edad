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
from typing import Any, Sequence

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.disclosure import knip_curve
from evaluatie.rapport.beveiliging import marker_noot
from evaluatie.rapport.inhoud import Figuur, Kernindicator, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.effectcellen import OVERIG, Effectcellen, effectcellen
from evaluatie.rapport.secties.opmaak import (aantal, aantoonbaar, aantoonbaar_kort, bereik, bi, celnaam, getal,
                                              ontaard, pct, procentpunt)

ANKER = "na-uitstroom"
TITEL = "Blijft het werk? Terugval, duurzaam werk en uitkeringsmaanden"

#: CBS, cohort 2021 of exits to loondienst: share still in work without bijstand after 6 and 18 months.
CBS_NOG_AAN_HET_WERK = {6: 0.82, 18: 0.72}
#: Divosa: about 1 in 5 of those who leave for work are back within a year.
DIVOSA_TERUG_12 = 0.20
#: ``k`` of the durable-exit outcome shown by default (no new benefit within k months after the exit).
K_STANDAARD = 6
#: The months-on-benefit horizon read out in sentences (the raad's budget period), when present.
UM_HOOFDHORIZON = 24
#: Groups of the terugval table shown in the report (the command writes all groupings).
GETOONDE_GROEPERINGEN = ("totaal", "categorie", "traject")
GROEPNAAM = {"alle": "alle uitstromers naar werk", "met traject": "deelnemers (traject tijdens de uitkering)",
             "zonder traject": "niet-deelnemers (geen traject)"}

#: The rule of (d), as the report states it.
REGEL_TEGENGESTELD = ("We noemen een combinatie alleen 'tegengesteld' als beide 95%-intervallen 0 uitsluiten en aan "
                      "verschillende kanten van 0 liggen (het ene effect aantoonbaar positief, het andere aantoonbaar "
                      "negatief), op dezelfde horizon en met dezelfde schatter; gevlagde combinaties tellen niet mee.")


def _f(v: Any) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else np.nan
    except (TypeError, ValueError):
        return np.nan


def _groepnaam(groepering: str, groep: str) -> str:
    if groepering == "categorie":
        return f"categorie {groep}"
    return GROEPNAAM.get(str(groep), str(groep))


# -- (a) terugval ------------------------------------------------------------------------------------------
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
                           int(res.n_uitstroom_werk), int(res.n_terugval), weggelaten, drempel)


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


def _cbs_tekst(tc: Terugvalcijfers) -> str:
    """Our figures set against CBS and Divosa (context: other definitions, other populations)."""
    delen = []
    r12 = tc.totaal(12)
    if r12 is not None:
        lo, hi = _f(r12.ci_laag), _f(r12.ci_hoog)
        oordeel = "minder dan" if hi < DIVOSA_TERUG_12 else "meer dan" if lo > DIVOSA_TERUG_12 else "in lijn met"
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
        al.append(f"Van de {aantal(tc.n_uitstroom_werk)} keer dat iemand de uitkering verliet voor werk, was men "
                  f"{', '.join(getoond[:-1]) + ' en ' + getoond[-1] if len(getoond) > 1 else getoond[0]} terug in de "
                  "bijstand (cumulatieve incidentie; wie de AOW-leeftijd bereikt, kan niet meer terugkeren en telt als "
                  "concurrerende gebeurtenis; wie nog niet zo lang gevolgd is, telt mee zolang hij gevolgd is).")
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


def _terugval_sectie(tc: Terugvalcijfers | None, reden: str | None, cfg: Evaluatieconfig) -> Sectie:
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


# -- (b) durable exit next to first exit, (d) opposite signs ---------------------------------------------
def duurzaam_uitkomsten(effecten: pd.DataFrame | None) -> tuple[int, ...]:
    """The k's of the ``duurzaam_werk_<k>`` outcomes present in the effect frame (sorted)."""
    if effecten is None or "uitkomst" not in effecten:
        return ()
    ks = []
    for u in set(effecten.uitkomst.dropna().astype(str)):
        if u.startswith("duurzaam_werk_") and u.removeprefix("duurzaam_werk_").isdigit():
            ks.append(int(u.removeprefix("duurzaam_werk_")))
    return tuple(sorted(ks))


def kies_k(effecten: pd.DataFrame | None, k: int = K_STANDAARD) -> int | None:
    """``k`` when that outcome is present, otherwise the smallest present (None without any)."""
    ks = duurzaam_uitkomsten(effecten)
    return None if not ks else (k if k in ks else ks[0])


def _att(e: pd.DataFrame, uitkomst: str, methode: str, h: int) -> pd.DataFrame:
    d = e[(e.uitkomst == uitkomst) & (e.maat == "att") & (e.methode == methode) & (e.horizon == h)]
    return d.drop_duplicates(["instrument", "categorie"]).set_index(["instrument", "categorie"])


def _getoonde_cellen(c: Effectcellen) -> pd.DataFrame:
    """The effect chapter's shown rows (combinations and pooled rows, not 'overige combinaties')."""
    t = c.tabel
    return t[t.instrument != OVERIG]


@dataclass(frozen=True)
class Duurzaamcellen:
    """First-exit and durable-exit effects side by side, for the cells the effect chapter shows.

    Attributes
    ----------
    tabel : DataFrame
        instrument, categorie, n_deelnemers (as in the effect table), vlag, werk / werk_laag / werk_hoog and
        duurzaam / duurzaam_laag / duurzaam_hoog (ATT at ``horizon``), tegengesteld (bool, see
        :func:`tegengesteld`).
    k, horizon : int
    methode : str
    """

    tabel: pd.DataFrame
    k: int
    horizon: int
    methode: str

    @property
    def tegengestelde(self) -> pd.DataFrame:
        """Rows whose two effects have opposite signs by the rule of :func:`tegengesteld`."""
        return self.tabel[self.tabel.tegengesteld]


def tegengesteld(werk_laag: float, werk_hoog: float, duurzaam_laag: float, duurzaam_hoog: float,
                 vlag: str = "") -> bool:
    """True when the first-exit and the durable-exit effect are both demonstrable and of opposite sign.

    Both 95% intervals must exclude 0 (and have a width: a zero-width interval proves nothing) and lie on
    opposite sides of it; a flagged cell is never called opposite. See :data:`REGEL_TEGENGESTELD`.
    """
    if vlag:
        return False
    w, d = aantoonbaar_kort(werk_laag, werk_hoog), aantoonbaar_kort(duurzaam_laag, duurzaam_hoog)
    return {w, d} == {"aantoonbaar positief", "aantoonbaar negatief"}


def duurzaamcellen(effecten: pd.DataFrame, c: Effectcellen, *, k: int = K_STANDAARD) -> Duurzaamcellen | None:
    """First-exit and durable-exit ATT per shown cell at the main horizon (None without durable-exit rows).

    The horizon is the effect chapter's main horizon when the durable-exit rows have it, else the first
    horizon both outcomes share. Only cells shown in the effect chapter appear (their participants are the
    same), with the participant count of that table.
    """
    kk = kies_k(effecten, k)
    if kk is None:
        return None
    u = f"duurzaam_werk_{kk}"
    e = effecten.assign(vlag=effecten["vlag"].fillna("").astype(str) if "vlag" in effecten else "")
    d = e[(e.uitkomst == u) & (e.maat == "att") & (e.methode == c.methode)]
    w = e[(e.uitkomst == "werk") & (e.maat == "att") & (e.methode == c.methode)]
    hs = [h for h in (c.horizon, *c.horizonnen, *sorted(set(d.horizon.astype(int))))
          if (d.horizon == h).any() and (w.horizon == h).any()]
    if not hs:
        return None
    h = int(hs[0])
    dw, ww = _att(e, u, c.methode, h), _att(e, "werk", c.methode, h)
    rows = []
    for r in _getoonde_cellen(c).itertuples(index=False):
        key = (r.instrument, r.categorie)
        if key not in dw.index or key not in ww.index:
            continue
        a, b = ww.loc[key], dw.loc[key]
        if "n_deelnemers" in dw and not _f(b.n_deelnemers) >= c.drempel:
            continue
        vlag = "; ".join(sorted({v for v in (str(r.vlag), str(b.vlag)) if v}))
        rec = {"instrument": r.instrument, "categorie": r.categorie, "n_deelnemers": _f(r.n_deelnemers), "vlag": vlag,
               "werk": _f(a.schatting), "werk_laag": _f(a.ci_laag), "werk_hoog": _f(a.ci_hoog),
               "duurzaam": _f(b.schatting), "duurzaam_laag": _f(b.ci_laag), "duurzaam_hoog": _f(b.ci_hoog)}
        rec["tegengesteld"] = tegengesteld(rec["werk_laag"], rec["werk_hoog"], rec["duurzaam_laag"],
                                           rec["duurzaam_hoog"], vlag)
        rows.append(rec)
    kol = ["instrument", "categorie", "n_deelnemers", "vlag", "werk", "werk_laag", "werk_hoog", "duurzaam",
           "duurzaam_laag", "duurzaam_hoog", "tegengesteld"]
    return Duurzaamcellen(pd.DataFrame(rows, columns=kol), kk, h, c.methode)


def _effect(a: float, lo: float, hi: float) -> str:
    return "–" if pd.isna(a) else f"{getal(100 * a, 1, teken=True)} ({bereik(lo, hi, schaal=100)})"


def duurzaamtabel(dc: Duurzaamcellen) -> pd.DataFrame:
    """Display table: per cell the effect on exit to work and on durable work (procentpunt, 95%-BI), verdicts."""
    t = dc.tabel
    h, k = dc.horizon, dc.k
    out = pd.DataFrame({"instrument en categorie": [celnaam(i, c) for i, c in zip(t.instrument, t.categorie)],
                        "deelnemers (n)": [aantal(n) for n in t.n_deelnemers],
                        f"uitstroom naar werk {h} mnd (95%-BI)": [_effect(a, lo, hi) for a, lo, hi in
                                                                 zip(t.werk, t.werk_laag, t.werk_hoog)],
                        f"duurzaam werk ({k} mnd geen uitkering) {h} mnd (95%-BI)": [
                            _effect(a, lo, hi) for a, lo, hi in zip(t.duurzaam, t.duurzaam_laag, t.duurzaam_hoog)],
                        "oordeel duurzaam": [aantoonbaar_kort(lo, hi) for lo, hi in zip(t.duurzaam_laag, t.duurzaam_hoog)],
                        "tegengesteld": ["ja" if x else "" for x in t.tegengesteld]})
    if (t.vlag != "").any():
        out["vlag"] = t.vlag.to_numpy()
    return out


def zin_tegengesteld(r: Any, h: int, k: int) -> str:
    """The explicit sentence for one cell whose two effects point in opposite directions."""
    naam = celnaam(r.instrument, r.categorie)
    werk = f"{procentpunt(r.werk)}, {bi(r.werk_laag, r.werk_hoog, schaal=100)}"
    duur = f"{procentpunt(r.duurzaam)}, {bi(r.duurzaam_laag, r.duurzaam_hoog, schaal=100)}"
    if r.werk > 0:
        return (f"{naam}: de effecten gaan tegengestelde kanten op. Meer deelnemers vinden binnen {h} maanden werk "
                f"({werk}), maar minder vinden werk dat ze {k} maanden houden zonder nieuwe uitkering ({duur}): dit "
                "instrument brengt mensen sneller in kortdurend werk, en een deel staat snel weer in de bijstand.")
    return (f"{naam}: de effecten gaan tegengestelde kanten op. Minder deelnemers vinden binnen {h} maanden werk "
            f"({werk}), maar meer vinden werk dat ze {k} maanden houden zonder nieuwe uitkering ({duur}): trager, maar "
            "duurzamer.")


def _duurzaam_populatie(populatie: pd.DataFrame | None, k: int) -> tuple[float, float, float] | None:
    if populatie is None or "maat" not in populatie:
        return None
    r = populatie[populatie.maat == f"toerekenbaar_aandeel_duurzaam_{k}"]
    if r.empty or pd.isna(r.schatting.iloc[0]):
        return None
    x = r.iloc[0]
    return _f(x.schatting), _f(x.get("ci_laag")), _f(x.get("ci_hoog"))


def _duurzaam_sectie(dc: Duurzaamcellen | None, reden: str | None, p: tuple[float, float, float] | None,
                     cfg: Evaluatieconfig) -> Sectie:
    titel = "Duurzaam werk: effect per instrument naast het effect op uitstroom"
    if dc is None:
        return Sectie("duurzaam", titel, (f"Niet te beoordelen: {reden}.",))
    h, k = dc.horizon, dc.k
    al = [f"Een instrument kan mensen sneller aan het werk helpen zonder dat dat werk blijft. Daarom staat hier naast "
          f"het effect op uitstroom naar werk binnen {h} maanden het effect op duurzaam werk: uitstroom naar werk binnen "
          f"{h} maanden én geen nieuwe uitkering in de {k} maanden daarna. Beide zijn het verschil in procentpunten met "
          "dezelfde mensen zonder instrument (geschat), met dezelfde schatter en bootstrap."]
    if p is not None:
        al.append(f"Van alle duurzame uitstroom naar werk ({k} maanden geen nieuwe uitkering) is {pct(p[0])} "
                  f"({bi(p[1], p[2], schaal=100, eenheid='%')}) toe te rekenen aan de instrumenten.")
    t = dc.tabel
    cellen = t[(t.instrument != "alle") & (t.categorie != "alle")]
    teg = dc.tegengestelde
    if len(teg):
        al.append(f"Bij {len(teg)} van de {len(cellen)} getoonde combinaties gaan de twee effecten tegengestelde kanten op:")
        al += [zin_tegengesteld(r, h, k) for r in teg.itertuples(index=False)]
    elif len(cellen):
        al.append(f"Bij geen van de {len(cellen)} getoonde combinaties gaan het effect op uitstroom en het effect op "
                  "duurzaam werk aantoonbaar tegengestelde kanten op.")
    al.append(REGEL_TEGENGESTELD)
    tab = Tabel(f"Effect op uitstroom naar werk en op duurzaam werk ({h} maanden, k = {k})", duurzaamtabel(dc),
                f"Procentpunt met 95%-BI; duurzaam werk = uitstroom naar werk binnen {h} maanden en geen nieuwe uitkering "
                f"binnen {k} maanden daarna. Alleen de combinaties die ook in de effecttabel staan (minstens "
                f"{cfg.drempel} deelnemers). 'Tegengesteld': zie de regel hierboven.")
    return Sectie("duurzaam", titel, tuple(al), (tab,))


# -- (c) months on benefit --------------------------------------------------------------------------------
def _maanden(x: float, d: int = 1) -> str:
    """``-1.23`` → ``'1,2 maanden minder'``; ``0.4`` → ``'0,4 maanden meer'``."""
    if pd.isna(x):
        return "–"
    s = getal(abs(x), d)
    if s.strip("0,") == "":
        return "evenveel maanden"
    return f"{s} {'maand' if s == '1,0' else 'maanden'} {'minder' if x < 0 else 'meer'}"


def _mnd_bi(lo: float, hi: float) -> str:
    return bi(lo, hi, eenheid=" maanden")


@dataclass(frozen=True)
class Uitkeringsmaandcellen:
    """Months on benefit per shown cell (participants, the same people without instrument, difference).

    Attributes
    ----------
    tabel : DataFrame
        instrument, categorie, horizon, deelnemers, controle, verschil, verschil_laag, verschil_hoog,
        n_deelnemers (as in the effect table), vlag.
    horizonnen : tuple of int
    hoofdhorizon : int
    methode : str
    """

    tabel: pd.DataFrame
    horizonnen: tuple[int, ...]
    hoofdhorizon: int
    methode: str

    def rij(self, instrument: str, categorie: str, horizon: int | None = None) -> pd.Series | None:
        t = self.tabel
        r = t[(t.instrument == instrument) & (t.categorie == categorie) & (t.horizon == (horizon or self.hoofdhorizon))]
        return None if r.empty else r.iloc[0]


def uitkeringsmaandcellen(um: pd.DataFrame | None, c: Effectcellen) -> Uitkeringsmaandcellen | None:
    """The months-on-benefit frame (``Effectresultaat.uitkeringsmaanden``) for the cells the effect chapter shows.

    A cell appears only if it is shown in the effect table and its own ``n_deelnemers`` reaches the threshold
    and equals the effect table's count or differs from it by at least the threshold (a small difference would
    be a count of a few persons).
    """
    if um is None or not len(um) or not {"instrument", "categorie", "horizon", "maat", "schatting"} <= set(um.columns):
        return None
    methoden = set(um.methode.astype(str)) if "methode" in um else {c.methode}
    methode = c.methode if c.methode in methoden else ("gformule" if "gformule" in methoden else sorted(methoden)[0])
    u = um[um.methode == methode] if "methode" in um else um
    getoond = {(r.instrument, r.categorie): r for r in _getoonde_cellen(c).itertuples(index=False)}
    rows = []
    for (ins, cat, h), g in u.groupby(["instrument", "categorie", "horizon"], sort=False):
        if (ins, cat) not in getoond:
            continue
        eff = getoond[(ins, cat)]
        m = g.drop_duplicates("maat").set_index("maat")
        if "verschil" not in m.index:
            continue
        n = _f(m.n_deelnemers.max()) if "n_deelnemers" in m else _f(eff.n_deelnemers)
        n_eff = _f(eff.n_deelnemers)
        if not n >= c.drempel or not (n == n_eff or abs(n - n_eff) >= c.drempel):
            continue
        vl = {str(v) for v in (m["vlag"] if "vlag" in m else []) if isinstance(v, str) and v} | ({eff.vlag} if eff.vlag else set())
        rows.append({"instrument": ins, "categorie": cat, "horizon": int(h),
                     "deelnemers": _f(m.schatting.get("deelnemers")), "controle": _f(m.schatting.get("controle")),
                     "verschil": _f(m.schatting["verschil"]), "verschil_laag": _f(m.ci_laag["verschil"]) if "ci_laag" in m else np.nan,
                     "verschil_hoog": _f(m.ci_hoog["verschil"]) if "ci_hoog" in m else np.nan, "n_deelnemers": n,
                     "vlag": "; ".join(sorted(vl))})
    if not rows:
        return None
    t = pd.DataFrame(rows)
    rang = {k: i for i, k in enumerate(getoond)}
    t = t.assign(_r=[rang[(i, k)] for i, k in zip(t.instrument, t.categorie)]).sort_values(
        ["_r", "horizon"], kind="mergesort").drop(columns="_r").reset_index(drop=True)
    hs = tuple(sorted(set(t.horizon)))
    return Uitkeringsmaandcellen(t, hs, UM_HOOFDHORIZON if UM_HOOFDHORIZON in hs else hs[-1], methode)


def uitkeringsmaandtabel(uc: Uitkeringsmaandcellen) -> pd.DataFrame:
    """Display: per cell the difference in months on benefit per horizon (95%-BI) and the verdict at the main one."""
    t = uc.tabel
    cellen = t[["instrument", "categorie", "n_deelnemers", "vlag"]].drop_duplicates(["instrument", "categorie"])
    h0 = uc.hoofdhorizon
    out = pd.DataFrame({"instrument en categorie": [celnaam(i, k) for i, k in zip(cellen.instrument, cellen.categorie)],
                        "deelnemers (n)": [aantal(n) for n in cellen.n_deelnemers]})
    hoofd = [uc.rij(i, k, h0) for i, k in zip(cellen.instrument, cellen.categorie)]
    out[f"in de bijstand, deelnemers ({h0} mnd)"] = ["–" if r is None else getal(r.deelnemers, 1) for r in hoofd]
    out[f"zonder instrument, geschat ({h0} mnd)"] = ["–" if r is None else getal(r.controle, 1) for r in hoofd]
    for h in uc.horizonnen:
        kol = []
        for i, k in zip(cellen.instrument, cellen.categorie):
            r = uc.rij(i, k, h)
            kol.append("–" if r is None else f"{getal(r.verschil, 1, teken=True)} ({bereik(r.verschil_laag, r.verschil_hoog)})")
        out[f"verschil {h} mnd (95%-BI)"] = kol
    out[f"oordeel {h0} mnd"] = ["–" if r is None else _oordeel_maanden(r.verschil_laag, r.verschil_hoog) for r in hoofd]
    if (cellen.vlag != "").any():
        out["vlag"] = cellen.vlag.to_numpy()
    return out


def _oordeel_maanden(lo: float, hi: float) -> str:
    a = aantoonbaar_kort(lo, hi)
    return {"aantoonbaar positief": "aantoonbaar meer", "aantoonbaar negatief": "aantoonbaar minder"}.get(a, a)


def zin_uitkeringsmaanden(r: pd.Series, wie: str = "Deelnemers") -> str:
    """'Deelnemers zaten gemiddeld 1,2 maanden minder in de bijstand in de eerste 24 maanden (95%-BI …)'."""
    h = int(r.horizon)
    lo, hi = _f(r.verschil_laag), _f(r.verschil_hoog)
    basis = (f"{wie} zaten gemiddeld {_maanden(r.verschil)} in de bijstand in de eerste {h} maanden na de start dan "
             f"zonder instrument (geschat: {getal(r.deelnemers, 1)} tegen {getal(r.controle, 1)} maanden; "
             f"{_mnd_bi(lo, hi)}; n = {aantal(r.n_deelnemers)} deelnemers)")
    oordeel = aantoonbaar(lo, hi)
    if oordeel.startswith("aantoonbaar"):
        return basis + "; dat verschil is aantoonbaar."
    return basis + f"; dat verschil is {oordeel}."


def _uitkeringsmaanden_sectie(uc: Uitkeringsmaandcellen | None, reden: str | None, cfg: Evaluatieconfig) -> Sectie:
    titel = "Maanden in de bijstand"
    if uc is None:
        return Sectie("uitkeringsmaanden", titel, (f"Niet te beoordelen: {reden}.",))
    h0 = uc.hoofdhorizon
    al = ["Wat de raad uiteindelijk betaalt, zijn maanden uitkering. Hier staat hoeveel maanden deelnemers gemiddeld in de "
          "bijstand zaten in de eerste 12, 24 of 36 maanden na de start van het instrument (terugkeer na werk telt mee), "
          "tegen dezelfde mensen zonder instrument (geschat). Een negatief verschil betekent minder maanden in de bijstand."]
    r = uc.rij("alle", "alle", h0)
    if r is not None:
        al.append(zin_uitkeringsmaanden(r, "Alle deelnemers samen"))
    t = uc.tabel[(uc.tabel.horizon == h0) & (uc.tabel.instrument != "alle") & (uc.tabel.categorie != "alle")
                 & (uc.tabel.vlag == "")]
    minder = t[t.verschil_hoog < 0]
    meer = t[t.verschil_laag > 0]
    minder = minder[[not ontaard(a, b) for a, b in zip(minder.verschil_laag, minder.verschil_hoog)]]
    meer = meer[[not ontaard(a, b) for a, b in zip(meer.verschil_laag, meer.verschil_hoog)]]
    if len(t):
        delen = []
        if len(minder):
            delen.append("aantoonbaar minder maanden voor " + "; ".join(
                f"{celnaam(x.instrument, x.categorie)} ({_maanden(x.verschil)}, {_mnd_bi(x.verschil_laag, x.verschil_hoog)})"
                for x in minder.itertuples(index=False)))
        if len(meer):
            delen.append("aantoonbaar méér maanden voor " + "; ".join(
                f"{celnaam(x.instrument, x.categorie)} ({_maanden(x.verschil)}, {_mnd_bi(x.verschil_laag, x.verschil_hoog)})"
                for x in meer.itertuples(index=False)))
        al.append(f"Per combinatie ({len(t)} ongevlagd getoond, eerste {h0} maanden): "
                  + ("; ".join(delen) if delen else "bij geen enkele is het verschil aantoonbaar") + ".")
    tab = Tabel("Maanden in de bijstand na de start, deelnemers tegen zonder instrument", uitkeringsmaandtabel(uc),
                "Gemiddeld aantal maanden met een uitkering in de eerste 12, 24 of 36 maanden na de start (alle perioden, "
                "terugkeer na werk inbegrepen); verschil = deelnemers min dezelfde mensen zonder instrument (geschat), met "
                f"95%-BI (bootstrap geclusterd op cliënt). Negatief = minder maanden in de bijstand. Alleen combinaties "
                f"met minstens {cfg.drempel} deelnemers die ook in de effecttabel staan.")
    return Sectie("uitkeringsmaanden", titel, tuple(al), (tab,))


# -- the chapter and its summary lines ----------------------------------------------------------------------
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
    aandeel = None if dc is None else _duurzaam_populatie(populatie, dc.k)
    return Nauitstroom(tv, terugval_reden, dc, dreden, uc, ureden, aandeel)


def sectie_na_uitstroom(cfg: Evaluatieconfig, na: Nauitstroom) -> Sectie:
    """The chapter 'Blijft het werk?' (see the module docstring)."""
    inleiding = ("Uitstroom naar werk is pas winst als het werk blijft. Dit hoofdstuk beschrijft hoeveel mensen na "
                 "uitstroom naar werk terugkomen in de bijstand, zet het effect van instrumenten op duurzaam werk naast "
                 "het effect op de eerste uitstroom, en vertaalt de effecten in maanden bijstand.")
    subs = (_terugval_sectie(na.terugval, na.terugval_reden, cfg),
            _duurzaam_sectie(na.duurzaam, na.duurzaam_reden, na.duurzaam_aandeel, cfg),
            _uitkeringsmaanden_sectie(na.uitkeringsmaanden, na.uitkeringsmaanden_reden, cfg))
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
        delen.append(f"in de eerste {int(um.horizon)} maanden gemiddeld {_maanden(um.verschil)} in de bijstand "
                     f"({_mnd_bi(um.verschil_laag, um.verschil_hoog)})")
        kern.append(Kernindicator(
            f"Maanden in de bijstand, eerste {int(um.horizon)} maanden na de start", getal(um.verschil, 1, teken=True),
            _mnd_bi(um.verschil_laag, um.verschil_hoog) + f"; n = {aantal(um.n_deelnemers)} deelnemers",
            f"deelnemers {getal(um.deelnemers, 1)} maanden, zonder instrument (geschat) {getal(um.controle, 1)}",
            f"Alle instrumenten samen; negatief = minder maanden uitkering. Oordeel: "
            f"{_oordeel_maanden(um.verschil_laag, um.verschil_hoog)}."))
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
            "Beschrijvend (geen effect van instrumenten); zie 'Blijft het werk?'."))
    return kern, concl


__all__ = ["ANKER", "TITEL", "Duurzaamcellen", "Nauitstroom", "Terugvalcijfers", "Uitkeringsmaandcellen",
           "duurzaamcellen", "kern_na_uitstroom", "na_uitstroom", "sectie_na_uitstroom", "tegengesteld",
           "terugvalcijfers", "uitkeringsmaandcellen"]
