"""The observation window (waarnemingsperiode): parsed and checked in one place.

Every way the window reaches the package -- ``metadata.json`` (``{"start": .., "eind": ..}``), a TOML
config (``periode = [start, eind]``), a manifest, a Python caller (a tuple of dates) -- goes through
:func:`lees_periode`. Errors say where the window came from (``bron``), which field, the value and what
was expected.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from evaluatie.lezen import Invoerfout


class PeriodeFout(Invoerfout):
    """A waarnemingsperiode that cannot be used (message in Dutch: source, field, value, expectation).

    An :class:`~evaluatie.lezen.Invoerfout` (``bestand`` = where the window came from), so the commands
    report it like any other input error.
    """

    @property
    def bron(self) -> str:
        return self.bestand


class Waarnemingsperiode(NamedTuple):
    """First and last day of the observation window (both included). Unpacks as ``start, eind``."""

    start: pd.Timestamp
    eind: pd.Timestamp | None  # None only with ``eind_optioneel`` (to be derived from the data)

    def als_dict(self) -> dict[str, str | None]:
        """``{"start": "jjjj-mm-dd", "eind": "jjjj-mm-dd"}`` as in ``metadata.json``."""
        return {"start": self.start.date().isoformat(), "eind": None if self.eind is None else self.eind.date().isoformat()}


def datum(waarde: Any, bron: str, veld: str, *, fout: type[Invoerfout] = Invoerfout) -> pd.Timestamp:
    """A date argument (``"jjjj-mm-dd"``, :class:`datetime.date`, Timestamp) as a normalised Timestamp.

    Raises ``fout`` (an :class:`~evaluatie.lezen.Invoerfout`) naming ``bron``, ``veld`` and the value."""
    try:
        ts = pd.Timestamp(waarde)
    except (ValueError, TypeError):
        ts = pd.NaT
    if pd.isna(ts) or not isinstance(waarde, (str, _dt.date, pd.Timestamp)):
        raise fout(bron, f"{veld} {waarde!r} is geen datum; verwacht jjjj-mm-dd")
    return ts.normalize()


def lees_periode(wp: Any, bron: str = "waarnemingsperiode", *, standaard_start: Any = None,
                 eind_optioneel: bool = False) -> Waarnemingsperiode:
    """Parse and check a waarnemingsperiode.

    Parameters
    ----------
    wp : mapping, sequence of two, or Waarnemingsperiode
        ``{"start": .., "eind": ..}`` or ``(start, eind)``; dates as ``"jjjj-mm-dd"``, date or Timestamp.
    bron : str
        Where it came from (file name, config key), named in errors.
    standaard_start : date-like, optional
        Used when the start is missing or None (otherwise a missing start is an error).
    eind_optioneel : bool
        Allow a missing/None end (returned as None, for the caller to derive from the data).

    Returns
    -------
    Waarnemingsperiode

    Raises
    ------
    PeriodeFout
        Wrong shape, a value that is not a date, or eind before start.
    """
    if isinstance(wp, Mapping):
        a, b = wp.get("start"), wp.get("eind")
        if ("start" not in wp and standaard_start is None) or ("eind" not in wp and not eind_optioneel):
            raise PeriodeFout(bron, f"waarnemingsperiode {dict(wp)!r}: verwacht {{'start': 'jjjj-mm-dd', 'eind': 'jjjj-mm-dd'}}")
    elif isinstance(wp, (tuple, list)) and len(wp) == 2:
        a, b = wp
    else:
        raise PeriodeFout(bron, f"waarnemingsperiode {wp!r}: verwacht {{'start': .., 'eind': ..}} of (start, eind)")
    if a is None:
        if standaard_start is None:
            raise PeriodeFout(bron, "waarnemingsperiode.start ontbreekt; verwacht jjjj-mm-dd")
        a = standaard_start
    start = datum(a, bron, "waarnemingsperiode.start", fout=PeriodeFout)
    if b is None:
        if not eind_optioneel:
            raise PeriodeFout(bron, "waarnemingsperiode.eind ontbreekt; verwacht jjjj-mm-dd")
        return Waarnemingsperiode(start, None)
    eind = datum(b, bron, "waarnemingsperiode.eind", fout=PeriodeFout)
    if eind < start:
        raise PeriodeFout(bron, f"waarnemingsperiode eind {eind.date()} ligt voor start {start.date()}; verwacht een "
                                "eind op of na de start (het eind mag niet vóór start liggen)")
    return Waarnemingsperiode(start, eind)


def periode_tekst(wp: Any) -> tuple[str, str]:
    """``(start, eind)`` as text from a stored window (manifest, metadata), ``("", "")`` when absent or unreadable.

    For reading what an earlier run recorded, where a malformed value must not stop the reader.
    """
    try:
        p = lees_periode(wp, eind_optioneel=True)
    except PeriodeFout:
        return "", ""
    d = p.als_dict()
    return d["start"] or "", d["eind"] or ""


__all__ = ["PeriodeFout", "Waarnemingsperiode", "datum", "lees_periode", "periode_tekst"]
