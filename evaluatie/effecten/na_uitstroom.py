"""After the first exit: durable exit to werk D(h, k) and months on benefit, for both effect estimators.

Definitions (exactly those of the simulator's truth, :data:`evaluatie.simulatie.waarheid_na.DEFINITIES_NA`):

* ``D(h, k)`` = exit to werk within ``h`` months of the start (start month = month 1) and no new benefit
  spell of the same client within ``k`` months after that exit: with exit in calendar month ``e`` and the
  next spell starting in calendar month ``e + g``, a return *within k months* is ``g <= k``;
* months on benefit over ``H`` = the expected number of months 1..H (start month = 1) with a benefit, all
  spells (returns included); the exit month counts, the months in work do not.

Both are built from three pieces, estimated per pass (point estimate and every bootstrap replicate, same
client weights):

1. the first spell from the start: the cumulative incidences of werk and of other exits (the existing
   g-formula projections, or the Aalen-Johansen curves of the risk-set design);
2. the return gap ``g`` after an exit to werk (months after the exit month until the next spell starts),
   right-censored at the window end: ``S_terug(u) = P(g > u)``;
3. the months on benefit from the start of a return spell, ``q(s)`` (s = 1 is its start month), over the
   return spells in the data per categorie of the return spell (all of them where a categorie has fewer
   than :data:`MIN_TERUGVAL`): their own exits, and returns after those, by the renewal equation. A
   participant's return spell gets the ``q`` of the participant's categorie at the start.

Then ``D(h, k) = CIF_werk(h) * S_terug(k)`` and, with ``f`` the monthly incidence of werk, ``pi`` the
return-gap distribution and ``S = 1 - CIF_werk - CIF_ander``,
``P(on benefit in month t) = S(t-1) + sum_{e<t} f(e) sum_{g<=t-e} pi(g) q(t-e-g+1)``; the months on benefit
over ``H`` are the sum over ``t = 1..H``.

g-formula: ``S_terug`` from a discrete-time logit of the monthly return hazard, fitted on the exits of
spells without any instrument (months since the exit in bands, the static covariates of the design at
the exit month); for the participants of a cell one log-odds shift (the instrument's effect on the
durability of the job found) is fitted on their own exits with the untreated model as offset, shrunk
toward 0 (normal prior, SD 1). D1 / months1 use the participants' projection with that shift, D0 /
months0 the no-instrument projection with the untreated return model. Approximation (as the truth's
``uitkeringsmaanden_benadering``): ``q`` is the same in both worlds (a return spell follows its observed
natural course; new trajectories in return spells are not removed in the counterfactual), and the return
hazard does not depend on the month of the exit.

Risk-set weighting: ``S_terug`` is the weighted Kaplan-Meier curve of the return gaps of the group's own
exits (participants: weight 1; controls: the ATT weights of the risk-set design; naive: the
never-participants of the categorie).

Bad input that matters only here (counted in :attr:`Naontwerp.telling`, with a warning):

* a new spell that starts before the exit month of the previous one (overlapping spells; validation
  rejects these, so only unvalidated tables have them): the exit is left out of the return model and the
  return curves (its first exit still counts in the CIF), and out of the durable-exit counts;
* an exit to werk in the last month of the data (no follow-up): censored at 0 months -- neither a return
  nor durable; it still counts as a first exit, and its durability is that of the other exits
  (``S_terug``); the population counts of durable exits use only exits with k months of follow-up.

A new spell starting in the exit month itself (possible without overlap of the dates) is a return in
month 1 after the exit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluatie.deadweight import toerekenbaar_aandeel
from evaluatie.effecten.cif import aalen_johansen
from evaluatie.effecten.hazardmodel import Fit, duurband, fit_logit
from evaluatie.effecten.ontwerp import Ontwerp
from evaluatie.effecten.toestand import cif_markov
from evaluatie.effecten.gformule import eta_toestand
from evaluatie.prepare.codes import NAAR_WERK
from evaluatie.survival.productlimiet import hazard, overleving
from evaluatie.waarschuwingen import EffectWaarschuwing, Melding

#: Lower bounds of the bands of months since the exit (1 = the month after the exit month).
TERUGGRENZEN: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 10, 13, 16, 19, 25, 31)
#: Ridge of the untreated return model (all coefficients but the intercept).
RIDGE = 1e-2
#: Precision of the normal prior on a cell's log-odds shift of the return hazard (SD 1).
PRIOR_SHIFT = 1.0
#: Return spells (weighted) a categorie needs for its own months-on-benefit curve ``q``; fewer: the pooled one.
MIN_TERUGVAL = 20.0
#: Design columns left out of the return model (time-varying during the spell).
_TIJDKOLOMMEN = ("duur[", "kalenderjaar[")


@dataclass(frozen=True)
class Naontwerp:
    """Arrays for the outcomes after the first exit (built once by :func:`maak_naontwerp`, reused per replicate).

    Exit arrays (``x_*``) have one entry per spell that ended in werk in the window.
    """

    ks: tuple[int, ...]
    H: int
    x_client: np.ndarray      # client index
    x_cat: np.ndarray         # categorie code at the exit
    x_gap: np.ndarray         # months from the exit month to the next spell's start month (>= 1; BIG = none)
    x_fu: np.ndarray          # months of follow-up after the exit month (window end - exit month)
    x_geldig: np.ndarray      # bool: usable for the return curves (no overlap)
    x_onbehandeld: np.ndarray  # bool: no instrument started in the spell before the exit
    x_stat: np.ndarray        # static-pattern index of the exit row
    r_exit: np.ndarray        # (n_rows,) exit index of the row's spell (-1: spell did not end in werk)
    p_exit: np.ndarray        # (n_part,) exit index of the participant's spell (-1: no exit to werk)
    p_stat: np.ndarray        # (n_part,) static-pattern index of the start row
    Zs: np.ndarray            # (n_stat, k) static design (intercept first)
    # expanded months at risk of a return (valid exits, u = 1..min(gap, fu, H))
    t_exit: np.ndarray
    t_band: np.ndarray
    t_y: np.ndarray
    t_key: np.ndarray         # key index (static pattern x band)
    K_design: np.ndarray      # (n_keys, n_bands + k - 1) design of the keys
    key_stat: np.ndarray
    key_band: np.ndarray
    # return spells (entries for q)
    v_T: np.ndarray
    v_eind: np.ndarray
    v_client: np.ndarray
    v_cat: np.ndarray         # categorie code of the return spell's first month
    p_cat: np.ndarray         # (n_part,) categorie code of the participant's start month
    n_cat: int
    telling: dict = field(default_factory=dict)

    @property
    def n_banden(self) -> int:
        return len(TERUGGRENZEN)


_GEEN = 10 ** 6


def maak_naontwerp(pm: pd.DataFrame, o: Ontwerp, ks: tuple[int, ...]) -> tuple[Naontwerp, tuple[str, ...]]:
    """Exits to werk, their return gaps and follow-up, and the return spells, aligned with ``o``'s rows.

    Parameters
    ----------
    pm : DataFrame
        The person-month table ``o`` was built from (same rows; sorted here the same way). Not modified.
    o : Ontwerp
    ks : tuple of int
        The k's of durable exit (months without a new spell).

    Returns
    -------
    (Naontwerp, warnings)
    """
    H = o.H
    df = pm.sort_values(["spell_id", "maand"], kind="mergesort").reset_index(drop=True)
    n = len(df)
    spell = df["spell_id"].to_numpy()
    km = pd.PeriodIndex(df["kalendermaand"], freq="M")
    kmi = (km.year.to_numpy() * 12 + km.month.to_numpy() - 1).astype(np.int64)
    W = int(kmi.max()) if n else 0
    nieuw = np.r_[True, spell[1:] != spell[:-1]] if n else np.zeros(0, bool)
    sp_first = np.nonzero(nieuw)[0]
    sp_last = np.r_[sp_first[1:], n] - 1
    sp_client = o.r_client[sp_first]
    # next spell of the same client (by start month, then spell id)
    orde = np.lexsort((spell[sp_first], kmi[sp_first], sp_client))
    volgende = np.full(len(sp_first), -1, dtype=np.int64)
    zelfde = sp_client[orde[1:]] == sp_client[orde[:-1]]
    volgende[orde[:-1][zelfde]] = orde[1:][zelfde]
    werk = o.r_y[sp_last] == NAAR_WERK
    xs = np.nonzero(werk)[0]                       # spells that ended in werk
    e = kmi[sp_last[xs]]
    nxt = volgende[xs]
    gap = np.where(nxt >= 0, kmi[sp_first[np.maximum(nxt, 0)]] - e, _GEEN)
    overlap = gap < 0
    gap = np.where(gap == 0, 1, gap)               # a new spell in the exit month: a return in month 1
    fu = W - e
    geldig = ~overlap
    x_client = sp_client[xs]
    x_last = sp_last[xs]

    # static design: the design columns that do not change during a spell
    namen = o.cod.kolomnamen
    cols = [j for j, nm in enumerate(namen) if not nm.startswith(_TIJDKOLOMMEN)]
    Zall = o.X[:, cols]
    Zs, stat_of_pat = np.unique(Zall, axis=0, return_inverse=True)
    stat_of_pat = stat_of_pat.reshape(-1)
    x_stat = stat_of_pat[o.r_pat[x_last]]
    p_stat = stat_of_pat[o.p_pat]

    r_exit = np.full(n, -1, dtype=np.int64)
    sp_of_row = np.repeat(np.arange(len(sp_first)), sp_last - sp_first + 1)
    sp_exit = np.full(len(sp_first), -1, dtype=np.int64)
    sp_exit[xs] = np.arange(len(xs))
    r_exit = sp_exit[sp_of_row] if n else r_exit
    p_exit = np.full(len(o.p_client), -1, dtype=np.int64)
    dl = o.r_deelnemer[x_last]
    p_exit[dl[dl >= 0]] = np.nonzero(dl >= 0)[0]

    # months at risk of a return
    n_at = np.where(geldig, np.minimum(np.minimum(gap, fu), H), 0)
    t_exit = np.repeat(np.arange(len(xs)), n_at)
    t_u = np.arange(n_at.sum()) - np.repeat(np.cumsum(n_at) - n_at, n_at) + 1
    t_y = (t_u == gap[t_exit]).astype(np.int64)
    nb = len(TERUGGRENZEN)
    t_band = duurband(t_u - 1, tuple(g - 1 for g in TERUGGRENZEN))
    # keys: every (static pattern, band) that occurs, plus those of the participants' projections
    alle_stats = np.unique(np.r_[x_stat, p_stat])
    sleutels = (alle_stats[:, None] * nb + np.arange(nb)[None, :]).reshape(-1)
    sleutels = np.unique(np.r_[sleutels, x_stat[t_exit] * nb + t_band])
    t_key = np.searchsorted(sleutels, x_stat[t_exit] * nb + t_band)
    key_stat, key_band = sleutels // nb, sleutels % nb
    bd = np.zeros((len(sleutels), nb - 1))
    m = key_band > 0
    bd[np.nonzero(m)[0], key_band[m] - 1] = 1.0
    K_design = np.hstack([Zs[key_stat][:, :1], bd, Zs[key_stat][:, 1:]])

    # return spells: spells starting in the window after an exit to werk of the same client
    if "terugval" in df.columns:
        tv = df["terugval"].to_numpy()[sp_first] == 1
    else:
        tv = np.zeros(len(sp_first), bool)
    terug = tv & (df["maand"].to_numpy()[sp_first] == 0)
    vf = sp_first[terug]

    telling = {"uitstroom_werk": int(len(xs)), "overlap": int(overlap.sum()),
               "zonder_nazorg": int((fu == 0).sum()), "terugvalperioden": int(len(vf))}
    warns = []
    if telling["overlap"]:
        warns.append(Melding(f"{telling['overlap']} uitstroom naar werk gevolgd door een uitkering die begint vóór de "
                             "uitstroommaand (overlappende perioden): niet meegenomen in terugval en duurzaam werk; "
                             "verwacht perioden die elkaar niet overlappen", bron="duurzaam werk",
                             soort=EffectWaarschuwing))
    if telling["zonder_nazorg"]:
        warns.append(Melding(f"{telling['zonder_nazorg']} uitstroom naar werk in de laatste maand van de gegevens: "
                             "0 maanden nazorg, geteld als gecensureerd (niet duurzaam, geen terugval)",
                             bron="duurzaam werk", soort=EffectWaarschuwing))
    no = Naontwerp(ks=tuple(ks), H=H, x_client=x_client, x_cat=o.r_cat[x_last], x_gap=gap, x_fu=fu, x_geldig=geldig,
                   x_onbehandeld=o.r_onbehandeld[x_last], x_stat=x_stat, r_exit=r_exit, p_exit=p_exit, p_stat=p_stat,
                   Zs=Zs, t_exit=t_exit, t_band=t_band, t_y=t_y, t_key=t_key, K_design=K_design, key_stat=key_stat,
                   key_band=key_band, v_T=o.r_T[vf], v_eind=o.r_eind[vf], v_client=o.r_client[vf], v_cat=o.r_cat[vf],
                   p_cat=o.p_cat, n_cat=max(len(o.categorieen), 1), telling=telling)
    return no, tuple(warns)


# ---------------------------------------------------------------------------------------------------
# return model (g-formula)
# ---------------------------------------------------------------------------------------------------

def _tellingen(no: Naontwerp, w_client: np.ndarray, sel: np.ndarray) -> np.ndarray:
    """Weighted (no return, return) counts per key over the at-risk months ``sel`` (bool over t rows)."""
    K = len(no.key_stat)
    w = w_client[no.x_client[no.t_exit[sel]]]
    return np.bincount(no.t_key[sel] * 2 + no.t_y[sel], weights=w, minlength=2 * K).reshape(K, 2)


def fit_terugval(no: Naontwerp, w_client: np.ndarray, vorige: Fit | None = None, stappen: int = 8) -> Fit:
    """Logit of the monthly return hazard on the exits of spells without an instrument (warm start in replicates)."""
    sel = no.x_onbehandeld[no.t_exit]
    cnt = _tellingen(no, w_client, sel)
    if vorige is None:
        return fit_logit(no.K_design, cnt[:, 0], cnt[:, 1], ridge=RIDGE)
    return fit_logit(no.K_design, cnt[:, 0], cnt[:, 1], ridge=RIDGE, start=vorige.coef, max_stappen=stappen)


def _shift(n0: np.ndarray, n1: np.ndarray, off: np.ndarray, start: float = 0.0) -> float:
    """MAP log-odds shift with offset ``off`` and a N(0, 1/PRIOR_SHIFT) prior (1-D Newton to convergence)."""
    g = float(start)
    nt = n0 + n1
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(off + g, -50.0, 50.0)))
        grad = float((n1 - nt * p).sum()) - PRIOR_SHIFT * g
        hess = float((nt * p * (1 - p)).sum()) + PRIOR_SHIFT
        stap = grad / hess
        g += stap
        if abs(stap) < 1e-12:
            break
    return g


def cel_rijen(no: Naontwerp, deelnemers: np.ndarray, n_part: int) -> np.ndarray:
    """Bool over the at-risk months: the exits of these participants (their post-start exits)."""
    isin = np.zeros(n_part, bool)
    isin[deelnemers] = True
    ex = np.zeros(len(no.x_client) + 1, bool)
    pe = no.p_exit[isin]
    ex[pe[pe >= 0]] = True
    return ex[no.t_exit]


def fit_shift(no: Naontwerp, sel: np.ndarray, eta_keys: np.ndarray, w_client: np.ndarray, start: float = 0.0) -> float:
    """The cell's log-odds shift of the return hazard (offset: the untreated model's linear predictor
    ``eta_keys`` per key), over the cell's months at risk ``sel``."""
    r = np.flatnonzero(sel)
    w = w_client[no.x_client[no.t_exit[r]]]
    y = no.t_y[r]
    return _shift(w * (1 - y), w * y, eta_keys[no.t_key[r]], start)


