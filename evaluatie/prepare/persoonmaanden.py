"""Person-month table: one row per spell × spell month at risk inside the observation window.

Month rule. Spell month ``m`` (column ``maand``, 0-based) covers the days
``[S + m months, S + (m + 1) months)`` where ``S`` is the spell's startdatum and "+ m months" moves the
calendar month on by ``m`` keeping the day of month, clipped to the month's last day and always counted
from ``S`` (start 31 Jan: month 0 = 31 Jan–27 Feb, month 1 = 28 Feb–30 Mar, month 2 = 31 Mar–29 Apr).
A month is in the table when at least one of its days is observed (inside the window and on benefit), so
the first and last month may be partial; ``dagen`` counts the observed days, and summed over a spell it
equals the spell's person-days in the counting-process rows.

Columns. ``kalendermaand`` (pandas ``Period[M]``) is the calendar month of the spell month's first day
``S + m months`` — for the entry month of a spell that began before the window this may precede the window
start. ``status`` is the uitstroom code in the month holding the spell's last observed day when the exit lies
in the window, else 0. Instrument states ``<code>_in``/``<code>_na``, ``categorie`` and ``trede`` are those
in force on the **first observed day of the month** (the state at the start of the month, predetermined
with respect to an exit later that month); they are taken from the counting-process rows, so both tables
agree. With ``maanden_sinds_start=True`` the table also has ``<code>_maand`` = ``maand`` minus the spell
month in which the first trajectory of that instrument in this spell started (negative before the start,
NaN when no trajectory of that instrument started in the spell before the end of observation).
``traject_start`` (int8) is 1 in the spell month in which the spell's first trajectory (of any instrument)
started, else 0: it tells a programme that starts in the window's first month from one that was already
running before the window (both are "in programme" in the first observed month).

Types. By default (``compact=True``) the table is compact (issue 20): strings (``client_id``, ``categorie``,
the static string covariates) are categoricals, integers the narrowest type that holds them (``spell_id``
int32, ``spell_nr``/``maand`` int16, ``trede``/``leeftijd`` nullable Int8), the mostly-zero instrument states ``<code>_in``/``<code>_na``
sparse (``Sparse[int8, 0]``; ``to_numpy(dtype=np.int8)`` gives the dense column), built from per-spell and
per-row codes (:mod:`evaluatie.prepare.compact`) so no wide long column is made. The values are those of
``compact=False`` (the wide types of before), element by element.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from evaluatie.prepare.compact import Codes, ijl, neem, smal_type
from evaluatie.prepare.koppeling import Deelnames, deelnames, indeling, kies_instrumenten
from evaluatie.prepare.spells import (STATISCH, Perioden, dag_in_maand, maand_ordinaal, maand_van, perioden, sleutel,
                                      statische_kolommen)
from evaluatie.prepare.telproces import _kern, _waarschuwingen, frame


def eerste_startmaand(p: Perioden, deel: Deelnames) -> np.ndarray:
    """Spell month of the first programme start per (kept spell, instrument); NaN when none.

    Only trajectories starting before the end of observation count (no look-ahead past the window end).
    Returns a float array of shape ``(len(p), len(deel.codes))``.
    """
    K = len(deel.codes)
    uit = np.full((len(p), K), np.nan)
    if K == 0 or len(deel.spell) == 0:
        return uit
    ok = deel.begin < p.einde[deel.spell]
    sp, ins, begin = deel.spell[ok], deel.instrument[ok], deel.begin[ok]
    orde = np.lexsort((begin, ins, sp))
    sp, ins, begin = sp[orde], ins[orde], begin[orde]
    eerst = np.ones(len(sp), bool)
    eerst[1:] = (sp[1:] != sp[:-1]) | (ins[1:] != ins[:-1])
    sp, ins, begin = sp[eerst], ins[eerst], begin[eerst]
    uit[sp, ins] = maand_van(p.start[sp], p.start[sp] + begin)
    return uit


def _maandrijen(p: Perioden, sleutels: np.ndarray, m0: np.ndarray, aantal: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per person-month row: spell index, spell month, calendar month ordinal, observed days, status and the
    counting-process row in force on the first observed day (all at once, 64-bit; ``compact=False``)."""
    S, e, o = p.start, p.instap, p.einde
    sp = np.repeat(np.arange(len(p), dtype=np.int64), aantal)
    maand = np.repeat(m0, aantal) + (np.arange(len(sp)) - np.repeat(np.cumsum(aantal) - aantal, aantal))
    ms, dom0 = maand_ordinaal(S)
    km = ms[sp] + maand  # calendar month of the spell month's first day
    d0 = dom0[sp]
    s = S[sp]
    begin = dag_in_maand(km, d0) - s
    volgend = dag_in_maand(km + 1, d0) - s
    eerste_dag = np.maximum(begin, e[sp])
    dagen = np.minimum(volgend, o[sp]) - eerste_dag
    laatst = np.zeros(len(sp), bool)
    laatst[np.cumsum(aantal) - 1] = True
    status = np.where(laatst, p.status[sp], 0).astype(np.int8)
    r = np.searchsorted(sleutels, sleutel(sp, eerste_dag), side="right") - 1
    return sp, maand, km, dagen, status, r


