"""The published cells of one output as a linear system, and secondary suppression on it.

Every count cell of every table of one publication is a variable. Published cells are known numbers;
suppressed cells are unknowns with what a reader knows about them: ``0 ≤ x ≤ drempel - 1`` for a cell
shown as ``<drempel`` (primary), ``x ≥ 0`` for any other suppressed cell. The additive relations are
equations between cells:

- a *margin* (``Tabelspec.marges``): the rows of a group add up to a total. If a cell with the same
  identity (count column and the group's key values) is published anywhere in the output, the equation
  links to that cell; otherwise the total is assumed known (it is, or can be, published elsewhere),
  unless it is itself below the threshold (then it cannot be published and gives nothing away);
- a *row total* (``Tabelspec.rijtotaal``): the count columns of a row add up to the row's total;
- *the same cell twice*: two cells with the same identity in different tables are equal.

Secondary suppression (:func:`secundair`): first the simple rule, iterated to a fixed point: no equation
may have exactly one unknown; its partner is the smallest other non-zero cell of the equation (a zero,
or the total, only when there is nothing else), ties broken by position — deterministic. Then the exact
rule: for every suppressed cell the minimum and maximum value consistent with all equations and bounds
are computed by linear programming (:func:`intervallen`); a cell whose interval holds fewer than two whole
numbers is determined, and the smallest published cell of one of its equations is suppressed too, until
no cell is determined.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Hashable, Sequence

import numpy as np


@dataclass(frozen=True)
class Relatie:
    """One additive equation: ``sum(cellen[delen]) == cellen[totaal]`` (or a known total).

    Attributes
    ----------
    delen : tuple of int
        Positions of the parts.
    totaal : int or None
        Position of the cell holding the total; None when the total is a number assumed known.
    waarde : float or None
        The known total when ``totaal`` is None (None: not known to the checker).
    naam : str
        Description for messages.
    """

    delen: tuple[int, ...]
    totaal: int | None = None
    waarde: float | None = None
    naam: str = ""

    def cellen(self) -> tuple[int, ...]:
        """All positions in the equation (parts, then the total cell if any)."""
        return self.delen + (() if self.totaal is None else (self.totaal,))


@dataclass(frozen=True)
class Interval:
    """What a reader can derive about a suppressed cell: ``laag ≤ x ≤ hoog`` (None: unbounded)."""

    cel: int
    laag: float
    hoog: float | None

    @property
    def bepaald(self) -> bool:
        """True when fewer than two whole numbers fit: the cell is recovered."""
        if self.hoog is None:
            return False
        return math.floor(self.hoog + 1e-6) - math.ceil(self.laag - 1e-6) < 1


def enkelvoudige_rijen(relaties: Sequence[Relatie], masker: np.ndarray) -> list[tuple[Relatie, int]]:
    """Equations with exactly one unknown, with that unknown's position."""
    uit = []
    for r in relaties:
        onbekend = [i for i in r.cellen() if masker[i]]
        if len(onbekend) == 1:
            uit.append((r, onbekend[0]))
    return uit


def _partner(r: Relatie, waarden: np.ndarray, masker: np.ndarray, uitgesloten: int) -> int | None:
    """Smallest published non-zero part of ``r`` (then a zero part, then the total), deterministic."""
    kand = [i for i in r.delen if i != uitgesloten and not masker[i] and np.isfinite(waarden[i])]
    nonzero = [i for i in kand if waarden[i] > 0]
    if nonzero:
        return min(nonzero, key=lambda i: (waarden[i], i))
    if r.totaal is not None and r.totaal != uitgesloten and not masker[r.totaal]:
        return r.totaal
    if kand:
        return min(kand)
    return None


def _rijen(waarden: np.ndarray, masker: np.ndarray, relaties: Sequence[Relatie], *, alle: bool = False
           ) -> tuple[np.ndarray, dict[int, int], list[dict[int, float]], list[float]]:
    """The equations in the unknowns as sparse rows ``{position in x: coefficient}`` with right-hand sides.

    With ``alle`` an equation whose total is unknown and has no value is kept (its right-hand side is NaN);
    otherwise it is skipped. An equation without unknowns is left out.
    """
    onbekend = np.flatnonzero(masker)
    pos = {int(c): k for k, c in enumerate(onbekend)}
    rijen: list[dict[int, float]] = []
    rhs: list[float] = []
    for r in relaties:
        zonder_waarde = r.totaal is None and r.waarde is None
        if zonder_waarde and not alle:
            continue
        coef: dict[int, float] = {}
        b = 0.0 if r.totaal is not None else (math.nan if zonder_waarde else float(r.waarde))  # type: ignore[arg-type]
        for i, s in [(i, 1.0) for i in r.delen] + ([(r.totaal, -1.0)] if r.totaal is not None else []):
            if masker[i]:
                k = pos[i]
                coef[k] = coef.get(k, 0.0) + s
            else:
                b -= s * float(waarden[i])
        coef = {k: v for k, v in coef.items() if v != 0.0}
        if coef:
            rijen.append(coef)
            rhs.append(b)
    return onbekend, pos, rijen, rhs


