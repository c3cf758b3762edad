"""`evaluatie cohort DIR --out OUT`: aandeel nog in de bijstand per instroomjaar (VNG-methode en Kaplan-Meier)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from evaluatie.commands import opties


@click.command("cohort")
@click.argument("map_", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Uitvoermap.")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD", callback=opties.peildatum,
              help="Peildatum; standaard die uit DIR/metadata.json.")
@click.option("--jaren", type=click.IntRange(1, 50), default=9, show_default=True, help="Tot hoeveel jaar na start.")
@click.option("--drempel", type=click.IntRange(1), default=10, show_default=True,
              help="Onthullingscontrole: geen cel op minder personen dan dit.")
def command(map_: Path, out: Path, peildatum: str | None, jaren: int, drempel: int) -> None:
    """Cohorttabel uit de schematabel uitkeringen in DIR (bijv. de uitvoer van 'evaluatie importeer').

    Schrijft OUT/cohorten.csv (per instroomjaar x jaren: VNG-aandeel en Kaplan-Meier met 95%-BI),
    OUT/cohorten.png, OUT/cohorten.txt en OUT/manifest.json.

    Exitcode 0: klaar; 1: geen peildatum, geen geaccepteerde uitkeringen of een onleesbaar bestand;
    2: verkeerd gebruik (DIR bestaat niet, ongeldige optie).
    """
    from evaluatie.cohort import cohortanalyse
    from evaluatie.cohort.figuur import teken
    from evaluatie.disclosure import beveilig_schattingen
    from evaluatie.lezen import Invoerfout, lees_metadata, normaliseer_peildatum
    from evaluatie.manifest import build_manifest, input_hashes, write_manifest
    from evaluatie.validatie import valideer_map

    try:
        meta = lees_metadata(map_)
        peil = normaliseer_peildatum(peildatum) if peildatum else meta["peildatum"]
        if peil is None:
            raise click.ClickException(f"geen peildatum: geef --peildatum jjjj-mm-dd of zet peildatum in {map_ / 'metadata.json'}")
        val = valideer_map(map_, peildatum=peil, tabellen=["uitkeringen"])
    except Invoerfout as e:
        raise click.ClickException(str(e)) from None
    u = val.geaccepteerd.get("uitkeringen")
    if u is None or len(u) == 0:
        raise click.ClickException(opties.geen_rijen(map_, val, "uitkeringen"))
    res = cohortanalyse(u, peildatum=peil, jaren=range(1, jaren + 1))
    tabel = res.to_frame()
    # disclosure: whole rows on cohorts < drempel; KM values where fewer than drempel remain at risk
    waarden = [c for c in tabel.columns if c.startswith(("vng_", "km_")) or c in ("n_actief", "n_onbepaald", "n_risico",
                                                                                  "n_uitgestroomd", "verschil")]
    bev = beveilig_schattingen(tabel, "n_cohort", waarden, drempel=drempel).tabel
    klein = bev["n_risico"].astype("Float64") < drempel
    for c in ("km_aandeel", "km_se", "km_ci_laag", "km_ci_hoog", "verschil", "n_risico"):
        bev[c] = bev[c].astype("Float64").mask(klein.fillna(False))
    for c in ("n_cohort", "n_actief", "n_onbepaald", "n_risico", "n_uitgestroomd"):
        bev[c] = bev[c].round().astype("Int64")
    out.mkdir(parents=True, exist_ok=True)
    bev.to_csv(out / "cohorten.csv", index=False, lineterminator="\n", float_format="%.6f")
    teken(bev, out / "cohorten.png")
    tekst = replace(res, tabel=bev).summary()
    if val.heeft_afkeuringen:
        tekst += f"\nLet op: {sum(len(v) for v in val.afgekeurd.values())} rij(en) van uitkeringen afgekeurd en niet meegeteld."
    (out / "cohorten.txt").write_text(tekst + "\n", encoding="utf-8")
    bestanden = [p for p in map_.iterdir() if p.is_file() and p.name.startswith(("uitkeringen.", "metadata.json"))]
    write_manifest(out / "manifest.json", build_manifest(
        inputs=input_hashes(bestanden, root=map_),
        config={"peildatum": str(peil.date()), "jaren": jaren, "drempel": drempel}, seed=None))
    click.echo(tekst)
    click.echo(f"Geschreven naar {out}")
