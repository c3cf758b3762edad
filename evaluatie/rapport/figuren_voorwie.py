"""Forest plot of the chapter "Voor wie werkt het?": per subgroup the raw effect with its 95% interval and the
shrunken (empirical-Bayes) estimate, grouped by instrument cell. Takes an already protected frame."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaluatie.rapport.figuren import STIJL, _kleur, _leeg, _nl_as  # noqa: E402
from evaluatie.rapport.secties.opmaak import celnaam  # noqa: E402


def subgroepfiguur(data: pd.DataFrame, *, horizon: int) -> Figure:
    """One row per subgroup: point + line = att of the subgroup (95%-BI), diamond = shrunken estimate, cross =
    the rest of the cell. ``data``: instrument, categorie, subgroep, att, laag, hoog, gekrompen, rest."""
    if data.empty:
        return _leeg("Geen subgroepen geschat")
    labels = [f"{celnaam(r.instrument, r.categorie)}: {r.subgroep}" for r in data.itertuples()]
    with matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(7.5, 0.34 * len(data) + 1.5), layout="constrained")
        ax = fig.subplots()
        for y, r in enumerate(data.itertuples()):
            kleur = _kleur(r.categorie)
            ax.plot([100 * r.laag, 100 * r.hoog], [y, y], color=kleur, lw=1.6)
            ax.plot([100 * r.att], [y], "o", color=kleur, ms=6)
            if pd.notna(r.gekrompen):
                ax.plot([100 * r.gekrompen], [y], "D", color="#444444", mfc="white", ms=5)
            if pd.notna(r.rest):
                ax.plot([100 * r.rest], [y], "x", color="#444444", ms=5)
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_yticks(range(len(data)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(f"Effect na {horizon} maanden (procentpunt, 95%-BI)")
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
        _nl_as(ax, "x")
        fig.suptitle("Effect per subgroep (punt en lijn), gekrompen schatting (ruit) en de rest van de cel (kruisje)",
                     fontsize=9)
    return fig
