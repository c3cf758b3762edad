"""A declarative import mapping (TOML): which source file feeds which schema table, which column is which
field, the date format and the value maps. Read with :func:`lees_mappingspec`; applied by
:mod:`evaluatie.importeer.generiek`.

Layout (see ``evaluatie importeer sjabloon`` for a commented template)::

    [mapping]
    naam = "Gemeente X, export 2020"
    datumformaat = "%d-%m-%Y"          # default for every date field (strptime codes; "iso" = jjjj-mm-dd)
    peildatum = "2019-12-31"           # optional

    [bronnen.klanten]                  # one source file (CSV ,/;/tab, .xlsx or .parquet), relative to the mapping
    bestand = "klanten.csv"
    [[bronnen.trajecten.koppel]]       # optional: left join of another file, many-to-one
    bestand = "voorzieningen.csv"
    op = "Voorzieningcode"             # same name on both sides, or {links = "a", rechts = "b"}

    [tabellen.clienten]                # a schema table
    bron = "klanten"
    [tabellen.clienten.velden]
    client_id = "Klantnummer"                                  # a column, as is
    geslacht = { kolom = "Geslacht", waarden = { M = "man", V = "vrouw" } }
    gemeentecode = { waarde = "GM0777" }                       # a constant
    geboortejaar = { kolom = "Geboortedatum", datumformaat = "%d-%m-%Y", deel = "jaar" }

A field table may hold: ``kolom`` or ``waarde`` (exactly one), ``waarden`` (inline table, or the name of a
``bron,doel,toelichting`` CSV next to the mapping), ``onbekend`` (what to do with a value not in
``waarden``: ``"afkeuren"`` (default: passed on, so validation rejects the row and names its source row)
or a schema value such as ``"overig"``), ``weglaten`` (source values whose rows are not imported, each
listed in ``import/weggelaten.csv``), ``datumformaat`` and ``deel = "jaar"`` (year of a date).
``[tabellen.uitkeringen]`` may set ``max_gat_dagen`` (merge periods of one client into spells; omitted =
no merging).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluatie.importeer.mapping import Mappingfout

TABELLEN: tuple[str, ...] = ("clienten", "uitkeringen", "categorieen", "trajecten")
"""Schema tables a mapping can fill (``poort`` and ``gemeenten`` come from other importers)."""
VELD_SLEUTELS: frozenset[str] = frozenset({"kolom", "waarde", "waarden", "onbekend", "weglaten", "datumformaat", "deel"})
TABEL_SLEUTELS: frozenset[str] = frozenset({"bron", "velden", "max_gat_dagen"})
BRON_SLEUTELS: frozenset[str] = frozenset({"bestand", "blad", "koppel"})
KOP_SLEUTELS: frozenset[str] = frozenset({"naam", "datumformaat", "peildatum", "ontbrekend", "waarnemingsperiode", "toelichting",
                                        "pseudoniem_breedte"})


@dataclass(frozen=True)
class Veldspec:
    """How one schema field is filled.

    Attributes
    ----------
    veld : str
        Schema field name.
    kolom : str or None
        Source column (None when ``waarde`` is a constant).
    waarde : str or None
        Constant value.
    waarden : dict or None
        Value map (source value → schema value), matched case- and space-insensitively.
    waarden_bron : str
        Where the value map came from (``"inline"`` or the CSV's name), for messages.
    onbekend : str
        ``"afkeuren"`` or the schema value given to unmapped values.
    weglaten : tuple of str
        Source values whose rows are left out (reported).
    datumformaat : str or None
        strptime format; ``"iso"`` = ``%Y-%m-%d``.
    deel : str or None
        ``"jaar"``: the year of a date.
    """

    veld: str
    kolom: str | None = None
    waarde: str | None = None
    waarden: dict[str, str] | None = None
    waarden_bron: str = "inline"
    onbekend: str = "afkeuren"
    weglaten: tuple[str, ...] = ()
    datumformaat: str | None = None
    deel: str | None = None


@dataclass(frozen=True)
class Koppeling:
    """A left join (many-to-one) of another file onto a source."""

    bestand: Path
    links: str
    rechts: str


@dataclass(frozen=True)
class Bronspec:
    """One source file (with optional joins)."""

    naam: str
    bestand: Path
    blad: str | None = None
    koppel: tuple[Koppeling, ...] = ()


@dataclass(frozen=True)
class Tabelspec:
    """How one schema table is filled."""

    tabel: str
    bron: str
    velden: tuple[Veldspec, ...]
    max_gat_dagen: int | None = None


@dataclass(frozen=True)
class Mappingspec:
    """A parsed mapping file.

    Attributes
    ----------
    pad : Path
        The mapping file.
    naam : str
    datumformaat : str
        Default date format.
    peildatum : str or None
    bronnen : dict[str, Bronspec]
    tabellen : dict[str, Tabelspec]
    """

    pad: Path
    naam: str
    datumformaat: str
    peildatum: str | None
    bronnen: dict[str, Bronspec]
    tabellen: dict[str, Tabelspec]
    opties: dict[str, Any] = field(default_factory=dict)

    def bestanden(self) -> list[Path]:
        """Every file the mapping reads (sources, joined files, value-map CSVs), for the manifest."""
        out = [self.pad]
        for b in self.bronnen.values():
            out.append(b.bestand)
            out.extend(k.bestand for k in b.koppel)
        for t in self.tabellen.values():
            for v in t.velden:
                if v.waarden_bron != "inline":
                    out.append(self.pad.parent / v.waarden_bron)
        return list(dict.fromkeys(out))


def _fout(pad: Path, waar: str, melding: str) -> Mappingfout:
    return Mappingfout(f"{pad.name}, {waar}: {melding}")


def _tabel(pad: Path, waar: str, w: Any) -> dict:
    """``w`` if it is a TOML table (``None``: empty), else a :class:`Mappingfout` naming where."""
    if w is None:
        return {}
    if not isinstance(w, dict):
        raise _fout(pad, waar, f"waarde {_kort(w)}; verwacht een tabel ({waar} met sleutels eronder)")
    return w


def _kort(w: Any) -> str:
    r = repr(w)
    return r if len(r) <= 60 else r[:57] + "..."


def _datumformaat(pad: Path, waar: str, w: Any) -> str | None:
    """Check a ``datumformaat``: ``None``, ``"iso"`` or a strptime pattern pandas accepts."""
    if w is None or w == "iso":
        return w
    if not isinstance(w, str) or not w.strip():
        raise _fout(pad, waar, f"waarde {_kort(w)}; verwacht een datumformaat als tekst, bijv. \"%d-%m-%Y\" of \"iso\"")
    import pandas as pd

    try:
        pd.to_datetime(pd.Series(["01-01-2000"]), format=w, errors="coerce")
    except (ValueError, TypeError) as e:
        raise _fout(pad, waar, f"waarde {_kort(w)} is geen geldig datumformaat ({e}); verwacht strptime-codes, "
                    "bijv. \"%d-%m-%Y\" of \"iso\"") from None
    return w


def _waardenmap(pad: Path, waar: str, w: Any) -> tuple[dict[str, str], str]:
    if isinstance(w, dict):
        bad = [k for k, v in w.items() if not isinstance(v, (str, bool, int))]
        if bad:
            raise _fout(pad, waar, f"waarde voor {bad[0]!r} is geen tekst; verwacht bron = \"doel\"")
        return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in w.items()}, "inline"
    if isinstance(w, str):
        from evaluatie.importeer.mapping import lees_mapping

        p = pad.parent / w
        if not p.is_file():
            raise _fout(pad, waar, f"mappingbestand {w!r} niet gevonden naast {pad.name}; verwacht een CSV bron,doel,toelichting")
        m = lees_mapping(p)
        return dict(zip(m.regels["bron"], m.regels["doel"])), w
    raise _fout(pad, waar, f"waarden = {w!r}; verwacht een tabel {{bron = \"doel\"}} of de naam van een CSV-bestand")


def _veld(pad: Path, tabel: str, naam: str, raw: Any) -> Veldspec:
    waar = f"[tabellen.{tabel}.velden] {naam}"
    if isinstance(raw, str):
        return Veldspec(veld=naam, kolom=raw)
    if not isinstance(raw, dict):
        raise _fout(pad, waar, f"waarde {raw!r}; verwacht een kolomnaam (tekst) of een tabel met kolom/waarde")
    onbekend = sorted(set(raw) - VELD_SLEUTELS)
    if onbekend:
        raise _fout(pad, waar, f"onbekende sleutel {onbekend[0]!r}; verwacht een van {', '.join(sorted(VELD_SLEUTELS))}")
    if ("kolom" in raw) == ("waarde" in raw):
        raise _fout(pad, waar, "verwacht precies één van 'kolom' (bronkolom) of 'waarde' (vaste waarde)")
    waarden, wbron = (None, "inline")
    if "waarden" in raw:
        waarden, wbron = _waardenmap(pad, waar + ".waarden", raw["waarden"])
    deel = raw.get("deel")
    if deel not in (None, "jaar"):
        raise _fout(pad, waar + ".deel", f"waarde {deel!r}; verwacht \"jaar\"")
    weg = raw.get("weglaten", [])
    if not isinstance(weg, list):
        raise _fout(pad, waar + ".weglaten", f"waarde {weg!r}; verwacht een lijst bronwaarden")
    w = raw.get("waarde")
    return Veldspec(veld=naam, kolom=raw.get("kolom"), waarde=None if w is None else (str(w).lower() if isinstance(w, bool) else str(w)),
                    waarden=waarden, waarden_bron=wbron, onbekend=str(raw.get("onbekend", "afkeuren")),
                    weglaten=tuple(str(x) for x in weg), deel=deel,
                    datumformaat=_datumformaat(pad, waar + ".datumformaat", raw.get("datumformaat")))


def lees_mappingspec(pad: str | Path, *, bestanden: dict[str, str | Path] | None = None) -> Mappingspec:
    """Read and check an import mapping (TOML) against the schema.

    Parameters
    ----------
    pad : path
        The mapping file. Source files are resolved relative to its folder.
    bestanden : dict, optional
        Source name → file, overriding ``bestand`` of ``[bronnen.<naam>]``.

    Returns
    -------
    Mappingspec

    Raises
    ------
    Mappingfout
        Not TOML, an unknown table/field/key, a field without kolom or waarde, a value map whose target is
        not allowed by the schema, a missing source file. The message names file, section, field, value
        and what was expected. (Columns are checked against the source files by
        :func:`evaluatie.importeer.generiek.omzetten`.)
    """
    from evaluatie.schema import load_schema

    pad = Path(pad)
    if not pad.is_file():
        raise Mappingfout(f"{pad}: mappingbestand niet gevonden; verwacht een TOML-bestand (zie 'evaluatie importeer sjabloon')")
    try:
        raw = tomllib.loads(pad.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as e:
        raise Mappingfout(f"{pad.name}: geen geldige TOML ({e})") from None
    except UnicodeDecodeError as e:
        raise Mappingfout(f"{pad.name}: geen UTF-8-tekst (byte {e.start}); sla de mapping op als UTF-8") from None
    except OSError as e:
        raise Mappingfout(f"{pad}: niet te lezen ({e.strerror})") from None
    onbekend = sorted(set(raw) - {"mapping", "bronnen", "tabellen"})
    if onbekend:
        raise _fout(pad, f"[{onbekend[0]}]", "onbekende sectie; verwacht [mapping], [bronnen.*] en [tabellen.*]")
    kop = _tabel(pad, "[mapping]", raw.get("mapping"))
    raw["bronnen"] = _tabel(pad, "[bronnen]", raw.get("bronnen"))
    raw["tabellen"] = _tabel(pad, "[tabellen]", raw.get("tabellen"))
    bestanden = dict(bestanden or {})
    onb = sorted(set(bestanden) - set(raw.get("bronnen") or {}))
    if onb:
        raise _fout(pad, "[bronnen]", f"bron {onb[0]!r} (opgegeven als bestand) staat niet in de mapping; verwacht een van "
                    f"{', '.join(raw.get('bronnen') or {}) or '(geen)'}")
    ong = sorted(set(kop) - KOP_SLEUTELS)
    if ong:
        raise _fout(pad, "[mapping]", f"onbekende sleutel {ong[0]!r}; verwacht een van {', '.join(sorted(KOP_SLEUTELS))}")
    opties: dict[str, Any] = {}
    if "ontbrekend" in kop:
        if not isinstance(kop["ontbrekend"], list):
            raise _fout(pad, "[mapping] ontbrekend", f"waarde {kop['ontbrekend']!r}; verwacht een lijst, bijv. [\"\", \"NA\"]")
        opties["ontbrekend"] = tuple(str(x) for x in kop["ontbrekend"])
    pb = kop.get("pseudoniem_breedte", 7)
    if isinstance(pb, bool) or not isinstance(pb, int) or not 4 <= pb <= 16:
        raise _fout(pad, "[mapping] pseudoniem_breedte", f"waarde {pb!r}; verwacht een geheel getal 4–16 (cijfers in C0000001)")
    opties["pseudoniem_breedte"] = pb
    if "waarnemingsperiode" in kop:
        wp = kop["waarnemingsperiode"]
        if not (isinstance(wp, list) and len(wp) == 2):
            raise _fout(pad, "[mapping] waarnemingsperiode", f"waarde {wp!r}; verwacht [\"jjjj-mm-dd\", \"jjjj-mm-dd\"]")
        opties["waarnemingsperiode"] = [str(x) for x in wp]
    datumformaat = _datumformaat(pad, "[mapping] datumformaat", kop.get("datumformaat", "iso"))
    pdat = kop.get("peildatum")
    if pdat is not None and (isinstance(pdat, (bool, int, float)) or not isinstance(pdat, (str, dt.date))):
        raise _fout(pad, "[mapping] peildatum", f"waarde {_kort(pdat)}; verwacht een datum als tekst \"jjjj-mm-dd\"")
    bronnen: dict[str, Bronspec] = {}
    for naam, b in (raw.get("bronnen") or {}).items():
        waar = f"[bronnen.{naam}]"
        if not isinstance(b, dict) or "bestand" not in b:
            raise _fout(pad, waar, "verwacht bestand = \"<naam van het exportbestand>\"")
        ong = sorted(set(b) - BRON_SLEUTELS)
        if ong:
            raise _fout(pad, waar, f"onbekende sleutel {ong[0]!r}; verwacht een van {', '.join(sorted(BRON_SLEUTELS))}")
        bestand = Path(bestanden[naam]) if naam in bestanden else pad.parent / str(b["bestand"])
        if not bestand.is_file():
            raise _fout(pad, waar + ".bestand", f"bestand {str(bestand)!r} niet gevonden; verwacht het exportbestand "
                        f"(pad relatief aan {pad.parent}, of --bestand {naam}=PAD)")
        koppel = []
        if not isinstance(b.get("koppel", []), list):
            raise _fout(pad, f"{waar} koppel", f"waarde {_kort(b['koppel'])}; verwacht [[bronnen.{naam}.koppel]]-tabellen "
                        "met bestand = \"...\" en op = \"kolom\"")
        for i, k in enumerate(b.get("koppel", []), start=1):
            kw = f"{waar} koppel {i}"
            if not isinstance(k, dict) or "bestand" not in k or "op" not in k:
                raise _fout(pad, kw, "verwacht bestand = \"...\" en op = \"kolom\" (of op = {links = \"a\", rechts = \"b\"})")
            kb = pad.parent / str(k["bestand"])
            if not kb.is_file():
                raise _fout(pad, kw + ".bestand", f"bestand {k['bestand']!r} niet gevonden in {pad.parent}")
            op = k["op"]
            links, rechts = (op, op) if isinstance(op, str) else (op.get("links"), op.get("rechts")) if isinstance(op, dict) else (None, None)
            if not links or not rechts:
                raise _fout(pad, kw + ".op", f"waarde {op!r}; verwacht een kolomnaam of {{links = \"a\", rechts = \"b\"}}")
            koppel.append(Koppeling(kb, str(links), str(rechts)))
        bronnen[naam] = Bronspec(naam=naam, bestand=bestand, blad=b.get("blad"), koppel=tuple(koppel))
    tabellen: dict[str, Tabelspec] = {}
    for tabel, t in (raw.get("tabellen") or {}).items():
        waar = f"[tabellen.{tabel}]"
        if tabel not in TABELLEN:
            raise _fout(pad, waar, f"onbekende tabel {tabel!r}; verwacht een van {', '.join(TABELLEN)}")
        t = _tabel(pad, waar, t)
        ong = sorted(set(t) - TABEL_SLEUTELS)
        if ong:
            raise _fout(pad, waar, f"onbekende sleutel {ong[0]!r}; verwacht een van {', '.join(sorted(TABEL_SLEUTELS))}")
        if t.get("bron") not in bronnen:
            raise _fout(pad, waar + ".bron", f"waarde {t.get('bron')!r}; verwacht een van de bronnen: {', '.join(bronnen) or '(geen [bronnen.*])'}")
        schema = load_schema(tabel)
        namen = [f.name for f in schema.fields]
        velden = []
        for veld, v in _tabel(pad, f"[tabellen.{tabel}.velden]", t.get("velden")).items():
            if veld not in namen:
                raise _fout(pad, f"[tabellen.{tabel}.velden] {veld}", f"onbekend veld; verwacht een van {', '.join(namen)}")
            spec = _veld(pad, tabel, veld, v)
            enum = schema.field(veld).enum
            if enum:
                toegestaan = set(enum)
                doelen = list((spec.waarden or {}).values()) + ([spec.onbekend] if spec.onbekend != "afkeuren" else [])
                fout = [d for d in doelen if d not in toegestaan]
                if fout:
                    raise _fout(pad, f"[tabellen.{tabel}.velden] {veld}.waarden", f"doel {fout[0]!r}; verwacht een van {', '.join(enum)}")
            velden.append(spec)
        ontbreekt = [f.name for f in schema.fields if f.required and f.name not in {v.veld for v in velden}]
        if ontbreekt:
            raise _fout(pad, f"[tabellen.{tabel}.velden]", f"verplicht(e) veld(en) {', '.join(ontbreekt)} ontbreken; "
                        "geef een kolom of een vaste waarde (waarde = ...)")
        mg = t.get("max_gat_dagen")
        if mg is not None and (tabel != "uitkeringen" or not isinstance(mg, int) or mg < 0):
            raise _fout(pad, waar + ".max_gat_dagen", f"waarde {mg!r}; verwacht een geheel getal >= 0, alleen bij [tabellen.uitkeringen]")
        tabellen[tabel] = Tabelspec(tabel=tabel, bron=t["bron"], velden=tuple(velden), max_gat_dagen=mg)
    if not tabellen:
        raise _fout(pad, "[tabellen.*]", f"geen tabellen; verwacht ten minste [tabellen.clienten] en [tabellen.uitkeringen]")
    return Mappingspec(pad=pad, naam=str(kop.get("naam", pad.stem)), datumformaat=datumformaat,
                       peildatum=None if kop.get("peildatum") is None else str(kop["peildatum"]), bronnen=bronnen,
                       tabellen=tabellen, opties=opties)
