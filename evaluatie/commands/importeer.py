"""`evaluatie importeer FORMAAT BRON --out DIR`: zet een gemeentelijk extract om naar de schematabellen."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties

from evaluatie.importeer import FORMATEN


@click.command("importeer")
@click.argument("formaat", type=click.Choice(list(FORMATEN)))
@click.argument("bron", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Uitvoermap: schematabellen (CSV), metadata.json en import/ (rapport, herkomst, niet-gemapte waarden).")
@click.option("--gemeentecode", required=True, metavar="GMxxxx", callback=opties.gemeentecode,
              help="CBS-gemeentecode (GM + 4 cijfers); het extract bevat geen gemeente.")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD", callback=opties.peildatum,
              help="Peildatum van het extract; standaard de laatste datum erin.")
@click.option("--max-gat-dagen", type=click.IntRange(min=0), default=0, show_default=True,
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

    Schrijft naar OUT clienten.csv, uitkeringen.csv en metadata.json (direct invoer voor 'evaluatie
    cohort' en 'evaluatie overleving'), en in OUT/import/ het rapport, herkomst.csv (welke bronrij in welke
    uitkering), bevindingen.csv (elke afkeuring met de rij in BRON), niet_gemapt.csv, reconciliatie.csv en
    validatie/.

    Exitcode 0: klaar; 1: rijen afgekeurd (uitvoer is wel geschreven) of het extract is onbruikbaar;
    2: verkeerd gebruik (onbekend formaat, BRON bestaat niet, ongeldige optie).
    """
    from evaluatie.importeer import Mappingfout, importeer
    from evaluatie.lezen import Invoerfout

    instellingen = dict(gemeentecode=gemeentecode, peildatum=peildatum,
                        max_gat_dagen=None if niet_samenvoegen else max_gat_dagen,
                        onbekend_als_overig=onbekend_als_overig, geheim=geheim)
    if reden_mapping is not None:
        instellingen["reden_einde"] = reden_mapping
    try:
        res = importeer(formaat, bron, **instellingen)
    except (Invoerfout, Mappingfout) as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    res.schrijf(out)
    _schrijf_manifest(out, bron, reden_mapping, formaat=formaat, gemeentecode=gemeentecode, peildatum=peildatum,
                      max_gat_dagen=None if niet_samenvoegen else max_gat_dagen,
                      onbekend_als_overig=onbekend_als_overig, geheim=geheim is not None)
    click.echo(res.summary())
    click.echo(f"Geschreven naar {out}")
    if res.heeft_afkeuringen:
        click.echo("Er zijn rijen afgekeurd: zie import/validatie en import/niet_gemapt.csv.", err=True)
        raise SystemExit(1)


def _schrijf_manifest(out: Path, bron: Path, reden_mapping: Path | None, **config) -> None:
    """OUT/import/manifest.json: the extract's and the mapping files' hashes and the options (never the secret)."""
    from importlib import resources

    from evaluatie.manifest import build_manifest, sha256_file, write_manifest

    invoer = {bron.name: sha256_file(bron)}
    if reden_mapping is not None:
        invoer[f"mapping/{reden_mapping.name}"] = sha256_file(reden_mapping)
    for naam in ("vng_dsh_kolommen.csv", "vng_dsh_geslacht.csv", "vng_dsh_oorzaak.csv", "vng_dsh_reden_einde.csv"):
        if reden_mapping is not None and naam == "vng_dsh_reden_einde.csv":
            continue
        with resources.as_file(resources.files("evaluatie.data").joinpath(naam)) as p:
            invoer[f"mapping/{naam}"] = sha256_file(p)
    write_manifest(out / "import" / "manifest.json",
                   build_manifest(inputs=invoer, config=config, seed=None, extra={"commando": "importeer"}))
