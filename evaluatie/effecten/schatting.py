"""Orchestration: person-months in, :class:`~evaluatie.effecten.resultaat.Effectresultaat` out."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
import warnings
from functools import partial

import numpy as np
import pandas as pd

from evaluatie.bootstrap import bootstrap_replicaties, percentiel_interval
from evaluatie.deadweight import zin_toerekenbaar
from evaluatie.drempels import KWETSBAAR_E, MIN_DEELNEMERS, MIN_SCHATTEN, OVERLAP_DREMPEL, SMD_DREMPEL
from evaluatie.effecten.balans import balans
from evaluatie.effecten.gevoeligheid import e_waarde, e_waarde_ci, kwetsbaar
from evaluatie.effecten.hazardmodel import Specificatie
from evaluatie.effecten.kern import (POPULATIE, Startwaarden, Vectorindeling, maak_celrijen_alle, maak_cellen,
                                     maak_risicosets, schat_punt, schat_replicaat, toerekenbaar)
from evaluatie.effecten.ontwerp import maak_ontwerp
from evaluatie.effecten.na_tabellen import (interval, lege_maandentabel, na_effectrijen, na_maandentabel, na_populatierijen)
from evaluatie.effecten.na_uitstroom import cel_namen, maak_naontwerp, populatie_namen
from evaluatie.effecten.resultaat import Effectresultaat, Reeksen
from evaluatie.effecten.subgroepen import Subgroepconfig, maak_subontwerp
from evaluatie.effecten.subgroep_tabellen import lege_celtoetsen, lege_subgroepen, subgroep_tabellen
from evaluatie.waarschuwingen import EffectWaarschuwing, Melding


@dataclass(frozen=True)
class Effectconfig:
    """Settings of :func:`schat_effecten`.

    Attributes
    ----------
    horizon : int
        Longest horizon (months) of the curves (att, cif_*): 1..horizon.
    horizonnen : tuple of int
        Horizons of deadweight, toerekenbaar and the naive difference (and of the summary).
    bootstrap : int
        Client-clustered bootstrap replicates (0 = none; then no SE/CI).
    seed : int
        Root seed of the bootstrap.
    n_jobs : int
        Worker processes; the numbers do not depend on it.
    min_deelnemers : int
        Cells with fewer participants are flagged in ``vlag``.
    min_schatten : int
        Cells with fewer participants are not estimated at all (listed in the warnings).
    smd_drempel, overlap_drempel : float
        Flag a cell when max |SMD| after weighting exceeds ``smd_drempel`` or more than
        ``overlap_drempel`` of its participants have a propensity above every control's.
    e_drempel : float
        E-value of the CI limit below which an estimate is called *kwetsbaar*.
    e_horizon : int
        Horizon of the risk ratio used for the E-value.
    stappen : int
        Newton steps per bootstrap replicate (warm-started, fixed information).
    spec : Specificatie
        Covariates and functional forms.
    duurzaam : tuple of int
        k's (months) of durable exit: exit to werk and no new benefit spell within k months
        (:mod:`evaluatie.effecten.na_uitstroom`); ``()`` = no estimates after the first exit.
    uitkeringsmaanden : tuple of int
        Horizons (months, at most ``horizon``) of the months-on-benefit table.
    """

    horizon: int = 36
    horizonnen: tuple[int, ...] = (12, 24)
    bootstrap: int = 200
    seed: int = 1
    n_jobs: int = 1
    min_deelnemers: int = MIN_DEELNEMERS
    min_schatten: int = MIN_SCHATTEN
    smd_drempel: float = SMD_DREMPEL
    overlap_drempel: float = OVERLAP_DREMPEL
    e_drempel: float = KWETSBAAR_E
    e_horizon: int = 12
    stappen: int = 3
    spec: Specificatie = field(default_factory=Specificatie)
    duurzaam: tuple[int, ...] = (6, 12)
    uitkeringsmaanden: tuple[int, ...] = (12, 24, 36)
    subgroepen: Subgroepconfig = field(default_factory=Subgroepconfig)

    def __post_init__(self) -> None:
        if self.horizon < 1 or any(h < 1 or h > self.horizon for h in self.horizonnen):
            raise ValueError(f"horizonnen: verwacht waarden in 1..{self.horizon}, kreeg {self.horizonnen}")
        if self.bootstrap < 0:
            raise ValueError(f"bootstrap: verwacht >= 0, kreeg {self.bootstrap}")
        if not 1 <= self.e_horizon <= self.horizon:
            raise ValueError(f"e_horizon: verwacht 1..{self.horizon}, kreeg {self.e_horizon}")
        for naam in ("duurzaam", "uitkeringsmaanden"):
            v = tuple(getattr(self, naam))
            if any(isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not 1 <= x <= self.horizon for x in v) \
                    or len(set(v)) != len(v):
                raise ValueError(f"{naam}: verwacht verschillende gehele aantallen maanden in 1..{self.horizon}, kreeg {v}")

    def als_dict(self) -> dict:
        d = asdict(self)
        d["horizonnen"] = list(self.horizonnen)
        d["duurzaam"] = list(self.duurzaam)
        d["uitkeringsmaanden"] = list(self.uitkeringsmaanden)
        d["spec"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self.spec).items()}
        d["subgroepen"] = self.subgroepen.als_dict()
        return d


def _replicaat(w: np.ndarray, *, o, cellen, rsets, crij, H, fits: Startwaarden, stappen: int, no=None,
               so=None) -> np.ndarray:
    p = schat_replicaat(o, cellen, rsets, crij, w, H, fits, stappen, no, so)
    v = p.als_vector(H)
    return v if p.sub is None else np.concatenate([v, p.sub])  # subgroup cells after the pass (split off again)


def _per_gemeente(o, waarden: np.ndarray, pint, P: int) -> pd.DataFrame:
    """Tidy frame of the population quantities per gemeente (from the pass and its bootstrap replicates)."""
    G = len(o.gemeenten)
    kol = ["gemeentecode", "maat", "schatting", "se", "ci_laag", "ci_hoog", "n_deelnemers", "n_clienten"]
    if G == 0:
        return pd.DataFrame(columns=kol)
    n_d = np.bincount(o.p_gemeente, minlength=G)
    paren = np.unique(np.column_stack([o.r_gemeente, o.r_client]), axis=0)  # (gemeente, client) pairs
    cl = np.bincount(paren[:, 0], minlength=G)
    rows = []
    for g, code in enumerate(o.gemeenten):
        for j, maat in enumerate(POPULATIE):
            i = P + g * P + j
            rows.append((code, maat, waarden[g * P + j], pint.se[i], pint.laag[i], pint.hoog[i], int(n_d[g]), int(cl[g])))
    return pd.DataFrame(rows, columns=kol)


def _naief_min_att(vi: Vectorindeling, vec: np.ndarray, reps: np.ndarray, cellen, horizonnen: tuple[int, ...],
                   n_clienten: int) -> pd.DataFrame:
    """Mean over instrument cells of naive difference minus g-formula att per horizon, with a bootstrap CI.

    The selection the naive comparison carries (``naief_min_att_<h>`` rows of ``populatie``): computed from the
    same replicates as the effects, so the report can print it with its uncertainty instead of averaging cells.
    """
    ks = [k for k, c in enumerate(cellen) if c.instr >= 0]
    n = int(sum(len(cellen[k].deelnemers) for k in ks))
    kol = ["maat", "schatting", "se", "ci_laag", "ci_hoog", "n_deelnemers", "n_clienten"]
    if not ks:
        return pd.DataFrame(columns=kol)

    def gemiddeld(v: np.ndarray, h: int) -> np.ndarray:
        d = np.stack([vi.cel(v, k, "naief")[..., h - 1] - vi.cel(v, k, "att_gformule")[..., h - 1] for k in ks], axis=-1)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (no bootstrap) give NaN
            return np.nanmean(d, axis=-1)

    punt = np.array([gemiddeld(vec, h) for h in horizonnen])
    iv = percentiel_interval(np.column_stack([gemiddeld(reps, h) for h in horizonnen]))
    return pd.DataFrame({"maat": [f"naief_min_att_{h}" for h in horizonnen], "schatting": punt, "se": iv.se,
                         "ci_laag": iv.laag, "ci_hoog": iv.hoog, "n_deelnemers": n, "n_clienten": n_clienten})[kol]


def _lockin(att: np.ndarray) -> float:
    """First h with att >= 0 after att was negative (truth.json definition); NaN if never negative or no recovery."""
    neg = np.flatnonzero(att < 0)
    if neg.size == 0:
        return float("nan")
    na = np.flatnonzero((att >= 0) & (np.arange(att.size) > neg[0]))
    return float(na[0] + 1) if na.size else float("nan")


def schat_effecten(persoonmaanden: pd.DataFrame, config: Effectconfig = Effectconfig()) -> Effectresultaat:
    """Dynamic effects of instruments per instrument x categorie, deadweight and the attributable share.

    Parameters
    ----------
    persoonmaanden : DataFrame
        Person-month table (CONTRIBUTING "Person-month table"); if it has ``<code>_maand`` columns
        they are not needed. Not modified.
    config : Effectconfig

    Returns
    -------
    Effectresultaat

    Notes
    -----
    Identifying assumption (both methods): given the covariates, the duration on benefit and the
    calendar year, the start of an instrument in month d is unrelated to the potential exits (no
    unobserved confounding; sequential ignorability). The E-values in ``gevoeligheid`` say how strong a
    violation would have to be to explain an estimate away.
    """
    cfg = config
    H = cfg.horizon
    o, w_ontw = maak_ontwerp(persoonmaanden, cfg.spec, H=H)
    cellen, w_cel = maak_cellen(o, cfg.min_schatten)
    rsets = maak_risicosets(o)
    crij = maak_celrijen_alle(o, cellen)
    no, w_na = (maak_naontwerp(persoonmaanden, o, cfg.duurzaam) if cfg.duurzaam else (None, ()))
    so = (maak_subontwerp(persoonmaanden, o, cellen, cfg.subgroepen, cfg.horizonnen) if cfg.subgroepen.indelingen
          else None)
    punt, fits, diag = schat_punt(o, cellen, rsets, crij, H, no, so)
    vi = (Vectorindeling(len(cellen), H, cel_namen(no.ks), populatie_namen(no.ks)) if no is not None
          else Vectorindeling(len(cellen), H))
    vec = punt.als_vector(H)
    warns = list(w_ontw) + list(w_cel) + list(w_na)
    if so is not None:
        warns += [Melding(n, soort=EffectWaarschuwing) for n in so.notes]
    for naam, f in [("uitstroommodel", fits.hazard)] + [(f"pad {c.instrument} x {c.categorie}", fits.behandeld[k]) for k, c in enumerate(cellen)] \
            + [(f"propensity {c.instrument} x {c.categorie}", fits.propensity[k]) for k, c in enumerate(cellen) if fits.propensity[k] is not None]:
        if not f.converged:
            warns.append(Melding(f"Newton niet geconvergeerd na {f.iteraties} stappen", bron=naam, soort=EffectWaarschuwing))

    if cfg.bootstrap > 0:
        fn = partial(_replicaat, o=o, cellen=cellen, rsets=rsets, crij=crij, H=H, fits=fits, stappen=cfg.stappen,
                     no=no, so=so)
        reps = bootstrap_replicaties(fn, o.n_clienten, B=cfg.bootstrap, seed=cfg.seed, n_jobs=cfg.n_jobs)
    else:
        reps = np.full((1, vec.size + (punt.sub.size if punt.sub is not None else 0)), np.nan)
    reps, reps_sub = reps[:, :vec.size], reps[:, vec.size:]
    reps_na = interval(reps[:, vi.n_cel: vi.n_cel + vi.n_na]) if no is not None else None
    iv = interval(reps[:, : vi.n_cel])  # percentiel_interval's numbers, vectorised over complete columns
    se, lo, hi, ng = iv.se, iv.laag, iv.hoog, iv.n_geldig

    # diagnostics per cell
    bal_rows, gev_rows, lock_rows, vlaggen = [], [], [], []
    namen = o.cod.kolomnamen
    for k, c in enumerate(cellen):
        redenen = []
        n = len(c.deelnemers)
        if n < cfg.min_deelnemers:
            redenen.append(f"te weinig deelnemers (n={n} < {cfg.min_deelnemers})")
        if c.instr >= 0:
            rs = rsets[c.cat]
            e = diag.propensity[k]
            wc = diag.ctrl_w[k]
            lok = rs.lokaal_deelnemer[c.deelnemers]
            X1 = rs.X[lok]
            X0 = rs.X[rs.lokaal]
            b = balans(X1, X0, wc, e[lok], e[rs.lokaal], tuple(namen[j] for j in rs.kolommen))
            if b.max_smd_na > cfg.smd_drempel:
                redenen.append(f"onvoldoende balans (max |SMD| na weging {b.max_smd_na:.2f} > {cfg.smd_drempel})")
            if b.aandeel_buiten > cfg.overlap_drempel:
                redenen.append(f"beperkte overlap ({100 * b.aandeel_buiten:.0f}% deelnemers buiten bereik controles)")
            if b.ess_controle < n:
                redenen.append(f"weinig effectieve controles (ESS {b.ess_controle:.0f} < {n} deelnemers)")
            for _, r in b.tabel.iterrows():
                bal_rows.append((c.instrument, c.categorie, r.covariaat, r.smd_voor, r.smd_na))
            bal_rows.append((c.instrument, c.categorie, "__samenvatting__", b.max_smd_voor, b.max_smd_na))
            gev_extra = (b.ess_controle, b.n_controle, b.aandeel_buiten, b.e_deelnemers[1], b.e_controle[1])
        else:
            gev_extra = (np.nan, 0, np.nan, np.nan, np.nan)
        if vi.cel(ng, k, "att_gformule")[cfg.e_horizon - 1] < 0.9 * max(cfg.bootstrap, 1) and cfg.bootstrap > 0:
            redenen.append("bootstrap instabiel (<90% geldige replicaties)")
        vlaggen.append("; ".join(redenen))
        # E-value on CIF1/CIF0 at e_horizon (g-formula)
        h = cfg.e_horizon - 1
        dw = punt.cellen[k].gformule.deadweight[h]
        rr = 1.0 / dw if dw > 0 else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            rr_rep = 1.0 / vi.cel(reps, k, "deadweight_gformule")[:, h]
        rr_lo, rr_hi = (np.nanquantile(rr_rep, [0.025, 0.975]) if np.isfinite(rr_rep).sum() > 1 else (np.nan, np.nan))
        ev = float(e_waarde(rr))
        evci = e_waarde_ci(rr, rr_lo, rr_hi)
        gev_rows.append((c.instrument, c.categorie, cfg.e_horizon, rr, rr_lo, rr_hi, ev, evci,
                         kwetsbaar(evci, cfg.e_drempel)) + gev_extra)
        li = _lockin(punt.cellen[k].gformule.att)
        li_rep = np.array([_lockin(r) for r in vi.cel(reps, k, "att_gformule")]) if cfg.bootstrap > 0 else np.array([np.nan])
        fin = li_rep[np.isfinite(li_rep)]
        lock_rows.append((c.instrument, c.categorie, li, float(np.quantile(fin, 0.025)) if fin.size else np.nan,
                          float(np.quantile(fin, 0.975)) if fin.size else np.nan, float(np.mean(np.isfinite(li_rep)))))

    # tidy effect table (contract "Effect results on disk")
    rows = []
    hs_all = range(1, H + 1)
    for k, c in enumerate(cellen):
        dn = c.deelnemers
        ev_T = o.p_T[dn][o.p_eind[dn] == 1]
        n = len(dn)

        def add(maat: str, methode: str, q: str, hs, transform=None) -> None:
            for h in hs:
                v, s_, l_, u_ = (vi.cel(x, k, q)[h - 1] for x in (vec, se, lo, hi))
                if transform is not None:
                    v, l_, u_ = transform(v), transform(u_), transform(l_)
                rows.append((c.instrument, c.categorie, "werk", maat, h, v, s_, l_, u_, n, int((ev_T <= h).sum()),
                             methode, vlaggen[k]))

        add("att", "gformule", "att_gformule", hs_all)
        add("cif_deelnemers", "gformule", "cif_deelnemers_gformule", hs_all)
        add("cif_controle", "gformule", "cif_controle_gformule", hs_all)
        add("deadweight", "gformule", "deadweight_gformule", cfg.horizonnen)
        add("toerekenbaar", "gformule", "deadweight_gformule", cfg.horizonnen, transform=toerekenbaar)
        if c.instr >= 0:
            add("att", "risicoset", "att_risicoset", hs_all)
            add("cif_deelnemers", "risicoset", "cif_deelnemers_risicoset", hs_all)
            add("cif_controle", "risicoset", "cif_controle_risicoset", hs_all)
            add("deadweight", "risicoset", "deadweight_risicoset", cfg.horizonnen)
            add("toerekenbaar", "risicoset", "deadweight_risicoset", cfg.horizonnen, transform=toerekenbaar)
            add("naief", "naief", "naief", cfg.horizonnen)
    if no is not None:
        rows += na_effectrijen(no, o, vi, vec, reps_na, cellen, vlaggen, cfg)
    eff = pd.DataFrame(rows, columns=["instrument", "categorie", "uitkomst", "maat", "horizon", "schatting", "se",
                                      "ci_laag", "ci_hoog", "n_deelnemers", "n_gebeurtenissen", "methode", "vlag"])
    eff = eff.astype({"horizon": "int64", "n_deelnemers": "int64", "n_gebeurtenissen": "int64"})

    pint = percentiel_interval(vi.populatie(reps))
    pop = vi.populatie(vec)
    P = len(POPULATIE)
    popdf = pd.DataFrame({
        "maat": list(POPULATIE), "schatting": pop[:P], "se": pint.se[:P], "ci_laag": pint.laag[:P], "ci_hoog": pint.hoog[:P],
    })
    popdf["n_deelnemers"] = len(o.p_client)
    popdf["n_clienten"] = o.n_clienten
    naief = _naief_min_att(vi, vec, reps, cellen, cfg.horizonnen, o.n_clienten)
    if len(naief):  # no instrument cells: nothing to add (concat with an empty frame would change dtypes)
        popdf = pd.concat([popdf, naief], ignore_index=True)
    if no is not None:
        popdf = pd.concat([popdf, na_populatierijen(vi, vec, reps_na, len(o.p_client), o.n_clienten)], ignore_index=True)
    maanden = na_maandentabel(vi, vec, reps_na, cellen, vlaggen, cfg) if no is not None else None
    zin = zin_toerekenbaar(pop[0], pint.laag[0], pint.hoog[0], pop[2])
    pergem = _per_gemeente(o, pop[P:], pint, P)
    bal = pd.DataFrame(bal_rows, columns=["instrument", "categorie", "covariaat", "smd_voor", "smd_na"])
    gev = pd.DataFrame(gev_rows, columns=["instrument", "categorie", "horizon", "rr", "rr_laag", "rr_hoog", "e_waarde",
                                          "e_waarde_ci", "kwetsbaar", "ess_controle", "n_controle", "aandeel_buiten",
                                          "e_mediaan_deelnemers", "e_mediaan_controle"])
    lock = pd.DataFrame(lock_rows, columns=["instrument", "categorie", "lockin_maanden", "ci_laag", "ci_hoog",
                                            "aandeel_replicaties_met_herstel"])
    if so is not None:
        subtab, celtoets = subgroep_tabellen(so, punt.sub if punt.sub is not None else np.zeros(0), reps_sub, cellen,
                                             vi, vec, reps, cfg.min_deelnemers)
    else:
        subtab, celtoets = lege_subgroepen(), lege_celtoetsen()
    return Effectresultaat(
        subgroepen=subtab, celtoetsen=celtoets,
        effecten=eff, populatie=popdf, per_gemeente=pergem, balans=bal, gevoeligheid=gev, lockin=lock, zin=zin,
        n_clienten=o.n_clienten, n_persoonmaanden=int(len(o.r_y)), n_deelnemers=int(len(o.p_client)),
        n_uitstroom_werk=int((o.r_y == 1).sum()), config=cfg, kolommen=o.cod.kolomnamen,
        waarschuwingen=tuple(warns),
        uitkeringsmaanden=maanden if maanden is not None else lege_maandentabel(),
        reeksen=Reeksen(vi, vec, reps if cfg.bootstrap > 0 else reps[:0], tuple((c.instrument, c.categorie, len(c.deelnemers))
                                                                           for c in cellen)),
    )
