"""Person-month fixed-effects linear probability model: does being in an instrument change the monthly
chance of exit to work, within the same person and net of the calendar month?

Model, on the person-month table (contract in CONTRIBUTING.md)::

    1[status == 1]_it = a_i + l_t + sum_j (b_j <code_j>_in_it + c_j <code_j>_na_it) + e_it

with ``a_i`` a fixed effect per **client** (default; ``eenheid="spell"`` for one per spell) and ``l_t`` a
fixed effect per calendar month, SE clustered on ``client_id`` with the CR1 correction
``G/(G-1)(N-1)/(N-K)`` (K = instrument columns; fixed effects nested in clients are not counted; this is
``plm::vcovHC(type="sss")`` / Stata ``xtreg, fe vce(cluster)``), t with G-1 df.

Why the client by default: exit to work ends a spell, so within a spell it is a non-repeated event, and
fixed-effects estimators for non-repeated events are biased (Allison & Christakis 2000, Sociological
Methodology 30): a spell effect equals the spell's exit rate 1/T_i and is correlated with when in the spell
an instrument is used. In the simulation of ``benchmarks/bench_panel.py`` (planted shifts of the monthly
work probability; an instrument without effect) the spell-FE estimate of the null instrument is about
+0.02 per month (20 SE), the client-FE estimate about 0.00; ``tests/test_panel_persoon.py`` keeps that
check. A client effect is identified from clients with several spells and from timing within spells;
it absorbs everything fixed about the person. The bias does not vanish for the ``_na`` (after-programme)
terms, so the caveat is stated in every summary: read the estimates as a within-person check next to the
survival models, not instead of them.

Engines: ``"panelols"`` (linearmodels ``PanelOLS``, the reference) and ``"fwl"`` (exact, hand-written:
within-unit demeaning plus the calendar months partialled out through their (T x T) normal equations,
Frisch-Waugh-Lovell; no iterations, memory O(N K), for national scale). Tests show both equal to R plm.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy import sparse, stats

from evaluatie.panel.inferentie import codeer, cr1_factor, groepsom
from evaluatie.waarschuwingen import PanelWaarschuwing

Eenheid = Literal["spell", "client"]
Engine = Literal["fwl", "panelols"]
EENHEDEN: tuple[str, ...] = ("spell", "client")
ENGINES: tuple[str, ...] = ("fwl", "panelols")

CAVEAT = (
    "Let op: uitstroom naar werk is binnen een uitkeringsperiode een niet-herhaalbare gebeurtenis; "
    "vaste-effectenschatters zijn dan vertekend (Allison & Christakis 2000). Lees dit als controle "
    "binnen personen naast de overlevingsmodellen."
)


def _kies(naam: str, waarde: str, opties: tuple[str, ...]) -> None:
    if waarde not in opties:
        raise ValueError(f"{naam}: verwacht een van {', '.join(opties)}, kreeg {waarde!r}")


def instrumentkolommen(pm: pd.DataFrame, instrumenten: Sequence[str] | None = None) -> list[str]:
    """Instrument-state columns ``<code>_in`` / ``<code>_na`` present in ``pm`` (in column order)."""
    if instrumenten is None:
        codes = [c[:-3] for c in pm.columns if c.endswith("_in") and f"{c[:-3]}_na" in pm.columns]
    else:
        codes = list(instrumenten)
        ontbreekt = [f"{c}{s}" for c in codes for s in ("_in", "_na") if f"{c}{s}" not in pm.columns]
        if ontbreekt:
            raise ValueError(f"persoonmaanden mist kolom(men) {', '.join(ontbreekt)}")
    return [f"{c}{s}" for c in codes for s in ("_in", "_na")]


@dataclass(frozen=True)
class PersoonFE:
    """Result of :func:`schat_persoon_fe`.

    Attributes
    ----------
    termen : tuple of str
        Instrument-state columns, in the order of ``schatting``.
    schatting, se : ndarray
        Coefficients (change in the monthly probability of exit to work) and clustered SEs.
    vcov : ndarray
        Clustered covariance (CR1).
    df : int
        Degrees of freedom of the t reference (G - 1).
    n_obs, n_eenheden, n_clienten, n_maanden, n_gebeurtenissen : int
        Person-months, fixed-effect units, clusters, calendar months, exits to work.
    spec : dict
        Options that produced the result.
    waarschuwingen : tuple of str
        Warnings raised while fitting.
    """

    termen: tuple[str, ...]
    schatting: np.ndarray
    se: np.ndarray
    vcov: np.ndarray
    df: int
    n_obs: int
    n_eenheden: int
    n_clienten: int
    n_maanden: int
    n_gebeurtenissen: int
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    def to_frame(self, niveau: float = 0.95) -> pd.DataFrame:
        """Tidy table: one row per instrument-state term."""
        crit = stats.t.ppf(0.5 + niveau / 2, self.df)
        t = self.schatting / self.se
        return pd.DataFrame(
            {
                "term": list(self.termen),
                "instrument": [s[:-3] for s in self.termen],
                "toestand": ["tijdens" if s.endswith("_in") else "na" for s in self.termen],
                "schatting": self.schatting,
                "se": self.se,
                "t": t,
                "p": 2 * stats.t.sf(np.abs(t), self.df),
                "ci_laag": self.schatting - crit * self.se,
                "ci_hoog": self.schatting + crit * self.se,
                "n_obs": self.n_obs,
                "n_clienten": self.n_clienten,
                "n_gebeurtenissen": self.n_gebeurtenissen,
                "methode": f"lpm_fe_{self.spec.get('eenheid')}_kalendermaand_cr1",
            }
        )

    def summary(self) -> str:
        f = self.to_frame()
        regels = [
            f"Lineair kansmodel uitstroom naar werk per persoonmaand, vaste effecten per "
            f"{self.spec.get('eenheid')} en kalendermaand (engine {self.spec.get('engine')}); "
            f"n = {self.n_obs} persoonmaanden, {self.n_clienten} clienten, {self.n_gebeurtenissen} uitstromen naar werk; "
            f"SE geclusterd op client (CR1, t met {self.df} vg).",
        ]
        for r in f.itertuples():
            regels.append(
                f"  {r.instrument} ({r.toestand}): {100 * r.schatting:+.2f} procentpunt per maand "
                f"(95%-BI {100 * r.ci_laag:+.2f} tot {100 * r.ci_hoog:+.2f}; p = {r.p:.3f})"
            )
        regels.append(CAVEAT)
        regels += [f"Waarschuwing: {w}" for w in self.waarschuwingen]
        return "\n".join(regels)


def _demean_inplace(codes: np.ndarray, n: np.ndarray, Z: np.ndarray) -> None:
    """Subtract group means column by column in place (temporaries of one column only)."""
    for j in range(Z.shape[1]):
        Z[:, j] -= (np.bincount(codes, weights=Z[:, j], minlength=len(n)) / n)[codes]


def fwl_twoway(
    y: np.ndarray, X: np.ndarray, eenheid: np.ndarray, tijd: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact two-way fixed-effects OLS (many units, few periods) by Frisch-Waugh-Lovell.

    Demeans within units, then partials out the period dummies through their normal equations
    ``D'M_a D`` (T x T, built with a sparse unit x period incidence matrix). Exact (no iterations) for
    unbalanced panels; memory about three copies of ``X``.

    Parameters
    ----------
    y : (N,) array
    X : (N, K) array
    eenheid, tijd : (N,) int arrays
        Codes ``0..n_units-1`` and ``0..T-1``.

    Returns
    -------
    beta : (K,) array
    Xdd : (N, K) array
        ``X`` with both sets of effects partialled out (the design for the sandwich).
    e : (N,) array
        Residuals.
    """
    n_a = np.bincount(eenheid).astype(float)
    T = int(tijd.max()) + 1
    n_t = np.bincount(tijd, minlength=T).astype(float)
    Z = np.empty((len(y), 1 + X.shape[1]))
    Z[:, 0] = y
    Z[:, 1:] = X
    _demean_inplace(eenheid, n_a, Z)  # Z = M_a [y X]
    Cmat = sparse.csr_matrix((np.ones(len(tijd)), (eenheid, tijd)), shape=(len(n_a), T))
    DMD = np.diag(n_t) - (Cmat.T @ sparse.diags(1.0 / n_a) @ Cmat).toarray()
    del Cmat
    DZ = groepsom(tijd, T, Z)  # T x (1+K) = D' M_a Z
    # D'M_a D has rank <= T-1 (the constant lies in the unit space): minimum-norm solution
    Gam = np.linalg.lstsq(DMD, DZ, rcond=None)[0]
    for j in range(Z.shape[1]):  # Z -= M_a D Gam, column by column
        g = Gam[tijd, j]
        g -= (np.bincount(eenheid, weights=g, minlength=len(n_a)) / n_a)[eenheid]
        Z[:, j] -= g
    ydd, Xdd = Z[:, 0], Z[:, 1:]
    beta = np.linalg.solve(Xdd.T @ Xdd, Xdd.T @ ydd)
    e = ydd - Xdd @ beta
    return beta, Xdd, e


