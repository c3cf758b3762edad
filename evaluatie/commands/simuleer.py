"""`evaluatie simuleer`: schrijf een gesimuleerde Werkplein-populatie met bekende waarheid."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("simuleer")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Map waarin de tabellen (CSV), truth.json en metadata.json komen.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed: zelfde seed geeft dezelfde bestanden.")
@click.option("--clienten", type=click.IntRange(min=1), default=4685, show_default=True,
              help="Omvang van het bestand op 1 juli 2019 (Werkplein tabel 2: 4685).")
@click.option("--onwaarneembaar", type=click.FloatRange(min=0.0), default=0.0, show_default=True,
              help="Sterkte van een onwaargenomen kenmerk dat zowel de start van een instrument als de kans op werk "
                   "beïnvloedt (selectie op onwaarneembaren; 0 = geen).")
def command(out: Path, seed: int, clienten: int, onwaarneembaar: float) -> None:
    """Schrijf een gesimuleerde populatie (Werkplein Hart van West-Brabant) met bekende ware effecten.

    De zes tabellen komen als CSV in OUT, met truth.json (de ware effecten per instrument x categorie,
    berekend uit tegenfeitelijke paden) en metadata.json (peildatum en waarnemingsperiode).

    Exitcode 0: klaar; 1: simuleren of schrijven mislukt; 2: verkeerd gebruik (bijv. OUT is een bestand).
    """
    from evaluatie.simulatie import SimulatieConfig, schrijf, simuleer

    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out}: verwacht een map, maar dit is een bestand")
    try:
        sim = simuleer(seed=seed, n_clienten=clienten, config=SimulatieConfig(onwaarneembaar=onwaarneembaar))
        paden = schrijf(sim, out)
    except (ValueError, OSError) as e:
        raise click.ClickException(f"simuleren mislukt: {e}") from None
    click.echo(sim.summary())
    click.echo(f"Geschreven naar {out}:")
    for p in paden:
        if p.suffix == ".csv":
            naam = p.stem
            click.echo(f"  {p.name:<20} {len(sim.tabellen[naam]):>8} rijen")
        else:
            click.echo(f"  {p.name}")
