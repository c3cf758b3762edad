"""Genereer ``docs/gegevens.md`` uit ``data_schema/*.json`` (de enige bron van waarheid).

Gebruik::

    .venv/bin/python docs/maak_gegevens.py              # (her)schrijf docs/gegevens.md
    .venv/bin/python docs/maak_gegevens.py --controleer # exitcode 1 als docs/gegevens.md verouderd is

``tests/test_docs.py`` genereert de tekst in het geheugen en vergelijkt hem met het bestand; pas dus nooit
``docs/gegevens.md`` met de hand aan, maar het schema (of dit script) en draai het script opnieuw.
De uitvoer is deterministisch (geen datum of machinegegevens), zodat dezelfde schema's hetzelfde bestand
geven.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from evaluatie.schema import TABELLEN, instrumenten, load_schema

DOEL = Path(__file__).resolve().parent / "gegevens.md"
CATEGORIEEN: tuple[str, ...] = ("A", "B", "C")

TYPE_NL: dict[str, str] = {
    "string": "tekst",
    "integer": "geheel getal",
    "number": "getal",
    "boolean": "ja/nee",
    "date": "datum",
}


def _cel(tekst: Any) -> str:
    """Text safe for one Markdown table cell."""
    return str(tekst).replace("|", "\\|").replace("\n", " ").strip()


def _getal(x: float | int) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _beperkingen(veld) -> str:  # noqa: ANN001 - evaluatie.schema.Veld
    delen: list[str] = []
    if veld.unique:
        delen.append("uniek")
    if veld.enum is not None:
        delen.append("een van: " + ", ".join(f"`{w}`" for w in veld.enum))
    if veld.minimum is not None and veld.maximum is not None:
        delen.append(f"{_getal(veld.minimum)} t/m {_getal(veld.maximum)}")
    elif veld.minimum is not None:
        delen.append(f"≥ {_getal(veld.minimum)}")
    elif veld.maximum is not None:
        delen.append(f"≤ {_getal(veld.maximum)}")
    if veld.pattern is not None:
        delen.append(f"patroon `{veld.pattern}`")
    return "; ".join(delen) if delen else "–"


def _tabel(naam: str) -> list[str]:
    s = load_schema(naam)
    raw = s.raw
    regels = [f"## `{naam}` — {s.title}", ""]
    if raw.get("description"):
        regels += [raw["description"], ""]
    regels.append(f"- Bestand: `{naam}.csv`, `{naam}.parquet` of `{naam}.xlsx` (schema: `data_schema/{naam}.json`).")
    if s.primary_key:
        regels.append("- Sleutel (één rij per): " + ", ".join(f"`{k}`" for k in s.primary_key) + ".")
    for fk in s.foreign_keys:
        velden = fk.get("fields", [])
        velden = [velden] if isinstance(velden, str) else list(velden)
        ref = fk.get("reference", {})
        doelvelden = ref.get("fields", [])
        doelvelden = [doelvelden] if isinstance(doelvelden, str) else list(doelvelden)
        regels.append(
            "- Verwijst naar: " + ", ".join(f"`{v}`" for v in velden) + f" → tabel `{ref.get('resource', '?')}` ("
            + ", ".join(f"`{v}`" for v in doelvelden) + "); een rij zonder (geaccepteerde) tegenhanger wordt afgekeurd."
        )
    extra = raw.get("x-extraVelden")
    if extra:
        regels.append(
            f"- Extra kolommen toegestaan: naam begint met `{extra.get('prefix')}`, type "
            f"`{extra.get('type', 'string')}` ({TYPE_NL.get(extra.get('type', 'string'), '')})."
        )
    mv = raw.get("missingValues", [""])
    regels.append("- Leeg (ontbrekend) is: " + ", ".join("lege cel" if m == "" else f"`{m}`" for m in mv) + ".")
    regels += ["", "| veld | type | verplicht | beperkingen | omschrijving |", "|---|---|---|---|---|"]
    for v in s.fields:
        regels.append(
            f"| `{v.name}` | `{v.type}` ({TYPE_NL.get(v.type, v.type)}) | {'ja' if v.required else 'nee'} | "
            f"{_cel(_beperkingen(v))} | {_cel(v.description)} |"
        )
    regels.append("")
    return regels


def _instrumenten() -> list[str]:
    ins = instrumenten()
    regels = [
        "## Instrumenten per categorie",
        "",
        "Uit `data_schema/instrumenten.json` (re-integratieverordening; Werkplein Hart van West-Brabant, tabel 4). "
        "`x` = het instrument is beschikbaar voor die categorie; *alle* = de verordening noemt het instrument "
        "zonder beperking per categorie (niet in tabel 4). De code is de waarde in `trajecten.instrument` "
        "en het voorvoegsel van de kolommen `<code>_in` / `<code>_na` in de voorbereide gegevens.",
        "",
        "| code | instrument | soort | " + " | ".join(CATEGORIEEN) + " |",
        "|---|---|---|" + "---|" * len(CATEGORIEEN),
    ]
    for i in ins.values():
        if i.categorieen is None:
            cellen = ["*alle*"] * len(CATEGORIEEN)
        else:
            cellen = ["x" if c in i.categorieen else "" for c in CATEGORIEEN]
        regels.append(f"| `{i.code}` | {_cel(i.naam)} | {_cel(i.soort)} | " + " | ".join(cellen) + " |")
    regels.append("")
    return regels


def maak() -> str:
    """The full text of ``docs/gegevens.md``."""
    regels = [
        "<!-- GEGENEREERD door docs/maak_gegevens.py uit data_schema/*.json; niet met de hand bewerken. -->",
        "",
        "# Gegevens: wat een gemeente aanlevert",
        "",
        "Deze pagina wordt gemaakt uit het schema in `data_schema/` (Frictionless Table Schema), dat ook de "
        "validatie stuurt. Wijzigt het schema, draai dan `.venv/bin/python docs/maak_gegevens.py`; "
        "`tests/test_docs.py` faalt zolang deze pagina niet bij het schema past.",
        "",
        "Een invoermap bevat per tabel één bestand `<tabel>.csv`, `.parquet` of `.xlsx`, plus eventueel "
        "`metadata.json` met peildatum en waarnemingsperiode. Hoe u de bestanden aanlevert (scheidingsteken, "
        "datumnotatie, ja/nee-waarden, codering) en hoe u de bevindingen van `evaluatie valideer` leest, staat "
        "in [handleiding.md](handleiding.md).",
        "",
        "Tabellen: " + ", ".join(f"[`{t}`](#{t}--{_anker(load_schema(t).title)})" for t in TABELLEN) + ".",
        "",
        "Types: `string` = tekst, `integer` = geheel getal, `number` = getal (decimaal), `boolean` = ja/nee, "
        "`date` = datum. *Verplicht* = de cel mag niet leeg zijn; een rij die een regel schendt wordt afgekeurd "
        "(met reden bewaard), niet stilzwijgend weggelaten.",
        "",
    ]
    for t in TABELLEN:
        regels += _tabel(t)
    regels += _instrumenten()
    regels += _kosten()
    return "\n".join(regels).rstrip("\n") + "\n"


def _kosten() -> list[str]:
    """The optional kosten table (doelmatigheid; not one of the validated TABELLEN, read by its own reader)."""
    import json

    from evaluatie.schema import schema_dir

    s = json.loads((schema_dir() / "kosten.json").read_text(encoding="utf-8"))
    regels = [f"## `kosten` — {s['title']} (optioneel)", "", _cel(s["description"]), "",
              "Een kostentabel met een bevinding wordt in zijn geheel geweigerd; elke bevinding noemt bestand, regel, "
              "veld, waarde en wat verwacht werd. Hoe u hem vult uit de financiële administratie: zie de handleiding "
              "(Doelmatigheid).", "",
              "| veld | type | verplicht | toegestaan | betekenis |", "|---|---|---|---|---|"]
    for f in s["fields"]:
        c = f.get("constraints", {})
        toegestaan = []
        if "enum" in c:
            toegestaan.append("een van: " + ", ".join(f"`{w}`" for w in c["enum"]))
        if "minimum" in c:
            toegestaan.append(f">= {_getal(c['minimum'])}")
        if "maximum" in c:
            toegestaan.append(f"<= {_getal(c['maximum'])}")
        if "pattern" in c:
            toegestaan.append(f"patroon `{c['pattern']}`")
        regels.append(f"| `{f['name']}` | {TYPE_NL.get(f['type'], f['type'])} | {'ja' if c.get('required') else 'nee'} | "
                      f"{_cel('; '.join(toegestaan)) or '–'} | {_cel(f.get('description', ''))} |")
    return regels + [""]


def _anker(titel: str) -> str:
    """GitHub-style anchor fragment of a heading's title part (lowercase, spaces → '-', punctuation dropped)."""
    uit = []
    for ch in titel.lower():
        if ch.isalnum() or ch in "-_":
            uit.append(ch)
        elif ch == " ":
            uit.append("-")
    return "".join(uit)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Genereer docs/gegevens.md uit data_schema/*.json.")
    p.add_argument("--controleer", action="store_true", help="Schrijf niets; exitcode 1 als het bestand verouderd is.")
    p.add_argument("--doel", type=Path, default=DOEL, help=f"Uitvoerbestand (standaard {DOEL}).")
    args = p.parse_args(argv)
    tekst = maak()
    if args.controleer:
        huidig = args.doel.read_text(encoding="utf-8") if args.doel.exists() else ""
        if huidig != tekst:
            print(f"{args.doel} is verouderd; draai: python docs/maak_gegevens.py", file=sys.stderr)
            return 1
        print(f"{args.doel} is actueel")
        return 0
    args.doel.write_text(tekst, encoding="utf-8", newline="\n")
    print(f"Geschreven: {args.doel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
