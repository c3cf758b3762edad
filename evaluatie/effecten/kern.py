"""One estimation pass: every cell and the population share for one vector of client weights.

The point estimate is a pass with all weights 1; a bootstrap replicate is a pass with multinomial
client counts and warm starts from the point estimate. Everything here is a pure function of the
shared :class:`~evaluatie.effecten.ontwerp.Ontwerp`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.effecten.behandeld import Celrijen, cif1_deelnemers, fit_behandeld, maak_celrijen, overgangen_deelnemers
from evaluatie.effecten.cif import aalen_johansen
from evaluatie.effecten.gformule import cif0_deelnemers, eta_toestand, fit_hazard, overgangen_onbehandeld
from evaluatie.deadweight import deadweight, toerekenbaar_aandeel
from evaluatie.drempels import MIN_SCHATTEN
from evaluatie.effecten.hazardmodel import Fit
from evaluatie.effecten.ontwerp import Ontwerp
from evaluatie.effecten.risicoset import (Risicoset, cif_controle, cif_naief, fit_propensities_replicaat, fit_propensity,
                                          maak_risicoset, propensities)

#: Per cell, per horizon: the quantities computed in one pass (axis 1 of the result array).
GROOTHEDEN: tuple[str, ...] = (
    "cif_deelnemers_gformule", "cif_controle_gformule", "att_gformule", "deadweight_gformule",
    "cif_deelnemers_risicoset", "cif_controle_risicoset", "att_risicoset", "deadweight_risicoset",
    "cif_naief", "naief",
)
#: Population-level quantities (the same per gemeente follow them in the population vector).
POPULATIE: tuple[str, ...] = ("toerekenbaar_aandeel", "toegerekende_uitstroom", "uitstroom_werk", "deelnemers_werk")

ALLE = "alle"


@dataclass(frozen=True)
class Cel:
    """An instrument x categorie cell (``instr`` / ``cat`` = -1: pooled over instruments / categorieen)."""

    instrument: str
    categorie: str
    instr: int
    cat: int
    deelnemers: np.ndarray


@dataclass(frozen=True)
class Startwaarden:
    """Fits of the point estimate; bootstrap replicates start from them (fixed-information Newton)."""

    hazard: Fit
    propensity: tuple[Fit | None, ...]
    behandeld: tuple[Fit, ...]


def maak_cellen(o: Ontwerp, min_schatten: int = MIN_SCHATTEN) -> tuple[tuple[Cel, ...], tuple[str, ...]]:
    """Cells with at least ``min_schatten`` participants, plus pooled cells per categorie and overall."""
    cellen, warns = [], []
    for i, ins in enumerate(o.instrumenten):
        for c, cat in enumerate(o.categorieen):
            dn = np.nonzero((o.p_instr == i) & (o.p_cat == c))[0]
            if len(dn) == 0:
                continue
            if len(dn) < min_schatten:
                warns.append(f"{ins} x {cat}: {len(dn)} deelnemers (< {min_schatten}); niet geschat")
                continue
            cellen.append(Cel(ins, cat, i, c, dn))
    for c, cat in enumerate(o.categorieen):
        dn = np.nonzero(o.p_cat == c)[0]
        if len(dn):
            cellen.append(Cel(ALLE, cat, -1, c, dn))
    if len(o.p_cat):
        cellen.append(Cel(ALLE, ALLE, -1, -1, np.arange(len(o.p_cat))))
    return tuple(cellen), tuple(warns)


def maak_risicosets(o: Ontwerp) -> tuple[Risicoset, ...]:
    """One risk set per categorie code."""
    return tuple(maak_risicoset(o, c) for c in range(len(o.categorieen)))


def maak_celrijen_alle(o: Ontwerp, cellen: tuple[Cel, ...]) -> tuple[Celrijen, ...]:
    """Post-start rows per cell (for the participants' hazard path)."""
    return tuple(maak_celrijen(o, c.deelnemers) for c in cellen)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return deadweight(b, a)


def schat_pass(o: Ontwerp, cellen: tuple[Cel, ...], rsets: tuple[Risicoset, ...], crij: tuple[Celrijen, ...],
               w_client: np.ndarray, H: int, vorige: Startwaarden | None = None,
               stappen: int = 3) -> tuple[np.ndarray, np.ndarray, Startwaarden | None, dict]:
    """All estimates for one weight vector.

    Parameters
    ----------
    vorige : Startwaarden, optional
        The point estimate's fits. Given (bootstrap replicate), each model is re-estimated with
        ``stappen`` fixed-information Newton steps from them; absent, every model is fitted to convergence.

    Returns
    -------
    est : ndarray (n_cellen, len(GROOTHEDEN), H)
    pop : ndarray (len(POPULATIE) * (1 + n_gemeenten),)
        The population quantities, then the same four per gemeente (in ``o.gemeenten`` order).
    fits : Startwaarden of this pass (None for a replicate)
    extra : dict with per-participant CIF0, per-cell propensities and control weights (diagnostics)
    """
    rep = vorige is not None
    hz = fit_hazard(o, w_client, vorige=vorige.hazard if rep else None, stappen=stappen)
    hcoef = hz if rep else hz.coef
    P0 = overgangen_onbehandeld(o, w_client)
    cif0_i = cif0_deelnemers(o, hcoef, P0)  # (n_part, Hp)
    eta_proj = o.X_proj @ hcoef
    eta_s = eta_toestand(o, hcoef)
    wp = w_client[o.p_client]
    est = np.full((len(cellen), len(GROOTHEDEN), H), np.nan)
    props: list[Fit | None] = []
    behs: list[Fit] = []
    extra: dict = {"cif0_i": cif0_i, "propensity": {}, "ctrl_w": {}}
    p_rep: dict[int, np.ndarray] = {}
    if rep:  # all instruments of a categorie in one batched update
        for c in range(len(rsets)):
            ks = [k for k, cel in enumerate(cellen) if cel.instr >= 0 and cel.cat == c]
            if ks:
                B = fit_propensities_replicaat(o, rsets[c], [cellen[k].instr for k in ks], w_client,
                                               [vorige.propensity[k] for k in ks], stappen=2 * stappen)
                p_rep.update({k: B[:, j] for j, k in enumerate(ks)})
    for k, cel in enumerate(cellen):
        dn = cel.deelnemers
        w = wp[dn]
        sw = w.sum()
        bf = fit_behandeld(o, crij[k], hcoef, w_client, vorige=vorige.behandeld[k] if rep else None, stappen=stappen)
        bcoef = bf if rep else bf.coef
        if not rep:
            behs.append(bf)
        if sw > 0:
            P1 = overgangen_deelnemers(o, crij[k], w_client, P0)
            cif1 = (w[:, None] * cif1_deelnemers(o, dn, eta_proj, eta_s, bcoef, P1, H)).sum(axis=0) / sw
            cif0 = (w[:, None] * cif0_i[dn, :H]).sum(axis=0) / sw
        else:
            cif1 = cif0 = np.full(H, np.nan)
        est[k, 0] = cif1
        est[k, 1] = cif0
        est[k, 2] = cif1 - cif0
        est[k, 3] = _ratio(cif0, cif1)
        if cel.instr < 0:
            props.append(None)
            continue
        aj1, _, _ = aalen_johansen(o.p_T[dn], o.p_eind[dn], w, H)
        rs = rsets[cel.cat]
        if rep:
            pcoef = p_rep[k]
            props.append(None)
        else:
            pf = fit_propensity(o, rs, cel.instr, w_client)
            pcoef = pf.coef
            props.append(pf)
        e = propensities(o, rs, pcoef)
        cifc, wc = cif_controle(o, rs, e, w_client, H)
        est[k, 4] = aj1
        est[k, 5] = cifc
        est[k, 6] = aj1 - cifc
        est[k, 7] = _ratio(cifc, aj1)
        cn = cif_naief(o, rs, cel.instr, w_client, H)
        est[k, 8] = cn
        est[k, 9] = aj1 - cn
        if not rep:
            extra["propensity"][k] = e
            extra["ctrl_w"][k] = wc
    # population: exits to werk in the window attributable to instruments
    hv = np.minimum(o.p_hvenster, o.proj_idx.shape[1]) - 1
    zonder = cif0_i[np.arange(len(hv)), hv] if len(hv) else np.zeros(0)
    met = (o.p_eind == 1).astype(float)
    w_rij = w_client[o.r_client]
    totaal = float((w_rij * (o.r_y == 1)).sum())
    aandeel, toegerekend = toerekenbaar_aandeel(met, zonder, wp, totaal)
    pop = [aandeel, toegerekend, totaal, float((wp * met).sum())]
    if o.gemeenten:
        G = len(o.gemeenten)
        p_gem = o.p_gemeente
        werk_g = np.bincount(o.r_gemeente, weights=w_rij * (o.r_y == 1), minlength=G)
        toeg_g = np.bincount(p_gem, weights=wp * (met - zonder), minlength=G)
        met_g = np.bincount(p_gem, weights=wp * met, minlength=G)
        with np.errstate(invalid="ignore", divide="ignore"):
            aandeel_g = np.where(werk_g > 0, toeg_g / werk_g, np.nan)
        pop += list(np.column_stack([aandeel_g, toeg_g, werk_g, met_g]).ravel())
    pop = np.array(pop)
    fits = None if rep else Startwaarden(hz, tuple(props), tuple(behs))
    return est, pop, fits, extra
