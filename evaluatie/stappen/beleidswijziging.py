"""Step *policy change* (beleidswijziging): difference-in-differences and event study per indicator."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from evaluatie.stappen.gemeen import Stapfout
from evaluatie.uitvoer import Tabelspec, Uitvoer

PRE_KOLOMMEN = ["indicator", "jaar", "aantal_leads", "leads", "methode", "hoofdtoets", "f", "df1", "df2", "p",
                "wald", "eta", "B"]


@dataclass(frozen=True)
class Beleidsconfig:
    """Treated gemeenten, first policy year, indicators, controls and the wild cluster bootstrap."""

    behandeld: tuple[str, ...]
    jaar: int
    indicatoren: tuple[str, ...]
    controle: tuple[str, ...] = ()
    B: int = 9999
    gewichten: str = "webb"
    seed: int = 1

    def als_dict(self) -> dict[str, Any]:
        return {"commando": "beleidswijziging", "behandeld": sorted(set(self.behandeld)), "jaar": self.jaar,
                "indicatoren": list(self.indicatoren),
                "controle": sorted(set(self.controle)) or "alle overige gemeenten",
                "bootstrap": self.B, "gewichten": self.gewichten}


@dataclass(frozen=True)
class Beleidsstap:
    """Per indicator the :class:`Beleidsresultaat`, plus the step's notes."""

    resultaten: Mapping[str, Any]
    jaar: int
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def tabellen(self) -> dict[str, pd.DataFrame]:
        """verschil_in_verschillen, gebeurtenisstudie and pretrend over all indicators."""
        rs = self.resultaten
        did = pd.concat([r.to_frame() for r in rs.values()], ignore_index=True)
        es = pd.concat([r.gebeurtenis.to_frame() for r in rs.values()], ignore_index=True)
        delen = [r.gebeurtenis.pretrend.to_frame().assign(indicator=ind, jaar=self.jaar)
                 for ind, r in rs.items() if r.gebeurtenis.pretrend is not None]
        pre = pd.concat(delen, ignore_index=True)[PRE_KOLOMMEN] if delen else pd.DataFrame(columns=PRE_KOLOMMEN)
        return {"verschil_in_verschillen": did, "gebeurtenisstudie": es, "pretrend": pre}

    def summary(self) -> str:
        return "\n\n".join([*self.waarschuwingen, *(r.summary() for r in self.resultaten.values())])


def beleidswijziging(val: Any, cfg: Beleidsconfig) -> Beleidsstap:
    """Estimate the policy change for each indicator on the validated gemeenten table."""
    from evaluatie.panel.gemeente import BeleidsFout, analyseer_beleidswijziging

    bestand = val.bestanden.get("gemeenten", "gemeenten")
    gem = val.geaccepteerd.get("gemeenten")
    if gem is None or gem.empty:
        raise Stapfout(f"geen geaccepteerde rijen in {bestand}; zie 'evaluatie valideer'")
    meldingen = []
    if val.heeft_afkeuringen:
        n_af = sum(len(v) for v in val.afgekeurd.values())
        meldingen.append(f"Let op: {n_af} rij(en) van gemeenten afgekeurd bij validatie en niet gebruikt.")
    res = {}
    try:
        for ind in cfg.indicatoren:
            res[ind] = analyseer_beleidswijziging(gem, behandeld=cfg.behandeld, jaar=cfg.jaar, indicator=ind,
                                                  controle=list(cfg.controle) or None, B=cfg.B,
                                                  gewichten=cfg.gewichten, seed=cfg.seed)
    except BeleidsFout as e:
        raise Stapfout(f"{bestand}: {e}") from None
    return Beleidsstap(res, cfg.jaar, tuple(meldingen))


def uitvoer_beleidswijziging(stap: Beleidsstap, val: Any, cfg: Beleidsconfig, *, drempel: int = 10) -> Uitvoer:
    """Gemeente-level estimates and event-study figures published; the same tables intern with Parquet."""
    from evaluatie.panel.figuren import figuur_gebeurtenisstudie

    tabellen = stap.tabellen()

    def _fig(ind: str):
        def maak(_: Mapping[str, pd.DataFrame], pad: Path) -> None:
            figuur_gebeurtenisstudie(stap.resultaten[ind].gebeurtenis, pad)
        return maak

    return Uitvoer(commando="beleidswijziging", inputs=dict(val.invoer), config=cfg.als_dict(), seed=cfg.seed,
                   publiceerbaar={k: (v, Tabelspec()) for k, v in tabellen.items()}, intern=tabellen,
                   afgeleid={f"gebeurtenisstudie_{i}.png": _fig(i) for i in stap.resultaten},
                   bestanden={"publiceerbaar/samenvatting.txt": stap.summary() + "\n"}, validatie=val,
                   drempel=drempel)
