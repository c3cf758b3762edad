"""The population: inflow of new clients since the burn-in year, their first spells, and terugval spells.

Monthly inflow of new clients runs from January of ``cfg.burnin_vanaf`` to the peildatum month; its size
is ``n_clienten * cfg.instroom_per_client`` per month times a calendar-year factor (crisis years higher).
Nuggers are extra clients without benefit spells and without trajectories (one classification row each).
Terugval: after an exit to work the client returns with a monthly hazard (``cfg.terugval_hazard``, shifted
by the ``baan`` effect of the spell's instrument); the new spell starts on the first of month ``e + j + 1``
(``e`` = exit month, ``j`` >= 1 = work month in which the job was lost), so there is always at least one
month off benefit between two spells. The same rule runs in every world (see :mod:`evaluatie.simulatie.keten`).
"""
from __future__ import annotations

import numpy as np

from evaluatie.simulatie import trekkingen as tr
from evaluatie.simulatie.config import HVWB_GEMEENTEN, SimulatieConfig
from evaluatie.simulatie.paden import Clienten, Paden, Spells
from evaluatie.simulatie.trajecten import Instrumenttabellen

_INSTROOM_JAARFACTOR = {
    2009: 1.0, 2010: 1.05, 2011: 1.1, 2012: 1.2, 2013: 1.25, 2014: 1.2, 2015: 1.15, 2016: 1.15,
    2017: 1.05, 2018: 0.95, 2019: 0.92,
}
#: Share of statushouders in the inflow per year (about 13 % on average from 2015).
_STATUSHOUDER = {2013: 0.05, 2014: 0.08, 2015: 0.13, 2016: 0.18, 2017: 0.15, 2018: 0.11, 2019: 0.09}
_AANDEEL_JONG = 0.17


def _jaarwaarde(tabel: dict[int, float], jaar: np.ndarray, standaard: float) -> np.ndarray:
    return np.array([tabel.get(int(j), standaard) for j in jaar])


def instroom(cfg: SimulatieConfig, n_clienten: int, rng: np.random.Generator) -> tuple[Clienten, Spells, np.ndarray]:
    """Draw all new clients (first inflow) and nuggers.

    Returns
    -------
    clienten : Clienten
        All clients; nuggers get the last client numbers.
    spells : Spells
        The first spell of every non-nugger client.
    nugger_instroom : ndarray
        Per nugger (in order) the absolute month of its classification and its categorie, shape (2, n).
    """
    t0, t1 = cfg.burnin_vanaf * 12, cfg.venster[1] * 12 + 11
    maanden = np.arange(t0, t1 + 1)
    jaren = maanden // 12
    lam = n_clienten * cfg.instroom_per_client * _jaarwaarde(_INSTROOM_JAARFACTOR, jaren, 0.85)
    aantallen = rng.poisson(lam)
    start = np.repeat(maanden, aantallen).astype(np.int64)
    n_nug = int(round(cfg.aandeel_nuggers * n_clienten))
    # nuggers: "known since" a month in the window
    nug_t = rng.integers(cfg.venster[0] * 12, t1 + 1, size=n_nug)
    t_in = np.concatenate([start, nug_t])
    n = t_in.size
    jaar_in = t_in // 12

    jong = rng.random(n) < _AANDEEL_JONG
    leeftijd = np.where(jong, 18.0 + 9.0 * rng.random(n), 27.0 + 38.0 * rng.beta(1.5, 1.9, size=n))
    geboorte = t_in - np.floor(leeftijd * 12).astype(np.int64)
    geslacht = rng.choice(3, size=n, p=[0.445, 0.55, 0.005])
    opleiding = rng.choice(4, size=n, p=[0.50, 0.33, 0.09, 0.08])
    sth = rng.random(n) < _jaarwaarde(_STATUSHOUDER, jaar_in, 0.04)
    so = rng.random(n) < np.where(jong, 0.25, 0.02)
    inw = np.array([v[1] for v in HVWB_GEMEENTEN.values()], dtype=float)
    gemeente = rng.choice(len(inw), size=n, p=inw / inw.sum())
    u = rng.standard_normal(n)
    nugger = np.zeros(n, dtype=bool)
    nugger[start.size:] = True
    clienten = Clienten(geboorte, geslacht, opleiding, sth, so, gemeente, u, nugger)

    # intake categorie: multinomial logit, C reference
    ea = cfg.intake_logit_a + 0.6 * (opleiding == 2) - 0.4 * (opleiding == 0) - 1.0 * sth - 0.7 * (leeftijd >= 50)
    eb = cfg.intake_logit_b + 0.3 * jong + 0.5 * so - 0.3 * sth
    pa = np.exp(ea) / (1 + np.exp(ea) + np.exp(eb))
    pb = np.exp(eb) / (1 + np.exp(ea) + np.exp(eb))
    uc = rng.random(n)
    cat0 = np.where(uc < pa, 0, np.where(uc < pa + pb, 1, 2)).astype(np.int8)
    ns = start.size
    spells = Spells(tr.nieuwe_sleutels(rng, ns), np.arange(ns, dtype=np.int64), start, cat0[:ns])
    return clienten, spells, np.vstack([nug_t.astype(np.int64), cat0[ns:].astype(np.int64)])


