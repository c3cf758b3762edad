"""Is a difference larger than chance? Position within the group, and a funnel plot of all gemeenten.

Position: percentile (mid-rank), z against the group mean/SD, and a prediction interval for a new
member of the group, ``mean ± t_{n−1} · sd · √(1 + 1/n)``: if the gemeente were an ordinary member,
it would fall inside with the stated probability.

Funnel (Spiegelhalter 2005, Stat Med 24:1185; "Handling over-dispersion of performance indicators",
Qual Saf Health Care 14:347): indicator vs size, with 95% and 99.8% limits around the national target.
Work on a variance-stabilising scale (square root for ratios O/E of a Poisson count, arcsine-square-root
for proportions, identity for a difference), so the within-unit SD is ``s_i = 1/(2√E_i)`` (or
``√(s²/E_i)`` on the identity scale). Normal approximation (not exact Poisson limits).
Overdispersion: ``multiplicatief`` — φ̂ = mean of squared winsorised z (default 10% each tail; by
default divided by its normal-theory value 0.68 so that it is consistent, see
:func:`overdispersie_schatting`), limits widened by √φ̂ if φ̂ > 1; ``additief`` — random effects τ̂² (Spiegelhalter's DerSimonian–Laird form,
or by default a winsorised Paule–Mandel root), limits ``g(θ0) ± z·√(s_i² + τ̂²)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import brentq

from evaluatie.benchmark.vergelijkingsgroep import kies

Overdispersie = Literal["geen", "multiplicatief", "additief"]
Soort = Literal["poisson", "binomiaal", "normaal"]
Z95 = float(stats.norm.ppf(0.975))
MIN_N_EFFECTIEF = 3.0
Z998 = float(stats.norm.ppf(0.999))


@dataclass(frozen=True)
class Positie:
    """Position of one value within a comparison group.

    Attributes
    ----------
    waarde : float
    n : int
        Group size (members with a value).
    n_effectief : float
        ``1/Σw²`` (= n for equal weights); degrees of freedom are ``n_effectief − 1``.
    gemiddelde, sd : float
        (Weighted) group mean and SD (reliability-weighted, unbiased for equal weights).
    verschil : float
        ``waarde − gemiddelde``.
    se_verschil : float
        ``sd · √(1 + 1/n_eff)`` — SE of the difference if the gemeente were an ordinary member.
    percentiel : float
        Share of the group (weighted) below the value, ties counted half, in %.
    z : float
        ``verschil / sd``.
    pi_laag, pi_hoog : float
        Prediction interval for a new member.
    p : float
        Two-sided p-value of ``verschil / se_verschil`` against t with ``n_eff − 1`` df.
    niveau : float
    """

    waarde: float
    n: int
    n_effectief: float
    gemiddelde: float
    sd: float
    verschil: float
    se_verschil: float
    percentiel: float
    z: float
    pi_laag: float
    pi_hoog: float
    p: float
    niveau: float = 0.95
    waarschuwingen: tuple[str, ...] = ()

    @property
    def buiten_interval(self) -> bool:
        """True when the value lies outside the prediction interval."""
        return bool(self.waarde < self.pi_laag or self.waarde > self.pi_hoog)

    def to_frame(self) -> pd.DataFrame:
        d = {k: getattr(self, k) for k in ("waarde", "n", "n_effectief", "gemiddelde", "sd", "verschil",
                                            "se_verschil", "percentiel", "z", "pi_laag", "pi_hoog", "p", "niveau")}
        d["buiten_interval"] = self.buiten_interval
        return pd.DataFrame([d])

    def summary(self) -> str:
        return (f"waarde {self.waarde:.1f}; groep {self.gemiddelde:.1f} (sd {self.sd:.1f}, n {self.n}); "
                f"verschil {self.verschil:+.1f}; {self.niveau:.0%}-voorspellingsinterval "
                f"{self.pi_laag:.1f}–{self.pi_hoog:.1f}; percentiel {self.percentiel:.0f}; z {self.z:+.2f}")


def positie_in_groep(waarde: float, groep: np.ndarray, gewichten: np.ndarray | None = None, *,
                     niveau: float = 0.95) -> Positie:
    """Position of ``waarde`` within ``groep`` (optionally weighted, e.g. synthetic weights).

    Parameters
    ----------
    waarde : float
        The gemeente's value.
    groep : array
        Members' values; NaN members are dropped (weights renormalised, with a warning).
    gewichten : array, optional
        Non-negative member weights (default equal).
    niveau : float
        Coverage of the prediction interval.

    Returns
    -------
    Positie
        NaN statistics (with a warning) when fewer than 2 members; no prediction interval (NaN) when the
        effective size ``1/Σw²`` is below 3 (a synthetic group on one or two donors).
    """
    y = np.asarray(groep, dtype=float)
    w = np.ones_like(y) if gewichten is None else np.asarray(gewichten, dtype=float)
    warn = []
    ok = np.isfinite(y)
    if not ok.all():
        warn.append(f"{int((~ok).sum())} groepsleden zonder waarde weggelaten")
    y, w = y[ok], w[ok]
    nan = float("nan")
    if y.size == 0 or w.sum() <= 0 or not np.isfinite(waarde):
        return Positie(float(waarde), int(y.size), nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, niveau,
                       tuple(warn + ["geen vergelijking mogelijk (geen waarden)"]))
    w = w / w.sum()
    m = float(np.dot(w, y))
    n_eff = float(1.0 / np.sum(w ** 2))
    pct = float(100 * (w[y < waarde].sum() + 0.5 * w[y == waarde].sum()))
    if y.size < 2 or n_eff <= 1.0 + 1e-9:
        return Positie(float(waarde), int(y.size), n_eff, m, nan, float(waarde - m), nan, pct, nan, nan, nan, nan,
                       niveau, tuple(warn + ["te weinig groepsleden voor spreiding"]))
    sd = float(np.sqrt(np.dot(w, (y - m) ** 2) / (1.0 - np.sum(w ** 2))))
    if sd == 0:
        warn.append("geen spreiding in de groep")
    if n_eff < MIN_N_EFFECTIEF:
        z = (waarde - m) / sd if sd > 0 else nan
        return Positie(float(waarde), int(y.size), n_eff, m, sd, float(waarde - m), nan, pct, float(z), nan, nan,
                       nan, niveau, tuple(warn + [f"effectieve groepsgrootte {n_eff:.1f} < {MIN_N_EFFECTIEF}: "
                                                  "geen voorspellingsinterval"]))
    df_ = n_eff - 1.0
    se = sd * np.sqrt(1.0 + 1.0 / n_eff)
    tq = float(stats.t.ppf(0.5 + niveau / 2, df_))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.float64(waarde - m) / np.float64(sd)
        t = np.float64(waarde - m) / np.float64(se)
    p = float(2 * stats.t.sf(abs(t), df_)) if np.isfinite(t) else nan
    return Positie(float(waarde), int(y.size), n_eff, m, sd, float(waarde - m), float(se), pct, float(z),
                   float(m - tq * se), float(m + tq * se), p, niveau, tuple(warn))


# ----------------------------------------------------------------------------------------- funnel
def _transformeer(y: np.ndarray, soort: str) -> np.ndarray:
    if soort == "poisson":
        return np.sqrt(np.clip(y, 0, None))
    if soort == "binomiaal":
        return np.arcsin(np.sqrt(np.clip(y, 0, 1)))
    return y


def _terug(g: np.ndarray, soort: str) -> np.ndarray:
    if soort == "poisson":
        return np.clip(g, 0, None) ** 2
    if soort == "binomiaal":
        return np.sin(np.clip(g, 0, np.pi / 2)) ** 2
    return g


def _sd_binnen(grootte: np.ndarray, soort: str, eenheidsvariantie: float) -> np.ndarray:
    if soort in ("poisson", "binomiaal"):
        return 1.0 / (2.0 * np.sqrt(grootte))
    return np.sqrt(eenheidsvariantie / grootte)


def winsoriseer(z: np.ndarray, aandeel: float) -> np.ndarray:
    """Set values below the ``aandeel`` and above the ``1 − aandeel`` quantile to those quantiles."""
    if aandeel <= 0:
        return z.copy()
    lo, hi = np.quantile(z, [aandeel, 1 - aandeel])
    return np.clip(z, lo, hi)


def winsor_factor(aandeel: float) -> float:
    """``E[w(Z)²]`` for standard normal Z winsorised at the ``aandeel`` / ``1 − aandeel`` quantiles.

    With ``c = Φ⁻¹(1 − a)``: ``(1 − 2a) − 2c·φ(c) + 2a·c²`` (0.6787 for a = 0.1; 1 for a = 0).
    """
    if aandeel <= 0:
        return 1.0
    c = float(stats.norm.ppf(1 - aandeel))
    return float((1 - 2 * aandeel) - 2 * c * stats.norm.pdf(c) + 2 * aandeel * c * c)


def overdispersie_schatting(z: np.ndarray, s: np.ndarray, *, winsor: float = 0.1,
                            correctie: bool = True) -> tuple[float, float]:
    """Overdispersion: multiplicative φ̂ and additive τ̂² from winsorised z-scores.

    ``correctie=False`` gives Spiegelhalter's (2005) estimators exactly (as in FunnelPlotR):
    φ̂ = mean of squared winsorised z, τ̂² = max(0, (Iφ̂ − (I−1)) / (Σw − Σw²/Σw)), w = 1/s².

    Winsorising shrinks the mean square (for normal z and 10% per tail to 0.68, not 1), and with unequal
    sizes the z's of an additive model are heavy-tailed, so the plain estimates understate
    overdispersion and too many gemeenten fall outside the limits (checked by simulation in the tests).
    ``correctie=True`` (default) divides φ̂ by :func:`winsor_factor`, and takes τ̂² as the root of
    ``mean(w(z_i(τ²))²) / factor = 1`` with ``z_i(τ²) = z_i·s_i / √(s_i² + τ²)`` re-winsorised at each
    τ² (a winsorised Paule–Mandel estimator; brentq), which is consistent when the random effects are
    normal and still robust to a few outliers.

    Parameters
    ----------
    z : array
        z-scores under no overdispersion, ``(g(y_i) − g(θ0)) / s_i``.
    s : array
        Within-unit SDs on the same scale.
    winsor : float
        Share winsorised in each tail (Spiegelhalter: 0.1).
    correctie : bool

    Returns
    -------
    (phi, tau2)
    """
    z = np.asarray(z, float)
    s = np.asarray(s, float)
    n = z.size
    factor = winsor_factor(winsor) if correctie else 1.0
    phi = float(np.mean(winsoriseer(z, winsor) ** 2)) / factor
    if not correctie:
        w = 1.0 / s ** 2
        noemer = w.sum() - (w ** 2).sum() / w.sum()
        tau2 = float(max(0.0, (n * phi - (n - 1)) / noemer)) if noemer > 0 else 0.0
        return phi, tau2
    r = z * s

    def f(t2: float) -> float:
        return float(np.mean(winsoriseer(r / np.sqrt(s ** 2 + t2), winsor) ** 2)) / factor - 1.0

    if f(0.0) <= 0:
        return phi, 0.0
    hoog = float(np.max(r ** 2)) + float(np.max(s ** 2))
    while f(hoog) > 0:
        hoog *= 4
    return phi, float(brentq(f, 0.0, hoog, xtol=1e-14, rtol=1e-10))


@dataclass(frozen=True)
class Trechter:
    """Funnel plot of all gemeenten for one indicator.

    Attributes
    ----------
    tabel : DataFrame
        eenheid, waarde, grootte, z, grens95_laag/hoog, grens998_laag/hoog, klasse_95, klasse_998
        (``boven`` / ``binnen`` / ``onder``).
    doel : float
        Target θ0 (default: pooled national value).
    phi, tau2 : float
        Estimated overdispersion (φ̂ always reported; used only for ``multiplicatief`` when > 1;
        τ̂² used for ``additief``).
    overdispersie, soort : str
    spec : dict
    waarschuwingen : tuple of str
    """

    tabel: pd.DataFrame
    doel: float
    phi: float
    tau2: float
    overdispersie: str
    soort: str
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.tabel)

    def grenzen(self, grootte: np.ndarray) -> pd.DataFrame:
        """Control limits evaluated at arbitrary sizes (for drawing the funnel)."""
        return _grenzen(np.asarray(grootte, float), self.doel, self.soort, self.spec["eenheidsvariantie"],
                        self._phi_gebruikt, self._tau2_gebruikt)

    @property
    def _phi_gebruikt(self) -> float:
        return max(self.phi, 1.0) if self.overdispersie == "multiplicatief" else 1.0

    @property
    def _tau2_gebruikt(self) -> float:
        return self.tau2 if self.overdispersie == "additief" else 0.0

    def to_frame(self) -> pd.DataFrame:
        return self.tabel.assign(doel=self.doel, phi=self.phi, tau2=self.tau2, overdispersie=self.overdispersie)

    def summary(self) -> str:
        k = self.tabel["klasse_95"].value_counts()
        k998 = self.tabel["klasse_998"].value_counts()
        return (f"Trechter ({self.soort}, overdispersie {self.overdispersie}, φ̂ {self.phi:.2f}, τ̂² {self.tau2:.3g}): "
                f"{self.n} gemeenten; buiten 95%-grenzen {k.get('boven', 0)} boven en {k.get('onder', 0)} onder; "
                f"buiten 99,8%-grenzen {k998.get('boven', 0)} boven en {k998.get('onder', 0)} onder.")


def _grenzen(grootte: np.ndarray, doel: float, soort: str, eenheidsvariantie: float, phi: float,
             tau2: float) -> pd.DataFrame:
    s = _sd_binnen(grootte, soort, eenheidsvariantie)
    sd = np.sqrt(phi * s ** 2 + tau2)
    g0 = float(_transformeer(np.array([doel]), soort)[0])
    out = pd.DataFrame({"grootte": grootte})
    for naam, zq in (("95", Z95), ("998", Z998)):
        out[f"grens{naam}_laag"] = _terug(g0 - zq * sd, soort)
        out[f"grens{naam}_hoog"] = _terug(g0 + zq * sd, soort)
    return out


def trechter(waarde: np.ndarray, grootte: np.ndarray, *, eenheden: np.ndarray | None = None,
             soort: Soort = "poisson", doel: float | None = None, overdispersie: Overdispersie = "additief",
             winsor: float = 0.1, correctie: bool = True, eenheidsvariantie: float | None = None) -> Trechter:
    """Funnel-plot limits and classification (Spiegelhalter 2005).

    Parameters
    ----------
    waarde : array
        Indicator as a ratio/proportion (not %): ``O/E`` for ``poisson``, a proportion for
        ``binomiaal``, any value with variance ``eenheidsvariantie / grootte`` for ``normaal``.
    grootte : array
        Precision: E (genormeerd aantal) for ratios, n (meldingen) for proportions.
    eenheden : array, optional
        Labels (gemeentecode).
    soort : {"poisson", "binomiaal", "normaal"}
    doel : float, optional
        Target; default the pooled value ``Σ(waarde·grootte) / Σgrootte``.
    overdispersie : {"geen", "multiplicatief", "additief"}
    winsor : float
        Share winsorised in each tail when estimating φ.
    correctie : bool
        Correct φ̂ for winsorising (see :func:`overdispersie_schatting`).
    eenheidsvariantie : float, optional
        For ``normaal``: s² with ``Var(waarde_i) = s² / grootte_i`` (required).

    Returns
    -------
    Trechter
    """
    kies(soort, get_args(Soort), "soort")
    kies(overdispersie, get_args(Overdispersie), "overdispersie")
    y = np.asarray(waarde, dtype=float)
    e = np.asarray(grootte, dtype=float)
    labels = np.arange(y.size).astype(str) if eenheden is None else np.asarray(eenheden).astype(str)
    warn = []
    ok = np.isfinite(y) & np.isfinite(e) & (e > 0)
    if not ok.all():
        warn.append(f"{int((~ok).sum())} eenheden zonder waarde of met grootte 0 weggelaten")
    y, e, labels = y[ok], e[ok], labels[ok]
    if y.size < 3:
        raise ValueError(f"trechter vraagt minstens 3 eenheden met een waarde, kreeg {y.size}")
    if soort == "normaal" and eenheidsvariantie is None:
        raise ValueError("soort 'normaal' vraagt eenheidsvariantie (s² met Var = s²/grootte)")
    ev = float(eenheidsvariantie) if eenheidsvariantie is not None else float("nan")
    d = float(np.sum(y * e) / np.sum(e)) if doel is None else float(doel)
    if soort == "poisson" and np.min(d * e) < 10:
        warn.append("kleine verwachte aantallen (<10): normale benadering van de grenzen is grof")
    g = _transformeer(y, soort)
    g0 = float(_transformeer(np.array([d]), soort)[0])
    s = _sd_binnen(e, soort, ev)
    z0 = (g - g0) / s
    phi, tau2 = overdispersie_schatting(z0, s, winsor=winsor, correctie=correctie)
    phi_g = max(phi, 1.0) if overdispersie == "multiplicatief" else 1.0
    tau2_g = tau2 if overdispersie == "additief" else 0.0
    if overdispersie == "geen" and phi > 1.5:
        warn.append(f"sterke overdispersie (φ̂ = {phi:.1f}): zonder correctie vallen te veel gemeenten buiten de grenzen")
    z = (g - g0) / np.sqrt(phi_g * s ** 2 + tau2_g)
    tab = pd.DataFrame({"eenheid": labels, "waarde": y, "grootte": e, "z": z})
    tab = pd.concat([tab, _grenzen(e, d, soort, ev, phi_g, tau2_g).drop(columns="grootte")], axis=1)
    for naam, zq in (("95", Z95), ("998", Z998)):
        tab[f"klasse_{naam}"] = np.select([z > zq, z < -zq], ["boven", "onder"], "binnen")
    return Trechter(tab, d, phi, tau2, overdispersie, soort,
                    {"winsor": winsor, "correctie": correctie, "eenheidsvariantie": ev, "limieten": [0.95, 0.998],
                     "benadering": "normaal op variantie-stabiliserende schaal"}, tuple(warn))
