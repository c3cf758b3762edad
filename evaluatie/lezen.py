"""Reading client-level exports (CSV, Excel, Parquet) as they arrive, for validation.

Values are read **as text** (CSV, Excel) so that the validator can say exactly which value was wrong;
Parquet columns are taken with their stored types. Each table keeps the row number as the user sees it
in the file: for CSV and Excel the header is row 1 and the first data row is row 2 (a quoted value with a
line break counts as one row, as in a spreadsheet); for Parquet the 1-based record index.

CSV: the separator (``,``, ``;`` or tab) is sniffed from the header line; a ``;`` file uses the decimal
comma (``1.234,5``). Encoding: UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (Windows/Excel).
Rows with too few or too many fields are kept (and rejected by the validator), never dropped; completely
empty lines are skipped but still counted in the row numbers.

A file that cannot be read as a table at all raises :class:`Invoerfout` naming the file and what was
expected; a command turns that into a message and exit code 2.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.schema import TABELLEN, load_schema

EXTENSIES: tuple[str, ...] = (".csv", ".parquet", ".xlsx")
"""File extensions recognised as a table, in order of preference in messages."""

SCHEIDINGSTEKENS: dict[str, str] = {";": "puntkomma", ",": "komma", "\t": "tab"}


class Invoerfout(ValueError):
    """A file (or directory) cannot be read as the expected table.

    Parameters
    ----------
    bestand : str
        The file (or directory) concerned, as the user named it.
    melding : str
        What is wrong and what was expected (Dutch).
    """

    def __init__(self, bestand: str | Path, melding: str) -> None:
        self.bestand = str(bestand)
        self.melding = melding
        super().__init__(f"{self.bestand}: {melding}")


@dataclass(frozen=True)
class Ingelezen:
    """One table as read from a file, before validation.

    Attributes
    ----------
    tabel : str
        Table name (schema name).
    bestand : str
        File name as shown in messages (``clienten.csv``).
    pad : Path or None
        Full path of the file (None for in-memory frames).
    data : DataFrame
        The rows, RangeIndex. CSV: every column text (``string[pyarrow]``, "" = empty); Excel: ``object`` str.
        Parquet / in-memory: the stored dtypes (text as ``string[pyarrow]``).
    rij : ndarray of int64
        Row number per row of ``data`` as the user sees it in the file.
    decimaal : str
        Decimal separator of numbers held as text (``","`` for ``;``-separated CSV, else ``"."``).
    kapot : dict[int, str]
        Positions in ``data`` of rows that could not be split into the header's fields, with the reason;
        their values in ``data`` are a best-effort split.
    codering, scheidingsteken : str or None
        Encoding and separator found (CSV only).
    """

    tabel: str
    bestand: str
    pad: Path | None
    data: pd.DataFrame
    rij: np.ndarray
    decimaal: str = "."
    kapot: dict[int, str] = field(default_factory=dict)
    codering: str | None = None
    scheidingsteken: str | None = None

    @property
    def n(self) -> int:
        """Number of data rows read."""
        return len(self.data)


def _arrow_tekst(t: Any) -> pd.StringDtype | None:
    """pyarrow → pandas type mapping: keep text Arrow-backed (fast string kernels, less memory)."""
    import pyarrow as pa

    return pd.StringDtype("pyarrow") if pa.types.is_string(t) or pa.types.is_large_string(t) else None


# ----------------------------------------------------------------------------------------------- CSV
def _decodeer(raw: bytes, bestand: str) -> tuple[str, str]:
    """Decode bytes: UTF-8 (BOM optional), UTF-16 with BOM, else cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise Invoerfout(bestand, f"bestand begint met een UTF-8-BOM maar byte {e.start} is geen geldige UTF-8") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise Invoerfout(bestand, "bestand begint met een UTF-16-BOM maar is geen geldige UTF-16") from None
    if b"\x00" in raw[:4096]:
        raise Invoerfout(bestand, "bestand bevat nul-bytes: geen tekstbestand (verwacht CSV in UTF-8 of Windows-1252)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as e:
        raise Invoerfout(
            bestand,
            f"onleesbare tekencodering: byte 0x{raw[e.start]:02x} op positie {e.start} is geen UTF-8 en geen "
            "Windows-1252; sla het bestand op als CSV UTF-8",
        ) from None


def _snuffel(kopregel: str, bestand: str, tabel: str | None) -> str:
    """Pick the separator that occurs most often in the header line."""
    tellingen = {sep: kopregel.count(sep) for sep in SCHEIDINGSTEKENS}
    sep = max(tellingen, key=lambda s: tellingen[s])
    if tellingen[sep] == 0:
        verwacht = ""
        if tabel is not None:
            verwacht = f" (verwacht kolommen {', '.join(load_schema(tabel).field_names)})"
        raise Invoerfout(
            bestand,
            f"kopregel {kopregel[:80]!r} bevat geen scheidingsteken: het bestand zou maar één kolom hebben; "
            f"verwacht kolommen gescheiden door ',' of ';'{verwacht}",
        )
    return sep


def lees_csv(pad: str | Path, tabel: str | None = None) -> Ingelezen:
    """Read a CSV export as text.

    Parameters
    ----------
    pad : path
        The CSV file.
    tabel : str, optional
        Schema table name; defaults to the file stem.

    Returns
    -------
    Ingelezen

    Raises
    ------
    Invoerfout
        Empty file, unreadable encoding, no separator in the header, or an unparseable structure.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pad = Path(pad)
    bestand = pad.name
    tabel = tabel or pad.stem
    try:
        raw = pad.read_bytes()
    except OSError as e:
        raise Invoerfout(bestand, f"kan bestand niet lezen: {e.strerror}") from None
    tekst, codering = _decodeer(raw, bestand)
    if not tekst.strip():
        raise Invoerfout(bestand, "leeg bestand; verwacht een kopregel met kolomnamen en daaronder rijen")
    kopregel = tekst.splitlines()[0]
    if not kopregel.strip():
        raise Invoerfout(bestand, "eerste regel is leeg; verwacht de kopregel met kolomnamen in rij 1")
    sep = _snuffel(kopregel, bestand, tabel if tabel in TABELLEN else None)

    kapot_rijen: list[tuple[int, int, int, str]] = []

    def _handler(row: Any) -> str:
        kapot_rijen.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    n_kop = len(next(csv.reader([kopregel], delimiter=sep)))
    try:
        tbl = pacsv.read_csv(
            io.BytesIO(tekst.encode("utf-8")),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=_handler
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(n_kop)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError) as e:
        raise Invoerfout(bestand, f"kan CSV niet ontleden (scheidingsteken {sep!r}): {e}") from None
    alles = tbl.to_pandas(types_mapper=_arrow_tekst)
    kop = [str(k) for k in alles.iloc[0].tolist()]
    data = alles.iloc[1:].reset_index(drop=True)
    # record numbers: records 1..N (header = 1) minus the ones the handler skipped
    n_rec = len(alles) + len(kapot_rijen)
    slecht = np.array(sorted(r[0] for r in kapot_rijen), dtype=np.int64)
    alle = np.arange(1, n_rec + 1, dtype=np.int64)
    rij = np.setdiff1d(alle, slecht)[1:]
    kapot: dict[int, str] = {}
    if kapot_rijen:
        extra = []
        for nummer, verwacht, gekregen, regel in kapot_rijen:
            waarden = next(csv.reader([regel or ""], delimiter=sep), [])
            waarden = (waarden + [""] * n_kop)[:n_kop]
            extra.append((nummer, waarden, f"rij heeft {gekregen} velden, verwacht {verwacht} (zoals de kopregel): {regel!r}"))
        extra_df = pd.DataFrame([w for _, w, _ in extra], columns=data.columns, dtype=object)
        data = pd.concat([data, extra_df], ignore_index=True)
        rij = np.concatenate([rij, np.array([n for n, _, _ in extra], dtype=np.int64)])
        order = np.argsort(rij, kind="stable")
        data = data.iloc[order].reset_index(drop=True)
        rij = rij[order]
        reden_per_rij = {n: r for n, _, r in extra}
        kapot = {int(p): reden_per_rij[int(rij[p])] for p in np.flatnonzero(np.isin(rij, slecht))}
    data.columns = kop
    # completely empty lines are not rows (but keep their numbers out of the sequence)
    if len(data):
        leeg = (data == "").all(axis=1).to_numpy()
        if kapot:
            leeg[list(kapot)] = False
        if leeg.any():
            houd = np.flatnonzero(~leeg)
            nieuw = {int(np.searchsorted(houd, p)): r for p, r in kapot.items()}
            data = data.iloc[houd].reset_index(drop=True)
            rij = rij[houd]
            kapot = nieuw
    data = schoon_kolomnamen(data, bestand)
    return Ingelezen(
        tabel=tabel,
        bestand=bestand,
        pad=pad,
        data=data,
        rij=rij,
        decimaal="," if sep == ";" else ".",
        kapot=kapot,
        codering=codering,
        scheidingsteken=sep,
    )


def schoon_kolomnamen(data: pd.DataFrame, bestand: str) -> pd.DataFrame:
    """Strip header names; drop nameless empty columns (trailing separators); refuse duplicates."""
    namen = [str(k).strip().lstrip("\ufeff") for k in data.columns]
    houd = []
    for i, naam in enumerate(namen):
        if naam == "":
            kol = data.iloc[:, i]
            if (kol.isna() | (kol.astype(str).str.strip() == "")).all():
                continue  # trailing separator: nameless, empty column
            namen[i] = f"(kolom {i + 1} zonder naam)"
        houd.append(i)
    data = data.iloc[:, houd].copy()
    namen = [namen[i] for i in houd]
    gezien: dict[str, int] = {}
    for i, naam in enumerate(namen):
        if naam in gezien:
            raise Invoerfout(
                bestand, f"kolom {naam!r} staat twee keer in de kopregel (kolom {gezien[naam] + 1} en {i + 1}); verwacht unieke kolomnamen"
            )
        gezien[naam] = i
    data.columns = namen
    return data


# --------------------------------------------------------------------------------------------- Excel
def _cel_tekst(v: Any, is_datum: bool) -> str:
    """Render one Excel cell value as the text a user would see (ISO dates, integral floats as ints)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == _dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, (int, float)):
        if is_datum and 1 <= v < 2958466:  # Excel serial day number (1900 date system)
            return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(v))).strftime("%Y-%m-%d")
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return repr(v) if isinstance(v, float) else str(v)
    return str(v)


