"""`evaluatie demo`: the main job on the built-in simulated data (what `make demo` runs)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/demo"), show_default=True,
              help="Uitvoermap; de gesimuleerde gegevens komen in OUT/intern/data.")
@click.option("--clienten", type=click.IntRange(1), default=None, help="Aantal cliënten (standaard: Werkplein-omvang, 4.685).")
@click.option("--bootstrap", type=click.IntRange(0), default=None, help="Aantal bootstrapreplicaties (standaard 200).")
@opties.overschrijf
def command(out: Path, clienten: int | None, bootstrap: int | None, overschrijf: bool) -> None:
    """Simuleer een Werkplein-populatie, valideer, analyseer, benchmark en schrijf het rapport.

    Gebruikt de ingebouwde configuratie (evaluatie/data/demo.toml); schrijft OUT/publiceerbaar/rapport.html
    en OUT/publiceerbaar/tabellen/, OUT/intern/ (volledige tabellen, validatie/ en data/: de gesimuleerde
    tabellen met truth.json), OUT/manifest.json en OUT/LEESMIJ.txt. Een eerdere demo in OUT wordt in zijn
    geheel vervangen.

    Exitcode 0: klaar; 1: een stap mislukt (de melding noemt welke); 2: verkeerd gebruik.
    """
    import dataclasses

    from evaluatie.config import lees_config
    from evaluatie.pijplijn import voer_uit

    cfg_pad = resources.files("evaluatie.data").joinpath("demo.toml")
    with resources.as_file(cfg_pad) as p:
        cfg = lees_config(p)
    wijzig = {"simuleer": True, "bron": None}
    if clienten is not None:
        wijzig["clienten"] = clienten
    if bootstrap is not None:
        wijzig["bootstrap"] = bootstrap
    cfg = dataclasses.replace(cfg, **wijzig)
    try:
        res = voer_uit(cfg, out, log=lambda s: click.echo(s, err=True), overschrijf=overschrijf, commando="demo",
                       data_in_run=True)
    except (ValueError, KeyError, FileNotFoundError) as e:
        raise click.ClickException(f"{type(e).__name__}: {e}") from None
    click.echo(res.summary())
    click.echo(f"Open het rapport: {res.rapport.resolve()}")
