"""`evaluatie kennisbank`: voeg-toe, toon, export."""
from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

KB_OPTIE = click.option(
    "--kennisbank", "kb_pad", type=click.Path(file_okay=False, path_type=Path), envvar="EVALUATIE_KENNISBANK",
    default=Path("kennisbank"), show_default=True, help="Map van de kennisbank (of $EVALUATIE_KENNISBANK).",
)


@click.group("kennisbank")
def command() -> None:
    """Bewaar en raadpleeg schattingen per instrument x categorie over evaluaties heen."""


@command.command("voeg-toe")
@click.argument("resultaten", type=click.Path(exists=True, file_okay=False, path_type=Path))
@KB_OPTIE
def voeg_toe(resultaten: Path, kb_pad: Path) -> None:
    """Voeg de resultaten van 'evaluatie analyseer' (map RESULTATEN) toe."""
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.opslag import KennisbankFout

    eff = resultaten / "effecten.parquet"
    man = resultaten / "manifest.json"
    for f in (eff, man):
        if not f.exists():
            raise click.ClickException(f"{f} ontbreekt: verwacht de uitvoermap van 'evaluatie analyseer'")
    try:
        t = open_kennisbank(kb_pad).voeg_toe(pd.read_parquet(eff), json.loads(man.read_text(encoding="utf-8")))
    except KennisbankFout as e:
        raise click.ClickException(str(e)) from None
    click.echo(t.summary())


@command.command("toon")
@click.option("--instrument", default=None, help="Alleen dit instrument (code, bijv. jobcoaching).")
@click.option("--categorie", type=click.Choice(["A", "B", "C"]), default=None, help="Alleen deze categorie.")
@click.option("--maat", default="att", show_default=True, help="Welke maat (att, deadweight, toerekenbaar, ...).")
@click.option("--horizon", type=int, default=12, show_default=True, help="Horizon in maanden.")
@click.option("--figuur", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Schrijf een figuur (PNG).")
@KB_OPTIE
def toon(instrument: str | None, categorie: str | None, maat: str, horizon: int, figuur: Path | None, kb_pad: Path) -> None:
    """Toon wat bekend is, per evaluatie en gepoold, met de literatuur ernaast."""
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.opslag import KennisbankFout
    from evaluatie.kennisbank.overzicht import figuur as maak_figuur, overzicht
    from evaluatie.schema import instrumenten

    if instrument is not None and instrument not in instrumenten():
        raise click.BadParameter(f"onbekend instrument {instrument!r}; verwacht een van: {', '.join(instrumenten())}", param_hint="--instrument")
    try:
        df = open_kennisbank(kb_pad, maak=False).lees(instrument=instrument, categorie=categorie)
    except KennisbankFout as e:
        raise click.ClickException(str(e)) from None
    df = df[(df.maat == maat) & (df.horizon == horizon)]
    click.echo(overzicht(df).summary())
    if figuur is not None and not df.empty:
        fig = maak_figuur(df, maat=maat, horizon=horizon)
        fig.savefig(figuur, dpi=110, metadata={"Software": None})
        click.echo(f"Figuur: {figuur}")


@command.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Bestand (.csv of .parquet).")
@KB_OPTIE
def export(out: Path, kb_pad: Path) -> None:
    """Exporteer alle schattingen als één tabel."""
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.opslag import KennisbankFout

    try:
        df = open_kennisbank(kb_pad, maak=False).lees()
    except KennisbankFout as e:
        raise click.ClickException(str(e)) from None
    if out.suffix == ".parquet":
        df.to_parquet(out, index=False)
    elif out.suffix == ".csv":
        df.to_csv(out, index=False)
    else:
        raise click.BadParameter("verwacht een bestandsnaam op .csv of .parquet", param_hint="--out")
    click.echo(f"{len(df)} schattingen uit {df.run_id.nunique()} runs geschreven naar {out}")