def vergelijkingen(waarden: np.ndarray, masker: np.ndarray, relaties: Sequence[Relatie]
                   ) -> tuple[np.ndarray, dict[int, int], list[np.ndarray], list[float]]:
    """The published equations in the suppressed cells: ``rijen @ x = rhs`` for the unknowns ``x``.

    Returns the unknown cells, their position in ``x``, and the rows and right-hand sides; an equation whose
    total is itself unknown and has no value is skipped, one without unknowns is left out.
    """
    onbekend, pos, rijen, rhs = _rijen(waarden, masker, relaties)
    dicht = []
    for coef in rijen:
        rij = np.zeros(len(onbekend))
        for k, v in coef.items():
            rij[k] = v
        dicht.append(rij)
    return onbekend, pos, dicht, rhs


@dataclass(frozen=True)
class Deelstelsel:
    """One connected part of the equations: unknowns that share no equation with the rest.

    Attributes
    ----------
    onbekend : ndarray of int
        Cell positions of this part's unknowns (ascending).
    A : ndarray
        Dense coefficients, one row per equation of this part, one column per unknown in ``onbekend``.
    b : ndarray
        Right-hand sides (NaN where the total is not known).
    """

    onbekend: np.ndarray
    A: np.ndarray
    b: np.ndarray


