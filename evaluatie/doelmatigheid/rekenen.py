"""The definitions, as pure functions on arrays (rows = bootstrap replicates or the point estimate, columns =
months 1..H). No effect estimation here: the curves come from :meth:`Effectresultaat.reeks`.

Definitions (per participant of a cell, month t after the start of the instrument):

- ``M(t)`` benefit months saved in months 1..t = controle - deelnemers (minus ``uitkeringsmaanden_verschil``);
- gemeente: cumulative saving ``S_g(t) = aandeel * U * M(t)`` (no discounting: the budget years are short);
- maatschappij: ``S_m(t) = U * sum_{s<=t} (M(s) - M(s-1)) * (1 + r) ** (-s / 12)`` (month s discounted s/12
  years at rate r);
- net saving ``N(h) = S(h) - K`` (K = instrument cost per participant, paid at the start);
- terugverdientijd = the first month t with ``S(t) >= K``; none within H months is an answer;
- cost per extra exit to work ``K / att(h)`` (per extra durable exit ``K / att_duurzaam(h)``); with
  ``att(h) <= 0`` there is no extra exit and the ratio is infinite.
"""
from __future__ import annotations

import numpy as np


def besparing(maanden_bespaard: np.ndarray, uitkering: float, *, aandeel: float = 1.0,
              disconto: float | None = None) -> np.ndarray:
    """Cumulative saving in euro per participant over months 1..H.

    Parameters
    ----------
    maanden_bespaard : ndarray (..., H)
        Cumulative benefit months saved ``M(t)``.
    uitkering : float
        Cost of one benefit month (euro).
    aandeel : float
        Share of the saving counted (gemeente: the share it keeps under the BUIG).
    disconto : float or None
        Yearly discount rate (maatschappij); None = no discounting.
    """
    m = np.asarray(maanden_bespaard, dtype=float)
    if disconto is None:
        return aandeel * uitkering * m
    H = m.shape[-1]
    stap = np.diff(m, axis=-1, prepend=0.0)
    factor = (1.0 + disconto) ** (-np.arange(1, H + 1) / 12.0)
    return aandeel * uitkering * np.cumsum(stap * factor, axis=-1)


def netto(besparing_cum: np.ndarray, kosten: float, horizon: int) -> np.ndarray:
    """Net saving per participant at ``horizon`` months: ``S(h) - K``."""
    return np.asarray(besparing_cum, dtype=float)[..., horizon - 1] - kosten


def terugverdientijd(besparing_cum: np.ndarray, kosten: float) -> np.ndarray:
    """First month t (1..H) with ``S(t) >= K``; NaN = not within H months. Shape: the curve's without H."""
    s = np.asarray(besparing_cum, dtype=float)
    ok = s >= kosten
    eerste = np.argmax(ok, axis=-1) + 1.0
    return np.where(ok.any(axis=-1), eerste, np.nan)


def kosten_per_extra(kosten: float, att: np.ndarray) -> np.ndarray:
    """Cost per extra exit ``K / att``; ``inf`` where ``att <= 0`` (no extra exits bought)."""
    a = np.asarray(att, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a > 0, kosten / np.where(a > 0, a, 1.0), np.inf)


def samenvatting(punt: float, reps: np.ndarray, niveau: float = 0.95) -> tuple[float, float, float, float]:
    """(estimate, ci_laag, ci_hoog, P(> 0)) from the point value and its replicates (percentile interval,
    ``P`` = share of replicates above 0; NaN without replicates)."""
    r = np.asarray(reps, dtype=float)
    r = r[~np.isnan(r)]
    if r.size == 0:
        return float(punt), np.nan, np.nan, np.nan
    a = (1.0 - niveau) / 2.0
    lo, hi = np.quantile(r, [a, 1.0 - a])
    return float(punt), float(lo), float(hi), float(np.mean(r > 0))
