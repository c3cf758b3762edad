"""`evaluatie importeer …`: zet gemeentelijke extracten en publieke cijfers om naar de schematabellen.

Subcommando's: ``vng-dsh`` (het Suite4-extract van VNG/DSH), ``generiek`` (elk extract via een TOML-mapping),
``sjabloon`` (schrijf een mapping om in te vullen), ``statline`` (CBS StatLine → gemeenten), ``szw``
(SZW-verdeling BUIG → gemeenten).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import click

from evaluatie.commands import opties


def weiger_overlap(out: Path, bronnen: Iterable[Path]) -> None:
    """Refuse an output folder that is, lies inside, or contains a source (the writer's one rule, exit 1)."""
    from evaluatie.uitvoer import weiger_overlap as _weiger

    _weiger(out, [Path(b) for b in bronnen])


class _Groep(click.Group):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, self.commands[n].get_short_help_str(60)) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commando's"):
                formatter.write_dl(rows)


@click.group("importeer", cls=_Groep)
def importeer() -> None:
    """Zet extracten en publieke cijfers om naar de schematabellen.

    Exitcode 0: klaar; 1: rijen afgekeurd of bron onbruikbaar; 2: verkeerd gebruik (zie elk subcommando).

    \b
    evaluatie importeer vng-dsh BRON --gemeentecode GM0777 --out DIR
    evaluatie importeer generiek MAPPING.toml --out DIR
    evaluatie importeer sjabloon --out mapping.toml
    evaluatie importeer statline BESTAND... --out DIR
    evaluatie importeer statline --szw 2019=VERDELING.xlsx --out DIR   (SZW-verdeling, ook samen met StatLine)
    """


command = importeer


@importeer.command("vng-dsh")
@click.argument("bron", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Uitvoermap: schematabellen (CSV), metadata.json en import/ (rapport, herkomst, niet-gemapte waarden).")
@click.option("--gemeentecode", required=True, metavar="GMxxxx", callback=opties.gemeentecode,
              help="CBS-gemeentecode (GM + 4 cijfers); het extract bevat geen gemeente.")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD", callback=opties.peildatum,
              help="Peildatum van het extract; standaard de laatste datum erin.")
@click.option("--max-gat-dagen", type=click.IntRange(min=0), default=0, show_default=True,
              help="Perioden van één cliënt met hooguit zoveel dagen zonder uitkering ertussen worden één uitkering.")
@click.option("--niet-samenvoegen", is_flag=True, help="Elke rij is een uitkering (zoals Bijstand.R).")
@click.option("--onbekend-als-overig", is_flag=True,
              help="Reden einde die niet in de mapping staat wordt 'overig' (standaard: uitkering afgekeurd).")
@click.option("--reden-mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Eigen mappingbestand reden einde (bron,doel,toelichting).")
@click.option("--geheim", envvar="EVALUATIE_PSEUDONIEM_GEHEIM", default=None,
              help="Geheim voor sleutel-hash-pseudoniemen (of $EVALUATIE_PSEUDONIEM_GEHEIM); standaard volgnummers.")
