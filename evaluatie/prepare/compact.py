"""Narrow column types for the person-month table (issue 20: 26 million rows in a few GB).

A person-month frame repeats per row what is fixed per spell (client, gemeente, sex, education) or per
counting-process row (categorie, trede). Stored as Python objects or 64-bit integers that costs 8–9 bytes per
value; as categorical codes or the narrowest integer type that holds the values it costs 1–4. The values are
the same: ``compact[c].astype(object)`` equals the wide column element by element (``tests/test_prepare_compact.py``),
and every reader (the effect estimators, the person FE) gets bit-identical numbers. Instrument states
(``<code>_in`` / ``<code>_na``, mostly 0) are sparse columns (:func:`ijl`).

The functions work on the *short* arrays (one value per spell or per counting-process row) and return what
the long arrays are taken from, so no wide long column is ever materialised.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_INT = (np.int8, np.int16, np.int32, np.int64)


def smal_type(minimum: int, maximum: int, *, ondergrens: type = np.int8) -> type:
    """The narrowest signed integer type, not narrower than ``ondergrens``, that holds ``minimum..maximum``."""
    for t in _INT[_INT.index(ondergrens):]:
        i = np.iinfo(t)
        if i.min <= minimum and maximum <= i.max:
            return t
    raise OverflowError(f"waarden {minimum}..{maximum} passen niet in 64 bits")


def smal(a: np.ndarray, *, ondergrens: type = np.int8) -> np.ndarray:
    """Integer array ``a`` in the narrowest type holding its values (``ondergrens`` at least); a copy only if narrower."""
    a = np.asarray(a)
    if a.size == 0:
        return a.astype(ondergrens)
    t = smal_type(int(a.min()), int(a.max()), ondergrens=ondergrens)
    return a if a.dtype == t else a.astype(t)


#: Rows per block in :func:`neem` (an int32 index is widened to intp per block, not for the whole column).
BLOK = 2_000_000


def neem(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``a[idx]`` for a long ``idx``, block by block.

    ``numpy.take`` widens an int32 index to intp first: for 26 million rows a 208 MB temporary per
    column. Taking in blocks bounds that temporary to ``BLOK`` rows; the result is the same array.
    """
    a = np.asarray(a)
    uit = np.empty(len(idx), dtype=a.dtype)
    for lo in range(0, len(idx), BLOK):
        np.take(a, idx[lo:lo + BLOK], out=uit[lo:lo + BLOK])
    return uit


class Codes:
    """Short-array view of one column: codes to take with a long index, and how to wrap the result.

    Parameters
    ----------
    waarden : array-like
        One value per spell (or per counting-process row).
    ondergrens : numpy integer type
        Plain integer columns are not made narrower than this (ids stay int32, months int16, so a
        reader's arithmetic on them cannot overflow).
    """

    def __init__(self, waarden: Any, *, ondergrens: type = np.int8) -> None:
        v = waarden.array if isinstance(waarden, pd.Series) else waarden
        if isinstance(v, pd.arrays.NumpyExtensionArray):  # plain numpy under a pandas wrapper (bool columns)
            v = v.to_numpy()
        self.soort: str
        if isinstance(v, pd.api.extensions.ExtensionArray) and pd.api.types.is_integer_dtype(v.dtype):
            # nullable integers (leeftijd, trede): narrowest nullable type
            ok = ~np.asarray(v.isna())
            vals = np.asarray(v.to_numpy(dtype=np.int64, na_value=0))
            t = smal_type(int(vals[ok].min()), int(vals[ok].max())) if ok.any() else np.int8
            self.soort, self.codes, self.masker = "nullbaar", vals.astype(t), ~ok
        elif np.asarray(v).dtype == object or isinstance(getattr(v, "dtype", None), pd.StringDtype):
            codes, uniek = pd.factorize(np.asarray(v, dtype=object), sort=True)
            self.soort, self.categorieen = "categorie", pd.Index(uniek, dtype=object)
            self.codes = smal(codes, ondergrens=np.int8)
        elif isinstance(v, pd.api.extensions.ExtensionArray):  # bool, period, …: as is
            self.soort, self.codes = "as_is", v
        else:
            a = np.asarray(v)
            self.soort = "int" if np.issubdtype(a.dtype, np.integer) else "as_is"
            self.codes = smal(a, ondergrens=ondergrens) if self.soort == "int" else a

    def neem(self, idx: np.ndarray) -> Any:
        """The long column: value ``idx[i]`` in row ``i`` (a Categorical for strings)."""
        if self.soort == "categorie":
            return pd.Categorical.from_codes(neem(self.codes, idx), categories=self.categorieen, validate=False)
        if self.soort == "nullbaar":
            return pd.arrays.IntegerArray(neem(self.codes, idx), neem(self.masker, idx))
        if isinstance(self.codes, np.ndarray):
            return neem(self.codes, idx)
        return self.codes.take(idx)


def ijl(waarden: np.ndarray) -> pd.arrays.SparseArray:
    """A mostly-zero 0/1 column (instrument state) as a sparse array: only the non-zero rows are stored.

    Most person-months are in no instrument, so each ``<code>_in`` / ``<code>_na`` column holds a few
    percent non-zero values; sparse, the sixteen instruments' 32 columns cost about 5 bytes per non-zero
    value instead of 32 bytes per row. ``to_numpy(dtype=np.int8)`` gives the dense column back.
    """
    return pd.arrays.SparseArray(waarden, fill_value=waarden.dtype.type(0))
