"""Publication of the subgroup tables (issue 19) by the effects step: what goes to ``publiceerbaar/`` and how
it is protected.

- ``subgroepen``: the estimates (att per subgroup and rest, differences with Holm / Romano-Wolf, shrunken
  estimates) and, for subgroups not estimated, the reason; **no counts** in this table.
- ``subgroepen_aantallen``: one participant count per estimated subgroup, plus per cell and indeling the count
  of the cell's other participants, so the rows of one cell x indeling add up to the cell (a margin): a small
  level cannot be recovered by subtracting published levels from the cell's published count.
- ``celtoetsen``: the cells' multiplicity-adjusted p-values, shrunken estimates and heterogeneity tests, only for
  cells of at least ``drempel`` participants (the cells' counts are those of ``effecten``; not repeated here).
"""
from __future__ import annotations

import pandas as pd

from evaluatie.uitvoer import Tabelspec

WAARDEN = ("schatting", "se", "ci_laag", "ci_hoog", "p", "p_holm", "p_romano_wolf", "gekrompen", "gekrompen_laag",
           "gekrompen_hoog")
SPECS: dict[str, Tabelspec] = {
    "subgroepen": Tabelspec(),
    "subgroepen_aantallen": Tabelspec(aantallen=("n_deelnemers",), marges=(("instrument", "categorie", "indeling"),),
                                      sleutel=("instrument", "categorie", "indeling", "subgroep")),
    "celtoetsen": Tabelspec(),
}


def publiceerbare_subgroepen(sub: pd.DataFrame, celt: pd.DataFrame, drempel: int = 10) -> dict[str, pd.DataFrame]:
    """The three publishable tables from the intern ``subgroepen`` and ``celtoetsen`` (empty input: nothing)."""
    if sub is None or not len(sub):
        return {}
    geschat = sub["status"] == "geschat"
    aantal = sub["maat"] == "aantal"
    schat = sub[~aantal].drop(columns=["n_deelnemers"]).reset_index(drop=True)
    kol = ["instrument", "categorie", "indeling", "subgroep", "n_deelnemers"]
    groep = ["instrument", "categorie", "indeling"]
    n = sub[geschat].drop_duplicates(groep + ["subgroep"])[kol]
    # the cell's count per indeling (every level once, plus the intern "overige" row), minus the published levels
    cel = pd.concat([n, sub[aantal][kol]]).groupby(groep, sort=False)["n_deelnemers"].sum()
    gepubliceerd = n.groupby(groep, sort=False)["n_deelnemers"].sum().reindex(cel.index, fill_value=0)
    tel = (cel - gepubliceerd).rename("n_deelnemers").reset_index().assign(subgroep="overige deelnemers")[kol]
    aant = pd.concat([n, tel], ignore_index=True)
    niet = sub[aantal & (sub["subgroep"] != "overige deelnemers")]
    if len(niet):  # not estimated: named with the reason, count left out (it is in the cell's other participants)
        schat = pd.concat([schat, niet.drop(columns=["n_deelnemers"])], ignore_index=True)
    uit = {"subgroepen": schat, "subgroepen_aantallen": aant}
    if celt is not None and len(celt):
        uit["celtoetsen"] = celt[celt["n_deelnemers"] >= drempel].drop(columns=["n_deelnemers"]).reset_index(drop=True)
    return uit
