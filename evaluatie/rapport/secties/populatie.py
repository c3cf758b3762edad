"""The attributable share of all exits to work (one population number) and how it reads against Best."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.deadweight import zin_toerekenbaar
from evaluatie.disclosure import beveilig_schattingen


BEST_MAXIMUM = 0.45  # Rekenkamercommissie Best: "maximaal ca. 45% ... toe te rekenen aan het Participatiebeleid"


@dataclass(frozen=True)
class Toerekenbaar:
    """Share of all exits to work attributable to instruments, with its 95% CI and n (exits to work)."""

    schatting: float
    ci_laag: float
    ci_hoog: float
    n_uitstroom_werk: float  # NaN when not supplied
    methode: str = ""


def toerekenbaar(populatie: pd.DataFrame | None, drempel: int) -> Toerekenbaar | None:
    """Read the ``toerekenbaar_aandeel`` row; None when absent or resting on fewer than ``drempel`` exits.

    The n is ``n_uitstroom_werk`` when present, else the ``uitstroom_werk`` row's schatting (a count).
    """
    if populatie is None or populatie.empty or "maat" not in populatie:
        return None
    r = populatie[populatie.maat == "toerekenbaar_aandeel"]
    if r.empty:
        return None
    r = r.iloc[[0]].copy()
    if "n_uitstroom_werk" in r.columns:
        n = float(r.n_uitstroom_werk.iloc[0])
    else:
        w = populatie[populatie.maat == "uitstroom_werk"]
        n = float(w.schatting.iloc[0]) if len(w) else np.nan
    if np.isfinite(n):
        r["n_uitstroom_werk"] = n
        r = beveilig_schattingen(r, "n_uitstroom_werk", ["schatting", "ci_laag", "ci_hoog"], drempel=drempel).tabel
        if pd.isna(r.n_uitstroom_werk.iloc[0]):
            return None
    x = r.iloc[0]
    return Toerekenbaar(float(x.schatting), float(x.ci_laag), float(x.ci_hoog), n,
                        str(x.methode) if "methode" in r.columns and pd.notna(x.methode) else "")


def zin(t: Toerekenbaar) -> str:
    """The headline sentence: 'x% (95%-BI a–b%) van de uitstroom naar werk is toe te rekenen aan ...' (one builder:
    :func:`evaluatie.deadweight.zin_toerekenbaar`)."""
    return zin_toerekenbaar(t.schatting, t.ci_laag, t.ci_hoog, t.n_uitstroom_werk)


def lezing_best(t: Toerekenbaar) -> str:
    """Our interval set against Best's 'maximaal ca. 45%' (an upper bound from attribution, not an effect)."""
    if not (np.isfinite(t.ci_laag) and np.isfinite(t.ci_hoog)):
        return "Zonder betrouwbaarheidsinterval is niet te zeggen hoe dit zich verhoudt tot Best (maximaal ca. 45%)."
    if t.ci_hoog < BEST_MAXIMUM:
        return ("Dat ligt aantoonbaar onder de bovengrens van ca. 45% die de Rekenkamercommissie Best vond: "
                "het grootste deel van de uitstroom naar werk was er ook zonder instrument gekomen.")
    if t.ci_laag > BEST_MAXIMUM:
        return ("Dat ligt aantoonbaar boven de bovengrens van ca. 45% die de Rekenkamercommissie Best vond; "
                "controleer of de registratie van instrumenten en uitstroomreden vergelijkbaar is.")
    return ("Dat is niet aantoonbaar anders dan de bovengrens van ca. 45% die de Rekenkamercommissie Best vond "
            "(het interval bevat 45%).")
