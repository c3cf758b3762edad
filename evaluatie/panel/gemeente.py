"""Difference-in-differences and event study on the municipal panel (gemeente x jaar).

Question: did the gemeenten that shifted effort to categorie A/B in a policy year (the Werkplein-gemeenten,
2016) change an indicator -- uitstroom as % of the genormeerd aantal, by default -- relative to
municipalities that did not shift?

Model (two-way fixed effects, one common policy year, never-treated comparison group)::

    y_gt = a_g + l_t + d * behandeld_g * 1[t >= jaar] + e_gt                      (DiD)
    y_gt = a_g + l_t + sum_{k != -1} b_k * behandeld_g * 1[t - jaar == k] + e_gt    (event study)

Inference with few clusters (typically 6 treated among some 20-30 gemeenten), all clustered on gemeente:

- ``cr1``: CR1 (``G/(G-1)(N-1)/(N-K)``, K = terms + year dummies) with t(G-1) critical values;
- ``cr2``: CR2 / Bell-McCaffrey with Satterthwaite df (Pustejovsky & Tipton 2018; = R clubSandwich);
- ``wild``: wild cluster restricted bootstrap-t (Webb 6-point weights by default, seeded) with a
  test-inversion CI (Roodman et al. 2019);
- ``cr1_normaal``: CR1 with normal critical values -- the naive variant, shown for contrast only.

Pre-trend test of the event study (all leads zero): the CR2 Wald test with the approximate Hotelling
T-squared reference distribution ("HTZ", Pustejovsky & Tipton 2018), with the CR1 F(q, G-1) test and the
wild bootstrap of the CR1 Wald statistic as secondary columns.

With one common adoption year and a never-treated comparison group the two-way FE estimator is the plain
2x2 DiD (no negative-weighting problem of staggered adoption).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evaluatie.panel.inferentie import (
    Gewichten,
    GEWICHTEN,
    WildBootstrap,
    cluster_vcov,
    codeer,
    cr1_factor,
    WaldHTZ,
    beperkingsmatrix,
    cr2,
    t_toets,
    wald_htz,
    wild_bootstrap_t,
    wild_bootstrap_wald,
)
from evaluatie.panel.persoon import PanelWaarschuwing

#: indicator -> (Dutch label, numerator, denominator); value = 100 * numerator / denominator
INDICATOREN: dict[str, tuple[str, str, str]] = {
    "uitstroom_pct_norm": ("uitstroom in % van genormeerd aantal", "uitstroom", "genormeerd_aantal"),
    "instroom_pct_norm": ("instroom in % van genormeerd aantal", "instroom", "genormeerd_aantal"),
    "feitelijk_pct_norm": ("uitkeringen in % van genormeerd aantal", "feitelijk_aantal", "genormeerd_aantal"),
    "aandeel_werk_in_uitstroom_pct": ("uitstroom naar werk in % van uitstroom", "uitstroom_werk", "uitstroom"),
    "uitstroom_werk_pct_norm": ("uitstroom naar werk in % van genormeerd aantal", "uitstroom_werk", "genormeerd_aantal"),
}

#: Old indicator names, still accepted for one version (with a DeprecationWarning). ``uitstroom_werk_pct``
#: meant uitstroom_werk / uitstroom here but uitstroom_werk / genormeerd aantal in the benchmark
#: (:mod:`evaluatie.benchmark.indicatoren`); one name now has one meaning.
VEROUDERDE_NAMEN: dict[str, str] = {"uitstroom_werk_pct": "aandeel_werk_in_uitstroom_pct"}


def indicatornaam(naam: str) -> str:
    """The current name of indicator ``naam`` (old names of :data:`VEROUDERDE_NAMEN` with a DeprecationWarning)."""
    if naam in VEROUDERDE_NAMEN:
        nieuw = VEROUDERDE_NAMEN[naam]
        warnings.warn(f"indicator {naam!r} heet nu {nieuw!r} (uitstroom naar werk in % van de uitstroom); "
                      f"de oude naam verdwijnt in de volgende versie", DeprecationWarning, stacklevel=3)
        return nieuw
    return naam


class BeleidsFout(ValueError):
    """Input that makes the policy evaluation impossible (message in Dutch, for the user)."""


def indicatoren(gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Add the indicator columns of :data:`INDICATOREN` (percentages); returns a new frame.

    A missing numerator or a zero/missing denominator gives NaN.
    """
    out = gemeenten.copy()
    for naam, (_, teller, noemer) in INDICATOREN.items():
        if teller in out.columns and noemer in out.columns:
            t = pd.to_numeric(out[teller], errors="coerce").astype(float)
            n = pd.to_numeric(out[noemer], errors="coerce").astype(float).where(lambda s: s > 0)
            out[naam] = 100 * t / n
    return out


