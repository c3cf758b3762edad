"""`evaluatie benchmark`: genormeerde benchmark tegen vergelijkbare gemeenten."""
from __future__ import annotations

from pathlib import Path

import click

METHODE_KEUZES = ("buig", "structureel", "synthetisch", "alle")
MAX_BEVINDINGEN = 8


def _bevindingen_tekst(val, tabel: str) -> str:
    bev = val.bevindingen
    if bev is None or len(bev) == 0:
        return ""
    if "bestand" in bev.columns:
        bev = bev[bev["bestand"].astype(str).str.contains(tabel, regex=False)] if tabel else bev
    regels = []
    for _, b in bev.head(MAX_BEVINDINGEN).iterrows():
        regels.append(f"  {b.get('bestand', '')}, rij {b.get('rij', '')}, veld {b.get('veld', '')}, "
                      f"waarde {b.get('waarde', '')!r}: {b.get('melding', '')}")
    if len(bev) > MAX_BEVINDINGEN:
        regels.append(f"  … en nog {len(bev) - MAX_BEVINDINGEN} bevinding(en)")
    return "\n".join(regels)


def _fout_met_rijen(e, gem, bronrijen, bestand: str) -> str:
    """The benchmark's message, prefixed with the file and followed by the file rows it is about."""
    tekst = f"{bestand}: {e}"
    if not e.plaatsen or bronrijen is None or len(bronrijen) != len(gem):
        return tekst
    rij_van: dict[tuple[str, int], list[int]] = {}
    for k, r in zip(zip(gem["gemeentecode"].astype(str), gem["jaar"].astype(int)), bronrijen):
        rij_van.setdefault(k, []).append(int(r))
    veld = f", veld {e.veld}" if e.veld else ""
    regels = [f"  {bestand}, rij {', '.join(map(str, rij_van.get(p, [])))}{veld}: {p[0]}, {p[1]}"
              for p in sorted(set(e.plaatsen), key=lambda p: min(rij_van.get(p, [0])))]
    extra = len(regels) - MAX_BEVINDINGEN
    regels = regels[:MAX_BEVINDINGEN] + ([f"  … en nog {extra}"] if extra > 0 else [])
    return tekst + "\n" + "\n".join(regels)


def _schrijf_tabel(df, out: Path, naam: str) -> list[str]:
    df = df.reset_index(drop=True)
    df.to_csv(out / f"{naam}.csv", index=False, float_format="%.10g")
    df.to_parquet(out / f"{naam}.parquet", index=False)
    return [f"{naam}.csv", f"{naam}.parquet"]