def lees_xlsx(pad: str | Path, tabel: str | None = None) -> Ingelezen:
    """Read an Excel workbook (``.xlsx``) as text.

    The sheet named after the table is used if present, else the first sheet. The first non-empty row
    is the header; row numbers are the sheet's own row numbers. Date cells become ``jjjj-mm-dd``; in a
    date column a plain number is read as an Excel serial date.

    Raises
    ------
    Invoerfout
        Not a readable workbook, or no header row.
    """
    import openpyxl

    pad = Path(pad)
    bestand = pad.name
    tabel = tabel or pad.stem
    try:
        wb = openpyxl.load_workbook(pad, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds
        raise Invoerfout(bestand, f"geen leesbaar Excel-bestand (.xlsx): {type(e).__name__}: {e}") from None
    try:
        ws = wb[tabel] if tabel in wb.sheetnames else wb.worksheets[0]
        rijen = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    start = next((i for i, r in enumerate(rijen) if any(c is not None and str(c).strip() != "" for c in r)), None)
    if start is None:
        raise Invoerfout(bestand, "leeg werkblad; verwacht een kopregel met kolomnamen en daaronder rijen")
    kop = ["" if c is None else str(c) for c in rijen[start]]
    datumvelden: set[str] = set()
    if tabel in TABELLEN:
        datumvelden = {f.name for f in load_schema(tabel).fields if f.type == "date"}
    breedte = len(kop)
    lichaam = rijen[start + 1 :]
    if any(len(r) > breedte for r in lichaam):
        breedte = max(len(r) for r in lichaam)
        kop += [""] * (breedte - len(kop))
    is_datum = [k.strip() in datumvelden for k in kop]
    waarden = [[_cel_tekst(c, is_datum[j]) for j, c in enumerate(tuple(r) + (None,) * (breedte - len(r)))] for r in lichaam]
    data = pd.DataFrame(waarden, columns=range(breedte), dtype=object)
    rij = np.arange(start + 2, start + 2 + len(data), dtype=np.int64)
    if len(data):
        leeg = (data == "").all(axis=1).to_numpy()
        data = data.loc[~leeg].reset_index(drop=True)
        rij = rij[~leeg]
    data.columns = kop
    data = schoon_kolomnamen(data, bestand)
    return Ingelezen(tabel=tabel, bestand=bestand, pad=pad, data=data, rij=rij, decimaal=".")


# ------------------------------------------------------------------------------------------- Parquet
def lees_parquet(pad: str | Path, tabel: str | None = None) -> Ingelezen:
    """Read a Parquet file with its stored column types; row numbers are the 1-based record index."""
    pad = Path(pad)
    bestand = pad.name
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(pad).to_pandas(types_mapper=_arrow_tekst)
    except Exception as e:  # noqa: BLE001 - pyarrow raises many kinds
        raise Invoerfout(bestand, f"geen leesbaar Parquet-bestand: {type(e).__name__}: {e}") from None
    data = data.reset_index(drop=True)
    for k in data.columns:
        if isinstance(data[k].dtype, pd.CategoricalDtype):
            data[k] = data[k].astype(object)
    data = schoon_kolomnamen(data, bestand)
    return Ingelezen(
        tabel=tabel or pad.stem, bestand=bestand, pad=pad, data=data, rij=np.arange(1, len(data) + 1, dtype=np.int64)
    )


def lees_tabel(pad: str | Path, tabel: str | None = None) -> Ingelezen:
    """Read one table file by extension (``.csv``, ``.parquet``, ``.xlsx``).

    Raises
    ------
    Invoerfout
        Unknown extension or unreadable file.
    """
    pad = Path(pad)
    ext = pad.suffix.lower()
    if ext == ".csv":
        return lees_csv(pad, tabel)
    if ext == ".parquet":
        return lees_parquet(pad, tabel)
    if ext == ".xlsx":
        return lees_xlsx(pad, tabel)
    raise Invoerfout(pad.name, f"onbekend bestandstype {ext!r}; verwacht een van: {', '.join(EXTENSIES)}")


def zoek_bestanden(map: str | Path) -> dict[str, Path]:
    """Find ``<tabel>.csv|.parquet|.xlsx`` per schema table in a directory.

    Raises
    ------
    Invoerfout
        The directory does not exist, or one table is present in more than one format.
    """
    map = Path(map)
    if not map.is_dir():
        raise Invoerfout(map, "map bestaat niet of is geen map; verwacht een map met <tabel>.csv|.parquet|.xlsx")
    gevonden: dict[str, list[Path]] = {}
    for p in sorted(map.iterdir()):
        if p.is_file() and p.suffix.lower() in EXTENSIES and p.stem in TABELLEN and not p.name.startswith("~$"):
            gevonden.setdefault(p.stem, []).append(p)
    out = {}
    for tabel, paden in gevonden.items():
        if len(paden) > 1:
            raise Invoerfout(
                map, f"tabel {tabel!r} staat in meer dan één bestand ({', '.join(p.name for p in paden)}); verwacht er één"
            )
        out[tabel] = paden[0]
    return out


def onbekende_bestanden(map: str | Path) -> list[Path]:
    """Table-like files (csv/parquet/xlsx) in ``map`` whose name matches no schema table."""
    map = Path(map)
    return [
        p
        for p in sorted(map.iterdir())
        if p.is_file() and p.suffix.lower() in EXTENSIES and p.stem not in TABELLEN and not p.name.startswith("~$")
    ]


def _datum_arg(waarde: Any, bestand: str, veld: str) -> pd.Timestamp:
    from evaluatie.periode import datum

    return datum(waarde, bestand, veld)


def lees_metadata(map: str | Path) -> dict[str, Any]:
    """Read ``metadata.json`` (optional) from an input directory.

    Returns
    -------
    dict
        ``{"peildatum": Timestamp | None, "waarnemingsperiode": (start, eind) | None}``.

    Raises
    ------
    Invoerfout
        Invalid JSON or invalid dates.
    """
    pad = Path(map) / "metadata.json"
    out: dict[str, Any] = {"peildatum": None, "waarnemingsperiode": None}
    if not pad.is_file():
        return out
    try:
        meta = json.loads(pad.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Invoerfout(pad.name, f"geen geldige JSON: {e}") from None
    if not isinstance(meta, dict):
        raise Invoerfout(pad.name, "verwacht een JSON-object met peildatum en waarnemingsperiode")
    if meta.get("peildatum") is not None:
        out["peildatum"] = _datum_arg(meta["peildatum"], pad.name, "peildatum")
    wp = meta.get("waarnemingsperiode")
    if wp is not None:
        out["waarnemingsperiode"] = normaliseer_periode(wp, pad.name)
    return out


def normaliseer_periode(wp: Any, bron: str = "waarnemingsperiode") -> tuple[pd.Timestamp, pd.Timestamp]:
    """Turn ``{"start": .., "eind": ..}`` or ``(start, eind)`` into two Timestamps, start <= eind."""
    from evaluatie.periode import lees_periode

    return lees_periode(wp, bron)


def normaliseer_peildatum(p: Any, bron: str = "peildatum") -> pd.Timestamp | None:
    """Turn a peildatum argument (str, date, Timestamp or None) into a Timestamp or None."""
    return None if p is None else _datum_arg(p, bron, "peildatum")