@dataclass(frozen=True)
class Ontwerp:
    """A municipal panel ready for estimation (pure data; built by :func:`bouw_ontwerp`)."""

    y: np.ndarray
    X: np.ndarray  # [termen | jaar-dummies (eerste jaar weggelaten) | gemeente-dummies]
    termen: tuple[str, ...]
    cluster: np.ndarray
    G: int
    jaren: tuple[int, ...]
    gemeenten: tuple[str, ...]
    n_behandeld: int
    waarschuwingen: tuple[str, ...]

    @property
    def k_slopes(self) -> int:
        """Columns not nested in the gemeente clusters: terms + year dummies."""
        return len(self.termen) + len(self.jaren) - 1


def controleer_invoer(
    panel: pd.DataFrame, behandeld: Sequence[str], jaar: int, controle: Sequence[str] | None = None
) -> tuple[list[str], list[str]]:
    """Check gemeente codes and the policy year against the panel; return (behandeld, controle).

    Raises
    ------
    BeleidsFout
        Unknown codes, overlap, too few gemeenten, or a policy year without a year before and after it.
    """
    aanwezig = set(panel["gemeentecode"].astype(str))
    behandeld = list(dict.fromkeys(str(c) for c in behandeld))
    if not behandeld:
        raise BeleidsFout("geef minstens één behandelde gemeente (--behandeld GMxxxx)")
    onbekend = [c for c in behandeld if c not in aanwezig]
    if onbekend:
        raise BeleidsFout(
            f"onbekende gemeentecode(s) bij behandeld: {', '.join(onbekend)}; de tabel gemeenten bevat "
            f"{len(aanwezig)} gemeenten (bijv. {', '.join(sorted(aanwezig)[:5])})"
        )
    if controle:
        controle = list(dict.fromkeys(str(c) for c in controle))
        onbekend = [c for c in controle if c not in aanwezig]
        if onbekend:
            raise BeleidsFout(f"onbekende gemeentecode(s) bij controle: {', '.join(onbekend)}")
        dubbel = sorted(set(controle) & set(behandeld))
        if dubbel:
            raise BeleidsFout(f"gemeente(n) zowel behandeld als controle: {', '.join(dubbel)}")
    else:
        controle = sorted(aanwezig - set(behandeld))
    if len(controle) < 2:
        raise BeleidsFout(f"minstens twee controlegemeenten nodig, kreeg {len(controle)}")
    jaren = sorted(int(j) for j in panel["jaar"].unique())
    if not jaren[0] < jaar <= jaren[-1]:
        raise BeleidsFout(
            f"beleidsjaar {jaar} valt buiten de gegevens: verwacht een jaar na {jaren[0]} en uiterlijk "
            f"{jaren[-1]} (er moet minstens één jaar vóór en één jaar vanaf de wijziging zijn)"
        )
    return behandeld, controle


