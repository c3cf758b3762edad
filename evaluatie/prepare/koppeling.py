"""Link trajecten and categorie assignments to the spells they fall in (vectorised, no loop over clients)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from evaluatie.prepare.spells import GEEN_EINDE, Perioden, client_codes, dag_sleutel, dagnummers, koppel_aan_perioden
from evaluatie.schema import instrumenten as schema_instrumenten


@dataclass(frozen=True)
class Deelnames:
    """Trajectories linked to kept spells, one element per (trajectory, spell) overlap.

    Attributes
    ----------
    codes : tuple of str
        Instrument codes, in column order; ``instrument`` indexes this tuple.
    spell, instrument : ndarray of int64
        Kept-spell index (into :class:`Perioden`) and instrument index.
    begin, eind : ndarray of int64
        Programme time in spell time: in the programme on ``(begin, eind]``; ``begin`` is clipped to the
        spell start (0) and ``eind`` to the spell end (a trajectory running at the spell's end ends with it).
    """

    codes: tuple[str, ...]
    spell: np.ndarray
    instrument: np.ndarray
    begin: np.ndarray
    eind: np.ndarray


def kies_instrumenten(trajecten: pd.DataFrame | None, instrumenten: Sequence[str] | None) -> tuple[str, ...]:
    """Instrument codes that get state columns.

    ``instrumenten=None``: every instrument of ``evaluatie.schema.instrumenten()`` that occurs in
    ``trajecten`` (schema order), followed by codes unknown to the schema (sorted). Otherwise exactly the
    given codes (each must be in the schema); trajectories of other instruments are ignored.
    """
    schema = list(schema_instrumenten())
    if instrumenten is not None:
        if isinstance(instrumenten, str):
            instrumenten = [instrumenten]
        onbekend = [c for c in instrumenten if c not in schema]
        if onbekend:
            raise ValueError(f"instrumenten: onbekende code(s) {onbekend}; verwacht een van {', '.join(schema)}")
        if len(set(instrumenten)) != len(instrumenten):
            raise ValueError(f"instrumenten: dubbele code(s) in {list(instrumenten)}")
        return tuple(instrumenten)
    if trajecten is None or len(trajecten) == 0:
        return ()
    aanwezig = set(pd.unique(trajecten["instrument"].dropna()))
    return tuple(c for c in schema if c in aanwezig) + tuple(sorted(aanwezig - set(schema)))


def deelnames(p: Perioden, trajecten: pd.DataFrame | None, codes: tuple[str, ...]) -> Deelnames:
    """Link trajecten to the kept spells they overlap (see :class:`Deelnames`)."""
    leeg = np.zeros(0, np.int64)
    if trajecten is None or len(trajecten) == 0 or not codes:
        return Deelnames(codes, leeg, leeg, leeg, leeg)
    ins = pd.Index(codes).get_indexer(trajecten["instrument"].to_numpy(dtype=object)).astype(np.int64)
    code = client_codes(p, "trajecten", trajecten)
    code = np.where(ins >= 0, code, -1)
    t0, t0_mis = dagnummers(trajecten["startdatum"])
    t1, t1_mis = dagnummers(trajecten["einddatum"]) if "einddatum" in trajecten.columns else (
        np.zeros(len(trajecten), np.int64), np.ones(len(trajecten), bool))
    t1 = np.where(t1_mis, GEEN_EINDE, t1)
    code = np.where(t0_mis, -1, code)
    rij, sp = koppel_aan_perioden(p, code)
    s, e = p.start[sp], p.eind[sp]
    a0, a1 = t0[rij], t1[rij]
    overlap = (a0 <= e) & (a1 >= s) & (a1 >= a0)
    rij, sp, s, e, a0, a1 = rij[overlap], sp[overlap], s[overlap], e[overlap], a0[overlap], a1[overlap]
    begin = np.maximum(a0, s) - s
    eind = np.minimum(a1, e) + 1 - s
    return Deelnames(codes, sp, ins[rij], begin, eind)


@dataclass(frozen=True)
class Indeling:
    """Categorie/trede assignments sorted by (client, startdatum).

    Attributes
    ----------
    client_code, dag : ndarray of int64
        Client code (into ``Perioden.clienten``; -1 rows dropped) and day number of the assignment.
    sleutels : ndarray of int64
        Packed (client, day) keys, sorted.
    categorie : ndarray of object
    trede : pandas IntegerArray (Int64)
    """

    client_code: np.ndarray
    dag: np.ndarray
    sleutels: np.ndarray
    categorie: np.ndarray
    trede: pd.api.extensions.ExtensionArray

    def in_kracht(self, client: np.ndarray, dag: np.ndarray) -> np.ndarray:
        """Index of the assignment in force on day ``dag`` (latest with startdatum <= dag), -1 if none."""
        if len(self.sleutels) == 0:
            return np.full(len(np.atleast_1d(client)), -1, np.int64)
        pos = np.searchsorted(self.sleutels, dag_sleutel(client, dag), side="right") - 1
        ok = (pos >= 0) & (self.client_code[np.maximum(pos, 0)] == client)
        return np.where(ok, pos, -1).astype(np.int64)

    def neem(self, idx: np.ndarray) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray]:
        """Categorie (object, NaN when ``idx`` = -1) and trede (Int64, NA) for assignment indices."""
        cat = np.append(self.categorie, np.nan)[idx]  # -1 picks the appended NaN
        return cat, self.trede.take(idx, allow_fill=True)


def indeling(p: Perioden, categorieen: pd.DataFrame | None) -> Indeling:
    """Assignments of clients that have a spell, sorted by (client, startdatum)."""
    if categorieen is None or len(categorieen) == 0:
        leeg = np.zeros(0, np.int64)
        return Indeling(leeg, leeg, leeg, np.zeros(0, object), pd.array([], dtype="Int64"))
    code = client_codes(p, "categorieen", categorieen)
    dag, mis = dagnummers(categorieen["startdatum"])
    houd = (code >= 0) & ~mis
    code, dag = code[houd], dag[houd]
    cat = categorieen["categorie"].to_numpy(dtype=object)[houd]
    trede = (categorieen["trede"] if "trede" in categorieen.columns
             else pd.Series(pd.NA, index=categorieen.index)).astype("Int64").array[houd]
    sl = dag_sleutel(code, dag)
    orde = np.argsort(sl, kind="stable")
    return Indeling(code[orde], dag[orde], sl[orde], cat[orde], trede.take(orde))


