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
    """Message for a required table that is absent or has no accepted rows (see :mod:`evaluatie.stappen.gemeen`)."""
    from evaluatie.stappen.gemeen import geen_rijen as _geen_rijen

    return _geen_rijen(map_, val, tabel)


#: ``--overschrijf``: every command with ``--out`` has it (the writer refuses a folder with other data without it).
overschrijf = click.option(
    "--overschrijf", is_flag=True,
    help="Vervang --out ook als die map gegevens bevat die geen eerdere uitvoer van dit commando zijn.")


def geschreven(res) -> str:
    """'Geschreven naar OUT: publiceerbaar/ (n bestanden), intern/ (m), manifest.json' for the console."""
    n_p = sum(1 for b in res.bestanden if b.startswith("publiceerbaar/"))
    n_i = sum(1 for b in res.bestanden if b.startswith("intern/"))
    return (f"Geschreven naar {res.out}: publiceerbaar/ ({n_p} bestand(en), na onthullingscontrole), "
            f"intern/ ({n_i}, niet publiceren), manifest.json, LEESMIJ.txt")


def stop_bij_afkeuringen(val) -> None:  # noqa: ANN001 - a Validatieresultaat
    """Say how many rows validation rejected and exit 1 (the README's "klaar, maar rijen afgekeurd"); else return."""
    if val.heeft_afkeuringen:
        n_af = sum(len(v) for v in val.afgekeurd.values())
        click.echo(f"Let op: {n_af} rij(en) afgekeurd bij de validatie en niet meegenomen (zie 'evaluatie valideer').")
        raise SystemExit(1)


#: ``--cluster ADRES``: run the bootstrap on a Dask scheduler (:mod:`evaluatie.cluster`); checked for its form here.
def _cluster(ctx: click.Context, param: click.Parameter, waarde: str | None) -> str | None:
    if waarde is None:
        return None
    from evaluatie.cluster import ClusterFout, controleer_adres

    try:
        return controleer_adres(waarde)
    except ClusterFout as e:
        raise click.BadParameter(str(e).removeprefix("--cluster: ")) from None


cluster = click.option(
    "--cluster", metavar="tcp://HOST:POORT", default=None, callback=_cluster,
    help="Reken de bootstrap op een bestaande Dask-scheduler (pip install 'evaluatie[cluster]'); "
         "de uitkomst is dezelfde als op deze computer. Standaard: deze computer.")

#: ``--stil``: no progress bars (they are also off when stderr is not a terminal or CI is set).
stil = click.option("--stil", is_flag=True, help="Geen voortgang op het scherm.")
