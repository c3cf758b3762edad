"""Collapsed-count fits equal row-by-row fits (statsmodels), and the bootstrap's Newton shortcut converges."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evaluatie.effecten.hazardmodel import collapse, fit_logit, fit_mnlogit, newton_vast


def _rijen(seed=0, n=4000):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, n)
    b = rng.integers(0, 2, n)
    c = rng.integers(0, 4, n)
    X = np.column_stack([np.ones(n), a == 1, a == 2, b, c == 1, c == 2, c == 3]).astype(float)
    beta = np.array([[-2.0, -3.0], [0.5, -0.2], [1.0, 0.3], [-0.4, 0.6], [0.2, 0.0], [0.3, -0.5], [-0.6, 0.4]])
    eta = X @ beta
    p = np.exp(np.column_stack([np.zeros(n), eta]))
    p /= p.sum(axis=1, keepdims=True)
    y = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return X, np.column_stack([a, b, c]), y


def test_collapsed_mnlogit_equals_rowwise_statsmodels():
    X, codes, y = _rijen()
    ref = sm.MNLogit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    pats, idx = collapse(codes)
    P = len(pats)
    counts = np.bincount(idx * 3 + y, minlength=3 * P).reshape(P, 3).astype(float)
    Xp = np.zeros((P, X.shape[1]))
    Xp[idx] = X
    f = fit_mnlogit(Xp, counts)
    assert P < 30  # really collapsed
    assert f.converged
    np.testing.assert_allclose(f.coef, ref.params, atol=1e-7)
    np.testing.assert_allclose(f.loglik, ref.llf, rtol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(f.cov)), np.asarray(ref.bse).T.ravel(), rtol=1e-6)


def test_weighted_logit_equals_glm_freq_weights():
    X, codes, y = _rijen(1)
    yb = (y == 1).astype(float)
    w = np.random.default_rng(3).integers(0, 4, len(yb)).astype(float)  # bootstrap-like counts
    ref = sm.GLM(yb, X, family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-12)
    pats, idx = collapse(codes)
    P = len(pats)
    n1 = np.bincount(idx, weights=w * yb, minlength=P)
    n0 = np.bincount(idx, weights=w * (1 - yb), minlength=P)
    Xp = np.zeros((P, X.shape[1]))
    Xp[idx] = X
    f = fit_logit(Xp, n0, n1)
    np.testing.assert_allclose(f.coef, ref.params, atol=1e-7)


def test_newton_vast_reaches_refit():
    X, codes, y = _rijen(2)
    pats, idx = collapse(codes)
    P = len(pats)
    Xp = np.zeros((P, X.shape[1]))
    Xp[idx] = X
    full = fit_mnlogit(Xp, np.bincount(idx * 3 + y, minlength=3 * P).reshape(P, 3).astype(float))
    w = np.random.default_rng(5).multinomial(len(y), np.full(len(y), 1 / len(y))).astype(float)
    cnt = np.bincount(idx * 3 + y, weights=w, minlength=3 * P).reshape(P, 3)
    refit = fit_mnlogit(Xp, cnt)
    snel = newton_vast(Xp, cnt, full, stappen=5)
    assert np.max(np.abs(refit.coef - full.coef)) > 0.02  # the replicate really differs
    np.testing.assert_allclose(snel, refit.coef, atol=2e-3)


def test_collapse_roundtrip():
    codes = np.array([[1, 2], [0, 5], [1, 2], [3, 0]])
    pats, idx = collapse(codes)
    np.testing.assert_array_equal(pats[idx], codes)
    assert len(pats) == 3
