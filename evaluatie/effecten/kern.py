"""One estimation pass: every cell and the population share for one vector of client weights.

The point estimate is a pass with all weights 1; a bootstrap replicate is a pass with multinomial
client counts and warm starts from the point estimate. Everything here is a pure function of the
shared :class:`~evaluatie.effecten.ontwerp.Ontwerp`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.effecten.behandeld import (Celrijen, cif1_deelnemers, fit_behandeld, maak_celrijen, overgangen_deelnemers,
                                         stap_behandeld)
from evaluatie.effecten.cif import aalen_johansen
from evaluatie.effecten.gformule import cif0_deelnemers, eta_toestand, fit_hazard, overgangen_onbehandeld, stap_hazard
from evaluatie.deadweight import deadweight, toerekenbaar_aandeel
from evaluatie.drempels import MIN_SCHATTEN
from evaluatie.prepare.codes import NAAR_WERK
from evaluatie.waarschuwingen import EffectWaarschuwing, Melding
from evaluatie.effecten.hazardmodel import Fit
from evaluatie.effecten.ontwerp import Ontwerp
from evaluatie.effecten import na_uitstroom as na
from evaluatie.effecten.risicoset import (Risicoset, cif_controle_beide, cif_naief, fit_propensities_replicaat, fit_propensity,
                                          maak_risicoset, propensities)

#: Layout of one pass as a flat vector (what a bootstrap replicate returns): per cell these quantities,
#: each months 1..H, then :data:`POPULATIE`, then the same four per gemeente. Read and written only through
#: :meth:`Pass.als_vector` and :class:`Vectorindeling`; the names are the fields of :class:`Celschatting`.
GROOTHEDEN: tuple[str, ...] = (
    "cif_deelnemers_gformule", "cif_controle_gformule", "att_gformule", "deadweight_gformule",
    "cif_deelnemers_risicoset", "cif_controle_risicoset", "att_risicoset", "deadweight_risicoset",
    "cif_naief", "naief",
)
#: Population-level quantities (the same per gemeente follow them in the population vector).
POPULATIE: tuple[str, ...] = ("toerekenbaar_aandeel", "toegerekende_uitstroom", "uitstroom_werk", "deelnemers_werk")


@dataclass(frozen=True)
class Contrast:
    """Participants' curve, the counterfactual curve and what follows from them (months 1..H) for one method."""

    cif_deelnemers: np.ndarray
    cif_controle: np.ndarray
    att: np.ndarray
    deadweight: np.ndarray

    @property
    def toerekenbaar(self) -> np.ndarray:
        """Share of the participants' exits to werk due to the instrument: ``1 - deadweight``."""
        return toerekenbaar(self.deadweight)


def toerekenbaar(deadweight_: np.ndarray | float) -> np.ndarray | float:
    """The attributable part of a cell's exits to werk, ``1 - deadweight`` (also for CI limits, which swap)."""
    return 1.0 - deadweight_


def contrast(cif1: np.ndarray, cif0: np.ndarray) -> Contrast:
    """att = CIF1 - CIF0, deadweight = CIF0 / CIF1 (and toerekenbaar = 1 - deadweight): derived here only."""
    return Contrast(cif1, cif0, cif1 - cif0, deadweight(cif1, cif0))


@dataclass(frozen=True)
class Naief:
    """The naive comparison: participants' Aalen-Johansen curve minus that of the not-yet-treated, unweighted."""

    cif_controle: np.ndarray
    verschil: np.ndarray


@dataclass(frozen=True)
class Celschatting:
    """Every estimate of one cell: the g-formula, and for instrument cells the risk-set design and the naive one."""

    gformule: Contrast
    risicoset: Contrast | None = None
    naief: Naief | None = None

    def grootheden(self) -> dict[str, np.ndarray]:
        """The curves by their name in :data:`GROOTHEDEN` (absent methods left out)."""
        uit = {f"{k}_gformule": getattr(self.gformule, k) for k in ("cif_deelnemers", "cif_controle", "att", "deadweight")}
        if self.risicoset is not None:
            uit.update({f"{k}_risicoset": getattr(self.risicoset, k)
                        for k in ("cif_deelnemers", "cif_controle", "att", "deadweight")})
        if self.naief is not None:
            uit.update(cif_naief=self.naief.cif_controle, naief=self.naief.verschil)
        return uit


