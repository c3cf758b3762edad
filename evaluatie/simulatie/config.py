"""Configuration of the simulator: a frozen dataclass plus the default table of true effects.

All parameters of the data-generating process live here, so that ``truth.json`` can store the exact
configuration that produced a data set. Hazard parameters are log-odds of a *monthly* probability.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

CATEGORIEEN: tuple[str, ...] = ("A", "B", "C")

#: The twelve instruments of Werkplein table 4, in the order of ``data_schema/instrumenten.json``.
INSTRUMENTEN: tuple[str, ...] = (
    "praktijkovereenkomst",
    "arbeidsbemiddeling_wsp",
    "incidentele_loonkostensubsidie",
    "loonkostenvoordeel",
    "leerwerktraject",
    "werkplekaanpassing",
    "sociale_detachering",
    "jobcoaching",
    "individuele_studietoeslag",
    "structurele_loonkostensubsidie",
    "beschut_werk",
    "arbeidstraining",
)

#: Exit reasons in the order of the uitstroom codes 1..5 (0 = still running).
UITSTROOMREDENEN: tuple[str, ...] = ("werk", "verhuizing", "huishoudenswijziging", "pensioen_leeftijd", "overig")

#: The six Werkplein gemeenten: code -> (naam, inwoners ~2019).
HVWB_GEMEENTEN: dict[str, tuple[str, int]] = {
    "GM0777": ("Etten-Leur", 43_500),
    "GM1655": ("Halderberge", 29_900),
    "GM1709": ("Moerdijk", 37_100),
    "GM1674": ("Roosendaal", 77_300),
    "GM0840": ("Rucphen", 22_500),
    "GM0879": ("Zundert", 21_700),
}


@dataclass(frozen=True)
class InstrumentEffect:
    """True effect of one instrument for one categorie (categorie at the start of the programme).

    Attributes
    ----------
    instrument, categorie : str
        Instrument code and categorie (A, B, C); the pair is allowed by table 4.
    lock_in : float
        Shift of the log-odds of the monthly work hazard while in the programme (<= 0).
    na : float
        Shift of the log-odds of the monthly work hazard after the programme ended, within the same spell.
    baan : float
        Shift of the log-odds of the monthly hazard of losing the job and returning to benefit
        (``SimulatieConfig.terugval_hazard``), in every work month, after an exit to work from a spell with
        this trajectory (in or after the programme). Negative = more durable work. Default 0.
    """

    instrument: str
    categorie: str
    lock_in: float
    na: float
    baan: float = 0.0


@dataclass(frozen=True)
class Programmaduur:
    """Programme duration in months, drawn uniformly from ``minimum..maximum`` (inclusive)."""

    instrument: str
    minimum: int
    maximum: int


# Plausible per CPB (2016) and Card, Kluve & Weber: wage subsidies the strongest post-effect; training,
# leerwerk and arbeidstraining a clear lock-in and then a positive effect; bemiddeling and
# praktijkovereenkomst small lock-in, positive; beschut werk exactly no outflow effect (a placebo cell);
# individuele studietoeslag (income support) almost none. Effects differ by categorie.
#
# Durability of the job found (``baan``, log-odds shift of the monthly return hazard; the effects on
# durability deliberately differ from those on exit): jobcoaching keeps people in work (the coach stays
# with the employer: -0.6 / -0.7); a structural wage subsidy and a workplace adjustment make the job
# itself lasting (-0.3 / -0.4, -0.2); praktijkovereenkomst and leerwerktraject end in a qualification
# (-0.2, -0.3). Temporary wage subsidies send people back when the subsidy ends: incidentele
# loonkostensubsidie raises exit most of all but its jobs often end with the subsidy (+0.6 A, +1.0 B:
# in both cells the effect on durable exit (k = 12) has the opposite sign of the effect on first exit),
# loonkostenvoordeel (employer's discount for at most three years) +0.3, sociale detachering (the
# secondment ends) +0.2. Beschut werk stays an exact placebo (0 on exit and on durability);
# bemiddeling, studietoeslag and arbeidstraining 0.
STANDAARD_EFFECTEN: tuple[InstrumentEffect, ...] = (
    InstrumentEffect("praktijkovereenkomst", "A", -0.15, 0.30, -0.20),
    InstrumentEffect("arbeidsbemiddeling_wsp", "A", -0.05, 0.15, 0.00),
    InstrumentEffect("arbeidsbemiddeling_wsp", "B", -0.05, 0.30, 0.00),
    InstrumentEffect("incidentele_loonkostensubsidie", "A", -0.10, 0.45, 0.60),
    InstrumentEffect("incidentele_loonkostensubsidie", "B", -0.10, 0.65, 1.00),
    InstrumentEffect("loonkostenvoordeel", "A", 0.00, 0.20, 0.30),
    InstrumentEffect("loonkostenvoordeel", "B", 0.00, 0.35, 0.30),
    InstrumentEffect("leerwerktraject", "B", -0.60, 0.55, -0.30),
    InstrumentEffect("werkplekaanpassing", "B", 0.00, 0.25, -0.20),
    InstrumentEffect("sociale_detachering", "B", -0.30, 0.40, 0.20),
    InstrumentEffect("jobcoaching", "B", -0.10, 0.35, -0.60),
    InstrumentEffect("jobcoaching", "C", -0.10, 0.45, -0.70),
    InstrumentEffect("individuele_studietoeslag", "B", 0.00, 0.05, 0.00),
    InstrumentEffect("individuele_studietoeslag", "C", 0.00, 0.05, 0.00),
    InstrumentEffect("structurele_loonkostensubsidie", "B", -0.20, 0.60, -0.30),
    InstrumentEffect("structurele_loonkostensubsidie", "C", -0.20, 0.80, -0.40),
    InstrumentEffect("beschut_werk", "C", 0.00, 0.00, 0.00),
    InstrumentEffect("arbeidstraining", "C", -0.50, 0.60, 0.00),
)

STANDAARD_DUUR: tuple[Programmaduur, ...] = (
    Programmaduur("praktijkovereenkomst", 2, 4),
    Programmaduur("arbeidsbemiddeling_wsp", 2, 4),
    Programmaduur("incidentele_loonkostensubsidie", 6, 12),
    Programmaduur("loonkostenvoordeel", 6, 12),
    Programmaduur("leerwerktraject", 9, 15),
    Programmaduur("werkplekaanpassing", 1, 3),
    Programmaduur("sociale_detachering", 6, 12),
    Programmaduur("jobcoaching", 4, 8),
    Programmaduur("individuele_studietoeslag", 6, 12),
    Programmaduur("structurele_loonkostensubsidie", 12, 24),
    Programmaduur("beschut_werk", 24, 48),
    Programmaduur("arbeidstraining", 4, 8),
)

#: Relative weight of each instrument when a client of a categorie starts one (0 = not allowed; the
#: simulator also checks :func:`evaluatie.schema.beschikbaar`). Order as :data:`INSTRUMENTEN`.
STANDAARD_KEUZEGEWICHTEN: dict[str, tuple[float, ...]] = {
    #      po    wsp   ilks  lkv   lwt   wpa   sdet  jc    ist   slks  bw    at
    "A": (3.0, 4.0, 2.0, 1.5, 0, 0, 0, 0, 0, 0, 0, 0),
    "B": (0, 2.0, 1.2, 1.0, 1.5, 0.8, 1.0, 2.0, 1.0, 1.2, 0, 0),
    "C": (0, 0, 0, 0, 0, 0, 0, 2.5, 1.2, 1.5, 1.5, 2.5),
}


def nul_effecten() -> tuple[InstrumentEffect, ...]:
    """The default effects table with every ``lock_in``, ``na`` and ``baan`` set to 0 (no instrument works)."""
    return tuple(replace(e, lock_in=0.0, na=0.0, baan=0.0) for e in STANDAARD_EFFECTEN)


@dataclass(frozen=True)
class SimulatieConfig:
    """Parameters of the data-generating process (monthly discrete time).

    The defaults are calibrated (see ``tests/test_simulatie_kalibratie.py``) so that, with
    ``n_clienten`` = 4685, the stock on 2019-07-01 has about 4685 clients in the Werkplein table 2 mix
    (A:B:C = 315:932:3041, jongeren < 27 jaar about 8.5 %), about 30 % of all exits in the window are to
    work and about 20 % of exits to work return to benefit within 12 months (Divosa: about 1 in 5).

    Attributes
    ----------
    onwaarneembaar : float
        Strength of an unobserved client trait U ~ N(0, 1) that enters both the instrument-start logit and
        the work logit (selection on unobservables). 0 = selection on observables only.
    effecten : tuple of InstrumentEffect
        True effects per instrument x categorie.
    duur : tuple of Programmaduur
        Programme durations per instrument.
    keuzegewichten : dict
        Weights of the instrument choice per categorie.
    burnin_vanaf : int
        First year of simulated inflow (the burn-in gives the 2015 stock realistic elapsed durations).
    venster : (int, int)
        First and last year of the observation window (peildatum = 31 December of the last year).
    instrumenten_vanaf : int
        Instruments (of the Participatiewet verordening) start from 1 January of this year; before that no
        trajectories exist, so spells in the 2015 stock carry no unobserved earlier programme.
    horizon : int
        Months simulated beyond the peildatum for the truth (effects up to this horizon).
    instroom_per_client : float
        Monthly inflow of new clients as a fraction of ``n_clienten`` (scales the stock).
    intake_logit_a, intake_logit_b : float
        Intercepts of the intake categorie logit (C is the reference).
    werk_intercept : (float, float, float)
        Log-odds of the monthly work hazard for A, B, C at the reference (0 months, 27-49 jaar,
        middelbaar, 2017, no statushouder).
    duur_werk : float
        Duration dependence: coefficient of log(1 + months on benefit / 12) in the work logit.
    overig_intercepts : (float, float, float)
        Log-odds of verhuizing, huishoudenswijziging, overig (all categorieen).
    doorstroom_ba, doorstroom_cb : float
        Monthly probability of doorstroom B -> A and C -> B.
    start_intercept : (float, float, float)
        Log-odds of the monthly probability of starting an instrument for A, B, C.
    terugval_hazard : (float, float, float)
        Monthly hazard of returning to benefit after exit to work in work months 1-6, 7-12 and later
        (without an instrument's ``baan`` shift). The defaults give a new spell within 6, 12 and 18 months
        of the exit (job lost in work month 1-5, 1-11, 1-17) for 12.3 %, 19.2 % and 21.7 % (Divosa: about
        1 in 5 within a year, 15 % of all exits within 6 months; CBS 2021: 82 % still in work without
        bijstand after 6 months, 72 % after 18, which also counts job loss without a return to bijstand).
        Nobody returns at or after the AOW age.
    duurzaam : tuple of int
        k (months) of the durable-exit truth: exit to work and no new benefit spell within k months.
    duurzaam_horizonnen : tuple of int
        Horizons h of the durable-exit truth (exit to work within h months of the start).
    uitkeringsmaanden_horizonnen : tuple of int
        Horizons of the months-on-benefit truth (restricted mean over the first H months from the start
        month; at most ``horizon``).
    aow_leeftijd_maanden : int
        Age (in months) at which a spell ends with ``pensioen_leeftijd``.
    aandeel_nuggers : float
        Nuggers (no benefit, no trajectory) as a fraction of ``n_clienten``.
    beleidseffect_pp : float
        Planted policy effect in the municipal panel: from 2016 the six HvWB gemeenten' uitstroom is raised
        by this many percentage points of the genormeerd aantal.
    n_gemeenten : int
        Number of municipalities in the municipal panel (incl. the six HvWB gemeenten).
    """

    onwaarneembaar: float = 0.0
    effecten: tuple[InstrumentEffect, ...] = STANDAARD_EFFECTEN
    duur: tuple[Programmaduur, ...] = STANDAARD_DUUR
    keuzegewichten: dict[str, tuple[float, ...]] = field(default_factory=lambda: dict(STANDAARD_KEUZEGEWICHTEN))
    burnin_vanaf: int = 2000
    venster: tuple[int, int] = (2015, 2019)
    instrumenten_vanaf: int = 2015
    horizon: int = 36
    instroom_per_client: float = 0.0300
    intake_logit_a: float = -1.95
    intake_logit_b: float = -1.15
    werk_intercept: tuple[float, float, float] = (-2.35, -3.35, -4.75)
    duur_werk: float = -0.45
    overig_intercepts: tuple[float, float, float] = (-5.1, -4.9, -4.5)
    doorstroom_ba: float = 0.006
    doorstroom_cb: float = 0.0025
    start_intercept: tuple[float, float, float] = (-3.0, -3.4, -4.0)
    terugval_hazard: tuple[float, float, float] = (0.026, 0.011, 0.004)
    duurzaam: tuple[int, ...] = (6, 12)
    duurzaam_horizonnen: tuple[int, ...] = (12, 24)
    uitkeringsmaanden_horizonnen: tuple[int, ...] = (12, 24, 36)
    aow_leeftijd_maanden: int = 66 * 12 + 4
    aandeel_nuggers: float = 0.01
    beleidseffect_pp: float = 1.0
    n_gemeenten: int = 340
    #: Heterogeneous true effects by subgroup (issue 19; :mod:`evaluatie.simulatie.heterogeniteit`); () = none.
    heterogeniteit: tuple = ()

    def __post_init__(self) -> None:
        if self.onwaarneembaar < 0:
            raise ValueError(f"onwaarneembaar: verwacht een getal >= 0, kreeg {self.onwaarneembaar}")
        if self.venster[0] > self.venster[1] or self.burnin_vanaf > self.venster[0]:
            raise ValueError(f"venster/burnin_vanaf: verwacht burnin_vanaf <= start <= eind, kreeg {self.burnin_vanaf}, {self.venster}")
        gezien = {(e.instrument, e.categorie) for e in self.effecten}
        if len(gezien) != len(self.effecten):
            raise ValueError("effecten: elke combinatie instrument x categorie mag maar een keer voorkomen")
        for e in self.effecten:
            if e.instrument not in INSTRUMENTEN or e.categorie not in CATEGORIEEN:
                raise ValueError(f"effecten: onbekende combinatie {e.instrument!r} x {e.categorie!r}")
        for naam in ("duurzaam", "duurzaam_horizonnen", "uitkeringsmaanden_horizonnen"):
            w = getattr(self, naam)
            if not w or any(int(x) != x or x < 1 or x > self.horizon for x in w):
                raise ValueError(f"{naam}: verwacht gehele aantallen maanden 1..{self.horizon}, kreeg {w!r}")
        if any(not 0.0 <= h < 1.0 for h in self.terugval_hazard):
            raise ValueError(f"terugval_hazard: verwacht drie kansen in [0, 1), kreeg {self.terugval_hazard!r}")
        if {d.instrument for d in self.duur} != set(INSTRUMENTEN):
            raise ValueError("duur: verwacht precies een Programmaduur per instrument van tabel 4")

    def effect(self, instrument: str, categorie: str) -> InstrumentEffect:
        """Effect of ``instrument`` for ``categorie`` (zero if not in the table)."""
        for e in self.effecten:
            if e.instrument == instrument and e.categorie == categorie:
                return e
        return InstrumentEffect(instrument, categorie, 0.0, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable dict (for truth.json and manifests)."""
        d = asdict(self)
        d["keuzegewichten"] = {k: list(v) for k, v in sorted(self.keuzegewichten.items())}
        return d
