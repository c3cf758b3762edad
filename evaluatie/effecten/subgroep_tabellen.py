"""Tables of the subgroup cells (``subgroepen``) and the per-cell tests (``celtoetsen``), from the point vector
and the bootstrap replicates: intervals, differences, heterogeneity tests, Holm / Romano-Wolf and shrinkage.

Families corrected for multiplicity (methoden §"Voor wie werkt het?"):

- ``celtoetsen``, ``toets = att``: all instrument cells, per methode and horizon;
- ``subgroepen``, ``maat = verschil``: all subgroup-vs-rest differences of all cells and indelingen, per methode
  and horizon.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import chi2

from evaluatie.bootstrap import percentiel_interval
from evaluatie.effecten.multipliciteit import familie
from evaluatie.effecten.pooling import krimp_per_groep
from evaluatie.effecten.subgroepen import GROOTHEDEN, Subontwerp

METHODEN = ("gformule", "risicoset")
SUBKOLOMMEN = ["instrument", "categorie", "indeling", "subgroep", "methode", "horizon", "maat", "schatting", "se",
               "ci_laag", "ci_hoog", "p", "p_holm", "p_romano_wolf", "gekrompen", "gekrompen_laag", "gekrompen_hoog",
               "n_deelnemers", "status"]
TOETSKOLOMMEN = ["instrument", "categorie", "methode", "horizon", "toets", "schatting", "se", "df", "p", "p_holm",
                 "p_romano_wolf", "gekrompen", "gekrompen_laag", "gekrompen_hoog", "n_deelnemers", "familie"]


def lege_subgroepen() -> pd.DataFrame:
    return pd.DataFrame(columns=SUBKOLOMMEN)


def lege_celtoetsen() -> pd.DataFrame:
    return pd.DataFrame(columns=TOETSKOLOMMEN)


def _se(reps: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanstd(reps, axis=0, ddof=1) if reps.shape[0] > 1 else np.full(reps.shape[1:], np.nan)


def wald(c: np.ndarray, reps: np.ndarray) -> tuple[float, int, float]:
    """Wald statistic ``c' pinv(Sigma) c`` with ``Sigma`` the covariance of the replicates of ``c`` (complete
    replicates only), degrees of freedom the numerical rank of ``Sigma``; chi-square p-value."""
    c = np.asarray(c, dtype=float)
    R = np.asarray(reps, dtype=float).reshape(-1, c.size)
    R = R[np.all(np.isfinite(R), axis=1)]
    if not np.all(np.isfinite(c)) or R.shape[0] < c.size + 2:
        return np.nan, 0, np.nan
    S = np.atleast_2d(np.cov(R, rowvar=False))
    ev = np.linalg.eigvalsh(S)
    df = int((ev > max(ev.max(), 0.0) * 1e-8).sum())
    if df == 0:
        return np.nan, 0, np.nan
    W = float(c @ np.linalg.pinv(S, rcond=1e-8, hermitian=True) @ c)
    return W, df, float(chi2.sf(W, df))


def _waarden(v: np.ndarray, so: Subontwerp) -> np.ndarray:
    """(..., n_geschat, len(GROOTHEDEN), n_horizon) view of a subgroup vector or matrix of replicates."""
    return v.reshape(v.shape[:-1] + (len(so.geschat), len(GROOTHEDEN), len(so.horizonnen)))


def subgroep_tabellen(so: Subontwerp, vec: np.ndarray, reps: np.ndarray, cellen, vi, vec_cel: np.ndarray,
                      reps_cel: np.ndarray, min_deelnemers: int = 50) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``subgroepen`` and ``celtoetsen`` tables (see the module docstring). The family of cells holds the
    instrument cells with at least ``min_deelnemers`` participants (smaller cells are flagged and never called
    aantoonbaar; their Holm / Romano-Wolf p-values are left empty)."""
    nh = len(so.horizonnen)
    P = _waarden(vec, so) if len(so.geschat) else np.zeros((0, len(GROOTHEDEN), nh))
    R = _waarden(reps, so) if len(so.geschat) else np.zeros((reps.shape[0], 0, len(GROOTHEDEN), nh))
    pos = {g: i for i, g in enumerate(so.geschat)}
    rows = []
    # differences subgroup - rest: (n_geschat, methode, horizon) and their replicates
    dP = np.stack([P[:, 0] - P[:, 1], P[:, 2] - P[:, 3]], axis=1)
    dR = np.stack([R[:, :, 0] - R[:, :, 1], R[:, :, 2] - R[:, :, 3]], axis=2)
    fam_p = {}
    for m, meth in enumerate(METHODEN):
        for hi, h in enumerate(so.horizonnen):
            sl = pd.DataFrame({"i": np.arange(len(so.geschat))})
            f = familie(f"alle subgroepverschillen, {meth}, {h} maanden", sl, dP[:, m, hi], dR[:, :, m, hi])
            fam_p[(m, hi)] = f
    for si, sc in enumerate(so.subcellen):
        gi = pos.get(si)
        if gi is None:  # one row with its count and why it was not estimated
            rows.append((sc.instrument, sc.categorie, sc.indeling, sc.subgroep, "", 0, "aantal") + (np.nan,) * 10
                        + (sc.n_deelnemers, sc.reden))
            continue
        for m, meth in enumerate(METHODEN):
            for hi, h in enumerate(so.horizonnen):
                for maat in ("att_subgroep", "att_rest", "verschil"):
                    basis = (sc.instrument, sc.categorie, sc.indeling, sc.subgroep, meth, h, maat)
                    if maat == "verschil":
                        pt, rp = dP[gi, m, hi], dR[:, gi, m, hi]
                        f = fam_p[(m, hi)]
                        pv, ph, prw = f.p[gi], f.p_holm[gi], f.p_romano_wolf[gi]
                    else:
                        j = 2 * m + (0 if maat == "att_subgroep" else 1)
                        pt, rp = P[gi, j, hi], R[:, gi, j, hi]
                        pv = ph = prw = np.nan
                    iv = percentiel_interval(rp[:, None])
                    if maat != "verschil":
                        from evaluatie.effecten.multipliciteit import p_normaal
                        pv = float(p_normaal(np.array([pt]), iv.se)[0])
                    rows.append(basis + (pt, iv.se[0], iv.laag[0], iv.hoog[0], pv, ph, prw, np.nan, np.nan, np.nan,
                                         sc.n_deelnemers, "geschat"))
    # the cell's other participants per indeling (other levels, unknown): the rows of an indeling then add up to the
    # cell (a margin for disclosure control, so that no level's count can be recovered by subtraction)
    per = {}
    for sc in so.subcellen:
        per.setdefault((sc.cel, sc.instrument, sc.categorie, sc.indeling), []).append(sc.n_deelnemers)
    for (k, ins, cat, ind), ns in per.items():
        rows.append((ins, cat, ind, "overige deelnemers", "", 0, "aantal") + (np.nan,) * 10
                    + (len(cellen[k].deelnemers) - int(sum(ns)), "niet geschat: rest van de cel (andere of onbekende waarde)"))
    sub = pd.DataFrame(rows, columns=SUBKOLOMMEN)
    # shrinkage of subgroup effects toward the mean of the same subgroup and instrument across categorieen
    a = sub["maat"] == "att_subgroep"
    if a.any():
        k = krimp_per_groep(sub[a], ["instrument", "indeling", "subgroep", "methode", "horizon"])
        sub.loc[a, ["gekrompen", "gekrompen_laag", "gekrompen_hoog"]] = k[["gekrompen", "gekrompen_laag",
                                                                           "gekrompen_hoog"]].to_numpy()
    sub = sub.astype({"horizon": "int64", "n_deelnemers": "int64"})
    return sub, _celtoetsen(so, P, R, dP, dR, cellen, vi, vec_cel, reps_cel, min_deelnemers)