@dataclass(frozen=True)
class Populatieschatting:
    """The attributable share of all exits to werk in the window, with its parts, overall and per gemeente."""

    toerekenbaar_aandeel: float
    toegerekende_uitstroom: float
    uitstroom_werk: float
    deelnemers_werk: float
    per_gemeente: np.ndarray   # (n_gemeenten, len(POPULATIE)), columns as POPULATIE

    def als_vector(self) -> np.ndarray:
        return np.array([self.toerekenbaar_aandeel, self.toegerekende_uitstroom, self.uitstroom_werk, self.deelnemers_werk]
                        + list(self.per_gemeente.ravel()))


@dataclass(frozen=True)
class Pass:
    """All estimates of one pass (one vector of client weights)."""

    cellen: tuple[Celschatting, ...]
    populatie: Populatieschatting
    cif0_deelnemers: np.ndarray   # (n_part, Hp) predicted no-instrument CIF of werk per participant
    na: Naschatting | None = None  # outcomes after the first exit (durable exit, months on benefit)
    sub: np.ndarray | None = None  # subgroup cells (:func:`subgroepen.schat_sub`), appended by the bootstrap

    def als_vector(self, H: int) -> np.ndarray:
        """The flat layout of :class:`Vectorindeling` (missing methods NaN)."""
        est = np.full((len(self.cellen), len(GROOTHEDEN), H), np.nan)
        for k, c in enumerate(self.cellen):
            for naam, v in c.grootheden().items():
                est[k, _GI[naam]] = v
        delen = [est.ravel()]
        if self.na is not None:
            delen.append(self.na.als_vector(H))
        return np.concatenate(delen + [self.populatie.als_vector()])


_GI = {g: i for i, g in enumerate(GROOTHEDEN)}


@dataclass(frozen=True)
class Naschatting:
    """Outcomes after the first exit of one pass: per cell the curves of :func:`na_uitstroom.cel_namen`
    (months 1..H; absent methods NaN), and the population quantities of :func:`na_uitstroom.populatie_namen`."""

    namen: tuple[str, ...]
    cellen: tuple[dict[str, np.ndarray], ...]
    populatie: np.ndarray

    def als_vector(self, H: int) -> np.ndarray:
        est = np.full((len(self.cellen), len(self.namen), H), np.nan)
        idx = {g: i for i, g in enumerate(self.namen)}
        for k, c in enumerate(self.cellen):
            for naam, v in c.items():
                est[k, idx[naam]] = v
        return np.concatenate([est.ravel(), self.populatie])


@dataclass(frozen=True)
class Vectorindeling:
    """Named access to a pass's flat vector, or to a matrix of them (replicates in rows).

    Layout: the cells' :data:`GROOTHEDEN`, then (when estimated) the cells' curves after the first exit
    (``na_namen``) and their population quantities (``na_populatie``), then the population part.
    """

    n_cellen: int
    H: int
    na_namen: tuple[str, ...] = ()
    na_populatie: tuple[str, ...] = ()

    @property
    def n_cel(self) -> int:
        return self.n_cellen * len(GROOTHEDEN) * self.H

    @property
    def n_na(self) -> int:
        return self.n_cellen * len(self.na_namen) * self.H + len(self.na_populatie)

    def cel(self, v: np.ndarray, k: int, naam: str) -> np.ndarray:
        """Quantity ``naam`` of cell ``k``, months 1..H (last axis); ``v`` is one vector or (B, n)."""
        if naam not in _GI:
            return self.na_cel(v, k, naam)
        a = (k * len(GROOTHEDEN) + _GI[naam]) * self.H
        return v[..., a: a + self.H]

    def na_cel(self, v: np.ndarray, k: int, naam: str) -> np.ndarray:
        """Curve ``naam`` (of :attr:`na_namen`) of cell ``k`` after the first exit, months 1..H."""
        a = self.n_cel + (k * len(self.na_namen) + self.na_namen.index(naam)) * self.H
        return v[..., a: a + self.H]

    def na_pop(self, v: np.ndarray) -> np.ndarray:
        """The population quantities after the first exit (order of :attr:`na_populatie`)."""
        a = self.n_cel + self.n_cellen * len(self.na_namen) * self.H
        return v[..., a: a + len(self.na_populatie)]

    def populatie(self, v: np.ndarray) -> np.ndarray:
        """The population part: :data:`POPULATIE`, then the same per gemeente."""
        return v[..., self.n_cel + self.n_na:]


