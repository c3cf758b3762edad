"""Step *doelmatigheid*: the optional kosten table + the effects' replicates → net saving per cell, terugverdientijd,
cost per extra exit, scenarios and sensitivity. Called by ``analyseer`` and ``rapport`` when the data folder
holds ``kosten.csv``; without it nothing else changes (no tables, no manifest keys) and the report says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evaluatie.stappen.gemeen import Log, Stapfout, stil
from evaluatie.uitvoer import Tabelspec

#: Published tables: money and months per participant only (no counts, so outside the LP system); rows of
#: cells under the threshold are left out, totals (n x per participant) stay in intern/.
ZONDER_AANTALLEN = Tabelspec()
WEG_UIT_PUBLICATIE = ("n_deelnemers", "netto_totaal", "netto_totaal_ci_laag", "netto_totaal_ci_hoog", "klein")


@dataclass(frozen=True)
class Doelmatigheidsstap:
    """The step's result.

    Attributes
    ----------
    resultaat : Doelmatigheidsresultaat or None
        None when doelmatigheid could not be computed (``reden`` says why).
    reden : str
        Dutch, for the terminal and the report.
    bestand : str or None
        The kosten file used.
    """

    resultaat: Any
    reden: str = ""
    bestand: str | None = None
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def intern(self) -> dict[str, pd.DataFrame]:
        r = self.resultaat
        if r is None:
            return {}
        return {"doelmatigheid": r.cellen, "doelmatigheid_terugverdientijd": r.terugverdientijd,
                "doelmatigheid_scenarios": r.scenarios, "doelmatigheid_gevoeligheid": r.gevoeligheid}

    def publiceerbaar(self) -> dict[str, tuple[pd.DataFrame, Tabelspec]]:
        uit = {}
        for naam, df in self.intern().items():
            d = df[~df["klein"].astype(bool)] if "klein" in df.columns else df
            uit[naam] = (d.drop(columns=[c for c in WEG_UIT_PUBLICATIE if c in d.columns]).reset_index(drop=True),
                         ZONDER_AANTALLEN)
        return uit

    def summary(self) -> str:
        return self.resultaat.summary() if self.resultaat is not None else f"Doelmatigheid niet berekend: {self.reden}"


def lees_kostentabel(val: Any, map_: Path | None, *, log: Log = stil) -> Any:
    """The validated kosten table of ``map_`` or None when there is none.

    Raises
    ------
    Stapfout
        The table exists but has findings (every one named with file, line, field, value, expected).
    """
    from evaluatie.doelmatigheid import KostenFout, lees_kosten, zoek_kosten

    pad = zoek_kosten(map_) if map_ is not None else None
    if pad is None:
        return None
    periode = val.waarnemingsperiode
    jaren = range(pd.Timestamp(periode[0]).year, pd.Timestamp(periode[1]).year + 1) if periode is not None else ()
    try:
        k = lees_kosten(pad, jaren=jaren)
    except KostenFout as e:
        raise Stapfout(str(e)) from None
    log(f"Kostentabel gevonden ({pad.name}, {len(k.tabel)} rijen): doelmatigheid wordt berekend")
    return k


def instellingen(waarden: dict | None = None, scenarios: tuple[dict, ...] = ()) -> Any:
    """``Doelmatigheidsconfig`` from the checked config values (``[doelmatigheid]``, ``[[doelmatigheid.scenario]]``)."""
    from evaluatie.doelmatigheid import Doelmatigheidsconfig, Scenario

    w = dict(waarden or {})
    sc = []
    for d in scenarios:
        def cel(x: str) -> tuple[str, str]:
            delen = [s.strip() for s in str(x).split(" x ")]
            return ("alle", delen[0]) if len(delen) == 1 else (delen[0], delen[1])
        try:
            sc.append(Scenario(d["naam"], cel(d["van"]), cel(d["naar"]), deelnemers=d.get("deelnemers"),
                               budget=d.get("budget")))
        except (KeyError, ValueError) as e:
            raise Stapfout(f"[[doelmatigheid.scenario]] {d.get('naam', '?')}: {e}") from None
    kw: dict[str, Any] = {k: w[k] for k in ("buig_aandeel", "disconto") if k in w}
    if "horizonnen" in w:
        kw["horizonnen"] = tuple(sorted(w["horizonnen"]))
    try:
        return Doelmatigheidsconfig(**kw, scenarios=tuple(sc))
    except ValueError as e:
        raise Stapfout(f"[doelmatigheid]: {e}") from None


def doelmatigheid(effectstap: Any, kosten: Any, val: Any, cfg: Any = None, *, drempel: int = 10,
                  log: Log = stil) -> Doelmatigheidsstap:
    """Run doelmatigheid on the effects step's result.

    Returns a step result without ``resultaat`` (and the reason) when there is no kosten table, no effects
    or no stored replicates; raises :class:`Stapfout` for a scenario naming a cell that was not estimated or
    an estimated instrument without a cost.
    """
    from evaluatie.doelmatigheid import Doelmatigheidsconfig, bereken, trajectgegevens

    if kosten is None:
        return Doelmatigheidsstap(None, "geen kostentabel (kosten.csv) bij de gegevens")
    r = getattr(effectstap, "resultaat", None)
    if r is None or getattr(r, "reeksen", None) is None:
        return Doelmatigheidsstap(None, "geen effecten per instrument geschat", kosten.bestand)
    cfg = cfg if cfg is not None else Doelmatigheidsconfig()
    log("Doelmatigheid: netto besparing per cel uit dezelfde bootstrapreplicaties")
    tab = val.geaccepteerd
    duur, per_jaar = trajectgegevens(tab.get("trajecten"), pd.Timestamp(effectstap.periode[1]))
    try:
        res = bereken(r, kosten, cfg, trajectduur=duur, per_jaar=per_jaar,
                      duurzaam_ks=tuple(getattr(r.config, "duurzaam", ())), drempel=drempel)
    except KeyError as e:
        raise Stapfout(str(e.args[0]) if e.args else str(e)) from None
    return Doelmatigheidsstap(res, "", kosten.bestand)


def met_doelmatigheid(u: Any, dm: Doelmatigheidsstap) -> Any:
    """The writer's view ``u`` with the doelmatigheid tables, summary lines and settings added (unchanged
    when doelmatigheid was not computed, so outputs without a kosten table stay byte-identical)."""
    import dataclasses

    if dm.resultaat is None:
        return u
    pub = {**u.publiceerbaar, **dm.publiceerbaar()}
    intern = {**u.intern, **dm.intern()}
    bestanden = dict(u.bestanden)
    if "intern/samenvatting.txt" in bestanden:
        bestanden["intern/samenvatting.txt"] = bestanden["intern/samenvatting.txt"].rstrip("\n") + "\n" + dm.summary() + "\n"
    c = dm.resultaat.config
    extra = {**u.extra, "doelmatigheid": {"kosten": dm.bestand, "buig_aandeel": c.buig_aandeel, "disconto": c.disconto,
                                         "horizonnen": list(c.horizonnen),
                                         "uitkering_per_maand": dm.resultaat.uitkering_per_maand}}
    return dataclasses.replace(u, publiceerbaar=pub, intern=intern, bestanden=bestanden, extra=extra)
