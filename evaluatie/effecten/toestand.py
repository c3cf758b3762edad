"""Time-varying covariates in the g-formula: categorie and trede as a Markov state.

Clients are reclassified while on benefit (doorstroom B -> A, C -> B, a new trede), and the exit hazard
depends on the classification in force. A g-formula that holds the classification at its value in the
start month answers "what if nobody were reclassified", not "what would have happened": over a few
years the no-instrument curve then falls short of the truth and the share of outflow attributed to
instruments is overstated (measured on the simulator: 4.7% estimated vs 3.3% true at 40,000 clients).

So the projection integrates over the classification path. The *state* of a person-month is the
combination of the time-varying covariates (``categorie``, ``trede``, where modelled); a monthly
transition matrix ``P[s, s']`` is estimated from consecutive months of one spell (frequencies, with the
same client weights as everything else, so the bootstrap re-estimates it), and the distribution over
states of those still at risk is carried forward month by month:

``a(t+1) = (a(t) * (1 - h_werk(t) - h_ander(t))) @ P``, ``CIF(t) = CIF(t-1) + sum_s a_s(t) h_werk,s(t)``.

The no-instrument curve uses transitions of untreated months; the participants' curve those of the
cell's own post-start months, shrunk toward the untreated matrix with :data:`KAPPA` pseudo-months per
state (an instrument may itself change the classification, e.g. B -> A after a traject; that is part of
its effect). Assumption: the transitions are time-homogeneous (no dependence on duration or calendar
time) and depend on the past only through the current state.

The linear predictor is additive in the design's dummies except for the duration x categorie
interaction, so ``eta(pattern with state s) = eta(pattern with state 0) + eta_s[band, s]`` and the
projected patterns need not be multiplied by the number of states (checked in the tests).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.effecten.hazardmodel import Codering, design

#: Covariates treated as time-varying state (when modelled).
TOESTANDSKOLOMMEN: tuple[str, ...] = ("categorie", "trede")

#: Pseudo-months per state with which a cell's own transitions are shrunk toward the untreated ones.
KAPPA: float = 24.0


@dataclass(frozen=True)
class Toestanden:
    """The state of every person-month and the month-to-month pairs that estimate the transitions.

    Attributes
    ----------
    kolommen : tuple of int
        Positions in the code matrix (column 0 = duration band) of the state covariates.
    codes : ndarray (S, len(kolommen))
        Codes of each state.
    r_toestand : ndarray (n_rows,)
        State of each person-month.
    paar_rij : ndarray
        Rows ``r`` whose next row ``r + 1`` is the next month of the same spell.
    paar_van, paar_naar : ndarray
        State in month ``r`` and in month ``r + 1``.
    Xs : ndarray (n_bands, S, k)
        Design contribution of state ``s`` in duration band ``b`` (relative to state codes 0).
    """

    kolommen: tuple[int, ...]
    codes: np.ndarray
    r_toestand: np.ndarray
    paar_rij: np.ndarray
    paar_van: np.ndarray
    paar_naar: np.ndarray
    Xs: np.ndarray

    @property
    def S(self) -> int:
        """Number of states."""
        return int(self.codes.shape[0])


def maak_toestanden(code_rows: np.ndarray, cod: Codering, spell: np.ndarray, maand: np.ndarray) -> Toestanden:
    """States of the rows of a person-month table (sorted by spell and month) and their transitions.

    Parameters
    ----------
    code_rows : ndarray (n, 1 + covariates)
        Integer codes of the rows (:func:`evaluatie.effecten.hazardmodel.codes`).
    cod : Codering
    spell, maand : ndarray
        Spell id and month of each row.
    """
    kol = tuple(1 + cod.kolommen.index(c) for c in TOESTANDSKOLOMMEN if c in cod.kolommen)
    n = code_rows.shape[0]
    if kol:
        st, r_t = np.unique(code_rows[:, list(kol)], axis=0, return_inverse=True)
        r_t = r_t.reshape(-1).astype(np.int64)
    else:
        st, r_t = np.zeros((1, 0), np.int64), np.zeros(n, np.int64)
    volgt = (spell[1:] == spell[:-1]) & (maand[1:] == maand[:-1] + 1)
    paar = np.nonzero(volgt)[0]
    nb = len(cod.spec.duurgrenzen)
    S = st.shape[0]
    basis = np.zeros((nb * S, code_rows.shape[1]), np.int64)
    basis[:, 0] = np.repeat(np.arange(nb), S)
    met = basis.copy()
    if kol:
        met[:, list(kol)] = np.tile(st, (nb, 1))
    Xs = (design(met, cod) - design(basis, cod)).reshape(nb, S, -1)
    return Toestanden(kol, st, r_t, paar, r_t[paar], r_t[paar + 1], Xs)


def zonder_toestand(code_rows: np.ndarray, t: Toestanden) -> np.ndarray:
    """Copy of ``code_rows`` with the state covariates set to code 0 (the reference state)."""
    out = code_rows.copy()
    if t.kolommen:
        out[:, list(t.kolommen)] = 0
    return out


def overgangstellingen(t: Toestanden, w_rij: np.ndarray, selectie: np.ndarray) -> np.ndarray:
    """Weighted transition counts ``C[s, s']`` over the pairs whose first row is selected.

    Parameters
    ----------
    w_rij : ndarray (n_rows,)
        Weight of each row (the client's weight).
    selectie : ndarray of bool (n_rows,)
        Which first rows count.
    """
    S = t.S
    m = selectie[t.paar_rij]
    return np.bincount(t.paar_van[m] * S + t.paar_naar[m], weights=w_rij[t.paar_rij[m]], minlength=S * S).reshape(S, S)


def overgangsmatrix(tellingen: np.ndarray, prior: np.ndarray | None = None, kappa: float = KAPPA) -> np.ndarray:
    """Row-normalised transition matrix; states without observed transitions stay where they are.

    With ``prior`` (a transition matrix) the counts are shrunk toward it with ``kappa`` pseudo-months
    per state: ``(C + kappa * prior) / (C.sum(1) + kappa)``.
    """
    C = np.asarray(tellingen, dtype=float)
    S = C.shape[0]
    if prior is not None:
        C = C + kappa * prior
    tot = C.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = np.where(tot > 0, C / tot, 0.0)
    leeg = tot[:, 0] <= 0
    P[leeg] = np.eye(S)[leeg]
    return P


def cif_markov(eta_basis: np.ndarray, band: np.ndarray, eta_toestand: np.ndarray, P: np.ndarray,
               start: np.ndarray, pad: np.ndarray | None = None, ander: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Cumulative incidence of werk, integrating over the state path.

    Parameters
    ----------
    eta_basis : ndarray (n, H, 2)
        Linear predictors (werk, other exit) with the state covariates at the reference state.
    band : ndarray (n, H)
        Duration band of each projected month.
    eta_toestand : ndarray (n_bands, S, 2)
        State part of the linear predictor per duration band.
    P : ndarray (S, S)
        Monthly transition matrix.
    start : ndarray (n,)
        State in the first projected month.
    pad : ndarray (H, 2), optional
        Added to every linear predictor in month ``t`` (the participants' since-start path).
    ander : bool
        Also return the cumulative incidence of the other exits (the months-on-benefit projection of
        :mod:`evaluatie.effecten.na_uitstroom` needs the survival ``1 - CIF_werk - CIF_ander``).

    Returns
    -------
    ndarray (n, H): ``CIF(t)`` for months 1..H; with ``ander`` the tuple ``(CIF_werk, CIF_ander)``.
    """
    n, H, _ = eta_basis.shape
    S = P.shape[0]
    # exp(eta_basis + eta_state + pad) factorises, so only n*H + n_bands*S exponentials are needed
    eb = np.exp(np.clip(eta_basis, -50.0, 50.0))
    es = np.exp(np.clip(eta_toestand, -50.0, 50.0))
    ep = np.ones((H, 2)) if pad is None else np.exp(np.clip(pad, -50.0, 50.0))
    a = np.zeros((n, S))
    a[np.arange(n), start] = 1.0
    cif = np.empty((n, H))
    acc = np.zeros(n)
    cif_o = np.empty((n, H)) if ander else None
    acc_o = np.zeros(n)
    for m in range(H):
        esm = es[band[:, m]]                                  # (n, S, 2)
        ew = (eb[:, m, 0] * ep[m, 0])[:, None] * esm[..., 0]
        eo = (eb[:, m, 1] * ep[m, 1])[:, None] * esm[..., 1]
        blijf = 1.0 / (1.0 + ew + eo)
        ab = a * blijf
        acc = acc + (ab * ew).sum(axis=1)
        cif[:, m] = acc
        if cif_o is not None:
            acc_o = acc_o + (ab * eo).sum(axis=1)
            cif_o[:, m] = acc_o
        a = ab @ P
    return (cif, cif_o) if cif_o is not None else cif
