"""`evaluatie simuleer`: schrijf een gesimuleerde Werkplein-populatie met bekende waarheid."""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("simuleer")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Map waarin de tabellen (CSV), truth.json, metadata.json en manifest.json komen.")
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True, help="Seed (geheel getal ≥ 0): zelfde seed geeft dezelfde bestanden.")
@click.option("--clienten", type=click.IntRange(min=1), default=4685, show_default=True,
              help="Omvang van het bestand op 1 juli 2019 (Werkplein tabel 2: 4685).")
@click.option("--onwaarneembaar", type=click.FloatRange(min=0.0, max=5.0), default=0.0, show_default=True,
              callback=lambda ctx, param, v: _eindig(v),
              help="Sterkte van een onwaargenomen kenmerk dat zowel de start van een instrument als de kans op werk "
                   "beïnvloedt (selectie op onwaarneembaren, in log-odds per SD; 0 = geen, hoogstens 5).")
@opties.overschrijf
def command(out: Path, seed: int, clienten: int, onwaarneembaar: float, overschrijf: bool) -> None:
    """Schrijf een gesimuleerde populatie (Werkplein Hart van West-Brabant) met bekende ware effecten.

    De zes tabellen komen als CSV in OUT, met truth.json (de ware effecten per instrument x categorie,
    berekend uit tegenfeitelijke paden), metadata.json (peildatum en waarnemingsperiode) en manifest.json.
    OUT wordt in zijn geheel vervangen, maar alleen als het een nieuwe of lege map of een eerdere
    simulatie is; een map met andere gegevens alleen met --overschrijf.

    Exitcode 0: klaar; 1: simuleren of schrijven mislukt, of OUT bevat andere gegevens; 2: verkeerd
    gebruik (bijv. OUT is een bestand).
    """
    from evaluatie.simulatie import SimulatieConfig
    from evaluatie.stappen.simuleren import simuleer_naar

    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out}: verwacht een map, maar dit is een bestand")
    try:
        sim, paden = simuleer_naar(out, seed=seed, clienten=clienten,
                                   config=SimulatieConfig(onwaarneembaar=onwaarneembaar), overschrijf=overschrijf)
    except ValueError as e:
        raise click.ClickException(f"simuleren mislukt: {e}") from None
    click.echo(sim.summary())
    click.echo(f"Geschreven naar {out}:")
    for p in paden:
        if p.suffix == ".csv":
            click.echo(f"  {p.name:<20} {len(sim.tabellen.get(p.stem, sim.kosten)):>8} rijen")
        else:
            click.echo(f"  {p.name}")


def _eindig(v: float) -> float:
    """``nan`` passes a FloatRange (every comparison with it is false): refuse it by name."""
    import math

    if not math.isfinite(v):
        raise click.BadParameter(f"verwacht een getal van 0 tot en met 5, kreeg {v}")
    return v
