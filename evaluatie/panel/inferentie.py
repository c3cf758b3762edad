"""Cluster-robust inference for linear panel models: CR1, CR2 (Bell-McCaffrey), the CR2 Wald test with the
Hotelling T-squared (HTZ) approximation, and the wild cluster bootstrap.

All functions are pure (arrays in, arrays out). Conventions:

- ``X`` is the design the coefficients were estimated with (for fixed-effects models either the full
  dummy design or the design after partialling out the fixed effects -- by Frisch-Waugh-Lovell both give
  the same coefficients and residuals; CR2 needs the full design, see :func:`cr2`).
- ``cluster`` is an integer array of cluster codes ``0..G-1`` (use :func:`codeer`).
- ``CR1`` is the Stata/``plm`` "sss" correction ``G/(G-1) * (N-1)/(N-K)`` where ``K`` is the number of
  columns of the (partialled) design, i.e. fixed effects nested in the clusters are not counted.

The wild cluster bootstrap follows Roodman, MacKinnon, Nielsen & Webb (2019, "Fast and wild", Stata
Journal 19(1)): restricted (WCR) bootstrap-t, the bootstrap statistics computed from G x G matrices so
that 9,999 draws cost almost nothing, and a confidence interval by test inversion. Written by hand
because no installed Python library offers it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

Gewichten = Literal["webb", "rademacher"]
GEWICHTEN: tuple[str, ...] = ("webb", "rademacher")


def codeer(waarden) -> tuple[np.ndarray, int]:
    """Integer codes ``0..G-1`` (sorted order of the values) and the number of groups ``G``."""
    codes, uniek = pd.factorize(pd.Series(waarden).to_numpy(), sort=True)
    if (codes < 0).any():
        raise ValueError("clustervariabele bevat ontbrekende waarden")
    return codes.astype(np.int64), len(uniek)


def groepsom(codes: np.ndarray, G: int, M: np.ndarray) -> np.ndarray:
    """Sum the rows of ``M`` (N or N x k) within groups: returns (G,) or (G, k)."""
    if M.ndim == 1:
        return np.bincount(codes, weights=M, minlength=G)
    return np.column_stack([np.bincount(codes, weights=M[:, j], minlength=G) for j in range(M.shape[1])])


def cr1_factor(n: int, k: int, G: int) -> float:
    """Small-sample factor ``G/(G-1) * (N-1)/(N-K)`` (Stata ``vce(cluster)``, plm ``type="sss"``)."""
    return G / (G - 1) * (n - 1) / (n - k)


def cluster_vcov(
    X: np.ndarray, e: np.ndarray, cluster: np.ndarray, *, bread: np.ndarray | None = None, factor: float = 1.0
) -> np.ndarray:
    """Cluster-robust sandwich ``factor * (X'X)^-1 (sum_g X_g'e_g e_g'X_g) (X'X)^-1``.

    Parameters
    ----------
    X : (N, K) array
        Design (after partialling out fixed effects, if any).
    e : (N,) array
        Residuals.
    cluster : (N,) int array
        Cluster codes ``0..G-1``.
    bread : (K, K) array, optional
        ``(X'X)^-1`` if already computed.
    factor : float
        Small-sample factor, e.g. :func:`cr1_factor`; 1 gives CR0.
    """
    G = int(cluster.max()) + 1
    if bread is None:
        bread = np.linalg.inv(X.T @ X)
    S = groepsom(cluster, G, X * e[:, None])
    meat = S.T @ S
    return factor * bread @ meat @ bread


def _sym_inv_sqrt(A: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Symmetric (Moore-Penrose) inverse square root; eigenvalues below ``tol`` are set to zero.

    Same rule as ``clubSandwich:::Sym_power`` so CR2 matches R when a cluster's residual block is
    singular (as it is when the cluster has its own fixed effect).
    """
    val, vec = np.linalg.eigh(A)
    inv = np.where(val > tol, 1.0 / np.sqrt(np.clip(val, tol, None)), 0.0)
    return (vec * inv) @ vec.T


@dataclass(frozen=True)
class CR2:
    """CR2 (Bell-McCaffrey) covariance and Satterthwaite degrees of freedom per coefficient.

    Attributes
    ----------
    vcov : (K, K) array
        CR2 covariance of all coefficients of the full design.
    df : (K,) array
        Bell-McCaffrey / Satterthwaite degrees of freedom for each coefficient (NaN where not asked).
    """

    vcov: np.ndarray
    df: np.ndarray


def _cr2_bouwstenen(X: np.ndarray, cluster: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """``(X'X)^-1``, the row indices per cluster and the CR2 adjustment matrices ``A_g = (I - H_gg)^{-1/2}``."""
    G = int(cluster.max()) + 1
    M = np.linalg.inv(X.T @ X)
    idx = [np.flatnonzero(cluster == g) for g in range(G)]
    A = [_sym_inv_sqrt(np.eye(len(ig)) - X[ig] @ M @ X[ig].T) for ig in idx]
    return M, idx, A


def _werkmodel_producten(
    X: np.ndarray, M: np.ndarray, idx: list[np.ndarray], A: list[np.ndarray], L: np.ndarray
) -> np.ndarray:
    """Working-model inner products ``P[s, t, g, h] = p_sg' p_th`` of the CR2 contrast projections.

    For contrast ``s`` (column ``L[:, s]`` of ``M R'``) and cluster ``g``, ``p_sg = (I - H)_{.g} A_g X_g L_s``
    is the N-vector with ``c_s' V^CR2 c_t = sum_g (p_sg' y)(p_tg' y)``. Under the CR2 working model
    (independent, homoskedastic errors) ``p_sg' p_th = 1[g = h] u_sg' u_th - (X_g'u_sg)' M (X_h'u_th)``
    with ``u_sg = A_g X_g L_s``; computed from these K-vectors, so no N x N matrix is formed.
    Returns a (q, q, G, G) array (clubSandwich's ``P_array``).
    """
    q = L.shape[1]
    G = len(idx)
    D = np.empty((G, q, q))  # u_g' u_g
    F = np.empty((q, G, X.shape[1]))  # F[s, g] = X_g' u_sg
    for g, ig in enumerate(idx):
        U = A[g] @ (X[ig] @ L)
        D[g] = U.T @ U
        F[:, g, :] = (X[ig].T @ U).T
    Fm = F.reshape(q * G, -1)
    P = -(Fm @ M @ Fm.T).reshape(q, G, q, G).transpose(0, 2, 1, 3)  # -> (s, t, g, h)
    dg = np.arange(G)
    P[:, :, dg, dg] += np.transpose(D, (1, 2, 0))
    return P


def cr2(X: np.ndarray, e: np.ndarray, cluster: np.ndarray, *, df_voor: list[int] | None = None) -> CR2:
    """CR2 cluster-robust covariance with Bell-McCaffrey (Satterthwaite) degrees of freedom.

    Working model: independent homoskedastic errors (``clubSandwich`` default for ``lm``). The
    adjustment matrices ``A_g = (I - H_gg)^{-1/2}`` use the symmetric pseudo-inverse square root, so the
    full dummy design (cluster fixed effects included) can be passed, as clubSandwich does.

    Parameters
    ----------
    X : (N, K) array
        Full design including the fixed-effect dummies (full column rank).
    e : (N,) array
        OLS residuals.
    cluster : (N,) int array
        Cluster codes ``0..G-1``.
    df_voor : list of int, optional
        Columns for which to compute the Satterthwaite df (default: none).

    Notes
    -----
    The df of coefficient j is ``tr(P)^2 / sum(P * P)`` with ``P[g, h] = p_jg' p_jh`` the working-model
    inner products of :func:`_werkmodel_producten`; this is :func:`wald_htz` with one constraint.

    References
    ----------
    Bell & McCaffrey (2002), Survey Methodology 28(2); Pustejovsky & Tipton (2018), JBES 36(4);
    Imbens & Kolesár (2016), REStat 98(4).
    """
    K = X.shape[1]
    M, idx, A = _cr2_bouwstenen(X, cluster)
    S = np.zeros((len(idx), K))
    for g, ig in enumerate(idx):
        S[g] = X[ig].T @ (A[g] @ e[ig])
    vcov = M @ (S.T @ S) @ M
    df = np.full(K, np.nan)
    for j in df_voor or []:
        P = _werkmodel_producten(X, M, idx, A, M[:, [j]])[0, 0]
        df[j] = np.trace(P) ** 2 / np.sum(P * P)
    return CR2(vcov=vcov, df=df)


@dataclass(frozen=True)
class WaldHTZ:
    """Joint Wald test with CR2 variance and the approximate Hotelling T-squared (HTZ) reference distribution.

    Attributes
    ----------
    Q : float
        Wald statistic ``(R b - r)' (R V^CR2 R')^-1 (R b - r)``.
    q : int
        Number of constraints (numerator df).
    eta : float
        Degrees of freedom ``eta`` of the approximating Wishart distribution of ``R V^CR2 R'``.
    df2 : float
        Denominator df ``eta - q + 1`` (NaN p-value when not positive).
    delta : float
        Scale ``max((eta - q + 1) / eta, 0)``.
    F : float
        Test statistic ``delta * Q / q``, referred to ``F(q, eta - q + 1)``.
    p : float
        p-value.
    """

    Q: float
    q: int
    eta: float
    df2: float
    delta: float
    F: float
    p: float


def beperkingsmatrix(kolommen, K: int) -> np.ndarray:
    """(q, K) selection matrix for the constraints ``beta[kolommen] = 0``."""
    kolommen = list(kolommen)
    R = np.zeros((len(kolommen), K))
    R[np.arange(len(kolommen)), kolommen] = 1.0
    return R


def wald_htz(
    X: np.ndarray, y: np.ndarray, cluster: np.ndarray, R: np.ndarray, r: np.ndarray | None = None
) -> WaldHTZ:
    """CR2 Wald test of ``R beta = r`` with the HTZ small-sample approximation (Pustejovsky & Tipton 2018).

    The statistic ``Q = (R b - r)' (R V^CR2 R')^-1 (R b - r)`` is treated as Hotelling's T-squared: the
    standardised variance estimate ``Omega^{-1/2} R V^CR2 R' Omega^{-1/2}`` (``Omega`` its expectation
    under the CR2 working model of independent homoskedastic errors) is approximated by a Wishart with
    ``eta`` degrees of freedom chosen to match its total variance,

        eta = q (q + 1) / sum_{s,t} Var(d_st),
        Var(d_st) = sum_{g,h} (P~[s,t,g,h] P~[t,s,g,h] + P~[s,s,g,h] P~[t,t,g,h]),

    where ``P~`` are the standardised working-model inner products of the contrast projections (see
    :func:`_werkmodel_producten`; Gaussian fourth moments). Then ``F = (eta - q + 1) / (eta q) * Q``
    is referred to ``F(q, eta - q + 1)``. With one constraint ``F = t^2`` and ``eta`` is the
    Satterthwaite df of :func:`cr2`, so the test equals the CR2 t-test. This is what R's
    ``clubSandwich::Wald_test(fit, constraints, vcov = "CR2", test = "HTZ")`` computes for ``lm``.

    Parameters
    ----------
    X : (N, K) array
        Full design including the fixed-effect dummies (full column rank), as for :func:`cr2`.
    y : (N,) array
        Outcome.
    cluster : (N,) int array
        Cluster codes ``0..G-1``.
    R : (q, K) array
        Constraint matrix (e.g. :func:`beperkingsmatrix`), full row rank.
    r : (q,) array, optional
        Null values (default zeros).

    Returns
    -------
    WaldHTZ

    References
    ----------
    Pustejovsky & Tipton (2018), "Small-sample methods for cluster-robust variance estimation and
    hypothesis testing in fixed effects models", JBES 36(4), 672-683, section 3.2 (test "AHZ"/"HTZ");
    Tipton & Pustejovsky (2015), J. Educ. Behav. Stat. 40(6).
    """
    R = np.atleast_2d(np.asarray(R, dtype=float))
    q, K = R.shape
    if K != X.shape[1]:
        raise ValueError(f"beperkingsmatrix: verwacht {X.shape[1]} kolommen, kreeg {K}")
    r = np.zeros(q) if r is None else np.asarray(r, dtype=float)
    M, idx, A = _cr2_bouwstenen(X, cluster)
    beta = M @ (X.T @ y)
    e = y - X @ beta
    S = np.vstack([(R @ M @ X[ig].T) @ (A[g] @ e[ig]) for g, ig in enumerate(idx)])  # G x q
    Vr = S.T @ S  # R V^CR2 R'
    d = R @ beta - r
    Q = float(d @ np.linalg.solve(Vr, d))
    # working-model expectation Omega = sum_g P[., ., g, g]; standardise the contrasts by Omega^{-1/2}
    L = M @ R.T
    P = _werkmodel_producten(X, M, idx, A, L)
    Omega = np.einsum("stgg->st", P)
    val, vec = np.linalg.eigh(Omega)
    W = (vec / np.sqrt(val)) @ vec.T
    Pt = np.einsum("as,abgh,bt->stgh", W, P, W, optimize=True)
    var = np.einsum("stgh,tsgh->st", Pt, Pt) + np.einsum("ssgh,ttgh->st", Pt, Pt)
    eta = float(q * (q + 1) / var.sum())
    df2 = eta - q + 1
    delta = max(df2 / eta, 0.0)
    F = delta * Q / q
    p = float(stats.f.sf(F, q, df2)) if df2 > 0 else float("nan")
    return WaldHTZ(Q=Q, q=q, eta=eta, df2=float(df2), delta=float(delta), F=float(F), p=p)


def gewichten_trekken(rng: np.random.Generator, G: int, B: int, soort: Gewichten = "webb") -> np.ndarray:
    """Draw a (G, B) matrix of wild-bootstrap weights, one per cluster and replication.

    ``webb``: the 6-point distribution ``±sqrt(1/2), ±1, ±sqrt(3/2)`` with equal probability (Webb 2014),
    advisable with few (treated) clusters; ``rademacher``: ±1 with equal probability.
    """
    if soort not in GEWICHTEN:
        raise ValueError(f"gewichten: verwacht een van {', '.join(GEWICHTEN)}, kreeg {soort!r}")
    if soort == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(G, B))
    punten = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
    return rng.choice(punten, size=(G, B))


@dataclass(frozen=True)
class WildBootstrap:
    """Result of a wild cluster restricted bootstrap.

    Attributes
    ----------
    statistiek : float
        Observed statistic (t for one coefficient, Wald for a joint test).
    p : float
        Bootstrap p-value (symmetric for t).
    ci_laag, ci_hoog : float
        Test-inversion confidence interval (NaN for joint tests or when not asked).
    B : int
        Number of bootstrap replications.
    gewichten : str
        Weight distribution.
    seed : int
        Seed of the generator.
    """

    statistiek: float
    p: float
    ci_laag: float
    ci_hoog: float
    B: int
    gewichten: str
    seed: int


def _wcr_onderdelen(X, M, R, u, cluster, G):
    """G x G building blocks: numerator weights ``a`` (q, G) and score maps ``K_j`` (q, G, G).

    For bootstrap weights ``v`` (G, B): numerator ``R beta* - r = a @ v`` and cluster scores of the
    bootstrap residuals for restriction j ``S_j = K_j @ v`` (Roodman et al. 2019).
    """
    W = X @ (M @ R.T)  # N x q
    Xu = groepsom(cluster, G, X * u[:, None])  # G x K : X_g'u_g
    q = R.shape[0]
    a = np.empty((q, G))
    Kmat = np.empty((q, G, G))
    for j in range(q):
        a[j] = groepsom(cluster, G, W[:, j] * u)
        Q = groepsom(cluster, G, X * W[:, j][:, None])  # G x K : X_h'w_h
        C = Q @ M @ Xu.T  # C[h, g] = w_h' X_h M X_g' u_g
        Kmat[j] = np.diag(a[j]) - C
    return a, Kmat


def wild_bootstrap_t(
    X: np.ndarray,
    y: np.ndarray,
    cluster: np.ndarray,
    kolom: int,
    *,
    factor: float = 1.0,
    B: int = 9999,
    gewichten: Gewichten = "webb",
    seed: int = 1,
    niveau: float = 0.95,
    ci: bool = True,
) -> WildBootstrap:
    """Wild cluster restricted (WCR) bootstrap-t test of ``beta[kolom] = 0``, with a test-inversion CI.

    Parameters
    ----------
    X : (N, K) array
        Design (full dummies or partialled; the bootstrap is invariant to that choice).
    y : (N,) array
        Outcome.
    cluster : (N,) int array
        Cluster codes ``0..G-1``.
    kolom : int
        Column of the coefficient tested.
    factor : float
        Small-sample factor of the cluster variance (cancels in the p-value; kept for the statistic).
    B : int
        Replications; the same draws are used for every null value in the CI search.
    gewichten : {"webb", "rademacher"}
        Weight distribution.
    seed : int
        Seed for ``np.random.default_rng``.
    niveau : float
        Confidence level of the interval.
    ci : bool
        Whether to compute the test-inversion interval.
    """
    G = int(cluster.max()) + 1
    M = np.linalg.inv(X.T @ X)
    beta = M @ (X.T @ y)
    e = y - X @ beta
    m = M[kolom, kolom]
    w = X @ M[:, kolom]
    R = np.zeros((1, X.shape[1]))
    R[0, kolom] = 1.0
    se = float(np.sqrt(cluster_vcov(X, e, cluster, bread=M, factor=factor)[kolom, kolom]))
    # restricted residuals for null value delta0: u(d) = e + (beta_k - delta0)/m * w   (linear in d)
    a_e, K_e = _wcr_onderdelen(X, M, R, e, cluster, G)
    a_w, K_w = _wcr_onderdelen(X, M, R, w, cluster, G)
    V = gewichten_trekken(np.random.default_rng(seed), G, B, gewichten)
    num_e, num_w = a_e[0] @ V, a_w[0] @ V
    S_e, S_w = K_e[0] @ V, K_w[0] @ V

    def pwaarde(delta0: float) -> float:
        d = (beta[kolom] - delta0) / m
        num = num_e + d * num_w
        S = S_e + d * S_w
        tb = num / np.sqrt(factor * np.sum(S * S, axis=0))
        t = (beta[kolom] - delta0) / se
        return float(np.mean(np.abs(tb) >= abs(t) - 1e-12 * max(1.0, abs(t))))

    t0 = beta[kolom] / se
    p0 = pwaarde(0.0)
    lo = hi = np.nan
    if ci:
        alpha = 1 - niveau

        def rand(richting: float) -> float:
            # p(beta_hat) = 1; walk outward until p < alpha, then bisect the crossing
            stap = se
            binnen, buiten = 0.0, stap
            for _ in range(60):
                if pwaarde(beta[kolom] + richting * buiten) < alpha:
                    break
                binnen, buiten = buiten, buiten * 2
            else:
                return np.inf * richting
            f = lambda s: pwaarde(beta[kolom] + richting * s) - alpha + 0.5 / B  # noqa: E731
            s = optimize.brentq(f, binnen, buiten, xtol=1e-8 * se) if f(binnen) * f(buiten) < 0 else buiten
            return beta[kolom] + richting * s

        lo, hi = rand(-1.0), rand(1.0)
    return WildBootstrap(float(t0), p0, float(lo), float(hi), B, gewichten, seed)


def wild_bootstrap_wald(
    X: np.ndarray,
    y: np.ndarray,
    cluster: np.ndarray,
    kolommen: list[int],
    *,
    factor: float = 1.0,
    B: int = 9999,
    gewichten: Gewichten = "webb",
    seed: int = 1,
) -> WildBootstrap:
    """WCR bootstrap of the cluster-robust Wald test that all ``beta[kolommen]`` are zero (e.g. leads)."""
    G = int(cluster.max()) + 1
    K = X.shape[1]
    q = len(kolommen)
    M = np.linalg.inv(X.T @ X)
    beta = M @ (X.T @ y)
    e = y - X @ beta
    R = np.zeros((q, K))
    R[np.arange(q), kolommen] = 1.0
    Vr = R @ cluster_vcov(X, e, cluster, bread=M, factor=factor) @ R.T
    rb = R @ beta
    wald = float(rb @ np.linalg.solve(Vr, rb))
    # restricted estimate under R beta = 0 and its residuals
    beta_r = beta - M @ R.T @ np.linalg.solve(R @ M @ R.T, rb)
    u = y - X @ beta_r
    a, Kmat = _wcr_onderdelen(X, M, R, u, cluster, G)
    V = gewichten_trekken(np.random.default_rng(seed), G, B, gewichten)
    num = a @ V  # q x B
    S = np.einsum("jhg,gb->jhb", Kmat, V)  # q x G x B
    Vb = factor * np.einsum("jhb,khb->bjk", S, S)  # B x q x q
    wb = np.einsum("jb,bj->b", num, np.linalg.solve(Vb, num.T[:, :, None])[:, :, 0])
    p = float(np.mean(wb >= wald - 1e-12 * max(1.0, wald)))
    return WildBootstrap(wald, p, np.nan, np.nan, B, gewichten, seed)


def t_toets(schatting: float, se: float, df: float, niveau: float = 0.95) -> tuple[float, float, float]:
    """Two-sided p-value and CI from a t (or normal, df = inf) reference distribution."""
    crit = stats.t.ppf(0.5 + niveau / 2, df) if np.isfinite(df) else stats.norm.ppf(0.5 + niveau / 2)
    tw = schatting / se
    p = 2 * (stats.t.sf(abs(tw), df) if np.isfinite(df) else stats.norm.sf(abs(tw)))
    return float(p), float(schatting - crit * se), float(schatting + crit * se)
