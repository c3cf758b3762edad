"""The optional ``kosten`` table: read, validate (file, row, field, value, expected) and turn into costs per
participant of each cell and the cost of one month of benefit.

The contract is ``data_schema/kosten.json``. A cost table with any finding is refused as a whole (a
doelmatigheid figure from half a cost table would be wrong without saying so); every finding is listed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from evaluatie.schema import instrumenten, schema_dir

BESTAND = "kosten"
MAANDEN_PER_JAAR = 12.0
DAGEN_PER_MAAND = 365.25 / 12


class KostenFout(ValueError):
    """The kosten table cannot be used; ``bevindingen`` lists every problem."""

    def __init__(self, bevindingen: list["Kostenbevinding"]):
        self.bevindingen = bevindingen
        regels = [b.tekst() for b in bevindingen[:25]]
        if len(bevindingen) > 25:
            regels.append(f"... en nog {len(bevindingen) - 25} bevindingen")
        super().__init__("kostentabel niet bruikbaar, doelmatigheid niet berekend:\n  " + "\n  ".join(regels))


@dataclass(frozen=True)
class Kostenbevinding:
    """One problem in the kosten table. ``regel`` is the line in the file (header = 1); None = whole table."""

    bestand: str
    regel: int | None
    veld: str
    waarde: str
    verwacht: str

    def tekst(self) -> str:
        waar = f"regel {self.regel}" if self.regel is not None else "hele tabel"
        w = self.waarde if len(self.waarde) <= 60 else self.waarde[:57] + "..."
        return f"{self.bestand}, {waar}, veld {self.veld}: waarde {w!r}; verwacht {self.verwacht}"


def kostenschema() -> dict[str, Any]:
    """The Table Schema of the kosten table (``data_schema/kosten.json``)."""
    return json.loads((schema_dir() / "kosten.json").read_text(encoding="utf-8"))


def zoek_kosten(map_: Path) -> Path | None:
    """``kosten.csv`` (or ``.parquet``/``.xlsx``) in ``map_``, or None."""
    for ext in (".csv", ".parquet", ".xlsx"):
        p = Path(map_) / f"{BESTAND}{ext}"
        if p.is_file():
            return p
    return None


@dataclass(frozen=True)
class Kosten:
    """A validated kosten table.

    Attributes
    ----------
    tabel : DataFrame
        The rows (typed: ``jaar`` Int64, ``bedrag``/``fte`` float, text as string; empty = <NA>).
    bestand : str
        File name (for messages and the report).
    """

    tabel: pd.DataFrame
    bestand: str = "kosten.csv"

    def uitkering_per_maand(self) -> float:
        """Cost of one month of benefit: the mean over the uitkering rows (per jaar divided by 12)."""
        u = self.tabel[self.tabel["post"] == "uitkering"]
        per_maand = np.where(u["per"] == "jaar", u["bedrag"] / MAANDEN_PER_JAAR, u["bedrag"])
        return float(np.mean(per_maand))

    def per_deelnemer(self, instrument: str, categorie: str, *, trajectduur: float, n_per_jaar: dict[int, int]) -> float:
        """Instrument cost of one participant of cell ``instrument`` x ``categorie``.

        Rows of the cell's categorie win over rows without a categorie. Per maand is multiplied by the
        mean months in the instrument (``trajectduur``). Rows per year are weighted by the cell's
        trajecten starting in that year (``n_per_jaar``; equal weights if none match); rows without a
        year apply to every year.

        Raises
        ------
        KeyError
            No cost row for this instrument (the caller names the cell).
        """
        t = self.tabel[(self.tabel["post"] == "instrument") & (self.tabel["instrument"] == instrument)]
        eigen = t[t["categorie"] == categorie]
        t = eigen if len(eigen) else t[t["categorie"].isna()]
        if t.empty:
            raise KeyError(instrument)
        bedrag = np.where(t["per"] == "maand", t["bedrag"] * trajectduur, t["bedrag"]).astype(float)
        jaar = t["jaar"]
        if jaar.isna().all():
            return float(np.mean(bedrag))
        algemeen = bedrag[jaar.isna().to_numpy()]
        gew, waarden = [], []
        for j, n in sorted(n_per_jaar.items()):
            rij = bedrag[(jaar == j).fillna(False).to_numpy()]
            v = rij.mean() if rij.size else (algemeen.mean() if algemeen.size else np.nan)
            if np.isfinite(v):
                gew.append(n)
                waarden.append(v)
        if not waarden or sum(gew) == 0:
            return float(np.mean(bedrag))
        return float(np.average(waarden, weights=gew))

    def uitvoering_totaal(self, categorie: str | None) -> float:
        """Uitvoering in euro over all years listed: sum of bedrag x fte of the rows of ``categorie``
        (None: the rows without a categorie)."""
        u = self.tabel[self.tabel["post"] == "uitvoering"]
        u = u[u["categorie"].isna()] if categorie is None else u[u["categorie"] == categorie]
        return float((u["bedrag"] * u["fte"].fillna(0.0)).sum())


def _tekst(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip()


def lees_kosten(pad: Path, *, jaren: Iterable[int], instrumentcodes: Iterable[str] | None = None) -> Kosten:
    """Read and validate a kosten table.

    Parameters
    ----------
    pad : Path
        ``kosten.csv`` (UTF-8, ``,``), ``.parquet`` or ``.xlsx``.
    jaren : iterable of int
        Calendar years of the observation window; a row for another year is an error.
    instrumentcodes : iterable of str, optional
        Valid instrument codes (default: ``data_schema/instrumenten.json``).

    Raises
    ------
    KostenFout
        Listing every finding (file, line, field, value, expected), e.g. a negative bedrag, an unknown
        instrument, a year outside the data or no uitkering row.
    """
    pad = Path(pad)
    naam = pad.name
    try:
        if pad.suffix == ".parquet":
            ruw = pd.read_parquet(pad).astype(object)
        elif pad.suffix == ".xlsx":
            ruw = pd.read_excel(pad, dtype=str)
        else:
            ruw = pd.read_csv(pad, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise KostenFout([Kostenbevinding(naam, None, "(bestand)", type(e).__name__, f"een leesbare tabel ({e})"[:200])]) from None
    schema = kostenschema()
    velden = {f["name"]: f for f in schema["fields"]}
    jaren = sorted(set(int(j) for j in jaren))
    codes = set(instrumentcodes) if instrumentcodes is not None else set(instrumenten())
    bev: list[Kostenbevinding] = []
    onbekend = [k for k in ruw.columns if k not in velden]
    for k in onbekend:
        bev.append(Kostenbevinding(naam, 1, str(k), str(k), "een van de kolommen " + ", ".join(velden)))
    for k, f in velden.items():
        if f["constraints"].get("required") and k not in ruw.columns:
            bev.append(Kostenbevinding(naam, 1, k, "(ontbreekt)", "een kolom " + k))
    if bev:
        raise KostenFout(bev)
    rijen = []
    for i, r in enumerate(ruw.to_dict("records")):
        regel = i + 2
        v = {k: _tekst(r.get(k)) for k in velden}
        rij: dict[str, Any] = {}
        for k, f in velden.items():
            w, c = v[k], f["constraints"]
            if w == "":
                if c.get("required"):
                    bev.append(Kostenbevinding(naam, regel, k, "", "een waarde (verplicht veld)"))
                rij[k] = None
                continue
            if f["type"] in ("number", "integer"):
                try:
                    x = float(w.replace(",", ".")) if f["type"] == "number" else int(w)
                except ValueError:
                    bev.append(Kostenbevinding(naam, regel, k, w, "een getal" if f["type"] == "number" else "een geheel getal"))
                    rij[k] = None
                    continue
                if not np.isfinite(x) or ("minimum" in c and x < c["minimum"]):
                    bev.append(Kostenbevinding(naam, regel, k, w, f"een getal >= {c.get('minimum', 0)} (geen negatieve kosten)"
                                               if k in ("bedrag", "fte") else f"een getal >= {c.get('minimum')}"))
                    rij[k] = None
                    continue
                if "maximum" in c and x > c["maximum"]:
                    bev.append(Kostenbevinding(naam, regel, k, w, f"een getal <= {c['maximum']}"))
                    rij[k] = None
                    continue
                rij[k] = x
            else:
                if "enum" in c and w not in c["enum"]:
                    bev.append(Kostenbevinding(naam, regel, k, w, "een van " + ", ".join(c["enum"])))
                    rij[k] = None
                    continue
                if "pattern" in c and not re.fullmatch(c["pattern"], w):
                    bev.append(Kostenbevinding(naam, regel, k, w, f"het patroon {c['pattern']}"))
                    rij[k] = None
                    continue
                rij[k] = w
        post, per = rij["post"], rij["per"]
        if post == "instrument":
            if rij["instrument"] is None and v["instrument"] == "":
                bev.append(Kostenbevinding(naam, regel, "instrument", "", "een instrumentcode bij post = instrument"))
            elif rij["instrument"] is not None and rij["instrument"] not in codes:
                bev.append(Kostenbevinding(naam, regel, "instrument", rij["instrument"],
                                           "een instrumentcode uit data_schema/instrumenten.json: " + ", ".join(sorted(codes))))
            if per not in (None, "traject", "maand"):
                bev.append(Kostenbevinding(naam, regel, "per", per, "traject of maand bij post = instrument"))
        elif post is not None and rij["instrument"] is not None:
            bev.append(Kostenbevinding(naam, regel, "instrument", rij["instrument"], "leeg bij post = " + post))
        if post == "uitkering" and per not in (None, "maand", "jaar"):
            bev.append(Kostenbevinding(naam, regel, "per", per, "maand of jaar bij post = uitkering"))
        if post == "uitvoering":
            if per not in (None, "fte"):
                bev.append(Kostenbevinding(naam, regel, "per", per, "fte bij post = uitvoering"))
            if v["fte"] == "":
                bev.append(Kostenbevinding(naam, regel, "fte", "", "het aantal fte bij post = uitvoering"))
        if rij["gemeentecode"] is not None and post not in (None, "uitkering"):
            bev.append(Kostenbevinding(naam, regel, "gemeentecode", rij["gemeentecode"], "leeg behalve bij post = uitkering"))
        if rij["jaar"] is not None and jaren and int(rij["jaar"]) not in jaren:
            bev.append(Kostenbevinding(naam, regel, "jaar", v["jaar"],
                                       f"een jaar binnen de waarnemingsperiode van de gegevens ({jaren[0]}-{jaren[-1]})"))
        rijen.append(rij)
    tabel = pd.DataFrame(rijen, columns=list(velden))
    if not (tabel["post"] == "uitkering").any():
        bev.append(Kostenbevinding(naam, None, "post", "(geen rij uitkering)",
                                   "minstens een rij met post = uitkering (kosten van een maand of jaar uitkering)"))
    if bev:
        raise KostenFout(bev)
    tabel = tabel.astype({"post": "string", "instrument": "string", "categorie": "string", "gemeentecode": "string",
                          "per": "string", "bron": "string", "bedrag": float, "fte": float})
    tabel["jaar"] = pd.array([None if x is None or pd.isna(x) else int(x) for x in tabel["jaar"]], dtype="Int64")
    return Kosten(tabel, naam)


def trajectgegevens(trajecten: pd.DataFrame, eind: pd.Timestamp) -> tuple[dict[str, float], dict[str, dict[int, int]]]:
    """Per instrument the mean months in the instrument (open trajecten up to ``eind``) and the trajecten
    starting per calendar year."""
    if trajecten is None or trajecten.empty:
        return {}, {}
    s = pd.to_datetime(trajecten["startdatum"])
    e = pd.to_datetime(trajecten["einddatum"]).fillna(pd.Timestamp(eind)).clip(upper=pd.Timestamp(eind))
    maanden = ((e - s).dt.days + 1).clip(lower=1) / DAGEN_PER_MAAND
    d = pd.DataFrame({"instrument": trajecten["instrument"].astype(str), "maanden": maanden, "jaar": s.dt.year})
    duur = {str(k): float(v) for k, v in d.groupby("instrument", sort=True)["maanden"].mean().items()}
    per_jaar: dict[str, dict[int, int]] = {}
    for (i, j), n in d.groupby(["instrument", "jaar"], sort=True).size().items():
        per_jaar.setdefault(str(i), {})[int(j)] = int(n)
    return duur, per_jaar