@dataclass(frozen=True)
class Diagnostiek:
    """Per-cell propensities and control weights of the point estimate (balance and overlap)."""

    propensity: dict[int, np.ndarray]
    ctrl_w: dict[int, np.ndarray]


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
    na: na.Nastart | None = None
    sub: object | None = None  # subgroepen.Substart


def maak_cellen(o: Ontwerp, min_schatten: int = MIN_SCHATTEN) -> tuple[tuple[Cel, ...], tuple[str, ...]]:
    """Cells with at least ``min_schatten`` participants, plus pooled cells per categorie and overall."""
    cellen, warns = [], []
    for i, ins in enumerate(o.instrumenten):
        for c, cat in enumerate(o.categorieen):
            dn = np.nonzero((o.p_instr == i) & (o.p_cat == c))[0]
            if len(dn) == 0:
                continue
            if len(dn) < min_schatten:
                warns.append(Melding(f"{len(dn)} deelnemers (< {min_schatten}); niet geschat", bron=f"{ins} x {cat}",
                                     soort=EffectWaarschuwing))
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


def schat_punt(o: Ontwerp, cellen: tuple[Cel, ...], rsets: tuple[Risicoset, ...], crij: tuple[Celrijen, ...],
               H: int, no: na.Naontwerp | None = None, so=None) -> tuple[Pass, Startwaarden, Diagnostiek]:
    """The point estimate: every model fitted to convergence with all client weights 1.

    Returns the estimates, the fits (bootstrap replicates start from them) and the balance diagnostics.
    With ``no`` (:func:`na_uitstroom.maak_naontwerp`) also durable exit and months on benefit.
    """
    res, fits, diag = _pass(o, cellen, rsets, crij, np.ones(o.n_clienten), H, None, 3, no, so)
    return res, fits, diag


def schat_replicaat(o: Ontwerp, cellen: tuple[Cel, ...], rsets: tuple[Risicoset, ...], crij: tuple[Celrijen, ...],
                    w_client: np.ndarray, H: int, vorige: Startwaarden, stappen: int = 3,
                    no: na.Naontwerp | None = None, so=None) -> Pass:
    """One bootstrap replicate: each model re-estimated with ``stappen`` Newton steps from the point estimate's fits."""
    return _pass(o, cellen, rsets, crij, w_client, H, vorige, stappen, no, so)[0]


