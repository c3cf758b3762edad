"""``evaluatie terugval DIR --out OUT``: terugval (herinstroom) na uitstroom naar werk, als cumulatieve
incidentie bij 6, 12 en 18 maanden per categorie, traject, instrument, gemeente en uitstroomjaar. Dun:
de stap :func:`evaluatie.stappen.terugval.terugval` rekent, de schrijver bewaart.
"""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties


def _maanden(ctx: click.Context, param: click.Parameter, waarde: str) -> tuple[int, ...]:
    """``6,12,18`` → (6, 12, 18); usage error (exit 2) for anything but positive whole numbers."""
    try:
        mnd = tuple(int(x) for x in waarde.split(",") if x.strip())
    except ValueError:
        mnd = ()
    if not mnd or any(m < 1 for m in mnd):
        raise click.BadParameter(f"verwacht positieve gehele getallen gescheiden door komma's, kreeg {waarde!r}")
    return mnd


@click.command("terugval")
@click.argument("map", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Uitvoermap (publiceerbaar/tabellen/: terugval.csv, terugval_aantallen.csv, terugval_curves.csv; "
                   "intern/: alles volledig).")
@click.option("--verhuizingen", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="CSV met client_id en datum van verhuizingen uit de gemeenten (concurrerende gebeurtenis).")
@click.option("--maanden", default="6,12,18", show_default=True, callback=_maanden,
              help="Maanden na de uitstroom waarop de terugval wordt gelezen (CBS: 6, 12, 18).")
@opties.overschrijf
def command(map: Path, out: Path, verhuizingen: Path | None, maanden: tuple[int, ...], overschrijf: bool) -> None:
    """Terugval na uitstroom naar werk: hoeveel mensen zijn binnen 6, 12, 18 maanden terug in de uitkering?

    Leest en valideert de tabellen in MAP (nodig: uitkeringen; gebruikt ook clienten, categorieen,
    trajecten en de peildatum/waarnemingsperiode uit metadata.json). Per uitstroom naar werk in de
    waarnemingsperiode telt de tijd tot een nieuwe uitkering van dezelfde cliënt, gecensureerd op de
    peildatum; het bereiken van de AOW-leeftijd (en met --verhuizingen een verhuizing) is een
    concurrerende gebeurtenis. Schat de cumulatieve incidentie (Aalen-Johansen) met 95%-BI.

    Schrijft naar OUT: publiceerbaar/tabellen/terugval.csv (incidentie per groep en maand; onderdrukt
    waar minder dan 10 personen risico lopen), terugval_aantallen.csv (aantallen, kleine cellen
    onderdrukt) en terugval_curves.csv (afgekapt waar minder dan 10 personen risico lopen); intern/ de
    volledige tabellen en terugval_rijen (één rij per uitstroom, met cliëntnummer: niet publiceren);
    manifest.json. Afgekeurde rijen tellen niet mee (het aantal wordt gemeld).

    Lezen: 'terug binnen 12 mnd' = het deel van de uitstromers naar werk dat binnen 12 maanden weer een
    uitkering heeft (landelijk, Divosa: ongeveer 1 op de 5). Dit is een beschrijving, geen effect; het effect
    van een instrument op duurzaam werk schat 'evaluatie analyseer', en 'evaluatie rapport' zet beide in het
    hoofdstuk 'Blijft het werk?'.

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd, of fout in de gegevens (onleesbaar
    bestand, geen uitkeringen, geen peildatum, geen uitstroom naar werk) of in de uitvoermap;
    2: verkeerd gebruik (MAP bestaat niet, --maanden geen lijst van positieve gehele getallen).
    """
    from evaluatie.stappen.terugval import Terugvalconfig, terugval, uitvoer_terugval
    from evaluatie.stappen.valideren import valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    if not map.is_dir():
        raise click.BadParameter(f"map {str(map)!r} bestaat niet", param_hint="MAP")
    invoer = [map, *([verhuizingen] if verhuizingen is not None else [])]
    controleer_uitvoer(out, "terugval", invoer, overschrijf=overschrijf)
    cfg = Terugvalconfig(maanden=maanden, verhuizingen=verhuizingen)
    val = valideer(map)
    stap = terugval(val, cfg, bron=map)
    res = schrijf_uitvoer(uitvoer_terugval(stap, val, cfg), out, invoer=invoer, overschrijf=overschrijf)
    click.echo(stap.summary())
    click.echo(opties.geschreven(res))
    opties.stop_bij_afkeuringen(val)
