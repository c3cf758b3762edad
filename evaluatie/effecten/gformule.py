"""Parametric g-formula: predicted cumulative incidence of exit to werk without any instrument.

The monthly exit model (multinomial logit: stay / werk / other exit) is fitted on the *untreated*
person-months only (spells before any instrument started, and spells that never start one). Under
sequential ignorability (no unobserved confounding of the start decision given the covariates and the
duration on benefit) these hazards are the no-instrument hazards of participants too, so projecting
them from the start month ``d`` gives ``CIF0`` for the ``att_nooit`` estimand (no instrument in the
spell from ``d`` on). Fitting on untreated rows only means the treatment effect needs no functional
form (no constant log-odds shift is assumed).
"""
from __future__ import annotations

import numpy as np

from evaluatie.effecten.hazardmodel import Fit, fit_mnlogit, newton_vast
from evaluatie.effecten.ontwerp import Ontwerp
from evaluatie.effecten.toestand import cif_markov, overgangsmatrix, overgangstellingen


def hazard_tellingen(o: Ontwerp, w_client: np.ndarray) -> np.ndarray:
    """Weighted counts (P x 3: stay, werk, other) of untreated person-months per covariate pattern."""
    m = o.r_onbehandeld
    w = w_client[o.r_client[m]]
    P = o.X.shape[0]
    return np.bincount(o.r_pat[m] * 3 + o.r_y[m], weights=w, minlength=3 * P).reshape(P, 3)


RIDGE = 1e-4


def fit_hazard(o: Ontwerp, w_client: np.ndarray) -> Fit:
    """Fit the no-instrument exit model on untreated person-months with client weights (to convergence)."""
    return fit_mnlogit(o.X, hazard_tellingen(o, w_client), ridge=RIDGE)


def stap_hazard(o: Ontwerp, w_client: np.ndarray, vorige: Fit, *, stappen: int = 3) -> np.ndarray:
    """Bootstrap replicate of :func:`fit_hazard`: ``stappen`` fixed-information Newton steps from ``vorige``
    (the point estimate); returns the coefficients."""
    return newton_vast(o.X, hazard_tellingen(o, w_client), vorige, stappen=stappen, ridge=RIDGE, XT=o.XT)


def overgangen_onbehandeld(o: Ontwerp, w_client: np.ndarray) -> np.ndarray:
    """Monthly transition matrix of the classification state in untreated months (client weights)."""
    return overgangsmatrix(overgangstellingen(o.toestanden, w_client[o.r_client], o.r_onbehandeld))


def eta_toestand(o: Ontwerp, coef: np.ndarray) -> np.ndarray:
    """State part of the linear predictors, (n_bands, S, 2)."""
    Xs = o.toestanden.Xs
    return (Xs.reshape(-1, Xs.shape[2]) @ np.asarray(coef).reshape(Xs.shape[2], -1)).reshape(Xs.shape[0], Xs.shape[1], -1)


def cif0_deelnemers(o: Ontwerp, coef: np.ndarray, P0: np.ndarray) -> np.ndarray:
    """Predicted no-instrument CIF of werk for every participant, months 1..Hp from the start month.

    The classification evolves by the untreated transition matrix ``P0`` (:mod:`evaluatie.effecten.toestand`).
    """
    eta = (o.X_proj @ np.asarray(coef).reshape(o.X_proj.shape[1], -1))[o.proj_idx]
    return cif_markov(eta, o.proj_band, eta_toestand(o, coef), P0, o.p_toestand)
