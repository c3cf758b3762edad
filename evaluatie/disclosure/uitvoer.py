"""Disclosure control of one publication: all its tables together (:func:`beveilig_uitvoer`), and an
independent check of what is about to be published (:func:`controleer_publiceerbaar`).

How a table is protected is described by a :class:`Tabelspec`. The tables of one output are turned into
one linear system (:mod:`evaluatie.disclosure.stelsel`): margins within a table, margins whose total is
a cell of another table (matched on count column and key values), and the same count published twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.disclosure.basis import DREMPEL, Beveiligd, check_drempel, knip_curve, weiger_minmax
from evaluatie.disclosure.ids import OnthullingsFout, controleer_geen_ids
from evaluatie.disclosure.stelsel import (TOTAALWAARDEN, Relatie, deelstelsels, identiteit, intervallen,
                                          secundair)


@dataclass(frozen=True)
class Tabelspec:
    """How one table is protected before publication.

    Attributes
    ----------
    aantallen : tuple of str
        Person-count columns. A count below the threshold (and above 0) is suppressed.
    marges : tuple of tuples of str
        Column sets whose rows add up to a total that is (or can be) published: ``("categorie",)`` means
        the rows of one categorie add up to the categorie's total; ``()`` means all rows add up to the
        grand total. A total published in another table of the same output (same count column, key
        columns equal to the set) is linked to that cell.
    n_kolom : str or None
        Estimate tables: the persons behind the row. A row with fewer than ``drempel`` persons has
        ``n_kolom`` and every column of ``waarden`` suppressed.
    waarden : tuple of str
        Columns suppressed together with ``n_kolom`` (estimates, intervals, shares).
    curve : (str, tuple of str, str) or None
        ``(n_risk column, group columns, time column)``: a curve cut where the risk set drops below
        the threshold (:func:`~evaluatie.disclosure.basis.knip_curve`).
    rijtotaal : bool
        The count columns of a row add up to a (published or publishable) row total.
    rijsommen : tuple of (str, tuple of str)
        Per row, ``(total column, part columns)``: the total column equals the sum of the parts, e.g.
        ``("gelezen", ("geaccepteerd", "afgekeurd"))``. All columns must be count columns.
    verborgen : tuple of str
        Count columns that are never published but take part in the equations (e.g. the participants
        of a cell *without* an exit to work, which is ``n_deelnemers - n_gebeurtenissen``). They are
        protected like published cells and dropped from the output.
    sleutel : tuple of str, optional
        The columns that identify a row (default: every column that is not a count, a value or a float).
        Two cells with the same count column and key values are the same count.
    """

    aantallen: tuple[str, ...] = ()
    marges: tuple[tuple[str, ...], ...] = ()
    n_kolom: str | None = None
    waarden: tuple[str, ...] = ()
    curve: tuple[str, tuple[str, ...], str] | None = None
    rijtotaal: bool = False
    rijsommen: tuple[tuple[str, tuple[str, ...]], ...] = ()
    verborgen: tuple[str, ...] = ()
    sleutel: tuple[str, ...] | None = None

    def telkolommen(self) -> tuple[str, ...]:
        """Count columns that take part in the linear system (``aantallen``, ``n_kolom``, ``verborgen``)."""
        extra = (self.n_kolom,) if self.n_kolom and self.n_kolom not in self.aantallen else ()
        return tuple(self.aantallen) + extra + tuple(c for c in self.verborgen if c not in self.aantallen)


@dataclass(frozen=True)
class _Stelsel:
    cellen: tuple[tuple[str, int, str], ...]
    waarden: np.ndarray
    bovengrens: np.ndarray  # reader-known upper bound (inf if none)
    onbekend: np.ndarray  # not published (NaN, marker or hidden column)
    verborgen: np.ndarray  # cells of hidden columns
    relaties: tuple[Relatie, ...]


def _sleutelkolommen(df: pd.DataFrame, spec: Tabelspec) -> list[str]:
    if spec.sleutel is not None:
        return [c for c in spec.sleutel if c in df.columns]
    weg = set(spec.telkolommen()) | set(spec.waarden) | ({spec.n_kolom} if spec.n_kolom else set())
    return [c for c in df.columns if c not in weg and not pd.api.types.is_float_dtype(df[c])]


def _getallen(s: pd.Series, drempel: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (NaN where not a number), unknown mask, and reader-known upper bound from markers."""
    markerwaarden = {f"<{drempel}"}
    obj = s.astype(object).to_numpy()
    waarden = np.full(len(obj), np.nan)
    boven = np.full(len(obj), np.inf)
    for k, v in enumerate(obj):
        if isinstance(v, str):
            t = v.strip()
            if t in markerwaarden:
                boven[k] = drempel - 1.0
                continue
            try:
                waarden[k] = float(t.replace(".", "").replace(",", ".")) if t else np.nan
            except ValueError:
                pass
        elif v is not None and not pd.isna(v):
            waarden[k] = float(v)
    return waarden, ~np.isfinite(waarden), boven