#: Longest job simulated (work months); a return after it is not drawn.
JMAX = 12 * 40


def terugvalkans(cfg: SimulatieConfig, baan: np.ndarray | float) -> np.ndarray:
    """Cumulative probability of having returned (lost the job) by work month ``j`` = 1..JMAX.

    Parameters
    ----------
    cfg : SimulatieConfig
        ``terugval_hazard``: monthly hazards in work months 1-6, 7-12 and later.
    baan : float or ndarray
        Shift of the log-odds of every monthly hazard (an instrument's ``baan`` effect); an array gives
        one row per element.

    Returns
    -------
    ndarray, shape ``(..., JMAX)``
    """
    j = np.arange(1, JMAX + 1)
    h1, h2, h3 = cfg.terugval_hazard
    h = np.where(j <= 6, h1, np.where(j <= 12, h2, h3))
    b = np.asarray(baan, dtype=float)[..., None]
    with np.errstate(divide="ignore"):
        logit = np.log(h) - np.log1p(-h)
    hb = np.where(h > 0, 1.0 / (1.0 + np.exp(-(logit + b))), 0.0)
    return 1.0 - np.cumprod(1.0 - hb, axis=-1)


def baanduur(cfg: SimulatieConfig, tab: Instrumenttabellen, spells: Spells, paden: Paden) -> np.ndarray:
    """Work month ``jj`` (>= 1) in which the job after an exit to work is lost; JMAX + 1 = not within JMAX.

    The draw is the spell's common random number of stream ``TERUGVAL`` (the same in every world); the
    spell's trajectory (if any) shifts the hazard by its ``baan`` effect. Only meaningful where
    ``paden.reden == 1``.
    """
    n = len(spells)
    uit = np.full(n, JMAX + 1, dtype=np.int64)
    werk = np.flatnonzero(paden.reden == 1)
    if werk.size == 0:
        return uit
    ins = paden.instrument[werk].astype(np.int64)
    cs = paden.cat_start[werk].astype(np.int64)
    shift = np.where(ins >= 0, tab.baan[np.maximum(ins, 0), np.maximum(cs, 0)], 0.0)
    u = tr.uniform(spells.key[werk], 0, tr.TERUGVAL)
    jj = np.empty(werk.size, dtype=np.int64)
    for s in np.unique(shift):
        m = shift == s
        jj[m] = np.searchsorted(terugvalkans(cfg, float(s)), u[m], side="right") + 1
    uit[werk] = jj
    return uit


def terugval(cfg: SimulatieConfig, tab: Instrumenttabellen, spells: Spells, paden: Paden, geboorte: np.ndarray,
             t_max: int) -> tuple[Spells, np.ndarray]:
    """New spells of clients who return to benefit after an exit to work, starting no later than ``t_max``.

    The new spell starts on the first of month ``e + jj + 1`` (``e`` = absolute exit month, ``jj`` from
    :func:`baanduur`), with the categorie at the exit and a key derived from the old spell's key (so it is
    the same spell in every world). Nobody returns at or after the AOW age (``geboorte``: absolute month
    of birth per client).

    Returns
    -------
    spells : Spells
        The new spells.
    ouder : ndarray of int
        Per new spell the index (in ``spells``) of the spell it follows.
    """
    jj = baanduur(cfg, tab, spells, paden)
    werk = np.flatnonzero(paden.reden == 1)
    e = spells.start[werk] + paden.eind[werk]
    nieuw_start = e + jj[werk] + 1
    ok = ((jj[werk] <= JMAX) & (nieuw_start <= t_max)
          & (nieuw_start - geboorte[spells.client[werk]] < cfg.aow_leeftijd_maanden))
    w = werk[ok]
    nieuw = Spells(tr.afgeleide_sleutels(spells.key[w]), spells.client[w], nieuw_start[ok].astype(np.int64),
                   paden.cat_eind[w].astype(np.int8))
    return nieuw, w
