"""Tidy tables of the outcomes after the first exit (durable exit rows of the effect table, the population
rows, the ``uitkeringsmaanden`` table), read from a pass's vector through :class:`~evaluatie.effecten.kern.Vectorindeling`.
"""
from __future__ import annotations

from typing import Any
import warnings

import numpy as np
import pandas as pd

from evaluatie.effecten.kern import toerekenbaar

#: Columns of the ``uitkeringsmaanden`` table (CONTRIBUTING "Effect results on disk").
MAANDEN_KOLOMMEN: tuple[str, ...] = ("instrument", "categorie", "methode", "horizon", "maat", "schatting", "se",
                                     "ci_laag", "ci_hoog", "n_deelnemers", "vlag")
#: ``maat`` values of the ``uitkeringsmaanden`` table (verschil = deelnemers - controle; negative = fewer months).
MAANDEN_MATEN: tuple[str, ...] = ("deelnemers", "controle", "verschil")


def interval(reps: np.ndarray, niveau: float = 0.95) -> Any:
    """:func:`evaluatie.bootstrap.percentiel_interval` (same numbers), vectorised over the columns without NaN.

    ``numpy.nanquantile`` falls back to one call per column as soon as any NaN is present; the after-exit
    block has tens of thousands of columns, most of them complete.
    """
    from evaluatie.bootstrap import Interval, percentiel_interval

    reps = np.asarray(reps, dtype=float)
    n = reps.shape[1]
    a = (1.0 - niveau) / 2.0
    heel = np.isfinite(reps).all(axis=0)
    leeg = ~np.isfinite(reps).any(axis=0)
    rest = ~heel & ~leeg
    lo, hi = np.full(n, np.nan), np.full(n, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(reps, axis=0, ddof=1)
    if heel.any():
        x = reps[:, heel]
        lo[heel], hi[heel] = np.quantile(x, a, axis=0), np.quantile(x, 1.0 - a, axis=0)
    if rest.any():
        iv = percentiel_interval(reps[:, rest], niveau)
        lo[rest], hi[rest] = iv.laag, iv.hoog
    return Interval(se, lo, hi, np.isfinite(reps).sum(axis=0))


def lege_maandentabel() -> pd.DataFrame:
    """The ``uitkeringsmaanden`` table without rows (no estimates after the first exit)."""
    return pd.DataFrame({k: pd.Series(dtype="int64" if k in ("horizon", "n_deelnemers") else
                                      ("float64" if k in ("schatting", "se", "ci_laag", "ci_hoog") else "object"))
                         for k in MAANDEN_KOLOMMEN})


def _iv(vi: Any, iv: Any, k: int, naam: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SE, lower and upper limit of curve ``naam`` of cell ``k`` from the interval over the after-exit block."""
    a = (k * len(vi.na_namen) + vi.na_namen.index(naam)) * vi.H
    return iv.se[a: a + vi.H], iv.laag[a: a + vi.H], iv.hoog[a: a + vi.H]


def _n_duurzaam(no: Any, o: Any, dn: np.ndarray, k: int, H: int) -> np.ndarray:
    """Observed durable exits (k months of follow-up, no return) within h = 1..H months among ``dn``."""
    pe = no.p_exit[dn]
    ok = pe >= 0
    pe, T = pe[ok], o.p_T[dn][ok]
    dz = no.x_geldig[pe] & (no.x_fu[pe] >= k) & (no.x_gap[pe] > k)
    return np.cumsum(np.bincount(np.minimum(T[dz], H + 1), minlength=H + 2)[1: H + 1])


def na_effectrijen(no: Any, o: Any, vi: Any, vec: np.ndarray, iv: Any, cellen: Any, vlaggen: list[str],
                   cfg: Any) -> list[tuple]:
    """Rows of the effect table with ``uitkomst`` = ``duurzaam_werk_{k}`` (same maten and methods as ``werk``)."""
    rows: list[tuple] = []
    H = vi.H
    for k, c in enumerate(cellen):
        n = len(c.deelnemers)
        for kk in no.ks:
            uitkomst = f"duurzaam_werk_{kk}"
            ng = _n_duurzaam(no, o, c.deelnemers, kk, H)

            def add(maat: str, methode: str, naam: str, hs, transform=None) -> None:
                v_all = vi.na_cel(vec, k, naam)
                s_all, l_all, u_all = _iv(vi, iv, k, naam)
                for h in hs:
                    v, s_, l_, u_ = v_all[h - 1], s_all[h - 1], l_all[h - 1], u_all[h - 1]
                    if transform is not None:
                        v, l_, u_ = transform(v), transform(u_), transform(l_)
                    rows.append((c.instrument, c.categorie, uitkomst, maat, h, v, s_, l_, u_, n, int(ng[h - 1]),
                                 methode, vlaggen[k]))

            alle = range(1, H + 1)
            methoden = ("gformule", "risicoset") if c.instr >= 0 else ("gformule",)
            for m in methoden:
                add("att", m, f"duurzaam_{kk}_att_{m}", alle)
                add("cif_deelnemers", m, f"duurzaam_{kk}_cif_deelnemers_{m}", alle)
                add("cif_controle", m, f"duurzaam_{kk}_cif_controle_{m}", alle)
                add("deadweight", m, f"duurzaam_{kk}_deadweight_{m}", cfg.horizonnen)
                add("toerekenbaar", m, f"duurzaam_{kk}_deadweight_{m}", cfg.horizonnen, transform=toerekenbaar)
            if c.instr >= 0:
                add("naief", "naief", f"duurzaam_{kk}_naief", cfg.horizonnen)
    return rows


def na_populatierijen(vi: Any, vec: np.ndarray, iv: Any, n_deelnemers: int, n_clienten: int) -> pd.DataFrame:
    """Population rows ``toerekenbaar_aandeel_duurzaam_{k}`` and their parts (columns as ``populatie``)."""
    a = vi.n_cellen * len(vi.na_namen) * vi.H
    P = len(vi.na_populatie)
    return pd.DataFrame({"maat": list(vi.na_populatie), "schatting": vi.na_pop(vec), "se": iv.se[a: a + P],
                         "ci_laag": iv.laag[a: a + P], "ci_hoog": iv.hoog[a: a + P], "n_deelnemers": n_deelnemers,
                         "n_clienten": n_clienten})


def na_maandentabel(vi: Any, vec: np.ndarray, iv: Any, cellen: Any, vlaggen: list[str], cfg: Any) -> pd.DataFrame:
    """The ``uitkeringsmaanden`` table: restricted mean months on benefit over each horizon, per cell and method."""
    rows = []
    for k, c in enumerate(cellen):
        methoden = ("gformule", "risicoset") if c.instr >= 0 else ("gformule",)
        for m in methoden:
            for h in cfg.uitkeringsmaanden:
                for maat in MAANDEN_MATEN:
                    naam = f"uitkeringsmaanden_{maat}_{m}"
                    s_, l_, u_ = (x[h - 1] for x in _iv(vi, iv, k, naam))
                    rows.append((c.instrument, c.categorie, m, h, maat, vi.na_cel(vec, k, naam)[h - 1], s_, l_, u_,
                                 len(c.deelnemers), vlaggen[k]))
    if not rows:
        return lege_maandentabel()
    df = pd.DataFrame(rows, columns=list(MAANDEN_KOLOMMEN))
    return df.astype({"horizon": "int64", "n_deelnemers": "int64"})
