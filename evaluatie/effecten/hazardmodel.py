"""Discrete-time hazard models fitted on person-months collapsed to covariate patterns.

A person-month table has one row per spell x month at risk. For the models here a row is described
by a small number of *integer-coded* covariates (categorie, duration band, age, ...). Rows with the same
codes share a covariate pattern, so the likelihood only needs, per pattern, the (weighted) number of
rows and of events. :func:`collapse` builds the pattern index once; a bootstrap replicate then only
changes the per-client weights and re-aggregates with :func:`numpy.bincount`.

The fitting routines (:func:`fit_mnlogit`, :func:`fit_logit`) are Newton-Raphson on the collapsed
counts, written by hand because statsmodels' ``MNLogit`` takes no frequency weights and its GLM refits
are too slow inside a bootstrap. They are tested against statsmodels fitted row by row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

#: Lower bounds (months since spell start, 0-based ``maand``) of the duration bands.
DUURGRENZEN: tuple[int, ...] = (0, 1, 2, 3, 6, 9, 12, 18, 24, 36, 48, 60, 84)

#: Covariates used by default (when present in the person-month table).
CONFOUNDERS: tuple[str, ...] = (
    "categorie", "trede", "leeftijd", "geslacht", "opleidingsniveau", "statushouder",
    "speciaal_onderwijs", "kalenderjaar", "gemeentecode",
)

Leeftijdsvorm = Literal["kwadratisch", "lineair", "banden"]


@dataclass(frozen=True)
class Specificatie:
    """Which covariates enter the hazard and propensity models, and how.

    Attributes
    ----------
    confounders : tuple of str
        Covariate columns of the person-month table; absent columns are skipped (with a warning).
    duurgrenzen : tuple of int
        Lower bounds of the duration bands (piecewise-constant baseline in ``maand``).
    duur_per_categorie : bool
        Separate duration bands per categorie (categorie x duration interaction).
    leeftijd : {"kwadratisch", "lineair", "banden"}
        Functional form of ``leeftijd`` (whole years); default age bands.
    leeftijdsgrenzen : tuple of int
        Lower bounds of the age bands (27: jongeren in the Participatiewet; 58+: close to AOW).
    """

    confounders: tuple[str, ...] = CONFOUNDERS
    duurgrenzen: tuple[int, ...] = DUURGRENZEN
    duur_per_categorie: bool = True
    leeftijd: Leeftijdsvorm = "banden"
    leeftijdsgrenzen: tuple[int, ...] = (0, 23, 27, 35, 45, 50, 55, 58, 62)

    def __post_init__(self) -> None:
        if self.leeftijd not in ("kwadratisch", "lineair", "banden"):
            raise ValueError(f"leeftijd: verwacht een van kwadratisch, lineair, banden, kreeg {self.leeftijd!r}")
        if tuple(sorted(self.duurgrenzen)) != tuple(self.duurgrenzen) or self.duurgrenzen[0] != 0:
            raise ValueError(f"duurgrenzen: verwacht oplopend en beginnend bij 0, kreeg {self.duurgrenzen!r}")


@dataclass(frozen=True)
class Codering:
    """Integer coding of the covariates, fixed on the analysis data (levels per column).

    ``levels[col]`` lists the levels of a categorical column (code = position); ``leeftijd`` is kept as
    whole years (code = years). Missing categorical values get their own level ``"onbekend"``.
    """

    spec: Specificatie
    kolommen: tuple[str, ...]
    levels: dict[str, tuple]
    jaar_max: int | None = None
    kolomnamen: tuple[str, ...] = field(default=())


_NUMERIEK = ("leeftijd",)


def _as_str(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), "onbekend").astype(str)


def maak_codering(df: pd.DataFrame, spec: Specificatie) -> tuple[Codering, tuple[str, ...]]:
    """Fix levels of every covariate on ``df``. Returns the coding and warnings (skipped columns)."""
    warns = []
    cols = []
    levels: dict[str, tuple] = {}
    for c in spec.confounders:
        if c not in df.columns:
            warns.append(f"covariaat {c!r} ontbreekt in de persoonmaandtabel en is weggelaten")
            continue
        cols.append(c)
        if c in _NUMERIEK and not (c == "leeftijd" and spec.leeftijd == "banden"):
            continue
        if c == "leeftijd":
            levels[c] = tuple(spec.leeftijdsgrenzen)  # band lower bounds
            continue
        vals = sorted(set(_as_str(df[c]).unique()))
        levels[c] = tuple(vals)
    if "categorie" not in cols and spec.duur_per_categorie:
        spec = Specificatie(**{**spec.__dict__, "duur_per_categorie": False})
    jaar_max = int(df["kalenderjaar"].max()) if "kalenderjaar" in cols else None
    cod = Codering(spec=spec, kolommen=tuple(cols), levels=levels, jaar_max=jaar_max)
    names = kolomnamen(cod)
    return Codering(spec=spec, kolommen=cod.kolommen, levels=levels, jaar_max=jaar_max, kolomnamen=names), tuple(warns)


def duurband(maand: np.ndarray, grenzen: tuple[int, ...]) -> np.ndarray:
    """Index of the duration band of each ``maand`` (0-based months since spell start)."""
    return np.searchsorted(np.asarray(grenzen), np.asarray(maand), side="right") - 1


def codes(df: pd.DataFrame, cod: Codering, *, maand: np.ndarray | None = None,
          kalenderjaar: np.ndarray | None = None) -> np.ndarray:
    """Integer code matrix (rows x (1 + covariates)): duration band first, then each covariate.

    ``maand`` / ``kalenderjaar`` override the columns of ``df`` (used when projecting forward).
    Years beyond the last year seen in the data are set to that year. ``leeftijd`` in the person-month
    table is the age at the spell's start; the model uses the current age ``leeftijd + maand // 12``.
    """
    n = len(df)
    m = np.asarray(df["maand"] if maand is None else maand)
    out = np.empty((n, 1 + len(cod.kolommen)), dtype=np.int64)
    out[:, 0] = duurband(m, cod.spec.duurgrenzen)
    for j, c in enumerate(cod.kolommen, start=1):
        if c == "kalenderjaar" and kalenderjaar is not None:
            v = np.minimum(np.asarray(kalenderjaar, dtype=np.int64), cod.jaar_max)
            lv = np.array([int(x) for x in cod.levels[c]])
            out[:, j] = np.searchsorted(lv, np.minimum(np.maximum(v, lv[0]), lv[-1]))
            continue
        if c == "leeftijd":
            a = np.asarray(pd.to_numeric(df[c], errors="coerce").fillna(40).round(), dtype=np.int64)
            out[:, j] = leeftijd_code(a + m // 12, cod)
            continue
        lv = cod.levels[c]
        if c == "kalenderjaar":
            s = pd.to_numeric(df[c]).astype("int64").astype(str)
        else:
            s = _as_str(df[c])
        cat = pd.Categorical(s, categories=list(lv))
        k = np.asarray(cat.codes, dtype=np.int64)
        if (k < 0).any():
            k = np.where(k < 0, 0, k)  # unseen level -> reference
        out[:, j] = k
    return out


def leeftijd_code(leeftijd: np.ndarray, cod: Codering) -> np.ndarray:
    """Code of the current age (whole years): the age itself, or its band index."""
    a = np.asarray(leeftijd, dtype=np.int64)
    if cod.spec.leeftijd != "banden":
        return a
    return np.searchsorted(np.array(cod.levels["leeftijd"]), a, side="right") - 1


def kolomnamen(cod: Codering) -> tuple[str, ...]:
    """Names of the design-matrix columns produced by :func:`design`."""
    names = ["intercept"]
    nb = len(cod.spec.duurgrenzen)
    cats = cod.levels.get("categorie", ("?",))
    for b in range(1, nb):
        names.append(f"duur[{cod.spec.duurgrenzen[b]}+]")
    if cod.spec.duur_per_categorie:
        for ci in range(1, len(cats)):
            for b in range(1, nb):
                names.append(f"duur[{cod.spec.duurgrenzen[b]}+]:categorie[{cats[ci]}]")
    for c in cod.kolommen:
        if c == "leeftijd" and cod.spec.leeftijd != "banden":
            names.append("leeftijd")
            if cod.spec.leeftijd == "kwadratisch":
                names.append("leeftijd^2")
            continue
        for lv in cod.levels[c][1:]:
            names.append(f"{c}[{lv}]")
    return tuple(names)


def design(code_rows: np.ndarray, cod: Codering) -> np.ndarray:
    """Design matrix (float) from integer codes: intercept, duration bands (x categorie), covariates."""
    n = code_rows.shape[0]
    blocks = [np.ones((n, 1))]
    nb = len(cod.spec.duurgrenzen)
    band = code_rows[:, 0]
    bd = np.zeros((n, nb - 1))
    mask = band > 0
    bd[np.nonzero(mask)[0], band[mask] - 1] = 1.0
    blocks.append(bd)
    if cod.spec.duur_per_categorie:
        ci = code_rows[:, 1 + cod.kolommen.index("categorie")]
        for lv in range(1, len(cod.levels["categorie"])):
            blocks.append(bd * (ci == lv)[:, None])
    for j, c in enumerate(cod.kolommen, start=1):
        v = code_rows[:, j]
        if c == "leeftijd" and cod.spec.leeftijd != "banden":
            a = (v - 40.0) / 10.0
            blocks.append(a[:, None])
            if cod.spec.leeftijd == "kwadratisch":
                blocks.append((a * a)[:, None])
            continue
        nl = len(cod.levels[c])
        d = np.zeros((n, max(nl - 1, 0)))
        m = v > 0
        d[np.nonzero(m)[0], v[m] - 1] = 1.0
        blocks.append(d)
    return np.hstack(blocks)


def collapse(code_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique covariate patterns. Returns ``(patterns, index)`` with ``patterns[index] == code_rows``.

    Codes are packed into one int64 key per row (mixed radix) so the uniqueness is a 1-D sort.
    """
    if code_rows.shape[0] == 0:
        return code_rows.copy(), np.zeros(0, np.int64)
    lo = code_rows.min(axis=0)
    span = code_rows.max(axis=0) - lo + 1
    if np.sum(np.log2(span.astype(float))) < 62:
        key = np.zeros(code_rows.shape[0], np.int64)
        for j in range(code_rows.shape[1]):
            key = key * span[j] + (code_rows[:, j] - lo[j])
        _, first, idx = np.unique(key, return_index=True, return_inverse=True)
        return code_rows[first], idx.reshape(-1)
    pats, idx = np.unique(code_rows, axis=0, return_inverse=True)
    return pats, idx.reshape(-1)


