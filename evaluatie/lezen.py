"""Reading client-level exports (CSV, Excel, Parquet) as they arrive, for validation.

Values are read **as text** (CSV, Excel) so that the validator can say exactly which value was wrong;
Parquet columns are taken with their stored types. Each table keeps the row number as the user sees it
in the file: for CSV and Excel the header is row 1 and the first data row is row 2 (a quoted value with a
line break counts as one row, as in a spreadsheet); for Parquet the 1-based record index.

CSV: the separator (``,``, ``;`` or tab) is sniffed from the header line; a ``;`` file uses the decimal
comma (``1.234,5``). Encoding: UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (Windows/Excel).
Every physical line is accounted for: rows with too few or too many fields are kept (and rejected by
the validator), never dropped; a quote that opens a value but is not closed (within
:data:`MAX_REGELS_IN_WAARDE` lines, with the header's number of fields) makes only its own line a broken
row, never swallows the lines after it; completely empty (or blank) lines are skipped, counted in the
row numbers and reported. Values in messages are cut to :data:`MAX_TEKENS` characters (:func:`kort`).

A file that cannot be read as a table at all raises :class:`Invoerfout` naming the file and what was
expected; a command turns that into a message and exit code 2.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.schema import TABELLEN, load_schema

EXTENSIES: tuple[str, ...] = (".csv", ".parquet", ".xlsx")
"""File extensions recognised as a table, in order of preference in messages."""

SCHEIDINGSTEKENS: dict[str, str] = {";": "puntkomma", ",": "komma", "\t": "tab"}

MAX_TEKENS = 60
"""Longest value shown in a message; longer values are cut (see :func:`kort`)."""

MAX_REGELS_IN_WAARDE = 50
"""Most physical lines one quoted CSV value may span before its opening quote counts as unclosed."""

_REGELEINDE = re.compile(r"\r\n|\n|\r")
_STUURTEKEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    regel : ndarray of int64 or None
        CSV: physical line (header = line 1) on which each row starts; differs from ``rij`` only after a
        quoted value with a line break. None: same as ``rij``.
    spanne : ndarray of int64 or None
        CSV: number of physical lines of each row (1 unless a quoted value holds a line break).
    lege_regels : tuple of int
        Physical lines (CSV) or sheet rows (Excel) that were empty (or blank) and skipped.
    n_regels : int or None
        Physical data lines (CSV) or sheet rows after the header (Excel): ``spanne.sum() +
        len(lege_regels)``; every one is accounted for.
    opmerkingen : tuple of (regel, melding)
        Table-level notes from reading (skipped empty lines, other sheets of a workbook), reported as
        warnings by the validator.
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
    regel: np.ndarray | None = None
    spanne: np.ndarray | None = None
    lege_regels: tuple[int, ...] = ()
    n_regels: int | None = None
    opmerkingen: tuple[tuple[str, str], ...] = ()

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
    n_nul = raw.count(b"\x00")
    if n_nul > max(8, len(raw) // 100):
        raise Invoerfout(bestand, f"bestand bevat {n_nul} nul-bytes: geen tekstbestand (UTF-16 zonder BOM of binair?); "
                                  "verwacht CSV in UTF-8 of Windows-1252")
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
            f"kopregel {kort(kopregel, 80)!r} bevat geen scheidingsteken: het bestand zou maar één kolom hebben; "
            f"verwacht kolommen gescheiden door ',' of ';'{verwacht}",
        )
    return sep


def kort(waarde: object, maximum: int = MAX_TEKENS) -> str:
    """A value as text for a message, cut to ``maximum`` characters with its full length added.

    Parameters
    ----------
    waarde : object
        Any value; rendered with ``str``.
    maximum : int
        Longest text shown.

    Returns
    -------
    str
        ``waarde`` itself when short enough, else its first ``maximum`` characters + ``"…(N tekens)"``.
        Control characters (NUL, tab, line breaks) are shown as ``\\x00``-style escapes.
    """
    t = str(waarde)
    if len(t) > maximum:
        t = f"{t[:maximum]}…({len(t)} tekens)"
    if _STUURTEKEN.search(t):
        t = _STUURTEKEN.sub(lambda m: repr(m.group())[1:-1], t)
    return t


def _velden(regel: str, sep: str, n: int) -> list[str]:
    """Best-effort split of one record into ``n`` fields (padded or cut)."""
    try:
        waarden = next(csv.reader([regel], delimiter=sep), [])
    except csv.Error:
        waarden = regel.split(sep)
    return (waarden + [""] * n)[:n]


def _aantal_velden(regel: str, sep: str) -> int | None:
    """Number of fields of one record, or None when a quote opened at a field start is not closed."""
    try:
        return len(next(csv.reader([regel], delimiter=sep, strict=True), []))
    except csv.Error:
        return None


def _records(regels: list[str], sep: str, n_kop: int) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Group the physical data lines into records.

    A line with an odd number of quote characters opens a quoted value that may run over line breaks.
    It is joined with the next lines (at most :data:`MAX_REGELS_IN_WAARDE`) only when that closes the
    quote and gives exactly the header's number of fields; otherwise the line alone is a broken record
    (unclosed quote) and reading goes on with the next line, so one stray quote never swallows the
    rest of the file.

    Returns
    -------
    (ndarray, ndarray, dict)
        Per record the first and last index into ``regels`` (0 = header), and per record position the
        reason it is broken.
    """
    n = len(regels)
    oneven = [i for i in range(1, n) if '"' in regels[i] and regels[i].count('"') % 2]
    if not oneven:
        r = np.arange(1, n, dtype=np.int64)
        return r, r.copy(), {}
    is_oneven = np.zeros(n, dtype=bool)
    is_oneven[oneven] = True
    eerste: list[int] = []
    laatste: list[int] = []
    kapot: dict[int, str] = {}
    i = 1
    for o in oneven:
        if o < i:
            continue  # inside a value that spans lines
        eerste.extend(range(i, o))
        laatste.extend(range(i, o))
        i = o
        if _aantal_velden(regels[i], sep) is not None:  # a quote inside a value, not opening one
            eerste.append(i)
            laatste.append(i)
            i += 1
            continue
        j, open_ = i, True
        while open_ and j + 1 < n and j - i < MAX_REGELS_IN_WAARDE:
            j += 1
            if is_oneven[j]:
                open_ = not open_
        if not open_ and _aantal_velden("\n".join(regels[i : j + 1]), sep) == n_kop:
            eerste.append(i)
            laatste.append(j)
            i = j + 1
            continue
        kapot[len(eerste)] = (
            f"aanhalingsteken (\") geopend in regel {i + 1} wordt niet gesloten; de regel is afgekeurd en de regels "
            f"erna zijn elk als eigen rij gelezen; verwacht een gesloten aanhalingsteken of geen: {kort(regels[i])!r}"
        )
        eerste.append(i)
        laatste.append(i)
        i += 1
    eerste.extend(range(i, n))
    laatste.extend(range(i, n))
    return np.array(eerste, dtype=np.int64), np.array(laatste, dtype=np.int64), kapot


