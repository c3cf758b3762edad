"""Click callbacks shared by several commands (validation of option values, Dutch messages)."""
from __future__ import annotations

import re

import click


def peildatum(ctx: click.Context, param: click.Parameter, waarde: str | None) -> str | None:
    """A ``jjjj-mm-dd`` date that exists (usage error, exit 2, otherwise); None passes."""
    if waarde is None:
        return None
    import pandas as pd

    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", waarde):
            raise ValueError(waarde)
        pd.Timestamp(waarde)
    except ValueError:
        raise click.BadParameter(f"{waarde!r} is geen datum; verwacht jjjj-mm-dd") from None
    return waarde


def gemeentecode(ctx: click.Context, param: click.Parameter, waarde: str) -> str:
    """A CBS gemeentecode ``GM`` + 4 digits (usage error otherwise)."""
    if not re.fullmatch(r"GM[0-9]{4}", waarde or ""):
        raise click.BadParameter(f"{waarde!r}: verwacht GM + 4 cijfers (bijv. GM0777)")
    return waarde


def geen_rijen(map_, val, tabel: str) -> str:
    """Message for a required table that is absent or has no accepted rows (names which of the two)."""
    if tabel not in val.gelezen:
        waarom = f"geen bestand {tabel}"
    else:
        waarom = f"geen geaccepteerde rijen in {tabel} ({val.gelezen[tabel]} gelezen, alle afgekeurd; zie 'evaluatie valideer')"
    return f"{map_}: {waarom}; verwacht {tabel}.csv|.parquet|.xlsx met minstens één geldige rij"
