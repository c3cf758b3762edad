"""Turning read values into the typed contract, column at a time (no loops over rows).

Each ``parse_*`` function takes one column as read (text, or a typed Parquet / in-memory column) and
returns the typed column plus a boolean mask of values that were present but could not be converted.
"Missing" follows the schema's ``missingValues`` (``[""]``): an empty or blank cell, or a null.

Accepted forms
--------------
- date: ``jjjj-mm-dd``, ``dd-mm-jjjj``, ``dd/mm/jjjj`` (day and month may lack the leading zero), an
  optional midnight time (``2019-01-31 00:00:00``), and typed dates/datetimes. Two-digit years are refused.
- boolean: true/false, ja/nee, j/n, 1/0, waar/onwaar, yes/no (case-insensitive), typed bools, 0/1 numbers.
- integer / number: plain numbers; with decimal comma (``;``-files) ``1.234,5`` and ``12,5``; an integer
  must be integral (``1990.0`` is 1990).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

WAAR_ONWAAR: dict[str, bool] = {
    "true": True, "false": False, "ja": True, "nee": False, "j": True, "n": False, "1": True, "0": False,
    "waar": True, "onwaar": False, "yes": True, "no": False, "y": True, "t": True, "f": False,
}
"""Text accepted as a boolean (lower case)."""

VERWACHT: dict[str, str] = {
    "date": "een datum jjjj-mm-dd of dd-mm-jjjj",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "ja/nee (true/false, ja/nee, j/n, 1/0, waar/onwaar)",
    "string": "tekst",
}
"""What each schema type expects, for messages (Dutch)."""

_MIDDERNACHT = r"[ T]00:00(:00(\.0+)?)?$"

DATUM_MIN = pd.Timestamp("1900-01-01")
"""Earliest date accepted in any date field (earlier dates are typing errors or placeholders)."""
DATUM_MAX = pd.Timestamp("2100-12-31")
"""Latest date accepted (``9999-12-31`` "open end" placeholders are rejected with a clear message)."""


@dataclass(frozen=True)
class Geparsed:
    """One parsed column.

    Attributes
    ----------
    waarde : Series
        Typed values (NA where missing or invalid), same index as the input.
    ontbreekt : ndarray of bool
        Value missing (empty / null).
    ongeldig : ndarray of bool
        Value present but not of the field's type.
    """

    waarde: pd.Series
    ontbreekt: np.ndarray
    ongeldig: np.ndarray
    buiten: np.ndarray | None = None
    """Dates only: a real date, but outside :data:`DATUM_MIN` .. :data:`DATUM_MAX` (also in ``ongeldig``)."""


def tekst(s: pd.Series) -> pd.Series:
    """Column as stripped Arrow-backed text (``string[pyarrow]``), NA for nulls.

    Typed values are rendered as a user sees them (ISO dates, ``true``/``false``, integral floats
    without ``.0``). Arrow string kernels keep this fast on millions of rows.
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        t = s.dt.strftime("%Y-%m-%d")
    elif pd.api.types.is_bool_dtype(s.dtype):
        t = s.map({True: "true", False: "false"})
    elif pd.api.types.is_float_dtype(s.dtype):
        x = s.to_numpy(dtype=float, na_value=np.nan)
        integraal = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 2**53)
        t = s.astype(object).where(s.notna(), None)
        if integraal.any():
            t[integraal] = pd.Series(x[integraal].astype(np.int64)).astype(str).to_numpy()
        rest = ~integraal & ~np.isnan(x)
        if rest.any():
            t[rest] = s[rest].astype(str).to_numpy()
    elif isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
        t = s
    else:
        t = s.astype(object).where(s.notna(), None)
    return t.astype("string[pyarrow]").str.strip()


def als_tekst(s: pd.Series) -> pd.Series:
    """Column as stripped text (object of str), ``""`` for nulls; typed values rendered as a user sees them."""
    return tekst(s).fillna("").astype(object)


def ontbrekend(s: pd.Series, missing_values: tuple[str, ...] = ("",)) -> np.ndarray:
    """Mask of missing values: nulls, and text equal (after stripping) to one of ``missing_values``."""
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        t = tekst(s)
        return (t.isna() | t.isin(list(missing_values))).to_numpy(dtype=bool, na_value=True)
    return s.isna().to_numpy()


