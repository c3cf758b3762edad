"""Findings: one row per thing wrong (or worth a warning), naming file, row, field, value and rule.

Rules build findings for many rows at once with :func:`bevindingen`; the validator concatenates them.
The internal column ``_pos`` (position of the row in the table as read) ties a finding to its row; it
is dropped before findings leave the package.
"""
from __future__ import annotations

import re
from typing import Iterable, Literal

import numpy as np
import pandas as pd

from evaluatie.lezen import MAX_TEKENS, Ingelezen, kort
from evaluatie.validatie.typen import als_tekst

KOLOMMEN: tuple[str, ...] = ("tabel", "bestand", "rij", "veld", "waarde", "regel", "melding", "niveau")
"""Columns of :attr:`Validatieresultaat.bevindingen` (``niveau``: ``fout`` rejects the row, ``waarschuwing`` not)."""

Niveau = Literal["fout", "waarschuwing"]
_LANG = re.compile(r"\S{%d,}" % (MAX_TEKENS + 41))  # room for an already cut value: 60 + "…(100000"
NIVEAUS: tuple[str, ...] = ("fout", "waarschuwing")

# Rule names (the ``regel`` column), with a short Dutch description for reports and the CLI.
REGELS: dict[str, str] = {
    "aantal_velden": "rij heeft een ander aantal velden dan de kopregel",
    "kolomnaam": "kolomnaam afwijkend geschreven (hoofdletters/spaties)",
    "kolom_onbekend": "kolom staat niet in het schema",
    "kolom_afwezig": "optionele kolom ontbreekt",
    "bestand_onbekend": "bestand hoort bij geen tabel",
    "verplicht": "verplicht veld is leeg",
    "type": "waarde heeft niet het type van het veld",
    "datumbereik": "datum ligt buiten 1900-01-01 t/m 2100-12-31",
    "stuurteken": "waarde bevat een nul-byte of ander stuurteken",
    "lengte": "waarde is langer dan 255 tekens",
    "lege_regel": "lege regel overgeslagen",
    "werkblad": "werkmap heeft meer dan één werkblad",
    "mogelijk_bsn": "sleutel van negen cijfers die de elfproef haalt (mogelijk een BSN)",
    "leeftijd": "leeftijd bij de start van de uitkering onwaarschijnlijk",
    "ver_verleden": "datum ligt ver in het verleden",
    "veel_uitkeringen": "cliënt met extreem veel uitkeringsperioden",
    "enum": "waarde niet toegestaan",
    "minimum": "waarde onder het minimum",
    "maximum": "waarde boven het maximum",
    "patroon": "waarde voldoet niet aan het patroon",
    "uniek": "waarde komt meer dan eens voor",
    "primaire_sleutel": "sleutel komt meer dan eens voor",
    "vreemde_sleutel": "verwijzing naar onbekende rij",
    "verwijzing_afgekeurd": "verwijst naar een afgekeurde rij",
    "einde_voor_start": "einddatum ligt vóór startdatum",
    "uitstroomreden": "uitstroomreden hoort gevuld te zijn precies als de einddatum gevuld is",
    "overlap": "uitkeringen van één cliënt overlappen",
    "na_peildatum": "datum ligt na de peildatum",
    "traject_zonder_uitkering": "traject van een cliënt zonder (geaccepteerde) uitkering",
    "traject_buiten_uitkering": "traject begint buiten elke uitkeringsperiode van de cliënt",
    "traject_na_waarneming": "traject begint na het einde van de waarnemingsperiode",
    "traject_voor_waarneming": "traject eindigt vóór de waarnemingsperiode",
    "deel_groter_dan_geheel": "deelaantal groter dan het totaal",
    "verwijzing_niet_gecontroleerd": "verwezen tabel ontbreekt; verwijzingen niet gecontroleerd",
}


def toon(s: pd.Series, pos: np.ndarray) -> np.ndarray:
    """The values at positions ``pos`` of a column as the user wrote them (text)."""
    return als_tekst(s.iloc[pos].reset_index(drop=True)).to_numpy(dtype=object)


