"""`evaluatie analyseer DIR --out OUT`: effecten per instrument x categorie, deadweight en toerekenbaar aandeel."""
from __future__ import annotations

import time
from pathlib import Path

import click

from evaluatie.drempels import MIN_DEELNEMERS
from evaluatie.effecten.subgroepen import INDELINGEN

from evaluatie.commands import opties


@click.command("analyseer", epilog="Na de eerste uitstroom: effecten.csv heeft per rij een uitkomst (werk, duurzaam_werk_6, duurzaam_werk_12: uitstroom naar werk zonder nieuwe uitkering binnen 6 of 12 maanden); de beschrijvende terugval (wie komt terug in de uitkering) geeft 'evaluatie terugval'; 'evaluatie rapport' zet beide in het hoofdstuk 'Blijft het werk?'.")
@click.argument("map_", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Uitvoermap.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed van de bootstrap.")
@click.option("--bootstrap", "B", type=click.IntRange(0), default=200, show_default=True,
              help="Aantal bootstrapreplicaties (geclusterd op cliënt); 0 = geen betrouwbaarheidsintervallen.")
@click.option("--horizon", "horizonnen", type=click.IntRange(1, 36), multiple=True, default=(12, 24), show_default=True,
              help="Horizon in maanden voor deadweight, toerekenbaar en naïef verschil (herhaalbaar).")
@click.option("--n-jobs", type=click.IntRange(1), default=2, show_default=True,
              help="Aantal processen voor de bootstrap (de uitkomst hangt er niet van af).")
@click.option("--min-deelnemers", type=click.IntRange(1), default=MIN_DEELNEMERS, show_default=True,
              help="Cellen met minder deelnemers krijgen een vlag.")
@opties.cluster
@opties.stil
@click.option("--subgroep", "subgroepen", multiple=True, type=click.Choice(INDELINGEN),
              help="Vooraf gekozen subgroep (herhaalbaar); standaard alle: " + ", ".join(INDELINGEN) + ".")
@click.option("--geen-subgroepen", is_flag=True, help="Geen effecten per subgroep (tabellen subgroepen en celtoetsen leeg).")
@opties.overschrijf
def command(map_: Path, out: Path, seed: int, B: int, horizonnen: tuple[int, ...], n_jobs: int, min_deelnemers: int,
            cluster: str | None, stil: bool, subgroepen: tuple[str, ...], geen_subgroepen: bool,
            overschrijf: bool) -> None:
    """Schat per instrument x categorie het effect op uitstroom naar werk, de deadweight en het aandeel van
    alle uitstroom naar werk dat aan instrumenten is toe te rekenen.

    Leest en valideert de tabellen in DIR (waarnemingsperiode uit metadata.json), maakt de
    persoonmaandtabel en schat met de g-formule (hoofdschatter, tegenfeitelijk: nooit een instrument) en
    met risicoset-weging (controle: nog niet gestart, kan later starten). Schrijft naar OUT:
    publiceerbaar/tabellen/ (effecten, ook op duurzaam werk: uitkomst duurzaam_werk_6 en _12; populatie,
    populatie_per_gemeente, gevoeligheid, uitstroomcurves, uitkeringsmaanden, subgroepen, celtoetsen; na
    onthullingscontrole), intern/ (dezelfde tabellen volledig plus balans en lockin, als CSV en
    Parquet; samenvatting.txt; validatie/), manifest.json en LEESMIJ.txt.

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd bij de validatie (niet meegenomen), of
    een fout in de gegevens (geen uitkeringen/trajecten, geen waarnemingsperiode, onleesbaar bestand) of in
    de uitvoermap; 2: verkeerd gebruik (onbekende optie, DIR bestaat niet).
    """
    from evaluatie.effecten import Effectconfig
    from evaluatie.stappen.doelmatigheid import doelmatigheid, lees_kostentabel, met_doelmatigheid
    from evaluatie.effecten.subgroepen import Subgroepconfig
    from evaluatie.stappen.effecten import effecten, uitvoer_effecten
    from evaluatie.stappen.valideren import valideer
    from evaluatie.uitvoer import controleer_uitvoer, schrijf_uitvoer

    t0 = time.perf_counter()
    controleer_uitvoer(out, "analyseer", [map_], overschrijf=overschrijf)
    val = valideer(map_)
    kosten = lees_kostentabel(val, map_, log=click.echo)  # optional kosten.csv: checked before the long work
    try:
        cfg = Effectconfig(horizonnen=tuple(sorted(set(horizonnen))), bootstrap=B, seed=seed, n_jobs=n_jobs,
                           min_deelnemers=min_deelnemers,
                           subgroepen=Subgroepconfig(indelingen=() if geen_subgroepen else (subgroepen or INDELINGEN)))
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    from evaluatie.cluster import ClusterFout, verbind
    from evaluatie.voortgang import stil as zonder_voortgang

    try:
        with zonder_voortgang(stil), verbind(cluster):
            stap = effecten(val, cfg, bron=map_)
    except ClusterFout as e:
        raise click.ClickException(str(e)) from None
    u = met_doelmatigheid(uitvoer_effecten(stap, val, cfg), doelmatigheid(stap, kosten, val))
    res = schrijf_uitvoer(u, out, invoer=[map_], overschrijf=overschrijf)
    click.echo(u.bestanden["intern/samenvatting.txt"].rstrip("\n"))
    click.echo(f"\n{opties.geschreven(res)} ({time.perf_counter() - t0:.0f} s)")
    if val.heeft_afkeuringen:
        raise SystemExit(1)