def bouw_ontwerp(
    panel: pd.DataFrame,
    *,
    behandeld: Sequence[str],
    jaar: int,
    indicator: str,
    controle: Sequence[str] | None = None,
    soort: str = "did",
) -> Ontwerp:
    """Build y and the full dummy design for the DiD (``soort="did"``) or event study (``"event"``)."""
    if indicator not in panel.columns:
        bekend = ", ".join(INDICATOREN)
        raise BeleidsFout(f"onbekende indicator {indicator!r}; verwacht een van {bekend} of een kolom van gemeenten")
    behandeld, controle = controleer_invoer(panel, behandeld, jaar, controle)
    waarsch = []
    d = panel[panel["gemeentecode"].astype(str).isin(set(behandeld) | set(controle))]
    y_all = pd.to_numeric(d[indicator], errors="coerce").astype(float)
    ok = np.isfinite(y_all.to_numpy())
    if (~ok).any():
        waarsch.append(f"{int((~ok).sum())} gemeente-jaren zonder waarde voor {indicator} weggelaten")
    d = d[ok]
    dubbel = d.duplicated(["gemeentecode", "jaar"])
    if dubbel.any():
        raise BeleidsFout(f"gemeente x jaar komt dubbel voor ({int(dubbel.sum())} keer); verwacht één rij per gemeente per jaar")
    d = d.sort_values(["gemeentecode", "jaar"])
    jaar_v = d["jaar"].astype(int).to_numpy()
    code_v = d["gemeentecode"].astype(str).to_numpy()
    beh = np.isin(code_v, behandeld)
    n_beh = len(set(code_v[beh]))
    if n_beh == 0:
        raise BeleidsFout("geen behandelde gemeente heeft een waarde voor deze indicator")
    if not ((beh & (jaar_v < jaar)).any() and (beh & (jaar_v >= jaar)).any()):
        raise BeleidsFout(f"te weinig voorperiodes: behandelde gemeenten hebben geen waarneming vóór én vanaf {jaar}")
    jaren = tuple(sorted(set(jaar_v.tolist())))
    if soort == "did":
        termen = ("beleid",)
        T = (beh & (jaar_v >= jaar)).astype(float)[:, None]
    else:
        rel = sorted({j - jaar for j in jaren} - {-1})
        termen = tuple(f"rel_{k}" for k in rel)
        T = np.column_stack([(beh & (jaar_v - jaar == k)).astype(float) for k in rel])
    g_codes, G = codeer(code_v)
    j_codes, n_j = codeer(jaar_v)
    J = np.zeros((len(d), n_j))
    J[np.arange(len(d)), j_codes] = 1.0
    Gd = np.zeros((len(d), G))
    Gd[np.arange(len(d)), g_codes] = 1.0
    X = np.column_stack([T, J[:, 1:], Gd])
    if n_beh < 4 or G < 12:
        waarsch.append(
            f"weinig clusters ({n_beh} behandeld, {G} totaal): vertrouw op CR2/Bell-McCaffrey en de wild "
            "cluster bootstrap, niet op de gewone geclusterde SE"
        )
    return Ontwerp(
        y=d[indicator].to_numpy(dtype=float), X=X, termen=termen, cluster=g_codes, G=G, jaren=jaren,
        gemeenten=tuple(sorted(set(code_v.tolist()))), n_behandeld=n_beh, waarschuwingen=tuple(waarsch),
    )


@dataclass(frozen=True)
class Coefficienten:
    """Coefficients of the terms of a municipal model with CR1 and CR2 inference (pure numbers)."""

    termen: tuple[str, ...]
    schatting: np.ndarray
    se_cr1: np.ndarray
    se_cr2: np.ndarray
    df_cr2: np.ndarray
    vcov_cr1: np.ndarray  # terms x terms
    factor: float
    G: int
    n_obs: int


def schat_coefficienten(o: Ontwerp) -> Coefficienten:
    """OLS on the full dummy design; CR1 and CR2 (with Bell-McCaffrey df) for the terms."""
    q = len(o.termen)
    XtX = o.X.T @ o.X
    leeg = [t for i, t in enumerate(o.termen) if not np.any(np.asarray(o.X)[:, i])]
    if leeg or np.linalg.matrix_rank(XtX) < XtX.shape[0]:
        waar = f"geen waarneming voor {', '.join(map(str, leeg))}" if leeg else "termen lineair afhankelijk"
        raise BeleidsFout(f"het model is niet te schatten ({waar}); ontbreekt een jaar van een behandelde gemeente, "
                          "bijv. door een afgekeurde rij? Verwacht voor elke behandelde gemeente elk jaar van het panel")
    M = np.linalg.inv(XtX)
    beta = M @ (o.X.T @ o.y)
    e = o.y - o.X @ beta
    factor = cr1_factor(len(o.y), o.k_slopes, o.G)
    v1 = cluster_vcov(o.X, e, o.cluster, bread=M, factor=factor)[:q, :q]
    c2 = cr2(o.X, e, o.cluster, df_voor=list(range(q)))
    return Coefficienten(
        termen=o.termen, schatting=beta[:q], se_cr1=np.sqrt(np.diag(v1)), se_cr2=np.sqrt(np.diag(c2.vcov)[:q]),
        df_cr2=c2.df[:q], vcov_cr1=v1, factor=factor, G=o.G, n_obs=len(o.y),
    )


