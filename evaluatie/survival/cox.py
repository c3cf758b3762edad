"""Cause-specific Cox proportional-hazards model on (start, stop] data.

``cox("werk ~ jobcoaching_in + jobcoaching_na + leeftijd + C(opleidingsniveau)", data, start="start",
stop="stop")`` fits the hazard of exit to work; exits of other causes are censored at their time.

Left side of the formula (decision):
- the name of a column in ``data`` -> that column is the event indicator (non-zero = event), unless
  ``cause`` is given, then ``column == cause`` is the event;
- otherwise an uitstroom reason (``werk``, ``verhuizing``, ``huishoudenswijziging``,
  ``pensioen_leeftijd``, ``overig``; or a key of ``causes``) -> event = ``data[event] == code``
  with ``event="status"`` by default (the counting-process contract).
Without a formula pass ``covariates=[...]`` and ``cause=`` (an integer code) or a 0/1 ``event``.

Engine: :mod:`evaluatie.survival.efron` (vectorised NumPy, Efron or Breslow ties, strata); iteration
and convergence as R ``coxph`` (Newton-Raphson, step halving, ``|1 - L_old/L_new| <= 1e-9``).
statsmodels ``PHReg`` is not used: it counts a row as at risk at its own entry time, which
double-counts split (start, stop] rows at tied times.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

from evaluatie.survival import efron
from evaluatie.survival.fouten import NietGeconvergeerd, OverlevingsFout, OverlevingsWaarschuwing
from evaluatie.survival.invoer import _rijen, conf_z, tijden
from evaluatie.survival.namen import MetWaarschuwingen, met_oude_namen
from evaluatie.survival.ontwerp import UITSTROOM_OORZAKEN, check_identifiable, design, split_formula
from evaluatie.survival.phtest import PHTestResult, Transform, ph_test

Ties = Literal["efron", "breslow"]


@dataclass(frozen=True)
class CoxSpec:
    """The call that produced a :class:`CoxResult`."""

    formula: str | None
    covariates: tuple[str, ...]
    start: str | None
    stop: str
    event: str
    cause: int | None
    ties: str
    strata: tuple[str, ...]
    cluster: str | None
    robust: bool
    conf_level: float
    eps: float
    max_iter: int


@dataclass(frozen=True)
class _State:
    X: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    index: efron.RiskIndex
    terms: tuple


@dataclass(frozen=True)
class CoxResult(MetWaarschuwingen):
    """Fitted cause-specific Cox model.

    Attributes
    ----------
    params : Series
        Log hazard ratios by design column.
    cov : DataFrame
        Covariance used for inference: cluster-robust (sandwich, as R ``cluster()``) when a cluster or
        ``robust=True`` was given, else model-based (inverse information).
    cov_model : DataFrame
        Inverse observed information.
    se, se_model, se_robust : Series
        ``se`` is the one used for z, p and CIs; ``se_robust`` is None without clustering.
    loglik, loglik_null : float
        Log partial likelihood at the estimate and at beta = 0.
    n, n_events, n_clusters : int
        Rows used, events of the modelled cause, clusters (rows when robust without cluster).
    iterations : int; converged : bool; spec : CoxSpec; waarschuwingen : tuple of str (``warnings``: deprecated alias)
    """

    params: pd.Series
    cov: pd.DataFrame
    cov_model: pd.DataFrame
    se: pd.Series
    se_model: pd.Series
    se_robust: pd.Series | None
    loglik: float
    loglik_null: float
    n: int
    n_events: int
    n_clusters: int | None
    iterations: int
    converged: bool
    spec: CoxSpec
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)
    _state: _State | None = field(default=None, repr=False, compare=False)

    @property
    def hazard_ratios(self) -> pd.Series:
        return np.exp(self.params)

    def to_frame(self, *, oude_namen: bool = False) -> pd.DataFrame:
        """Tidy table: term, coef, se, se_model, se_robust, z, p, hr, hr_ci_laag, hr_ci_hoog, n, events.

        ``oude_namen=True``: hr_ci_lower/hr_ci_upper as before (deprecated)."""
        z = conf_z(self.spec.conf_level)
        coef, se = self.params.to_numpy(), self.se.to_numpy()
        stat = coef / se
        fr = pd.DataFrame({
            "term": self.params.index, "coef": coef, "se": se, "se_model": self.se_model.to_numpy(),
            "se_robust": self.se_robust.to_numpy() if self.se_robust is not None else np.nan,
            "z": stat, "p": 2 * norm.sf(np.abs(stat)), "hr": np.exp(coef),
            "hr_ci_laag": np.exp(coef - z * se), "hr_ci_hoog": np.exp(coef + z * se),
            "n": self.n, "events": self.n_events})
        return met_oude_namen(fr) if oude_namen else fr

    def lr_test(self) -> tuple[float, int, float]:
        """Likelihood-ratio test against beta = 0: (statistic, df, p)."""
        stat = 2.0 * (self.loglik - self.loglik_null)
        df = len(self.params)
        return stat, df, float(chi2.sf(stat, df))

    def ph_test(self, transform: Transform = "km") -> PHTestResult:
        """Test of proportional hazards (R ``cox.zph``, same transform and tie handling as the fit)."""
        if transform not in ("km", "identity", "rank", "log"):
            raise OverlevingsFout(
                f"transform: verwacht een van 'km', 'identity', 'rank', 'log', kreeg {transform!r}")
        st = self._state
        if st is None:
            raise OverlevingsFout("dit resultaat bevat geen modelgegevens voor de PH-toets")
        beta = self.params.to_numpy()
        pl = efron.partial_lik(beta, efron.sort_design(st.X, st.index), st.index, per_time=True)
        terms = [(n, list(c)) for n, c in st.terms]
        return ph_test(st.X, st.index, pl, start=st.start, stop=st.stop, event=st.event, terms=terms,
                       transform=transform)

    def summary(self) -> str:
        s = self.spec
        soort = ("cluster-robuust (" + (s.cluster or "per rij") + f", {self.n_clusters} clusters)"
                 if self.se_robust is not None else "modelgebaseerd")
        lines = [
            "Cox proportionele-hazardsmodel (oorzaakspecifiek)" if s.cause is not None else "Cox proportionele-hazardsmodel",
            f"  model: {s.formula or ', '.join(s.covariates)}"
            + (f"  [oorzaak {s.cause}]" if s.cause is not None else ""),
            f"  n = {self.n} rijen, {self.n_events} gebeurtenissen, ties = {s.ties}"
            + (f", strata: {', '.join(s.strata)}" if s.strata else ""),
            f"  standaardfouten: {soort}",
            f"  {'term':<28}{'coef':>10}{'se':>10}{'HR':>9}{'BI laag':>9}{'BI hoog':>9}{'p':>9}",
        ]
        for r in self.to_frame().itertuples():
            lines.append(f"  {str(r.term):<28}{r.coef:10.4f}{r.se:10.4f}{r.hr:9.3f}{r.hr_ci_laag:9.3f}"
                         f"{r.hr_ci_hoog:9.3f}{r.p:9.4f}")
        lr, df, p = self.lr_test()
        lines.append(f"  log partiële likelihood {self.loglik:.3f} (nulmodel {self.loglik_null:.3f}); "
                     f"LR-toets {lr:.2f} op {df} vg, p = {p:.3g}; {self.iterations} iteraties")
        lines += [f"  waarschuwing: {w}" for w in self.waarschuwingen]
        return "\n".join(lines)


def _event_indicator(data: pd.DataFrame, lhs: str | None, event: str, cause: int | None,
                     causes: dict[str, int]) -> tuple[str, int | None]:
    """Resolve (event column, cause code) from the formula's left side and the arguments."""
    if lhs is None:
        return event, cause
    if lhs in data.columns:
        return lhs, cause
    if lhs in causes:
        code = causes[lhs]
        if cause is not None and cause != code:
            raise OverlevingsFout(f"linkerzijde '{lhs}' betekent oorzaak {code}, maar cause={cause} is opgegeven")
        return event, code
    raise OverlevingsFout(
        f"linkerzijde '{lhs}' is geen kolom en geen uitstroomreden; verwacht een van "
        f"{', '.join(causes)} of een kolomnaam")