def s_terug_model(no: Naontwerp, basis: np.ndarray, shift: float, stats: np.ndarray, H: int) -> np.ndarray:
    """``S_terug(u)``, u = 1..H, per static pattern in ``stats`` (rows), from the return model."""
    nb = no.n_banden
    u = np.arange(1, H + 1)
    band = duurband(u - 1, tuple(g - 1 for g in TERUGGRENZEN))
    coef = np.asarray(basis, dtype=float).reshape(-1)
    bandeff = np.r_[0.0, coef[1:nb]]
    stat_eta = coef[0] + no.Zs[stats][:, 1:] @ coef[nb:]
    eta = stat_eta[:, None] + bandeff[band][None, :] + shift
    lam = 1.0 / (1.0 + np.exp(-np.clip(eta, -50.0, 50.0)))
    return np.cumprod(1.0 - lam, axis=1)


# ---------------------------------------------------------------------------------------------------
# nonparametric pieces (risk-set design, q)
# ---------------------------------------------------------------------------------------------------

def s_terug_km(no: Naontwerp, exits: np.ndarray, w: np.ndarray, H: int) -> np.ndarray:
    """Weighted Kaplan-Meier of the return gap, ``S(u) = P(g > u)``, u = 1..H (exits with weights ``w``)."""
    ok = exits >= 0
    ex, w = exits[ok], w[ok]
    ok = no.x_geldig[ex]
    ex, w = ex[ok], w[ok]
    g, f = no.x_gap[ex], no.x_fu[ex]
    obs = np.minimum(np.minimum(g, f), H + 1)
    R = np.cumsum(np.bincount(obs, weights=w, minlength=H + 2)[::-1])[::-1][1: H + 1]
    ev = (g <= f) & (g <= H)
    d = np.bincount(g[ev], weights=w[ev], minlength=H + 1)[1: H + 1]
    return overleving((hazard(d, R),))[0]


