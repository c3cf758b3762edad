"""`evaluatie cohort DIR --out OUT`: aandeel nog in de bijstand per instroomjaar (VNG-methode en Kaplan-Meier)."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("cohort")
@click.argument("map_", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Uitvoermap.")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD", callback=opties.peildatum,
              help="Peildatum; standaard die uit DIR/metadata.json.")
@click.option("--jaren", type=click.IntRange(1, 50), default=9, show_default=True, help="Tot hoeveel jaar na start.")
@click.option("--drempel", type=click.IntRange(10), default=10, show_default=True,
              help="Onthullingscontrole: geen cel op minder personen dan dit (minstens 10).")
@opties.overschrijf
def command(map_: Path, out: Path, peildatum: str | None, jaren: int, drempel: int, overschrijf: bool) -> None:
    """Cohorttabel uit de schematabel uitkeringen in DIR (bijv. de uitvoer van 'evaluatie importeer').

    Schrijft naar OUT: publiceerbaar/tabellen/cohorten.csv (per instroomjaar x jaren: VNG-aandeel en
    Kaplan-Meier met 95%-BI, na onthullingscontrole), publiceerbaar/cohorten.png en cohorten.txt;
    intern/cohorten.csv en .parquet (volledig); manifest.json.

    Exitcode 0: klaar; 1: geen peildatum, geen geaccepteerde uitkeringen, een onleesbaar bestand of een
    fout in de uitvoermap; 2: verkeerd gebruik (DIR bestaat niet, ongeldige optie).
    """
    from evaluatie.lezen import Invoerfout, lees_metadata, normaliseer_peildatum
    from evaluatie.stappen.cohort import Cohortconfig, cohort, uitvoer_cohort
    from evaluatie.stappen.valideren import Validatieconfig, valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    controleer_uitvoer(out, "cohort", [map_], overschrijf=overschrijf)
    try:
        meta = lees_metadata(map_)
        peil = normaliseer_peildatum(peildatum) if peildatum else meta["peildatum"]
    except Invoerfout as e:
        raise click.ClickException(str(e)) from None
    if peil is None:
        raise click.ClickException(f"geen peildatum: geef --peildatum jjjj-mm-dd of zet peildatum in {map_ / 'metadata.json'}")
    val = valideer(map_, Validatieconfig(peildatum=peil, tabellen=("uitkeringen",)))
    cfg = Cohortconfig(peildatum=peil, jaren=jaren, drempel=drempel)
    stap = cohort(val, cfg, bron=map_)
    res = schrijf_uitvoer(uitvoer_cohort(stap, val, cfg), out, invoer=[map_], overschrijf=overschrijf)
    click.echo((res.out / "publiceerbaar" / "cohorten.txt").read_text(encoding="utf-8").rstrip("\n"))
    click.echo(opties.geschreven(res))