@click.command("benchmark")
@click.argument("map_", metavar="MAP", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gemeente", required=True, metavar="GMxxxx", help="CBS-code van de gemeente (bijv. GM0777 Etten-Leur).")
@click.option("--methode", type=click.Choice(METHODE_KEUZES), default="alle", show_default=True,
              help="Vergelijkingsgroep: buig (zoals het rapport), structureel, synthetisch of alle naast elkaar.")
@click.option("--k", type=click.IntRange(min=1), default=20, show_default=True,
              help="Aantal gemeenten in de groep (buig, structureel).")
@click.option("--referentiejaar", type=int, default=None,
              help="Jaar van BUIG-budget en kenmerken voor de groep (standaard het laatste jaar; rapport: 2019).")
@click.option("--basisjaar", type=int, default=2017, show_default=True, help="Basisjaar van de index (= 100).")
@click.option("--snijjaar", type=int, default=None,
              help="Synthetische groep: eerste jaar na de voorperiode (standaard het laatste jaar).")
@click.option("--kenmerk", "kenmerken", multiple=True, metavar="NAAM",
              help="Kenmerk voor de structurele groep (herhaalbaar); standaard norm per 1000 inwoners, "
                   "log inwoners en alle kolommen kenmerk_*.")
@click.option("--overdispersie", type=click.Choice(["geen", "multiplicatief", "additief"]), default="additief",
              show_default=True, help="Overdispersie in het trechterdiagram (Spiegelhalter 2005).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Uitvoermap.")
def command(map_: Path, gemeente: str, methode: str, k: int, referentiejaar: int | None, basisjaar: int,
            snijjaar: int | None, kenmerken: tuple[str, ...], overdispersie: str, out: Path) -> None:
    """Vergelijk GEMEENTE met vergelijkbare gemeenten, met de tabel gemeenten (en poort) in MAP.

    Uitkeringen, in- en uitstroom als % van het genormeerde aantal uitkeringen (BUIG-verdeelmodel),
    vergeleken met drie vergelijkingsgroepen, Nederland en een trechterdiagram van alle gemeenten.
    Schrijft tabellen (CSV en Parquet), figuren (PNG) en manifest.json naar OUT.

    Exitcode 0: klaar; 1: fout in de gegevens (geen of afgekeurde rijen in gemeenten, een gemeente mist
    een jaar, genormeerd aantal 0, onbekende gemeente, jaar of kenmerk); 2: verkeerd gebruik.
    """
    from evaluatie.benchmark import BenchmarkFout, benchmark
    from evaluatie.benchmark.analyse import spec_dict
    from evaluatie.benchmark.figuren import alle_figuren, bewaar
    from evaluatie.benchmark.indicatoren import lang
    from evaluatie.manifest import build_manifest, input_hashes, write_manifest

    try:
        from evaluatie.validatie import valideer_map
    except ImportError:  # pragma: no cover - only while the validation module is being built
        raise click.ClickException("de validatiemodule (evaluatie.validatie) is niet beschikbaar") from None
    try:
        from evaluatie.lezen import Invoerfout
    except ImportError:  # pragma: no cover
        Invoerfout = ValueError  # type: ignore[misc,assignment]

    bestanden = {t: sorted(p for p in map_.iterdir() if p.stem == t and p.suffix in (".csv", ".parquet", ".xlsx"))
                 for t in ("gemeenten", "poort")}
    if not bestanden["gemeenten"]:
        raise click.ClickException(f"{map_} bevat geen tabel gemeenten (gemeenten.csv, .parquet of .xlsx)")
    tabellen = [t for t in ("gemeenten", "poort") if bestanden[t]]
    try:
        val = valideer_map(map_, tabellen=tabellen)
    except Invoerfout as e:
        raise click.ClickException(str(e)) from None
    gem = val.geaccepteerd.get("gemeenten")
    if val.afgekeurd.get("gemeenten") is not None and len(val.afgekeurd["gemeenten"]):
        n_af = len(val.afgekeurd["gemeenten"])
        raise click.ClickException(
            f"{n_af} rij(en) van {bestanden['gemeenten'][0].name} afgekeurd; de benchmark vraagt elke gemeente "
            f"in elk jaar, dus eerst herstellen:\n{_bevindingen_tekst(val, 'gemeenten')}"
        )
    if gem is None or gem.empty:
        raise click.ClickException(f"geen geaccepteerde rijen in {bestanden['gemeenten'][0].name}")
    poort = val.geaccepteerd.get("poort")
    meldingen = []
    if val.afgekeurd.get("poort") is not None and len(val.afgekeurd["poort"]):
        meldingen.append(f"Let op: {len(val.afgekeurd['poort'])} rij(en) van poort afgekeurd bij validatie en niet gebruikt.")

    methoden = ("buig", "structureel", "synthetisch") if methode == "alle" else (methode,)
    code = gemeente.strip()
    code = code.upper() if code[:2].lower() == "gm" else code
    try:
        r = benchmark(gem, poort, gemeente=code, methoden=methoden, k=k,
                      referentiejaar=referentiejaar, basisjaar=basisjaar, snijjaar=snijjaar,
                      kenmerken=list(kenmerken) or None, overdispersie=overdispersie)
    except BenchmarkFout as e:
        raise click.ClickException(_fout_met_rijen(e, gem, val.bronrijen.get("gemeenten"),
                                                   bestanden["gemeenten"][0].name)) from None

    out.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    geschreven: list[str] = []
    geschreven += _schrijf_tabel(lang(r.indicatoren), out, "indicatoren")
    nl = r.landelijk.melt(id_vars="jaar", var_name="grootheid", value_name="waarde")
    geschreven += _schrijf_tabel(nl, out, "landelijk")
    geschreven += _schrijf_tabel(pd.concat([g.to_frame() for g in r.groepen], ignore_index=True), out,
                                 "vergelijkingsgroepen")
    synth = [g for g in r.groepen if g.pad is not None]
    if synth:
        geschreven += _schrijf_tabel(synth[0].pad.assign(rmspe_voor=synth[0].rmspe_voor, rmspe_na=synth[0].rmspe_na),
                                     out, "synthetisch_pad")
    geschreven += _schrijf_tabel(r.gevoeligheid, out, "gevoeligheid")
    geschreven += _schrijf_tabel(r.index, out, "index")
    if not r.trechters.empty:
        geschreven += _schrijf_tabel(r.trechters, out, "trechter")
        geschreven += _schrijf_tabel(r.trechter_parameters, out, "trechter_parameters")
    if r.preventie is not None:
        geschreven += _schrijf_tabel(r.preventie, out, "preventiequotum")
    if r.maand.beschikbaar:
        geschreven += _schrijf_tabel(r.maand.tabel, out, "maandreeksen")
    for naam, fig in alle_figuren(r).items():
        bewaar(fig, out / f"{naam}.png")
        geschreven.append(f"{naam}.png")
    tekst = "\n".join([*meldingen, r.summary()]) + "\n"
    (out / "samenvatting.txt").write_text(tekst, encoding="utf-8")
    geschreven.append("samenvatting.txt")

    invoer = [p for t in tabellen for p in bestanden[t]] + [p for p in [map_ / "metadata.json"] if p.exists()]
    config = {"commando": "benchmark", **spec_dict(r.spec)}
    write_manifest(out / "manifest.json", build_manifest(inputs=input_hashes(invoer, root=map_), config=config,
                                                         seed=None, extra={"uitvoer": sorted(geschreven)}))
    click.echo(tekst.rstrip("\n"))
    click.echo(f"\nUitvoer geschreven naar {out}")
