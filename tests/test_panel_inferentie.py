"""Small-cluster inference: the fast wild cluster bootstrap equals a brute-force refit per draw."""
from __future__ import annotations

import numpy as np
import pytest

from evaluatie.panel.inferentie import (
    cluster_vcov,
    cr1_factor,
    cr2,
    gewichten_trekken,
    wild_bootstrap_t,
    wild_bootstrap_wald,
)


def _data(seed=0, G=9, T=6):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(G), T)
    t = np.tile(np.arange(T), G)
    D = ((g < 3) & (t >= 3)).astype(float)
    X = np.column_stack([D, np.eye(T)[t][:, 1:], np.eye(G)[g]])
    y = rng.normal(size=G)[g] + 0.3 * t + 0.4 * D + rng.normal(size=G * T) * (1 + g / G)
    return X, y, g


def _brute_p(X, y, g, kolom, delta0, V, factor):
    """Restricted wild bootstrap-t by refitting every draw (the textbook algorithm)."""
    Xr = np.delete(X, kolom, axis=1)
    yr = y - delta0 * X[:, kolom]
    br = np.linalg.lstsq(Xr, yr, rcond=None)[0]
    u = yr - Xr @ br
    fit = Xr @ br + delta0 * X[:, kolom]
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ b
    t = (b[kolom] - delta0) / np.sqrt(cluster_vcov(X, e, g, factor=factor)[kolom, kolom])
    tb = []
    for v in V.T:
        ys = fit + u * v[g]
        bs = np.linalg.lstsq(X, ys, rcond=None)[0]
        es = ys - X @ bs
        tb.append((bs[kolom] - delta0) / np.sqrt(cluster_vcov(X, es, g, factor=factor)[kolom, kolom]))
    return float(np.mean(np.abs(np.array(tb)) >= abs(t) - 1e-12))


@pytest.mark.parametrize("gewichten", ["webb", "rademacher"])
def test_snelle_wild_bootstrap_gelijk_aan_brute_kracht(gewichten):
    X, y, g = _data()
    B, seed = 299, 4
    factor = cr1_factor(len(y), 6, 9)
    w = wild_bootstrap_t(X, y, g, 0, factor=factor, B=B, gewichten=gewichten, seed=seed)
    V = gewichten_trekken(np.random.default_rng(seed), 9, B, gewichten)
    assert w.p == pytest.approx(_brute_p(X, y, g, 0, 0.0, V, factor), abs=1e-12)
    # test inversion: just inside the CI the brute-force p is >= 5%, just outside it is < 5%
    for rand, naar_buiten in ((w.ci_laag, -1), (w.ci_hoog, 1)):
        stap = 1e-4 * (w.ci_hoog - w.ci_laag)
        assert _brute_p(X, y, g, 0, rand - naar_buiten * stap, V, factor) >= 0.05
        assert _brute_p(X, y, g, 0, rand + naar_buiten * stap, V, factor) < 0.05


def test_wald_bootstrap_gelijk_aan_brute_kracht():
    X, y, g = _data(seed=2)
    kol = [0, 1]
    B, seed, factor = 199, 9, 1.0
    w = wild_bootstrap_wald(X, y, g, kol, factor=factor, B=B, seed=seed)
    V = gewichten_trekken(np.random.default_rng(seed), 9, B, "webb")
    Xr = np.delete(X, kol, axis=1)
    br = np.linalg.lstsq(Xr, y, rcond=None)[0]
    u = y - Xr @ br

    def wald(yy):
        b = np.linalg.lstsq(X, yy, rcond=None)[0]
        Vc = cluster_vcov(X, yy - X @ b, g, factor=factor)[np.ix_(kol, kol)]
        return b[kol] @ np.linalg.solve(Vc, b[kol])

    w0 = wald(y)
    wb = np.array([wald(Xr @ br + u * v[g]) for v in V.T])
    assert w.statistiek == pytest.approx(w0, rel=1e-10)
    assert w.p == pytest.approx(np.mean(wb >= w0 - 1e-12), abs=1e-12)


def test_webb_gewichten_momenten():
    V = gewichten_trekken(np.random.default_rng(0), 50, 4000, "webb")
    assert set(np.round(np.unique(V) ** 2, 12)) == {0.5, 1.0, 1.5}
    assert abs(V.mean()) < 0.01 and abs((V**2).mean() - 1) < 0.01
    with pytest.raises(ValueError, match="verwacht een van webb, rademacher"):
        gewichten_trekken(np.random.default_rng(0), 2, 2, "normaal")


def test_cr2_zonder_vaste_effecten_is_hc2_bij_clusters_van_een():
    """With singleton clusters CR2 reduces to HC2 = e_i^2/(1-h_ii) (MacKinnon & White 1985)."""
    rng = np.random.default_rng(1)
    X = np.column_stack([np.ones(40), rng.normal(size=40)])
    y = X @ [1, 2] + rng.normal(size=40) * (1 + np.abs(X[:, 1]))
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ b
    M = np.linalg.inv(X.T @ X)
    h = np.einsum("ij,jk,ik->i", X, M, X)
    hc2 = M @ (X.T * (e**2 / (1 - h))) @ X @ M
    np.testing.assert_allclose(cr2(X, e, np.arange(40)).vcov, hc2, rtol=1e-10)