# ---------------------------------------------------------------------------------------------------
# Newton-Raphson fits on collapsed counts
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    """Coefficients of a collapsed-count fit.

    ``coef`` has shape (k,) for a logit and (k, J) for a multinomial logit with J non-reference
    outcomes; ``cov`` is the inverse observed information (model-based; the bootstrap is what the
    package reports). ``converged`` / ``iteraties`` describe the Newton run.
    """

    coef: np.ndarray
    cov: np.ndarray
    loglik: float
    converged: bool
    iteraties: int
    n: float
    events: tuple[float, ...]


def _mnl_probs(eta: np.ndarray) -> np.ndarray:
    e = np.exp(np.clip(eta, -50.0, 50.0))
    den = 1.0 + e.sum(axis=1, keepdims=True)
    return np.concatenate([1.0 / den, e / den], axis=1)


def fit_mnlogit(X: np.ndarray, counts: np.ndarray, *, start: np.ndarray | None = None, ridge: float = 0.0,
                maxiter: int = 50, tol: float = 1e-9, max_stappen: int | None = None,
                offset: np.ndarray | None = None) -> Fit:
    """Multinomial logit on collapsed counts.

    Parameters
    ----------
    X : ndarray (P, k)
        Design matrix of the covariate patterns.
    counts : ndarray (P, J+1)
        Weighted number of rows per pattern with outcome 0 (reference, e.g. stay), 1, ..., J.
    start : ndarray (k, J), optional
        Starting values (warm start in the bootstrap).
    ridge : float
        L2 penalty on all coefficients but the intercept (column 0).
    maxiter, tol : Newton iteration limit and convergence tolerance (Newton decrement ``g' H^-1 g``
        or max abs step below ``tol``).
    max_stappen : int, optional
        Stop after this many Newton steps even if not converged (one-step updates in the bootstrap).
    offset : ndarray (P, J), optional
        Fixed part of each linear predictor.

    Returns
    -------
    Fit
    """
    P, k = X.shape
    J = counts.shape[1] - 1
    keep = counts.sum(axis=1) > 0
    X = X[keep]
    counts = counts[keep]
    off = np.zeros((X.shape[0], J)) if offset is None else np.asarray(offset, dtype=float).reshape(P, J)[keep]
    ntot = counts.sum(axis=1)
    XT = np.ascontiguousarray(X.T)  # (k, P): row-major products are much faster than X.T @ (...)
    if start is None:
        B = np.zeros((k, J))
        if offset is None and np.all(X[:, 0] == 1.0):
            # rare events: start the intercepts at the marginal log-odds (saves Newton steps)
            tot = counts.sum(axis=0) + 0.5
            B[0] = np.log(tot[1:] / tot[0])
    else:
        B = np.array(start, dtype=float).reshape(k, J)
    pen = np.full(k, ridge)
    pen[0] = 0.0
    Pen = np.diag(np.tile(pen, J))

    def ll(Bm: np.ndarray) -> float:
        p = _mnl_probs(X @ Bm + off)
        return float((counts * np.log(np.clip(p, 1e-300, None))).sum() - 0.5 * (pen[:, None] * Bm * Bm).sum())

    cur = ll(B)
    converged = False
    it = 0
    lim = maxiter if max_stappen is None else max_stappen
    H = None
    for it in range(1, lim + 1):
        p = _mnl_probs(X @ B + off)
        g = np.concatenate([XT @ (counts[:, j + 1] - ntot * p[:, j + 1]) - pen * B[:, j] for j in range(J)])
        H = np.empty((k * J, k * J))
        for j in range(J):
            for l in range(j, J):
                w = ntot * p[:, j + 1] * ((j == l) - p[:, l + 1])
                blk = (XT * w) @ X
                H[j * k:(j + 1) * k, l * k:(l + 1) * k] = blk
                H[l * k:(l + 1) * k, j * k:(j + 1) * k] = blk.T
        H += Pen
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, g, rcond=None)[0]
        t = 1.0
        while True:
            Bn = B + t * step.reshape(J, k).T
            new = ll(Bn)
            if new >= cur - 1e-10 * abs(cur) or t < 1e-4:
                break
            t *= 0.5
        B, cur = Bn, new
        # Newton decrement g'H^-1 g (invariant to collinear / empty columns, unlike the step size)
        if float(g @ step) < tol or np.max(np.abs(t * step)) < tol:
            converged = True
            break
    if H is None:
        H = np.eye(k * J)
    try:
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(H)
    return Fit(B, cov, cur, converged, it, float(ntot.sum()), tuple(float(counts[:, j + 1].sum()) for j in range(J)))


