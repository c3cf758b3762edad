"""`evaluatie analyseer DIR --out OUT`: effecten per instrument x categorie, deadweight en toerekenbaar aandeel."""
from __future__ import annotations

import time
from pathlib import Path

import click

from evaluatie.commands.opties import geen_rijen


@click.command("analyseer")
@click.argument("map_", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Uitvoermap.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed van de bootstrap.")
@click.option("--bootstrap", "B", type=click.IntRange(0), default=200, show_default=True,
              help="Aantal bootstrapreplicaties (geclusterd op cliënt); 0 = geen betrouwbaarheidsintervallen.")
@click.option("--horizon", "horizonnen", type=click.IntRange(1, 36), multiple=True, default=(12, 24), show_default=True,
              help="Horizon in maanden voor deadweight, toerekenbaar en naïef verschil (herhaalbaar).")
@click.option("--n-jobs", type=click.IntRange(1), default=2, show_default=True,
              help="Aantal processen voor de bootstrap (de uitkomst hangt er niet van af).")
@click.option("--min-deelnemers", type=click.IntRange(1), default=50, show_default=True,
              help="Cellen met minder deelnemers krijgen een vlag.")
def command(map_: Path, out: Path, seed: int, B: int, horizonnen: tuple[int, ...], n_jobs: int, min_deelnemers: int) -> None:
    """Schat per instrument x categorie het effect op uitstroom naar werk, de deadweight en het aandeel van
    alle uitstroom naar werk dat aan instrumenten is toe te rekenen.

    Leest en valideert de tabellen in DIR, maakt de persoonmaandtabel en schat met de g-formule
    (hoofdschatter, tegenfeitelijk: nooit een instrument) en met risicoset-weging (controle: nog niet
    gestart, kan later starten). Schrijft OUT/effecten.parquet en .csv, OUT/populatie.csv (en per gemeente:
    OUT/populatie_per_gemeente.csv),
    OUT/balans.csv, OUT/gevoeligheid.csv, OUT/lockin.csv, OUT/samenvatting.txt en OUT/manifest.json.

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd bij de validatie (niet meegenomen), of
    een fout in de gegevens (geen uitkeringen/trajecten, geen waarnemingsperiode, onleesbaar bestand);
    2: verkeerd gebruik (onbekende optie, DIR bestaat niet).
    """
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.lezen import Invoerfout, lees_metadata
    from evaluatie.manifest import build_manifest, input_hashes, write_manifest
    from evaluatie.prepare import persoonmaanden
    from evaluatie.validatie import valideer_map

    t0 = time.perf_counter()
    try:
        meta = lees_metadata(map_)
        val = valideer_map(map_)
    except Invoerfout as e:
        raise click.ClickException(str(e)) from None
    tab = val.geaccepteerd
    for nodig in ("uitkeringen", "trajecten"):
        if nodig not in tab or len(tab[nodig]) == 0:
            raise click.ClickException(geen_rijen(map_, val, nodig))
    periode = meta.get("waarnemingsperiode")
    if periode is None:
        raise click.ClickException(f"geen waarnemingsperiode: zet {{\"waarnemingsperiode\": {{\"start\": ..., \"eind\": ...}}}} in {map_ / 'metadata.json'}")
    try:
        pm = persoonmaanden(tab, waarnemingsperiode=periode)
    except ValueError as e:
        raise click.ClickException(f"persoonmaandtabel: {e}") from None
    try:
        cfg = Effectconfig(horizonnen=tuple(sorted(set(horizonnen))), bootstrap=B, seed=seed, n_jobs=n_jobs,
                           min_deelnemers=min_deelnemers)
        res = schat_effecten(pm, cfg)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    out.mkdir(parents=True, exist_ok=True)
    eff = res.to_frame()
    eff.to_parquet(out / "effecten.parquet", index=False)
    opts = dict(index=False, lineterminator="\n", float_format="%.6g")
    eff.to_csv(out / "effecten.csv", **opts)
    res.populatie.to_csv(out / "populatie.csv", **opts)
    res.per_gemeente.to_csv(out / "populatie_per_gemeente.csv", **opts)
    res.balans.to_csv(out / "balans.csv", **opts)
    res.gevoeligheid.to_csv(out / "gevoeligheid.csv", **opts)
    res.lockin.to_csv(out / "lockin.csv", **opts)
    tekst = res.summary()
    if val.heeft_afkeuringen:
        n_af = sum(len(v) for v in val.afgekeurd.values())
        tekst += f"\nLet op: {n_af} rij(en) afgekeurd bij de validatie en niet meegenomen (zie 'evaluatie valideer')."
    (out / "samenvatting.txt").write_text(tekst + "\n", encoding="utf-8")
    bestanden = [p for p in sorted(map_.iterdir()) if p.is_file() and p.suffix in (".csv", ".parquet", ".xlsx", ".json")
                 and p.name != "truth.json"]
    per = periode if isinstance(periode, (tuple, list)) else (periode["start"], periode["eind"])
    write_manifest(out / "manifest.json", build_manifest(
        inputs=input_hashes(bestanden, root=map_),
        config={**cfg.als_dict(), "waarnemingsperiode": [str(x)[:10] for x in per]},
        seed=seed,
        extra={"commando": "analyseer", "gemeenten": _gemeenten(tab), "n_clienten": res.n_clienten, "n_persoonmaanden": res.n_persoonmaanden,
               "n_deelnemers": res.n_deelnemers, "waarschuwingen": list(res.waarschuwingen)},
    ))
    click.echo(tekst)
    click.echo(f"\nGeschreven naar {out} ({time.perf_counter() - t0:.0f} s)")
    if val.heeft_afkeuringen:
        raise SystemExit(1)


def _gemeenten(tab: dict) -> list[str]:
    """Distinct gemeentecodes of the accepted clients (provenance for the kennisbank)."""
    c = tab.get("clienten")
    if c is None or "gemeentecode" not in c.columns:
        return []
    return sorted(str(x) for x in c["gemeentecode"].dropna().unique())