Cel = tuple[str, int, str]  # (table, row position, column)


def _bouw_stelsel(tabellen: Mapping[str, tuple[pd.DataFrame, Tabelspec]], drempel: int,
                  totalen: Mapping[str, float] | None, gelijk: Sequence[tuple[Cel, Cel]] = ()) -> _Stelsel:
    cellen: list[tuple[str, int, str]] = []
    verborgen: list[np.ndarray] = []
    waarden: list[np.ndarray] = []
    boven: list[np.ndarray] = []
    onbekend: list[np.ndarray] = []
    index: dict[tuple, list[int]] = {}
    posities: dict[tuple[str, str], np.ndarray] = {}
    for naam, (df, spec) in tabellen.items():
        if spec.curve is not None:
            continue
        sleutel = _sleutelkolommen(df, spec)
        for c in spec.telkolommen():
            if c not in df.columns and c not in spec.verborgen:
                raise KeyError(f"tabel {naam}: kolom {c!r} (aantal personen) ontbreekt")
            kolom = df[c] if c in df.columns else pd.Series(np.nan, index=df.index)
            w, o, b = _getallen(kolom, drempel)
            verborgen.append(np.full(len(df), c in spec.verborgen))
            o = o | (c in spec.verborgen)
            start = len(cellen)
            posities[(naam, c)] = np.arange(start, start + len(df))
            sl = df[sleutel].astype(object).to_numpy() if sleutel else np.empty((len(df), 0), dtype=object)
            for r in range(len(df)):
                cellen.append((naam, r, c))
                index.setdefault(identiteit(c, list(zip(sleutel, sl[r]))), []).append(start + r)
            waarden.append(w)
            onbekend.append(o)
            boven.append(b)
    W = np.concatenate(waarden) if waarden else np.zeros(0)
    relaties: list[Relatie] = []

    def _totaal(naam_rel: str, delen: np.ndarray) -> float | None:
        if totalen is not None:
            return totalen.get(naam_rel)
        v = W[delen]
        s = float(v.sum())
        return s if np.all(np.isfinite(v)) and not (0 < s < drempel) else None

    for naam, (df, spec) in tabellen.items():
        if spec.curve is not None:
            continue
        for groep in spec.marges:
            groep = tuple(groep)
            ontbreekt = [g for g in groep if g not in df.columns]
            if ontbreekt:
                raise KeyError(f"tabel {naam}: margekolom(men) {', '.join(ontbreekt)} ontbreken")
            if groep:
                sleutels = df[list(groep)].astype(object).to_numpy()
                codes = pd.Series([identiteit("", list(zip(groep, s)))[1] for s in sleutels])
                groepen = codes.groupby(codes, sort=False).indices
            else:
                groepen = {(): np.arange(len(df))}
            detail = _detailrijen(df, _sleutelkolommen(df, spec))
            for g, rijen in groepen.items():
                rijen = np.asarray(rijen)
                rijen = rijen[detail[rijen]]
                if not len(rijen):
                    continue
                for c in spec.telkolommen():
                    delen = posities[(naam, c)][rijen]
                    ident = (str(c), g if groep else ())
                    rnaam = f"{naam}: {c} per {'/'.join(groep) or 'totaal'} {dict(g) if groep else ''}".rstrip()
                    gekoppeld = [j for j in index.get(ident, []) if j not in set(delen.tolist())]
                    for j in gekoppeld:
                        relaties.append(Relatie(tuple(int(d) for d in delen), int(j), None, rnaam))
                    if not gekoppeld and len(delen) > 1:
                        relaties.append(Relatie(tuple(int(d) for d in delen), None, _totaal(rnaam, delen), rnaam))
        for tot, delen_k in spec.rijsommen:
            for r in range(len(df)):
                delen = tuple(int(posities[(naam, c)][r]) for c in delen_k)
                relaties.append(Relatie(delen, int(posities[(naam, tot)][r]), None, f"{naam}: rij {r + 2}, {tot}"))
        if spec.rijtotaal and len(spec.telkolommen()) > 1:
            for r in range(len(df)):
                delen = np.array([posities[(naam, c)][r] for c in spec.telkolommen()])
                rnaam = f"{naam}: rij {r + 2}"
                relaties.append(Relatie(tuple(int(d) for d in delen), None, _totaal(rnaam, delen), rnaam))
    for ident, js in index.items():
        for a, b in zip(js, js[1:]):
            relaties.append(Relatie((a,), b, None, f"{ident[0]} {dict(ident[1])} dubbel gepubliceerd"))
    plek = {cel: k for k, cel in enumerate(cellen)}
    for a, b in gelijk:
        if tuple(a) in plek and tuple(b) in plek:
            relaties.append(Relatie((plek[tuple(a)],), plek[tuple(b)], None, f"{a} = {b}"))
    # an equation that does not hold for values known here is no equation (e.g. a person in two cells)
    relaties = [r for r in relaties if r.totaal is None or not np.all(np.isfinite(W[list(r.cellen())]))
                or abs(float(W[list(r.delen)].sum()) - float(W[r.totaal])) < 1e-6]
    return _Stelsel(tuple(cellen), W, np.concatenate(boven) if boven else np.zeros(0),
                    np.concatenate(onbekend) if onbekend else np.zeros(0, bool),
                    np.concatenate(verborgen) if verborgen else np.zeros(0, bool), tuple(relaties))


