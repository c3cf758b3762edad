"""Expected outcomes of the participants, computed exactly from the true hazards.

The counterfactual worlds of :mod:`evaluatie.simulatie.waarheid` give the *realised* truth: with the
same draws, ``Y1 - Y0`` of the participants who were actually simulated. That is the sample ATT, and it
carries the noise of the participants' own draws of ``Y0``, which no estimator can see: with a lock-in
effect, a participant who would have found work without the programme (``Y0 = 1``) and did not with it
(``Y1 = 0``) is in the sample truth, not in any data. A confidence interval is for the *expected*
effect of these participants given everything that determines their hazards; this module computes that
target, so coverage can be checked against the right number.

For each participant, from the start month ``d`` on, the probability of being still on benefit in each
classification state (categorie x trede) is carried forward month by month with the simulator's own
hazard functions and doorstroom probabilities (no draws): the exit hazards of
:func:`~evaluatie.simulatie.hazards.werk_logit` / :func:`~evaluatie.simulatie.hazards.overige_logits`
(plus the instrument's lock-in / after-effect in the observed world), pensioen at the AOW age, and
doorstroom B -> A / C -> B with a new trede drawn from the new categorie's distribution. The state in
month ``d`` is the participant's realised classification; the client's attributes (including the
unobserved trait) are conditioned on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.simulatie.config import SimulatieConfig
from evaluatie.simulatie.hazards import overige_logits, werk_logit
from evaluatie.simulatie.paden import Clienten, Paden, Spells
from evaluatie.simulatie.trajecten import _TREDE_P, Instrumenttabellen

N_TREDEN = 6


@dataclass(frozen=True)
class Verwachting:
    """Expected cumulative incidence of werk for each participant, months 1..H from the start."""

    met: np.ndarray     # (n_part, H) observed world (instrument from d as realised)
    zonder: np.ndarray  # (n_part, H) no instrument from d on


def _overgang(cfg: SimulatieConfig) -> np.ndarray:
    """Monthly transition matrix over the 18 states (categorie * 6 + trede - 1)."""
    S = 3 * N_TREDEN
    P = np.eye(S)
    for van, naar, p in ((1, 0, cfg.doorstroom_ba), (2, 1, cfg.doorstroom_cb)):
        for t in range(N_TREDEN):
            s = van * N_TREDEN + t
            P[s, s] = 1.0 - p
            P[s, naar * N_TREDEN:(naar + 1) * N_TREDEN] += p * _TREDE_P[naar]
    return P


def toestand_bij_start(feit: Paden, deelnemers: np.ndarray) -> np.ndarray:
    """State index (categorie * 6 + trede - 1) in force in each participant's start month."""
    kl = feit.klassen
    if kl is None:
        raise ValueError("toestand_bij_start: de feitelijke paden zijn zonder classificaties gesimuleerd")
    mm = int(kl["maand"].max()) + 1
    sleutel = kl["spell"].astype(np.int64) * mm + kl["maand"].astype(np.int64)
    volg = np.argsort(sleutel, kind="stable")
    gezocht = deelnemers.astype(np.int64) * mm + np.minimum(feit.d[deelnemers].astype(np.int64), mm - 1)
    i = volg[np.searchsorted(sleutel[volg], gezocht, side="right") - 1]
    if np.any(kl["spell"][i] != deelnemers):
        raise AssertionError("classificatie bij de start ontbreekt")
    return kl["categorie"][i].astype(np.int64) * N_TREDEN + kl["trede"][i].astype(np.int64) - 1


def verwachte_cif(*, cfg: SimulatieConfig, tab: Instrumenttabellen, spells: Spells, clienten: Clienten, feit: Paden,
                  deelnemers: np.ndarray, gemeente_effect: np.ndarray, H: int) -> Verwachting:
    """Expected CIF of werk with and without the instrument for ``deelnemers`` (spell indices).

    Parameters
    ----------
    H : int
        Months from the start (the start month = month 1).
    """
    n = len(deelnemers)
    S = 3 * N_TREDEN
    P = _overgang(cfg)
    cl = spells.client[deelnemers]
    start = spells.start[deelnemers].astype(np.int64)
    d = feit.d[deelnemers].astype(np.int64)
    ins = feit.instrument[deelnemers].astype(np.int64)
    duur = feit.duur[deelnemers].astype(np.int64)
    cs = feit.cat_start[deelnemers].astype(np.int64)
    s0 = toestand_bij_start(feit, deelnemers)
    if np.any(s0 // N_TREDEN != cs):
        raise AssertionError("categorie bij de start wijkt af van de classificatie")
    cat_s = np.repeat(np.arange(3), N_TREDEN)[None, :]
    trede_s = np.tile(np.arange(1, N_TREDEN + 1), 3)[None, :]
    geb, opl = clienten.geboorte[cl][:, None], clienten.opleiding[cl][:, None]
    sth = clienten.statushouder[cl].astype(np.float64)[:, None]
    gef = gemeente_effect[clienten.gemeente[cl]][:, None]
    uu = clienten.u[cl][:, None]
    lock = tab.lock_in[ins, cs][:, None]
    na = tab.na[ins, cs][:, None]
    uit = {}
    for wereld, effect in (("met", True), ("zonder", False)):
        a = np.zeros((n, S))
        a[np.arange(n), s0] = 1.0
        cif = np.empty((n, H))
        acc = np.zeros(n)
        for t in range(H):
            if t > 0:
                a = a @ P
            m = (d + t)[:, None]
            absm = start[:, None] + m
            leeftijd = (absm - geb) // 12
            eta_w = werk_logit(cfg=cfg, categorie=cat_s, maand=m, leeftijd=leeftijd, opleiding=opl, statushouder=sth,
                               jaar=absm // 12, gemeente_effect=gef, trede=trede_s, u=uu)
            if effect:
                eta_w = eta_w + np.where(m < (d + duur)[:, None], lock, na)
            verh, huis, ov = overige_logits(cfg=cfg, leeftijd=leeftijd, statushouder=sth)
            noemer = 1.0 + np.exp(eta_w) + np.exp(verh) + np.exp(huis) + np.exp(ov)
            pw = np.exp(eta_w) / noemer
            blijf = 1.0 / noemer
            pensioen = ((absm - geb) >= cfg.aow_leeftijd_maanden)[:, 0]
            pw[pensioen] = 0.0
            blijf[pensioen] = 0.0
            acc = acc + (a * pw).sum(axis=1)
            cif[:, t] = acc
            a = a * blijf
        uit[wereld] = cif
    return Verwachting(uit["met"], uit["zonder"])