def _pass(o: Ontwerp, cellen: tuple[Cel, ...], rsets: tuple[Risicoset, ...], crij: tuple[Celrijen, ...],
          w_client: np.ndarray, H: int, vorige: Startwaarden | None,
          stappen: int, no: na.Naontwerp | None = None,
          so=None) -> tuple[Pass, Startwaarden | None, Diagnostiek | None]:
    rep = vorige is not None
    hz = None if rep else fit_hazard(o, w_client)
    hcoef = stap_hazard(o, w_client, vorige.hazard, stappen=stappen) if rep else hz.coef
    P0 = overgangen_onbehandeld(o, w_client)
    if no is None:
        cif0_i = cif0_deelnemers(o, hcoef, P0)  # (n_part, Hp)
    else:  # the same werk CIF, plus the other exits (months on benefit)
        cif0_i, cif0o_i = na.cif0_beide(o, hcoef, P0)
        nactx, nafit = na.context(no, o, w_client, cif0o_i, vorige.na if rep else None)
        na_cellen: list[dict[str, np.ndarray]] = []
        shifts: list[float] = []
    eta_proj = o.X_proj @ hcoef
    eta_s = eta_toestand(o, hcoef)
    wp = w_client[o.p_client]
    schattingen: list[Celschatting] = []
    props: list[Fit | None] = []
    behs: list[Fit] = []
    diag = Diagnostiek({}, {})
    p_rep: dict[int, np.ndarray] = {}
    paden: dict[int, np.ndarray] = {}   # per cell: its treated path and (instrument cells) propensities,
    es: dict[int, np.ndarray] = {}      # for the subgroup cells (subgroepen.schat_sub)
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
        if rep:
            bcoef = stap_behandeld(o, crij[k], hcoef, w_client, vorige.behandeld[k])
        else:
            bf = fit_behandeld(o, crij[k], hcoef, w_client)
            bcoef = bf.coef
            behs.append(bf)
        paden[k] = bcoef
        if sw > 0:
            P1 = overgangen_deelnemers(o, crij[k], w_client, P0)
            if no is None:
                cif1_i = cif1_deelnemers(o, dn, eta_proj, eta_s, bcoef, P1, H)
            else:
                cif1_i, cif1o_i = na.cif1_beide(o, dn, eta_proj, eta_s, bcoef, P1, H)
            cif1 = (w[:, None] * cif1_i).sum(axis=0) / sw
            cif0 = (w[:, None] * cif0_i[dn, :H]).sum(axis=0) / sw
        else:
            cif1 = cif0 = np.full(H, np.nan)
        gform = contrast(cif1, cif0)
        if no is not None:  # after the first exit, g-formula (block kept apart from the first-exit estimates)
            sel = na.cel_rijen(no, dn, len(o.p_client))
            sh = na.fit_shift(no, sel, nactx.eta_keys, w_client, vorige.na.shifts[k] if rep else 0.0)
            shifts.append(sh)
            if sw > 0:
                na_cellen.append(na.cel_gformule(no, nactx, dn, w, cif1_i, cif1o_i, cif0_i[dn, :H], sh))
            else:
                na_cellen.append({})
        if cel.instr < 0:
            props.append(None)
            schattingen.append(Celschatting(gform))
            continue
        aj1, aj1o, _ = aalen_johansen(o.p_T[dn], o.p_eind[dn], w, H)
        rs = rsets[cel.cat]
        if rep:
            pcoef = p_rep[k]
            props.append(None)
        else:
            pf = fit_propensity(o, rs, cel.instr, w_client)
            pcoef = pf.coef
            props.append(pf)
        e = propensities(o, rs, pcoef)
        es[k] = e
        cifc, cifco, wc = cif_controle_beide(o, rs, e, w_client, H)
        cn = cif_naief(o, rs, cel.instr, w_client, H)
        schattingen.append(Celschatting(gform, contrast(aj1, cifc), Naief(cn, aj1 - cn)))
        if no is not None and sw > 0:  # after the first exit, risk-set design and naive comparison
            na_cellen[-1] = {**na_cellen[-1], **na.cel_risicoset(
                no, o, nactx, dn, w, aj1, aj1o, rs.rijen, wc, cifc, cifco, cn,
                na.naief_exits(no, cel.cat), w_client, cel.cat)}
        if not rep:
            diag.propensity[k] = e
            diag.ctrl_w[k] = wc
    nas = None
    if no is not None:
        nas = Naschatting(na.cel_namen(no.ks), tuple(na_cellen), na.populatie(no, o, nactx, cif0_i, w_client))
    subvec = subfit = None
    if so is not None and so.geschat:
        from evaluatie.effecten.subgroepen import schat_sub
        subvec, subfit = schat_sub(so, o, cellen, rsets, crij, w_client, hcoef, P0, cif0_i, eta_proj, eta_s, paden, es,
                                   vorige.sub if rep else None)
    res = Pass(tuple(schattingen), _populatie(o, cif0_i, w_client), cif0_i, nas, subvec)
    fits = None if rep else Startwaarden(hz, tuple(props), tuple(behs),
                                         na.Nastart(nafit, tuple(shifts)) if no is not None else None, subfit)
    return res, fits, (None if rep else diag)


def _populatie(o: Ontwerp, cif0_i: np.ndarray, w_client: np.ndarray) -> Populatieschatting:
    """Exits to werk in the window attributable to instruments, overall and per gemeente."""
    wp = w_client[o.p_client]
    hv = np.minimum(o.p_hvenster, o.proj_idx.shape[1]) - 1
    zonder = cif0_i[np.arange(len(hv)), hv] if len(hv) else np.zeros(0)
    met = (o.p_eind == NAAR_WERK).astype(float)
    w_rij = w_client[o.r_client]
    totaal = float((w_rij * (o.r_y == NAAR_WERK)).sum())
    aandeel, toegerekend = toerekenbaar_aandeel(met, zonder, wp, totaal)
    per_g = np.zeros((0, len(POPULATIE)))
    if o.gemeenten:
        G = len(o.gemeenten)
        p_gem = o.p_gemeente
        werk_g = np.bincount(o.r_gemeente, weights=w_rij * (o.r_y == NAAR_WERK), minlength=G)
        toeg_g = np.bincount(p_gem, weights=wp * (met - zonder), minlength=G)
        met_g = np.bincount(p_gem, weights=wp * met, minlength=G)
        with np.errstate(invalid="ignore", divide="ignore"):
            aandeel_g = np.where(werk_g > 0, toeg_g / werk_g, np.nan)
        per_g = np.column_stack([aandeel_g, toeg_g, werk_g, met_g])
    return Populatieschatting(aandeel, toegerekend, totaal, float((wp * met).sum()), per_g)
