"""Subgroup cells: the effect of an instrument within a pre-specified subgroup of its cell, and the difference
with the rest of the cell (issue 19, "wat werkt voor wie").

A subgroup is a level of an *indeling* (statushouder, jongeren < 27, speciaal onderwijs, 55+, trede band,
gemeente, loonwaarde band), defined per person-month row, so that a participant's subgroup is that of the
start month and a control's that of the control month (the risk-set design compares like with like).

Estimands, per instrument cell ``(i, c)``, subgroup ``S`` and horizon ``h`` (methoden §"Voor wie werkt het?"):

- ``att_subgroep`` = ATT(h) among the cell's participants in ``S``;
- ``att_rest`` = ATT(h) among the cell's other participants;
- ``verschil`` = ``att_subgroep - att_rest``; CI and p-value from the same bootstrap replicates.

g-formula: the treated-path model (bands of months since the start, offset by the no-instrument predictor) is
fitted **per stratum** of the indeling within the cell (each level, and the participants with an unknown level),
i.e. the path is fully interacted with the subgroup. Strata with fewer than ``min_deelnemers`` participants use
the cell's own path. Each participant is projected once per indeling with the path of its stratum, and the
subgroup and rest effects are the weighted means of the per-participant contrasts. (Reusing the cell's path
for every stratum, as a first version did, makes the g-formula difference blind to real heterogeneity.)

Risk-set: the participants' Aalen-Johansen curve in ``S`` minus the ATT-weighted control curve of the
not-yet-treated months in ``S`` (the cell's propensity model; its weights restricted to the subgroup).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluatie.drempels import MIN_DEELNEMERS
from evaluatie.effecten.behandeld import Celrijen, cif1_deelnemers, fit_behandeld, maak_celrijen, overgangen_deelnemers, \
    stap_behandeld
from evaluatie.effecten.cif import aalen_johansen

#: The indelingen the package knows, in report order.
INDELINGEN: tuple[str, ...] = ("statushouder", "jongeren", "speciaal_onderwijs", "55plus", "trede", "gemeente",
                               "loonwaarde")
#: The default: all of them (``loonwaarde`` only when the data has the column; skipped with a note otherwise).
STANDAARD: tuple[str, ...] = INDELINGEN
#: Quantities per estimated subgroup cell in the pass vector, each at the configured horizons.
GROOTHEDEN: tuple[str, ...] = ("att_subgroep_gformule", "att_rest_gformule", "att_subgroep_risicoset",
                               "att_rest_risicoset")


@dataclass(frozen=True)
class Subgroepconfig:
    """Pre-specified subgroups (config section ``[subgroepen]``).

    Attributes
    ----------
    indelingen : tuple of str
        Names from :data:`INDELINGEN`; ``()`` = no subgroup estimates.
    jong_tot : int
        ``jongeren`` = younger than this (years, at the start month).
    oud_vanaf : int
        ``55plus`` = at least this age.
    trede_banden : tuple of (int, int)
        Inclusive trede ranges of the ``trede`` indeling.
    loonwaarde_grenzen : tuple of float
        Cut points (percent) of the ``loonwaarde`` bands: ``(30, 80)`` gives < 30, 30-80, >= 80.
    min_deelnemers : int
        A subgroup is estimated only when it and the rest of its cell each have at least this many participants
        (and at least the disclosure threshold).
    """

    indelingen: tuple[str, ...] = ()
    jong_tot: int = 27
    oud_vanaf: int = 55
    trede_banden: tuple[tuple[int, int], ...] = ((1, 2), (3, 4), (5, 6))
    loonwaarde_grenzen: tuple[float, ...] = (30.0, 80.0)
    min_deelnemers: int = MIN_DEELNEMERS

    def __post_init__(self) -> None:
        onbekend = [x for x in self.indelingen if x not in INDELINGEN]
        if onbekend:
            raise ValueError(f"subgroepen.indelingen: onbekend {onbekend}; verwacht een van {list(INDELINGEN)}")
        if self.min_deelnemers < 10:
            raise ValueError(f"subgroepen.min_deelnemers: verwacht >= 10, kreeg {self.min_deelnemers}")

    def als_dict(self) -> dict:
        return {"indelingen": list(self.indelingen), "jong_tot": self.jong_tot, "oud_vanaf": self.oud_vanaf,
                "trede_banden": [list(b) for b in self.trede_banden],
                "loonwaarde_grenzen": list(self.loonwaarde_grenzen), "min_deelnemers": self.min_deelnemers}


@dataclass(frozen=True)
class Indeling:
    """One indeling: level labels, the level of every person-month row (-1 unknown), and which levels are
    subgroups (a yes/no indeling shows only its "yes" level; the rest of the cell is the "no" level)."""

    naam: str
    niveaus: tuple[str, ...]
    r_code: np.ndarray
    getoond: tuple[int, ...]


def _bool(x: pd.Series) -> np.ndarray:
    """1 / 0 / -1 (unknown) from a boolean-ish column."""
    s = x.astype("string").str.lower()
    return np.where(s.isin(["true", "1", "ja", "j"]).fillna(False).to_numpy(), 1,
                    np.where(s.isin(["false", "0", "nee", "n"]).fillna(False).to_numpy(), 0, -1)).astype(np.int64)


def maak_indelingen(pm: pd.DataFrame, cfg: Subgroepconfig) -> tuple[tuple[Indeling, ...], tuple[str, ...]]:
    """Row levels of the configured indelingen, rows in the order of :func:`~evaluatie.effecten.ontwerp.maak_ontwerp`
    (sorted by spell and month). Returns the indelingen and notes on the ones skipped."""
    df = pm.reset_index(drop=True).sort_values(["spell_id", "maand"], kind="mergesort").reset_index(drop=True)
    uit, notes = [], []
    maand = df["maand"].to_numpy(dtype=np.int64)
    for naam in cfg.indelingen:
        if naam in ("statushouder", "speciaal_onderwijs"):
            if naam not in df.columns:
                notes.append(f"subgroep {naam}: kolom ontbreekt; overgeslagen")
                continue
            label = "statushouders" if naam == "statushouder" else "speciaal onderwijs"
            uit.append(Indeling(naam, (f"geen {label}", label), _bool(df[naam]), (1,)))
        elif naam in ("jongeren", "55plus"):
            if "leeftijd" not in df.columns:
                notes.append(f"subgroep {naam}: geen leeftijd (geboortejaar) in de gegevens; overgeslagen")
                continue
            lft = pd.to_numeric(df["leeftijd"], errors="coerce").to_numpy(dtype=float) + maand // 12
            if naam == "jongeren":
                ja, lab = lft < cfg.jong_tot, (f"{cfg.jong_tot} jaar en ouder", f"jonger dan {cfg.jong_tot}")
            else:
                ja, lab = lft >= cfg.oud_vanaf, (f"jonger dan {cfg.oud_vanaf}", f"{cfg.oud_vanaf} jaar en ouder")
            uit.append(Indeling(naam, lab, np.where(np.isfinite(lft), ja.astype(np.int64), -1), (1,)))
        elif naam == "trede":
            if "trede" not in df.columns:
                notes.append("subgroep trede: kolom ontbreekt; overgeslagen")
                continue
            t = pd.to_numeric(df["trede"], errors="coerce").to_numpy(dtype=float)
            code = np.full(len(df), -1, np.int64)
            for j, (a, b) in enumerate(cfg.trede_banden):
                code[(t >= a) & (t <= b)] = j
            lab = tuple(f"trede {a}-{b}" if a != b else f"trede {a}" for a, b in cfg.trede_banden)
            uit.append(Indeling(naam, lab, code, tuple(range(len(lab)))))
        elif naam == "gemeente":
            if "gemeentecode" not in df.columns:
                notes.append("subgroep gemeente: kolom gemeentecode ontbreekt; overgeslagen")
                continue
            g = df["gemeentecode"].astype("string")
            codes, uniek = pd.factorize(g, sort=True)
            if len(uniek) < 2:
                notes.append("subgroep gemeente: maar één gemeente in de gegevens; overgeslagen")
                continue
            uit.append(Indeling(naam, tuple(str(u) for u in uniek), codes.astype(np.int64), tuple(range(len(uniek)))))
        elif naam == "loonwaarde":
            if "loonwaarde" not in df.columns:
                notes.append("subgroep loonwaarde: kolom ontbreekt in de gegevens; overgeslagen")
                continue
            lw = pd.to_numeric(df["loonwaarde"], errors="coerce").to_numpy(dtype=float)
            gr = list(cfg.loonwaarde_grenzen)
            code = np.where(np.isfinite(lw), np.searchsorted(gr, lw, side="right"), -1).astype(np.int64)
            lab = tuple([f"loonwaarde < {gr[0]:g}%"] + [f"loonwaarde {a:g}-{b:g}%" for a, b in zip(gr[:-1], gr[1:])]
                        + [f"loonwaarde >= {gr[-1]:g}%"])
            uit.append(Indeling(naam, lab, code, tuple(range(len(lab)))))
    return tuple(uit), tuple(notes)


@dataclass(frozen=True)
class Subcel:
    """One subgroup of one instrument cell (estimated or not, with the reason)."""

    cel: int                 # index into the pass's cells
    instrument: str
    categorie: str
    indeling: str
    subgroep: str
    n_deelnemers: int
    n_rest: int
    geschat: bool
    reden: str = ""


@dataclass(frozen=True)
class Plan:
    """What one (cell, indeling) pass needs: participants' strata and the subgroup cells to estimate."""

    cel: int
    indeling: int
    p_code: np.ndarray                      # level of each cell participant (-1 unknown)
    strata: tuple[tuple[np.ndarray, Celrijen | None], ...]   # (positions in the cell, own rows or None = cell path)
    subcellen: tuple[tuple[int, int], ...]  # (index into Subontwerp.geschat, level)