#: Person-month rows computed at once by :func:`_maandrijen_in_blokken` (bounds the temporary arrays).
BLOK_RIJEN = 2_000_000


def _maandrijen_in_blokken(p: Perioden, sleutels: np.ndarray, m0: np.ndarray, m1: np.ndarray,
                           aantal: np.ndarray, blok: int | None = None) -> tuple[np.ndarray, ...]:
    """As :func:`_maandrijen`, written into narrow arrays block of spells by block (``compact=True``).

    The same arithmetic per row on at most about ``blok`` rows at a time (plus one spell), so the 64-bit
    temporaries of a national table (ten arrays of 26 million rows, 2 GB) never exist at once. Spell index
    and counting-process row come back as int32 when they fit, ``maand`` and ``dagen`` as int16 (``maand``
    wider if needed).
    """
    blok = BLOK_RIJEN if blok is None else int(blok)
    S, e, o = p.start, p.instap, p.einde
    n = int(aantal.sum())
    sp = np.repeat(np.arange(len(p), dtype=np.int32 if len(p) < 2**31 else np.int64), aantal)
    maand = np.empty(n, smal_type(int(m0.min(initial=0)), int(m1.max(initial=0)), ondergrens=np.int16))
    km = np.empty(n, np.int64)
    dagen = np.empty(n, np.int16)
    status = np.empty(n, np.int8)
    r = np.empty(n, np.int32 if len(sleutels) < 2**31 else np.int64)
    ms, dom0 = maand_ordinaal(S)
    grens = np.r_[0, np.cumsum(aantal)]
    # block boundaries at spell boundaries: the first spell end at or past each multiple of ``blok`` rows
    snede = np.unique(np.r_[0, np.searchsorted(grens, np.arange(blok, n, blok), side="left"), len(p)])
    for a, b in zip(snede[:-1], snede[1:]):
        lo, hi = int(grens[a]), int(grens[b])
        if hi == lo:
            continue
        ant = aantal[a:b]
        spb = sp[lo:hi].astype(np.int64)
        mb = np.repeat(m0[a:b], ant) + (np.arange(hi - lo) - np.repeat(np.cumsum(ant) - ant, ant))
        kmb = ms[spb] + mb
        sb = S[spb]
        eerste_dag = np.maximum(dag_in_maand(kmb, dom0[spb]) - sb, e[spb])
        db = np.minimum(dag_in_maand(kmb + 1, dom0[spb]) - sb, o[spb]) - eerste_dag
        laatst = np.zeros(hi - lo, bool)
        laatst[np.cumsum(ant) - 1] = True
        maand[lo:hi] = mb
        km[lo:hi] = kmb
        dagen[lo:hi] = db  # a month has at most 31 days
        status[lo:hi] = np.where(laatst, p.status[spb], 0)
        r[lo:hi] = np.searchsorted(sleutels, sleutel(spb, eerste_dag), side="right") - 1
    return sp, maand, km, dagen, status, r


