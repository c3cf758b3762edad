"""Step *cohort*: share still on bijstand per inflow year (VNG method and Kaplan-Meier)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from evaluatie.stappen.gemeen import Stapfout, afkeurmelding, client_ids, geen_rijen
from evaluatie.uitvoer import Tabelspec, Uitvoer

#: Columns suppressed with a cohort of fewer than ``drempel`` persons.
KM_KOLOMMEN = ("km_aandeel", "km_se", "km_ci_laag", "km_ci_hoog", "verschil", "n_risico")
AANTALLEN = ("n_cohort", "n_actief", "n_onbepaald", "n_risico", "n_uitgestroomd")


@dataclass(frozen=True)
class Cohortconfig:
    """Peildatum (Timestamp), number of years after start, disclosure threshold."""

    peildatum: pd.Timestamp
    jaren: int = 9
    drempel: int = 10

    def als_dict(self) -> dict[str, Any]:
        return {"peildatum": str(self.peildatum.date()), "jaren": self.jaren, "drempel": self.drempel}


@dataclass(frozen=True)
class Cohortstap:
    """The :class:`evaluatie.cohort.Cohortresultaat` and the step's warnings."""

    resultaat: Any
    waarschuwingen: tuple[str, ...] = ()

    def tabel(self, drempel: int) -> pd.DataFrame:
        """The cohort table with Kaplan-Meier values removed where fewer than ``drempel`` remain at risk.

        A KM value on a small risk set is not an estimate worth showing; this is part of the table's
        meaning, the writer's disclosure control (whole rows of small cohorts) comes on top.
        """
        t = self.resultaat.to_frame()
        klein = (t["n_risico"].astype("Float64") < drempel).fillna(False).to_numpy(dtype=bool)
        for c in KM_KOLOMMEN:
            t[c] = t[c].astype("Float64").mask(klein)
        for c in AANTALLEN:
            t[c] = t[c].astype("Float64").round().astype("Int64")
        return t


def cohort(val: Any, cfg: Cohortconfig, *, bron: Any = "invoer") -> Cohortstap:
    """Run the cohort analysis on the accepted uitkeringen."""
    from evaluatie.cohort import cohortanalyse

    u = val.geaccepteerd.get("uitkeringen")
    if u is None or len(u) == 0:
        raise Stapfout(geen_rijen(bron, val, "uitkeringen"))
    try:
        res = cohortanalyse(u, peildatum=cfg.peildatum, jaren=range(1, cfg.jaren + 1))
    except ValueError as e:
        raise Stapfout(str(e)) from None
    return Cohortstap(res)


def uitvoer_cohort(stap: Cohortstap, val: Any, cfg: Cohortconfig) -> Uitvoer:
    """Published: cohorten.csv (protected), cohorten.png and cohorten.txt drawn from the protected table."""
    from evaluatie.cohort.figuur import teken

    tabel = stap.tabel(cfg.drempel)
    waarden = tuple(c for c in tabel.columns if c.startswith(("vng_", "km_")) or c == "verschil")
    spec = Tabelspec(n_kolom="n_cohort", waarden=waarden, aantallen=AANTALLEN[1:])
    noot = afkeurmelding(val)

    def _png(b: Mapping[str, pd.DataFrame], pad: Path) -> None:
        teken(b["cohorten"], pad)

    def _txt(b: Mapping[str, pd.DataFrame], pad: Path) -> None:
        t = b["cohorten"].copy()
        for c in AANTALLEN:
            t[c] = t[c].astype("Float64").round().astype("Int64")
        tekst = replace(stap.resultaat, tabel=t).summary()
        pad.write_text(tekst + ("\n" + noot if noot else "") + "\n", encoding="utf-8")

    return Uitvoer(commando="cohort", inputs=dict(val.invoer), config=cfg.als_dict(), seed=None,
                   publiceerbaar={"cohorten": (tabel, spec)}, intern={"cohorten": stap.resultaat.to_frame()},
                   afgeleid={"cohorten.png": _png, "cohorten.txt": _txt}, validatie=val,
                   client_ids=client_ids(val), drempel=cfg.drempel)
