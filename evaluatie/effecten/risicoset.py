"""Risk-set (sequential) propensity design: participants vs weighted not-yet-treated controls.

At every month ``d`` on benefit, the clients of categorie ``c`` still on benefit and not yet in any
instrument form the risk set. A logit of *starting instrument i at d* (vs not starting anything at
``d``) on the covariates and the duration gives the propensity ``e``; each not-yet-treated person-month
is a control entry with ATT weight ``e / (1 - e)``. Controls may start an instrument later, so the
weighted control CIF estimates the ``att_wachten`` counterfactual (start at ``d`` withheld, natural
course afterwards).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.effecten.cif import aalen_johansen
from evaluatie.effecten.hazardmodel import Fit, fit_logit, logit_kans
from evaluatie.effecten.ontwerp import Ontwerp


@dataclass(frozen=True)
class Risicoset:
    """Not-yet-treated person-months of one categorie with their pattern index (local to the categorie)."""

    categorie: int
    rijen: np.ndarray        # row indices into the person-month arrays
    patronen: np.ndarray     # global pattern indices of this categorie
    lokaal: np.ndarray       # local pattern index per row in ``rijen``
    kolommen: np.ndarray     # design columns that vary within the categorie
    nooit: np.ndarray        # bool per row in ``rijen``: spell never starts an instrument
    X: np.ndarray            # design of the local patterns (varying columns only)
    XT: np.ndarray           # X.T in C order
    lokaal_deelnemer: np.ndarray  # local pattern of every participant's start row (-1 other categorie)


def maak_risicoset(o: Ontwerp, categorie: int) -> Risicoset:
    """Risk set of categorie code ``categorie``."""
    rijen = np.nonzero(o.r_onbehandeld & (o.r_cat == categorie))[0]
    patronen = np.nonzero(o.pat_cat == categorie)[0]
    glob2lok = np.full(o.X.shape[0], -1, dtype=np.int64)
    glob2lok[patronen] = np.arange(len(patronen))
    Xc = o.X[patronen]
    var = Xc.max(axis=0) > Xc.min(axis=0)
    var[0] = True
    kol = np.nonzero(var)[0]
    return Risicoset(categorie, rijen, patronen, glob2lok[o.r_pat[rijen]], kol, o.r_nooit[rijen],
                     np.ascontiguousarray(Xc[:, kol]), np.ascontiguousarray(Xc[:, kol].T), glob2lok[o.p_pat])


def _deelnemers(o: Ontwerp, instr: int, cat: int) -> np.ndarray:
    return np.nonzero((o.p_instr == instr) & (o.p_cat == cat))[0]


RIDGE = 1e-2


def _niet_starters(o: Ontwerp, rs: Risicoset, w_client: np.ndarray) -> np.ndarray:
    """Weighted number of risk-set months per local pattern (the months in which nothing starts)."""
    return np.bincount(rs.lokaal, weights=w_client[o.r_client[rs.rijen]], minlength=len(rs.patronen))


def propensity_tellingen(o: Ontwerp, rs: Risicoset, instr: int, w_client: np.ndarray) -> np.ndarray:
    """Counts per local pattern, shape (P, 2): not starting, starting ``instr``."""
    return np.column_stack([_niet_starters(o, rs, w_client), propensity_tellingen_start(o, rs, instr, w_client)])


def fit_propensity(o: Ontwerp, rs: Risicoset, instr: int, w_client: np.ndarray) -> Fit:
    """Logit of starting ``instr`` at month d among the risk set (rows that start another instrument excluded).

    Bootstrap replicates update all propensities of a categorie at once: :func:`fit_propensities_replicaat`.
    """
    cnt = propensity_tellingen(o, rs, instr, w_client)
    return fit_logit(rs.X, cnt[:, 0], cnt[:, 1], ridge=RIDGE)


def fit_propensities_replicaat(o: Ontwerp, rs: Risicoset, instrumenten: list[int], w_client: np.ndarray,
                               vorige: list[Fit], *, stappen: int = 6) -> np.ndarray:
    """Fixed-information Newton steps for every instrument of one categorie at once (bootstrap replicates).

    The same update as :func:`~evaluatie.effecten.hazardmodel.newton_vast` per instrument (gradient at
    the current coefficients, step ``cov @ g`` with the point estimate's inverse information, damped when
    it moves a linear predictor by more than 2), but the instruments share the risk set's design and its
    non-starter counts, so the products with the design are matrix-matrix instead of one matrix-vector
    per instrument. Returns the coefficients, shape ``(k, len(instrumenten))``.
    """
    n0 = _niet_starters(o, rs, w_client)
    N1 = np.column_stack([propensity_tellingen_start(o, rs, i, w_client) for i in instrumenten])
    ntot = n0[:, None] + N1
    B = np.column_stack([np.asarray(f.coef, dtype=float).reshape(-1) for f in vorige])
    pen = np.full(B.shape[0], RIDGE)
    pen[0] = 0.0
    eta = rs.X @ B
    for _ in range(stappen):
        p = 1.0 / (1.0 + np.exp(-np.clip(eta, -50.0, 50.0)))
        G = rs.XT @ (N1 - ntot * p) - pen[:, None] * B
        dB = np.column_stack([f.cov @ G[:, j] for j, f in enumerate(vorige)])
        XdB = rs.X @ dB
        schaal = np.where(np.abs(XdB).max(axis=0, initial=0.0) > 2.0,
                          2.0 / np.maximum(np.abs(XdB).max(axis=0, initial=0.0), 1e-300), 1.0)
        B = B + dB * schaal
        eta = eta + XdB * schaal  # = X @ B up to rounding: one product with the design per step instead of two
    return B


def propensity_tellingen_start(o: Ontwerp, rs: Risicoset, instr: int, w_client: np.ndarray) -> np.ndarray:
    """Weighted number of starts of ``instr`` per local pattern of the risk set."""
    dn = _deelnemers(o, instr, rs.categorie)
    return np.bincount(rs.lokaal_deelnemer[dn], weights=w_client[o.p_client[dn]], minlength=len(rs.patronen))


def propensities(o: Ontwerp, rs: Risicoset, coef: np.ndarray) -> np.ndarray:
    """Propensity per local pattern of the categorie."""
    return logit_kans(rs.X, np.asarray(coef).reshape(-1))


def cif_controle(o: Ontwerp, rs: Risicoset, e_pat: np.ndarray, w_client: np.ndarray, H: int) -> tuple[np.ndarray, np.ndarray]:
    """ATT-weighted CIF of werk among not-yet-treated controls; returns (cif, control weights per row)."""
    cif, _, w = cif_controle_beide(o, rs, e_pat, w_client, H)
    return cif, w


def cif_controle_beide(o: Ontwerp, rs: Risicoset, e_pat: np.ndarray, w_client: np.ndarray,
                       H: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`cif_controle`, with the controls' CIF of the other exits: (cif_werk, cif_ander, weights)."""
    odds = e_pat / (1.0 - e_pat)
    w = w_client[o.r_client[rs.rijen]] * odds[rs.lokaal]
    cif, cif_o, _ = aalen_johansen(o.r_T[rs.rijen], o.r_eind[rs.rijen], w, H)
    return cif, cif_o, w


def cif_naief(o: Ontwerp, rs: Risicoset, instr: int, w_client: np.ndarray, H: int) -> np.ndarray:
    """CIF of werk among never-participants on benefit at the same month d (no covariate correction).

    Each never-participant person-month of the categorie is an entry, weighted so that the months d
    have the participants' distribution (the only thing a naive comparison aligns on is the duration).
    """
    dn = _deelnemers(o, instr, rs.categorie)
    rij = rs.rijen[rs.nooit]
    wr = w_client[o.r_client[rij]]
    md = int(max(o.r_maand.max(), 0)) + 1
    num = np.bincount(o.p_maand[dn], weights=w_client[o.p_client[dn]], minlength=md)
    den = np.bincount(o.r_maand[rij], weights=wr, minlength=md)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(den > 0, num / den, 0.0)
    cif, _, _ = aalen_johansen(o.r_T[rij], o.r_eind[rij], wr * ratio[o.r_maand[rij]], H)
    return cif
