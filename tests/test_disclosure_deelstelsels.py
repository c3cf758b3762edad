"""The disclosure check solved per independent part of the system equals the check on the whole system.

The reference here is written in the test, from the definition: the minimum and maximum of a suppressed cell
over the whole published system (every equation, every unknown) by one linear programme, and the rank
condition on the whole matrix. The package splits the system into connected parts (``deelstelsels``), which
is only a speed-up; on random publications of several tables with margins, totals and shared cells the two
must agree cell for cell.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import null_space
from scipy.optimize import linprog

from evaluatie.disclosure.stelsel import Relatie, deelstelsels, intervallen, secundair
from evaluatie.disclosure.uitvoer import bepaalde_cellen


def _publicatie(rng: np.random.Generator, n_tabellen: int = 4):
    """Random tables (groups x columns) with row totals, column totals and a grand total, all linked."""
    waarden: list[float] = []
    relaties: list[Relatie] = []

    def cel(v: float) -> int:
        waarden.append(float(v))
        return len(waarden) - 1

    for _ in range(n_tabellen):
        r, c = int(rng.integers(2, 5)), int(rng.integers(2, 4))
        x = rng.integers(0, 25, size=(r, c))
        binnen = [[cel(x[i, j]) for j in range(c)] for i in range(r)]
        rij_tot = [cel(x[i].sum()) for i in range(r)]
        kol_tot = [cel(x[:, j].sum()) for j in range(c)]
        tot = cel(x.sum())
        for i in range(r):
            relaties.append(Relatie(tuple(binnen[i]), rij_tot[i]))
        for j in range(c):
            relaties.append(Relatie(tuple(binnen[i][j] for i in range(r)), kol_tot[j]))
        relaties.append(Relatie(tuple(rij_tot), tot))
        if rng.random() < 0.5:  # a total published nowhere, known to the reader
            relaties.append(Relatie(tuple(kol_tot), None, float(x.sum())))
    w = np.asarray(waarden)
    masker = rng.random(len(w)) < 0.35
    bovengrens = np.where(masker & (w < 10), 9.0, np.inf)
    return w, masker, bovengrens, relaties


def _interval_geheel(w, masker, bovengrens, relaties, c):
    """Reference: min and max of cell ``c`` over the whole system by one LP each."""
    onbekend = np.flatnonzero(masker)
    pos = {int(i): k for k, i in enumerate(onbekend)}
    A, b = [], []
    for r in relaties:
        if r.totaal is None and r.waarde is None:
            continue
        coef = np.zeros(len(onbekend))
        rhs = 0.0 if r.totaal is not None else r.waarde
        for i, s in [(i, 1.0) for i in r.delen] + ([(r.totaal, -1.0)] if r.totaal is not None else []):
            if masker[i]:
                coef[pos[i]] += s
            else:
                rhs -= s * w[i]
        if coef.any():
            A.append(coef)
            b.append(rhs)
    grenzen = [(0.0, None if not np.isfinite(bovengrens[i]) else bovengrens[i]) for i in onbekend]
    obj = np.zeros(len(onbekend))
    obj[pos[c]] = 1.0
    if not A:
        return 0.0, grenzen[pos[c]][1]
    lo = linprog(obj, A_eq=np.asarray(A), b_eq=np.asarray(b), bounds=grenzen, method="highs")
    hi = linprog(-obj, A_eq=np.asarray(A), b_eq=np.asarray(b), bounds=grenzen, method="highs")
    assert lo.status in (0, 3) and hi.status in (0, 3)
    return float(lo.fun), (None if hi.status == 3 else float(-hi.fun))


@pytest.mark.parametrize("seed", range(12))
def test_intervallen_per_deelstelsel_gelijk_aan_geheel(seed):
    w, masker, bovengrens, relaties = _publicatie(np.random.default_rng(seed))
    ivs = intervallen(w, masker, bovengrens, relaties)
    assert [iv.cel for iv in ivs] == np.flatnonzero(masker).tolist()
    for iv in ivs:
        laag, hoog = _interval_geheel(w, masker, bovengrens, relaties, iv.cel)
        assert iv.laag == pytest.approx(laag, abs=1e-7)
        assert (iv.hoog is None) == (hoog is None)
        if hoog is not None:
            assert iv.hoog == pytest.approx(hoog, abs=1e-7)


@pytest.mark.parametrize("seed", range(12))
def test_bepaalde_cellen_per_deelstelsel_gelijk_aan_geheel(seed):
    w, masker, _, relaties = _publicatie(np.random.default_rng(100 + seed))
    onbekend = np.flatnonzero(masker)
    pos = {int(i): k for k, i in enumerate(onbekend)}
    A = []
    for r in relaties:
        coef = np.zeros(len(onbekend))
        for i, s in [(i, 1.0) for i in r.delen] + ([(r.totaal, -1.0)] if r.totaal is not None else []):
            if masker[i]:
                coef[pos[i]] += s
        if coef.any():
            A.append(coef)
    N = null_space(np.asarray(A)) if A else np.eye(len(onbekend))
    verwacht = [int(onbekend[k]) for k in range(len(onbekend)) if N.size == 0 or np.all(np.abs(N[k]) < 1e-9)]
    assert bepaalde_cellen(masker, relaties) == verwacht


def test_deelstelsels_delen_geen_onbekenden():
    w, masker, _, relaties = _publicatie(np.random.default_rng(7), n_tabellen=6)
    delen = deelstelsels(w, masker, relaties)
    assert len(delen) >= 2  # independent tables are independent parts
    gezien = np.concatenate([d.onbekend for d in delen])
    assert len(gezien) == len(set(gezien.tolist()))
    assert set(gezien.tolist()) <= set(np.flatnonzero(masker).tolist())


@pytest.mark.parametrize("seed", range(6))
def test_secundair_laat_geen_kleine_cel_bepaald(seed):
    """After secondary suppression, no small cell is determined over the whole system (reference LP)."""
    rng = np.random.default_rng(200 + seed)
    w, _, _, relaties = _publicatie(rng)
    primair = (w > 0) & (w < 10)
    masker, _, verhuld = secundair(w, primair, relaties, drempel=10)
    bovengrens = np.where(primair & ~verhuld, 9.0, np.inf)
    for c in np.flatnonzero(primair):
        laag, hoog = _interval_geheel(w, masker, bovengrens, relaties, int(c))
        assert hoog is None or np.floor(hoog + 1e-6) - np.ceil(laag - 1e-6) >= 1, f"cel {c}: [{laag}, {hoog}]"
