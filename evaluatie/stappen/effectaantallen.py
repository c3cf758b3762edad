"""The person counts behind the effect estimates, as one publishable table that survives subtraction.

The long effects table has an event count on every row: per month 1..36, outcome (exit to werk, durable exit
for each k), maat and method. Published like that, the difference of two rows is a count of persons that is
in no table — the exits of one month, or the exits to work that did not last — and often 1 or 2. Here the
counts are published once per cell (instrument x categorie, with the pooled rows), in one wide row, at one
horizon: the report's main horizon (12 months when requested), the one its cell table shows. Its groups are nested, ``n_deelnemers`` ⊇ ``werk`` ⊇
``duurzaam_werk_6`` ⊇ ``duurzaam_werk_12``, so every group a reader can form by subtraction is the
difference of two of them. Each such difference is a hidden count in the table (larger = smaller +
difference), and every column adds up over the cells to the pooled rows (margins), so the disclosure stage
protects each difference like a published cell.

Why one horizon: with two horizons the groups form a grid (exit interval x durability), and the sums a reader
can form are all its rectangles and L-shapes; protecting those costs a linear programme per cell over a
system ten times larger, for counts that the report's own tables already give at each horizon.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from evaluatie.uitvoer import Tabelspec

SLEUTEL = ("instrument", "categorie")


def _uitkomsten(eff: pd.DataFrame) -> list[str]:
    """``werk`` first, then the durable outcomes by increasing k (each a subset of the one before)."""
    ks = sorted(int(u.rsplit("_", 1)[1]) for u in eff["uitkomst"].astype(str).unique() if u.startswith("duurzaam_werk_"))
    return ["werk", *(f"duurzaam_werk_{k}" for k in ks)]


def teltabel(eff: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, list[str]]:
    """Wide counts per cell at ``horizon``: key columns, ``n_deelnemers``, ``n_{uitkomst}_h{horizon}``.

    Returns
    -------
    (DataFrame, list of str)
        The table and its count columns from the largest group to the smallest (the nesting order).
    """
    uk = _uitkomsten(eff)
    e = eff[(eff["maat"] == "att") & (eff["methode"] == "gformule") & (eff["horizon"] == horizon)]
    cellen = eff[list(SLEUTEL)].drop_duplicates().reset_index(drop=True)
    n = eff.groupby(list(SLEUTEL), sort=False)["n_deelnemers"].min()  # as the report: the smallest of the cell
    ev = e.groupby([*SLEUTEL, "uitkomst"], sort=False)["n_gebeurtenissen"].first()
    rows = []
    for ins, cat in cellen.itertuples(index=False):
        r: dict[str, object] = {"instrument": ins, "categorie": cat, "n_deelnemers": float(n[(ins, cat)])}
        for u in uk:
            r[f"n_{u}_h{horizon}"] = float(ev.get((ins, cat, u), np.nan))
        rows.append(r)
    keten = ["n_deelnemers", *(f"n_{u}_h{horizon}" for u in uk)]
    t = pd.DataFrame(rows, columns=[*SLEUTEL, *keten])
    return _met_overige(t, keten), keten


#: the row of a categorie's participants in cells without an estimate: the report's label (same cell)
OVERIGE = "overig"


def _met_overige(t: pd.DataFrame, keten: list[str]) -> pd.DataFrame:
    """Add per categorie the participants (and their exits) of cells that have no row, so the margins hold.

    The pooled row of a categorie counts every participant, the cell rows only those of estimated cells; the
    pooled rows also add up among themselves (``alle`` x ``alle`` = the sum of ``alle`` x categorie). With the
    rest as its own row (``instrument = overig``, as in the report) every margin is an exact equation and the disclosure stage
    sees all of them; a rest of 1-9 persons is suppressed like any cell.
    """
    detail = (t.instrument != "alle") & (t.categorie != "alle")
    extra = []
    # every categorie with a pooled row, also one whose cells were all too small (then its rest is the pooled row)
    for cat in t.loc[(t.instrument == "alle") & (t.categorie != "alle"), "categorie"].unique():
        tot = t[(t.instrument == "alle") & (t.categorie == cat)]
        if not len(tot):
            continue
        rest = tot[keten].iloc[0].to_numpy(dtype=float) - t.loc[detail & (t.categorie == cat), keten].to_numpy(
            dtype=float).sum(axis=0)
        if np.all(np.isfinite(rest)) and np.all(rest >= 0) and np.any(rest > 0):
            extra.append({"instrument": OVERIGE, "categorie": cat, **dict(zip(keten, rest))})
    if not extra:
        return t
    eind = t[~detail]
    return pd.concat([t[detail], pd.DataFrame(extra), eind], ignore_index=True)


def effectaantallen(eff: pd.DataFrame, horizonnen: Sequence[int]) -> tuple[pd.DataFrame, Tabelspec]:
    """The publishable count table of the effects and its protection.

    Parameters
    ----------
    eff : DataFrame
        ``Effectresultaat.to_frame()`` (instrument, categorie, uitkomst, maat, horizon, methode, n_deelnemers,
        n_gebeurtenissen, ...); the counts are those of the g-formula ``att`` rows (equal in every maat and
        method: they are the observed exits of the cell's participants).
    horizonnen : sequence of int
        The report horizons; the counts are published at the report's main horizon (12 months when
        requested), the horizon of the report's own cell table, so the two publications show the same counts.

    Returns
    -------
    (DataFrame, Tabelspec)
        One row per cell (pooled rows included: instrument ``alle``; per categorie a row ``overig`` with the
        participants of cells without an estimate), the differences as hidden columns.
    """
    from evaluatie.rapport.secties.effectcellen import hoofdhorizon

    t, keten = teltabel(eff, hoofdhorizon(sorted(int(h) for h in horizonnen)))
    verschillen = []
    for i, groot in enumerate(keten):
        for klein in keten[i + 1:]:
            naam = f"verschil_{groot[2:]}_{klein[2:]}"
            t[naam] = t[groot] - t[klein]
            verschillen.append((naam, groot, klein))
    if len(t) and (t[[v[0] for v in verschillen]].to_numpy(dtype=float) < -1e-9).any():
        # nesting broken (inconsistent input): publish the participants only, not counts that contradict it
        t = t[[*SLEUTEL, "n_deelnemers"]]
        return t, Tabelspec(aantallen=("n_deelnemers",), marges=(("categorie",), ()), sleutel=SLEUTEL)
    marges = (("categorie",), ()) if _marges_kloppen(t, keten) else ()
    spec = Tabelspec(aantallen=tuple(keten), verborgen=tuple(v[0] for v in verschillen),
                     rijsommen=tuple((groot, (klein, naam)) for naam, groot, klein in verschillen),
                     marges=marges, sleutel=SLEUTEL)
    return t, spec


def _marges_kloppen(t: pd.DataFrame, keten: list[str]) -> bool:
    """Do the cells (with the rest rows) add up to the pooled rows exactly? Not when a participant is in two
    cells (then a pooled row is less than its parts and no subtraction gives a count exactly); declaring the
    margins anyway would make the checker assume equations that do not hold."""
    detail = (t.instrument != "alle") & (t.categorie != "alle")
    for cat in t.categorie.unique():
        tot = t[(t.instrument == "alle") & (t.categorie == cat)]
        delen = t[detail] if cat == "alle" else t[detail & (t.categorie == cat)]
        if len(tot) and not np.allclose(delen[keten].to_numpy(dtype=float).sum(axis=0),
                                        tot[keten].iloc[0].to_numpy(dtype=float), equal_nan=False):
            return False
    return True
