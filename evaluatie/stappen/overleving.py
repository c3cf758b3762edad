"""Step *survival*: Kaplan-Meier and cumulative incidence of exit to work by group, optional Cox model."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from evaluatie.stappen.effecten import publiceerbare_curve
from evaluatie.stappen.gemeen import Stapfout, afkeurmelding, client_ids, geen_rijen, periode_tekst
from evaluatie.uitvoer import Tabelspec, Uitvoer

SPECS: dict[str, Tabelspec] = {
    "km": Tabelspec(curve=("n_risk", ("group",), "time")),
    "cif_werk": Tabelspec(curve=("n_risk", ("group",), "time")),
}


@dataclass(frozen=True)
class Overlevingsconfig:
    """Group column, optional Cox formula and strata."""

    groep: str = "categorie"
    cox: str | None = None
    strata: tuple[str, ...] = ()

    def als_dict(self) -> dict[str, Any]:
        return {"groep": self.groep, "cox": self.cox, "strata": list(self.strata)}


@dataclass(frozen=True)
class Overlevingsstap:
    """KM and CIF results (survival module objects), the Cox fit and its PH test (or None)."""

    km: Any
    cif: Any
    cox: Any = None
    ph: Any = None
    n_uitkeringen: int = 0
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        delen = [f"Tijd (t) in dagen sinds de start van de uitkering; n telt (start, stop]-rijen van "
                 f"{self.n_uitkeringen} uitkeringen.", self.km.summary(), self.cif.summary()]
        if self.cox is not None:
            delen += [self.cox.summary(), self.ph.summary()]
        return "\n".join([*delen, *self.waarschuwingen])


def overleving(val: Any, cfg: Overlevingsconfig, *, bron: Any = "invoer") -> Overlevingsstap:
    """Run the survival step on a validation result (window: the one validation used).

    Raises
    ------
    Stapfout
        No accepted uitkeringen, an unknown group column, or an unusable Cox formula.
    """
    from evaluatie.prepare import telproces
    from evaluatie.prepare.codes import WERK
    from evaluatie.survival import OverlevingsFout, cox, cumulative_incidence, kaplan_meier

    try:
        u = val.geaccepteerd.get("uitkeringen")
        if u is None or len(u) == 0:
            raise OverlevingsFout(geen_rijen(bron, val, "uitkeringen"))
        rijen = telproces(val.geaccepteerd, waarnemingsperiode=val.waarnemingsperiode)
        groep = cfg.groep
        if groep not in rijen.columns:
            raise OverlevingsFout(f"groep '{groep}' is geen kolom van de telprocesrijen")
        rijen = rijen.assign(**{groep: rijen[groep].astype("string").fillna("onbekend")})
        rijen["uitstroom"] = (rijen["status"] > 0).astype(int)
        km = kaplan_meier(rijen, start="start", stop="stop", event="uitstroom", group=groep)
        cif = cumulative_incidence(rijen, start="start", stop="stop", event="status", cause=WERK, group=groep)
        fit = ph = None
        if cfg.cox:
            fit = cox(cfg.cox, rijen, start="start", stop="stop", strata=list(cfg.strata) or None, cluster="client_id")
            ph = fit.ph_test()
    except (OverlevingsFout, ValueError, KeyError) as e:
        raise Stapfout(str(e).strip("'\"")) from None
    return Overlevingsstap(km, cif, fit, ph, int(rijen["spell_id"].nunique()))


def uitvoer_overleving(stap: Overlevingsstap, val: Any, cfg: Overlevingsconfig, *, drempel: int = 10) -> Uitvoer:
    """Curves (cut where fewer than ``drempel`` are at risk) and figures published; Cox tables intern."""
    from evaluatie.survival.figuren import bewaar, cif_figuur, km_figuur

    intern = {"km": stap.km.to_frame(), "cif_werk": stap.cif.to_frame()}
    if stap.cox is not None:
        intern.update(cox=stap.cox.to_frame(), cox_ph=stap.ph.to_frame())

    def _km(_: Mapping[str, pd.DataFrame], pad: Path) -> None:
        bewaar(km_figuur(stap.km, drempel=drempel), pad)

    def _cif(_: Mapping[str, pd.DataFrame], pad: Path) -> None:
        bewaar(cif_figuur(stap.cif, drempel=drempel), pad)

    tekst = stap.summary() + ("\n" + m if (m := afkeurmelding(val)) else "")
    return Uitvoer(commando="overleving", inputs=dict(val.invoer),
                   config={**cfg.als_dict(), "waarnemingsperiode": periode_tekst(val)}, seed=None,
                   publiceerbaar={k: (publiceerbare_curve(intern[k]), s) for k, s in SPECS.items()}, intern=intern,
                   afgeleid={"km.svg": _km, "cif_werk.svg": _cif},
                   bestanden={"intern/samenvatting.txt": tekst + "\n"}, validatie=val,
                   client_ids=client_ids(val), drempel=drempel)
