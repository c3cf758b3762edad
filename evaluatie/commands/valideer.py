"""``evaluatie valideer DIR``: check input tables, keep rejected rows with their reasons.

Exit codes (README): 0 nothing rejected · 1 rows rejected, or a file cannot be read as a table (an error in
the data) · 2 a usage error (directory does not exist, invalid option).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import click


class _Invoerfout(click.ClickException):
    """A malformed input (an error in the data): message without traceback, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"Fout: {self.format_message()}", err=True)


@click.command("valideer")
@click.argument("map", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map voor de uitvoer (standaard: MAP_validatie naast MAP; nooit in of over MAP).")
@click.option("--json", "als_json", is_flag=True, help="Druk een machineleesbare samenvatting (JSON) af.")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD",
              help="Peildatum; gaat vóór metadata.json. Geen datum mag erna liggen.")
@click.option("--max", "max_per_regel", type=click.IntRange(min=0), default=5, show_default=True,
              help="Aantal voorbeelden per regel in de uitvoer.")
@click.option("--overschrijf", is_flag=True,
              help="Vervang --out ook als die map gegevens bevat die geen eerdere uitvoer van valideer zijn.")
def command(map: Path, out: Path | None, als_json: bool, peildatum: str | None, max_per_regel: int,
            overschrijf: bool) -> None:
    """Controleer de invoertabellen in MAP tegen data_schema/.

    Leest <tabel>.csv|.parquet|.xlsx (clienten, uitkeringen, categorieen, trajecten, poort, gemeenten) en
    metadata.json. Elke rij wordt geaccepteerd of afgekeurd met reden; per tabel geldt
    gelezen = geaccepteerd + afgekeurd. Schrijft naar OUT/intern/validatie/: geaccepteerde tabellen
    (Parquet), afgekeurd_<tabel>.csv, bevindingen.csv, reconciliatie.csv; en OUT/manifest.json. OUT mag
    niet gelijk zijn aan MAP, erin liggen of MAP bevatten.

    Exitcode 0: niets afgekeurd; 1: rijen afgekeurd, of een bestand is niet als tabel te lezen (dan is er
    niets geschreven), of de uitvoermap kan niet; 2: verkeerd gebruik (MAP bestaat niet, ongeldige --peildatum).
    """
    import pandas as pd

    from evaluatie.stappen.valideren import uitvoer_validatie
    from evaluatie.uitvoer import UitvoerFout, controleer_uitvoer, schrijf_uitvoer
    from evaluatie.validatie import Invoerfout, valideer_map

    if peildatum is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", peildatum):
                raise ValueError(peildatum)
            peil = pd.Timestamp(peildatum)
        except ValueError:
            raise click.BadParameter(f"{peildatum!r} is geen datum; verwacht jjjj-mm-dd", param_hint="--peildatum") from None
    else:
        peil = None
    if not map.is_dir():
        raise click.BadParameter(f"map {str(map)!r} bestaat niet", param_hint="MAP")
    doel = out if out is not None else map.resolve().parent / f"{map.resolve().name}_validatie"
    try:
        controleer_uitvoer(doel, "valideer", [map], overschrijf=overschrijf)
        res = valideer_map(map, peildatum=peil)
        schrijf_uitvoer(uitvoer_validatie(res), doel, invoer=[map], overschrijf=overschrijf)
    except (Invoerfout, UitvoerFout) as e:
        raise _Invoerfout(str(e)) from None
    if als_json:
        d = res.to_dict(max_per_regel=max_per_regel)
        d["uitvoer"] = str(doel)
        click.echo(json.dumps(d, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(res.summary(max_per_regel=max_per_regel))
        click.echo(f"\nUitvoer geschreven naar {doel}")
    if res.heeft_afkeuringen:
        raise click.exceptions.Exit(1)
