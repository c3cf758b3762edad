"""Shared pieces of disclosure control: the threshold and its floor, the protected-table result, curves.

The threshold ``drempel`` is the smallest number of persons a published cell may describe. Its floor
:data:`MIN_DREMPEL` (10) is the rule the report promises its readers ("geen enkele gepubliceerde cel
beschrijft minder dan 10 personen") and the rule of thumb of CBS for output from microdata (CBS,
*Statistische beveiliging van output uit microdata*: at least 10 units behind every published figure). A
configuration may raise the threshold (e.g. 15 or 20 for a very small gemeente) but never lower it: a
figure on 3 persons is about those 3 persons, whatever the config says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

DREMPEL = 10
MIN_DREMPEL = 10
MARKER = "<10"
#: shown for a cell suppressed only to protect another (secondary suppression); its value may be large
MARKER_SECUNDAIR = "x"


class Drempelfout(ValueError):
    """A disclosure threshold below :data:`MIN_DREMPEL` (or not a whole number)."""


def check_drempel(drempel: Any) -> int:
    """Return ``drempel`` as int, or raise :class:`Drempelfout` when it is not a whole number ≥ MIN_DREMPEL.

    Parameters
    ----------
    drempel : int
        Proposed threshold.

    Returns
    -------
    int
    """
    if isinstance(drempel, bool) or not isinstance(drempel, (int, np.integer)):
        raise Drempelfout(
            f"onthullingsdrempel: waarde {drempel!r} is geen geheel getal; verwacht een positief geheel getal "
            f"van minstens {MIN_DREMPEL}")
    if drempel < MIN_DREMPEL:
        raise Drempelfout(
            f"onthullingsdrempel: waarde {int(drempel)} is te laag; verwacht een positief geheel getal van "
            f"minstens {MIN_DREMPEL} (de ondergrens: geen gepubliceerde cel mag minder dan {MIN_DREMPEL} "
            "personen beschrijven; een configuratie mag de drempel verhogen, niet verlagen)")
    return int(drempel)


def regel_tekst(drempel: int = DREMPEL) -> str:
    """The rule as stated in the report (Dutch)."""
    return (
        f"Geen enkele gepubliceerde cel beschrijft minder dan {drempel} personen: kleinere cellen zijn "
        f"onderdrukt (weergegeven als '<{drempel}'). Waar een totaal, een andere tabel of een weggelaten "
        f"combinatie de waarde door optellen of aftrekken zou verraden, is ook een andere cel onderdrukt "
        f"(weergegeven als '{MARKER_SECUNDAIR}'); gecontroleerd is dat geen onderdrukte cel uit de overige "
        f"cijfers van het rapport terug te rekenen is. De drempel is minstens {MIN_DREMPEL}. Curves stoppen "
        f"waar minder dan {drempel} personen risico lopen. Het rapport bevat geen cliëntnummers en geen "
        "minima of maxima van individuele waarden."
    )


@dataclass(frozen=True)
class Beveiligd:
    """A table after disclosure control.

    Attributes
    ----------
    tabel : DataFrame
        The protected table; suppressed values are missing (NaN/NA). For a curve: the cut curve.
    onderdrukt : DataFrame
        Boolean mask (same index as ``tabel``; one column per affected column) of suppressed cells.
    n_primair, n_secundair : int
        Number of cells suppressed because they were small, and to protect another cell.
    drempel : int
        The threshold used.
    meldingen : tuple of str
        Notes (Dutch) about protection that could not be achieved by suppression alone.
    primair : DataFrame or None
        Mask of the primary (small) cells; the rest of ``onderdrukt`` is secondary.
    totalen : mapping
        Totals of the table's margins that may be published (assumed known to a reader), keyed by
        ``(count column, ((group column, value), ...))``. Used by the checker.
    """

    tabel: pd.DataFrame
    onderdrukt: pd.DataFrame
    n_primair: int
    n_secundair: int
    drempel: int
    meldingen: tuple[str, ...] = field(default_factory=tuple)
    primair: pd.DataFrame | None = None
    totalen: Mapping[Any, float] = field(default_factory=dict)

    def weergave(self, marker: str | None = None, marker_secundair: str = MARKER_SECUNDAIR) -> pd.DataFrame:
        """The table for display: primary cells as ``'<drempel'``, secondary ones as ``marker_secundair``."""
        marker = marker or f"<{self.drempel}"
        out = self.tabel.astype(object).copy()
        for c in self.onderdrukt.columns:
            m = self.onderdrukt[c].to_numpy(dtype=bool)
            p = self.primair[c].to_numpy(dtype=bool) if self.primair is not None and c in self.primair else m
            out.loc[m & ~p, c] = marker_secundair
            out.loc[m & p, c] = marker
        return out

    def summary(self) -> str:
        """One Dutch line with the numbers of suppressed cells."""
        return (
            f"Onthullingscontrole (drempel {self.drempel}): {self.n_primair} cel(len) primair en "
            f"{self.n_secundair} secundair onderdrukt."
        )

    def to_frame(self) -> pd.DataFrame:
        """A copy of the protected table."""
        return self.tabel.copy()


def weiger_minmax(df: pd.DataFrame, naam: str = "") -> None:
    """Raise ValueError if ``df`` has columns named like minima or maxima of individual values."""
    pat = re.compile(r"(^|_)(min|max|minimum|maximum)($|_)", re.IGNORECASE)
    bad = [c for c in df.columns if pat.search(str(c))]
    if bad:
        waar = f"tabel {naam}: " if naam else ""
        raise ValueError(
            f"onthullingscontrole: {waar}kolommen met minima of maxima van individuele waarden mogen niet "
            f"gepubliceerd worden: {', '.join(map(str, bad))}"
        )


def knip_curve(
    df: pd.DataFrame,
    n_risico_kolom: str = "n_risk",
    *,
    groep: Any = (),
    tijd_kolom: str = "time",
    drempel: int = DREMPEL,
) -> pd.DataFrame:
    """Cut survival / incidence curves from the first time the risk set is below ``drempel``.

    Rows are kept per group while the number at risk is at least the threshold; from the first time it
    falls below, the rest of that group's curve is dropped (a curve is never shown on a few persons).
    """
    drempel = check_drempel(drempel)
    groep = list(groep)
    out = df.sort_values([*groep, tijd_kolom], kind="mergesort")
    te_klein = ~(out[n_risico_kolom].to_numpy(dtype=float) >= drempel)  # missing n_risk: not shown
    if groep:
        ooit = pd.Series(te_klein, index=out.index).groupby([out[g] for g in groep], sort=False).cummax()
    else:
        ooit = pd.Series(np.maximum.accumulate(te_klein), index=out.index)
    return out.loc[~ooit.to_numpy().astype(bool)].copy()