def _fit_fwl(y, X, eenheid, tijd, cluster, G):
    beta, Xdd, e = fwl_twoway(y, X, eenheid, tijd)
    bread = np.linalg.inv(Xdd.T @ Xdd)
    S = np.column_stack([np.bincount(cluster, weights=Xdd[:, j] * e, minlength=G) for j in range(Xdd.shape[1])])
    return beta, bread @ (S.T @ S) @ bread


def _fit_panelols(y, X, eenheid, tijd, cluster, G, namen):
    from linearmodels.panel import PanelOLS

    idx = pd.MultiIndex.from_arrays([eenheid, tijd], names=["eenheid", "tijd"])
    dep = pd.Series(y, index=idx, name="werk")
    exog = pd.DataFrame(X, index=idx, columns=namen)
    res = PanelOLS(dep, exog, entity_effects=True, time_effects=True).fit(
        cov_type="clustered",
        clusters=pd.DataFrame({"client": cluster}, index=idx),
        debiased=False,
        group_debias=False,
        auto_df=False,
        count_effects=False,
    )
    # debiased=False, auto_df=False, count_effects=False: linearmodels returns the plain CR0 sandwich
    return res.params.to_numpy(), res.cov.to_numpy()


def schat_persoon_fe(
    pm: pd.DataFrame,
    *,
    instrumenten: Sequence[str] | None = None,
    eenheid: Eenheid = "client",
    engine: Engine = "fwl",
) -> PersoonFE:
    """Fit the person-month fixed-effects LPM of exit to work on instrument state.

    Parameters
    ----------
    pm : DataFrame
        Person-month table (``client_id``, ``spell_id``, ``kalendermaand``, ``status``,
        ``<code>_in``, ``<code>_na``); not modified.
    instrumenten : sequence of str, optional
        Instrument codes to include (default: every code with both state columns).
    eenheid : {"spell", "client"}
        Level of the individual fixed effect (see module docstring).
    engine : {"fwl", "panelols"}
        Exact hand-written FWL engine or linearmodels ``PanelOLS``; same numbers.

    Returns
    -------
    PersoonFE
    """
    _kies("eenheid", eenheid, EENHEDEN)
    _kies("engine", engine, ENGINES)
    nodig = {"client_id", "spell_id", "kalendermaand", "status"}
    ontbreekt = sorted(nodig - set(pm.columns))
    if ontbreekt:
        raise ValueError(f"persoonmaanden mist kolom(men) {', '.join(ontbreekt)}")
    kolommen = instrumentkolommen(pm, instrumenten)
    if not kolommen:
        raise ValueError("persoonmaanden bevat geen instrumentkolommen <code>_in/<code>_na")
    waarsch: list[str] = []
    X = pm[kolommen].to_numpy(dtype=float)
    y = (pm["status"].to_numpy() == 1).astype(float)
    a_codes, n_a = codeer(pm["spell_id" if eenheid == "spell" else "client_id"])
    t_codes, T = codeer(pm["kalendermaand"])
    c_codes, G = codeer(pm["client_id"])
    # drop terms without variation within units (not identified)
    n_unit = np.bincount(a_codes).astype(float)
    houd = np.array([
        np.abs(X[:, j] - (np.bincount(a_codes, weights=X[:, j], minlength=len(n_unit)) / n_unit)[a_codes]).max() > 1e-12
        for j in range(X.shape[1])
    ])
    for k in np.flatnonzero(~houd):
        waarsch.append(f"{kolommen[k]} varieert niet binnen {eenheid}s; niet geschat")
    kolommen = [k for k, h in zip(kolommen, houd) if h]
    if not houd.all():
        X = X[:, houd]
    if not kolommen:
        raise ValueError("geen enkele instrumentkolom varieert binnen personen; model niet schatbaar")
    if G < 2:
        raise ValueError("minstens twee clienten nodig voor geclusterde standaardfouten")
    if engine == "fwl":
        beta, v0 = _fit_fwl(y, X, a_codes, t_codes, c_codes, G)
    else:
        beta, v0 = _fit_panelols(y, X, a_codes, t_codes, c_codes, G, kolommen)
    vcov = cr1_factor(len(y), len(kolommen), G) * v0
    if G < 50:
        waarsch.append(f"slechts {G} clienten (clusters): geclusterde SE onbetrouwbaar")
    for w in waarsch:
        warnings.warn(w, PanelWaarschuwing, stacklevel=2)
    return PersoonFE(
        termen=tuple(kolommen),
        schatting=np.asarray(beta, dtype=float),
        se=np.sqrt(np.diag(vcov)),
        vcov=vcov,
        df=G - 1,
        n_obs=len(y),
        n_eenheden=n_a,
        n_clienten=G,
        n_maanden=T,
        n_gebeurtenissen=int(y.sum()),
        spec={"eenheid": eenheid, "engine": engine, "instrumenten": sorted({k[:-3] for k in kolommen}),
              "cluster": "client_id", "correctie": "CR1 G/(G-1)(N-1)/(N-K)"},
        waarschuwingen=tuple(waarsch),
    )
