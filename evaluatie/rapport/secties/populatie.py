"""The attributable share of all exits to work (one population number) and how it reads against Best."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.deadweight import zin_toerekenbaar
from evaluatie.disclosure import Beveiligd, beveilig_uitvoer
from evaluatie.rapport.beveiliging import SPEC_TOEREKENBAAR, toerekenbaartabel
from evaluatie.rapport.secties.opmaak import ontaard

BEST_MAXIMUM = 0.45  # Rekenkamercommissie Best: "maximaal ca. 45% ... toe te rekenen aan het Participatiebeleid"


@dataclass(frozen=True)
class Toerekenbaar:
    """Share of all exits to work attributable to instruments, with its 95% CI and n (exits to work)."""

    schatting: float
    ci_laag: float
    ci_hoog: float
    n_uitstroom_werk: float  # NaN when not supplied
    methode: str = ""


def _f(v: object) -> float:
    """float, with NA/None (e.g. no bootstrap: no interval) as NaN."""
    return float(v) if v is not None and not pd.isna(v) else np.nan  # type: ignore[arg-type]


def toerekenbaar(populatie: pd.DataFrame | None, drempel: int, *, beveiligd: Beveiligd | None = None) -> Toerekenbaar | None:
    """Read the ``toerekenbaar_aandeel`` row; None when absent or resting on fewer than ``drempel`` exits.

    The n is ``n_uitstroom_werk`` when present, else the ``uitstroom_werk`` row's schatting (a count).
    ``beveiligd`` is table ``toerekenbaar`` of the report's joint disclosure control
    (:func:`evaluatie.rapport.beveiliging.rapporttellingen`); without it the row is protected on its own.
    Missing bounds (no bootstrap) stay NaN: the sentence then says no interval was computed.
    """
    tt = toerekenbaartabel(populatie)
    if tt is None:
        return None
    n = _f(tt.n_uitstroom_werk.iloc[0])
    if np.isfinite(n):
        if beveiligd is None:
            beveiligd = beveilig_uitvoer({"t": (tt, SPEC_TOEREKENBAAR)}, drempel=drempel)["t"]
        if bool(beveiligd.onderdrukt["n_uitstroom_werk"].iloc[0]):
            return None
    x = tt.iloc[0]
    r = populatie[populatie.maat == "toerekenbaar_aandeel"].iloc[0]
    methode = str(r.methode) if "methode" in populatie.columns and pd.notna(r.methode) else ""
    return Toerekenbaar(_f(x.schatting), _f(x.ci_laag), _f(x.ci_hoog), n, methode)


def zin(t: Toerekenbaar) -> str:
    """The headline sentence: 'x% (95%-BI a–b%) van de uitstroom naar werk is toe te rekenen aan ...' (one builder:
    :func:`evaluatie.deadweight.zin_toerekenbaar`)."""
    return zin_toerekenbaar(t.schatting, t.ci_laag, t.ci_hoog, t.n_uitstroom_werk)


def lezing_best(t: Toerekenbaar) -> str:
    """Our interval set against Best's 'maximaal ca. 45%' (an upper bound from attribution, not an effect)."""
    if not (np.isfinite(t.ci_laag) and np.isfinite(t.ci_hoog)):
        return ("Er is geen betrouwbaarheidsinterval berekend; daarom is niet te zeggen hoe dit zich verhoudt tot Best "
                "(maximaal ca. 45%).")
    if ontaard(t.ci_laag, t.ci_hoog):
        return ("Niet te beoordelen tegen de bovengrens van ca. 45% van Best: het interval heeft geen breedte (geen "
                "uitstroom of geen spreiding in de gegevens, of geen bootstrap).")
    if t.ci_hoog < BEST_MAXIMUM:
        return ("Dat ligt aantoonbaar onder de bovengrens van ca. 45% die de Rekenkamercommissie Best vond: "
                "het grootste deel van de uitstroom naar werk was er ook zonder instrument gekomen.")
    if t.ci_laag > BEST_MAXIMUM:
        return ("Dat ligt aantoonbaar boven de bovengrens van ca. 45% die de Rekenkamercommissie Best vond; "
                "controleer of de registratie van instrumenten en uitstroomreden vergelijkbaar is.")
    return ("Dat is niet aantoonbaar anders dan de bovengrens van ca. 45% die de Rekenkamercommissie Best vond "
            "(het interval bevat 45%).")
