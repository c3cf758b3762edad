"""Single-table helpers kept for callers of the old interface; both go through :func:`beveilig_uitvoer`."""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from evaluatie.disclosure.basis import DREMPEL, Beveiligd
from evaluatie.disclosure.uitvoer import Tabelspec, beveilig_uitvoer


def beveilig_aantallen(
    df: pd.DataFrame,
    aantal_kolommen: Sequence[str],
    *,
    marge_groepen: Sequence[Sequence[str]] = (),
    drempel: int = DREMPEL,
    rijtotaal: bool | None = None,
) -> Beveiligd:
    """Suppress count cells below ``drempel`` (primary) and protect margins (secondary), one table.

    Parameters
    ----------
    df : DataFrame
        Tidy table, one row per cell group; ``aantal_kolommen`` hold person counts.
    aantal_kolommen : sequence of str
        Columns with counts of persons. A zero count describes nobody and is not suppressed.
    marge_groepen : sequence of sequences of str
        Column sets whose rows add up to a published total (``[["gemeente"]]``: the rows of one gemeente
        add up to its total; ``[[]]``: all rows add up to the grand total).
    drempel : int
        Minimum number of persons a published cell may describe (default and floor 10).
    rijtotaal : bool, optional
        The count columns of a row add up to a row total (default: when there is more than one).

    Returns
    -------
    Beveiligd
    """
    if rijtotaal is None:
        rijtotaal = len(aantal_kolommen) > 1
    spec = Tabelspec(aantallen=tuple(aantal_kolommen), marges=tuple(tuple(g) for g in marge_groepen),
                     rijtotaal=rijtotaal)
    return beveilig_uitvoer({"tabel": (df, spec)}, drempel=drempel)["tabel"]


def beveilig_schattingen(
    df: pd.DataFrame,
    n_kolom: str,
    waarde_kolommen: Sequence[str],
    *,
    drempel: int = DREMPEL,
) -> Beveiligd:
    """Suppress estimate rows (effects, shares, CIs) that rest on fewer than ``drempel`` persons.

    ``n_kolom`` holds the number of persons the row describes (e.g. ``n_deelnemers``); in a suppressed
    row every column of ``waarde_kolommen`` and ``n_kolom`` itself become missing.
    """
    if n_kolom not in df.columns:
        raise KeyError(f"kolom {n_kolom!r} (aantal personen) ontbreekt")
    spec = Tabelspec(n_kolom=n_kolom, waarden=tuple(waarde_kolommen))
    return beveilig_uitvoer({"tabel": (df, spec)}, drempel=drempel)["tabel"]