def _kolommen_compact(bron: dict[str, Any], codes: Sequence[str], m0: np.ndarray, m1: np.ndarray,
                      aantal: np.ndarray, maanden_sinds_start: bool) -> dict[str, Any]:
    """The columns of the compact table (same order and values as the wide one), built lean.

    ``bron`` holds the only references to the spells (``p``), the counting-process rows (``kern``) and
    the participations (``deel``); they are dropped from it as soon as they are no longer needed, so
    their memory is free before the last long columns are made. Long arrays are made once in their final
    narrow type; ``traject_start`` compares with a per-spell start month in ``maand``'s type instead of a
    float64 long array.
    """
    p, kern = bron["p"], bron.pop("kern")
    rijen = kern.kolommen
    sp, maand, km, dagen, status, r = _maandrijen_in_blokken(p, kern.sleutels, m0, m1, aantal)
    kj = np.empty(len(km), np.int16)
    for lo in range(0, len(km), BLOK_RIJEN):
        kj[lo:lo + BLOK_RIJEN] = km[lo:lo + BLOK_RIJEN] // 12 + 1970
    toestanden: dict[str, Any] = {}
    for code in codes:
        for toestand in ("_in", "_na"):
            toestanden[f"{code}{toestand}"] = ijl(neem(rijen[f"{code}{toestand}"], r))
    cat, trede = Codes(rijen["categorie"]).neem(r), Codes(rijen["trede"]).neem(r)
    del r, rijen, kern
    sm = eerste_startmaand(p, bron.pop("deel"))
    with np.errstate(invalid="ignore"):
        eerste = np.nanmin(np.where(np.isnan(sm), np.inf, sm), axis=1) if sm.shape[1] else np.full(len(p), np.inf)
    # maand >= 0, so -1 never matches (as inf never did); the start months are whole numbers
    ok = np.isfinite(eerste)
    eerste_i = np.full(len(eerste), -1, maand.dtype)
    eerste_i[ok] = eerste[ok]
    spells = {"client_id": Codes(p.client_id), "spell_id": Codes(p.spell_id, ondergrens=np.int32),
              "spell_nr": Codes(p.spell_nr, ondergrens=np.int16),
              **{naam: Codes(p.statisch[naam]) for naam in STATISCH}, "terugval": Codes(p.terugval)}
    del p
    bron.pop("p")
    kol: dict[str, Any] = {
        "client_id": spells["client_id"].neem(sp),
        "spell_id": spells["spell_id"].neem(sp),
        "spell_nr": spells["spell_nr"].neem(sp),
        "maand": maand,
        "kalendermaand": pd.PeriodIndex.from_ordinals(km, freq="M").array,
        "kalenderjaar": kj,
        "dagen": dagen,
        "status": status,
        **toestanden,
        "traject_start": (maand == neem(eerste_i, sp)).view(np.int8),
    }
    if maanden_sinds_start:
        for k, code in enumerate(codes):
            kol[f"{code}_maand"] = maand - sm[sp, k]
    kol["categorie"], kol["trede"] = cat, trede
    kol.update({naam: spells[naam].neem(sp) for naam in STATISCH})
    kol["terugval"] = spells["terugval"].neem(sp)
    return kol