def _detailrijen(df: pd.DataFrame, sleutel: Sequence[str]) -> np.ndarray:
    """Rows that are not themselves a total (no key column holds ``alle``/``totaal``)."""
    if not sleutel:
        return np.ones(len(df), dtype=bool)
    waarden = df[list(sleutel)].astype(object).to_numpy()
    return np.array([not any(isinstance(v, str) and v.strip().lower() in TOTAALWAARDEN for v in rij)
                     for rij in waarden], dtype=bool)


def beveilig_uitvoer(tabellen: Mapping[str, tuple[pd.DataFrame, Tabelspec]], *,
                     drempel: int = DREMPEL, gelijk: Sequence[tuple[Cel, Cel]] = ()) -> dict[str, Beveiligd]:
    """Protect all tables of ONE publication together (primary and secondary suppression, across tables).

    Parameters
    ----------
    tabellen : mapping
        Table name → (unprotected table, :class:`Tabelspec`). Rows left out of a published table
        (e.g. combinations with too few participants) must be passed too, with their counts: they are
        suppressed, and partners are chosen so that totals do not give them away. A row whose key
        column holds ``alle`` or ``totaal`` is the total of the rows that differ from it only there.
    drempel : int
        Minimum number of persons a published cell may describe; at least
        :data:`~evaluatie.disclosure.basis.MIN_DREMPEL`.

    gelijk : sequence of ((table, row, column), (table, row, column))
        Further pairs of cells that hold the same count (row = position in the table).

    Returns
    -------
    dict
        Table name → :class:`~evaluatie.disclosure.basis.Beveiligd`; hidden columns are dropped. Count columns (and the ``waarden`` of
        estimate tables) become nullable ``Float64`` with missing values where suppressed.
    """
    drempel = check_drempel(drempel)
    indexen = {n: df.index for n, (df, _) in tabellen.items()}
    tabellen = {n: (df.reset_index(drop=True), spec) for n, (df, spec) in tabellen.items()}
    for naam, (df, _) in tabellen.items():
        weiger_minmax(df, naam)
    st = _bouw_stelsel(tabellen, drempel, None, gelijk)
    primair = np.zeros(len(st.cellen), dtype=bool)
    for k, (naam, _, c) in enumerate(st.cellen):
        spec = tabellen[naam][1]
        v = st.waarden[k]
        primair[k] = (0 < v < drempel) or (c == spec.n_kolom and not v >= drempel)
    masker, meldingen, verhuld = secundair(st.waarden, primair, st.relaties, drempel=drempel, verborgen=st.verborgen)
    uit: dict[str, Beveiligd] = {}
    for naam, (df, spec) in tabellen.items():
        if spec.curve is not None:
            n_risk, groep, tijd = spec.curve
            cut = knip_curve(df.set_axis(indexen[naam]), n_risk, groep=list(groep), tijd_kolom=tijd, drempel=drempel)
            leeg = pd.DataFrame(index=cut.index)
            uit[naam] = Beveiligd(cut, leeg, len(df) - len(cut), 0, drempel, (), leeg.copy(), {})
            continue
        ks = [k for k, cel in enumerate(st.cellen) if cel[0] == naam]
        m = pd.DataFrame(False, index=df.index, columns=list(spec.telkolommen()))
        p = m.copy()  # shown as '<drempel'
        pw = m.copy()  # small (some are shown as 'x' where '<drempel' would give them away)
        for k in ks:
            _, r, c = st.cellen[k]
            m.iat[r, m.columns.get_loc(c)] = bool(masker[k])
            pw.iat[r, pw.columns.get_loc(c)] = bool(primair[k])
            p.iat[r, p.columns.get_loc(c)] = bool(primair[k]) and not bool(verhuld[k])
        if spec.n_kolom:
            rij = m[spec.n_kolom].to_numpy()
            for c in spec.waarden:
                if c not in df.columns:
                    raise KeyError(f"tabel {naam}: kolom {c!r} ontbreekt")
                m[c] = rij
                p[c] = p[spec.n_kolom].to_numpy()
        out = df.copy()
        for c in m.columns:
            if c not in out.columns:
                continue
            if pd.api.types.is_numeric_dtype(out[c]) or c in spec.telkolommen():
                out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64")
            else:  # a text column suppressed with its row (e.g. a verdict): keep the other rows' text
                out[c] = out[c].astype(object)
            out.loc[m[c].to_numpy(), c] = pd.NA
        tel = [c for c in spec.telkolommen() if c not in spec.verborgen]
        n_prim = int(pw[tel].to_numpy().sum())
        n_sec = int((m[tel].to_numpy() & ~pw[tel].to_numpy()).sum())
        totalen = {r.naam: float(r.waarde) for r in st.relaties
                   if r.totaal is None and r.waarde is not None and st.cellen[r.delen[0]][0] == naam}
        eigen = tuple(x for x in meldingen if any(f"cel {k} " in x for k in ks))
        weg = [c for c in spec.verborgen if c not in spec.aantallen]
        out = out.drop(columns=[c for c in weg if c in out.columns])
        m, p = m.drop(columns=weg), p.drop(columns=weg)
        out.index = m.index = p.index = indexen[naam]
        uit[naam] = Beveiligd(out, m, n_prim, n_sec, drempel, eigen, p, totalen)
    return uit


