"""``evaluatie overleving DIR --out OUT``: Kaplan-Meier en cumulatieve incidentie van uitstroom naar werk
per categorie, op de (start, stop]-rijen van :func:`evaluatie.prepare.telproces`. Dun: de stap
:func:`evaluatie.stappen.overleving.overleving` rekent, de schrijver bewaart.
"""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("overleving", epilog="Terugval na uitstroom naar werk (wie komt terug in de uitkering, binnen 6, 12 of 18 maanden): zie 'evaluatie terugval'.")
@click.argument("map", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Uitvoermap (publiceerbaar/: km.csv, cif_werk.csv en de figuren; intern/: alles volledig).")
@click.option("--groep", default="categorie", show_default=True, help="Kolom waarnaar curves worden gesplitst.")
@click.option("--cox", "formule", default=None, metavar="FORMULE",
              help="Ook een oorzaakspecifiek Cox-model, bijv. 'werk ~ jobcoaching_in + jobcoaching_na + leeftijd "
                   "+ C(opleidingsniveau)' (links: werk of een andere uitstroomreden; rechts: kolommen van de "
                   "telprocesrijen). Efron-ties, SE geclusterd op client_id.")
@click.option("--strata", multiple=True, default=(), help="Strata van het Cox-model (herhaalbaar), bijv. categorie.")
@opties.overschrijf
def command(map: Path, out: Path, groep: str, formule: str | None, strata: tuple[str, ...], overschrijf: bool) -> None:
    """Kaplan-Meier (nog in de uitkering) en cumulatieve incidentie van uitstroom naar werk per groep.

    Leest en valideert de tabellen in MAP (nodig: uitkeringen; gebruikt ook clienten, categorieen,
    trajecten en de waarnemingsperiode uit metadata.json). Tijd in dagen sinds de start van de uitkering;
    uitkeringen die vóór de waarnemingsperiode begonnen tellen vanaf het begin ervan (vertraagde instap).
    Schrijft naar OUT: publiceerbaar/tabellen/km.csv en cif_werk.csv (afgekapt waar minder dan 10
    personen risico lopen), publiceerbaar/km.svg en cif_werk.svg; intern/ de volledige tabellen en met
    --cox ook cox (hazardratio's met BI) en cox_ph (toets op proportionele hazards, geschaalde
    Schoenfeld-residuen, als R cox.zph); manifest.json. Afgekeurde rijen tellen niet mee (het aantal
    wordt gemeld).

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd, of fout in de gegevens (onleesbaar
    bestand, geen uitkeringen, onbekende --groep, onbruikbare --cox-formule) of in de uitvoermap;
    2: verkeerd gebruik (MAP bestaat niet).
    """
    from evaluatie.stappen.overleving import Overlevingsconfig, overleving, uitvoer_overleving
    from evaluatie.stappen.valideren import valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    if not map.is_dir():
        raise click.BadParameter(f"map {str(map)!r} bestaat niet", param_hint="MAP")
    controleer_uitvoer(out, "overleving", [map], overschrijf=overschrijf)
    cfg = Overlevingsconfig(groep=groep, cox=formule, strata=tuple(strata))
    val = valideer(map)
    stap = overleving(val, cfg, bron=map)
    u = uitvoer_overleving(stap, val, cfg)
    res = schrijf_uitvoer(u, out, invoer=[map], overschrijf=overschrijf)
    click.echo(stap.summary())
    click.echo(opties.geschreven(res))
    opties.stop_bij_afkeuringen(val)