@dataclass(frozen=True)
class Subontwerp:
    indelingen: tuple[Indeling, ...]
    subcellen: tuple[Subcel, ...]          # every subgroup of every instrument cell, in table order
    geschat: tuple[int, ...]               # indices of the estimated ones (vector order)
    plannen: tuple[Plan, ...]
    horizonnen: tuple[int, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def lengte(self) -> int:
        return len(self.geschat) * len(GROOTHEDEN) * len(self.horizonnen)


def maak_subontwerp(pm: pd.DataFrame, o, cellen, cfg: Subgroepconfig, horizonnen: tuple[int, ...],
                    drempel: int = 10) -> Subontwerp:
    """Plan the subgroup estimates for the instrument cells of ``cellen`` (:func:`kern.maak_cellen`)."""
    inds, notes = maak_indelingen(pm, cfg)
    start = np.flatnonzero(o.r_sinds == 0)
    p_start = np.full(len(o.p_client), -1, np.int64)
    p_start[o.r_deelnemer[start]] = start
    minimum = max(cfg.min_deelnemers, drempel)
    subcellen: list[Subcel] = []
    geschat: list[int] = []
    plannen: list[Plan] = []
    for k, cel in enumerate(cellen):
        if cel.instr < 0:
            continue
        dn = cel.deelnemers
        n = len(dn)
        for j, ind in enumerate(inds):
            pc = ind.r_code[p_start[dn]]
            taken = []
            for lvl in ind.getoond:
                ns = int((pc == lvl).sum())
                nr = n - ns
                ok = ns >= minimum and nr >= minimum
                # no counts in the reason: it is published, and the counts go through disclosure control
                reden = "" if ok else (f"niet geschat: minder dan {minimum} deelnemers in de subgroep" if ns < minimum
                                      else f"niet geschat: minder dan {minimum} deelnemers in de rest van de cel")
                subcellen.append(Subcel(k, cel.instrument, cel.categorie, ind.naam, ind.niveaus[lvl], ns, nr, ok, reden))
                if ok:
                    geschat.append(len(subcellen) - 1)
                    taken.append((len(geschat) - 1, lvl))
            if not taken:
                continue
            strata = []
            for lvl in np.unique(pc):
                pos = np.flatnonzero(pc == lvl)
                strata.append((pos, maak_celrijen(o, dn[pos]) if len(pos) >= minimum else None))
            plannen.append(Plan(k, j, pc, tuple(strata), tuple(taken)))
    return Subontwerp(inds, tuple(subcellen), tuple(geschat), tuple(plannen), tuple(horizonnen), tuple(notes))


@dataclass(frozen=True)
class Substart:
    """The point estimate's stratum path fits (replicates warm-start from them), per plan and stratum."""

    fits: tuple[tuple[object | None, ...], ...]


def _gemiddelde(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    s = w.sum()
    return (w[:, None] * x).sum(axis=0) / s if s > 0 else np.full(x.shape[1], np.nan)


def schat_sub(so: Subontwerp, o, cellen, rsets, crij, w_client: np.ndarray, hcoef: np.ndarray, P0: np.ndarray,
              cif0_i: np.ndarray, eta_proj: np.ndarray, eta_s: np.ndarray, paden: dict, propensity: dict,
              vorige: Substart | None) -> tuple[np.ndarray, Substart | None]:
    """One pass (point or replicate) of every estimated subgroup cell; the flat vector in :data:`GROOTHEDEN` x
    horizon order per subgroup cell, and (point estimate only) the stratum fits."""
    nh = len(so.horizonnen)
    hidx = np.asarray(so.horizonnen) - 1
    Hs = int(max(so.horizonnen))
    out = np.full((len(so.geschat), len(GROOTHEDEN), nh), np.nan)
    wp = w_client[o.p_client]
    P1s: dict[int, np.ndarray] = {}
    alle_fits = []
    for pi, plan in enumerate(so.plannen):
        k = plan.cel
        cel = cellen[k]
        dn = cel.deelnemers
        if k not in P1s:
            P1s[k] = overgangen_deelnemers(o, crij[k], w_client, P0)
        cif1 = np.empty((len(dn), Hs))
        fits = []
        for si, (pos, cr) in enumerate(plan.strata):
            if cr is None:
                pad, f = paden[k], None
            elif vorige is None:
                f = fit_behandeld(o, cr, hcoef, w_client)
                pad = f.coef
            else:
                f = None
                pad = stap_behandeld(o, cr, hcoef, w_client, vorige.fits[pi][si])
            fits.append(f)
            cif1[pos] = cif1_deelnemers(o, dn[pos], eta_proj, eta_s, pad, P1s[k], Hs)
        alle_fits.append(tuple(fits))
        d = cif1[:, hidx] - cif0_i[dn][:, hidx]
        w = wp[dn]
        rs = rsets[cel.cat]
        e = propensity[k]
        wc = w_client[o.r_client[rs.rijen]] * (e / (1.0 - e))[rs.lokaal]
        rc = so.indelingen[plan.indeling].r_code[rs.rijen]
        for gi, lvl in plan.subcellen:
            inS = plan.p_code == lvl
            out[gi, 0] = _gemiddelde(d[inS], w[inS])
            out[gi, 1] = _gemiddelde(d[~inS], w[~inS])
            for j, sel, csel in ((2, inS, rc == lvl), (3, ~inS, rc != lvl)):
                aj1 = aalen_johansen(o.p_T[dn[sel]], o.p_eind[dn[sel]], w[sel], Hs)[0]
                aj0 = aalen_johansen(o.r_T[rs.rijen[csel]], o.r_eind[rs.rijen[csel]], wc[csel], Hs)[0]
                out[gi, j] = (aj1 - aj0)[hidx]
    return out.ravel(), (Substart(tuple(alle_fits)) if vorige is None else None)
