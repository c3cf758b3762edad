"""`evaluatie kennisbank`: voeg-toe, toon, export."""
from __future__ import annotations

from pathlib import Path

import click

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

    Exitcode 0: klaar (ook als de run er al in stond); 1: een onbruikbare run (geen of een beschadigd
    manifest of effectenbestand, niet afgemaakt), toon/export zonder kennisbank, of klaar maar een
    beschadigd bestand in de kennisbank overgeslagen; 2: verkeerd gebruik (onbekend instrument, verkeerde
    extensie).
    """


def _binnen(a: Path, b: Path) -> bool:
    """Whether folder ``a`` is ``b`` or lies inside it (after resolving links)."""
    a, b = a.resolve(), b.resolve()
    return a == b or b in a.parents


def _meld_overgeslagen(overgeslagen) -> None:
    """Name every skipped run file on stderr and end with exit code 1 ("klaar, maar ...")."""
    for o in overgeslagen:
        click.echo(f"Let op: {o.summary()}", err=True)
    n = len(overgeslagen)
    click.echo(f"Klaar, maar {n} {'bestand' if n == 1 else 'bestanden'} in de kennisbank overgeslagen (zie hierboven); "
               "de rest van de kennisbank is wel gelezen. Verwijder of herstel het bestand en voeg die run zo nodig "
               "opnieuw toe.", err=True)
    raise SystemExit(1)


@command.command("voeg-toe", short_help="Voeg de uitvoer van 'evaluatie analyseer' of 'evaluatie rapport' toe.")
@click.argument("resultaten", type=click.Path(exists=True, file_okay=False, path_type=Path))
@KB_OPTIE
def voeg_toe(resultaten: Path, kb_pad: Path) -> None:
    """Voeg de resultaten van 'evaluatie analyseer' of 'evaluatie rapport' (map RESULTATEN) toe.

    RESULTATEN bevat manifest.json en de effecten (intern/effecten.parquet; van oudere versies
    effecten.parquet of tabellen/effecten.parquet). Het manifest moet de herkomst geven (manifest_hash,
    config met waarnemingsperiode, versions) en, bij de huidige indeling, "voltooid": true: een half
    geschreven run wordt geweigerd. Een run met hetzelfde manifest wordt herkend en niet dubbel opgeslagen;
    schattingen op minder dan 10 deelnemers worden niet opgeslagen.

    Exitcode 0: toegevoegd of stond er al; 1: manifest of effecten ontbreken, zijn beschadigd of horen niet
    bij elkaar, de run is niet afgemaakt, of de kennisbank is beschadigd; 2: verkeerd gebruik (RESULTATEN
    bestaat niet).
    """
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.fouten import KennisbankFout
    from evaluatie.kennisbank.run import lees_run

    if _binnen(kb_pad, resultaten) or _binnen(resultaten, kb_pad):
        raise click.ClickException(f"--kennisbank {kb_pad} en RESULTATEN {resultaten} overlappen; de kennisbank hoort in "
                                   "een eigen map, niet in (of om) de uitvoer van een run")
    try:
        run = lees_run(resultaten)
        t = open_kennisbank(kb_pad).voeg_toe(run.effecten, run.manifest, bron=run.manifest_pad)
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
    uit de literatuur (gemarkeerd als extern). Een beschadigd bestand in de kennisbank wordt overgeslagen
    en genoemd; de rest wordt getoond.

    Exitcode 0: klaar; 1: geen (of een beschadigde) kennisbank, of klaar maar een bestand overgeslagen;
    2: verkeerd gebruik (bijv. onbekend instrument).
    """
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.fouten import KennisbankFout
    from evaluatie.kennisbank.overzicht import figuur as maak_figuur, overzicht
    from evaluatie.schema import instrumenten

    if instrument is not None and instrument not in instrumenten():
        raise click.BadParameter(f"onbekend instrument {instrument!r}; verwacht een van: {', '.join(instrumenten())}", param_hint="--instrument")
    if figuur is not None and _binnen(figuur.parent, kb_pad):
        raise click.BadParameter(f"{figuur} ligt in de kennisbank {kb_pad}; kies een plek buiten de kennisbank", param_hint="--figuur")
    try:
        r = open_kennisbank(kb_pad, maak=False).lees_alles(instrument=instrument, categorie=categorie)
    except KennisbankFout as e:
        raise click.ClickException(str(e)) from None
    df = r.schattingen
    df = df[(df.maat == maat) & (df.horizon == horizon)]
    click.echo(overzicht(df).summary())
    if figuur is not None and not df.empty:
        fig = maak_figuur(df, maat=maat, horizon=horizon)
        try:
            fig.savefig(figuur, dpi=110, metadata={"Software": None})
        except OSError as e:
            raise click.ClickException(f"{figuur}: kan de figuur niet schrijven ({e.strerror or e})") from None
        click.echo(f"Figuur: {figuur}")
    if r.overgeslagen:
        _meld_overgeslagen(r.overgeslagen)


@command.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Bestand (.csv of .parquet).")
@KB_OPTIE
def export(out: Path, kb_pad: Path) -> None:
    """Exporteer alle schattingen als één tabel.

    Een beschadigd bestand in de kennisbank wordt overgeslagen en genoemd; de rest wordt geëxporteerd.

    Exitcode 0: klaar; 1: geen (of een beschadigde) kennisbank, of klaar maar een bestand overgeslagen;
    2: verkeerd gebruik (OUT niet op .csv of .parquet, of OUT in de kennisbank).
    """
    from evaluatie.kennisbank import open_kennisbank
    from evaluatie.kennisbank.fouten import KennisbankFout

    if out.suffix not in (".csv", ".parquet"):
        raise click.BadParameter("verwacht een bestandsnaam op .csv of .parquet", param_hint="--out")
    if _binnen(out.parent, kb_pad):
        raise click.BadParameter(f"{out} ligt in de kennisbank {kb_pad}; kies een plek buiten de kennisbank", param_hint="--out")
    try:
        r = open_kennisbank(kb_pad, maak=False).lees_alles()
    except KennisbankFout as e:
        raise click.ClickException(str(e)) from None
    df = r.schattingen
    try:
        if out.suffix == ".parquet":
            df.to_parquet(out, index=False)
        else:
            df.to_csv(out, index=False, float_format="%.10g", lineterminator="\n")
    except OSError as e:
        raise click.ClickException(f"{out}: kan niet schrijven ({e.strerror or e})") from None
    click.echo(f"{len(df)} schattingen uit {df.run_id.nunique()} runs geschreven naar {out}")
    if r.overgeslagen:
        _meld_overgeslagen(r.overgeslagen)
