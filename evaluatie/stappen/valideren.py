"""Step *validate*: read and check the input tables (wraps :func:`evaluatie.validatie.valideer_map`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluatie.stappen.gemeen import Stapfout
from evaluatie.uitvoer import Uitvoer


@dataclass(frozen=True)
class Validatieconfig:
    """What to validate: peildatum and window override metadata.json; ``tabellen`` None = all present."""

    peildatum: Any = None
    waarnemingsperiode: Any = None
    tabellen: tuple[str, ...] | None = None


def valideer(map_: Path, cfg: Validatieconfig = Validatieconfig()) -> Any:
    """Validate the tables in ``map_``; returns the :class:`Validatieresultaat` (it holds the input hashes).

    Raises
    ------
    Stapfout
        A file cannot be read as a table (message from :class:`evaluatie.lezen.Invoerfout`).
    """
    from evaluatie.lezen import Invoerfout
    from evaluatie.validatie import valideer_map

    try:
        return valideer_map(map_, peildatum=cfg.peildatum, waarnemingsperiode=cfg.waarnemingsperiode,
                            tabellen=None if cfg.tabellen is None else list(cfg.tabellen))
    except Invoerfout as e:
        raise Stapfout(str(e)) from None


def uitvoer_validatie(val: Any) -> Uitvoer:
    """The writer's view of a validation run: everything intern (accepted and rejected rows, findings)."""
    wp = val.waarnemingsperiode
    config = {
        "peildatum": None if val.peildatum is None else str(val.peildatum.date()),
        "waarnemingsperiode": None if wp is None else [str(wp[0].date()), str(wp[1].date())],
        "tabellen": sorted(val.gelezen),
    }
    import json

    return Uitvoer(commando="valideer", inputs=dict(val.invoer), config=config, seed=None, validatie=val,
                   met_geaccepteerd=True,
                   extra={"reconciliatie": json.loads(val.reconciliatie().to_json(orient="records"))})
