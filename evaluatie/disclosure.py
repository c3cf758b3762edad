"""Disclosure control: nothing that leaves the process may describe fewer than ``drempel`` persons.

Applied to every table and figure before it is rendered or stored in the kennisbank:

- **primary suppression**: a cell whose count is below the threshold is suppressed (value replaced by
  missing and marked);
- **secondary suppression**: where cells add up to a published total (a margin), one suppressed cell
  could be recovered by subtraction, so the smallest other cell of that margin is suppressed too;
- **estimate rows** (effects, shares) built on fewer than ``drempel`` persons are suppressed whole;
- **curves** (Kaplan-Meier, cumulative incidence) are cut where the risk set drops below the threshold;
- **no client ids**: :func:`controleer_geen_ids` scans rendered text for every id of the input;
- **no minima or maxima** of individual values: columns named like ``min``/``max`` are refused.

The functions are pure: they return new frames and never mutate their input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

DREMPEL = 10
MARKER = "<10"


def regel_tekst(drempel: int = DREMPEL) -> str:
    """The rule as stated in the report (Dutch)."""
    return (
        f"Geen enkele gepubliceerde cel beschrijft minder dan {drempel} personen: kleinere cellen zijn "
        f"onderdrukt (weergegeven als '<{drempel}'), en waar een totaal de waarde zou verraden is ook de "
        f"kleinste andere cel van dat totaal onderdrukt. Curves stoppen waar minder dan {drempel} personen "
        "risico lopen. Het rapport bevat geen cliëntnummers en geen minima of maxima van individuele waarden."
    )


@dataclass(frozen=True)
class Beveiligd:
    """A table after disclosure control.

    Attributes
    ----------
    tabel : DataFrame
        The protected table; suppressed values are missing (NaN/NA).
    onderdrukt : DataFrame
        Boolean mask (same shape/index as the affected columns) of suppressed cells.
    n_primair, n_secundair : int
        Number of cells suppressed because they were small, and to protect a total.
    drempel : int
        The threshold used.
    """

    tabel: pd.DataFrame
    onderdrukt: pd.DataFrame
    n_primair: int
    n_secundair: int
    drempel: int
    meldingen: tuple[str, ...] = field(default_factory=tuple)

    def weergave(self, marker: str | None = None) -> pd.DataFrame:
        """The table for display: suppressed cells shown as the marker (default ``'<drempel'``)."""
        marker = marker or f"<{self.drempel}"
        out = self.tabel.astype(object).copy()
        for c in self.onderdrukt.columns:
            out.loc[self.onderdrukt[c].to_numpy(), c] = marker
        return out

    def summary(self) -> str:
        return (
            f"Onthullingscontrole (drempel {self.drempel}): {self.n_primair} cel(len) primair en "
            f"{self.n_secundair} secundair onderdrukt."
        )

    def to_frame(self) -> pd.DataFrame:
        return self.tabel.copy()


def _check_drempel(drempel: int) -> int:
    if not isinstance(drempel, (int, np.integer)) or drempel < 1:
        raise ValueError(f"drempel moet een positief geheel getal zijn, kreeg {drempel!r}")
    return int(drempel)


def _weiger_minmax(df: pd.DataFrame) -> None:
    pat = re.compile(r"(^|_)(min|max|minimum|maximum)($|_)", re.IGNORECASE)
    bad = [c for c in df.columns if pat.search(str(c))]
    if bad:
        raise ValueError(
            "onthullingscontrole: kolommen met minima of maxima van individuele waarden mogen niet "
            f"gepubliceerd worden: {', '.join(map(str, bad))}"
        )


def beveilig_aantallen(
    df: pd.DataFrame,
    aantal_kolommen: Sequence[str],
    *,
    marge_groepen: Sequence[Sequence[str]] = (),
    drempel: int = DREMPEL,
) -> Beveiligd:
    """Suppress count cells below ``drempel`` (primary) and protect margins (secondary).

    Parameters
    ----------
    df : DataFrame
        Tidy table, one row per cell group; ``aantal_kolommen`` hold person counts.
    aantal_kolommen : sequence of str
        Columns with counts of persons. A zero count describes nobody and is not suppressed.
    marge_groepen : sequence of sequences of str
        Each entry names the columns that identify a set of rows whose counts add up to a published
        total (e.g. ``[["gemeente"]]``: the rows of one gemeente add up to its total). Within each such
        set, and within each count column across the set of columns, a single suppressed cell gets a
        partner: the smallest other non-zero cell is suppressed too.
    drempel : int
        Minimum number of persons a published cell may describe (default 10).

    Returns
    -------
    Beveiligd
    """
    drempel = _check_drempel(drempel)
    _weiger_minmax(df)
    missing = [c for c in aantal_kolommen if c not in df.columns]
    if missing:
        raise KeyError(f"kolommen niet in tabel: {', '.join(missing)}")
    out = df.copy()
    vals = out[list(aantal_kolommen)].to_numpy(dtype=float)
    mask = (vals > 0) & (vals < drempel)
    n_prim = int(mask.sum())

    def _partner(rows: np.ndarray, col: int) -> int:
        nonlocal mask
        sub = mask[rows, col]
        if sub.sum() == 1:
            cand = [(vals[r, col], i) for i, r in enumerate(rows) if not mask[r, col] and vals[r, col] > 0]
            if cand:
                _, i = min(cand)
                mask[rows[i], col] = True
                return 1
        return 0

    n_sec = 0
    changed = True
    while changed:  # secondary suppression can cascade across margins; iterate to a fixed point
        changed = False
        for groep in marge_groepen:
            keys = out[list(groep)].astype(str).agg("\x1f".join, axis=1) if groep else pd.Series("", index=out.index)
            for _, idx in keys.groupby(keys, sort=True).indices.items():
                for j in range(vals.shape[1]):
                    k = _partner(np.asarray(idx), j)
                    n_sec += k
                    changed |= bool(k)
        if len(aantal_kolommen) > 1:  # columns of one row add up to a row total
            for r in range(vals.shape[0]):
                if mask[r].sum() == 1:
                    cand = [(vals[r, j], j) for j in range(vals.shape[1]) if not mask[r, j] and vals[r, j] > 0]
                    if cand:
                        _, j = min(cand)
                        mask[r, j] = True
                        n_sec += 1
                        changed = True
    for j, c in enumerate(aantal_kolommen):
        out[c] = out[c].astype("Float64")
        out.loc[mask[:, j], c] = pd.NA
    onderdrukt = pd.DataFrame(mask, columns=list(aantal_kolommen), index=out.index)
    return Beveiligd(out, onderdrukt, n_prim, n_sec, drempel)


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
    drempel = _check_drempel(drempel)
    _weiger_minmax(df)
    if n_kolom not in df.columns:
        raise KeyError(f"kolom {n_kolom!r} (aantal personen) ontbreekt")
    out = df.copy()
    n = out[n_kolom].to_numpy(dtype=float)
    klein = ~(n >= drempel)  # NaN n counts as not shown
    cols = [n_kolom, *waarde_kolommen]
    for c in cols:
        out[c] = out[c].astype("Float64")
        out.loc[klein, c] = pd.NA
    onderdrukt = pd.DataFrame({c: klein for c in cols}, index=out.index)
    return Beveiligd(out, onderdrukt, int(klein.sum()), 0, drempel)


def knip_curve(
    df: pd.DataFrame,
    n_risico_kolom: str = "n_risk",
    *,
    groep: Sequence[str] = (),
    tijd_kolom: str = "time",
    drempel: int = DREMPEL,
) -> pd.DataFrame:
    """Cut survival / incidence curves from the first time the risk set is below ``drempel``.

    Rows are kept per group while the number at risk is at least the threshold; from the first time it
    falls below, the rest of that group's curve is dropped (a curve is never shown on a few persons).
    """
    drempel = _check_drempel(drempel)
    out = df.sort_values([*groep, tijd_kolom], kind="mergesort")
    te_klein = out[n_risico_kolom].to_numpy(dtype=float) < drempel
    if groep:
        ooit = pd.Series(te_klein, index=out.index).groupby([out[g] for g in groep], sort=False).cummax()
    else:
        ooit = pd.Series(np.maximum.accumulate(te_klein), index=out.index)
    return out.loc[~ooit.to_numpy().astype(bool)].copy()


class OnthullingsFout(RuntimeError):
    """Raised when a rendered output contains something that identifies a client."""


def controleer_geen_ids(tekst: str, ids: Iterable[str], *, min_lengte: int = 4) -> None:
    """Raise :class:`OnthullingsFout` if any client id occurs in ``tekst``.

    Ids shorter than ``min_lengte`` characters cannot be searched meaningfully (they occur by chance in
    any text); pseudonymise such ids to longer ones before analysis.
    """
    ids = [str(i) for i in ids if isinstance(i, str) or pd.notna(i)]
    korte = [i for i in ids if len(i) < min_lengte]
    if korte:
        raise OnthullingsFout(
            f"{len(korte)} cliëntnummer(s) korter dan {min_lengte} tekens (bijv. {korte[0]!r}); "
            "gebruik langere pseudoniemen zodat het rapport gecontroleerd kan worden"
        )
    if not ids:
        return
    # one pass with a set lookup over candidate tokens, robust to ids embedded in other text
    lengtes = sorted({len(i) for i in ids})
    idset = set(ids)
    gevonden = []
    for L in lengtes:
        for m in re.finditer(r"(?=([A-Za-z0-9_\-]{%d}))" % L, tekst):
            if m.group(1) in idset:
                gevonden.append(m.group(1))
                break
    if gevonden:
        raise OnthullingsFout(f"rapport bevat {len(gevonden)} cliëntnummer(s), bijv. {gevonden[0]!r}")
