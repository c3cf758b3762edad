"""Every count the report publishes, protected together (disclosure control as one stage of the report).

The report's sections print counts from several sources that add up across chapters: the record flow
(gelezen = geaccepteerd + afgekeurd; the accepted clients = those analysed + the others), the effect cells
(combinations, 'overige combinaties' and the pooled rows of all instruments), the attributable share
(its exits to work) and the same per gemeente (whose counts add up to the totals shown elsewhere).
:func:`rapporttellingen` builds these tables with their :class:`~evaluatie.disclosure.Tabelspec` and
protects them in one call of :func:`~evaluatie.disclosure.beveilig_uitvoer`, so a suppressed cell cannot
be recovered by subtracting figures of different chapters. The sections format what comes out; the
acceptance test reads the same object (:class:`Rapporttellingen`) back from the report content and checks it
with an independent solver.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.disclosure import (MARKER_SECUNDAIR, Beveiligd, OnthullingsFout, Tabelspec, beveilig_uitvoer,
                                  check_drempel)

INVOERTABELLEN_TOTAAL = "totaal"

SPEC_RECORDSTROOM = Tabelspec(aantallen=("gelezen", "geaccepteerd", "afgekeurd"), marges=((),),
                              rijsommen=(("gelezen", ("geaccepteerd", "afgekeurd")),), sleutel=("tabel",))
SPEC_ANALYSE = Tabelspec(aantallen=("clienten_geaccepteerd", "n_clienten"), verborgen=("niet_geanalyseerd",),
                         rijsommen=(("clienten_geaccepteerd", ("n_clienten", "niet_geanalyseerd")),), sleutel=())
SPEC_BEVINDINGEN = Tabelspec(aantallen=("aantal",), sleutel=("tabel", "regel"))
SPEC_TOEREKENBAAR = Tabelspec(aantallen=("n_uitstroom_werk",), n_kolom="n_uitstroom_werk",
                              waarden=("schatting", "ci_laag", "ci_hoog"), sleutel=())
SPEC_PREVENTIE = Tabelspec(aantallen=("meldingen", "toekenningen"), verborgen=("niet_toegekend",),
                           rijsommen=(("meldingen", ("toekenningen", "niet_toegekend")),),
                           sleutel=("gemeentecode", "periode"))
SPEC_GEMEENTEN = Tabelspec(aantallen=("n_clienten", "n_deelnemers", "n_uitstroom_werk"), marges=((),),
                           sleutel=("gemeentecode",))


def marker_noot(drempel: int) -> str:
    """What the two markers in a table mean (Dutch), for a table note."""
    return (f"'<{drempel}': minder dan {drempel} personen; '{MARKER_SECUNDAIR}': niet getoond omdat het samen met "
            "andere cijfers in dit rapport een klein aantal zou verraden.")


@dataclass(frozen=True)
class Rapporttellingen:
    """The report's count tables after joint disclosure control.

    Attributes
    ----------
    beveiligd : mapping
        Table name → :class:`~evaluatie.disclosure.Beveiligd` (``recordstroom``, ``analyse``,
        ``bevindingen``, ``effecten``, ``toerekenbaar``, ``gemeenten_toerekenbaar``, ``preventie``,
        ``terugval``, ``terugval_aantallen``; those without input are absent).
    specs : mapping
        Table name → :class:`~evaluatie.disclosure.Tabelspec` used.
    gelijk : tuple
        Pairs of cells ``((table, row, column), (table, row, column))`` that hold the same count.
    drempel : int
    """

    beveiligd: Mapping[str, Beveiligd]
    specs: Mapping[str, Tabelspec]
    gelijk: tuple[tuple[tuple[str, int, str], tuple[str, int, str]], ...] = ()
    drempel: int = 10
    meldingen: tuple[str, ...] = field(default_factory=tuple)

    def get(self, naam: str) -> Beveiligd | None:
        """The protected table ``naam``, or None."""
        return self.beveiligd.get(naam)


def recordstroomtabel(reconciliatie: pd.DataFrame) -> pd.DataFrame:
    """tabel, gelezen, geaccepteerd, afgekeurd per input table, plus a row ``totaal``."""
    r = reconciliatie[["tabel", "gelezen", "geaccepteerd", "afgekeurd"]].reset_index(drop=True)
    totaal = pd.DataFrame([{"tabel": INVOERTABELLEN_TOTAAL,
                            **{k: r[k].sum() for k in ("gelezen", "geaccepteerd", "afgekeurd")}}])
    return pd.concat([r, totaal], ignore_index=True).astype({k: float for k in ("gelezen", "geaccepteerd", "afgekeurd")})


def populatie_n(populatie: pd.DataFrame | None, kolom: str) -> float:
    """A population count from the populatie frame (``n_clienten``; ``n_uitstroom_werk`` from the
    ``uitstroom_werk`` row when there is no such column); NaN when absent."""
    if populatie is None or populatie.empty:
        return np.nan
    if kolom in populatie.columns and len(populatie):
        r = populatie[populatie.maat == "toerekenbaar_aandeel"] if "maat" in populatie else populatie
        r = r if len(r) else populatie
        v = pd.to_numeric(r[kolom], errors="coerce").iloc[0]
        return float(v) if pd.notna(v) else np.nan
    if kolom == "n_uitstroom_werk" and "maat" in populatie:
        w = populatie[populatie.maat == "uitstroom_werk"]
        if len(w):
            v = pd.to_numeric(w.schatting, errors="coerce").iloc[0]
            return float(v) if pd.notna(v) else np.nan
    return np.nan


def toerekenbaartabel(populatie: pd.DataFrame | None) -> pd.DataFrame | None:
    """One row: n_uitstroom_werk, schatting, ci_laag, ci_hoog of the attributable share (None when absent)."""
    if populatie is None or populatie.empty or "maat" not in populatie:
        return None
    r = populatie[populatie.maat == "toerekenbaar_aandeel"]
    if r.empty:
        return None
    x = r.iloc[0]
    num = {k: float(pd.to_numeric(pd.Series([x.get(k, np.nan)]), errors="coerce").iloc[0])
           for k in ("schatting", "ci_laag", "ci_hoog")}
    return pd.DataFrame([{"n_uitstroom_werk": populatie_n(populatie, "n_uitstroom_werk"), **num}])


def gemeententabel(pg: pd.DataFrame | None, volgorde: Sequence[str]) -> pd.DataFrame | None:
    """Per gemeente (in ``volgorde``) n_clienten, n_deelnemers, n_uitstroom_werk, plus a row ``totaal``."""
    if pg is None or pg.empty or pg.gemeentecode.nunique() < 2:
        return None
    w = pg.pivot(index="gemeentecode", columns="maat", values="schatting")
    a = pg[pg.maat == "toerekenbaar_aandeel"].set_index("gemeentecode")
    d = pd.DataFrame({"gemeentecode": list(volgorde),
                      "n_clienten": a.loc[list(volgorde), "n_clienten"].to_numpy(dtype=float),
                      "n_deelnemers": a.loc[list(volgorde), "n_deelnemers"].to_numpy(dtype=float),
                      "n_uitstroom_werk": w.loc[list(volgorde), "uitstroom_werk"].to_numpy(dtype=float)})
    tot = {"gemeentecode": INVOERTABELLEN_TOTAAL, **{k: float(d[k].sum()) for k in ("n_clienten", "n_deelnemers",
                                                                                     "n_uitstroom_werk")}}
    return pd.concat([d, pd.DataFrame([tot])], ignore_index=True)


def gemeentevolgorde(pg: pd.DataFrame, gemeenten: Sequence[str]) -> list[str]:
    """Gemeenten of the config first (in config order), then the others sorted."""
    codes = sorted(set(pg.gemeentecode))
    g = list(gemeenten)
    return sorted(codes, key=lambda c: (c not in g, g.index(c) if c in g else 0, c))


def terugvaltabellen(terugval: Any) -> tuple[dict[str, tuple[pd.DataFrame, Tabelspec]], list]:
    """The terugval step's tables ``terugval`` (incidences) and ``terugval_aantallen`` (counts) with the step's
    own :data:`~evaluatie.stappen.terugval.SPECS`, all groupings (so the pattern matches ``evaluatie terugval``),
    plus the pairs of cells that hold the same count.

    The rows of one groepering add up to the exits of all groups, which ``terugval_aantallen`` shows as its row
    ``totaal``/``alle``; the step's spec does not say that row *is* each groepering's margin. A small table
    ``terugval_totalen`` (one row per groepering, keyed by groepering alone, so it is the margin's total) is linked
    to that row, so suppressing it is not mistaken for protection while the groups still add up to it.
    """
    from evaluatie.stappen.terugval import AANTALLEN, SPECS, WAARDEN

    t = terugval.tabel[["groepering", "groep", "maanden", "n_risico", *WAARDEN, "voorbij_laatste"]]
    a = terugval.aantallen[["groepering", "groep", *AANTALLEN]].reset_index(drop=True)
    tabellen = {"terugval": (t.reset_index(drop=True), SPECS["terugval"]),
                "terugval_aantallen": (a, SPECS["terugval_aantallen"])}
    gelijk: list = []
    rij = np.flatnonzero((a.groepering == "totaal").to_numpy())
    groeperingen = [g for g in dict.fromkeys(a.groepering) if g != "totaal"]
    if len(rij) and groeperingen:
        tot = a.iloc[int(rij[0])]
        m = pd.DataFrame([{"groepering": g, **{c: float(tot[c]) for c in AANTALLEN}} for g in groeperingen])
        tabellen["terugval_totalen"] = (m, Tabelspec(aantallen=AANTALLEN[:3], verborgen=AANTALLEN[3:],
                                                     sleutel=("groepering",)))
        gelijk += [(("terugval_totalen", i, c), ("terugval_aantallen", int(rij[0]), c))
                   for i in range(len(m)) for c in AANTALLEN]
    return tabellen, gelijk


def _koppel_terugval(tabellen: dict[str, tuple[pd.DataFrame, Tabelspec]], gelijk: list) -> None:
    """Link the exits to work of the terugval table to those of the attributable share.

    Both chapters publish a total of exits to work; they are counted differently (the terugval analysis leaves
    out exits on the peildatum, for instance), so their difference is a count of persons a reader can compute.
    It enters the system as a hidden cell of a small linking table (``terugval_koppeling``: the larger total =
    the smaller + the difference), so a difference of 1–9 is protected like any other cell.
    """
    if "toerekenbaar" not in tabellen or "terugval_aantallen" not in tabellen:
        return
    a = tabellen["terugval_aantallen"][0]
    rij = np.flatnonzero((a.groepering == "totaal").to_numpy())
    n_eff = float(tabellen["toerekenbaar"][0].n_uitstroom_werk.iloc[0])
    if not len(rij) or not np.isfinite(n_eff):
        return
    n_tv = float(a.n_uitstroom_werk.iloc[int(rij[0])])
    groot, klein = ("n_effect", "n_terugval") if n_eff >= n_tv else ("n_terugval", "n_effect")
    t = pd.DataFrame([{"n_effect": n_eff, "n_terugval": n_tv, "verschil": abs(n_eff - n_tv)}])
    tabellen["terugval_koppeling"] = (t, Tabelspec(aantallen=("n_effect", "n_terugval"), verborgen=("verschil",),
                                                   rijsommen=((groot, (klein, "verschil")),), sleutel=()))
    gelijk += [(("terugval_koppeling", 0, "n_effect"), ("toerekenbaar", 0, "n_uitstroom_werk")),
               (("terugval_koppeling", 0, "n_terugval"), ("terugval_aantallen", int(rij[0]), "n_uitstroom_werk"))]


def rapporttellingen(drempel: int, *, reconciliatie: pd.DataFrame | None = None,
                     bevindingen_telling: pd.DataFrame | None = None, effecten: pd.DataFrame | None = None,
                     horizonnen: Sequence[int] = (12,), gevoeligheid: pd.DataFrame | None = None,
                     populatie: pd.DataFrame | None = None, toerekenbaar_per_gemeente: pd.DataFrame | None = None,
                     gemeenten: Sequence[str] = (), preventie: pd.DataFrame | None = None,
                     terugval: Any = None, subgroepen: pd.DataFrame | None = None,
                     mee: Mapping[str, tuple[pd.DataFrame, Tabelspec]] | None = None) -> Rapporttellingen:
    """Build the report's count tables and protect them together.

    Parameters
    ----------
    drempel : int
        Disclosure threshold (at least :data:`~evaluatie.disclosure.MIN_DREMPEL`).
    reconciliatie, bevindingen_telling, effecten, gevoeligheid, populatie, toerekenbaar_per_gemeente
        The stage results as :func:`evaluatie.rapport.secties.bouw_inhoud` receives them (each optional).
    horizonnen : sequence of int
        Horizons of the config (the effect table's main horizon is chosen from them).
    gemeenten : sequence of str
        The config's gemeenten (order of the per-gemeente table; whose poort counts are shown).
    preventie : DataFrame, optional
        ``Benchmarkresultaat.preventie`` (gemeentecode, jaar, periode, meldingen, toekenningen,
        preventiequotum, ci_laag, ci_hoog): the poort counts; the applications not granted
        (meldingen − toekenningen) are persons too and follow from the quotum.
    terugval : Terugvalresultaat, optional
        Return to benefit after an exit to work (chapter 'Blijft het werk?'): tables ``terugval`` and
        ``terugval_aantallen`` (:func:`terugvaltabellen`).
    subgroepen : DataFrame, optional
        ``Effectresultaat.subgroepen`` (chapter 'Voor wie werkt het?'): its participant counts per subgroup and the
        rest of each cell x indeling (table ``subgroepen_aantallen``, rows adding up to the cell).
    mee : mapping, optional
        The tables published next to the report (``publiceerbaar/tabellen/<naam>.csv``: name → (table,
        spec)), protected in the same call (as ``tabellen/<naam>``), so a figure in the report and one in a
        table cannot be subtracted either; the effect cells' exits are linked to ``effecten_aantallen``.

    Returns
    -------
    Rapporttellingen
    """
    from evaluatie.rapport.secties.effectcellen import effectbreed, effectspec

    drempel = check_drempel(drempel)
    tabellen: dict[str, tuple[pd.DataFrame, Tabelspec]] = {}
    gelijk: list[tuple[tuple[str, int, str], tuple[str, int, str]]] = []
    if reconciliatie is not None and len(reconciliatie):
        rs = recordstroomtabel(reconciliatie)
        tabellen["recordstroom"] = (rs, SPEC_RECORDSTROOM)
        n_cl = populatie_n(populatie, "n_clienten")
        if np.isfinite(n_cl) and (rs.tabel == "clienten").any():
            rij = int(np.flatnonzero(rs.tabel.to_numpy() == "clienten")[0])
            acc = float(rs.geaccepteerd.iloc[rij])
            tabellen["analyse"] = (pd.DataFrame([{"clienten_geaccepteerd": acc, "n_clienten": n_cl,
                                                  "niet_geanalyseerd": acc - n_cl}]), SPEC_ANALYSE)
            gelijk.append((("analyse", 0, "clienten_geaccepteerd"), ("recordstroom", rij, "geaccepteerd")))
    if bevindingen_telling is not None and len(bevindingen_telling):
        t = bevindingen_telling[["tabel", "regel", "aantal"]].sort_values(
            ["tabel", "aantal", "regel"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)
        tabellen["bevindingen"] = (t, SPEC_BEVINDINGEN)
    if effecten is not None and len(effecten):
        breed = effectbreed(effecten, horizonnen=horizonnen, gevoeligheid=gevoeligheid)[0]
        tabellen["effecten"] = (breed, effectspec(breed))
    tt = toerekenbaartabel(populatie)
    if tt is not None:
        tabellen["toerekenbaar"] = (tt, SPEC_TOEREKENBAAR)
    if toerekenbaar_per_gemeente is not None and len(toerekenbaar_per_gemeente):
        gt = gemeententabel(toerekenbaar_per_gemeente, gemeentevolgorde(toerekenbaar_per_gemeente, gemeenten))
        if gt is not None:
            tabellen["gemeenten_toerekenbaar"] = (gt, SPEC_GEMEENTEN)
            if "analyse" in tabellen:
                gelijk.append((("analyse", 0, "n_clienten"), ("gemeenten_toerekenbaar", len(gt) - 1, "n_clienten")))
    if preventie is not None and len(preventie):
        pv = preventie[preventie.gemeentecode.isin(list(gemeenten))] if len(gemeenten) else preventie
        pv = pv[["gemeentecode", "jaar", "periode", "meldingen", "toekenningen", "preventiequotum", "ci_laag",
                 "ci_hoog"]].reset_index(drop=True)
        if len(pv):
            pv = pv.assign(niet_toegekend=pv.meldingen.astype(float) - pv.toekenningen.astype(float))
            tabellen["preventie"] = (pv, SPEC_PREVENTIE)
    if terugval is not None:
        tv, tv_gelijk = terugvaltabellen(terugval)
        tabellen.update(tv)
        gelijk += tv_gelijk
        _koppel_terugval(tabellen, gelijk)
    if subgroepen is not None and len(subgroepen):
        from evaluatie.stappen.subgroepen import SPECS as SUBSPECS, publiceerbare_subgroepen

        sa = publiceerbare_subgroepen(subgroepen, None, drempel).get("subgroepen_aantallen")
        if sa is not None and len(sa):
            tabellen["subgroepen_aantallen"] = (sa, SUBSPECS["subgroepen_aantallen"])
    if mee:
        _koppel_mee(tabellen, gelijk, mee, horizonnen)
    beveiligd = beveilig_uitvoer(tabellen, drempel=drempel, gelijk=gelijk)
    meldingen = tuple(m for b in beveiligd.values() for m in b.meldingen)
    if meldingen:  # every total of the report is a cell that can be suppressed, so this should not happen
        raise OnthullingsFout("rapport niet veilig te publiceren: " + "; ".join(meldingen))
    return Rapporttellingen(beveiligd, {n: s for n, (_, s) in tabellen.items()}, tuple(gelijk), drempel, meldingen)


#: prefix of the published tables (``publiceerbaar/tabellen/``) inside the report's joint disclosure call
MEE = "tabellen/"


def _koppel_mee(tabellen: dict[str, tuple[pd.DataFrame, Tabelspec]], gelijk: list,
                mee: Mapping[str, tuple[pd.DataFrame, Tabelspec]], horizonnen: Sequence[int]) -> None:
    """Add the publication's tables to the report's system and link the counts they share.

    Counts with the same column and key values are the same cell already (e.g. ``n_deelnemers`` of a cell in
    the report's effect table and in ``effecten_aantallen``); the report's ``n_gebeurtenissen`` at the main
    horizon is ``n_werk_h{h}`` of ``effecten_aantallen``, linked here cell by cell.
    """
    from evaluatie.rapport.secties.effectcellen import hoofdhorizon

    for naam, (df, spec) in mee.items():
        if spec.aantallen or spec.n_kolom or spec.verborgen or spec.curve is not None:
            tabellen[MEE + naam] = (df.reset_index(drop=True), spec)
    ea = tabellen.get(MEE + "effecten_aantallen")
    if ea is None or "effecten" not in tabellen or not len(horizonnen):
        return
    kol = f"n_werk_h{hoofdhorizon(sorted(int(h) for h in horizonnen))}"
    if kol not in ea[0].columns:
        return
    rap = tabellen["effecten"][0]
    plek = {(str(i), str(c)): r for r, (i, c) in enumerate(zip(ea[0].instrument, ea[0].categorie))}
    for r, (i, c) in enumerate(zip(rap.instrument, rap.categorie)):
        if (str(i), str(c)) in plek:
            gelijk.append((("effecten", r, "n_gebeurtenissen"), (MEE + "effecten_aantallen", plek[(str(i), str(c))], kol)))


def mee_tabellen(tellingen: Any) -> dict[str, pd.DataFrame]:
    """The published tables as the report's joint call protected them (name without the prefix)."""
    if tellingen is None:
        return {}
    return {n[len(MEE):]: b.tabel for n, b in tellingen.beveiligd.items() if n.startswith(MEE)}
