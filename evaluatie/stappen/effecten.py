"""Step *effects*: person-months → effects per instrument x categorie, deadweight, attributable share,
plus the exit-to-work curves by categorie. The one place that runs this for ``analyseer`` and ``rapport``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evaluatie.stappen.gemeen import (Log, Stapfout, afkeurmelding, client_ids, geen_rijen, gemeenten, periode_tekst,
                                      stil)
from evaluatie.uitvoer import Tabelspec, Uitvoer

DAGEN_PER_MAAND = 365.25 / 12

#: How each effects table is protected before publication (the writer applies it).
SPECS: dict[str, Tabelspec] = {
    # the person counts of the cells are published once, in ``effecten_aantallen``; here the participants of a
    # row are the cell's (so identical counts in many rows are one cell for the disclosure check)
    "effecten": Tabelspec(n_kolom="n_deelnemers", waarden=("schatting", "se", "ci_laag", "ci_hoog"),
                          sleutel=("instrument", "categorie")),
    "populatie": Tabelspec(n_kolom="n_deelnemers", waarden=("schatting", "se", "ci_laag", "ci_hoog"),
                           aantallen=("n_clienten",)),
    "populatie_per_gemeente": Tabelspec(n_kolom="n_deelnemers", waarden=("schatting", "se", "ci_laag", "ci_hoog"),
                                        aantallen=("n_clienten",)),
    "gevoeligheid": Tabelspec(aantallen=("n_controle",)),
    "uitstroomcurves": Tabelspec(curve=("n_risk", ("group",), "time")),
    # months on benefit after the start (issue 17): one estimate per cell, method, horizon and maat
    "uitkeringsmaanden": Tabelspec(n_kolom="n_deelnemers", waarden=("schatting", "se", "ci_laag", "ci_hoog"),
                                   sleutel=("instrument", "categorie")),
}


@dataclass(frozen=True)
class Effectstap:
    """The effects step's result.

    Attributes
    ----------
    resultaat : Effectresultaat or None
        None when there are no trajecten (and the step was not asked to require them).
    curves : DataFrame
        Cumulative incidence of exit to work by categorie at spell start (time in months).
    periode : (Timestamp, Timestamp)
        Observation window used (the one validation used).
    waarschuwingen : tuple of str
    """

    resultaat: Any
    curves: pd.DataFrame
    periode: tuple[pd.Timestamp, pd.Timestamp]
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def intern(self) -> dict[str, pd.DataFrame]:
        """Full-detail tables for ``intern/``."""
        t: dict[str, pd.DataFrame] = {"uitstroomcurves": self.curves}
        r = self.resultaat
        if r is not None:
            t.update(effecten=r.to_frame(), populatie=r.populatie, populatie_per_gemeente=r.per_gemeente,
                     balans=r.balans, gevoeligheid=r.gevoeligheid, lockin=r.lockin)
            um = getattr(r, "uitkeringsmaanden", None)
            if um is not None and len(um.columns):
                t["uitkeringsmaanden"] = um
            for naam in ("subgroepen", "celtoetsen"):  # issue 19 (empty without subgroups)
                f = getattr(r, naam, None)
                if f is not None and len(f):
                    t[naam] = f
        return t

    def publiceerbaar(self, drempel: int = 10) -> dict[str, tuple[pd.DataFrame, Tabelspec]]:
        """Tables for ``publiceerbaar/tabellen/`` with their protection.

        The event counts leave the long ``effecten`` table (one per month, outcome, maat and method: their
        differences are the exits of single months) for ``effecten_aantallen``
        (:func:`~evaluatie.stappen.effectaantallen.effectaantallen`).
        """
        from evaluatie.stappen.effectaantallen import effectaantallen
        from evaluatie.stappen.subgroepen import SPECS as SUBSPECS, publiceerbare_subgroepen

        t = self.intern()
        t["uitstroomcurves"] = publiceerbare_curve(t["uitstroomcurves"])
        uit = {k: (t[k], s) for k, s in SPECS.items() if k in t}
        if "effecten" in uit and self.resultaat is not None:
            eff = t["effecten"]
            uit["effecten_aantallen"] = effectaantallen(eff, tuple(self.resultaat.config.horizonnen))
            uit["effecten"] = (eff.drop(columns=["n_gebeurtenissen"], errors="ignore"), SPECS["effecten"])
        sub = publiceerbare_subgroepen(t.get("subgroepen"), t.get("celtoetsen"), drempel)
        uit.update({k: (v, SUBSPECS[k]) for k, v in sub.items()})
        return uit

    def summary(self) -> str:
        regels = [self.resultaat.summary()] if self.resultaat is not None else ["Geen trajecten: geen effecten geschat."]
        return "\n".join([*regels, *self.waarschuwingen])


#: Columns of a curve that describe single time points (events, censorings): never published, the curve
#: itself (estimate and CI while at least ``drempel`` are at risk) is.
PUNTAANTALLEN = ("n_event", "n_censor", "n_competing")


def publiceerbare_curve(df: pd.DataFrame) -> pd.DataFrame:
    """A curve table without the per-time-point event and censoring counts (often 1 or 2 persons)."""
    return df.drop(columns=[c for c in PUNTAANTALLEN if c in df.columns])


def uitstroom_curves(rijen: pd.DataFrame) -> pd.DataFrame:
    """Cumulative incidence of exit to work (Aalen-Johansen, other exits competing) by categorie.

    The group is the categorie on the spell's first observed row, so a spell stays on one curve even
    when its categorie changes later. Time in months since the start of the uitkering.
    """
    from evaluatie.prepare.codes import WERK
    from evaluatie.survival import cumulative_incidence

    eerste = rijen.sort_values(["spell_id", "start"], kind="mergesort").groupby("spell_id", sort=False)["categorie"].first()
    r = rijen.assign(categorie_start=rijen["spell_id"].map(eerste).astype("string").fillna("onbekend"))
    cif = cumulative_incidence(r, start="start", stop="stop", event="status", cause=WERK, group="categorie_start")
    f = cif.to_frame().rename(columns={"cif": "estimate", "ci_laag": "ci_lower", "ci_hoog": "ci_upper"})  # report's curve contract
    f["time"] = f["time"] / DAGEN_PER_MAAND
    return f[["group", "time", "n_risk", "n_event", "estimate", "se", "ci_lower", "ci_upper"]]


def effecten(val: Any, cfg: Any, *, trajecten_verplicht: bool = True, log: Log = stil, bron: Any = "invoer") -> Effectstap:
    """Run the effects step on a validation result.

    Parameters
    ----------
    val : Validatieresultaat
        Accepted tables; its ``waarnemingsperiode`` is the window used (from the config or metadata.json,
        whichever validation was given).
    cfg : Effectconfig
        Horizons, bootstrap, seed, n_jobs, min_deelnemers.
    trajecten_verplicht : bool
        Without trajecten: raise (``analyseer``) or return only the curves (``rapport``).
    log : callable
        One Dutch progress line per stage.
    bron : str or Path
        Named in error messages (the input folder).

    Raises
    ------
    Stapfout
        No (accepted) uitkeringen or trajecten, no observation window, or the estimator refuses the data.
    """
    from evaluatie.effecten import schat_effecten
    from evaluatie.prepare import persoonmaanden, telproces

    tab = val.geaccepteerd
    for nodig in ("uitkeringen", "clienten", *(("trajecten",) if trajecten_verplicht else ())):
        if nodig not in tab or len(tab[nodig]) == 0:
            raise Stapfout(geen_rijen(bron, val, nodig))
    periode = val.waarnemingsperiode
    if periode is None:
        raise Stapfout(f"geen waarnemingsperiode: zet {{\"waarnemingsperiode\": {{\"start\": ..., \"eind\": ...}}}} "
                       f"in {bron}/metadata.json of periode in de configuratie")
    log("Voorbereiden: telprocesrijen en uitstroomcurves per categorie")
    try:
        rijen = telproces(tab, waarnemingsperiode=periode)
        curves = uitstroom_curves(rijen)
    except ValueError as e:
        raise Stapfout(f"telprocesrijen: {e}") from None
    if "trajecten" not in tab or tab["trajecten"].empty:
        log("Geen trajecten: effecten per instrument worden overgeslagen")
        return Effectstap(None, curves, periode)
    log(f"Effecten per instrument x categorie (g-formule en risicoset-weging, {cfg.bootstrap} bootstrapreplicaties)")
    try:
        pm = persoonmaanden(tab, waarnemingsperiode=periode)
    except ValueError as e:
        raise Stapfout(f"persoonmaandtabel: {e}") from None
    try:
        res = schat_effecten(pm, cfg)
    except ValueError as e:
        raise Stapfout(str(e)) from None
    return Effectstap(res, curves, periode, tuple(res.waarschuwingen))


def uitvoer_effecten(stap: Effectstap, val: Any, cfg: Any, *, drempel: int = 10) -> Uitvoer:
    """The writer's view of ``analyseer``: protected tables in publiceerbaar/, everything in intern/."""
    r = stap.resultaat
    tekst = stap.summary()
    if (m := afkeurmelding(val)) is not None:
        tekst += "\n" + m
    extra: dict[str, Any] = {"gemeenten": gemeenten(val), "waarschuwingen": list(stap.waarschuwingen)}
    if r is not None:
        extra.update(n_clienten=r.n_clienten, n_persoonmaanden=r.n_persoonmaanden, n_deelnemers=r.n_deelnemers)
    return Uitvoer(commando="analyseer", inputs=dict(val.invoer),
                   config={**cfg.als_dict(), "waarnemingsperiode": periode_tekst(val)}, seed=cfg.seed,
                   publiceerbaar=stap.publiceerbaar(drempel), intern=stap.intern(),
                   bestanden={"intern/samenvatting.txt": tekst + "\n"}, validatie=val,
                   client_ids=client_ids(val), drempel=drempel, extra=extra)