def deelstelsels(waarden: np.ndarray, masker: np.ndarray, relaties: Sequence[Relatie], *,
                 alle: bool = False) -> list[Deelstelsel]:
    """The equations in the unknowns split into independent parts (connected components).

    Unknowns that never share an equation, directly or through other unknowns, cannot tell anything about
    each other: the minimum and maximum of a cell, its rank condition and its least-squares value depend
    only on its own part. Solving the parts one by one gives the same answers as the whole system, at a
    fraction of the cost (the whole system grows with every table of a publication; a part with a table's
    groups). Unknowns in no equation form no part.

    Parameters
    ----------
    alle : bool
        Keep equations whose total is not known (right-hand side NaN), for rank-only questions.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    onbekend, _, rijen, rhs = _rijen(waarden, masker, relaties, alle=alle)
    n = len(onbekend)
    if not rijen or not n:
        return []
    # bipartite graph: unknowns 0..n-1, equations n..n+m-1
    r_idx = [n + j for j, coef in enumerate(rijen) for _ in coef]
    c_idx = [k for coef in rijen for k in coef]
    g = coo_matrix((np.ones(len(r_idx)), (r_idx, c_idx)), shape=(n + len(rijen),) * 2)
    _, label = connected_components(g, directed=False)
    per_label: dict[int, list[int]] = {}
    for j in range(len(rijen)):
        per_label.setdefault(int(label[n + j]), []).append(j)
    kolommen: dict[int, list[int]] = {}
    for k in range(n):
        kolommen.setdefault(int(label[k]), []).append(k)
    delen = []
    for lab in sorted(per_label, key=lambda l: kolommen[l][0]):  # in the order of their first cell
        kol = np.asarray(kolommen[lab])
        plek = {int(k): t for t, k in enumerate(kol)}
        rij_idx = per_label[lab]
        A = np.zeros((len(rij_idx), len(kol)))
        for t, j in enumerate(rij_idx):
            for k, v in rijen[j].items():
                A[t, plek[k]] = v
        delen.append(Deelstelsel(onbekend[kol], A, np.asarray([rhs[j] for j in rij_idx], dtype=float)))
    return delen


def intervallen(waarden: np.ndarray, masker: np.ndarray, bovengrens: np.ndarray,
                relaties: Sequence[Relatie], cellen: Sequence[int] | None = None, *,
                geheugen: dict | None = None, tot_bepaald: bool = False) -> list[Interval]:
    """Minimum and maximum feasible value of each suppressed cell given the published cells.

    Each cell is solved on its own independent part of the system (:func:`deelstelsels`), which is exact:
    unknowns outside the part share no equation with it.

    Parameters
    ----------
    waarden : ndarray
        Published values (entries under ``masker`` are ignored).
    masker : ndarray of bool
        Suppressed cells (the unknowns).
    bovengrens : ndarray
        Upper bound a reader knows per cell (``inf`` if none); lower bound is 0.
    relaties : sequence of Relatie
        Equations; one with ``totaal is None and waarde is None`` is skipped (total unknown).
    cellen : sequence of int, optional
        Only these suppressed cells (default: all).
    geheugen : dict, optional
        Cache of solved parts, for repeated calls with the same ``waarden`` and ``relaties`` (as in
        :func:`secundair`, where each round changes one part): a part is keyed by its unknowns and their
        bounds, which with fixed values and equations determine its linear programme.
    tot_bepaald : bool
        Stop after the first determined cell (in the order of ``cellen``): :func:`secundair` protects one
        cell per round, so it needs only the first.

    Returns
    -------
    list of Interval
    """
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    if cellen is None:
        cellen = np.flatnonzero(masker).tolist()
    if not len(cellen):
        return []

    def grens(c: int) -> float | None:
        return None if not np.isfinite(bovengrens[c]) else float(bovengrens[c])

    deel_van: dict[int, tuple[Deelstelsel, int]] = {}
    for d in deelstelsels(waarden, masker, relaties):
        for t, c in enumerate(d.onbekend):
            deel_van[int(c)] = (d, t)
    ijl: dict[int, object] = {}  # sparse copy of each part's matrix (HiGHS works on sparse matrices)
    uit = []
    for c in cellen:
        c = int(c)
        if c not in deel_van:  # in no published equation: only its bounds are known
            uit.append(Interval(c, 0.0, grens(c)))
            continue
        d, k = deel_van[c]
        bounds = [(0.0, grens(int(i))) for i in d.onbekend]
        sleutel = (d.onbekend.tobytes(), tuple(bounds), c)
        if geheugen is not None and sleutel in geheugen:
            uit.append(geheugen[sleutel])
            continue
        obj = np.zeros(len(d.onbekend))
        obj[k] = 1.0
        A = ijl.setdefault(id(d), csr_matrix(d.A))
        lo = linprog(obj, A_eq=A, b_eq=d.b, bounds=bounds, method="highs")
        hi = linprog(-obj, A_eq=A, b_eq=d.b, bounds=bounds, method="highs")
        if lo.status == 2 or hi.status == 2:  # infeasible: published figures inconsistent; nothing derivable
            iv = Interval(c, 0.0, None)
        else:
            laag = float(lo.fun) if lo.status == 0 else 0.0
            hoog = None if hi.status == 3 else (float(-hi.fun) if hi.status == 0 else None)
            iv = Interval(c, laag, hoog)
        if geheugen is not None:
            geheugen[sleutel] = iv
        uit.append(iv)
        if tot_bepaald and iv.bepaald:
            break
    return uit


def secundair(waarden: np.ndarray, primair: np.ndarray, relaties: Sequence[Relatie], *,
              drempel: int, verborgen: np.ndarray | None = None,
              max_ronden: int = 10_000) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Secondary suppression on the whole system, to a fixed point.

    Parameters
    ----------
    waarden : ndarray of float
        True values of all cells (NaN: not available, treated as unpublished).
    primair : ndarray of bool
        Cells suppressed for being small.
    relaties : sequence of Relatie
        The equations (with true totals in ``waarde``).
    drempel : int
        Threshold; primary cells have reader-known upper bound ``drempel - 1``.
    verborgen : ndarray of bool, optional
        Cells that are never published: unknowns from the start, protected like the others.

    Returns
    -------
    masker : ndarray of bool
        All suppressed cells (primary, unavailable and secondary).
    meldingen : tuple of str
        Cells that could not be protected (no partner left).
    verhuld : ndarray of bool
        Small cells to be shown like a partner ('x', no known upper bound): where even suppressing every
        cell of a group leaves a small cell determined because the reader knows which cells are below the
        threshold (e.g. 1 and 9 next to a total of 10), the markers must not say so.
    """
    vrij = ~np.isfinite(waarden)  # unknown to us too, or hidden and not small: may be derivable
    if verborgen is not None:
        vrij |= verborgen & ~primair
    masker = primair | vrij
    bovengrens = np.where(primair, drempel - 1.0, np.inf)
    # Small cells must stay unknown, and so must the non-zero partners that protect them (a derivable partner
    # turns its equation back into one with a single unknown). A zero partner may be derived: it is nobody.
    meldingen: list[str] = []
    onbeschermbaar: set[int] = set()
    geheugen: dict = {}  # parts of the system solved in earlier rounds (one part changes per round)
    for _ in range(max_ronden):
        gevoelig = masker & ~vrij & (primair | (np.nan_to_num(waarden) > 0))
        veranderd = False
        for r, i in enkelvoudige_rijen(relaties, masker):
            if i in onbeschermbaar or not gevoelig[i] or sum(bool(masker[j]) for j in r.cellen()) != 1:
                continue  # a free or zero cell, or already protected this pass
            p = _partner(r, waarden, masker, i)
            if p is None:
                onbeschermbaar.add(i)
                if primair[i]:
                    meldingen.append(f"cel {i} in {r.naam or 'een relatie'} is niet te beschermen door onderdrukking")
                continue
            masker[p] = True
            veranderd = True
        if veranderd:
            continue
        # small cells first; only the first determined one is protected this round
        kandidaten = sorted((int(c) for c in np.flatnonzero(gevoelig) if int(c) not in onbeschermbaar),
                            key=lambda i: (not primair[i], i))
        bepaald = [iv.cel for iv in intervallen(waarden, masker, bovengrens, relaties, kandidaten,
                                                     geheugen=geheugen, tot_bepaald=True) if iv.bepaald]
        if not bepaald:
            break
        c = bepaald[0]
        p = _werkzame_partner(c, waarden, masker, vrij, bovengrens, relaties)
        if p is None:
            begrensd = [i for i in _component(c, relaties) if masker[i] and np.isfinite(bovengrens[i])]
            if begrensd:  # hide which cells of this group are small
                bovengrens[begrensd] = np.inf
                continue
            onbeschermbaar.add(c)
            if primair[c]:
                meldingen.append(f"cel {c} is uit de overige cijfers te bepalen en niet te beschermen")
            continue
        masker[p] = True
    return masker, tuple(meldingen), primair & ~np.isfinite(bovengrens)


