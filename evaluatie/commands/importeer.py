"""`evaluatie importeer FORMAAT BRON --out DIR`: zet een gemeentelijk extract om naar de schematabellen."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.importeer import FORMATEN


@click.command("importeer")
@click.argument("formaat", type=click.Choice(list(FORMATEN)))
@click.argument("bron", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Uitvoermap: schematabellen (CSV), metadata.json en import/ (rapport, herkomst, niet-gemapte waarden).")
@click.option("--gemeentecode", required=True, help="CBS-gemeentecode (GM + 4 cijfers); het extract bevat geen gemeente.")
@click.option("--peildatum", default=None, help="Peildatum van het extract (jjjj-mm-dd); standaard de laatste datum erin.")
@click.option("--max-gat-dagen", type=int, default=0, show_default=True,
              help="Perioden van één cliënt met hooguit zoveel dagen zonder uitkering ertussen worden één uitkering.")
@click.option("--niet-samenvoegen", is_flag=True, help="Elke rij is een uitkering (zoals Bijstand.R).")
@click.option("--onbekend-als-overig", is_flag=True,
              help="Reden einde die niet in de mapping staat wordt 'overig' (standaard: uitkering afgekeurd).")
@click.option("--reden-mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Eigen mappingbestand reden einde (bron,doel,toelichting).")
@click.option("--geheim", envvar="EVALUATIE_PSEUDONIEM_GEHEIM", default=None,
              help="Geheim voor sleutel-hash-pseudoniemen (of $EVALUATIE_PSEUDONIEM_GEHEIM); standaard volgnummers.")
def command(formaat: str, bron: Path, out: Path, gemeentecode: str, peildatum: str | None, max_gat_dagen: int,
            niet_samenvoegen: bool, onbekend_als_overig: bool, reden_mapping: Path | None, geheim: str | None) -> None:
    """Zet extract BRON (formaat FORMAAT, bijv. vng-dsh: .csv/.rds/.xlsx) om naar de schematabellen.

    Afgekeurde rijen staan met reden in OUT/import/validatie; de opdracht eindigt dan met code 1.
    """
    from evaluatie.importeer import Mappingfout, importeer
    from evaluatie.lezen import Invoerfout

    opties = dict(gemeentecode=gemeentecode, peildatum=peildatum,
                  max_gat_dagen=None if niet_samenvoegen else max_gat_dagen, onbekend_als_overig=onbekend_als_overig,
                  geheim=geheim)
    if reden_mapping is not None:
        opties["reden_einde"] = reden_mapping
    try:
        res = importeer(formaat, bron, **opties)
    except (Invoerfout, Mappingfout) as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    res.schrijf(out)
    click.echo(res.summary())
    click.echo(f"Geschreven naar {out}")
    if res.heeft_afkeuringen:
        click.echo("Er zijn rijen afgekeurd: zie import/validatie en import/niet_gemapt.csv.", err=True)
        raise SystemExit(1)