def _celtoetsen(so, P, R, dP, dR, cellen, vi, vec_cel, reps_cel, min_deelnemers) -> pd.DataFrame:
    ks = [k for k, c in enumerate(cellen) if c.instr >= 0]
    in_familie = np.array([len(cellen[k].deelnemers) >= min_deelnemers for k in ks], dtype=bool)
    rows = []
    for m, meth in enumerate(METHODEN):
        for hi, h in enumerate(so.horizonnen):
            th = np.array([vi.cel(vec_cel, k, f"att_{meth}")[h - 1] for k in ks])
            rp = (np.column_stack([vi.cel(reps_cel, k, f"att_{meth}")[:, h - 1] for k in ks]) if ks
                  else np.zeros((reps_cel.shape[0], 0)))
            naam = f"alle instrumentcellen met minstens {min_deelnemers} deelnemers, {meth}, {h} maanden"
            f = familie(naam, pd.DataFrame({"k": ks}), np.where(in_familie, th, np.nan), rp)
            se_alle = _se(rp) if len(ks) else np.zeros(0)
            from evaluatie.effecten.multipliciteit import p_normaal
            p_alle = p_normaal(th, se_alle)
            for j, k in enumerate(ks):
                c = cellen[k]
                rows.append((c.instrument, c.categorie, meth, h, "att", th[j], se_alle[j], np.nan, p_alle[j],
                             f.p_holm[j], f.p_romano_wolf[j], np.nan, np.nan, np.nan, len(c.deelnemers),
                             naam if in_familie[j] else f"niet in een familie: minder dan {min_deelnemers} deelnemers"))
                # heterogeneity: per indeling, then all the cell's contrasts jointly
                alle_c, alle_r = [], []
                for plan in (pl for pl in so.plannen if pl.cel == k):
                    gis = [gi for gi, _ in plan.subcellen]
                    if len(gis) == 1:
                        cp, cr = dP[gis, m, hi], dR[:, gis, m, hi]
                    else:
                        sP, sR = P[gis, 2 * m, hi], R[:, gis, 2 * m, hi]
                        cp, cr = sP[1:] - sP[0], sR[:, 1:] - sR[:, :1]
                    W, df, p = wald(cp, cr)
                    ind = so.indelingen[plan.indeling].naam
                    rows.append((c.instrument, c.categorie, meth, h, f"heterogeniteit {ind}", W, np.nan, df, p,
                                 np.nan, np.nan, np.nan, np.nan, np.nan, len(c.deelnemers), ""))
                    alle_c.append(cp)
                    alle_r.append(cr)
                if alle_c:
                    W, df, p = wald(np.concatenate(alle_c), np.concatenate(alle_r, axis=1))
                    rows.append((c.instrument, c.categorie, meth, h, "heterogeniteit", W, np.nan, df, p, np.nan,
                                 np.nan, np.nan, np.nan, np.nan, len(c.deelnemers), ""))
    t = pd.DataFrame(rows, columns=TOETSKOLOMMEN)
    a = t["toets"] == "att"
    if a.any():
        k = krimp_per_groep(t[a], ["instrument", "methode", "horizon"])
        t.loc[a, ["gekrompen", "gekrompen_laag", "gekrompen_hoog"]] = k[["gekrompen", "gekrompen_laag",
                                                                         "gekrompen_hoog"]].to_numpy()
    return t.astype({"horizon": "int64", "n_deelnemers": "int64", "df": "float64"})
