"""From the tidy effect frame (contract "Effect results on disk") to disclosure-controlled cells.

Pure functions: the effect frame in, protected frames out. A cell (instrument × categorie) resting on
fewer than ``drempel`` participants is suppressed whole and dropped from every table and figure frame;
only the number of such cells is reported. The pooled rows (instrument ``alle``) are sums of cells,
including combinations the estimator did not estimate; those are one row 'overige combinaties' per
categorie. All of it goes through :func:`evaluatie.disclosure.beveilig_uitvoer` (with the report's other
tables when called from :func:`evaluatie.rapport.beveiliging.rapporttellingen`), so no left-out cell can
be recovered by subtraction.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from evaluatie.disclosure import Beveiligd, Tabelspec, beveilig_schattingen, beveilig_uitvoer

HOOFDMETHODE = "gformule"
SLEUTEL = ["instrument", "categorie"]
#: instrument (and categorie) of the row holding participants in combinations that are not shown
OVERIG = "overig"


@dataclass(frozen=True)
class Effectcellen:
    """Effects per instrument × categorie after disclosure control.

    Attributes
    ----------
    tabel : DataFrame
        Wide, one row per *shown* cell: instrument, categorie, n_deelnemers, n_gebeurtenissen (NA when it, or
        the number of participants without the event, is below the threshold; ``n_gebeurtenissen_onderdrukt``
        marks those), vlag, ``att_<h>``/``att_<h>_laag``/``att_<h>_hoog`` per horizon, and at the main
        horizon ``naief``, ``deadweight``, ``toerekenbaar``, ``controle`` (each with ``_laag``/``_hoog``)
        and ``e_waarde``/``e_waarde_ci``/``kwetsbaar`` (the estimator's label, 1.0/0.0) where available. Pooled rows (instrument ``alle``) last.
    lang : DataFrame
        Long rows of the main method (maat att / cif_deelnemers / cif_controle) of shown cells only.
    methode : str
        Main estimator (``gformule`` when present).
    horizon : int
        Main horizon (12 when requested, else the first requested).
    horizonnen : tuple of int
        Requested horizons present in the data.
    n_onderdrukt : int
        Cells left out because they rest on fewer than ``drempel`` participants.
    drempel : int
    n_secundair : int
        Cells left out besides those, so that a pooled row cannot give a small cell away by subtraction.
    n_overig : float
        Participants of the pooled rows in combinations that are not in the effect frame at all (the
        estimator leaves out combinations with too few participants); shown as 'overige combinaties'.
    overig_onderdrukt : int
        'overige combinaties' rows not shown (too few participants, or to protect another cell).
    """

    tabel: pd.DataFrame
    lang: pd.DataFrame
    methode: str
    horizon: int
    horizonnen: tuple[int, ...]
    n_onderdrukt: int
    drempel: int
    n_secundair: int = 0
    n_overig: float = 0.0
    overig_onderdrukt: int = 0

    @property
    def cellen(self) -> pd.DataFrame:
        """Shown cells excluding pooled rows and 'overige combinaties'."""
        t = self.tabel
        return t[(t.instrument != "alle") & (t.categorie != "alle") & (t.instrument != OVERIG)]

    @property
    def weggelaten_combinaties(self) -> bool:
        """True when any combination is missing from the table (suppressed, or not estimated)."""
        return bool(self.n_onderdrukt or self.n_secundair or self.n_overig > 0)

    @property
    def n_gevlagd(self) -> int:
        """Shown (non-pooled) cells with a flag."""
        return int((self.cellen.vlag != "").sum())


def hoofdmethode(effecten: pd.DataFrame) -> str:
    """``gformule`` if present, otherwise the first (sorted) estimator that produced ``att`` rows."""
    att = effecten[(effecten.maat == "att") & (effecten.methode != "naief")]
    methoden = sorted(set(att.methode.astype(str))) or sorted(set(effecten.methode.astype(str)))
    return HOOFDMETHODE if HOOFDMETHODE in methoden else (methoden[0] if methoden else HOOFDMETHODE)


def hoofdhorizon(horizonnen: Sequence[int]) -> int:
    """12 months when requested (the raad's question), otherwise the first requested horizon."""
    return 12 if 12 in horizonnen else int(horizonnen[0])


def _volgorde(cellen: pd.DataFrame) -> pd.DataFrame:
    from evaluatie.schema import instrumenten

    rang = {c: i for i, c in enumerate(instrumenten())}
    c = cellen.assign(_pool=(cellen.instrument == "alle") | (cellen.categorie == "alle"),
                      _rang=[rang.get(i, len(rang)) for i in cellen.instrument])
    return c.sort_values(["_pool", "categorie", "_rang", "instrument"], kind="mergesort").drop(columns=["_pool", "_rang"])


def _waarde(d: pd.DataFrame, prefix: str, rec: dict) -> None:
    if len(d):
        r = d.iloc[0]
        rec[prefix], rec[f"{prefix}_laag"], rec[f"{prefix}_hoog"] = r.schatting, r.ci_laag, r.ci_hoog


def _e_waarden(effecten: pd.DataFrame, gevoeligheid: pd.DataFrame | None) -> pd.DataFrame | None:
    if gevoeligheid is not None and len(gevoeligheid) and {"e_waarde", "e_waarde_ci"} <= set(gevoeligheid.columns):
        g = gevoeligheid.sort_values(SLEUTEL + (["horizon"] if "horizon" in gevoeligheid else []), kind="mergesort")
        g = g.drop_duplicates(SLEUTEL)
        kol = [*SLEUTEL, "e_waarde", "e_waarde_ci"] + [k for k in ("kwetsbaar", "horizon") if k in g]
        return _met_kwetsbaar(g[kol].rename(columns={"horizon": "e_horizon"}))
    e = effecten[effecten.maat.isin(["e_waarde", "e_waarde_ci"])]
    if e.empty:
        return None
    return _met_kwetsbaar(e.pivot_table(index=SLEUTEL, columns="maat", values="schatting", aggfunc="first").reset_index())


def _met_kwetsbaar(ev: pd.DataFrame) -> pd.DataFrame:
    """The estimator's own ``kwetsbaar`` label (1.0/0.0); only for tables written before it had the column, the
    estimator's rule (:func:`evaluatie.effecten.gevoeligheid.kwetsbaar`, threshold from :mod:`evaluatie.drempels`)."""
    from evaluatie.effecten.gevoeligheid import kwetsbaar

    if "kwetsbaar" in ev:
        lab = ev["kwetsbaar"].map(lambda x: x if isinstance(x, (bool, np.bool_)) else str(x).strip().lower() in ("true", "1", "1.0"))
    else:
        lab = pd.Series([kwetsbaar(float(x)) for x in ev.get("e_waarde_ci", pd.Series(np.nan, index=ev.index))],
                        index=ev.index)
    return ev.assign(kwetsbaar=lab.astype(float))


def _is_pool(d: pd.DataFrame) -> np.ndarray:
    return ((d.instrument == "alle") | (d.categorie == "alle")).to_numpy()


def _marges(cellen: pd.DataFrame) -> list[list[str]]:
    """Which sums of cells the pooled rows publish: per categorie (``alle``, c), per instrument (i, ``alle``),
    and all cells together (``alle``, ``alle``): the grand total is a margin of its own (all = A + B + C)."""
    ins, cat = (cellen.instrument == "alle").to_numpy(), (cellen.categorie == "alle").to_numpy()
    marges = []
    if (ins & ~cat).any():
        marges.append(["categorie"])
    if (~ins & cat).any():
        marges.append(["instrument"])
    if (ins & cat).any():
        marges.append([])
    return marges


def _overig(breed: pd.DataFrame) -> pd.DataFrame:
    """Rows 'overig' per categorie: the participants of a pooled row that are in no shown combination.

    The estimator does not estimate combinations with too few participants, so a pooled row (a sum over
    combinations) is more than the sum of the combinations shown; that difference is a count of persons
    (often a single small combination) and takes part in disclosure control as a cell of its own.
    """
    pool = _is_pool(breed)
    rijen = []
    for r in breed[pool].itertuples(index=False):
        if r.instrument == "alle" and r.categorie != "alle":
            delen = breed[~pool & (breed.categorie == r.categorie)]
            sleutel = {"instrument": OVERIG, "categorie": r.categorie}
        elif r.instrument == "alle" and r.categorie == "alle" and not (pool & (breed.categorie != "alle")).any():
            delen = breed[~pool]
            sleutel = {"instrument": OVERIG, "categorie": OVERIG}
        else:
            continue
        n = float(r.n_deelnemers) - float(delen.n_deelnemers.sum())
        if not n > 0:
            continue
        ev = delen.n_gebeurtenissen.astype(float)
        e = float(r.n_gebeurtenissen) - float(ev.sum()) if np.isfinite(ev).all() and pd.notna(r.n_gebeurtenissen) else np.nan
        rijen.append({**sleutel, "n_deelnemers": n, "n_gebeurtenissen": e if not e < 0 else np.nan, "vlag": ""})
    if not rijen:
        return breed
    return pd.concat([breed, pd.DataFrame(rijen)], ignore_index=True)


def effectspec(breed: pd.DataFrame) -> Tabelspec:
    """How the wide effect table is protected: participants and exits to work per cell are counts; the
    participants without an exit (``n_zonder``) are a hidden count; pooled rows are the margins' totals;
    every estimate of a row goes with its participants."""
    waarden = tuple(k for k in breed.columns if k not in (*SLEUTEL, "n_deelnemers", "n_gebeurtenissen", "n_zonder", "vlag"))
    return Tabelspec(aantallen=("n_deelnemers", "n_gebeurtenissen"), marges=tuple(tuple(m) for m in _marges(breed)),
                     n_kolom="n_deelnemers", waarden=waarden, verborgen=("n_zonder",),
                     rijsommen=(("n_deelnemers", ("n_gebeurtenissen", "n_zonder")),), sleutel=tuple(SLEUTEL))


def effectbreed(effecten: pd.DataFrame, *, horizonnen: Sequence[int],
                gevoeligheid: pd.DataFrame | None = None) -> tuple[pd.DataFrame, str, tuple[int, ...], int, pd.DataFrame]:
    """The unprotected wide effect table (with 'overig' rows and ``n_zonder``), main method, horizons, main
    horizon and the main method's long rows. See :func:`effectcellen`."""
    e = effecten
    if "uitkomst" in e.columns and (e.uitkomst == "werk").any():
        e = e[e.uitkomst == "werk"]
    e = e.assign(vlag=e["vlag"].fillna("").astype(str) if "vlag" in e else "")
    methode = hoofdmethode(e)
    hoofd = e[e.methode == methode]
    att = hoofd[hoofd.maat == "att"]
    hs = tuple(int(h) for h in horizonnen if (att.horizon == h).any()) or tuple(int(h) for h in horizonnen)
    h1 = hoofdhorizon(hs)
    cellen = _volgorde(att[SLEUTEL].drop_duplicates())
    n_cel = e.groupby(SLEUTEL).n_deelnemers.min()  # conservative: the smallest n any row of the cell rests on
    controle = "risicoset" if methode != "risicoset" and (e.methode == "risicoset").any() else None
    rows = []
    for ins, cat in cellen.itertuples(index=False):
        c = e[(e.instrument == ins) & (e.categorie == cat)]
        ch = c[c.methode == methode]
        a1 = ch[(ch.maat == "att") & (ch.horizon == h1)]
        vlaggen = sorted({v for v in ch.loc[ch.maat == "att", "vlag"] if v})
        rec: dict = {"instrument": ins, "categorie": cat, "n_deelnemers": float(n_cel[(ins, cat)]),
                     "n_gebeurtenissen": float(a1.n_gebeurtenissen.iloc[0]) if len(a1) and "n_gebeurtenissen" in a1 else np.nan,
                     "vlag": "; ".join(vlaggen)}
        for h in hs:
            _waarde(ch[(ch.maat == "att") & (ch.horizon == h)], f"att_{h}", rec)
        _waarde(c[(c.maat == "naief") & (c.horizon == h1)], "naief", rec)
        _waarde(ch[(ch.maat == "deadweight") & (ch.horizon == h1)], "deadweight", rec)
        _waarde(ch[(ch.maat == "toerekenbaar") & (ch.horizon == h1)], "toerekenbaar", rec)
        if controle:
            _waarde(c[(c.methode == controle) & (c.maat == "att") & (c.horizon == h1)], "controle", rec)
        rows.append(rec)
    breed = pd.DataFrame(rows, columns=["instrument", "categorie", "n_deelnemers", "n_gebeurtenissen", "vlag"]
                         if not rows else None)
    ev = _e_waarden(e, gevoeligheid)
    if ev is not None and len(breed):
        breed = breed.merge(ev, on=SLEUTEL, how="left")
    breed = _volgorde(_overig(breed)).reset_index(drop=True)
    waarden = [k for k in breed.columns if k not in (*SLEUTEL, "n_deelnemers", "vlag")]
    for k in waarden:
        breed[k] = breed[k].astype(float)
    breed["n_zonder"] = breed.n_deelnemers - breed.n_gebeurtenissen
    return breed, methode, hs, h1, hoofd


def effectcellen(effecten: pd.DataFrame, *, horizonnen: Sequence[int], drempel: int,
                 gevoeligheid: pd.DataFrame | None = None, beveiligd: Beveiligd | None = None) -> Effectcellen:
    """Protected wide and long effect frames (see :class:`Effectcellen`).

    Parameters
    ----------
    effecten : DataFrame
        Tidy effect frame per the contract; only uitkomst ``werk`` is used when that column is present.
    horizonnen : sequence of int
        Horizons of the evaluation config.
    drempel : int
        Disclosure threshold (minimum participants per shown cell).
    gevoeligheid : DataFrame, optional
        E-values per cell (instrument, categorie, e_waarde, e_waarde_ci); otherwise rows with maat
        ``e_waarde``/``e_waarde_ci`` in ``effecten`` are used if present.
    beveiligd : Beveiligd, optional
        The protected table from the report's joint disclosure control (table ``effecten`` of
        :func:`evaluatie.rapport.beveiliging.rapporttellingen`); without it the effect table is
        protected on its own.
    """
    breed, methode, hs, h1, hoofd = effectbreed(effecten, horizonnen=horizonnen, gevoeligheid=gevoeligheid)
    if beveiligd is None:
        beveiligd = beveilig_uitvoer({"effecten": (breed, effectspec(breed))}, drempel=drempel)["effecten"]
    b = beveiligd
    weg = b.onderdrukt["n_deelnemers"].to_numpy(dtype=bool)
    prim = b.primair["n_deelnemers"].to_numpy(dtype=bool) if b.primair is not None else weg
    overig = (breed.instrument == OVERIG).to_numpy()
    zichtbaar = b.tabel.assign(
        n_gebeurtenissen_onderdrukt=b.onderdrukt["n_gebeurtenissen"].to_numpy(dtype=bool),
        n_gebeurtenissen_primair=(b.primair["n_gebeurtenissen"].to_numpy(dtype=bool) if b.primair is not None
                                  else b.onderdrukt["n_gebeurtenissen"].to_numpy(dtype=bool)))
    zichtbaar = zichtbaar[~weg].reset_index(drop=True)
    getoond = set(zip(zichtbaar.instrument, zichtbaar.categorie))
    lang = hoofd[hoofd.maat.isin(["att", "cif_deelnemers", "cif_controle"])]
    if len(lang):
        lb = beveilig_schattingen(lang, "n_deelnemers", ["schatting", "se", "ci_laag", "ci_hoog"]
                                  if "se" in lang else ["schatting", "ci_laag", "ci_hoog"], drempel=drempel).tabel
        lang = lb[lb.n_deelnemers.notna().to_numpy()
                  & np.array([(i, c) in getoond for i, c in zip(lb.instrument, lb.categorie)], dtype=bool)]
    n_overig = float(breed.loc[overig, "n_deelnemers"].sum())
    return Effectcellen(zichtbaar, lang.reset_index(drop=True), methode, h1, hs, int((prim & ~overig).sum()), drempel,
                        int((weg & ~prim & ~overig).sum()), n_overig, int((weg & overig).sum()))


def bosdata(cellen: Effectcellen) -> pd.DataFrame:
    """Long frame for :func:`evaluatie.rapport.figuren.bosfiguur`: shown, non-pooled cells only."""
    t = cellen.cellen
    delen = []
    for h in cellen.horizonnen:
        if f"att_{h}" not in t:
            continue
        d = pd.DataFrame({"instrument": t.instrument, "categorie": t.categorie, "horizon": h,
                          "schatting": t[f"att_{h}"].astype(float), "ci_laag": t[f"att_{h}_laag"].astype(float),
                          "ci_hoog": t[f"att_{h}_hoog"].astype(float), "gevlagd": t.vlag != "",
                          "naief": t["naief"].astype(float) if h == cellen.horizon and "naief" in t else np.nan})
        delen.append(d[d.schatting.notna()])
    kol = ["instrument", "categorie", "horizon", "schatting", "ci_laag", "ci_hoog", "gevlagd", "naief"]
    return pd.concat(delen, ignore_index=True) if delen else pd.DataFrame(columns=kol)


def _cif_veilig(cif: pd.DataFrame, lang: pd.DataFrame, drempel: int) -> pd.DataFrame:
    """Only CIF points where the participants with an exit and those without are both at least ``drempel``.

    The participants' curve times the number of participants is (about) the number with an exit by that
    month; where that count, or its complement, is small, a point read off the figure would give it away.
    """
    if "n_gebeurtenissen" not in lang or not len(cif):
        return cif
    a = lang[lang.maat == "att"].drop_duplicates(["instrument", "categorie", "horizon"])
    n = a.set_index(["instrument", "categorie", "horizon"])[["n_deelnemers", "n_gebeurtenissen"]].astype(float)
    k = pd.MultiIndex.from_frame(cif[["instrument", "categorie", "horizon"]])
    m, e = n.n_deelnemers.reindex(k).to_numpy(), n.n_gebeurtenissen.reindex(k).to_numpy()
    ok = (e >= drempel) & (m - e >= drempel)  # unknown counts (NaN) are not shown either
    return cif[ok]


def verloopdata(cellen: Effectcellen, *, max_cellen: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ATT over horizons and participants-vs-counterfactual curves for the shown (non-pooled) cells.

    Returns ``(att, cif)``: att has instrument, categorie, horizon, schatting, ci_laag, ci_hoog; cif has
    instrument, categorie, horizon, deelnemers, controle. With ``max_cellen``, only that many cells, chosen
    by number of participants. Cells in table order (categorie, then instrument as in the schema).
    """
    t = cellen.cellen
    if max_cellen is not None:
        t = t.sort_values("n_deelnemers", ascending=False, kind="mergesort").head(max_cellen)
    kies = set(zip(t.instrument, t.categorie))
    rang = {k: i for i, k in enumerate(zip(cellen.cellen.instrument, cellen.cellen.categorie))}  # table order
    lang = cellen.lang[[(i, c) in kies for i, c in zip(cellen.lang.instrument, cellen.lang.categorie)]]
    lang = lang.assign(_rang=[rang[(i, c)] for i, c in zip(lang.instrument, lang.categorie)])
    lang = lang.sort_values(["_rang", "horizon"], kind="mergesort").drop(columns="_rang")
    att = lang[lang.maat == "att"][["instrument", "categorie", "horizon", "schatting", "ci_laag", "ci_hoog"]]
    cif = lang[lang.maat.isin(["cif_deelnemers", "cif_controle"])]
    if len(cif):
        cif = (cif.pivot_table(index=["instrument", "categorie", "horizon"], columns="maat", values="schatting")
               .reset_index().rename(columns={"cif_deelnemers": "deelnemers", "cif_controle": "controle"}))
        cif = cif.dropna(subset=[k for k in ("deelnemers", "controle") if k in cif]) if {"deelnemers", "controle"} <= set(cif.columns) else cif.iloc[:0]
        cif = (cif.assign(_rang=[rang[(i, c)] for i, c in zip(cif.instrument, cif.categorie)])
               .sort_values(["_rang", "horizon"], kind="mergesort").drop(columns="_rang"))
        cif.columns.name = None
        cif = _cif_veilig(cif, lang, cellen.drempel)
    else:
        cif = pd.DataFrame(columns=["instrument", "categorie", "horizon", "deelnemers", "controle"])
    # a curve needs more than one point
    att = att.groupby(["instrument", "categorie"]).filter(lambda g: len(g) > 1) if len(att) else att
    return att.reset_index(drop=True), cif.reset_index(drop=True)