def newton_vast(X: np.ndarray, counts: np.ndarray, fit: Fit, *, stappen: int = 3, ridge: float = 0.0,
                offset: np.ndarray | None = None, XT: np.ndarray | None = None) -> np.ndarray:
    """Re-estimate a fitted multinomial logit for new weights with Newton steps that reuse ``fit.cov``.

    The bootstrap changes only the weights; starting at the point estimate, steps
    ``B <- B + cov @ score(B)`` with the point estimate's inverse information converge linearly at a rate
    of order ``n**-1/2`` (a quasi-Newton / one-step estimator), so a few steps reproduce the replicate's
    maximum-likelihood estimate to well below its sampling error, at the cost of a few matrix-vector
    products instead of a Hessian per step.

    ``XT`` (optional) is ``X.T`` in C order, cached by the caller.

    Returns the coefficients, shaped like ``fit.coef``.
    """
    shape = fit.coef.shape
    k = X.shape[1]
    J = counts.shape[1] - 1
    B = np.array(fit.coef, dtype=float).reshape(k, J)
    pen = np.full(k, ridge)
    pen[0] = 0.0
    XT = np.ascontiguousarray(X.T) if XT is None else XT
    ntot = counts.sum(axis=1)
    off = 0.0 if offset is None else np.asarray(offset, dtype=float).reshape(X.shape[0], J)
    for _ in range(stappen):
        p = _mnl_probs(X @ B + off)
        g = np.concatenate([XT @ (counts[:, j + 1] - ntot * p[:, j + 1]) - pen * B[:, j] for j in range(J)])
        dB = (fit.cov @ g).reshape(J, k).T
        # damping: a replicate with (quasi-)separation must not throw the linear predictor far away
        grootste = float(np.abs(X @ dB).max(initial=0.0))
        if grootste > 2.0:
            dB *= 2.0 / grootste
        B = B + dB
    return B.reshape(shape)


def fit_logit(X: np.ndarray, n0: np.ndarray, n1: np.ndarray, **kw) -> Fit:
    """Binary logit on collapsed counts (``n0`` non-events, ``n1`` events per pattern); see :func:`fit_mnlogit`."""
    f = fit_mnlogit(X, np.column_stack([n0, n1]), **({**kw, "start": None if kw.get("start") is None else np.asarray(kw["start"]).reshape(-1, 1)}))
    return Fit(f.coef[:, 0], f.cov, f.loglik, f.converged, f.iteraties, f.n, f.events)


def mnl_kansen(X: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Outcome probabilities (rows x (J+1)) of a multinomial logit; column 0 is the reference."""
    return _mnl_probs(X @ coef.reshape(X.shape[1], -1))


def logit_kans(X: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Event probability of a binary logit."""
    return 1.0 / (1.0 + np.exp(-np.clip(X @ coef, -30.0, 30.0)))
