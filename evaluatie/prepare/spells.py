"""Spell table: every benefit spell (uitkeringsperiode) placed in the observation window.

All dates are handled as integer **day numbers** (days since 1970-01-01, ``int64``), and times inside a
spell as days since the spell's startdatum. Conventions (the "Counting-process rows" contract):

* a spell with startdatum ``S`` and einddatum ``E`` (last day on benefit) covers the days
  ``S .. E``; in spell time it is the interval ``(0, E - S + 1]`` — a spell 1 Jan to 31 Jan ends at 31;
* the window ``[W0, W1]`` (both days included) observes spell time ``(instap, einde]`` with
  ``instap = max(W0 - S, 0)`` and ``einde = min(E, W1) - S + 1``;
* the exit is observed (status = uitstroom code) only when ``E <= W1``; a running spell (E = NaT) or one
  ending after ``W1`` is censored at ``W1`` (status 0);
* spells with ``E < W0`` or ``S > W1`` lie entirely outside the window and are dropped (and counted).

A date ``D`` inside a spell starts spell-time ``D - S``: a change of state on date ``D`` (trajectory
start, new categorie) applies from the interval ``(D - S, ...]`` on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from evaluatie.prepare.codes import UITSTROOM_CODE, WERK

#: Default start of the observation window (Participatiewet in force).
VENSTER_START = pd.Timestamp("2015-01-01")
#: Sentinel day number for "no end" (running spell / trajectory); far beyond any real date.
GEEN_EINDE = np.int64(10**8)
#: Bits reserved for spell time or day offsets in packed int64 keys.
_SHIFT = np.int64(32)
_DAG_OFFSET = np.int64(2**31)

#: Optional static columns: carried only when ``clienten`` has them (issue 19: loonwaarde for the subgroups).
OPTIONEEL_STATISCH: tuple[str, ...] = ("loonwaarde",)

STATISCH: tuple[str, ...] = (
    "gemeentecode",
    "leeftijd",
    "geslacht",
    "opleidingsniveau",
    "statushouder",
    "speciaal_onderwijs",
)


def dagnummers(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates as int64 day numbers since 1970-01-01, plus a mask of missing dates (NaT).

    Missing dates get day number 0 in the first array; use the mask.
    """
    arr = np.asarray(pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[ns]"))
    mis = np.isnat(arr)
    dag = arr.astype("datetime64[D]").astype(np.int64)
    dag[mis] = 0
    return dag, mis


def maand_ordinaal(dag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar month (months since 1970-01) and 0-based day of month of day numbers."""
    d = np.asarray(dag, dtype=np.int64).astype("datetime64[D]")
    maand = d.astype("datetime64[M]")
    return maand.astype(np.int64), (d - maand.astype("datetime64[D]")).astype(np.int64)


def dag_in_maand(maand: np.ndarray, dom0: np.ndarray) -> np.ndarray:
    """Day number of day ``dom0`` (0-based, clipped to the month's last day) of calendar month ``maand``.

    Uses a small table of month starts over the range needed, so it costs two integer look-ups per element.
    """
    maand = np.asarray(maand, dtype=np.int64)
    if maand.size == 0:
        return np.zeros(0, np.int64)
    lo, hi = int(maand.min()), int(maand.max())
    eerste = np.arange(lo, hi + 2, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    lengte = np.diff(eerste)
    i = maand - lo
    return eerste[i] + np.minimum(np.asarray(dom0, dtype=np.int64), lengte[i] - 1)


def plus_maanden(dag: np.ndarray, m: np.ndarray | int) -> np.ndarray:
    """Day number of ``dag`` + ``m`` calendar months; the day of month is clipped to the month's length.

    31 Jan + 1 month = 28 (29) Feb, 31 Jan + 2 months = 31 Mar (always counted from ``dag`` itself, never
    chained), as ``pandas.DateOffset(months=m)``.
    """
    maand, dom0 = maand_ordinaal(dag)
    return dag_in_maand(maand + np.asarray(m, dtype=np.int64), dom0)


def maand_van(start: np.ndarray, dag: np.ndarray) -> np.ndarray:
    """Spell month (0-based) containing day number ``dag`` of a spell starting on day number ``start``.

    Month ``m`` covers the days ``[plus_maanden(start, m), plus_maanden(start, m + 1))``.
    """
    ms, dom0 = maand_ordinaal(start)
    md, _ = maand_ordinaal(dag)
    m = md - ms
    return m - (dag_in_maand(md, dom0) > np.asarray(dag, dtype=np.int64))


def jaar_van(dag: np.ndarray) -> np.ndarray:
    """Calendar year of day numbers.

    A binary search in the table of 1 January day numbers over the range needed: about ten times faster
    than converting through ``datetime64[Y]`` at national scale (millions of rows).
    """
    d = np.asarray(dag, dtype=np.int64)
    if d.size == 0:
        return np.zeros(d.shape, np.int64)
    ends = np.array([d.min(), d.max()]).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    lo, hi = int(ends[0]), int(ends[1])
    if hi - lo > 1000:  # sentinel-sized ranges: the direct conversion
        return d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    jan1 = (np.arange(lo, hi + 1, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return lo + np.searchsorted(jan1, d, side="right") - 1


def statische_kolommen(p: "Perioden", idx: np.ndarray) -> dict[str, Any]:
    """The static covariates (:data:`STATISCH`) of spells ``idx``, one array per column, for a new frame.

    Plain object columns are taken as ndarrays: a NumpyExtensionArray costs the frame constructor a
    missing-value scan per column (a third of a second per column at 26 million person-months).
    """
    uit: dict[str, Any] = {}
    for naam in (*STATISCH, *(k for k in OPTIONEEL_STATISCH if k in p.statisch.columns)):
        v = p.statisch[naam]
        uit[naam] = v.to_numpy().take(idx) if v.dtype == object else v.array.take(idx)
    return uit


def factoriseer(waarden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64) and sorted distinct values of an array of strings, as ``pd.factorize(sort=True)``.

    Hashing millions of Python strings dominated the preparation at national scale; pyarrow's dictionary
    encoding does it on the UTF-8 buffer (about 40% faster here). UTF-8 byte order is code-point order, so
    the sorted values and the codes equal pandas'. Anything that is not all non-missing strings takes the
    pandas route.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        a = pa.array(waarden, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # e.g. a lone surrogate
        a = None
    if a is None or a.null_count:
        codes, uniek = pd.factorize(waarden, sort=True)
        return codes.astype(np.int64), np.asarray(uniek, dtype=object)
    enc = pc.dictionary_encode(a)
    orde = pc.sort_indices(enc.dictionary).to_numpy()
    rang = np.empty(len(orde), np.int64)
    rang[orde] = np.arange(len(orde), dtype=np.int64)
    uniek = enc.dictionary.take(pa.array(orde)).to_numpy(zero_copy_only=False).astype(object)
    return rang[enc.indices.to_numpy()], uniek


def lees_datum(x: Any, naam: str, *, fout: type[Exception] = ValueError) -> pd.Timestamp:
    """``x`` as a normalised Timestamp, or ``fout`` naming ``naam``, the value and the expected form."""
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError) as exc:
        raise fout(f"{naam}: verwacht een datum (JJJJ-MM-DD), kreeg {x!r}") from exc
    if pd.isna(ts):
        raise fout(f"{naam}: verwacht een datum (JJJJ-MM-DD), kreeg {x!r}")
    return ts.normalize()


def venster(
    tabellen: Mapping[str, pd.DataFrame],
    waarnemingsperiode: Any = None,
) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """Resolve the observation window.

    Parameters
    ----------
    tabellen : mapping of str to DataFrame
        Validated tables (used only when the end must be derived).
    waarnemingsperiode : None, (start, eind) or {"start": ..., "eind": ...}
        As in ``metadata.json``. ``None``: start 2015-01-01 and eind = the latest date in uitkeringen,
        trajecten and categorieen (a lower bound of the peildatum; pass the peildatum when known).
        A dict or tuple with a missing/None end is derived the same way.

    Returns
    -------
    (start, eind, afgeleid)
        Window bounds (both days included) and whether ``eind`` was derived from the data.
    """
    from evaluatie.periode import lees_periode

    wp = lees_periode({} if waarnemingsperiode is None else waarnemingsperiode, "waarnemingsperiode",
                      standaard_start=VENSTER_START, eind_optioneel=True)
    start, eind_in = wp.start, wp.eind
    afgeleid = eind_in is None
    if afgeleid:
        kandidaten = []
        for tabel in ("uitkeringen", "trajecten", "categorieen"):
            df = tabellen.get(tabel)
            if df is None:
                continue
            for kol in ("startdatum", "einddatum"):
                if kol in df.columns and len(df):
                    kandidaten.append(pd.to_datetime(df[kol]).max())
        kandidaten = [k for k in kandidaten if not pd.isna(k)]
        if not kandidaten:
            raise ValueError("waarnemingsperiode eind: niet af te leiden uit lege tabellen; geef de peildatum op")
        eind = max(kandidaten).normalize()
    else:
        eind = lees_datum(eind_in, "waarnemingsperiode eind")
    if eind < start:
        raise ValueError(
            f"waarnemingsperiode: eind {eind.date()} ligt voor start {start.date()}; verwacht start <= eind"
        )
    return start, eind, afgeleid


@dataclass(frozen=True)
class Perioden:
    """Spells in the window, as aligned numpy arrays (one element per kept spell, sorted by client, start).

    Attributes
    ----------
    client_id : ndarray of object
    client_code : ndarray of int64
        Position of the client in :attr:`clienten` (sorted client ids).
    spell_id : ndarray of int64
        1-based position of the spell among **all** spells sorted by (client_id, startdatum); stable
        whatever the window.
    spell_nr : ndarray of int64
        1, 2, ... per client (counting spells before the window too).
    terugval : ndarray of int8
        1 if the client has an earlier spell that ended in werk.
    start, eind : ndarray of int64
        Day numbers of startdatum and einddatum (``GEEN_EINDE`` when running).
    instap, einde : ndarray of int64
        Observed spell time ``(instap, einde]``.
    status : ndarray of int8
        Uitstroom code when the exit is observed in the window, else 0.
    volgende_start : ndarray of int64
        Day number of the client's next spell start (``GEEN_EINDE`` if none).
    statisch : DataFrame
        Static covariates (:data:`STATISCH`), one row per kept spell, RangeIndex.
    clienten : ndarray of object
        Sorted unique client ids over all tables (the code book of ``client_code``).
    w0, w1 : int
        Window bounds as day numbers (both included).
    telling : dict
        Counts: see :func:`perioden`.
    """

    client_id: np.ndarray
    client_code: np.ndarray
    spell_id: np.ndarray
    spell_nr: np.ndarray
    terugval: np.ndarray
    start: np.ndarray
    eind: np.ndarray
    instap: np.ndarray
    einde: np.ndarray
    status: np.ndarray
    volgende_start: np.ndarray
    statisch: pd.DataFrame
    clienten: np.ndarray
    w0: int
    w1: int
    telling: dict = field(default_factory=dict)
    codes_tabel: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.start)


def _status_codes(uitk: pd.DataFrame, eind_mis: np.ndarray) -> np.ndarray:
    reden = uitk["uitstroomreden"] if "uitstroomreden" in uitk.columns else pd.Series(pd.NA, index=uitk.index)
    code = reden.map(UITSTROOM_CODE)
    fout = (~eind_mis) & code.isna().to_numpy()
    if fout.any():
        rijen = uitk.loc[fout, ["client_id", "startdatum"]].head(5)
        waarden = reden[fout].head(5).tolist()
        voorbeelden = "; ".join(
            f"client_id={c}, startdatum={pd.Timestamp(s).date()}, uitstroomreden={w!r}"
            for (c, s), w in zip(rijen.itertuples(index=False), waarden)
        )
        raise ValueError(
            f"uitkeringen: {int(fout.sum())} periode(n) met einddatum maar zonder geldige uitstroomreden "
            f"(verwacht een van {', '.join(UITSTROOM_CODE)}): {voorbeelden}"
        )
    return np.where(eind_mis, 0, code.fillna(0).to_numpy(dtype=np.int64))


def perioden(tabellen: Mapping[str, pd.DataFrame], waarnemingsperiode: Any = None) -> Perioden:
    """Build the spell table in the window from validated tables.

    Parameters
    ----------
    tabellen : mapping of str to DataFrame
        Validated tables; needs ``uitkeringen`` (client_id, startdatum, einddatum, uitstroomreden);
        ``clienten`` (static covariates) is optional — covariates are missing without it.
    waarnemingsperiode : see :func:`venster`

    Returns
    -------
    Perioden
        ``telling`` holds: ``perioden`` (input spells), ``in_venster`` (kept), ``voor_venster`` (ended
        before the window start, dropped), ``na_venster`` (started after the window end, dropped),
        ``vertraagde_instap`` (began before the window), ``gecensureerd`` (running or ending after the
        window end), ``gebeurtenissen`` ({code: n}), ``overlappend`` (spells starting on or before the end
        of the client's previous spell; the schema forbids this), ``venster_start``, ``venster_eind``,
        ``venster_eind_afgeleid``.
    """
    if "uitkeringen" not in tabellen:
        raise ValueError("tabel uitkeringen ontbreekt; verwacht een dict met minstens 'uitkeringen'")
    uitk = tabellen["uitkeringen"]
    w0_ts, w1_ts, afgeleid = venster(tabellen, waarnemingsperiode)
    w0 = int(np.datetime64(w0_ts.date(), "D").astype(np.int64))
    w1 = int(np.datetime64(w1_ts.date(), "D").astype(np.int64))

    # one factorisation of every client_id column (string hashing dominates at national scale)
    ids = {naam: tabellen[naam]["client_id"].to_numpy(dtype=object)
           for naam in ("uitkeringen", "clienten", "categorieen", "trajecten")
           if tabellen.get(naam) is not None}
    codes_alle, clienten = factoriseer(np.concatenate(list(ids.values())))
    grenzen = np.cumsum([0] + [len(v) for v in ids.values()])
    codes_tabel = {naam: codes_alle[a:b].astype(np.int64) for naam, a, b in zip(ids, grenzen[:-1], grenzen[1:])}
    codes = codes_tabel["uitkeringen"]
    start, start_mis = dagnummers(uitk["startdatum"])
    if start_mis.any():
        raise ValueError(f"uitkeringen: {int(start_mis.sum())} periode(n) zonder startdatum; verwacht een datum")
    eind, eind_mis = dagnummers(uitk["einddatum"]) if "einddatum" in uitk.columns else (
        np.zeros(len(uitk), np.int64), np.ones(len(uitk), bool))
    eind = np.where(eind_mis, GEEN_EINDE, eind)
    omgekeerd = eind < start
    if omgekeerd.any():
        voorbeeld = uitk.loc[omgekeerd, ["client_id", "startdatum", "einddatum"]].head(5)
        raise ValueError(
            f"uitkeringen: {int(omgekeerd.sum())} periode(n) met einddatum voor startdatum; verwacht "
            f"einddatum >= startdatum: {voorbeeld.to_dict('records')}"
        )
    status_alle = _status_codes(uitk, eind_mis)

    orde = np.lexsort((start, codes))
    codes, start, eind, status_alle = codes[orde], start[orde], eind[orde], status_alle[orde]
    n = len(orde)
    spell_id_alle = np.arange(1, n + 1, dtype=np.int64)
    nieuw = np.ones(n, bool)
    nieuw[1:] = codes[1:] != codes[:-1]
    eerste = np.flatnonzero(nieuw)
    groep = np.cumsum(nieuw) - 1
    spell_nr_alle = np.arange(n, dtype=np.int64) - eerste[groep] + 1
    werk = (status_alle == WERK).astype(np.int64)
    werk_cum = np.cumsum(werk)
    werk_voor = werk_cum - werk - (werk_cum - werk)[eerste][groep]  # werk exits among earlier spells
    terugval_alle = (werk_voor > 0).astype(np.int8)
    volgende = np.full(n, GEEN_EINDE, np.int64)
    zelfde = ~nieuw[1:]
    volgende[:-1] = np.where(zelfde, start[1:], GEEN_EINDE)
    overlappend = int((zelfde & (start[1:] <= eind[:-1])).sum())

    voor = eind < w0
    na = start > w1
    houd = ~(voor | na)
    s, e = start[houd], eind[houd]
    instap = np.maximum(w0 - s, 0)
    einde = np.minimum(e, w1) - s + 1
    status = np.where(e <= w1, status_alle[houd], 0).astype(np.int8)

    stat = pd.DataFrame(index=pd.RangeIndex(int(houd.sum())))
    cl = tabellen.get("clienten")
    code_houd = codes[houd]
    if cl is not None:
        positie = np.full(len(clienten), -1, np.int64)
        positie[codes_tabel["clienten"][::-1]] = np.arange(len(cl) - 1, -1, -1)  # first row per client
        rij = positie[code_houd]
        vol = bool((rij >= 0).all())
        for kol in ("gemeentecode", "geslacht", "opleidingsniveau", "statushouder", "speciaal_onderwijs"):
            if kol in cl.columns:
                stat[kol] = cl[kol].array.take(rij, allow_fill=not vol)
            else:
                stat[kol] = pd.Series(pd.NA, index=stat.index, dtype=object)
        if "geboortejaar" in cl.columns:
            gj = cl["geboortejaar"].astype("Int64").array.take(rij, allow_fill=True)
            stat["leeftijd"] = pd.array(jaar_van(s), dtype="Int64") - gj
        else:
            stat["leeftijd"] = pd.array([pd.NA] * len(stat), dtype="Int64")
    else:
        for kol in STATISCH:
            stat[kol] = pd.Series(pd.NA, index=stat.index, dtype="Int64" if kol == "leeftijd" else object)
    if cl is not None and "loonwaarde" in cl.columns and cl["loonwaarde"].notna().any():  # optional (issue 19): only when the data has it
        stat["loonwaarde"] = pd.to_numeric(cl["loonwaarde"].array.take(rij, allow_fill=True), errors="coerce")
    stat = stat[list(STATISCH) + [k for k in OPTIONEEL_STATISCH if k in stat.columns]]

    gebeurtenissen = {int(k): int(v) for k, v in zip(*np.unique(status[status > 0], return_counts=True))}
    telling = {
        "perioden": int(n),
        "in_venster": int(houd.sum()),
        "voor_venster": int(voor.sum()),
        "na_venster": int(na.sum()),
        "vertraagde_instap": int((instap > 0).sum()),
        "gecensureerd": int((status == 0).sum()),
        "gebeurtenissen": gebeurtenissen,
        "overlappend": overlappend,
        "venster_start": str(w0_ts.date()),
        "venster_eind": str(w1_ts.date()),
        "venster_eind_afgeleid": bool(afgeleid),
    }
    return Perioden(
        client_id=np.asarray(clienten, dtype=object)[code_houd],
        client_code=code_houd.astype(np.int64),
        spell_id=spell_id_alle[houd],
        spell_nr=spell_nr_alle[houd],
        terugval=terugval_alle[houd],
        start=s,
        eind=e,
        instap=instap,
        einde=einde,
        status=status,
        volgende_start=volgende[houd],
        statisch=stat,
        clienten=np.asarray(clienten, dtype=object),
        w0=w0,
        w1=w1,
        telling=telling,
        codes_tabel=codes_tabel,
    )


def client_codes(p: Perioden, tabel: str, df: pd.DataFrame) -> np.ndarray:
    """Client codes of the rows of table ``tabel`` (computed once in :func:`perioden`)."""
    if tabel in p.codes_tabel and len(p.codes_tabel[tabel]) == len(df):
        return p.codes_tabel[tabel]
    return pd.Index(p.clienten).get_indexer(df["client_id"].to_numpy(dtype=object)).astype(np.int64)


def koppel_aan_perioden(p: Perioden, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (row, kept-spell) pairs where row ``i`` (client ``code[i]``) meets a kept spell of its client.

    Returns the row indices and the spell indices (into ``p``), without a Python loop: each row is
    repeated once per kept spell of its client.
    """
    nc = len(p.clienten)
    aantal = np.bincount(p.client_code, minlength=nc)
    eerste = np.concatenate(([0], np.cumsum(aantal)[:-1]))
    geldig = code >= 0
    rij = np.flatnonzero(geldig)
    k = aantal[code[geldig]]
    rij_rep = np.repeat(rij, k)
    basis = np.repeat(eerste[code[geldig]], k)
    binnen = np.arange(len(rij_rep)) - np.repeat(np.cumsum(k) - k, k)
    return rij_rep, basis + binnen


def sleutel(spell: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Packed sort key (spell index, spell time) as int64; ``t`` must lie in [0, 2**32)."""
    return (np.asarray(spell, np.int64) << _SHIFT) | np.asarray(t, np.int64)


def dag_sleutel(client: np.ndarray, dag: np.ndarray) -> np.ndarray:
    """Packed sort key (client code, day number) as int64."""
    return (np.asarray(client, np.int64) << _SHIFT) | (np.asarray(dag, np.int64) + _DAG_OFFSET)
