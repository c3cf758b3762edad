"""``evaluatie terugval DIR --out OUT``: terugval (herinstroom) na uitstroom naar werk, als cumulatieve
incidentie bij 6, 12 en 18 maanden per categorie, traject, instrument, gemeente en uitstroomjaar. Dun:
leest via de validatie, rekent via :func:`evaluatie.terugval.terugval`, schrijft tabellen na
onthullingscontrole.
"""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands.opties import geen_rijen


@click.command("terugval")
@click.argument("map", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Map voor terugval.csv, terugval_aantallen.csv, terugval_curves.csv en manifest.json.")
@click.option("--verhuizingen", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="CSV met client_id en datum van verhuizingen uit de gemeenten (concurrerende gebeurtenis).")
@click.option("--maanden", default="6,12,18", show_default=True,
              help="Maanden na de uitstroom waarop de terugval wordt gelezen (CBS: 6, 12, 18).")
def command(map: Path, out: Path, verhuizingen: Path | None, maanden: str) -> None:
    """Terugval na uitstroom naar werk: hoeveel mensen zijn binnen 6, 12, 18 maanden terug in de uitkering?

    Leest en valideert de tabellen in MAP (nodig: uitkeringen; gebruikt ook clienten, categorieen,
    trajecten en de peildatum/waarnemingsperiode uit metadata.json). Per uitstroom naar werk in de
    waarnemingsperiode telt de tijd tot een nieuwe uitkering van dezelfde cliënt, gecensureerd op de
    peildatum; het bereiken van de AOW-leeftijd (en met --verhuizingen een verhuizing) is een
    concurrerende gebeurtenis. Schat de cumulatieve incidentie (Aalen-Johansen) met 95%-BI.

    Schrijft naar OUT: terugval.csv (incidentie per groep en maand; onderdrukt waar minder dan 10 personen
    risico lopen), terugval_aantallen.csv (aantallen, kleine cellen onderdrukt), terugval_curves.csv
    (curves, afgekapt waar minder dan 10 personen risico lopen) en manifest.json.

    Exitcode 0: klaar; 1: fout in de gegevens (onleesbaar bestand, geen uitkeringen, geen uitstroom naar
    werk); 2: verkeerd gebruik (MAP bestaat niet, --maanden geen lijst van gehele getallen).
    """
    import pandas as pd

    from evaluatie.disclosure import beveilig_aantallen, beveilig_schattingen, knip_curve
    from evaluatie.manifest import build_manifest, write_manifest
    from evaluatie.terugval import TerugvalFout, terugval
    from evaluatie.validatie import valideer_map

    if not map.is_dir():
        raise click.BadParameter(f"map {str(map)!r} bestaat niet", param_hint="MAP")
    try:
        mnd = tuple(int(x) for x in maanden.split(",") if x.strip())
    except ValueError:
        raise click.BadParameter(f"verwacht gehele getallen gescheiden door komma's, kreeg {maanden!r}",
                                 param_hint="--maanden") from None
    try:
        val = valideer_map(map)
        u = val.geaccepteerd.get("uitkeringen")
        if u is None or len(u) == 0:
            raise TerugvalFout(geen_rijen(map, val, "uitkeringen"))
        if val.peildatum is None:
            raise TerugvalFout(f"geen peildatum bekend voor {map} (metadata.json); die is nodig om te censureren")
        verh = None if verhuizingen is None else pd.read_csv(verhuizingen, dtype={"client_id": str})
        wp = val.waarnemingsperiode
        res = terugval(val.geaccepteerd, peildatum=val.peildatum, van=None if wp is None else wp[0], maanden=mnd,
                       verhuizingen=verh, bronrijen=val.bronrijen)
    except (TerugvalFout, ValueError, KeyError) as e:
        raise click.ClickException(str(e)) from None
    out.mkdir(parents=True, exist_ok=True)
    waarden = ["cif", "se", "ci_lower", "ci_upper"]
    tabel = res.tabel[["groepering", "groep", "maanden", "n_risico", *waarden, "voorbij_laatste"]]
    beveilig_schattingen(tabel, "n_risico", waarden).tabel.to_csv(out / "terugval.csv", index=False)
    beveilig_aantallen(res.aantallen, ["n_uitstroom_werk", "n_terugval", "n_concurrerend", "n_gecensureerd"],
                       marge_groepen=[["groepering"]]).tabel.to_csv(out / "terugval_aantallen.csv", index=False)
    knip_curve(res.curves, groep=["groepering", "groep"]).to_csv(out / "terugval_curves.csv", index=False)
    write_manifest(out / "manifest.json", build_manifest(
        inputs=dict(sorted(val.invoer.items())),
        config={"maanden": list(mnd), "verhuizingen": None if verhuizingen is None else str(verhuizingen),
                "peildatum": str(val.peildatum)[:10],
                "waarnemingsperiode": None if wp is None else [str(x)[:10] for x in wp]},
        seed=None, extra={"commando": "terugval"}))
    click.echo(res.summary())
