"""Counting-process rows ``(start, stop]`` per spell, split wherever a time-varying covariate changes.

How the split works (vectorised; no loop over clients or spells):

1. every kept spell contributes its cut points in spell time — entry (``instap``), end (``einde``),
   trajectory starts and ends (clipped to the observed part), categorie changes strictly inside the
   observed part and, optionally, every 1 January;
2. the cut points are packed as ``spell << 32 | t`` int64 keys, sorted and deduplicated;
   consecutive keys of the same spell form the intervals;
3. instrument states follow from +1/-1 events at trajectory starts/ends, located with ``searchsorted``
   and accumulated with an in-place ``cumsum`` (one pass per instrument, never per client); the categorie in force is
   looked up at entry and carried forward to each assignment change.

Instrument states: ``<code>_in`` = 1 while at least one trajectory of that instrument runs;
``<code>_na`` = 1 when none runs but one ended earlier in the same spell (mutually exclusive).
A trajectory started before the spell counts from the spell start; one still running at the spell's end
ends with it (no ``_na`` after the end). States from before the window are carried into the entry row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.prepare.codes import UITSTROOM_CODES
from evaluatie.prepare.koppeling import Deelnames, Indeling, deelnames, indeling, kies_instrumenten
from evaluatie.prepare.spells import (Perioden, jaar_van, koppel_aan_perioden, perioden, sleutel,
                                      statische_kolommen)

_MASK = np.int64(2**32 - 1)


@dataclass(frozen=True)
class Telprocesresultaat:
    """Counting-process rows plus the bookkeeping of how they were made.

    Attributes
    ----------
    rijen : DataFrame
        The rows (contract "Counting-process rows").
    telling : dict
        Spell counts (see :func:`evaluatie.prepare.spells.perioden`) plus ``rijen`` and
        ``persoonsdagen``.
    instrumenten : tuple of str
        Instrument codes with state columns.
    spec : dict
        Options that produced the rows.
    waarschuwingen : tuple of str
    """

    rijen: pd.DataFrame
    telling: dict
    instrumenten: tuple[str, ...]
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The counting-process rows."""
        return self.rijen

    def summary(self) -> str:
        """Short Dutch summary of the bookkeeping."""
        t = self.telling
        ev = ", ".join(f"{UITSTROOM_CODES[k]} {v}" for k, v in sorted(t["gebeurtenissen"].items())) or "geen"
        regels = [
            f"Waarnemingsperiode {t['venster_start']} t/m {t['venster_eind']}"
            + (" (einde afgeleid uit de data)" if t["venster_eind_afgeleid"] else ""),
            f"{t['perioden']} uitkeringsperioden gelezen; {t['in_venster']} in de periode, "
            f"{t['voor_venster']} geheel ervoor en {t['na_venster']} geheel erna (weggelaten).",
            f"{t['vertraagde_instap']} met vertraagde instap, {t['gecensureerd']} gecensureerd; uitstroom: {ev}.",
            f"{t['rijen']} intervallen, {t['persoonsdagen']} persoonsdagen; instrumenten: "
            f"{', '.join(self.instrumenten) or 'geen'}.",
        ]
        regels += [f"Let op: {w}" for w in self.waarschuwingen]
        return "\n".join(regels)


def _waarschuwingen(telling: dict) -> tuple[str, ...]:
    w = []
    if telling["venster_eind_afgeleid"]:
        w.append(f"einde waarnemingsperiode afgeleid uit de laatste datum in de data ({telling['venster_eind']}); "
                 "geef de peildatum op")
    if telling["overlappend"]:
        w.append(f"{telling['overlappend']} uitkeringsperiode(n) overlappen met de vorige periode van dezelfde cliënt")
    return tuple(w)


@dataclass(frozen=True)
class _Kern:
    """Row columns as arrays plus the packed row keys (``spell << 32 | start``, sorted) for later lookups."""

    kolommen: dict
    sleutels: np.ndarray
    spell: np.ndarray