@dataclass(frozen=True)
class DidResultaat:
    """Difference-in-differences estimate with four kinds of inference.

    Attributes
    ----------
    schatting : float
        DiD coefficient (indicator units, e.g. procentpunt of the norm).
    se_cr1, se_cr2, df_cr2 : float
        CR1 SE, CR2 SE and its Bell-McCaffrey df.
    wild : WildBootstrap or None
        Wild cluster restricted bootstrap test and CI.
    gemiddelde_voor : float
        Mean of the indicator in treated gemeenten before the policy year (scale for the effect).
    """

    analyse: str
    indicator: str
    jaar: int
    behandeld: tuple[str, ...]
    controle: tuple[str, ...]
    schatting: float
    se_cr1: float
    se_cr2: float
    df_cr2: float
    wild: WildBootstrap | None
    gemiddelde_voor: float
    n_obs: int
    n_gemeenten: int
    n_behandeld: int
    jaren: tuple[int, ...]
    niveau: float = 0.95
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per inference method."""
        rijen = []
        for methode, se, df in (
            ("cr2_bell_mccaffrey", self.se_cr2, self.df_cr2),
            ("cr1_t_G-1", self.se_cr1, self.n_gemeenten - 1),
            ("cr1_normaal", self.se_cr1, np.inf),
        ):
            p, lo, hi = t_toets(self.schatting, se, df, self.niveau)
            rijen.append((methode, se, df, p, lo, hi))
        if self.wild is not None:
            rijen.append((f"wild_bootstrap_{self.wild.gewichten}", np.nan, np.nan, self.wild.p,
                          self.wild.ci_laag, self.wild.ci_hoog))
        f = pd.DataFrame(rijen, columns=["methode", "se", "df", "p", "ci_laag", "ci_hoog"])
        f.insert(0, "schatting", self.schatting)
        f.insert(0, "jaar", self.jaar)
        f.insert(0, "indicator", self.indicator)
        f.insert(0, "analyse", self.analyse)
        f["gemiddelde_voor"] = self.gemiddelde_voor
        f["n_obs"] = self.n_obs
        f["n_gemeenten"] = self.n_gemeenten
        f["n_behandeld"] = self.n_behandeld
        return f

    def summary(self) -> str:
        label = INDICATOREN.get(self.indicator, (self.indicator,))[0]
        f = self.to_frame().set_index("methode")
        r2 = f.loc["cr2_bell_mccaffrey"]
        wat = "Placebo (nepjaar)" if self.analyse.startswith("placebo") else "Verschil-in-verschillen"
        regels = [
            f"{wat} {self.jaar}, {label}: {self.schatting:+.2f} punt "
            f"(gemiddelde behandeld vóór: {self.gemiddelde_voor:.1f}); {self.n_behandeld} behandelde en "
            f"{self.n_gemeenten - self.n_behandeld} controlegemeenten, {self.n_obs} gemeente-jaren "
            f"{self.jaren[0]}-{self.jaren[-1]}.",
            f"  CR2/Bell-McCaffrey: SE {self.se_cr2:.2f}, {self.df_cr2:.1f} vg, 95%-BI {r2.ci_laag:+.2f} tot "
            f"{r2.ci_hoog:+.2f}, p = {r2.p:.3f}",
        ]
        if self.wild is not None:
            regels.append(
                f"  Wild cluster bootstrap ({self.wild.gewichten}, B = {self.wild.B}, seed {self.wild.seed}): "
                f"p = {self.wild.p:.3f}, 95%-BI {self.wild.ci_laag:+.2f} tot {self.wild.ci_hoog:+.2f}"
            )
        r0 = f.loc["cr1_normaal"]
        regels.append(f"  (ter vergelijking, naïef CR1 met normale verdeling: p = {r0.p:.3f})")
        regels += [f"  Waarschuwing: {w}" for w in self.waarschuwingen]
        return "\n".join(regels)


def _gemiddelde_voor(panel, behandeld, jaar, indicator) -> float:
    m = panel["gemeentecode"].astype(str).isin(behandeld) & (panel["jaar"].astype(int) < jaar)
    return float(pd.to_numeric(panel.loc[m, indicator], errors="coerce").mean())


def verschil_in_verschillen(
    panel: pd.DataFrame,
    *,
    behandeld: Sequence[str],
    jaar: int,
    indicator: str = "uitstroom_pct_norm",
    controle: Sequence[str] | None = None,
    B: int = 9999,
    gewichten: Gewichten = "webb",
    seed: int = 1,
    niveau: float = 0.95,
    bootstrap: bool = True,
    analyse: str = "did",
) -> DidResultaat:
    """Two-way FE difference-in-differences of ``indicator`` around policy year ``jaar``.

    Parameters
    ----------
    panel : DataFrame
        ``gemeenten`` table (validated), optionally already passed through :func:`indicatoren`; not modified.
    behandeld : sequence of str
        CBS codes of the gemeenten that changed policy.
    jaar : int
        First year under the new policy.
    indicator : str
        One of :data:`INDICATOREN` or another numeric column.
    controle : sequence of str, optional
        Comparison gemeenten (default: all others in the table).
    B, gewichten, seed : int, {"webb", "rademacher"}, int
        Wild cluster bootstrap settings.
    niveau : float
        Confidence level.
    bootstrap : bool
        Whether to run the wild cluster bootstrap (including its CI).
    """
    if gewichten not in GEWICHTEN:
        raise ValueError(f"gewichten: verwacht een van {', '.join(GEWICHTEN)}, kreeg {gewichten!r}")
    indicator = indicatornaam(indicator)
    if indicator in INDICATOREN and indicator not in panel.columns:
        panel = indicatoren(panel)
    o = bouw_ontwerp(panel, behandeld=behandeld, jaar=jaar, indicator=indicator, controle=controle, soort="did")
    c = schat_coefficienten(o)
    wild = None
    if bootstrap:
        wild = wild_bootstrap_t(o.X, o.y, o.cluster, 0, factor=c.factor, B=B, gewichten=gewichten, seed=seed, niveau=niveau)
    beh = tuple(sorted(set(behandeld)))
    for w in o.waarschuwingen:
        warnings.warn(w, PanelWaarschuwing, stacklevel=2)
    return DidResultaat(
        analyse=analyse, indicator=indicator, jaar=jaar, behandeld=beh,
        controle=tuple(g for g in o.gemeenten if g not in beh), schatting=float(c.schatting[0]),
        se_cr1=float(c.se_cr1[0]), se_cr2=float(c.se_cr2[0]), df_cr2=float(c.df_cr2[0]), wild=wild,
        gemiddelde_voor=_gemiddelde_voor(panel, beh, jaar, indicator), n_obs=c.n_obs, n_gemeenten=o.G,
        n_behandeld=o.n_behandeld, jaren=o.jaren, niveau=niveau,
        spec={"model": "y ~ beleid + jaar-FE + gemeente-FE", "cluster": "gemeentecode", "B": B,
              "gewichten": gewichten, "seed": seed},
        waarschuwingen=o.waarschuwingen,
    )


@dataclass(frozen=True)
class Pretrend:
    """Joint test that all leads (relative years <= -2) are zero.

    The headline test is the CR2 Wald test with the approximate Hotelling T-squared reference distribution
    (``htz``, Pustejovsky & Tipton 2018; = ``clubSandwich::Wald_test(..., test = "HTZ")``). The CR1 Wald
    test referred to ``F(q, G-1)`` and the wild cluster restricted bootstrap of the CR1 Wald statistic are
    kept as secondary results: with few treated gemeenten the CR1 F test rejects far too often.

    Attributes
    ----------
    leads : tuple of str
        Terms tested (``rel_-2``, ``rel_-3``, ...).
    htz : WaldHTZ
        CR2 / HTZ test (headline).
    f_cr1, df1, df2_cr1, p_cr1 : float, int, int, float
        CR1 F statistic, its df ``(q, G-1)`` and p-value (secondary; over-rejects with few treated clusters).
    wild : WildBootstrap or None
        Wild cluster restricted bootstrap of the CR1 Wald statistic (secondary).
    alpha : float
        Level at which :meth:`lezing` calls the pre-trend significant.
    """

    leads: tuple[str, ...]
    htz: WaldHTZ
    f_cr1: float
    df1: int
    df2_cr1: int
    p_cr1: float
    wild: WildBootstrap | None
    alpha: float = 0.05

    @property
    def p(self) -> float:
        """p-value of the headline test (CR2 / HTZ)."""
        return self.htz.p

    def to_frame(self) -> pd.DataFrame:
        """One row per test: ``cr2_htz`` (headline, ``hoofdtoets`` True), ``cr1_f``, wild bootstrap."""
        h = self.htz
        rijen = [("cr2_htz", True, h.F, h.q, h.df2, h.p, h.Q, h.eta, np.nan),
                 ("cr1_f", False, self.f_cr1, self.df1, self.df2_cr1, self.p_cr1, self.f_cr1 * self.df1, np.nan,
                  np.nan)]
        if self.wild is not None:
            rijen.append((f"wild_bootstrap_{self.wild.gewichten}", False, np.nan, self.df1, np.nan, self.wild.p,
                          self.wild.statistiek, np.nan, self.wild.B))
        f = pd.DataFrame(rijen, columns=["methode", "hoofdtoets", "f", "df1", "df2", "p", "wald", "eta", "B"])
        f.insert(0, "leads", " ".join(self.leads))
        f.insert(0, "aantal_leads", len(self.leads))
        return f

    def lezing(self) -> str:
        """One Dutch sentence saying what the headline test means for the parallel-trends assumption."""
        q = len(self.leads)
        if not np.isfinite(self.htz.p):
            return (f"Lezing: niet te beoordelen — met {q} voorlopende jaren en zo weinig behandelde gemeenten "
                    f"blijven te weinig vrijheidsgraden over (eta = {self.htz.eta:.1f}); kijk naar de afzonderlijke "
                    "jaren en de placebo.")
        if self.htz.p < self.alpha:
            return (f"Lezing: de behandelde gemeenten liepen vóór de wijziging al anders dan de controles "
                    f"(p = {self.htz.p:.3f}); de aanname van parallelle trends is twijfelachtig, lees het effect "
                    "met grote voorzichtigheid.")
        extra = ""
        if self.p_cr1 < self.alpha:
            extra = (f" De CR1-F-toets (p = {self.p_cr1:.3f}) verwerpt wel, maar die is met weinig behandelde "
                     "gemeenten te optimistisch en telt hier niet.")
        return (f"Lezing: geen aanwijzing dat de behandelde gemeenten vóór de wijziging anders liepen "
                f"(p = {self.htz.p:.3f}); dat bewijst geen parallelle trends, want met weinig behandelde "
                f"gemeenten ziet de toets alleen grote afwijkingen.{extra}")

    def summary(self) -> str:
        h = self.htz
        regels = [
            f"Pre-trendtoets ({len(self.leads)} voorlopende jaren gezamenlijk nul; CR2-Waldtoets met "
            f"Hotelling-benadering, HTZ): F({h.q}, {h.df2:.1f}) = {h.F:.2f}, p = {h.p:.3f}",
        ]
        vergelijk = (f"  ter vergelijking: CR1 F({self.df1}, {self.df2_cr1}) = {self.f_cr1:.2f}, "
                     f"p = {self.p_cr1:.3f} (naïef)")
        if self.wild is not None:
            vergelijk += f"; wild cluster bootstrap ({self.wild.gewichten}, B = {self.wild.B}) p = {self.wild.p:.3f}"
        regels += [vergelijk, "  " + self.lezing()]
        return "\n".join(regels)


@dataclass(frozen=True)
class Gebeurtenisstudie:
    """Event-study coefficients by year relative to the policy year (reference: -1, fixed at 0)."""

    indicator: str
    jaar: int
    relatief: tuple[int, ...]
    schatting: np.ndarray
    se_cr2: np.ndarray
    df_cr2: np.ndarray
    se_cr1: np.ndarray
    pretrend: Pretrend | None
    n_obs: int
    n_gemeenten: int
    n_behandeld: int
    niveau: float = 0.95
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per relative year (the reference year -1 has estimate 0 and no SE)."""
        rows = []
        for k, b, s2, d2, s1 in zip(self.relatief, self.schatting, self.se_cr2, self.df_cr2, self.se_cr1):
            if k == -1:
                rows.append((k, self.jaar + k, 0.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, True))
                continue
            p, lo, hi = t_toets(b, s2, d2, self.niveau)
            rows.append((k, self.jaar + k, b, s2, d2, p, lo, hi, s1, False))
        f = pd.DataFrame(rows, columns=["relatief_jaar", "jaar", "schatting", "se", "df", "p", "ci_laag", "ci_hoog",
                                        "se_cr1", "referentie"])
        f.insert(0, "indicator", self.indicator)
        f["methode"] = "cr2_bell_mccaffrey"
        f["n_obs"] = self.n_obs
        f["n_gemeenten"] = self.n_gemeenten
        f["n_behandeld"] = self.n_behandeld
        return f

    def summary(self) -> str:
        f = self.to_frame()
        regels = [f"Gebeurtenisstudie {INDICATOREN.get(self.indicator, (self.indicator,))[0]} rond {self.jaar} "
                  f"(referentie: {self.jaar - 1}; 95%-BI CR2/Bell-McCaffrey):"]
        for r in f.itertuples():
            if r.referentie:
                regels.append(f"  {r.jaar} ({r.relatief_jaar:+d}): 0 (referentie)")
            else:
                regels.append(f"  {r.jaar} ({r.relatief_jaar:+d}): {r.schatting:+.2f} ({r.ci_laag:+.2f} tot {r.ci_hoog:+.2f})")
        if self.pretrend is not None:
            regels += ["  " + r for r in self.pretrend.summary().splitlines()]
        else:
            regels.append("  Pre-trendtoets niet mogelijk: minder dan twee jaren vóór de wijziging.")
        return "\n".join(regels)