def q_terugval(no: Naontwerp, w_client: np.ndarray, pi0: np.ndarray, H: int, sel: np.ndarray | None = None) -> np.ndarray:
    """Probability of being on benefit in month s = 1..H of a return spell (s = 1 its start month).

    The return spells' own exits (Aalen-Johansen over the return spells in the window, or those selected by
    ``sel``, client weights) and returns after their exits to werk (gap distribution ``pi0``), by the
    renewal equation.
    """
    T, e, c = (no.v_T, no.v_eind, no.v_client) if sel is None else (no.v_T[sel], no.v_eind[sel], no.v_client[sel])
    cw, co, _ = aalen_johansen(T, e, w_client[c], H)
    S = 1.0 - cw - co
    S_voor = np.r_[1.0, S[:-1]]
    f = np.diff(np.r_[0.0, cw])
    q = np.zeros(H)
    for s in range(1, H + 1):
        v = S_voor[s - 1]
        for e in range(1, s):
            m = s - e
            v += f[e - 1] * float(np.dot(pi0[:m], q[m - 1::-1][:m]))
        q[s - 1] = v
    return q


def _conv(a: np.ndarray, b: np.ndarray, H: int) -> np.ndarray:
    """Row-wise discrete convolution over the last axis, first ``H`` terms: ``c[k] = sum_{j<=k} a[j] b[k-j]``.

    By FFT (length 2H, so without wrap-around): one call for all rows instead of H array operations.
    """
    n = 2 * H
    return np.fft.irfft(np.fft.rfft(a, n, axis=-1) * np.fft.rfft(b, n, axis=-1), n, axis=-1)[..., :H]


