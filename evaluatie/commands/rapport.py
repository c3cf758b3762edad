"""`evaluatie rapport CONFIG --out DIR`: one evaluation from its TOML config to a self-contained report."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("rapport")
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Uitvoermap voor rapport en tabellen.")
@click.option("--stil", is_flag=True, help="Geen voortgangsregels.")
@opties.cluster
@opties.overschrijf
def command(config: Path, out: Path, stil: bool, cluster: str | None, overschrijf: bool) -> None:
    """Maak het evaluatierapport (HTML) zoals beschreven in CONFIG (een TOML in analyses/).

    Schrijft OUT/publiceerbaar/rapport.html (zelfstandig: figuren ingebed, geen externe verzoeken) en
    OUT/publiceerbaar/tabellen/ (na onthullingscontrole), OUT/intern/ (volledige tabellen als CSV en
    Parquet, validatie/ met afgekeurde rijen: niet publiceren), OUT/manifest.json en OUT/LEESMIJ.txt.

    Hoofdstukken: samenvatting, benchmark, effecten per instrument en categorie, 'Blijft het werk?' (terugval
    in de uitkering na uitstroom naar werk binnen 6/12/18 maanden, effect op duurzaam werk naast het effect
    op uitstroom, maanden in de bijstand), per gemeente, gegevens en methode. Wat de gegevens niet toelaten
    (geen trajecten, geen uitstroom naar werk, geen peildatum) staat er als 'niet te beoordelen', met de reden.

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd (zie OUT/intern/validatie), of een
    fout in de configuratie, de gegevens of de uitvoermap; 2: verkeerd gebruik (CONFIG bestaat niet,
    onbekende optie).
    """
    from evaluatie.config import ConfigFout, lees_config
    from evaluatie.pijplijn import voer_uit
    from evaluatie.uitvoer import controleer_uitvoer

    try:
        cfg = lees_config(config)
    except ConfigFout as e:
        raise click.ClickException(str(e)) from None
    if not cfg.simuleer and not cfg.data.is_dir():
        raise click.ClickException(f"{config}: [data] map {cfg.data} "
                                   + ("is een bestand, geen map" if cfg.data.exists() else "bestaat niet"))
    controleer_uitvoer(out, "rapport", [config, cfg.data], overschrijf=overschrijf, ook=("demo",))
    if cluster is not None:  # the option wins over [effecten] cluster
        import dataclasses

        cfg = dataclasses.replace(cfg, cluster=cluster)
    from evaluatie.voortgang import stil as zonder_voortgang

    try:
        with zonder_voortgang(stil):
            res = voer_uit(cfg, out, log=(lambda s: None) if stil else (lambda s: click.echo(s, err=True)),
                           overschrijf=overschrijf)
    except (ValueError, KeyError, FileNotFoundError) as e:
        from evaluatie.stappen.gemeen import Stapfout

        # Stapfout and ConfigFout carry a Dutch message that names the file; other errors keep their type
        raise click.ClickException(str(e) if isinstance(e, (Stapfout, ConfigFout)) else f"{type(e).__name__}: {e}") from None
    click.echo(res.summary())
    if any("afgekeurd" in w for w in res.waarschuwingen):
        raise SystemExit(1)
