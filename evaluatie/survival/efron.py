"""NumPy engine for the Cox partial likelihood on (start, stop] data with Efron or Breslow ties.

Pure functions; no pandas. A row is at risk at event time ``t`` iff ``start < t <= stop`` (within its
stratum). Risk-set sums are accumulated with difference arrays over the sorted event times: a row
contributes from event-time index ``lo = #{t_j <= start}`` up to (excluding) ``hi = #{t_j <= stop}``,
so ``S(t_j) = cumsum(add at lo - add at hi)``. Weighted cross-product sums ``sum w x x'`` are built per
index bucket with one BLAS GEMM per large bucket and a chunked outer-product reduction for small
buckets, so memory stays O(n p + T p^2) for n rows, p covariates and T event times.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_BIG_BUCKET = 512      # rows; larger buckets use one GEMM each
_CHUNK_CELLS = 4_000_000  # rows * p * p per chunk of the outer-product path


@dataclass(frozen=True)
class RiskIndex:
    """Beta-independent bookkeeping of risk sets (built once per fit).

    Attributes
    ----------
    n_times : int
        Number of distinct (stratum, event time) pairs, stratum-major.
    time, stratum_of_time : ndarray
        Event time and stratum code per index.
    lo, hi : ndarray
        Per kept row, the first index and one past the last index at which it is at risk.
    rows : ndarray
        Positions (in the caller's arrays) of the kept rows (rows at risk at >= 1 event time).
    death_rows : ndarray
        Positions of event rows sorted by their event-time index; ``death_time`` that index;
        ``death_frac`` the Efron fraction ``k / d`` (0 for Breslow); ``d`` events per index.
    """

    n_times: int
    time: np.ndarray
    stratum_of_time: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    rows: np.ndarray
    death_rows: np.ndarray
    death_time: np.ndarray
    death_frac: np.ndarray
    d: np.ndarray
    order_lo: np.ndarray
    order_hi: np.ndarray


def build_index(start: np.ndarray, stop: np.ndarray, event: np.ndarray, strata: np.ndarray,
                ties: str) -> RiskIndex:
    """Sort event times per stratum and locate each row's risk-set span.

    Parameters
    ----------
    start, stop : ndarray of float
    event : ndarray of bool
    strata : ndarray of int (codes 0..S-1)
    ties : {"efron", "breslow"}
    """
    n = len(stop)
    lo = np.zeros(n, dtype=np.int64)
    hi = np.zeros(n, dtype=np.int64)
    times, st_of = [], []
    offset = 0
    order = np.argsort(strata, kind="stable")
    bounds = np.flatnonzero(np.diff(strata[order])) + 1
    for idx in np.split(order, bounds):
        if len(idx) == 0:
            continue
        t = np.unique(stop[idx][event[idx]])
        lo[idx] = np.searchsorted(t, start[idx], side="right") + offset
        hi[idx] = np.searchsorted(t, stop[idx], side="right") + offset
        times.append(t)
        st_of.append(np.full(len(t), strata[idx[0]]))
        offset += len(t)
    n_times = offset
    keep = np.flatnonzero(hi > lo)
    death = np.flatnonzero(event)
    dt = hi[death] - 1  # an event row's own time is the last index of its span
    o = np.argsort(dt, kind="stable")
    death, dt = death[o], dt[o]
    d = np.bincount(dt, minlength=n_times)
    first = np.searchsorted(dt, dt, side="left")
    k = np.arange(len(dt)) - first
    frac = k / d[dt] if ties == "efron" else np.zeros(len(dt))
    lo_k, hi_k = lo[keep], hi[keep]
    return RiskIndex(
        n_times=n_times, time=np.concatenate(times) if times else np.zeros(0),
        stratum_of_time=np.concatenate(st_of) if st_of else np.zeros(0, dtype=np.int64),
        lo=lo_k, hi=hi_k, rows=keep, death_rows=death, death_time=dt, death_frac=frac, d=d,
        order_lo=np.argsort(lo_k, kind="stable"), order_hi=np.argsort(hi_k, kind="stable"))


@dataclass(frozen=True)
class SortedDesign:
    """Covariates sorted once per fit (beta-independent): by entry bucket, by exit bucket, deaths.

    ``*_starts`` are the first positions of each non-empty bucket and ``*_ids`` its index.
    """

    X: np.ndarray
    X_lo: np.ndarray
    lo_starts: np.ndarray
    lo_ids: np.ndarray
    X_hi: np.ndarray
    hi_starts: np.ndarray
    hi_ids: np.ndarray
    Xd: np.ndarray


def _segments(sorted_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(sorted_ids) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    return starts, sorted_ids[starts]


def sort_design(X: np.ndarray, ix: RiskIndex) -> SortedDesign:
    """Gather the rows of ``X`` in the orders the likelihood needs (done once per fit)."""
    Xr = X[ix.rows]
    lo_s = ix.lo[ix.order_lo]
    hi_s = ix.hi[ix.order_hi]
    ls, li = _segments(lo_s)
    hs, hi_ = _segments(hi_s)
    return SortedDesign(X=X, X_lo=np.ascontiguousarray(Xr[ix.order_lo]), lo_starts=ls, lo_ids=li,
                        X_hi=np.ascontiguousarray(Xr[ix.order_hi]), hi_starts=hs, hi_ids=hi_,
                        Xd=np.ascontiguousarray(X[ix.death_rows]))


def _segment_moments(X: np.ndarray, w: np.ndarray, starts: np.ndarray, ids: np.ndarray, n_out: int,
                     second: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per-bucket ``sum w``, ``sum w x`` and ``sum w x x'`` for rows sorted by bucket."""
    p = X.shape[1]
    s0 = np.zeros(n_out)
    s1 = np.zeros((n_out, p))
    if len(starts) == 0:
        return s0, s1, np.zeros((n_out, p, p)) if second else None
    Xw = X * w[:, None]
    s0[ids] = np.add.reduceat(w, starts)
    s1[ids] = np.add.reduceat(Xw, starts, axis=0)
    if not second:
        return s0, s1, None
    s2 = np.zeros((n_out, p, p))
    ends = np.r_[starts[1:], len(w)]
    size = ends - starts
    big = size >= _BIG_BUCKET
    for s, e, b in zip(starts[big], ends[big], ids[big]):
        s2[b] = X[s:e].T @ Xw[s:e]
    if (~big).any():
        rows = np.repeat(~big, size)
        xs, xws = X[rows], Xw[rows]
        seg_of_row = np.repeat(ids[~big], size[~big])
        step = max(1, _CHUNK_CELLS // max(1, p * p))
        for c0 in range(0, len(seg_of_row), step):
            bb = seg_of_row[c0:c0 + step]
            outer = np.einsum("ni,nj->nij", xws[c0:c0 + step], xs[c0:c0 + step])
            cut = np.flatnonzero(np.r_[True, bb[1:] != bb[:-1]])
            s2[bb[cut]] += np.add.reduceat(outer, cut, axis=0)
    return s0, s1, s2


@dataclass(frozen=True)
class PartialLik:
    """Log partial likelihood, score and information at one beta, plus per-death pieces."""

    loglik: float
    score: np.ndarray
    info: np.ndarray
    s0k_inv: np.ndarray      # per death: 1 / s0_k (shifted scale)
    zk: np.ndarray           # per death: s1_k / s0_k (Efron-weighted mean of x)
    info_t: np.ndarray | None  # per event time: information contribution (n_times, p, p)
    shift: float             # exp(eta - shift) is the weight scale used


def partial_lik(beta: np.ndarray, sd: SortedDesign, ix: RiskIndex, *, per_time: bool = False) -> PartialLik:
    """Evaluate the Cox log partial likelihood, gradient and observed information at ``beta``.

    The design should be centred (numerically kinder; the likelihood is invariant). Exponents are
    shifted by a constant when large, which leaves the likelihood unchanged.
    """
    T = ix.n_times
    e_lo, e_hi, e_d = sd.X_lo @ beta, sd.X_hi @ beta, sd.Xd @ beta
    top = max(float(e_lo.max()) if len(e_lo) else 0.0, float(e_d.max()) if len(e_d) else 0.0)
    shift = top if top > 200.0 else 0.0
    a0, a1, a2 = _segment_moments(sd.X_lo, np.exp(e_lo - shift), sd.lo_starts, sd.lo_ids, T + 1)
    b0, b1, b2 = _segment_moments(sd.X_hi, np.exp(e_hi - shift), sd.hi_starts, sd.hi_ids, T + 1)
    S0 = np.cumsum(a0 - b0)[:T]
    S1 = np.cumsum(a1 - b1, axis=0)[:T]
    S2 = np.cumsum(a2 - b2, axis=0)[:T]
    dt, f = ix.death_time, ix.death_frac
    d_starts, d_ids = _segments(dt)
    D0, D1, D2 = _segment_moments(sd.Xd, np.exp(e_d - shift), d_starts, d_ids, T)
    s0k = S0[dt] - f * D0[dt]
    s1k = S1[dt] - f[:, None] * D1[dt]
    inv = 1.0 / s0k
    zk = s1k * inv[:, None]
    loglik = float((e_d - shift).sum() - np.log(s0k).sum())
    score = sd.Xd.sum(axis=0) - zk.sum(axis=0)
    a = np.bincount(dt, inv, T)
    b = np.bincount(dt, f * inv, T)
    info_t = None
    if per_time:
        _, _, zz = _segment_moments(zk, np.ones(len(dt)), d_starts, d_ids, T)
        info_t = a[:, None, None] * S2 - b[:, None, None] * D2 - zz
        info = info_t.sum(axis=0)
    else:
        info = np.tensordot(a, S2, axes=1) - np.tensordot(b, D2, axes=1) - zk.T @ zk
    return PartialLik(loglik=loglik, score=score, info=info, s0k_inv=inv, zk=zk, info_t=info_t, shift=shift)


def score_residuals(beta: np.ndarray, X: np.ndarray, ix: RiskIndex, pl: PartialLik) -> np.ndarray:
    """Score residuals per row (n, p), as R ``residuals(fit, type = "score")`` (Efron-weighted).

    ``L_i = delta_i (x_i - xbar_i) - w_i (x_i H_i - G_i)`` with ``H_i``/``G_i`` the sums over the event
    times at which row i is at risk of the hazard increments ``1/s0_k`` and ``xbar_k / s0_k``; at its
    own event time a dying row's increments are weighted by ``1 - k/d`` (Efron).
    """
    n, p = X.shape
    T = ix.n_times
    dt, f, inv, zk = ix.death_time, ix.death_frac, pl.s0k_inv, pl.zk
    H = np.bincount(dt, inv, T)
    G = np.empty((T, p))
    Hd = np.bincount(dt, (1 - f) * inv, T)
    Gd = np.empty((T, p))
    Zs = np.empty((T, p))
    for j in range(p):
        G[:, j] = np.bincount(dt, zk[:, j] * inv, T)
        Gd[:, j] = np.bincount(dt, (1 - f) * zk[:, j] * inv, T)
        Zs[:, j] = np.bincount(dt, zk[:, j], T)
    CH = np.r_[0.0, np.cumsum(H)]
    CG = np.vstack([np.zeros((1, p)), np.cumsum(G, axis=0)])
    Hi = np.zeros(n)
    Gi = np.zeros((n, p))
    r = ix.rows
    Hi[r] = CH[ix.hi] - CH[ix.lo]
    Gi[r] = CG[ix.hi] - CG[ix.lo]
    dr = ix.death_rows
    Hi[dr] += Hd[dt] - H[dt]
    Gi[dr] += Gd[dt] - G[dt]
    w = np.exp(X @ beta - pl.shift)
    res = -(w[:, None] * (X * Hi[:, None] - Gi))
    res[dr] += X[dr] - Zs[dt] / ix.d[dt][:, None]
    return res


def schoenfeld_sums(X: np.ndarray, ix: RiskIndex, pl: PartialLik) -> np.ndarray:
    """Sum of Schoenfeld residuals per event time index, shape (n_times, p)."""
    T, p = ix.n_times, X.shape[1]
    out = np.empty((T, p))
    Xd = X[ix.death_rows]
    for j in range(p):
        out[:, j] = np.bincount(ix.death_time, Xd[:, j] - pl.zk[:, j], T)
    return out


@dataclass(frozen=True)
class NewtonResult:
    beta: np.ndarray
    loglik_null: float
    loglik: float
    iterations: int
    converged: bool
    final: PartialLik


def newton_raphson(sd: SortedDesign, ix: RiskIndex, *, eps: float = 1e-9, max_iter: int = 20,
                   init: np.ndarray | None = None) -> NewtonResult:
    """Maximise the partial likelihood as R's ``agfit4``: Newton steps, step halving when the
    log-likelihood decreases, stop when ``|1 - loglik_old / loglik_new| <= eps`` (not while halving).
    """
    p = sd.X.shape[1]
    beta = np.zeros(p) if init is None else np.asarray(init, dtype=float).copy()
    cur = partial_lik(beta, sd, ix)
    null = cur.loglik
    if p == 0:
        return NewtonResult(beta, null, null, 0, True, cur)
    loglik = cur.loglik
    step = np.linalg.solve(cur.info, cur.score)
    newbeta = beta + step
    halving = False
    it = 0
    new = cur
    for it in range(1, max_iter + 1):
        new = partial_lik(newbeta, sd, ix)
        ok = np.isfinite(new.loglik)
        if ok and abs(1.0 - loglik / new.loglik) <= eps and not halving:
            return NewtonResult(newbeta, null, new.loglik, it, True, new)
        if it == max_iter:
            break
        if not ok or new.loglik < loglik:
            halving = True
            newbeta = (newbeta + beta) / 2.0
        else:
            halving = False
            loglik = new.loglik
            beta = newbeta
            newbeta = newbeta + np.linalg.solve(new.info, new.score)
    return NewtonResult(newbeta, null, new.loglik, it, False, new)