def gebeurtenisstudie(
    panel: pd.DataFrame,
    *,
    behandeld: Sequence[str],
    jaar: int,
    indicator: str = "uitstroom_pct_norm",
    controle: Sequence[str] | None = None,
    B: int = 9999,
    gewichten: Gewichten = "webb",
    seed: int = 1,
    niveau: float = 0.95,
    bootstrap: bool = True,
) -> Gebeurtenisstudie:
    """Event study (leads and lags, reference year ``jaar - 1``) with a joint pre-trend test.

    The headline pre-trend test (null: all leads zero) is the CR2 Wald test with the approximate Hotelling
    T-squared reference distribution (:func:`~evaluatie.panel.inferentie.wald_htz`). Secondary: the CR1
    Wald test referred to F(q, G-1) (too optimistic with few treated gemeenten) and a wild cluster
    restricted bootstrap of the CR1 Wald statistic. Arguments as in :func:`verschil_in_verschillen`.
    """
    indicator = indicatornaam(indicator)
    if indicator in INDICATOREN and indicator not in panel.columns:
        panel = indicatoren(panel)
    o = bouw_ontwerp(panel, behandeld=behandeld, jaar=jaar, indicator=indicator, controle=controle, soort="event")
    c = schat_coefficienten(o)
    rel_terms = [int(t[4:]) for t in o.termen]
    leads = [i for i, k in enumerate(rel_terms) if k <= -2]
    waarsch = list(o.waarschuwingen)
    pre = None
    if leads:
        Vl = c.vcov_cr1[np.ix_(leads, leads)]
        b = c.schatting[leads]
        q = len(leads)
        fstat = float(b @ np.linalg.solve(Vl, b)) / q
        htz = wald_htz(o.X, o.y, o.cluster, beperkingsmatrix(leads, o.X.shape[1]))
        wild = (wild_bootstrap_wald(o.X, o.y, o.cluster, leads, factor=c.factor, B=B, gewichten=gewichten, seed=seed)
                if bootstrap else None)
        pre = Pretrend(leads=tuple(o.termen[i] for i in leads), htz=htz, f_cr1=fstat, df1=q, df2_cr1=o.G - 1,
                       p_cr1=float(stats.f.sf(fstat, q, o.G - 1)), wild=wild, alpha=round(1 - niveau, 10))
        if not np.isfinite(htz.p):
            waarsch.append(f"pre-trendtoets (CR2/HTZ) niet te berekenen: te weinig vrijheidsgraden "
                           f"(eta = {htz.eta:.2f}) voor {q} voorlopende jaren")
        elif htz.p < 1 - niveau:
            waarsch.append(f"pre-trend: de voorlopende jaren wijken gezamenlijk af van nul (CR2/HTZ p = {htz.p:.3f}); "
                           "parallelle trends twijfelachtig")
    else:
        waarsch.append("minder dan twee jaren vóór de wijziging: geen pre-trendtoets mogelijk")
    # insert the reference year
    alle = sorted(rel_terms + [-1])
    pos = {k: i for i, k in enumerate(rel_terms)}

    def vul(a, ref):
        return np.array([a[pos[k]] if k in pos else ref for k in alle], dtype=float)

    for w in waarsch:
        warnings.warn(w, PanelWaarschuwing, stacklevel=2)
    return Gebeurtenisstudie(
        indicator=indicator, jaar=jaar, relatief=tuple(alle), schatting=vul(c.schatting, 0.0),
        se_cr2=vul(c.se_cr2, np.nan), df_cr2=vul(c.df_cr2, np.nan), se_cr1=vul(c.se_cr1, np.nan), pretrend=pre,
        n_obs=c.n_obs, n_gemeenten=o.G, n_behandeld=o.n_behandeld, niveau=niveau,
        spec={"model": "y ~ sum_k behandeld x 1[jaar - beleidsjaar = k] (k != -1) + jaar-FE + gemeente-FE",
              "cluster": "gemeentecode", "B": B, "gewichten": gewichten, "seed": seed},
        waarschuwingen=tuple(waarsch),
    )


