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


class _Groep(click.Group):
    """A click group whose list of subcommands is headed in Dutch, like ``evaluatie --help``."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rijen = [(n, self.commands[n].get_short_help_str(formatter.width)) for n in self.list_commands(ctx)]
        if rijen:
            with formatter.section("Commando's"):
                formatter.write_dl(rijen)


@click.group("kennisbank", cls=_Groep)
def command() -> None:
    """Bewaar en raadpleeg schattingen per instrument x categorie over evaluaties heen.

    De kennisbank is een map met één onveranderlijk Parquet-bestand per run (--kennisbank of
    $EVALUATIE_KENNISBANK, standaard ./kennisbank). Zie 'evaluatie kennisbank SUBCOMMANDO --help'.

    Exitcode 0: klaar (ook als de run er al in stond); 1: map zonder effecten.parquet/manifest.json, of
    toon/export zonder kennisbank; 2: verkeerd gebruik (onbekend instrument, verkeerde extensie).
    """


@command.command("voeg-toe", short_help="Voeg de uitvoer van 'evaluatie analyseer' toe.")
@click.argument("resultaten", type=click.Path(exists=True, file_okay=False, path_type=Path))
@KB_OPTIE
def voeg_toe(resultaten: Path, kb_pad: Path) -> None:
    """Voeg de resultaten van 'evaluatie analyseer' (map RESULTATEN) toe.

    RESULTATEN bevat effecten.parquet en manifest.json. Een run met hetzelfde manifest wordt herkend en
    niet dubbel opgeslagen; schattingen op minder dan 10 deelnemers worden niet opgeslagen.

    Exitcode 0: toegevoegd of stond er al; 1: effecten.parquet of manifest.json ontbreekt of is onbruikbaar;
    2: verkeerd gebruik (RESULTATEN bestaat niet).
    """
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


@command.command("toon", short_help="Toon de schattingen per run, gepoold en naast de literatuur.")
@click.option("--instrument", default=None, help="Alleen dit instrument (code, bijv. jobcoaching).")
@click.option("--categorie", type=click.Choice(["A", "B", "C"]), default=None, help="Alleen deze categorie.")
@click.option("--maat", default="att", show_default=True, help="Welke maat (att, deadweight, toerekenbaar, ...).")
@click.option("--horizon", type=int, default=12, show_default=True, help="Horizon in maanden.")
@click.option("--figuur", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Schrijf een figuur (PNG).")
@KB_OPTIE
def toon(instrument: str | None, categorie: str | None, maat: str, horizon: int, figuur: Path | None, kb_pad: Path) -> None:
    """Toon wat bekend is, per evaluatie en gepoold, met de literatuur ernaast.

    Per instrument x categorie: elke opgeslagen schatting met periode, run en methode; per methode het
    gepoolde resultaat over de runs (random effects, DerSimonian-Laird, met I² en Q-toets); de richting
    uit de literatuur (gemarkeerd als extern).

    Exitcode 0: klaar; 1: geen kennisbank in de map; 2: verkeerd gebruik (bijv. onbekend instrument).
    """
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
    """Exporteer alle schattingen als één tabel.

    Exitcode 0: klaar; 1: geen kennisbank in de map; 2: verkeerd gebruik (OUT niet op .csv of .parquet).
    """
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
