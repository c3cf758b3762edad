"""The data contract: Table Schema JSON files in ``data_schema/``, loaded at run time.

The schema files are the single source of truth for field names, types and constraints; the
package keeps no second copy in code. This module only finds, loads and exposes them.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

TABELLEN: tuple[str, ...] = ("clienten", "uitkeringen", "categorieen", "trajecten", "poort", "gemeenten")


def schema_dir() -> Path:
    """Directory holding the schema files.

    ``$EVALUATIE_SCHEMA_DIR`` wins; otherwise ``data_schema/`` next to the package (source checkout or
    editable install).
    """
    env = os.environ.get("EVALUATIE_SCHEMA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "data_schema", here / "data_schema"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError(
        "data_schema/ niet gevonden naast het pakket; zet EVALUATIE_SCHEMA_DIR naar de map met de schema's"
    )


@dataclass(frozen=True)
class Veld:
    """One field of a table schema."""

    name: str
    type: str
    description: str
    required: bool
    enum: tuple[str, ...] | None
    minimum: float | None
    maximum: float | None
    pattern: str | None
    unique: bool


@dataclass(frozen=True)
class TabelSchema:
    """A loaded Table Schema (read-only)."""

    name: str
    title: str
    fields: tuple[Veld, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    extra_prefix: str | None
    raw: dict[str, Any]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Veld:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"tabel {self.name!r} heeft geen veld {name!r}; velden: {', '.join(self.field_names)}")

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]


def _veld(d: dict[str, Any]) -> Veld:
    c = d.get("constraints", {})
    enum = c.get("enum")
    return Veld(
        name=d["name"],
        type=d["type"],
        description=d.get("description", ""),
        required=bool(c.get("required", False)),
        enum=tuple(enum) if enum is not None else None,
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        pattern=c.get("pattern"),
        unique=bool(c.get("unique", False)),
    )


@lru_cache(maxsize=None)
def load_schema(name: str) -> TabelSchema:
    """Load the Table Schema of table ``name`` (one of :data:`TABELLEN`)."""
    if name not in TABELLEN:
        raise ValueError(f"onbekende tabel {name!r}; verwacht een van: {', '.join(TABELLEN)}")
    raw = json.loads((schema_dir() / f"{name}.json").read_text(encoding="utf-8"))
    pk = raw.get("primaryKey", [])
    return TabelSchema(
        name=name,
        title=raw.get("title", name),
        fields=tuple(_veld(d) for d in raw["fields"]),
        primary_key=tuple([pk] if isinstance(pk, str) else pk),
        foreign_keys=tuple(raw.get("foreignKeys", [])),
        extra_prefix=(raw.get("x-extraVelden") or {}).get("prefix"),
        raw=raw,
    )


@dataclass(frozen=True)
class Instrument:
    """A re-integration instrument and the categorieen it is available to (None = not restricted)."""

    code: str
    naam: str
    categorieen: tuple[str, ...] | None
    soort: str


@lru_cache(maxsize=None)
def instrumenten() -> dict[str, Instrument]:
    """Instruments from ``data_schema/instrumenten.json``, keyed by code, in file order."""
    raw = json.loads((schema_dir() / "instrumenten.json").read_text(encoding="utf-8"))
    out: dict[str, Instrument] = {}
    for d in raw["instrumenten"]:
        cats = d.get("categorieen")
        out[d["code"]] = Instrument(d["code"], d["naam"], tuple(cats) if cats is not None else None, d["soort"])
    return out


def beschikbaar(instrument: str, categorie: str) -> bool:
    """Whether ``instrument`` may be used for ``categorie`` under table 4 of the verordening."""
    ins = instrumenten()[instrument]
    return ins.categorieen is None or categorie in ins.categorieen