def _rij(r: int) -> int:
    return r + 2  # header = row 1, first data row = row 2


def controleer_publiceerbaar(tabellen: Mapping[str, pd.DataFrame], specs: Mapping[str, Tabelspec], *,
                             drempel: int = DREMPEL, client_ids: Iterable[str] = (),
                             totalen: Mapping[str, float] | None = None,
                             gelijk: Sequence[tuple[Cel, Cel]] = ()) -> tuple[str, ...]:
    """Independent check of tables about to be published; returns the violations (empty = safe).

    Checks, per table: no published count in ``1 … drempel-1``; no estimate row published on fewer than
    ``drempel`` persons; no curve point with fewer than ``drempel`` at risk; no columns of minima or maxima;
    no client id. Across the tables: no unpublished count (missing, shown as a marker, or a hidden column)
    can be recovered from the published ones as a value in ``1 … drempel-1``. A cell determined by the
    equations of the margins, row sums and repeated cells (linear algebra, totals treated as known) is a
    violation unless its value can be computed and is 0 or at least ``drempel``; when ``totalen`` are given
    (the merged :attr:`Beveiligd.totalen` of the tables) the check is exact, with the bounds a reader
    knows (a cell ``'<drempel'`` is below the threshold): every such cell's feasible interval must hold at
    least two whole numbers. Without ``totalen`` the check is conservative.

    Parameters
    ----------
    tabellen : mapping
        Table name → table as it will be published (suppressed cells missing, or shown as ``'<drempel'``
        or another marker).
    specs : mapping
        Table name → :class:`Tabelspec` (tables without a spec are only scanned for ids and minima).
    drempel : int
        Threshold (at least MIN_DREMPEL).
    client_ids : iterable of str
        Ids that must not occur anywhere in the tables.
    totalen : mapping, optional
        Known totals of margins not published as a cell, by relation name.
    gelijk : sequence of cell pairs
        As for :func:`beveilig_uitvoer`.

    Returns
    -------
    tuple of str
        One Dutch sentence per violation naming table, row (header = row 1), column and value.
    """
    drempel = check_drempel(drempel)
    fout: list[str] = []
    ids = list(client_ids)
    for naam, df in tabellen.items():
        try:
            weiger_minmax(df, naam)
        except ValueError as e:
            fout.append(str(e))
        if ids:
            try:
                controleer_geen_ids(df.to_csv(index=False), ids)
            except OnthullingsFout as e:
                fout.append(f"tabel {naam}: {e}")
        spec = specs.get(naam)
        if spec is None:
            continue
        if spec.curve is not None:
            n_risk = spec.curve[0]
            n = pd.to_numeric(df[n_risk], errors="coerce").to_numpy(dtype=float)
            for r in np.flatnonzero(n < drempel):
                fout.append(f"tabel {naam}, rij {_rij(r)}, kolom {n_risk}: waarde {n[r]:g}; verwacht: curvepunt "
                            f"op minstens {drempel} personen")
            continue
        for c in spec.telkolommen():
            if c in spec.verborgen:
                continue
            if c not in df.columns:
                fout.append(f"tabel {naam}: kolom {c} ontbreekt")
                continue
            w, _, _ = _getallen(df[c], drempel)
            for r in np.flatnonzero((w > 0) & (w < drempel)):
                fout.append(f"tabel {naam}, rij {_rij(r)}, kolom {c}: waarde {w[r]:g}; verwacht: 0, minstens "
                            f"{drempel} of onderdrukt")
        if spec.n_kolom and spec.n_kolom in df.columns:
            n, _, _ = _getallen(df[spec.n_kolom], drempel)
            for c in spec.waarden:
                if c not in df.columns:
                    continue
                v, _, _ = _getallen(df[c], drempel)
                for r in np.flatnonzero(np.isfinite(v) & ~(n >= drempel)):
                    fout.append(f"tabel {naam}, rij {_rij(r)}, kolom {c}: waarde {v[r]:g} gepubliceerd bij "
                                f"{spec.n_kolom} = {'onderdrukt' if not np.isfinite(n[r]) else f'{n[r]:g}'}; "
                                f"verwacht: onderdrukt (minder dan {drempel} personen)")
    fout.extend(_controleer_differentie(tabellen, specs, drempel, totalen, gelijk))
    return tuple(fout)