def op_uitkering(cw: np.ndarray, co: np.ndarray, s_terug: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``P(on benefit in month t)``, t = 1..H (last axis), from the first spell, the return gap and ``q``.

    ``cw``, ``co``, ``s_terug`` are (..., H); ``q`` is (H,) or (..., H). Cumulative sum = months on benefit
    over 1..t.
    """
    H = cw.shape[-1]
    S = 1.0 - cw - co
    on = np.concatenate([np.ones(cw.shape[:-1] + (1,)), S[..., :-1]], axis=-1)
    f = np.diff(cw, axis=-1, prepend=0.0)
    pi = -np.diff(s_terug, axis=-1, prepend=1.0)
    # r(m) = sum_{g=1}^{m} pi(g) q(m - g + 1), m = 1..H: the convolution of pi and q
    r = _conv(pi, q, H)
    # on(t) += sum_{e=1}^{t-1} f(e) r(t - e): the convolution of f and r, shifted by one month
    on[..., 1:] += _conv(f, r, H)[..., : H - 1]
    return on


def op_uitkering_gemiddeld(w: np.ndarray, cw: np.ndarray, co: np.ndarray, s_terug: np.ndarray, q: np.ndarray,
                           cat: np.ndarray) -> np.ndarray:
    """Weighted mean over rows of :func:`op_uitkering` (same numbers up to rounding), with ``q`` per categorie.

    ``q`` is (n_cat, H) and ``cat`` the categorie of each row. By linearity and associativity of the
    convolution, ``sum_i w_i (f_i * pi_i * q_c)`` is computed as ``(sum_i w_i f_i * pi_i) * q_c`` per
    categorie, in the frequency domain (FFT length 3H: no wrap-around for three sequences of length H).
    """
    H = cw.shape[-1]
    sw = w.sum()
    S = 1.0 - cw - co
    on = np.r_[1.0, (w[:, None] * S[:, :-1]).sum(axis=0) / sw]
    f = np.diff(cw, axis=-1, prepend=0.0)
    pi = -np.diff(s_terug, axis=-1, prepend=1.0)
    n = 3 * H
    G = np.fft.rfft(f, n, axis=-1) * np.fft.rfft(pi, n, axis=-1) * w[:, None]
    tot = np.zeros(n // 2 + 1, dtype=complex)
    for c in np.unique(cat):
        tot += G[cat == c].sum(axis=0) * np.fft.rfft(q[c], n)
    on[1:] += np.fft.irfft(tot, n)[: H - 1] / sw
    return on


# ---------------------------------------------------------------------------------------------------
# one pass
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Nastart:
    """Fits of the point estimate for the replicates' warm starts."""

    basis: Fit
    shifts: tuple[float, ...]


def cel_namen(ks: tuple[int, ...]) -> tuple[str, ...]:
    """Names of the per-cell curves after the first exit (months 1..H), in vector order."""
    uit: list[str] = []
    for k in ks:
        for m in ("gformule", "risicoset"):
            uit += [f"duurzaam_{k}_cif_deelnemers_{m}", f"duurzaam_{k}_cif_controle_{m}", f"duurzaam_{k}_att_{m}",
                    f"duurzaam_{k}_deadweight_{m}"]
        uit += [f"duurzaam_{k}_cif_naief", f"duurzaam_{k}_naief"]
    for m in ("gformule", "risicoset"):
        uit += [f"uitkeringsmaanden_deelnemers_{m}", f"uitkeringsmaanden_controle_{m}", f"uitkeringsmaanden_verschil_{m}"]
    return tuple(uit)


def populatie_namen(ks: tuple[int, ...]) -> tuple[str, ...]:
    """Population quantities of durable exit per k (rows ``toerekenbaar_aandeel_duurzaam_{k}`` and parts)."""
    return tuple(f"{q}_duurzaam_{k}" for k in ks for q in ("toerekenbaar_aandeel", "toegerekende", "uitstroom",
                                                             "deelnemers"))


def _dw(d1: np.ndarray, d0: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d1 > 0, d0 / d1, np.nan)


@dataclass(frozen=True)
class Nacontext:
    """What one pass shares between the cells (return model, q, the untreated survival of participants)."""

    basis: np.ndarray
    eta_keys: np.ndarray      # (n_keys,) linear predictor of the untreated return model per key
    q: np.ndarray             # (n_cat, H) months on benefit in a return spell, per categorie of the return spell
    pi0: np.ndarray
    s0_stat: np.ndarray       # (n_stat_used, H) S_terug without instrument per static pattern
    stat_pos: np.ndarray      # (n_stat,) row of each static pattern in s0_stat (-1 unused)
    cif0o: np.ndarray         # (n_part, Hp) other-exit CIF without instrument


def cif0_beide(o: Ontwerp, coef: np.ndarray, P0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`evaluatie.effecten.gformule.cif0_deelnemers` (same numbers for werk), plus the other exits."""
    eta = (o.X_proj @ np.asarray(coef).reshape(o.X_proj.shape[1], -1))[o.proj_idx]
    return cif_markov(eta, o.proj_band, eta_toestand(o, coef), P0, o.p_toestand, ander=True)


def cif1_beide(o: Ontwerp, deelnemers: np.ndarray, eta_proj: np.ndarray, eta_s: np.ndarray, pad: np.ndarray,
               P1: np.ndarray, H: int) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`evaluatie.effecten.behandeld.cif1_deelnemers` (same numbers for werk), plus the other exits."""
    from evaluatie.effecten.behandeld import SINDSGRENZEN

    band = duurband(np.arange(H), SINDSGRENZEN)
    return cif_markov(eta_proj[o.proj_idx[deelnemers, :H]], o.proj_band[deelnemers, :H], eta_s, P1,
                      o.p_toestand[deelnemers], pad=pad[band], ander=True)


def context(no: Naontwerp, o: Ontwerp, w_client: np.ndarray, cif0o: np.ndarray,
            vorige: Nastart | None) -> tuple[Nacontext, Fit | None]:
    """Fit the untreated return model and the pooled pieces of one pass."""
    H = no.H
    if vorige is None:
        f = fit_terugval(no, w_client)
        basis = f.coef
    else:
        f = None
        basis = fit_terugval(no, w_client, vorige.basis).coef
    onb = np.flatnonzero(no.x_onbehandeld)
    S0km = s_terug_km(no, onb, w_client[no.x_client[onb]], H)
    pi0 = -np.diff(S0km, prepend=1.0)
    q_alle = q_terugval(no, w_client, pi0, H)
    # per categorie of the return spell (a return spell keeps the categorie at the exit), pooled where few
    q = np.tile(q_alle, (no.n_cat, 1))
    for c in range(no.n_cat):
        sel = no.v_cat == c
        if w_client[no.v_client[sel]].sum() >= MIN_TERUGVAL:
            oc = onb[no.x_cat[onb] == c]
            pic = -np.diff(s_terug_km(no, oc, w_client[no.x_client[oc]], H), prepend=1.0)
            q[c] = q_terugval(no, w_client, pic, H, sel)
    used = np.unique(no.p_stat)
    pos = np.full(len(no.Zs), -1, dtype=np.int64)
    pos[used] = np.arange(len(used))
    s0 = s_terug_model(no, basis, 0.0, used, H)
    return Nacontext(basis, no.K_design @ basis, q, pi0, s0, pos, cif0o), f


def cel_gformule(no: Naontwerp, ctx: Nacontext, dn: np.ndarray, w: np.ndarray, cif1w: np.ndarray, cif1o: np.ndarray,
                 cif0w: np.ndarray, shift: float) -> dict[str, np.ndarray]:
    """g-formula curves of one cell: durable exit per k and months on benefit (weighted means over ``dn``)."""
    H = no.H
    sw = w.sum()
    uit: dict[str, np.ndarray] = {}
    st = ctx.stat_pos[no.p_stat[dn]]
    used = np.unique(no.p_stat[dn])
    s1_stat = s_terug_model(no, ctx.basis, shift, used, H)
    s1 = s1_stat[np.searchsorted(used, no.p_stat[dn])]
    s0 = ctx.s0_stat[st]
    c0o = ctx.cif0o[dn, :H]
    pc = no.p_cat[dn]
    if sw <= 0:
        nan = np.full(H, np.nan)
        for k in no.ks:
            uit.update({f"duurzaam_{k}_cif_deelnemers_gformule": nan, f"duurzaam_{k}_cif_controle_gformule": nan,
                        f"duurzaam_{k}_att_gformule": nan, f"duurzaam_{k}_deadweight_gformule": nan})
        uit.update(uitkeringsmaanden_deelnemers_gformule=nan, uitkeringsmaanden_controle_gformule=nan,
                   uitkeringsmaanden_verschil_gformule=nan)
        return uit
    for k in no.ks:
        d1 = (w[:, None] * cif1w * s1[:, k - 1: k]).sum(axis=0) / sw
        d0 = (w[:, None] * cif0w * s0[:, k - 1: k]).sum(axis=0) / sw
        uit.update({f"duurzaam_{k}_cif_deelnemers_gformule": d1, f"duurzaam_{k}_cif_controle_gformule": d0,
                    f"duurzaam_{k}_att_gformule": d1 - d0, f"duurzaam_{k}_deadweight_gformule": _dw(d1, d0)})
    m1 = np.cumsum(op_uitkering_gemiddeld(w, cif1w, cif1o, s1, ctx.q, pc))
    m0 = np.cumsum(op_uitkering_gemiddeld(w, cif0w, c0o, s0, ctx.q, pc))
    uit.update(uitkeringsmaanden_deelnemers_gformule=m1, uitkeringsmaanden_controle_gformule=m0,
               uitkeringsmaanden_verschil_gformule=m1 - m0)
    return uit


def cel_risicoset(no: Naontwerp, o: Ontwerp, ctx: Nacontext, dn: np.ndarray, w: np.ndarray, aj1w: np.ndarray,
                  aj1o: np.ndarray, rijen: np.ndarray, wc: np.ndarray, cifc: np.ndarray, cifco: np.ndarray,
                  cn: np.ndarray, naief_exits: np.ndarray, w_client: np.ndarray, cat: int) -> dict[str, np.ndarray]:
    """Risk-set curves of one cell: the participants' own exits and returns vs the weighted controls'."""
    H = no.H
    s1 = s_terug_km(no, no.p_exit[dn], w, H)
    s0 = s_terug_km(no, no.r_exit[rijen], wc, H)
    sn = s_terug_km(no, naief_exits, w_client[no.x_client[naief_exits]], H)
    uit: dict[str, np.ndarray] = {}
    for k in no.ks:
        d1, d0, dn_ = aj1w * s1[k - 1], cifc * s0[k - 1], cn * sn[k - 1]
        uit.update({f"duurzaam_{k}_cif_deelnemers_risicoset": d1, f"duurzaam_{k}_cif_controle_risicoset": d0,
                    f"duurzaam_{k}_att_risicoset": d1 - d0, f"duurzaam_{k}_deadweight_risicoset": _dw(d1, d0),
                    f"duurzaam_{k}_cif_naief": dn_, f"duurzaam_{k}_naief": d1 - dn_})
    q = ctx.q[cat]
    m1 = np.cumsum(op_uitkering(aj1w, aj1o, s1, q))
    m0 = np.cumsum(op_uitkering(cifc, cifco, s0, q))
    uit.update(uitkeringsmaanden_deelnemers_risicoset=m1, uitkeringsmaanden_controle_risicoset=m0,
               uitkeringsmaanden_verschil_risicoset=m1 - m0)
    return uit


def naief_exits(no: Naontwerp, cat: int) -> np.ndarray:
    """Exits of spells without an instrument in categorie ``cat`` (the naive comparison's return curve)."""
    return np.flatnonzero(no.x_onbehandeld & (no.x_cat == cat))


def populatie(no: Naontwerp, o: Ontwerp, ctx: Nacontext, cif0w: np.ndarray, w_client: np.ndarray) -> np.ndarray:
    """Durable exits in the window attributable to instruments, per k (:func:`populatie_namen` order).

    Counted over exits with at least k months of follow-up (exit month <= window end - k): participants'
    observed durable exits vs their predicted durable exits without instrument by then; the denominator is
    every durable exit (of any spell) with that follow-up.
    """
    wp = w_client[o.p_client]
    n = len(o.p_client)
    st = ctx.stat_pos[no.p_stat]
    pe = no.p_exit
    xw = w_client[no.x_client]
    uit = []
    for k in no.ks:
        dz = no.x_geldig & (no.x_fu >= k) & (no.x_gap > k)
        met = np.r_[dz, False][pe].astype(float)      # pe = -1 (no exit to werk) -> False
        hv = np.minimum(o.p_hvenster - k, cif0w.shape[1])
        zonder = np.where(hv >= 1, cif0w[np.arange(n), np.maximum(hv, 1) - 1], 0.0) * ctx.s0_stat[st, k - 1] if n \
            else np.zeros(0)
        totaal = float((xw * dz).sum())
        aandeel, toeg = toerekenbaar_aandeel(met, zonder, wp, totaal)
        uit += [aandeel, toeg, totaal, float((wp * met).sum())]
    return np.array(uit, dtype=float)


def n_duurzaam(no: Naontwerp, o: Ontwerp, dn: np.ndarray, k: int, h: int) -> int:
    """Observed durable exits within h months among ``dn`` (known: k months of follow-up, no return)."""
    pe = no.p_exit[dn]
    ok = pe >= 0
    pe = pe[ok]
    T = o.p_T[dn][ok]
    return int((no.x_geldig[pe] & (no.x_fu[pe] >= k) & (no.x_gap[pe] > k) & (T <= h)).sum())