def persoonmaanden(
    tabellen: Mapping[str, pd.DataFrame],
    *,
    waarnemingsperiode: Any = None,
    instrumenten: Sequence[str] | None = None,
    maanden_sinds_start: bool = False,
    compact: bool = True,
) -> pd.DataFrame:
    """Person-month table (contract "Person-month table"); rules in the module docstring.

    Parameters
    ----------
    tabellen : mapping of str to DataFrame
        Validated tables (``uitkeringen`` required; ``clienten``, ``categorieen``, ``trajecten``). Not
        modified.
    waarnemingsperiode : None, (start, eind) or {"start": ..., "eind": ...}
        As for :func:`evaluatie.prepare.telproces`.
    instrumenten : sequence of str, optional
        Instrument codes with state columns (default: every schema instrument in ``trajecten``).
    maanden_sinds_start : bool
        Add ``<code>_maand`` (float) per instrument; off by default (large at national scale).
    compact : bool
        Categorical codes and narrow integer types (default; see the module docstring). ``False``: object
        strings and 64-bit integers, the same values.

    Returns
    -------
    DataFrame
        Columns ``client_id``, ``spell_id``, ``spell_nr``, ``maand``, ``kalendermaand`` (Period[M]),
        ``kalenderjaar`` (year of ``kalendermaand``), ``dagen``, ``status``, ``<code>_in``, ``<code>_na``
        (int8), ``traject_start`` (int8), [``<code>_maand``], ``categorie``, ``trede``, the static covariates of the counting-process
        rows and ``terugval``; sorted by (client_id, spell start, maand). ``attrs["telling"]`` as for
        ``telproces`` plus ``persoonmaanden``.
    """
    from evaluatie.voortgang import balk

    vg = balk(4, "persoonmaanden", eenheid="stap")  # silent off a terminal, in CI and under --stil
    p = perioden(tabellen, waarnemingsperiode)
    vg.update(1)
    codes = kies_instrumenten(tabellen.get("trajecten"), instrumenten)
    deel = deelnames(p, tabellen.get("trajecten"), codes)
    kern = _kern(p, deel, indeling(p, tabellen.get("categorieen")), split_kalenderjaar=False, volledig=False)
    rijen = kern.kolommen
    vg.update(1)

    S, e, o = p.start, p.instap, p.einde
    m0 = maand_van(S, S + e)
    m1 = maand_van(S, S + o - 1)
    aantal = m1 - m0 + 1
    telling = dict(p.telling)
    if compact:
        bron = {"p": p, "kern": kern, "deel": deel}
        del p, kern, rijen, deel
        kol = _kolommen_compact(bron, codes, m0, m1, aantal, maanden_sinds_start)
        vg.update(1)
    else:
        sp, maand, km, dagen, status, r = _maandrijen(p, kern.sleutels, m0, aantal)
        vg.update(1)
        kol = {
            "client_id": p.client_id[sp],
            "spell_id": p.spell_id[sp],
            "spell_nr": p.spell_nr[sp],
            "maand": maand,
            "kalendermaand": pd.PeriodIndex.from_ordinals(km, freq="M").array,
            "kalenderjaar": (km // 12 + 1970).astype(np.int16),
            "dagen": dagen.astype(np.int16),
            "status": status,
        }
        for code in codes:
            kol[f"{code}_in"] = rijen[f"{code}_in"][r]
            kol[f"{code}_na"] = rijen[f"{code}_na"][r]
        sm = eerste_startmaand(p, deel)
        with np.errstate(invalid="ignore"):
            eerste = np.nanmin(np.where(np.isnan(sm), np.inf, sm), axis=1) if sm.shape[1] else np.full(len(p), np.inf)
        kol["traject_start"] = (maand == eerste[sp]).astype(np.int8)
        if maanden_sinds_start:
            for k, code in enumerate(codes):
                kol[f"{code}_maand"] = maand - sm[sp, k]
        kol["categorie"] = rijen["categorie"][r]
        kol["trede"] = rijen["trede"].take(r)
        kol.update(statische_kolommen(p, sp))
        kol["terugval"] = p.terugval[sp]
    df = frame(kol)
    telling["persoonmaanden"] = int(len(df))
    telling["persoonsdagen"] = int((o - e).sum())
    df.attrs.update({"telling": telling, "instrumenten": codes, "waarschuwingen": _waarschuwingen(telling),
                     "spec": {"waarnemingsperiode": (telling["venster_start"], telling["venster_eind"]),
                              "instrumenten": codes, "maanden_sinds_start": bool(maanden_sinds_start)}})
    if compact:
        df.attrs["compact"] = True
    vg.update(1)
    vg.close()
    return df