def _controleer_differentie(tabellen: Mapping[str, pd.DataFrame], specs: Mapping[str, Tabelspec],
                            drempel: int, totalen: Mapping[str, float] | None,
                            gelijk: Sequence[tuple[Cel, Cel]]) -> list[str]:
    paren = {n: (df.reset_index(drop=True), specs[n]) for n, df in tabellen.items() if n in specs}
    st = _bouw_stelsel(paren, drempel, totalen if totalen is not None else {}, gelijk)
    onbekend = np.flatnonzero(st.onbekend)
    if not len(onbekend):
        return []
    fout = []
    bepaald = set(bepaalde_cellen(st.onbekend, st.relaties))
    if totalen is not None:
        ivs = intervallen(st.waarden, st.onbekend, st.bovengrens, st.relaties)
        bepaald |= {iv.cel for iv in ivs if iv.bepaald and not (iv.laag > drempel - 0.5 or iv.hoog is not None
                                                                  and iv.hoog < 0.5)}
    berekend = _bereken(st.waarden, st.onbekend, st.relaties)
    for k in sorted(bepaald):
        naam, r, c = st.cellen[k]
        v = berekend.get(k)
        if v is not None and not (0.5 <= v < drempel - 0.5):
            continue  # derivable, but 0 or at least the threshold: it describes nobody, or enough persons
        if st.verborgen[k]:
            if v is None:
                continue  # a hidden count whose value cannot be computed here gives nothing away
            fout.append(f"tabel {naam}, rij {_rij(r)}: de niet gepubliceerde telling {c} is uit de gepubliceerde "
                        "cijfers terug te rekenen; verwacht: niet te bepalen (secundaire onderdrukking)")
            continue
        fout.append(f"tabel {naam}, rij {_rij(r)}, kolom {c}: onderdrukte cel is uit de overige gepubliceerde "
                    "cijfers terug te rekenen; verwacht: niet te bepalen (secundaire onderdrukking)")
    return fout


