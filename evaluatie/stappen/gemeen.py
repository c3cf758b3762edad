"""What every step shares: the step error, client ids, the rejected-rows note."""
from __future__ import annotations

from typing import Any, Callable

Log = Callable[[str], None]


def stil(_: str) -> None:
    """The default progress log: says nothing."""


class Stapfout(ValueError):
    """A step cannot run on these data (Dutch message naming file, table or field); exit code 1."""


def client_ids(val: Any) -> tuple[str, ...]:
    """Every client id of the accepted input (may not occur in any published table)."""
    ids: set[str] = set()
    for t in ("clienten", "uitkeringen", "trajecten", "categorieen"):
        df = val.geaccepteerd.get(t)
        if df is not None and "client_id" in df.columns:
            ids.update(str(x) for x in df["client_id"].dropna().unique())
    return tuple(sorted(ids))


def afkeurmelding(val: Any) -> str | None:
    """'Let op: n rij(en) afgekeurd …' when validation rejected rows, else None."""
    if not val.heeft_afkeuringen:
        return None
    n = sum(len(v) for v in val.afgekeurd.values())
    return f"Let op: {n} rij(en) afgekeurd bij de validatie en niet meegenomen (zie intern/validatie/)."


def gemeenten(val: Any) -> list[str]:
    """Distinct gemeentecodes of the accepted clients (provenance for the kennisbank)."""
    c = val.geaccepteerd.get("clienten")
    if c is None or "gemeentecode" not in c.columns:
        return []
    return sorted(str(x) for x in c["gemeentecode"].dropna().unique())


def periode_tekst(val: Any) -> list[str] | None:
    """The observation window validation used, as two ISO dates (None without one)."""
    import pandas as pd

    wp = val.waarnemingsperiode
    return None if wp is None else [str(pd.Timestamp(x).date()) for x in wp]


def geen_rijen(map_: Any, val: Any, tabel: str) -> str:
    """Message for a required table that is absent or has no accepted rows (names which of the two)."""
    if tabel not in val.gelezen:
        waarom = f"geen bestand {tabel}"
    else:
        waarom = (f"geen geaccepteerde rijen in {tabel} ({val.gelezen[tabel]} gelezen, alle afgekeurd; "
                  "zie 'evaluatie valideer')")
    return f"{map_}: {waarom}; verwacht {tabel}.csv|.parquet|.xlsx met minstens één geldige rij"
