"""Schema-driven rule checks on one table: columns, required, type, enum, min/max, pattern, unique, key.

Everything is read from the loaded Table Schema (:mod:`evaluatie.schema`); nothing of the schema is
copied here. Every check works on whole columns and returns a findings frame
(:func:`evaluatie.validatie.bevindingen.bevindingen`).
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.lezen import Ingelezen, Invoerfout, kort
from evaluatie.schema import TabelSchema, Veld
from evaluatie.validatie.bevindingen import bevindingen, citeer, samen, tabelbevinding, toon
from evaluatie.validatie.typen import DATUM_MAX, DATUM_MIN, Geparsed, parse_veld, tekst

STUURTEKENS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Control characters that make a value unusable (NUL and the like; tab and line breaks are allowed)."""

MAX_LENGTE = 255
"""Longest value accepted in any field (no code, key or name in the schema comes near it)."""

_TYPE_MELDING: dict[str, str] = {
    "date": "is geen geldige datum; verwacht jjjj-mm-dd of dd-mm-jjjj",
    "integer": "is geen geheel getal",
    "number": "is geen getal",
    "boolean": "is geen ja/nee-waarde; verwacht een van true/false, ja/nee, j/n, 1/0, waar/onwaar",
    "string": "is geen tekst",
}


def missing_values(schema: TabelSchema) -> tuple[str, ...]:
    """The schema's ``missingValues`` (Table Schema default ``[""]``)."""
    return tuple(schema.raw.get("missingValues", [""]))


def extra_veld(schema: TabelSchema, naam: str) -> Veld:
    """A field allowed by the schema's ``x-extraVelden`` (prefix + type), as a :class:`Veld`."""
    spec = schema.raw.get("x-extraVelden") or {}
    return Veld(name=naam, type=spec.get("type", "string"), description="extra kenmerk", required=False,
                enum=None, minimum=None, maximum=None, pattern=None, unique=False)


def kolommen(inv: Ingelezen, schema: TabelSchema) -> tuple[Ingelezen, tuple[Veld, ...], pd.DataFrame]:
    """Match the file's columns to the schema.

    Column names are matched exactly, else ignoring case and surrounding spaces (a warning). A missing
    optional column is added empty (a warning); an unknown column is a warning and is not carried into
    the accepted table, except columns with the schema's ``x-extraVelden`` prefix, validated by its type.

    Returns
    -------
    (Ingelezen, tuple of Veld, DataFrame)
        The table with schema column names, the fields to validate (schema order, then extra fields),
        and the findings.

    Raises
    ------
    Invoerfout
        A required column is missing.
    """
    delen: list[pd.DataFrame] = []
    schema_namen = schema.field_names
    op_laag = {n.lower(): n for n in schema_namen}
    hernoem: dict[str, str] = {}
    for k in inv.data.columns:
        if k in schema_namen:
            continue
        doel = op_laag.get(str(k).strip().lower().replace(" ", "_"))
        if doel is not None and doel not in inv.data.columns and doel not in hernoem.values():
            hernoem[k] = doel
            delen.append(tabelbevinding(inv, veld=doel, waarde=str(k), regel="kolomnaam", niveau="waarschuwing",
                                        melding=f"kolom {kort(k)!r} gelezen als {doel!r}; verwacht de naam precies zoals in het schema"))
    data = inv.data.rename(columns=hernoem) if hernoem else inv.data
    ontbrekend = [f.name for f in schema.fields if f.name not in data.columns]
    verplicht_weg = [n for n in ontbrekend if schema.field(n).required]
    if verplicht_weg:
        namen = [kort(k) for k in data.columns]
        gevonden = ", ".join(namen[:30]) + (f", … ({len(namen)} kolommen)" if len(namen) > 30 else "") or "(geen)"
        hint = ""
        if len(data.columns) == 1:
            hint = " — het bestand werd als één kolom gelezen: klopt het scheidingsteken (',' of ';')?"
        raise Invoerfout(
            inv.bestand,
            f"verplichte kolom(men) ontbreken: {', '.join(verplicht_weg)}; gevonden kolommen: {gevonden}; "
            f"verwacht (schema {schema.name}): {', '.join(schema_namen)}{hint}",
        )
    if ontbrekend:
        data = data.copy()
        stil = set(schema.raw.get("x-herkomstVelden", ()))  # provenance fields: absent is normal, no warning
        stil |= set(schema.raw.get("x-stilleVelden", ()))  # optional extras (loonwaarde): absent is normal too
        for n in ontbrekend:
            data[n] = pd.Series([None] * len(data), dtype=object)
            if n in stil:
                continue
            delen.append(tabelbevinding(inv, veld=n, waarde="", regel="kolom_afwezig", niveau="waarschuwing",
                                        melding=f"optionele kolom {n!r} ontbreekt; behandeld als leeg"))
    velden = list(schema.fields)
    for k in data.columns:
        if k in schema_namen:
            continue
        if schema.extra_prefix and str(k).startswith(schema.extra_prefix):
            velden.append(extra_veld(schema, str(k)))
            continue
        delen.append(tabelbevinding(inv, veld=kort(k), waarde="", regel="kolom_onbekend", niveau="waarschuwing",
                                    melding=f"kolom {kort(k)!r} genegeerd en niet opgeslagen: staat niet in het schema "
                                            f"{schema.name} (verwacht: {', '.join(schema_namen)}); lever geen direct "
                                            "identificerende gegevens (BSN, naam, adres) aan"))
    return dataclasses.replace(inv, data=data), tuple(velden), samen(delen)