def parse_tekst(s: pd.Series, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """A string field: stripped text (``string[pyarrow]``), NA where missing."""
    t = tekst(s)
    ontbreekt = (t.isna() | t.isin(list(missing_values))).to_numpy(dtype=bool, na_value=True)
    w = t.where(~ontbreekt)  # stays Arrow-backed for fast set operations; object only in the accepted table
    return Geparsed(w, ontbreekt, np.zeros(len(s), dtype=bool))


def _eerste(s: pd.Series) -> object:
    nn = s.dropna()
    return nn.iloc[0] if len(nn) else None


def _jaar_uit_tekst(t: pd.Series) -> pd.Series:
    """The year of ``jjjj-mm-dd`` or ``dd-mm-jjjj`` text (float, NaN when neither form)."""
    iso = t.str.extract(r"^(\d{1,4})-\d{1,2}-\d{1,2}$", expand=False)
    nl = t.str.extract(r"^\d{1,2}[-/]\d{1,2}[-/](\d{4})$", expand=False)
    j = iso.where(iso.notna(), nl)
    return pd.to_numeric(j.astype(object), errors="coerce").astype(float)


def parse_datum(s: pd.Series, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """A date field → ``datetime64[ns]`` (midnight), NaT where missing or invalid.

    Dates before :data:`DATUM_MIN` or after :data:`DATUM_MAX` (year 1, 1600, 9999) are invalid and
    flagged in :attr:`Geparsed.buiten`; they never reach pandas' nanosecond range.
    """
    ontbreekt = ontbrekend(s, missing_values)
    n = len(s)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        w = s
        if getattr(s.dt, "tz", None) is not None:
            w = s.dt.tz_localize(None)
        jaar = w.dt.year.to_numpy(dtype=float, na_value=np.nan)
        buiten = (jaar < DATUM_MIN.year) | (jaar > DATUM_MAX.year)
        w = w.where(~buiten).dt.normalize().astype("datetime64[ns]")
        return Geparsed(w, ontbreekt, buiten.copy(), buiten)
    if s.dtype == object and isinstance(_eerste(s), _dt.date):
        try:
            w = pd.to_datetime(s.where(~ontbreekt), errors="raise")
            jaar = w.dt.year.to_numpy(dtype=float, na_value=np.nan)
            if not ((jaar < DATUM_MIN.year) | (jaar > DATUM_MAX.year)).any():
                w = w.dt.normalize().astype("datetime64[ns]")
                return Geparsed(w, ontbreekt, np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
        except (ValueError, TypeError, OverflowError):
            pass  # mixed content or out of range: fall through to the text path
    t = tekst(s).fillna("").str.replace(_MIDDERNACHT, "", regex=True)
    jaar = _jaar_uit_tekst(t).to_numpy(dtype=float, na_value=np.nan)
    buiten = ((jaar < DATUM_MIN.year) | (jaar > DATUM_MAX.year)) & ~ontbreekt
    t = t.where(~buiten, "")
    w = pd.to_datetime(t.astype(object), format="%Y-%m-%d", errors="coerce")
    rest = np.flatnonzero(w.isna().to_numpy() & ~ontbreekt & ~buiten)
    if len(rest):
        tr = t.iloc[rest]
        nl = tr.str.fullmatch(r"\d{1,2}[-/]\d{1,2}[-/]\d{4}").fillna(False).to_numpy(dtype=bool)
        if nl.any():
            w = w.astype("datetime64[ns]")
            w.iloc[rest[nl]] = pd.to_datetime(
                tr[nl].str.replace("/", "-", regex=False).astype(object), format="%d-%m-%Y", errors="coerce"
            ).astype("datetime64[ns]").to_numpy()
    w = w.astype("datetime64[ns]").copy()
    w[ontbreekt] = pd.NaT
    ongeldig = np.array(w.isna().to_numpy() & ~ontbreekt, dtype=bool)
    return Geparsed(w, ontbreekt, ongeldig, np.array(buiten, dtype=bool))


def parse_boolean(s: pd.Series, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """A boolean field → nullable ``boolean``."""
    ontbreekt = ontbrekend(s, missing_values)
    if pd.api.types.is_bool_dtype(s.dtype):
        return Geparsed(s.astype("boolean"), ontbreekt, np.zeros(len(s), dtype=bool))
    laag = tekst(s).str.lower()
    waar = laag.isin([k for k, v in WAAR_ONWAAR.items() if v]).to_numpy(dtype=bool, na_value=False)
    onwaar = laag.isin([k for k, v in WAAR_ONWAAR.items() if not v]).to_numpy(dtype=bool, na_value=False)
    w = pd.Series(pd.array(waar, dtype="boolean"), index=s.index)
    w[~(waar | onwaar) | ontbreekt] = pd.NA
    ongeldig = w.isna().to_numpy() & ~ontbreekt
    return Geparsed(w, ontbreekt, ongeldig)


def _getal_uit_tekst(t: pd.Series, decimaal: str) -> pd.Series:
    """Text → float64 (NaN where not a number), honouring the decimal separator of the file."""
    t = t.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    if decimaal == ",":
        duizend = t.str.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?").fillna(False)
        t = t.where(~duizend, t.str.replace(".", "", regex=False))
        slecht = t.str.contains(".", regex=False).fillna(False)  # a point that is not a thousands separator
        t = t.str.replace(",", ".", regex=False)
    else:
        slecht = t.str.contains(",", regex=False).fillna(False)
    x = pd.to_numeric(t.where(~slecht, "").astype(object), errors="coerce").astype(float)
    x[~np.isfinite(x.to_numpy())] = np.nan
    return x


def parse_getal(s: pd.Series, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """A number field → ``float64``."""
    ontbreekt = ontbrekend(s, missing_values)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = pd.Series(s.to_numpy(dtype=float, na_value=np.nan), index=s.index)
    else:
        x = _getal_uit_tekst(tekst(s).fillna(""), decimaal)
    x = x.astype("float64")
    x[ontbreekt] = np.nan
    ongeldig = ~np.isfinite(x.to_numpy()) & ~ontbreekt
    x[ongeldig] = np.nan
    return Geparsed(x, ontbreekt, ongeldig)


def parse_geheel(s: pd.Series, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """An integer field → nullable ``Int64``; a non-integral number is invalid."""
    ontbreekt = ontbrekend(s, missing_values)
    if pd.api.types.is_integer_dtype(s.dtype):
        return Geparsed(s.astype("Int64"), ontbreekt, np.zeros(len(s), dtype=bool))
    g = parse_getal(s, decimaal, missing_values)
    x = g.waarde.to_numpy()
    ok = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 2**53)
    ongeldig = ~ok & ~ontbreekt
    w = pd.array(np.where(ok, x, 0).astype(np.int64), dtype="Int64")
    w[~ok] = pd.NA
    return Geparsed(pd.Series(w, index=s.index), ontbreekt, ongeldig)


PARSERS: dict[str, Callable[..., Geparsed]] = {
    "string": parse_tekst,
    "date": parse_datum,
    "boolean": parse_boolean,
    "integer": parse_geheel,
    "number": parse_getal,
}
"""Parser per Table Schema type."""


def parse_veld(s: pd.Series, type_: str, decimaal: str = ".", missing_values: tuple[str, ...] = ("",)) -> Geparsed:
    """Parse one column by its schema type.

    Raises
    ------
    ValueError
        Unknown schema type.
    """
    if type_ not in PARSERS:
        raise ValueError(f"onbekend veldtype {type_!r}; verwacht een van: {', '.join(PARSERS)}")
    return PARSERS[type_](s.reset_index(drop=True), decimaal, missing_values)


def is_in(x: pd.Series, waarden: pd.Series | pd.Index | np.ndarray | list) -> np.ndarray:
    """Fast membership test ``x ∈ waarden`` (bool array; missing → False).

    For text it uses Arrow's hash kernel on whole arrays (pandas' Arrow ``isin`` walks the value set in
    Python, which is slow for a foreign key with hundreds of thousands of values).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_string_dtype(x.dtype) or x.dtype == object:
        links = pa.array(tekst(x) if x.dtype == object else x.astype("string[pyarrow]"))
        rechts = pa.array(pd.Series(np.asarray(waarden, dtype=object)).astype("string[pyarrow]")).unique()
        uit = pc.is_in(links, value_set=rechts, skip_nulls=True)
        return uit.to_numpy(zero_copy_only=False).astype(bool) & ~x.isna().to_numpy()
    return x.isin(waarden).to_numpy(dtype=bool, na_value=False)