def placebo_in_tijd(
    panel: pd.DataFrame,
    *,
    behandeld: Sequence[str],
    jaar: int,
    indicator: str = "uitstroom_pct_norm",
    controle: Sequence[str] | None = None,
    placebojaar: int | None = None,
    **kwargs,
) -> DidResultaat | None:
    """DiD on the pre-period only, pretending the change happened in ``placebojaar`` (< ``jaar``).

    Default placebo year: the middle of the pre-period (``eerste + n_voor // 2``). Returns ``None`` when
    the pre-period has fewer than two years. An estimate far from zero signals diverging pre-trends.
    """
    voor = panel[panel["jaar"].astype(int) < jaar]
    jaren = sorted(int(j) for j in voor["jaar"].unique())
    if len(jaren) < 2:
        return None
    if placebojaar is None:
        placebojaar = jaren[0] + len(jaren) // 2
    if not jaren[0] < placebojaar < jaar:
        raise BeleidsFout(f"placebojaar {placebojaar} moet tussen {jaren[0]} en {jaar} liggen (exclusief)")
    return verschil_in_verschillen(voor, behandeld=behandeld, jaar=placebojaar, indicator=indicator,
                                   controle=controle, analyse=f"placebo_{placebojaar}", **kwargs)


@dataclass(frozen=True)
class Beleidsanalyse:
    """DiD, event study and placebo for one indicator, as run by ``evaluatie beleidswijziging``."""

    did: DidResultaat
    gebeurtenis: Gebeurtenisstudie
    placebo: DidResultaat | None

    def to_frame(self) -> pd.DataFrame:
        """DiD and placebo rows (one per inference method)."""
        delen = [self.did.to_frame()] + ([self.placebo.to_frame()] if self.placebo is not None else [])
        return pd.concat(delen, ignore_index=True)

    def summary(self) -> str:
        delen = [self.did.summary(), self.gebeurtenis.summary()]
        delen.append(self.placebo.summary() if self.placebo is not None else
                     "Placebo in de tijd niet mogelijk: minder dan twee jaren vóór de wijziging.")
        return "\n".join(delen)


def analyseer_beleidswijziging(
    panel: pd.DataFrame,
    *,
    behandeld: Sequence[str],
    jaar: int,
    indicator: str = "uitstroom_pct_norm",
    controle: Sequence[str] | None = None,
    B: int = 9999,
    gewichten: Gewichten = "webb",
    seed: int = 1,
) -> Beleidsanalyse:
    """Run DiD, event study and placebo-in-time for one indicator (same seed for every bootstrap)."""
    panel = indicatoren(panel)
    indicator = indicatornaam(indicator)
    kw = dict(behandeld=behandeld, jaar=jaar, indicator=indicator, controle=controle, B=B, gewichten=gewichten,
              seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PanelWaarschuwing)  # collected on the results instead
        return Beleidsanalyse(
            did=verschil_in_verschillen(panel, **kw),
            gebeurtenis=gebeurtenisstudie(panel, **kw),
            placebo=placebo_in_tijd(panel, **kw),
        )
