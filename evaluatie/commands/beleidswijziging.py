"""`evaluatie beleidswijziging`: verschil-in-verschillen en gebeurtenisstudie rond een beleidswijziging."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties

STANDAARD_INDICATOR = "uitstroom_pct_norm"


@click.command("beleidswijziging")
@click.argument("map_", metavar="MAP", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--behandeld", multiple=True, required=True, metavar="GMxxxx",
              help="CBS-code van een gemeente die het beleid wijzigde (herhaal de optie per gemeente).")
@click.option("--jaar", type=int, required=True, help="Eerste jaar onder het nieuwe beleid (bijv. 2016).")
@click.option("--indicator", "indicatoren", multiple=True, metavar="NAAM",
              help="Indicator (herhaalbaar): uitstroom_pct_norm (standaard), instroom_pct_norm, feitelijk_pct_norm, "
                   "aandeel_werk_in_uitstroom_pct, uitstroom_werk_pct_norm, of 'alle'.")
@click.option("--controle", multiple=True, metavar="GMxxxx",
              help="Controlegemeente (herhaalbaar); standaard alle andere gemeenten in de tabel.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed van de wild cluster bootstrap.")
@click.option("--bootstrap", "B", type=click.IntRange(99, 99999), default=9999, show_default=True,
              help="Aantal bootstrap-trekkingen.")
@click.option("--gewichten", type=click.Choice(["webb", "rademacher"]), default="webb", show_default=True,
              help="Gewichten van de wild cluster bootstrap (webb: 6 punten, aan te raden bij weinig behandelde gemeenten).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Uitvoermap.")
@opties.overschrijf
def command(map_: Path, behandeld: tuple[str, ...], jaar: int, indicatoren: tuple[str, ...], controle: tuple[str, ...],
            seed: int, B: int, gewichten: str, out: Path, overschrijf: bool) -> None:
    """Evalueer een beleidswijziging van BEHANDELDE gemeenten met de tabel gemeenten in MAP.

    Schat het verschil-in-verschillen (gemeente- en jaareffecten, SE geclusterd op gemeente met
    CR2/Bell-McCaffrey-correctie en wild cluster bootstrap), een gebeurtenisstudie met pre-trendtoets
    (CR2-Waldtoets met Hotelling-benadering, HTZ) en een placebo in de tijd. Schrijft naar OUT:
    publiceerbaar/tabellen/, figuren en samenvatting.txt; intern/ (CSV en Parquet); manifest.json.

    Exitcode 0: klaar; 1: fout in de gegevens (geen tabel gemeenten, beleidsjaar buiten de gegevens,
    onbekende gemeente) of in de uitvoermap; 2: verkeerd gebruik (bijv. onbekende --indicator).
    """
    from evaluatie.panel.gemeente import INDICATOREN, indicatornaam
    from evaluatie.stappen.beleidswijziging import Beleidsconfig, beleidswijziging, uitvoer_beleidswijziging
    from evaluatie.stappen.valideren import Validatieconfig, valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    gekozen = list(dict.fromkeys(indicatornaam(i) for i in indicatoren)) or [STANDAARD_INDICATOR]
    if "alle" in gekozen:
        gekozen = list(INDICATOREN)
    onbekend = [i for i in gekozen if i not in INDICATOREN]
    if onbekend:
        raise click.BadParameter(f"onbekende indicator {', '.join(onbekend)}; verwacht een van: "
                                 f"{', '.join(INDICATOREN)}, alle", param_hint="--indicator")
    if not any(p.stem == "gemeenten" and p.suffix in (".csv", ".parquet", ".xlsx") for p in map_.iterdir()):
        raise click.ClickException(f"{map_} bevat geen tabel gemeenten (gemeenten.csv, .parquet of .xlsx)")
    controleer_uitvoer(out, "beleidswijziging", [map_], overschrijf=overschrijf)
    val = valideer(map_, Validatieconfig(tabellen=("gemeenten",)))
    cfg = Beleidsconfig(behandeld=tuple(behandeld), jaar=jaar, indicatoren=tuple(gekozen), controle=tuple(controle),
                        B=B, gewichten=gewichten, seed=seed)
    stap = beleidswijziging(val, cfg)
    res = schrijf_uitvoer(uitvoer_beleidswijziging(stap, val, cfg), out, invoer=[map_], overschrijf=overschrijf)
    click.echo(stap.summary())
    click.echo(f"\n{opties.geschreven(res)}")
