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
from evaluatie.simulatie.hazards import duurfactor, overige_logits, werk_logit
from evaluatie.simulatie.paden import Clienten, Paden, Spells
from evaluatie.simulatie.populatie import terugvalkans
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
    cl, start, d, ins, duur, cs, s0 = _deelnemers(spells, feit, deelnemers)
    if np.any(s0 // N_TREDEN != cs):
        raise AssertionError("categorie bij de start wijkt af van de classificatie")
    cat_s = np.repeat(np.arange(3), N_TREDEN)[None, :]
    trede_s = np.tile(np.arange(1, N_TREDEN + 1), 3)[None, :]
    geb, opl = clienten.geboorte[cl][:, None], clienten.opleiding[cl][:, None]
    sth = clienten.statushouder[cl].astype(np.float64)[:, None]
    gef = gemeente_effect[clienten.gemeente[cl]][:, None]
    uu = clienten.u[cl][:, None]
    lock = tab.lock_in[ins, cs][:, None]
    na = tab.na[ins, cs][:, None] + _extra(cfg, ins, sth, start, d, geb)
    uit = {}
    for wereld, effect in (("met", True), ("zonder", False)):
        a = np.zeros((n, S))
        a[np.arange(n), s0] = 1.0
        cif = np.empty((n, H))
        acc = np.zeros(n)
        for t in range(H):
            if t > 0:
                a = a @ P
            pw, blijf, absm, leeftijd, pensioen, (verh, huis, ov) = _maandkansen(
                cfg, d + t, start=start, geb=geb, cat_s=cat_s, opl=opl, sth=sth, gef=gef, trede_s=trede_s, uu=uu,
                instrument=(d + duur, lock, na) if effect else None)
            acc = acc + (a * pw).sum(axis=1)
            cif[:, t] = acc
            a = a * blijf
        uit[wereld] = cif
    return Verwachting(uit["met"], uit["zonder"])


@dataclass(frozen=True)
class VerwachtingNa:
    """Expected outcomes after the first exit for each participant, with and without the instrument.

    Attributes
    ----------
    duurzaam_met, duurzaam_zonder : dict of int to ndarray
        Per k an (n_part, H) array: probability of an exit to work within h = 1..H months of the start
        and no new benefit spell within k months of that exit.
    op_uitkering_met, op_uitkering_zonder : ndarray
        (n_part, Hu): probability of being on benefit (any spell) in month t = 0..Hu-1 after the start
        month; the row sums over the first H months are the expected months on benefit.
    """

    duurzaam_met: dict[int, np.ndarray]
    duurzaam_zonder: dict[int, np.ndarray]
    op_uitkering_met: np.ndarray
    op_uitkering_zonder: np.ndarray


def _per_categorie(x: np.ndarray) -> np.ndarray:
    """Sum (..., 18) state probabilities over the treden: (..., 3)."""
    return x.reshape(*x.shape[:-1], 3, N_TREDEN).sum(axis=-1)


def verwachte_na_uitstroom(*, cfg: SimulatieConfig, tab: Instrumenttabellen, spells: Spells, clienten: Clienten,
                           feit: Paden, deelnemers: np.ndarray, gemeente_effect: np.ndarray, H: int,
                           Hu: int) -> VerwachtingNa:
    """Expected durable exit and months on benefit of ``deelnemers``, exactly from the true hazards.

    The first spell is carried forward from the start month as in :func:`verwachte_cif`. An exit to work
    in absolute month ``e`` is followed by a return spell starting in ``e + j + 1`` with probability
    ``P(J = j)`` from :func:`evaluatie.simulatie.populatie.terugvalkans` (shifted by the instrument's
    ``baan`` effect in the world with the instrument), unless the client has the AOW age by then. A return
    spell starts with the categorie at the exit and a trede drawn from that categorie's distribution, has
    its own duration dependence (spell month 0 at its start), the same hazards and doorstroom, and can end
    in work and be followed by a further return (a job after a return spell has no ``baan`` shift).
    State: the first spell's classification (18 states) and, for return spells, (start month, 18 states).
    For speed the return spells use that :func:`~evaluatie.simulatie.hazards.werk_logit` is additive in the
    spell month (:func:`~evaluatie.simulatie.hazards.duurfactor`; checked in the tests).

    Return spells start no instrument here, in both worlds. In the simulated observed world a return
    spell may start one; that part of the realised truth (a few per cent of the participants return
    within the horizon and then start a new trajectory) is not in this expectation.

    Parameters
    ----------
    H : int
        Months of the durable-exit probabilities (h = 1..H).
    Hu : int
        Months of the occupation probabilities (t = 0..Hu-1).
    """
    n = len(deelnemers)
    S = 3 * N_TREDEN
    P = _overgang(cfg)
    cl, start, d, ins, duur, cs, s0 = _deelnemers(spells, feit, deelnemers)
    cat_s = np.repeat(np.arange(3), N_TREDEN)[None, :]
    trede_s = np.tile(np.arange(1, N_TREDEN + 1), 3)[None, :]
    geb, opl = clienten.geboorte[cl][:, None], clienten.opleiding[cl][:, None]
    sth = clienten.statushouder[cl].astype(np.float64)[:, None]
    gef = gemeente_effect[clienten.gemeente[cl]][:, None]
    uu = clienten.u[cl][:, None]
    lock = tab.lock_in[ins, cs][:, None]
    na = tab.na[ins, cs][:, None] + _extra(cfg, ins, sth, start, d, geb)
    # P(J = j), j = 1..Hu, without and with the instrument's baan shift
    f0 = terugvalkans(cfg, 0.0)[:Hu]
    p0 = np.diff(np.r_[0.0, f0])[None, :]
    f1 = terugvalkans(cfg, tab.baan[ins, cs])[:, :Hu]
    p1 = np.diff(np.c_[np.zeros(n), f1], axis=1)
    trede_p = np.zeros((3, S))
    for c in range(3):
        trede_p[c, c * N_TREDEN:(c + 1) * N_TREDEN] = _TREDE_P[c]
    js = np.arange(1, Hu + 1)
    T = max(H, Hu)
    eq = np.exp(duurfactor(cfg, np.arange(Hu)))
    duurzaam: dict[str, dict[int, np.ndarray]] = {}
    bezetting: dict[str, np.ndarray] = {}
    for wereld, effect in (("met", True), ("zonder", False)):
        pj = p1 if effect else np.broadcast_to(p0, (n, Hu))
        a = np.zeros((n, S))
        a[np.arange(n), s0] = 1.0
        B = np.zeros((n, Hu, S))             # return spells by start month (relative) and state
        instroom = np.zeros((n, Hu, 3))      # mass entering a return spell, by relative month and categorie
        occ = np.zeros((n, Hu))
        dz = {k: np.zeros((n, H)) for k in cfg.duurzaam}
        acc = {k: np.zeros(n) for k in cfg.duurzaam}
        for t in range(T):
            if t > 0:
                a = a @ P
            pw, blijf, absm, leeftijd, pensioen, (verh, huis, ov) = _maandkansen(
                cfg, d + t, start=start, geb=geb, cat_s=cat_s, opl=opl, sth=sth, gef=gef, trede_s=trede_s, uu=uu,
                instrument=(d + duur, lock, na) if effect else None)
            if t < Hu:
                occ[:, t] += a.sum(axis=1)
            wc = _per_categorie(a * pw)                                   # (n, 3) exits to work now
            # a return in absm + j + 1 only before the AOW age
            terug_ok = (absm + js[None, :] + 1 - geb) < cfg.aow_leeftijd_maanden   # (n, Hu)
            pr = pj * terug_ok
            if t < H:
                for k in cfg.duurzaam:
                    acc[k] = acc[k] + wc.sum(axis=1) * (1.0 - pr[:, :k - 1].sum(axis=1))
                    dz[k][:, t] = acc[k]
            a = a * blijf
            if t < Hu:
                _plan(instroom, wc, pr, t)
                # slots 0 and 1 never receive mass (a return starts >= 2 months after the exit)
                if t > 2:
                    B[:, 2:t] = B[:, 2:t] @ P
                B[:, t] = instroom[:, t] @ trede_p
                if t < 2:
                    continue
                # werk_logit is additive in the spell month: exp(eta) = exp(eta at month 0) * exp(q(month))
                e0 = np.exp(werk_logit(cfg=cfg, categorie=cat_s, maand=0, leeftijd=leeftijd, opleiding=opl,
                                       statushouder=sth, jaar=absm // 12, gemeente_effect=gef, trede=trede_s, u=uu))
                ew_r = e0[:, None, :] * eq[None, t - 2::-1, None]
                noemer_r = ew_r + (1.0 + np.exp(verh) + np.exp(huis) + np.exp(ov))[:, :, None]
                Bt = B[:, 2:t + 1]
                occ[:, t] += Bt.sum(axis=(1, 2))
                wr = _per_categorie((Bt * ew_r / noemer_r).sum(axis=1))
                wr[pensioen] = 0.0
                _plan(instroom, wr, np.broadcast_to(p0, (n, Hu)) * terug_ok, t)
                Bt /= noemer_r
                Bt[pensioen] = 0.0
        duurzaam[wereld] = dz
        bezetting[wereld] = occ
    return VerwachtingNa(duurzaam["met"], duurzaam["zonder"], bezetting["met"], bezetting["zonder"])


def _plan(instroom: np.ndarray, wc: np.ndarray, pr: np.ndarray, t: int) -> None:
    """Add the returns of the exits to work ``wc`` (n, 3) in month t: slot t + j + 1 gets wc * pr[:, j-1]."""
    Hu = instroom.shape[1]
    nj = Hu - t - 2
    if nj <= 0:
        return
    instroom[:, t + 2:, :] += wc[:, None, :] * pr[:, :nj, None]


def _maandkansen(cfg, maand, *, start, geb, cat_s, opl, sth, gef, trede_s, uu, instrument=None):  # noqa: ANN001
    """Per spell and state in spell month ``maand``: the chance of an exit to work and of staying (both 0 at AOW
    age), the absolute month, the age, the AOW mask and the other exits' log-odds.

    ``instrument`` is ``(end month, lock-in, after-effect)`` in the world with the instrument, None without.
    """
    m = maand[:, None]
    absm = start[:, None] + m
    leeftijd = (absm - geb) // 12
    eta_w = werk_logit(cfg=cfg, categorie=cat_s, maand=m, leeftijd=leeftijd, opleiding=opl, statushouder=sth,
                       jaar=absm // 12, gemeente_effect=gef, trede=trede_s, u=uu)
    if instrument is not None:
        eind, lock, na = instrument
        eta_w = eta_w + np.where(m < eind[:, None], lock, na)
    verh, huis, ov = overige_logits(cfg=cfg, leeftijd=leeftijd, statushouder=sth)
    noemer = 1.0 + np.exp(eta_w) + np.exp(verh) + np.exp(huis) + np.exp(ov)
    pw = np.exp(eta_w) / noemer
    blijf = 1.0 / noemer
    pensioen = ((absm - geb) >= cfg.aow_leeftijd_maanden)[:, 0]
    pw[pensioen] = 0.0
    blijf[pensioen] = 0.0
    return pw, blijf, absm, leeftijd, pensioen, (verh, huis, ov)


def _extra(cfg: SimulatieConfig, ins: np.ndarray, sth: np.ndarray, start: np.ndarray, d: np.ndarray,
           geb: np.ndarray) -> np.ndarray:
    """Subgroup shift of the post-programme log-odds per participant, (n, 1) (issue 19; 0 by default)."""
    if not cfg.heterogeniteit:
        return np.zeros((len(ins), 1))
    from evaluatie.simulatie.heterogeniteit import extra_na
    from evaluatie.simulatie.trajecten import INSTRUMENTEN

    return extra_na(cfg.heterogeniteit, INSTRUMENTEN, ins, sth[:, 0], (start + d - geb[:, 0]) // 12)[:, None]


def _deelnemers(spells, feit, deelnemers):  # noqa: ANN001
    """The participants' client, spell start, start month, instrument, duration, categorie and state at the start."""
    return (spells.client[deelnemers], spells.start[deelnemers].astype(np.int64), feit.d[deelnemers].astype(np.int64),
            feit.instrument[deelnemers].astype(np.int64), feit.duur[deelnemers].astype(np.int64),
            feit.cat_start[deelnemers].astype(np.int64), toestand_bij_start(feit, deelnemers))
