"""`evaluatie benchmark`: genormeerde benchmark tegen vergelijkbare gemeenten."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties

METHODE_KEUZES = ("buig", "structureel", "synthetisch", "alle")


@click.command("benchmark")
@click.argument("map_", metavar="MAP", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gemeente", required=True, metavar="GMxxxx", help="CBS-code van de gemeente (bijv. GM0777 Etten-Leur).")
@click.option("--methode", type=click.Choice(METHODE_KEUZES), default="alle", show_default=True,
              help="Vergelijkingsgroep: buig (zoals het rapport), structureel, synthetisch of alle naast elkaar.")
@click.option("--k", type=click.IntRange(min=1), default=20, show_default=True,
              help="Aantal gemeenten in de groep (buig, structureel).")
@click.option("--referentiejaar", type=int, default=None,
              help="Jaar van BUIG-budget en kenmerken voor de groep (standaard het laatste jaar; rapport: 2019).")
@click.option("--basisjaar", type=int, default=2017, show_default=True, help="Basisjaar van de index (= 100).")
@click.option("--snijjaar", type=int, default=None,
              help="Synthetische groep: eerste jaar na de voorperiode (standaard het laatste jaar).")
@click.option("--kenmerk", "kenmerken", multiple=True, metavar="NAAM",
              help="Kenmerk voor de structurele groep (herhaalbaar); standaard norm per 1000 inwoners, "
                   "log inwoners en alle kolommen kenmerk_*.")
@click.option("--overdispersie", type=click.Choice(["geen", "multiplicatief", "additief"]), default="additief",
              show_default=True, help="Overdispersie in het trechterdiagram (Spiegelhalter 2005).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Uitvoermap.")
@opties.overschrijf
def command(map_: Path, gemeente: str, methode: str, k: int, referentiejaar: int | None, basisjaar: int,
            snijjaar: int | None, kenmerken: tuple[str, ...], overdispersie: str, out: Path, overschrijf: bool) -> None:
    """Vergelijk GEMEENTE met vergelijkbare gemeenten, met de tabel gemeenten (en poort) in MAP.

    Uitkeringen, in- en uitstroom als % van het genormeerde aantal uitkeringen (BUIG-verdeelmodel),
    vergeleken met drie vergelijkingsgroepen, Nederland en een trechterdiagram van alle gemeenten.
    Schrijft naar OUT: publiceerbaar/tabellen/ (CSV), publiceerbaar/ figuren (PNG) en samenvatting.txt,
    intern/ (dezelfde tabellen als CSV en Parquet), manifest.json.

    Exitcode 0: klaar; 1: fout in de gegevens (geen of afgekeurde rijen in gemeenten, een gemeente mist
    een jaar, genormeerd aantal 0, onbekende gemeente, jaar of kenmerk) of in de uitvoermap; 2: verkeerd gebruik.
    """
    from evaluatie.stappen.benchmark import Benchmarkconfig, benchmark, uitvoer_benchmark
    from evaluatie.stappen.valideren import Validatieconfig, valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    aanwezig = {p.stem for p in map_.iterdir() if p.suffix in (".csv", ".parquet", ".xlsx")}
    if "gemeenten" not in aanwezig:
        raise click.ClickException(f"{map_} bevat geen tabel gemeenten (gemeenten.csv, .parquet of .xlsx)")
    controleer_uitvoer(out, "benchmark", [map_], overschrijf=overschrijf)
    val = valideer(map_, Validatieconfig(tabellen=tuple(t for t in ("gemeenten", "poort") if t in aanwezig)))
    methoden = ("buig", "structureel", "synthetisch") if methode == "alle" else (methode,)
    code = gemeente.strip()
    code = code.upper() if code[:2].lower() == "gm" else code
    cfg = Benchmarkconfig(gemeente=code, methoden=methoden, k=k, referentiejaar=referentiejaar, basisjaar=basisjaar,
                          snijjaar=snijjaar, kenmerken=tuple(kenmerken), overdispersie=overdispersie)
    stap = benchmark(val, cfg)
    res = schrijf_uitvoer(uitvoer_benchmark(stap, val), out, invoer=[map_], overschrijf=overschrijf)
    click.echo(stap.summary())
    click.echo(f"\n{opties.geschreven(res)}")