def bepaalde_cellen(masker: np.ndarray, relaties: Sequence[Relatie]) -> list[int]:
    """Unknown cells fixed by the equations alone (totals treated as known), by linear algebra.

    A cell is determined iff its unit vector lies in the row space of the equations restricted to the
    unknowns, i.e. iff every null vector of that matrix is zero in the cell's coordinate. Solved per
    independent part of the system (:func:`~evaluatie.disclosure.stelsel.deelstelsels`), which is exact.
    """
    from scipy.linalg import null_space

    uit: list[int] = []
    for d in deelstelsels(np.zeros(len(masker)), masker, relaties, alle=True):
        N = null_space(d.A)
        uit.extend(int(d.onbekend[k]) for k in range(len(d.onbekend)) if N.size == 0 or np.all(np.abs(N[k]) < 1e-9))
    return sorted(uit)


def _bereken(waarden: np.ndarray, masker: np.ndarray, relaties: Sequence[Relatie]) -> dict[int, float]:
    """Values of unknown cells that the equations with a known right-hand side fix (least squares)."""
    from scipy.linalg import null_space

    uit: dict[int, float] = {}
    for d in deelstelsels(waarden, masker, relaties):
        x = np.linalg.lstsq(d.A, d.b, rcond=None)[0]
        N = null_space(d.A)
        uit.update({int(d.onbekend[k]): float(x[k]) for k in range(len(d.onbekend))
                    if N.size == 0 or np.all(np.abs(N[k]) < 1e-9)})
    return uit