def vng_dsh(bron: Path, out: Path, gemeentecode: str, peildatum: str | None, max_gat_dagen: int,
            niet_samenvoegen: bool, onbekend_als_overig: bool, reden_mapping: Path | None, geheim: str | None) -> None:
    """Zet een VNG/DSH-extract BRON (Suite4SociaalDomein; .csv/.rds/.xlsx) om naar de schematabellen.

    Schrijft naar OUT clienten.csv, uitkeringen.csv en metadata.json (direct invoer voor 'evaluatie
    cohort' en 'evaluatie overleving'), en in OUT/import/ het rapport, herkomst.csv (welke bronrij in welke
    uitkering), bevindingen.csv (elke afkeuring met de rij in BRON), niet_gemapt.csv, reconciliatie.csv en
    validatie/.

    Exitcode 0: klaar; 1: rijen afgekeurd (uitvoer is wel geschreven) of het extract is onbruikbaar;
    2: verkeerd gebruik (onbekend formaat, BRON bestaat niet, ongeldige optie).
    """
    from evaluatie.importeer import Mappingfout, importeer
    from evaluatie.lezen import Invoerfout

    formaat = "vng-dsh"
    weiger_overlap(out, [bron])
    instellingen = dict(gemeentecode=gemeentecode, peildatum=peildatum,
                        max_gat_dagen=None if niet_samenvoegen else max_gat_dagen,
                        onbekend_als_overig=onbekend_als_overig, geheim=geheim)
    if reden_mapping is not None:
        instellingen["reden_einde"] = reden_mapping
    try:
        res = importeer(formaat, bron, **instellingen)
    except (Invoerfout, Mappingfout) as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    res.schrijf(out)
    _schrijf_manifest(out, bron, reden_mapping, formaat=formaat, gemeentecode=gemeentecode, peildatum=peildatum,
                      max_gat_dagen=None if niet_samenvoegen else max_gat_dagen,
                      onbekend_als_overig=onbekend_als_overig, geheim=geheim is not None)
    click.echo(res.summary())
    click.echo(f"Geschreven naar {out}")
    if res.heeft_afkeuringen:
        click.echo("Er zijn rijen afgekeurd: zie import/validatie en import/niet_gemapt.csv.", err=True)
        raise SystemExit(1)


def _schrijf_manifest(out: Path, bron: Path, reden_mapping: Path | None, **config) -> None:
    """OUT/import/manifest.json: the extract's and the mapping files' hashes and the options (never the secret)."""
    from importlib import resources

    from evaluatie.manifest import build_manifest, sha256_file, write_manifest

    invoer = {bron.name: sha256_file(bron)}
    if reden_mapping is not None:
        invoer[f"mapping/{reden_mapping.name}"] = sha256_file(reden_mapping)
    for naam in ("vng_dsh_kolommen.csv", "vng_dsh_geslacht.csv", "vng_dsh_oorzaak.csv", "vng_dsh_reden_einde.csv"):
        if reden_mapping is not None and naam == "vng_dsh_reden_einde.csv":
            continue
        with resources.as_file(resources.files("evaluatie.data").joinpath(naam)) as p:
            invoer[f"mapping/{naam}"] = sha256_file(p)
    write_manifest(out / "import" / "manifest.json",
                   build_manifest(inputs=invoer, config=config, seed=None, extra={"commando": "importeer"}))


