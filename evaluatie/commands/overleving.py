"""``evaluatie overleving DIR --out OUT``: Kaplan-Meier en cumulatieve incidentie van uitstroom naar werk
per categorie, op de (start, stop]-rijen van :func:`evaluatie.prepare.telproces`. Dun: leest via de
validatie, rekent via :mod:`evaluatie.survival`, schrijft tabellen (na onthullingscontrole) en figuren.
"""
from __future__ import annotations

from pathlib import Path

import click

from evaluatie.commands.opties import geen_rijen


@click.command("overleving")
@click.argument("map", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Map voor km.csv, cif_werk.csv en de figuren (SVG).")
@click.option("--groep", default="categorie", show_default=True, help="Kolom waarnaar curves worden gesplitst.")
@click.option("--cox", "formule", default=None, metavar="FORMULE",
              help="Ook een oorzaakspecifiek Cox-model, bijv. 'werk ~ jobcoaching_in + jobcoaching_na + leeftijd "
                   "+ C(opleidingsniveau)' (links: werk of een andere uitstroomreden; rechts: kolommen van de "
                   "telprocesrijen). Efron-ties, SE geclusterd op client_id.")
@click.option("--strata", multiple=True, default=(), help="Strata van het Cox-model (herhaalbaar), bijv. categorie.")
def command(map: Path, out: Path, groep: str, formule: str | None, strata: tuple[str, ...]) -> None:
    """Kaplan-Meier (nog in de uitkering) en cumulatieve incidentie van uitstroom naar werk per groep.

    Leest en valideert de tabellen in MAP (nodig: uitkeringen; gebruikt ook clienten, categorieen,
    trajecten en de waarnemingsperiode uit metadata.json). Tijd in dagen sinds de start van de uitkering;
    uitkeringen die vóór de waarnemingsperiode begonnen tellen vanaf het begin ervan (vertraagde instap).
    Schrijft naar OUT: km.csv, cif_werk.csv (afgekapt waar minder dan 10 personen risico lopen), km.svg,
    cif_werk.svg en manifest.json; met --cox ook cox.csv (hazardratio's met BI) en cox_ph.csv (toets op
    proportionele hazards, geschaalde Schoenfeld-residuen, als R cox.zph). Afgekeurde rijen tellen niet
    mee (het aantal wordt gemeld).

    Exitcode 0: klaar, niets afgekeurd; 1: klaar maar rijen afgekeurd, of fout in de gegevens (onleesbaar
    bestand, geen uitkeringen, onbekende --groep, onbruikbare --cox-formule); 2: verkeerd gebruik (MAP
    bestaat niet).
    """
    from evaluatie.disclosure import knip_curve
    from evaluatie.manifest import build_manifest, write_manifest
    from evaluatie.prepare import telproces
    from evaluatie.prepare.codes import WERK
    from evaluatie.survival import OverlevingsFout, cox, cumulative_incidence, kaplan_meier
    from evaluatie.survival.figuren import bewaar, cif_figuur, km_figuur
    from evaluatie.validatie import valideer_map

    if not map.is_dir():
        raise click.BadParameter(f"map {str(map)!r} bestaat niet", param_hint="MAP")
    try:
        val = valideer_map(map)
        u = val.geaccepteerd.get("uitkeringen")
        if u is None or len(u) == 0:
            raise OverlevingsFout(geen_rijen(map, val, "uitkeringen"))
        rijen = telproces(val.geaccepteerd, waarnemingsperiode=val.waarnemingsperiode)
        if groep not in rijen.columns:
            raise OverlevingsFout(f"groep '{groep}' is geen kolom van de telprocesrijen")
        rijen = rijen.assign(**{groep: rijen[groep].astype("string").fillna("onbekend")})
        rijen["uitstroom"] = (rijen["status"] > 0).astype(int)
        km = kaplan_meier(rijen, start="start", stop="stop", event="uitstroom", group=groep)
        cif = cumulative_incidence(rijen, start="start", stop="stop", event="status", cause=WERK, group=groep)
        fit = ph = None
        if formule:
            fit = cox(formule, rijen, start="start", stop="stop", strata=list(strata) or None, cluster="client_id")
            ph = fit.ph_test()
    except (OverlevingsFout, ValueError, KeyError) as e:
        raise click.ClickException(str(e)) from None
    out.mkdir(parents=True, exist_ok=True)
    knip_curve(km.to_frame(), groep=["group"]).to_csv(out / "km.csv", index=False)
    knip_curve(cif.to_frame(), groep=["group"]).to_csv(out / "cif_werk.csv", index=False)
    bewaar(km_figuur(km), out / "km.svg")
    bewaar(cif_figuur(cif), out / "cif_werk.svg")
    if fit is not None:
        fit.to_frame().to_csv(out / "cox.csv", index=False)
        ph.to_frame().to_csv(out / "cox_ph.csv", index=False)
    wp = val.waarnemingsperiode
    write_manifest(out / "manifest.json", build_manifest(
        inputs=dict(sorted(val.invoer.items())),
        config={"groep": groep, "cox": formule, "strata": list(strata),
                "waarnemingsperiode": None if wp is None else [str(x)[:10] for x in wp]},
        seed=None, extra={"commando": "overleving"}))
    click.echo(f"Tijd (t) in dagen sinds de start van de uitkering; n telt (start, stop]-rijen van "
               f"{rijen['spell_id'].nunique()} uitkeringen.")
    click.echo(km.summary())
    click.echo(cif.summary())
    if fit is not None:
        click.echo(fit.summary())
        click.echo(ph.summary())
    geschreven = "km.csv, cif_werk.csv, km.svg, cif_werk.svg" + (", cox.csv, cox_ph.csv" if fit is not None else "")
    click.echo(f"Geschreven naar {out}: {geschreven}, manifest.json")
    if val.heeft_afkeuringen:
        n_af = sum(len(v) for v in val.afgekeurd.values())
        click.echo(f"Let op: {n_af} rij(en) afgekeurd bij de validatie en niet meegenomen (zie 'evaluatie valideer').")
        raise SystemExit(1)
