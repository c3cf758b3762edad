"""Merging benefit periods of one client into spells, and pseudonymous client ids.

The published VNG script (``Bijstand.R`` in VNG-Realisatie/Data-Science-Hub-Bijstand) does **not**
merge periods: every row of the extract is counted as one uitkering. Our schema needs non-overlapping
periods per client, and a spell (an uninterrupted stay on benefit) is the unit of survival analysis, so
the importer merges, per client, periods that overlap or follow each other with a gap of at most
``max_gat_dagen`` days without benefit (default 0: a period starting the day after the previous one ended
continues the spell). ``max_gat_dagen=None`` keeps every row as its own spell, as the VNG script does.
"""
from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

_OPEN = np.datetime64("2262-01-01", "ns")  # stands in for "no einddatum" when taking maxima


def spell_nummers(
    sleutel: pd.Series, start: pd.Series, eind: pd.Series, max_gat_dagen: int | None = 0
) -> np.ndarray:
    """Assign each period to a spell.

    Parameters
    ----------
    sleutel : Series
        Client key per period (periods with equal keys belong to one client).
    start, eind : Series of datetime64
        First and last day of each period; ``eind`` NaT = still running (open). A NaT ``start`` (unusable
        date) makes the period a spell of its own.
    max_gat_dagen : int or None
        Largest number of days *without* benefit between two periods of one client that still continues
        the spell: with 0, a period ending 31 January followed by one starting 1 February is one spell; one
        starting 2 February is a new spell (one day without benefit). Overlapping periods, and every
        period starting after an open period, always merge. ``None``: no merging.

    Returns
    -------
    ndarray of int64
        Spell number per period (0-based, same order as the input), numbered in order of (key, start).
    """
    n = len(start)
    if max_gat_dagen is None or n == 0:
        return np.arange(n, dtype=np.int64)
    if max_gat_dagen < 0:
        raise ValueError(f"max_gat_dagen moet 0 of groter zijn (of None), kreeg {max_gat_dagen}")
    s = pd.to_datetime(start).to_numpy(dtype="datetime64[ns]")
    e = pd.to_datetime(eind).to_numpy(dtype="datetime64[ns]")
    k = pd.Series(sleutel).astype(str).to_numpy()
    geldig = ~np.isnat(s)
    # sort by key, start, end (stable); invalid starts go last and stay alone
    volg = np.lexsort((np.where(np.isnat(e), _OPEN, e), np.where(geldig, s, _OPEN), k, ~geldig))
    ks, ss, es, gs = k[volg], s[volg], np.where(np.isnat(e[volg]), _OPEN, e[volg]), geldig[volg]
    nieuw_klant = np.ones(n, dtype=bool)
    nieuw_klant[1:] = ks[1:] != ks[:-1]
    # running maximum of the end date within a client, shifted by one: the end of the spell so far
    groep = np.cumsum(nieuw_klant)
    cummax = pd.Series(es.astype("int64")).groupby(groep).cummax().to_numpy()
    vorige = np.empty(n, dtype="int64")
    vorige[0] = 0
    vorige[1:] = cummax[:-1]
    open_i = _OPEN.astype("int64")
    stap = np.int64((max_gat_dagen + 1) * 86_400 * 10**9)
    vorig_open = vorige == open_i  # the spell so far is still running: everything after it joins
    grens = np.where(vorig_open, open_i, np.where(vorig_open, 0, vorige) + stap)
    vorige_geldig = np.r_[False, gs[:-1]]
    sluit_aan = (~nieuw_klant) & gs & vorige_geldig & (ss.astype("int64") <= grens)
    nummer_sorted = np.cumsum(~sluit_aan) - 1
    out = np.empty(n, dtype=np.int64)
    out[volg] = nummer_sorted
    return out


def pseudoniemen(sleutel: pd.Series, *, geheim: bytes | str | None = None, voorvoegsel: str = "C",
                 breedte: int | None = None) -> pd.Series:
    """Pseudonymous client ids; never the original number.

    Without ``geheim``: sequential in order of first appearance (``C0001``, ``C0002``, …; width grows with
    the number of clients, or ``breedte`` digits), deterministic for one file. Short ids can occur by chance
    in a report's text or embedded figures, where the disclosure check searches for them: the generic
    importer uses 7 digits, as the simulator does. With ``geheim``: a keyed hash (HMAC-SHA-256,
    first 16 hex digits) of the key, stable across deliveries of the same municipality but not reversible
    without the secret (a plain hash of a client number could be reversed by trying all numbers).
    """
    k = pd.Series(sleutel).astype(str).reset_index(drop=True)
    if geheim is not None:
        g = geheim.encode("utf-8") if isinstance(geheim, str) else geheim
        uniek = pd.unique(k)
        tabel = {u: voorvoegsel + hmac.new(g, u.encode("utf-8"), hashlib.sha256).hexdigest()[:16] for u in uniek}
        return k.map(tabel)
    codes, uniek = pd.factorize(k, sort=False)
    breedte = max(breedte or 4, len(str(len(uniek))))
    labels = np.array([f"{voorvoegsel}{i + 1:0{breedte}d}" for i in range(len(uniek))], dtype=object)
    return pd.Series(labels[codes], dtype=object)