def _bestand_optie(waarden: tuple[str, ...]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for w in waarden:
        naam, is_, pad = w.partition("=")
        if not is_ or not naam or not pad:
            raise click.BadParameter(f"{w!r}: verwacht BRON=PAD, bijv. klanten=export/klanten.csv", param_hint="--bestand")
        out[naam.strip()] = Path(pad)
    return out


@importeer.command("generiek")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Uitvoermap: schematabellen (CSV), metadata.json en import/ (rapport, herkomst, niet-gemapte waarden).")
@click.option("--bestand", "bestand", multiple=True, metavar="BRON=PAD",
              help="Gebruik dit bestand voor [bronnen.BRON] in plaats van het bestand in de mapping (herhaalbaar).")
@click.option("--peildatum", default=None, metavar="JJJJ-MM-DD", callback=opties.peildatum,
              help="Peildatum van het extract; standaard [mapping] peildatum of de laatste datum in uitkeringen.")
@click.option("--geheim", envvar="EVALUATIE_PSEUDONIEM_GEHEIM", default=None,
              help="Geheim voor sleutel-hash-pseudoniemen (of $EVALUATIE_PSEUDONIEM_GEHEIM; nooit opgeslagen); standaard volgnummers.")
def generiek(mapping: Path, out: Path, bestand: tuple[str, ...], peildatum: str | None, geheim: str | None) -> None:
    """Zet de exports die MAPPING (TOML) beschrijft om naar de schematabellen.

    Elke bronrij wordt verantwoord: overgenomen, samengevoegd, weggelaten volgens de mapping
    (import/weggelaten.csv) of afgekeurd met reden en bronrij (import/bevindingen.csv). Waarden die niet
    in een waardenlijst staan worden nooit geraden: import/niet_gemapt.csv. Een sjabloon:
    'evaluatie importeer sjabloon --out mapping.toml'.

    Exitcode 0: klaar; 1: rijen afgekeurd (uitvoer is wel geschreven), of mapping/bron onbruikbaar;
    2: verkeerd gebruik.
    """
    from evaluatie.importeer import Mappingfout, importeer as _importeer
    from evaluatie.importeer.mappingspec import lees_mappingspec
    from evaluatie.lezen import Invoerfout

    bestanden = _bestand_optie(bestand)
    try:
        spec = lees_mappingspec(mapping, bestanden=bestanden)
        weiger_overlap(out, [mapping, *spec.bestanden()])
        res = _importeer("generiek", mapping, bestanden=bestanden, peildatum=peildatum, geheim=geheim)
    except (Invoerfout, Mappingfout, ValueError) as e:
        raise click.ClickException(str(e)) from None
    res.schrijf(out)
    from evaluatie.manifest import build_manifest, sha256_file, write_manifest

    invoer = {p.name if p.parent == mapping.parent else str(p): sha256_file(p) for p in spec.bestanden()}
    write_manifest(out / "import" / "manifest.json",
                   build_manifest(inputs=invoer, config={"formaat": "generiek", "mapping": mapping.name, "peildatum": peildatum,
                                                         "geheim": geheim is not None}, seed=None, extra={"commando": "importeer generiek"}))
    click.echo(res.summary())
    click.echo(f"Geschreven naar {out}")
    if res.heeft_afkeuringen:
        click.echo("Er zijn rijen afgekeurd: zie import/bevindingen.csv en import/niet_gemapt.csv.", err=True)
        raise SystemExit(1)


@importeer.command("sjabloon")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Het te schrijven mappingbestand (TOML); bestaat het al, dan wordt het niet overschreven.")
def sjabloon(out: Path) -> None:
    """Schrijf een toegelicht mappingsjabloon (TOML) om in te vullen voor 'evaluatie importeer generiek'.

    Exitcode 0: geschreven; 1: schrijven mislukt; 2: verkeerd gebruik (OUT bestaat al).
    """
    from evaluatie.importeer.sjabloon import sjabloon_tekst

    if out.exists():
        raise click.UsageError(f"--out {out}: bestaat al; kies een nieuwe naam (een ingevulde mapping wordt nooit overschreven)")
    out.write_text(sjabloon_tekst(), encoding="utf-8")
    click.echo(f"Sjabloon geschreven naar {out}: vul de bestandsnamen en kolomnamen in en draai "
               f"'evaluatie importeer generiek {out} --out DIR'.")


@importeer.command("statline")
@click.argument("bestanden", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Uitvoermap: gemeenten.csv (met bron en status), gemeenten_herkomst.csv (elk cijfer met tabel, periode, status) en import/.")
@click.option("--szw", "szw", multiple=True, metavar="JAAR=BESTAND",
              help="SZW-verdeling BUIG (genormeerd aantal, budget) van een jaar, bijv. --szw 2019=verdeling_2019.xlsx (herhaalbaar).")
@click.option("--szw-voorlopig", is_flag=True, help="De SZW-bestanden zijn de voorlopige verdeling (standaard: definitief).")
@click.option("--perioden", "perioden", multiple=True, metavar="TABEL=BESTAND",
              help="Perioden-dimensie (OData JSON) met de status per periode, bijv. --perioden 84066NED=Perioden.json (herhaalbaar).")
@click.option("--tabellen", "tabellen", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Eigen tabellenmapping (TOML) in plaats van evaluatie/data/statline_tabellen.toml.")
@click.option("--tabel", "tabel", default=None, metavar="ID",
              help="Verwachte StatLine-tabel (bijv. 84066NED) als de bestandsnaam of het bestand die niet noemt; wordt gecontroleerd.")
@click.option("--haal-op", "haal_op", multiple=True, metavar="ID",
              help="Haal de tabel op via het pakket cbsodata (alleen met internet en cbsodata geïnstalleerd; herhaalbaar).")
def statline(bestanden: tuple[Path, ...], out: Path, szw: tuple[str, ...], szw_voorlopig: bool, perioden: tuple[str, ...],
             tabellen: Path | None, tabel: str | None, haal_op: tuple[str, ...]) -> None:
    """Zet CBS StatLine-bestanden (OData JSON of CSV-download) en de SZW-verdeling om naar gemeenten.csv.

    Welke maat van welke tabel in welk veld komt staat in evaluatie/data/statline_tabellen.toml (tabel-id's
    wisselen over de jaren: voeg een nieuwe tabel daar toe). Elk cijfer houdt zijn bron, periode en status
    (definitief/voorlopig); een voorlopig cijfer wordt in het rapport gemarkeerd. Een gemeente × jaar zonder
    alle verplichte velden komt niet in gemeenten.csv maar in import/onvolledig.csv.

    Exitcode 0: klaar; 1: een bestand is onbruikbaar (verkeerde tabel, onbekende periode of gemeentecode,
    tegenstrijdige bronnen); 2: verkeerd gebruik.
    """
    from evaluatie.importeer.statline import combineer, haal_op as _haal_op, lees_statline, lees_szw, lees_tabellen
    from evaluatie.lezen import Invoerfout

    def paren(waarden: tuple[str, ...], optie: str) -> dict[str, Path]:
        uit = {}
        for w in waarden:
            k, is_, v = w.partition("=")
            if not is_ or not k or not v:
                raise click.BadParameter(f"{w!r}: verwacht SLEUTEL=BESTAND", param_hint=optie)
            if not Path(v).is_file():
                raise click.BadParameter(f"{v!r} bestaat niet", param_hint=optie)
            uit[k.strip()] = Path(v)
        return uit

    szw_bestanden = paren(szw, "--szw")
    per = {k.upper(): v for k, v in paren(perioden, "--perioden").items()}
    for j in szw_bestanden:
        if not j.isdigit() or not 2000 <= int(j) <= 2100:
            raise click.BadParameter(f"jaar {j!r}: verwacht een jaartal (2000–2100)", param_hint="--szw")
    if not bestanden and not szw_bestanden and not haal_op:
        raise click.UsageError("geen bestanden: geef StatLine-bestanden, --szw JAAR=BESTAND of --haal-op ID")
    weiger_overlap(out, [*bestanden, *szw_bestanden.values(), *per.values()])
    try:
        lijst = list(bestanden) + [_haal_op(t, out / "import" / "statline") for t in haal_op]
        tab = lees_tabellen(tabellen)
        delen = []
        for b in lijst:
            import re as _re

            m = _re.match(r"^(\d{5}[A-Za-z]{3})", b.name)
            delen.append(lees_statline(b, tabel=tabel, tabellen=tab, perioden=per.get(m.group(1).upper()) if m else None))
        for j, b in szw_bestanden.items():
            delen.append(lees_szw(b, jaar=int(j), status="voorlopig" if szw_voorlopig else "definitief"))
        res = combineer(delen)
    except Invoerfout as e:
        raise click.ClickException(str(e)) from None
    (out / "import").mkdir(parents=True, exist_ok=True)
    res.gemeenten.to_csv(out / "gemeenten.csv", index=False, float_format="%.10g", lineterminator="\n")
    res.herkomst.to_csv(out / "gemeenten_herkomst.csv", index=False, float_format="%.10g", lineterminator="\n")
    res.onvolledig.to_csv(out / "import" / "onvolledig.csv", index=False, lineterminator="\n")
    (out / "import" / "rapport.txt").write_text(res.summary() + "\n", encoding="utf-8")
    from evaluatie.manifest import build_manifest, sha256_file, write_manifest

    invoer = {p.name: sha256_file(p) for p in [*lijst, *szw_bestanden.values(), *per.values()]}
    write_manifest(out / "import" / "manifest.json",
                   build_manifest(inputs=invoer, config={"formaat": "statline", "szw_voorlopig": szw_voorlopig,
                                                         "tabellen": str(tabellen.name) if tabellen else "statline_tabellen.toml"},
                                  seed=None, extra={"commando": "importeer statline"}))
    click.echo(res.summary())
    click.echo(f"Geschreven naar {out}")