def lees_csv(pad: str | Path, tabel: str | None = None) -> Ingelezen:
    """Read a CSV export as text.

    Every physical line after the header is accounted for: it belongs to one row (a quoted value may span
    lines), is an empty line (skipped, listed in :attr:`Ingelezen.lege_regels`), or is part of a broken
    row (wrong number of fields, unclosed quote) that is kept in :attr:`Ingelezen.kapot` with its reason.

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
        Empty file, unreadable encoding, binary content, no separator in the header, or an unparseable structure.
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
    regels = _REGELEINDE.split(tekst)
    if regels and regels[-1] == "":
        regels.pop()  # the newline after the last line ends that line; it starts no new one
    kopregel = regels[0]
    if not kopregel.strip():
        raise Invoerfout(bestand, "eerste regel is leeg; verwacht de kopregel met kolomnamen in rij 1")
    sep = _snuffel(kopregel, bestand, tabel if tabel in TABELLEN else None)
    n_kop = _aantal_velden(kopregel, sep)
    if n_kop is None:
        raise Invoerfout(bestand, f"kopregel {kort(kopregel, 80)!r} bevat een aanhalingsteken dat niet gesloten wordt; "
                                  "verwacht kolomnamen zonder of met gesloten aanhalingstekens")
    kop = _velden(kopregel, sep, n_kop)
    eerste, laatste, kwoot = _records(regels, sep, n_kop)
    n_rec = len(eerste)

    def records(k: int) -> tuple[int, int]:
        return int(eerste[k]), int(laatste[k])

    blank = np.array([not r.strip() for r in regels], dtype=bool)
    leeg_rec = blank[eerste] & (eerste == laatste)
    is_kwoot = np.zeros(n_rec, dtype=bool)
    if kwoot:
        is_kwoot[list(kwoot)] = True
        leeg_rec[is_kwoot] = False
    goed = np.flatnonzero(~leeg_rec & ~is_kwoot)

    veldfout: list[tuple[int, int, int, str]] = []

    def _handler(row: Any) -> str:
        veldfout.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    if len(goed) == n_rec and (eerste == laatste).all():
        invoer = "\n".join(regels)  # nothing left out
    else:
        stukken = [kopregel]
        stukken.extend(regels[a] if a == b else "\n".join(regels[a : b + 1]) for a, b in (records(k) for k in goed))
        invoer = "\n".join(stukken)
    try:
        tbl = pacsv.read_csv(
            io.BytesIO((invoer + "\n").encode("utf-8")),
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
        raise Invoerfout(bestand, f"kan CSV niet ontleden (scheidingsteken {sep!r}): {kort(e, 200)}") from None
    if any(n is None for n, *_ in veldfout) or tbl.num_rows + len(veldfout) != len(goed) + 1:
        # should not happen (every record handed over is quote-consistent); read record by record instead
        veldfout, rijen = [], []
        for k in goed:
            a, b = records(k)
            w = next(csv.reader(["\n".join(regels[a : b + 1])], delimiter=sep), [])
            if len(w) == n_kop:
                rijen.append(w)
            else:
                veldfout.append((len(rijen) + len(veldfout) + 2, n_kop, len(w), "\n".join(regels[a : b + 1])))
        geparsed = pd.DataFrame(rijen, columns=[f"f{i}" for i in range(n_kop)], dtype=object)
    else:
        geparsed = tbl.to_pandas(types_mapper=_arrow_tekst).iloc[1:].reset_index(drop=True)
    # pyarrow record number r (header = 1) is good record goed[r - 2]
    houd_goed = np.ones(len(goed), dtype=bool)
    houd_goed[[n - 2 for n, *_ in veldfout]] = False
    ok_pos = goed[houd_goed]
    kapot_pos = {int(goed[n - 2]): (v, g, r) for n, v, g, r in veldfout}
    rest = sorted(list(kapot_pos) + list(kwoot))
    delen = [geparsed]
    if rest:
        waarden = []
        for k in rest:
            a, b = records(k)
            waarden.append(_velden("\n".join(regels[a : b + 1]), sep, n_kop))
        delen.append(pd.DataFrame(waarden, columns=geparsed.columns, dtype=object))
    data = pd.concat(delen, ignore_index=True) if rest else geparsed
    pos_rec = np.concatenate([ok_pos, np.array(rest, dtype=np.int64)])
    if rest:
        order = np.argsort(pos_rec, kind="stable")
        data = data.iloc[order].reset_index(drop=True)
        pos_rec = pos_rec[order]
    kapot: dict[int, str] = {}
    for p, k in enumerate(pos_rec.tolist()):
        if k in kwoot:
            kapot[p] = kwoot[k]
        elif k in kapot_pos:
            v, g, r = kapot_pos[k]
            kapot[p] = f"rij heeft {g} velden, verwacht {v} (zoals de kopregel): {kort(r)!r}"
    data.columns = kop
    # a row whose fields are all empty (",,,") is an empty line too
    if len(data):
        alles_leeg = np.ones(len(data), dtype=bool)
        for i in range(data.shape[1]):  # by position: the header may name a column twice (refused below)
            alles_leeg &= (data.iloc[:, i] == "").to_numpy(dtype=bool, na_value=True)
        if kapot:
            alles_leeg[list(kapot)] = False
        if alles_leeg.any():
            leeg_rec[pos_rec[alles_leeg]] = True
            houd = np.flatnonzero(~alles_leeg)
            kapot = {int(np.searchsorted(houd, p)): r for p, r in kapot.items()}
            data = data.iloc[houd].reset_index(drop=True)
            pos_rec = pos_rec[houd]
    data = schoon_kolomnamen(data, bestand)
    lege = tuple(int(x) for x in eerste[leeg_rec] + 1)
    opm: list[tuple[str, str]] = []
    if lege:
        opm.append(("lege_regel", f"{len(lege)} lege regel(s) overgeslagen (regel {_reeks(lege)}); "
                                  "verwacht geen lege regels tussen of na de rijen"))
    return Ingelezen(
        tabel=tabel,
        bestand=bestand,
        pad=pad,
        data=data,
        rij=pos_rec + 2,
        decimaal="," if sep == ";" else ".",
        kapot=kapot,
        codering=codering,
        scheidingsteken=sep,
        regel=eerste[pos_rec] + 1,
        spanne=laatste[pos_rec] - eerste[pos_rec] + 1,
        lege_regels=lege,
        n_regels=len(regels) - 1,
        opmerkingen=tuple(opm),
    )


def _reeks(nummers: tuple[int, ...] | list[int], maximum: int = 10) -> str:
    """``2, 5, 9`` — at most ``maximum`` numbers, then ``… (N in totaal)``."""
    nummers = list(nummers)
    t = ", ".join(map(str, nummers[:maximum]))
    return t + (f", … ({len(nummers)} in totaal)" if len(nummers) > maximum else "")


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
                bestand, f"kolom {kort(naam)!r} staat twee keer in de kopregel (kolom {gezien[naam] + 1} en {i + 1}); verwacht unieke kolomnamen"
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
        bladen = list(wb.sheetnames)
        if not bladen:
            raise Invoerfout(bestand, "werkmap zonder werkbladen; verwacht een werkblad met een kopregel en rijen")
        ws = wb[tabel] if tabel in bladen else wb.worksheets[0]
        rijen = list(ws.iter_rows(values_only=True))
    except Invoerfout:
        raise
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds on damaged sheets
        raise Invoerfout(bestand, f"werkblad niet leesbaar: {type(e).__name__}: {kort(e, 200)}") from None
    finally:
        wb.close()
    opm: list[tuple[str, str]] = []
    if len(bladen) > 1:
        andere = [b for b in bladen if b != ws.title]
        opm.append(("werkblad", f"werkmap heeft {len(bladen)} werkbladen ({', '.join(map(repr, bladen))}); alleen "
                                f"{ws.title!r} is gelezen, genegeerd: {', '.join(map(repr, andere))}; verwacht één "
                                f"werkblad per tabel (of een werkblad met de naam {tabel!r})"))
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
    n_regels = len(data)
    lege: tuple[int, ...] = ()
    if len(data):
        leeg = np.array((data == "").all(axis=1).to_numpy(), dtype=bool)
        lege = tuple(int(x) for x in rij[leeg])
        data = data.loc[~leeg].reset_index(drop=True)
        rij = rij[~leeg]
    data.columns = kop
    data = schoon_kolomnamen(data, bestand)
    return Ingelezen(tabel=tabel, bestand=bestand, pad=pad, data=data, rij=rij, decimaal=".", lege_regels=lege,
                     n_regels=n_regels, spanne=np.ones(len(data), dtype=np.int64), regel=rij.copy(),
                     opmerkingen=tuple(opm))


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
        if data[k].dtype == object:
            data[k] = _gewone_waarden(data[k])
    data = schoon_kolomnamen(data, bestand)
    return Ingelezen(
        tabel=tabel or pad.stem, bestand=bestand, pad=pad, data=data, rij=np.arange(1, len(data) + 1, dtype=np.int64),
        regel=np.arange(1, len(data) + 1, dtype=np.int64), spanne=np.ones(len(data), dtype=np.int64), n_regels=len(data),
    )


_GEWOON = (str, bool, int, float, _dt.date, np.generic)


def _gewone_waarden(s: pd.Series) -> pd.Series:
    """Object column from Parquet: bytes decoded (UTF-8, else shown escaped), nested values (lists, structs,
    maps) rendered as text, so every later rule sees a plain scalar."""
    def gewoon(v: Any) -> Any:
        if v is None or isinstance(v, _GEWOON):
            return v
        if isinstance(v, (bytes, bytearray, memoryview)):
            b = bytes(v)
            try:
                return b.decode("utf-8")
            except UnicodeDecodeError:
                return repr(b)
        return str(v if not isinstance(v, np.ndarray) else v.tolist())

    if s.map(lambda v: v is None or isinstance(v, _GEWOON)).all():
        return s
    return s.map(gewoon).astype(object)


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
