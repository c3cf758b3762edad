"""`evaluatie beleidswijziging`: verschil-in-verschillen en gebeurtenisstudie rond een beleidswijziging."""
from __future__ import annotations

from pathlib import Path

import click

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
def command(map_: Path, behandeld: tuple[str, ...], jaar: int, indicatoren: tuple[str, ...], controle: tuple[str, ...],
            seed: int, B: int, gewichten: str, out: Path) -> None:
    """Evalueer een beleidswijziging van BEHANDELDE gemeenten met de tabel gemeenten in MAP.

    Schat het verschil-in-verschillen (gemeente- en jaareffecten, SE geclusterd op gemeente met
    CR2/Bell-McCaffrey-correctie en wild cluster bootstrap), een gebeurtenisstudie met pre-trendtoets
    (CR2-Waldtoets met Hotelling-benadering, HTZ) en een placebo in de tijd. Schrijft tabellen, figuren en
    manifest.json naar OUT.

    Exitcode 0: klaar; 1: fout in de gegevens (geen tabel gemeenten, beleidsjaar buiten de gegevens,
    onbekende gemeente); 2: verkeerd gebruik (bijv. onbekende --indicator).
    """
    import pandas as pd

    from evaluatie.manifest import build_manifest, input_hashes, write_manifest
    from evaluatie.panel.figuren import figuur_gebeurtenisstudie
    from evaluatie.panel.gemeente import INDICATOREN, BeleidsFout, analyseer_beleidswijziging, indicatornaam

    gekozen = list(dict.fromkeys(indicatornaam(i) for i in indicatoren)) or [STANDAARD_INDICATOR]
    if "alle" in gekozen:
        gekozen = list(INDICATOREN)
    onbekend = [i for i in gekozen if i not in INDICATOREN]
    if onbekend:
        raise click.BadParameter(f"onbekende indicator {', '.join(onbekend)}; verwacht een van: "
                                 f"{', '.join(INDICATOREN)}, alle", param_hint="--indicator")
    bestanden = sorted(p for p in map_.iterdir() if p.stem == "gemeenten" and p.suffix in (".csv", ".parquet", ".xlsx"))
    if not bestanden:
        raise click.ClickException(f"{map_} bevat geen tabel gemeenten (gemeenten.csv, .parquet of .xlsx)")
    from evaluatie.validatie import valideer_map

    val = valideer_map(map_, tabellen=["gemeenten"])
    gem = val.geaccepteerd.get("gemeenten")
    if gem is None or gem.empty:
        raise click.ClickException(f"geen geaccepteerde rijen in {bestanden[0]}; zie 'evaluatie valideer {map_}'")
    meldingen = []
    if val.heeft_afkeuringen:
        n_af = sum(len(v) for v in val.afgekeurd.values())
        meldingen.append(f"Let op: {n_af} rij(en) van gemeenten afgekeurd bij validatie en niet gebruikt.")

    resultaten = {}
    try:
        for ind in gekozen:
            resultaten[ind] = analyseer_beleidswijziging(gem, behandeld=behandeld, jaar=jaar, indicator=ind,
                                                         controle=list(controle) or None, B=B, gewichten=gewichten,
                                                         seed=seed)
    except BeleidsFout as e:
        raise click.ClickException(f"{bestanden[0].name}: {e}") from None

    out.mkdir(parents=True, exist_ok=True)
    did = pd.concat([r.to_frame() for r in resultaten.values()], ignore_index=True)
    es = pd.concat([r.gebeurtenis.to_frame() for r in resultaten.values()], ignore_index=True)
    pre_delen = [r.gebeurtenis.pretrend.to_frame().assign(indicator=ind, jaar=jaar)
                 for ind, r in resultaten.items() if r.gebeurtenis.pretrend is not None]
    pre_kolommen = ["indicator", "jaar", "aantal_leads", "leads", "methode", "hoofdtoets", "f", "df1", "df2", "p",
                    "wald", "eta", "B"]
    pre = (pd.concat(pre_delen, ignore_index=True)[pre_kolommen] if pre_delen
           else pd.DataFrame(columns=pre_kolommen))
    geschreven = []
    for naam, df in (("verschil_in_verschillen", did), ("gebeurtenisstudie", es), ("pretrend", pre)):
        df.to_csv(out / f"{naam}.csv", index=False, float_format="%.10g")
        df.to_parquet(out / f"{naam}.parquet", index=False)
        geschreven += [f"{naam}.csv", f"{naam}.parquet"]
    for ind, r in resultaten.items():
        figuur_gebeurtenisstudie(r.gebeurtenis, out / f"gebeurtenisstudie_{ind}.png")
        geschreven.append(f"gebeurtenisstudie_{ind}.png")
    tekst = "\n\n".join([*meldingen, *(r.summary() for r in resultaten.values())]) + "\n"
    (out / "samenvatting.txt").write_text(tekst, encoding="utf-8")
    geschreven.append("samenvatting.txt")
    invoer = bestanden + [p for p in [map_ / "metadata.json"] if p.exists()]
    config = {"commando": "beleidswijziging", "behandeld": sorted(set(behandeld)), "jaar": jaar,
              "indicatoren": gekozen, "controle": sorted(set(controle)) or "alle overige gemeenten",
              "bootstrap": B, "gewichten": gewichten}
    write_manifest(out / "manifest.json", build_manifest(inputs=input_hashes(invoer, root=map_), config=config,
                                                         seed=seed, extra={"uitvoer": sorted(geschreven)}))
    click.echo(tekst.rstrip("\n"))
    click.echo(f"\nUitvoer geschreven naar {out}")