def _grens(veld: Veld, waarde: Any) -> Any:
    return pd.Timestamp(waarde) if veld.type == "date" else waarde


def veldregels(inv: Ingelezen, veld: Veld, mv: tuple[str, ...] = ("",)) -> tuple[Geparsed, pd.DataFrame]:
    """Parse one column and check required, type, enum, minimum, maximum and pattern.

    Rows listed in ``inv.kapot`` are treated as empty here (their own finding says why).
    """
    kolom = inv.data[veld.name]
    if inv.kapot:
        kolom = kolom.copy()
        kolom.iloc[list(inv.kapot)] = None
    g = parse_veld(kolom, veld.type, inv.decimaal, mv)
    delen: list[pd.DataFrame] = []
    naam = veld.name
    if veld.required:
        pos = np.flatnonzero(g.ontbreekt)
        if inv.kapot:
            pos = pos[~np.isin(pos, list(inv.kapot))]
        delen.append(bevindingen(inv, pos, veld=naam, waarde="", regel="verplicht",
                                 melding=f"{naam}: verplicht veld is leeg"))
    buiten = g.buiten if g.buiten is not None else np.zeros(len(g.ongeldig), dtype=bool)
    pos = np.flatnonzero(buiten)
    if len(pos):
        w = toon(kolom, pos)
        delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="datumbereik",
                                 melding=(f"{naam}: " + citeer(w) + f" ligt buiten het bereik {DATUM_MIN.date()} t/m "
                                          f"{DATUM_MAX.date()}; verwacht een echte datum (geen plaatshouder zoals "
                                          "9999-12-31: laat een open einde leeg)").to_numpy()))
    stuur = np.zeros(len(g.ongeldig), dtype=bool)
    if kolom.dtype == object or pd.api.types.is_string_dtype(kolom.dtype):
        stuur = tekst(kolom).str.contains(STUURTEKENS, regex=True).to_numpy(dtype=bool, na_value=False)
        pos = np.flatnonzero(stuur)
        if len(pos):
            w = toon(kolom, pos)
            delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="stuurteken",
                                     melding=(f"{naam}: " + citeer(w) + " bevat een nul-byte of ander stuurteken; "
                                              "verwacht gewone tekst (exporteer opnieuw)").to_numpy()))
            g = Geparsed(g.waarde.where(~stuur), g.ontbreekt, g.ongeldig | stuur, g.buiten)
        lengte = tekst(kolom).str.len().to_numpy(dtype=float, na_value=0)
        pos = np.flatnonzero((lengte > MAX_LENGTE) & ~stuur)
        if len(pos):
            w = toon(kolom, pos)
            delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="lengte",
                                     melding=np.array([f"{naam}: {kort(v)!r} is {len(v)} tekens lang; verwacht hooguit "
                                                       f"{MAX_LENGTE} tekens" for v in w], dtype=object)))
            stuur = stuur.copy()
            stuur[pos] = True
            g = Geparsed(g.waarde.where(~stuur), g.ontbreekt, g.ongeldig | stuur, g.buiten)
    pos = np.flatnonzero(g.ongeldig & ~buiten & ~stuur)
    if len(pos):
        w = toon(kolom, pos)
        extra = " (decimaalteken ',')" if inv.decimaal == "," and veld.type in ("number", "integer") else ""
        delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="type",
                                 melding=(f"{naam}: " + citeer(w) + f" {_TYPE_MELDING[veld.type]}{extra}").to_numpy()))
    geldig = ~g.ontbreekt & ~g.ongeldig
    if veld.enum is not None:
        pos = np.flatnonzero(geldig & ~g.waarde.isin(list(veld.enum)).to_numpy(dtype=bool, na_value=False))
        if len(pos):
            w = toon(kolom, pos)
            delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="enum",
                                     melding=(f"{naam}: " + citeer(w) + f" is niet toegestaan; verwacht een van: {', '.join(veld.enum)}").to_numpy()))
    for regel, grens, te in (("minimum", veld.minimum, "kleiner"), ("maximum", veld.maximum, "groter")):
        if grens is None:
            continue
        x = g.waarde
        b = _grens(veld, grens)
        fout = (x < b) if regel == "minimum" else (x > b)
        pos = np.flatnonzero(geldig & fout.fillna(False).to_numpy(dtype=bool))
        if len(pos):
            w = toon(kolom, pos)
            delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel=regel,
                                     melding=(f"{naam}: " + pd.Series(w).astype(str) + f" is {te} dan het {regel} {grens}").to_numpy()))
    if veld.pattern is not None:
        ok = tekst(g.waarde).str.fullmatch(veld.pattern).to_numpy(dtype=bool, na_value=False)
        pos = np.flatnonzero(geldig & ~ok)
        if len(pos):
            w = toon(kolom, pos)
            delen.append(bevindingen(inv, pos, veld=naam, waarde=w, regel="patroon",
                                     melding=(f"{naam}: " + citeer(w) + f" voldoet niet aan het patroon {veld.pattern}").to_numpy()))
    return g, samen(delen)


