"""Result object of :func:`evaluatie.effecten.schat_effecten`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.waarschuwingen import MetWaarschuwingen



@dataclass(frozen=True)
class Reeksen:
    """The point vector and bootstrap replicates of the estimation (kept in memory, never written to disk).

    ``vector`` is one pass in the layout of ``indeling`` (:class:`~evaluatie.effecten.kern.Vectorindeling`),
    ``replicaten`` the (B, n) matrix of the bootstrap (B = 0 rows without bootstrap), ``cellen`` the
    (instrument, categorie, n_deelnemers) of each cell in vector order.
    """

    indeling: Any
    vector: np.ndarray
    replicaten: np.ndarray
    cellen: tuple[tuple[str, str, int], ...]


#: ``grootheid`` of :meth:`Effectresultaat.reeks` -> the name of the curve in the vector (``{m}`` = methode).
def _reeksnamen(ks: tuple[int, ...]) -> dict[str, str]:
    d = {"att": "att_{m}"}
    d.update({f"att_duurzaam_{k}": f"duurzaam_{k}_att_{{m}}" for k in ks})
    d.update({f"uitkeringsmaanden_{x}": f"uitkeringsmaanden_{x}_{{m}}" for x in ("deelnemers", "controle", "verschil")})
    return d


@dataclass(frozen=True)
class Effectresultaat(MetWaarschuwingen):
    """Effects per instrument x categorie, deadweight, attributable share and diagnostics.

    Attributes
    ----------
    effecten : DataFrame
        Tidy, columns per the contract "Effect results on disk" (``methode`` gformule | risicoset | naief;
        instrument/categorie ``alle`` = pooled).
    populatie : DataFrame
        ``toerekenbaar_aandeel`` (share of all exits to werk in the window attributable to instruments),
        ``toegerekende_uitstroom``, ``uitstroom_werk``, ``deelnemers_werk`` with SE and CI; then per horizon
        ``naief_min_att_<h>``: the mean over instrument cells of the naive difference minus the g-formula att
        (the selection a naive comparison carries), with its bootstrap CI.
    per_gemeente : DataFrame
        The same population quantities per ``gemeentecode`` (of the participant's start month; the
        denominator counts the exits to werk of that gemeente), with ``n_deelnemers`` and ``n_clienten``.
    balans : DataFrame
        SMD per design column before/after ATT weighting, per cell (risk-set design).
    gevoeligheid : DataFrame
        Risk ratio CIF1/CIF0 at ``config.e_horizon``, its CI, E-values, ``kwetsbaar``, ESS and overlap.
    lockin : DataFrame
        Months until the participants' curve catches up (g-formula), with bootstrap range.
    zin : str
        The sentence on the attributable share.
    uitkeringsmaanden : DataFrame
        Restricted mean months on benefit (all spells, returns included) over the first ``horizon`` months
        from the start month: ``instrument, categorie, methode, horizon, maat`` (``deelnemers`` |
        ``controle`` | ``verschil`` = deelnemers - controle, negative = fewer months), ``schatting, se,
        ci_laag, ci_hoog, n_deelnemers, vlag``.
    reeksen : Reeksen or None
        Point curves and bootstrap replicates for :meth:`reeks` (not written to disk).
    """

    effecten: pd.DataFrame
    populatie: pd.DataFrame
    per_gemeente: pd.DataFrame
    balans: pd.DataFrame
    gevoeligheid: pd.DataFrame
    lockin: pd.DataFrame
    zin: str
    n_clienten: int
    n_persoonmaanden: int
    n_deelnemers: int
    n_uitstroom_werk: int
    config: Any
    kolommen: tuple[str, ...]
    waarschuwingen: tuple[str, ...] = ()
    uitkeringsmaanden: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Subgroup cells (issue 19): ``instrument, categorie, indeling, subgroep, methode, horizon, maat``
    #: (``att_subgroep`` | ``att_rest`` | ``verschil`` | ``aantal``), estimate, SE, CI, p (Holm / Romano-Wolf
    #: for ``verschil``), shrunken estimate (``att_subgroep``), ``n_deelnemers``, ``status``.
    subgroepen: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Per instrument cell, methode and horizon: the cell's att with Holm / Romano-Wolf over all instrument cells
    #: and its shrunken estimate (``toets = att``), and heterogeneity tests (``heterogeniteit [indeling]``).
    celtoetsen: pd.DataFrame = field(default_factory=pd.DataFrame)
    reeksen: Reeksen | None = field(default=None, repr=False, compare=False)

    def cellen(self) -> list[tuple[str, str, int]]:
        """(instrument, categorie, n_deelnemers) of every estimated cell (``alle`` = pooled), in estimation order."""
        if self.reeksen is not None:
            return list(self.reeksen.cellen)
        e = self.effecten.drop_duplicates(["instrument", "categorie"])
        return [(str(r.instrument), str(r.categorie), int(r.n_deelnemers)) for r in e.itertuples()]

    def reeks(self, instrument: str, categorie: str, grootheid: str,
              methode: str = "gformule") -> tuple[np.ndarray, np.ndarray]:
        """Point curve (H,) over months 1..H and its bootstrap replicates (B, H) of one cell.

        Parameters
        ----------
        instrument, categorie : str
            The cell (``alle`` = pooled).
        grootheid : str
            ``att`` (first exit to werk), ``att_duurzaam_{k}`` (durable exit, k of ``config.duurzaam``),
            ``uitkeringsmaanden_deelnemers``, ``uitkeringsmaanden_controle``, ``uitkeringsmaanden_verschil``
            (cumulative expected months on benefit in months 1..t; verschil = deelnemers - controle).
        methode : str
            ``gformule`` or ``risicoset`` (instrument cells only).

        Returns
        -------
        (punt, replicaten) : ndarray (H,), ndarray (B, H); B = 0 rows without bootstrap.

        Raises
        ------
        KeyError
            Unknown cell, grootheid or methode (the message names the valid ones).
        """
        r = self.reeksen
        if r is None:
            raise KeyError("geen reeksen bewaard bij dit resultaat")
        ks = tuple(getattr(self.config, "duurzaam", ()))
        namen = _reeksnamen(ks) if r.indeling.na_namen else {"att": "att_{m}"}
        if grootheid not in namen:
            raise KeyError(f"onbekende grootheid {grootheid!r}; geldig: {', '.join(namen)}")
        if methode not in ("gformule", "risicoset"):
            raise KeyError(f"onbekende methode {methode!r}; geldig: gformule, risicoset")
        sleutels = [(i, c) for i, c, _ in r.cellen]
        if (instrument, categorie) not in sleutels:
            raise KeyError(f"geen cel {instrument} x {categorie}; geldig: "
                           + ", ".join(f"{i} x {c}" for i, c in sleutels))
        k = sleutels.index((instrument, categorie))
        if methode == "risicoset" and instrument == "alle":
            raise KeyError(f"methode risicoset bestaat niet voor de gepoolde cel {instrument} x {categorie}; "
                           "geldig: gformule")
        naam = namen[grootheid].format(m=methode)
        return (np.array(r.indeling.cel(r.vector, k, naam), dtype=float),
                np.array(r.indeling.cel(r.replicaten, k, naam), dtype=float).reshape(-1, r.indeling.H))

    @property
    def n(self) -> int:
        """Number of clients (clusters)."""
        return self.n_clienten

    @property
    def events(self) -> int:
        """Exits to werk in the window."""
        return self.n_uitstroom_werk

    def to_frame(self) -> pd.DataFrame:
        """The tidy effect table (a copy)."""
        return self.effecten.copy()

    def waarde(self, instrument: str, categorie: str, maat: str, horizon: int, methode: str = "gformule",
               uitkomst: str = "werk") -> pd.Series:
        """One row of the effect table (``uitkomst`` ``werk`` or ``duurzaam_werk_{k}``)."""
        e = self.effecten
        r = e[(e.instrument == instrument) & (e.categorie == categorie) & (e.maat == maat) & (e.horizon == horizon)
              & (e.methode == methode) & (e.uitkomst == uitkomst)]
        if len(r) != 1:
            raise KeyError(f"geen schatting voor {instrument} x {categorie}, {uitkomst}, {maat}, h={horizon}, {methode}")
        return r.iloc[0]

    def _na_regels(self, h1: int) -> list[str]:
        """Summary lines after the first exit: all participants together (g-formula)."""
        e, um = self.effecten, self.uitkeringsmaanden
        uit: list[str] = []

        def bi(r: Any, f: str) -> str:
            return (f"{r.schatting:{f}} [{r.ci_laag:{f}}, {r.ci_hoog:{f}}]" if np.isfinite(r.ci_laag)
                    else f"{r.schatting:{f}} (geen BI)")

        for k in getattr(self.config, "duurzaam", ()):
            r = e[(e.uitkomst == f"duurzaam_werk_{k}") & (e.instrument == "alle") & (e.categorie == "alle")
                  & (e.maat == "att") & (e.horizon == h1) & (e.methode == "gformule")]
            if len(r):
                uit.append(f"Duurzaam werk (geen nieuwe uitkering binnen {k} maanden), alle deelnemers: ATT({h1}) "
                           f"{bi(r.iloc[0], '+.3f')}.")
        if len(um):
            for H in sorted(set(um.horizon)):
                r = um[(um.instrument == "alle") & (um.categorie == "alle") & (um.methode == "gformule")
                       & (um.maat == "verschil") & (um.horizon == H)]
                if len(r):
                    uit.append(f"Maanden met een uitkering in de eerste {H} maanden, deelnemers min controle: "
                               f"{bi(r.iloc[0], '+.2f')} (negatief = minder maanden).")
        return [""] + uit if uit else []

    def summary(self) -> str:
        """Dutch summary for people."""
        cfg = self.config
        h1 = cfg.horizonnen[0]
        lines = [
            "Effecten van instrumenten op uitstroom naar werk (g-formule op maandelijkse uitstroomkansen;",
            "controle: risicoset-weging op propensity per startmaand).",
            f"n = {self.n_clienten} cliënten, {self.n_persoonmaanden} persoonmaanden, {self.n_deelnemers} deelnemers, "
            f"{self.n_uitstroom_werk} uitstroom naar werk; bootstrap B = {cfg.bootstrap} (seed {cfg.seed}).",
            "Aanname: gegeven de kenmerken, de uitkeringsduur en het kalenderjaar hangt de start van een instrument",
            "niet samen met de kans op werk (geen onwaargenomen confounding); zie de E-waarden.",
            "",
            f"{'instrument':32s} {'cat':4s} {'n':>5s}  ATT({h1}) [95%-BI]           naïef    deadweight  E-BI  vlag",
        ]
        e = self.effecten
        if "uitkomst" in e.columns:
            e = e[e.uitkomst == "werk"]
        for (ins, cat), g in e[e.methode == "gformule"].groupby(["instrument", "categorie"], sort=False):
            a = g[(g.maat == "att") & (g.horizon == h1)].iloc[0]
            dw = g[(g.maat == "deadweight") & (g.horizon == h1)]
            nv = e[(e.instrument == ins) & (e.categorie == cat) & (e.maat == "naief") & (e.horizon == h1)]
            gv = self.gevoeligheid[(self.gevoeligheid.instrument == ins) & (self.gevoeligheid.categorie == cat)]
            naief = f"{nv.schatting.iloc[0]:+.3f}" if len(nv) else "   -  "
            dws = f"{dw.schatting.iloc[0]:.2f}" if len(dw) and np.isfinite(dw.schatting.iloc[0]) else "  - "
            evs = f"{gv.e_waarde_ci.iloc[0]:.2f}" if len(gv) and np.isfinite(gv.e_waarde_ci.iloc[0]) else "  - "
            lines.append(f"{ins[:32]:32s} {cat:4s} {int(a.n_deelnemers):5d}  {a.schatting:+.3f} [{a.ci_laag:+.3f}, {a.ci_hoog:+.3f}]"
                         f"  {naief}   {dws:>6s}   {evs:>5s}  {a.vlag}")
        lines += ["", self.zin]
        lines += self._na_regels(h1)
        if self.waarschuwingen:
            lines += ["", "Waarschuwingen:"] + [f"- {w}" for w in self.waarschuwingen]
        return "\n".join(lines)