def cox(formula: str | None, data: pd.DataFrame, *, stop: str, event: str = "status",
        start: str | None = None, cause: int | None = None, covariates: Sequence[str] | None = None,
        ties: Ties = "efron", strata: str | Sequence[str] | None = None, cluster: str | None = None,
        robust: bool = False, conf_level: float = 0.95, causes: dict[str, int] | None = None,
        eps: float = 1e-9, max_iter: int = 20) -> CoxResult:
    """Fit a (cause-specific) Cox proportional-hazards model on (start, stop] rows.

    Parameters
    ----------
    formula : str or None
        ``"werk ~ x1 + C(opleidingsniveau)"`` (formulaic syntax for the right side; see module docs for
        the left side) or None with ``covariates``.
    data : DataFrame
        Counting-process rows; never modified.
    stop, start : str
        Interval columns; a row is at risk at t iff ``start < t <= stop``. ``start`` None = 0 entry.
    event : str
        Column with 0 = censored and cause codes 1..k (or 0/1).
    cause : int, optional
        Code of the modelled cause; events of other causes are censored. None = any non-zero code.
    ties : {"efron", "breslow"}
    strata : str or list of str, optional
        Separate baseline hazard per combination of these columns.
    cluster : str, optional
        Cluster id (e.g. ``client_id``) for the sandwich SE (R ``cluster()``); implies robust.
    robust : bool
        Sandwich SE with each row its own cluster when no ``cluster`` is given.
    conf_level : float
        Level of the hazard-ratio intervals.
    causes : dict, optional
        Names for cause codes on the left side; default the uitstroom codes (werk = 1, …).
    eps, max_iter : float, int
        Convergence tolerance on the relative log-likelihood change, and iteration cap (R defaults).

    Returns
    -------
    CoxResult

    Raises
    ------
    OverlevingsFout
        Missing/invalid columns, ``stop <= start``, no events, non-identifiable or collinear covariates
        (named), fewer than 2 clusters.
    """
    if ties not in ("efron", "breslow"):
        raise OverlevingsFout(f"ties: verwacht een van 'efron', 'breslow', kreeg {ties!r}")
    conf_z(conf_level)
    causes = dict(UITSTROOM_OORZAKEN if causes is None else causes)
    lhs, rhs = split_formula(formula) if formula is not None else (None, None)
    if formula is None and not covariates:
        raise OverlevingsFout("geef een formule of een lijst covariates op")
    ev_col, cause = _event_indicator(data, lhs, event, cause, causes)
    tt = tijden(data, stop=stop, event=ev_col, start=start)
    ev = (tt.event == cause) if cause is not None else (tt.event > 0)
    n_ev = int(ev.sum())
    if n_ev == 0:
        wat = f"oorzaak {cause}" if cause is not None else "een gebeurtenis"
        raise OverlevingsFout(f"geen enkele rij eindigt met {wat} (kolom '{ev_col}'): het model is niet te schatten")
    strata_cols = (strata,) if isinstance(strata, str) else tuple(strata or ())
    for c in strata_cols + ((cluster,) if cluster else ()):
        if c not in data.columns:
            raise OverlevingsFout(f"kolom '{c}' ontbreekt")
        if data[c].isna().any():
            raise OverlevingsFout(f"kolom '{c}' heeft ontbrekende waarden in rij(en) met index "
                                  f"{_rijen(data.index, data[c].isna().to_numpy())}")
    if strata_cols:
        s_codes = data.groupby(list(strata_cols), sort=True, observed=True).ngroup().to_numpy(np.int64)
    else:
        s_codes = np.zeros(len(data), dtype=np.int64)
    ont = design(data, rhs, list(covariates) if covariates else None)
    if ont.X.shape[1] == 0:
        raise OverlevingsFout("het model heeft geen covariaten")
    start_arr = tt.start if start is not None else np.full(len(data), -np.inf)
    ix = efron.build_index(start_arr, tt.stop, ev, s_codes, ties)
    used = np.zeros(len(data), dtype=bool)
    used[ix.rows] = True
    check_identifiable(ont.X, ont.names, s_codes, used)
    X = ont.X - ont.X[used].mean(axis=0)
    X[~used] = 0.0  # rows never at risk do not enter any sum; keep them finite
    try:
        sd = efron.sort_design(X, ix)
        nr = efron.newton_raphson(sd, ix, eps=eps, max_iter=max_iter)
    except np.linalg.LinAlgError as exc:
        raise OverlevingsFout(
            "de informatiematrix is singulier; controleer op covariaten die binnen risicosets niet "
            f"variëren ({', '.join(ont.names)})") from exc
    warns: list[str] = []
    V = np.linalg.inv(nr.final.info)
    beta = nr.beta
    if not nr.converged:
        warns.append(f"niet geconvergeerd na {nr.iterations} iteraties; schattingen onbetrouwbaar")
    # R coxph.fit: flag coefficients whose remaining Newton step is large (monotone likelihood)
    nxt = np.abs(nr.final.score @ V)
    inf = (nxt > eps) & (nxt > np.sqrt(eps) * np.abs(beta))
    if inf.any():
        names = ", ".join(ont.names[i] for i in np.flatnonzero(inf))
        warns.append(f"log-likelihood geconvergeerd vóór covariaat {names}; coëfficiënt is mogelijk "
                     "oneindig (monotone likelihood, bijv. perfecte scheiding)")
    se_model = np.sqrt(np.diag(V))
    se_rob = None
    n_cl = None
    cov = V
    if cluster is not None or robust:
        D = efron.score_residuals(beta, X, ix, nr.final) @ V
        if cluster is not None:
            g = pd.factorize(data[cluster], sort=False)[0]
            n_cl = int(g.max()) + 1
            if n_cl < 2:
                raise OverlevingsFout(f"cluster-robuuste SE vereist minstens 2 clusters in '{cluster}', kreeg {n_cl}")
            Dc = np.column_stack([np.bincount(g, D[:, j], n_cl) for j in range(D.shape[1])])
        else:
            n_cl, Dc = len(data), D
        cov = Dc.T @ Dc
        se_rob = np.sqrt(np.diag(cov))
        if n_cl < 30:
            warns.append(f"slechts {n_cl} clusters: cluster-robuuste SE is onnauwkeurig")
    for w in warns:
        warnings.warn(w, NietGeconvergeerd if ("oneindig" in w or "geconvergeerd" in w) else OverlevingsWaarschuwing,
                      stacklevel=2)
    idx = pd.Index(ont.names, name="term")
    spec = CoxSpec(formula=formula, covariates=tuple(ont.names), start=start, stop=stop, event=ev_col,
                   cause=cause, ties=ties, strata=strata_cols, cluster=cluster,
                   robust=bool(robust or cluster is not None), conf_level=conf_level, eps=eps,
                   max_iter=max_iter)
    se = se_rob if se_rob is not None else se_model
    return CoxResult(
        params=pd.Series(beta, index=idx), cov=pd.DataFrame(cov, index=idx, columns=idx),
        cov_model=pd.DataFrame(V, index=idx, columns=idx), se=pd.Series(se, index=idx),
        se_model=pd.Series(se_model, index=idx),
        se_robust=pd.Series(se_rob, index=idx) if se_rob is not None else None,
        loglik=nr.loglik, loglik_null=nr.loglik_null, n=len(data), n_events=n_ev, n_clusters=n_cl,
        iterations=nr.iterations, converged=nr.converged, spec=spec, waarschuwingen=tuple(warns),
        _state=_State(X=X, start=start_arr, stop=tt.stop, event=ev, index=ix, terms=ont.terms))