def _dubbelen(inv: Ingelezen, sleutels: pd.DataFrame, bruikbaar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of later duplicates among usable rows, and the row number of their first occurrence."""
    pos_ok = np.flatnonzero(bruikbaar)
    k = sleutels.iloc[pos_ok].reset_index(drop=True)
    dup = k.duplicated(keep="first").to_numpy()
    if not dup.any():
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    cols = list(k.columns)
    betrokken = k.duplicated(keep=False).to_numpy()
    eerst = k[betrokken & ~dup].assign(_eerste=inv.rij[pos_ok[betrokken & ~dup]])
    later = k[dup].assign(_pos=pos_ok[dup])
    m = later.merge(eerst, on=cols, how="left", sort=False)
    return m["_pos"].to_numpy(np.int64), m["_eerste"].to_numpy(np.int64)


def uniek_en_sleutel(
    inv: Ingelezen, schema: TabelSchema, parsed: dict[str, Geparsed]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Check ``unique`` fields and the ``primaryKey``: every later duplicate is rejected, naming the first row.

    The first occurrence is kept. Rows whose key fields are invalid (or missing while required) are left
    out (they are rejected already). A missing optional key field counts as a value (``poort.maand`` empty
    = whole year).

    Returns
    -------
    (DataFrame, ndarray of bool)
        Findings, and the mask of rows rejected as primary-key (or unique) duplicates.
    """
    delen: list[pd.DataFrame] = []
    dubbel = np.zeros(inv.n, dtype=bool)

    def bruikbaar(namen: list[str]) -> np.ndarray:
        ok = np.ones(inv.n, dtype=bool)
        for n in namen:
            g = parsed[n]
            ok &= ~g.ongeldig & ~(g.ontbreekt & schema.field(n).required)
        if inv.kapot:
            ok[list(inv.kapot)] = False
        return ok

    pk = list(schema.primary_key)
    for f in schema.fields:
        if not f.unique:
            continue
        ok = bruikbaar([f.name]) & ~parsed[f.name].ontbreekt
        pos, eerste = _dubbelen(inv, pd.DataFrame({f.name: parsed[f.name].waarde}), ok)
        if len(pos):
            w = toon(inv.data[f.name], pos)
            delen.append(bevindingen(inv, pos, veld=f.name, waarde=w, regel="uniek",
                                     melding=(f"{f.name}: " + citeer(w) + " komt al voor in rij " + pd.Series(eerste).astype(str)
                                              + "; verwacht een unieke waarde").to_numpy()))
            dubbel[pos] = True
    if pk and not (len(pk) == 1 and schema.field(pk[0]).unique):
        sleutels = pd.DataFrame({n: parsed[n].waarde for n in pk})
        pos, eerste = _dubbelen(inv, sleutels, bruikbaar(pk))
        if len(pos):
            teksten = [pd.Series(toon(inv.data[n], pos)).replace("", "leeg") for n in pk]
            w = teksten[0]
            for t in teksten[1:]:
                w = w + " | " + t
            delen.append(bevindingen(inv, pos, veld=", ".join(pk), waarde=w.to_numpy(), regel="primaire_sleutel",
                                     melding=(f"sleutel ({', '.join(pk)}) = (" + w.str.replace(" | ", ", ", regex=False)
                                              + ") komt al voor in rij " + pd.Series(eerste).astype(str)
                                              + "; verwacht één rij per sleutel").to_numpy()))
            dubbel[pos] = True
    return samen(delen), dubbel