def bevindingen(
    inv: Ingelezen,
    pos: Iterable[int] | np.ndarray,
    *,
    veld: str,
    waarde: np.ndarray | pd.Series | str,
    regel: str,
    melding: np.ndarray | pd.Series | str,
    niveau: Niveau = "fout",
) -> pd.DataFrame:
    """Findings for rows ``pos`` of one table (vectorised over rows)."""
    if regel not in REGELS:
        raise ValueError(f"onbekende regel {regel!r}; verwacht een van: {', '.join(REGELS)}")
    pos = np.asarray(pos, dtype=np.int64)
    n = len(pos)

    def _arr(x: np.ndarray | pd.Series | str) -> np.ndarray:
        if isinstance(x, str):
            return np.full(n, x, dtype=object)
        return np.asarray(x, dtype=object)

    return pd.DataFrame(
        {
            "tabel": np.full(n, inv.tabel, dtype=object),
            "bestand": np.full(n, inv.bestand, dtype=object),
            "rij": pd.array(inv.rij[pos], dtype="Int64"),
            "veld": np.full(n, veld, dtype=object),
            "waarde": np.array([kort(v) if isinstance(v, str) and len(v) > MAX_TEKENS else v for v in _arr(waarde)],
                               dtype=object),
            "regel": np.full(n, regel, dtype=object),
            "melding": kort_melding(_arr(melding)),
            "niveau": np.full(n, niveau, dtype=object),
            "_pos": pos,
        }
    )


def tabelbevinding(inv: Ingelezen, *, veld: str, waarde: str, regel: str, melding: str, niveau: Niveau) -> pd.DataFrame:
    """A finding about the table as a whole (no row: ``rij`` is missing, ``_pos`` = -1)."""
    if regel not in REGELS:
        raise ValueError(f"onbekende regel {regel!r}; verwacht een van: {', '.join(REGELS)}")
    return pd.DataFrame(
        {
            "tabel": [inv.tabel], "bestand": [inv.bestand], "rij": pd.array([pd.NA], dtype="Int64"),
            "veld": [veld], "waarde": [kort(waarde)], "regel": [regel], "melding": list(kort_melding(np.array([melding], dtype=object))),
            "niveau": [niveau],
            "_pos": np.array([-1], dtype=np.int64),
        }
    )


def leeg() -> pd.DataFrame:
    """An empty findings frame with the right columns and dtypes."""
    df = pd.DataFrame({k: pd.Series(dtype=object) for k in KOLOMMEN})
    df["rij"] = pd.array([], dtype="Int64")
    df["_pos"] = pd.Series(dtype=np.int64)
    return df


def samen(delen: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate findings, keeping dtypes for the empty case."""
    delen = [d for d in delen if len(d)]
    if not delen:
        return leeg()
    out = pd.concat(delen, ignore_index=True)
    out["rij"] = out["rij"].astype("Int64")
    return out


def citeer(x: pd.Series | np.ndarray) -> pd.Series:
    """Quote text values for messages: ``'waarde'`` (object dtype; long values cut, see :func:`kort`)."""
    return pd.Series(np.array(["'" + kort(v) + "'" for v in np.asarray(x, dtype=object)], dtype=object), dtype=object)


def datumtekst(x: pd.Series | np.ndarray) -> pd.Series:
    """Dates as ``jjjj-mm-dd`` for messages (``leeg`` for NaT); object dtype."""
    s = pd.Series(pd.to_datetime(np.asarray(x)))
    return pd.Series(s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), "leeg").to_numpy(dtype=object), dtype=object)


def kort_melding(x: np.ndarray) -> np.ndarray:
    """Cut every run of more than :data:`~evaluatie.lezen.MAX_TEKENS` non-blank characters in messages."""
    x = np.asarray(x, dtype=object)
    lang = np.fromiter((isinstance(v, str) and len(v) > 2 * MAX_TEKENS for v in x), dtype=bool, count=len(x))
    if not lang.any():
        return x
    x = x.copy()
    for i in np.flatnonzero(lang):
        x[i] = _LANG.sub(lambda m: kort(m.group()), x[i])
        x[i] = kort(x[i], 20 * MAX_TEKENS) if len(x[i]) > 20 * MAX_TEKENS else x[i]
    return x