def _jan1(jaar: np.ndarray) -> np.ndarray:
    return (np.asarray(jaar, np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _snijpunten(p: Perioden, deel: Deelnames, ind: Indeling, split_kalenderjaar: bool) -> np.ndarray:
    m = len(p)
    idx = np.arange(m, dtype=np.int64)
    delen = [sleutel(idx, p.instap), sleutel(idx, p.einde)]
    e, o = p.instap[deel.spell], p.einde[deel.spell]
    delen += [sleutel(deel.spell, np.clip(deel.begin, e, o)), sleutel(deel.spell, np.clip(deel.eind, e, o))]
    if len(ind.dag):
        rij, sp = koppel_aan_perioden(p, ind.client_code)
        rel = ind.dag[rij] - p.start[sp]
        binnen = (rel > p.instap[sp]) & (rel < p.einde[sp])
        delen.append(sleutel(sp[binnen], rel[binnen]))
    if split_kalenderjaar:
        j0 = jaar_van(p.start + p.instap)
        j1 = jaar_van(p.start + p.einde - 1)
        k = j1 - j0
        sp = np.repeat(idx, k)
        jaar = np.repeat(j0 + 1, k) + (np.arange(len(sp)) - np.repeat(np.cumsum(k) - k, k))
        delen.append(sleutel(sp, _jan1(jaar) - p.start[sp]))
    keys = np.sort(np.concatenate(delen))
    uniek = np.ones(len(keys), bool)
    uniek[1:] = keys[1:] != keys[:-1]
    return keys[uniek]


def _kern(p: Perioden, deel: Deelnames, ind: Indeling, split_kalenderjaar: bool, *, volledig: bool = True) -> _Kern:
    keys = _snijpunten(p, deel, ind, split_kalenderjaar)
    sp_cut = keys >> np.int64(32)
    t_cut = keys & _MASK
    laatste = np.ones(len(keys), bool)
    laatste[:-1] = sp_cut[1:] != sp_cut[:-1]
    rij = np.flatnonzero(~laatste)
    rk = keys[rij]
    sr = sp_cut[rij]
    start = t_cut[rij]
    stop = t_cut[rij + 1]
    R = len(rij)
    slot = laatste[rij + 1]

    status = np.zeros(R, np.int8)
    status[slot] = p.status[sr[slot]]

    kol: dict[str, Any] = {
        "client_id": p.client_id[sr],
        "spell_id": p.spell_id[sr],
        "spell_nr": p.spell_nr[sr],
        "start": start.astype(np.float64),
        "stop": stop.astype(np.float64),
        "status": status,
    }

    # instrument states: +1/-1 events located on the rows; an event at the spell's end lands on the next
    # spell's first row, where its counterpart cancels it, so one global cumsum per instrument suffices.
    e, o = p.instap[deel.spell], p.einde[deel.spell]
    pa = np.searchsorted(rk, sleutel(deel.spell, np.clip(deel.begin, e, o)))
    pb = np.searchsorted(rk, sleutel(deel.spell, np.clip(deel.eind, e, o)))
    po = np.searchsorted(rk, sleutel(deel.spell, o))
    orde = np.argsort(deel.instrument, kind="stable")
    grens = np.searchsorted(deel.instrument[orde], np.arange(len(deel.codes) + 1))
    for k, code in enumerate(deel.codes):  # one pass per instrument over the rows (bincount: no ufunc.at)
        sel = orde[grens[k]:grens[k + 1]]
        n_pb = np.bincount(pb[sel], minlength=R + 1)
        actief = np.cumsum(np.bincount(pa[sel], minlength=R + 1) - n_pb)
        klaar = np.cumsum(n_pb - np.bincount(po[sel], minlength=R + 1))
        inn = actief[:R] > 0
        kol[f"{code}_in"] = inn.view(np.int8)
        kol[f"{code}_na"] = (~inn & (klaar[:R] > 0)).view(np.int8)

    # categorie in force: looked up at entry, replaced at each assignment change, carried forward
    m = len(p)
    waarde = np.full(R, -1, np.int64)
    gezet = np.zeros(R, bool)
    eerste = np.searchsorted(rk, sleutel(np.arange(m), p.instap))
    waarde[eerste] = ind.in_kracht(p.client_code, p.start + p.instap)
    gezet[eerste] = True
    if len(ind.dag):
        rij_c, sp_c = koppel_aan_perioden(p, ind.client_code)
        rel = ind.dag[rij_c] - p.start[sp_c]
        binnen = (rel > p.instap[sp_c]) & (rel < p.einde[sp_c])
        pos = np.searchsorted(rk, sleutel(sp_c[binnen], rel[binnen]))
        waarde[pos] = rij_c[binnen]
        gezet[pos] = True
    laatst_gezet = np.maximum.accumulate(np.where(gezet, np.arange(R), 0))
    cat, trede = ind.neem(waarde[laatst_gezet])
    kol["categorie"] = cat
    kol["trede"] = trede
    if volledig:
        kol["kalenderjaar"] = jaar_van(p.start[sr] + start)
        kol.update(statische_kolommen(p, sr))
        kol["terugval"] = p.terugval[sr]
    return _Kern(kol, rk, sr)


def frame(kolommen: dict) -> pd.DataFrame:
    """DataFrame from freshly made column arrays, without consolidating them into 2-D blocks.

    Consolidation copies every column once more and dominated the run time at national scale; the arrays
    are new and owned by the frame, so no copy is needed.
    """
    return pd.DataFrame(kolommen, copy=False)


def bouw_telproces(
    tabellen: Mapping[str, pd.DataFrame],
    *,
    waarnemingsperiode: Any = None,
    instrumenten: Sequence[str] | None = None,
    split_kalenderjaar: bool = True,
) -> Telprocesresultaat:
    """Counting-process rows with their bookkeeping; see :func:`telproces` for the rows."""
    p = perioden(tabellen, waarnemingsperiode)
    codes = kies_instrumenten(tabellen.get("trajecten"), instrumenten)
    deel = deelnames(p, tabellen.get("trajecten"), codes)
    ind = indeling(p, tabellen.get("categorieen"))
    kern = _kern(p, deel, ind, bool(split_kalenderjaar))
    rijen = frame(kern.kolommen)
    telling = dict(p.telling)
    telling["rijen"] = int(len(rijen))
    telling["persoonsdagen"] = int((p.einde - p.instap).sum())
    spec = {"waarnemingsperiode": (telling["venster_start"], telling["venster_eind"]),
            "instrumenten": codes, "split_kalenderjaar": bool(split_kalenderjaar)}
    rijen.attrs.update({"telling": telling, "instrumenten": codes, "spec": spec})
    return Telprocesresultaat(rijen, telling, codes, spec, _waarschuwingen(telling))


def telproces(
    tabellen: Mapping[str, pd.DataFrame],
    *,
    waarnemingsperiode: Any = None,
    instrumenten: Sequence[str] | None = None,
    split_kalenderjaar: bool = True,
) -> pd.DataFrame:
    """Counting-process rows ``(start, stop]`` per spell (contract "Counting-process rows").

    Parameters
    ----------
    tabellen : mapping of str to DataFrame
        Validated tables: ``uitkeringen`` (required), ``clienten``, ``categorieen``, ``trajecten``.
        Not modified.
    waarnemingsperiode : None, (start, eind) or {"start": ..., "eind": ...}
        Observation window, both days included. Default start 2015-01-01; default end the latest date in
        the data (pass the peildatum).
    instrumenten : sequence of str, optional
        Instrument codes that get ``<code>_in``/``<code>_na`` columns (default: every schema instrument
        occurring in ``trajecten``).
    split_kalenderjaar : bool
        Also split at every 1 January (``kalenderjaar`` is then constant within a row; otherwise it is the
        year of the row's first day).

    Returns
    -------
    DataFrame
        One row per interval, sorted by (client_id, spell start, start). Columns: ``client_id``,
        ``spell_id`` (1-based over all spells sorted by client and startdatum), ``spell_nr``, ``start``,
        ``stop`` (float, days since the spell's startdatum; the start day is 0), ``status`` (uitstroom
        code on the spell's last row when the exit lies in the window, else 0), ``<code>_in``,
        ``<code>_na`` (int8), ``categorie`` (object, NaN before the first assignment), ``trede`` (Int64),
        ``kalenderjaar``, ``gemeentecode``, ``leeftijd`` (spell start year − geboortejaar, Int64),
        ``geslacht``, ``opleidingsniveau``, ``statushouder``, ``speciaal_onderwijs``, ``terugval`` (1 if an
        earlier spell of the client ended in werk). ``df.attrs["telling"]`` holds the spell counts
        (dropped spells before/after the window, delayed entries, censored, events per code, person-days);
        :func:`bouw_telproces` returns them on a :class:`Telprocesresultaat` instead.
    """
    return bouw_telproces(tabellen, waarnemingsperiode=waarnemingsperiode, instrumenten=instrumenten,
                          split_kalenderjaar=split_kalenderjaar).rijen
