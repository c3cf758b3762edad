"""Checks and extraction of (start, stop] survival data from a DataFrame (shared by KM, CIF and Cox)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.survival.fouten import OverlevingsFout

_MAX_GENOEMD = 5


def _rijen(index: pd.Index, mask: np.ndarray) -> str:
    labels = list(index[np.asarray(mask)])
    tekst = ", ".join(str(v) for v in labels[:_MAX_GENOEMD])
    if len(labels) > _MAX_GENOEMD:
        tekst += f" … ({len(labels)} rijen)"
    return tekst


def kolom(data: pd.DataFrame, naam: str, rol: str) -> np.ndarray:
    """Return column ``naam`` as float64, with a Dutch error if missing, non-numeric or NA."""
    if naam not in data.columns:
        raise OverlevingsFout(
            f"kolom '{naam}' ({rol}) ontbreekt; beschikbare kolommen: {', '.join(map(str, data.columns))}")
    s = data[naam]
    if s.dtype == bool or str(s.dtype) == "boolean":
        s = s.astype("float64")
    try:
        v = pd.to_numeric(s, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    except (ValueError, TypeError) as exc:
        raise OverlevingsFout(f"kolom '{naam}' ({rol}) moet numeriek zijn, kreeg type {s.dtype}") from exc
    bad = ~np.isfinite(v)
    if bad.any():
        raise OverlevingsFout(
            f"kolom '{naam}' ({rol}) heeft ontbrekende of oneindige waarden in rij(en) met index {_rijen(data.index, bad)}")
    return v


@dataclass(frozen=True)
class Tijden:
    """Validated (start, stop] times and event codes as arrays (one element per row)."""

    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray  # integer codes: 0 = gecensureerd, 1..k = oorzaak


def tijden(data: pd.DataFrame, *, stop: str, event: str, start: str | None) -> Tijden:
    """Validate and extract the time columns.

    Rules: ``stop > start`` for every row (a zero-length or negative interval is an error naming the
    rows: it cannot contain an event time and usually signals a preparation bug); ``start >= 0`` is not
    required (calendar-time scales are allowed); event codes must be non-negative integers.
    """
    if not isinstance(data, pd.DataFrame):
        raise OverlevingsFout(f"verwacht een pandas DataFrame, kreeg {type(data).__name__}")
    if len(data) == 0:
        raise OverlevingsFout("de tabel is leeg: geen rijen om te schatten")
    t1 = kolom(data, stop, "stop")
    ev = kolom(data, event, "gebeurtenis")
    if np.any(ev != np.round(ev)) or np.any(ev < 0):
        bad = (ev != np.round(ev)) | (ev < 0)
        raise OverlevingsFout(
            f"kolom '{event}' moet 0 (gecensureerd) of een positieve gehele oorzaakcode bevatten; "
            f"ongeldige waarde(n) in rij(en) met index {_rijen(data.index, bad)}")
    if start is None:
        t0 = np.full_like(t1, -np.inf)
        bad = t1 < 0
        if bad.any():
            raise OverlevingsFout(
                f"negatieve tijd in kolom '{stop}' in rij(en) met index {_rijen(data.index, bad)}; "
                "geef een startkolom op bij tijdsafhankelijke gegevens")
    else:
        t0 = kolom(data, start, "start")
        bad = t1 <= t0
        if bad.any():
            raise OverlevingsFout(
                f"interval ({start}, {stop}] heeft lengte nul of is negatief in rij(en) met index "
                f"{_rijen(data.index, bad)}: verwacht {stop} > {start}")
    return Tijden(start=t0, stop=t1, event=ev.astype(np.int64))


def groepen(data: pd.DataFrame, group: str | None) -> tuple[np.ndarray, list]:
    """Integer codes and labels (sorted) of a grouping column; one group 'alle' when None."""
    if group is None:
        return np.zeros(len(data), dtype=np.int64), ["alle"]
    if group not in data.columns:
        raise OverlevingsFout(f"groepskolom '{group}' ontbreekt")
    s = data[group]
    if s.isna().any():
        raise OverlevingsFout(
            f"groepskolom '{group}' heeft ontbrekende waarden in rij(en) met index {_rijen(data.index, s.isna().to_numpy())}")
    codes, labels = pd.factorize(s, sort=True)
    return codes.astype(np.int64), list(labels)


def conf_z(conf_level: float) -> float:
    """Normal quantile for a two-sided interval, with validation."""
    from scipy.stats import norm

    if not (0.0 < float(conf_level) < 1.0):
        raise OverlevingsFout(f"conf_level moet tussen 0 en 1 liggen, kreeg {conf_level}")
    return float(norm.ppf(0.5 + conf_level / 2.0))