#: a key value meaning "all values of this column": the row is a total over that column
TOTAALWAARDEN = frozenset({"alle", "totaal"})


def _afstanden(c: int, relaties: Sequence[Relatie]) -> dict[int, int]:
    """Cells connected to ``c`` through shared equations, with the number of equations between them."""
    buren: dict[int, set[int]] = {}
    for r in relaties:
        cs = set(r.cellen())
        for i in cs:
            buren.setdefault(i, set()).update(cs)
    afstand, rij = {c: 0}, [c]
    while rij:
        volgende = []
        for i in rij:
            for j in sorted(buren.get(i, ())):
                if j not in afstand:
                    afstand[j] = afstand[i] + 1
                    volgende.append(j)
        rij = volgende
    return afstand


def _component(c: int, relaties: Sequence[Relatie]) -> set[int]:
    """Cells connected to ``c`` through shared equations."""
    return set(_afstanden(c, relaties))


def _werkzame_partner(c: int, waarden: np.ndarray, masker: np.ndarray, vrij: np.ndarray, bovengrens: np.ndarray,
                      relaties: Sequence[Relatie], max_kandidaten: int = 200) -> int | None:
    """The nearest, then smallest, published cell whose suppression makes ``c`` undetermined (deterministic).

    Candidates are the published cells connected to ``c``: those in an equation with ``c`` first, then
    those one equation further, and so on; within a distance the smallest non-zero first (ties by
    position). Each is tried with the exact check on ``c``. Falls back to the smallest cell of an equation
    of ``c``.
    """
    afstand = _afstanden(c, relaties)
    eigen_rel = [r for r in relaties if any(i in afstand for i in r.cellen())]  # c's part: exact, and cheaper
    kand = sorted((i for i in afstand if not masker[i] and not vrij[i] and np.isfinite(waarden[i])),
                  key=lambda i: (afstand[i], waarden[i] == 0, waarden[i], i))
    for p in kand[:max_kandidaten]:
        m = masker.copy()
        m[p] = True
        iv = intervallen(waarden, m, bovengrens, eigen_rel, [c])
        if not iv[0].bepaald:
            return p
    eigen = [p for r in relaties if c in r.cellen() for p in [_partner(r, waarden, masker, c)] if p is not None]
    return min(eigen, key=lambda i: (waarden[i] == 0, waarden[i], i)) if eigen else None


def identiteit(kolom: str, sleutel: Sequence[tuple[str, object]]) -> tuple[Hashable, ...]:
    """Identity of a count: its column and the key values that define it (order-free).

    A key whose value is ``alle``/``totaal`` is left out: the row is the total over that key.
    """
    paren = [(str(k), _norm(v)) for k, v in sleutel]
    return (str(kolom), tuple(sorted((k, v) for k, v in paren if v.strip().lower() not in TOTAALWAARDEN)))


def _norm(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "<NA>"
    try:
        import pandas as pd

        if pd.isna(v):  # type: ignore[arg-type]
            return "<NA>"
    except (TypeError, ValueError):
        pass
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)
