"""From simulated arrays to the typed client-level tables (clienten, uitkeringen, categorieen, trajecten).

Types follow the CONTRIBUTING "Validated tables" contract: string -> object, integer -> Int64,
boolean -> bool, date -> datetime64[ns] (missing = NaT). Only what a register would show on the peildatum
is written: spells that overlap the window, events up to the peildatum.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.simulatie.config import CATEGORIEEN, HVWB_GEMEENTEN, INSTRUMENTEN, UITSTROOMREDENEN
from evaluatie.simulatie.hazards import OPLEIDINGEN
from evaluatie.simulatie.paden import Clienten, Paden, Spells
from evaluatie.simulatie.trajecten import trek_inzetbaarheid, trek_trede

_GESLACHT = np.array(["man", "vrouw", "onbekend"], dtype=object)
_EPOCH = 1970 * 12


def eerste_dag(t: np.ndarray) -> np.ndarray:
    """First day of absolute month ``t`` (year*12 + month-1) as datetime64[ns]."""
    return (np.asarray(t, dtype=np.int64) - _EPOCH).astype("datetime64[M]").astype("datetime64[ns]")


def laatste_dag(t: np.ndarray) -> np.ndarray:
    """Last day of absolute month ``t`` as datetime64[ns]."""
    return eerste_dag(np.asarray(t, dtype=np.int64) + 1) - np.timedelta64(1, "D")


def _datum_of_nat(t: np.ndarray, ok: np.ndarray) -> pd.Series:
    out = laatste_dag(np.where(ok, t, _EPOCH))
    out[~ok] = np.datetime64("NaT")
    return pd.Series(out, dtype="datetime64[ns]")


def maak_tabellen(
    *,
    clienten: Clienten,
    spells: Spells,
    feit: Paden,
    nugger_instroom: np.ndarray,
    venster: tuple[int, int],
    rng: np.random.Generator,
) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    """Build clienten, uitkeringen, categorieen and trajecten.

    Returns the four frames and the boolean mask of spells written (overlapping the window).
    """
    w0, w1 = venster
    eind_t = spells.start + feit.eind
    beeindigd = (feit.eind >= 0) & (eind_t <= w1)
    houd = (spells.start <= w1) & ((feit.eind < 0) | (eind_t >= w0))

    # client ids: clients with a written spell, then nuggers, in internal order
    n_cl = clienten.geboorte.size
    in_data = np.zeros(n_cl, dtype=bool)
    in_data[spells.client[houd]] = True
    in_data |= clienten.nugger
    intern = np.flatnonzero(in_data)
    nummer = np.full(n_cl, -1, dtype=np.int64)
    nummer[intern] = np.arange(1, intern.size + 1)
    ids = np.array([f"C{i:07d}" for i in range(1, intern.size + 1)], dtype=object)

    def cid(c: np.ndarray) -> np.ndarray:
        return ids[nummer[c] - 1]

    codes = np.array(list(HVWB_GEMEENTEN), dtype=object)
    clienten_df = pd.DataFrame({
        "client_id": ids,
        "gemeentecode": codes[clienten.gemeente[intern]],
        "geboortejaar": pd.array(clienten.geboorte[intern] // 12, dtype="Int64"),
        "geslacht": _GESLACHT[clienten.geslacht[intern]],
        "opleidingsniveau": np.array(OPLEIDINGEN, dtype=object)[clienten.opleiding[intern]],
        "statushouder": clienten.statushouder[intern].astype(bool),
        "speciaal_onderwijs": clienten.speciaal_onderwijs[intern].astype(bool),
        "nugger": clienten.nugger[intern].astype(bool),
    })

    s = np.flatnonzero(houd)
    redenen = np.array(("",) + UITSTROOMREDENEN, dtype=object)
    uit_reden = redenen[feit.reden[s]]
    uit_reden[~beeindigd[s]] = None
    uitkeringen = pd.DataFrame({
        "client_id": cid(spells.client[s]),
        "startdatum": pd.Series(eerste_dag(spells.start[s]), dtype="datetime64[ns]"),
        "einddatum": _datum_of_nat(eind_t[s], beeindigd[s]),
        "uitstroomreden": uit_reden,
    })

    # classifications of written spells up to the peildatum, plus one per nugger
    kl = feit.klassen
    assert kl is not None
    kt = spells.start[kl["spell"]] + kl["maand"]
    ok = houd[kl["spell"]] & (kt <= w1)
    nug = np.flatnonzero(clienten.nugger)
    nt, ncat = nugger_instroom
    ncat = ncat.astype(np.int8)
    ntrede = trek_trede(ncat, rng.random(nug.size))
    ninzet = trek_inzetbaarheid(ncat, rng.random(nug.size))
    cats = np.array(CATEGORIEEN, dtype=object)
    categorieen = pd.DataFrame({
        "client_id": np.concatenate([cid(spells.client[kl["spell"][ok]]), cid(nug)]),
        "startdatum": pd.Series(eerste_dag(np.concatenate([kt[ok], nt])), dtype="datetime64[ns]"),
        "categorie": cats[np.concatenate([kl["categorie"][ok], ncat])],
        "trede": pd.array(np.concatenate([kl["trede"][ok], ntrede]).astype(np.int64), dtype="Int64"),
        "inzetbaarheid": pd.array(np.concatenate([kl["inzet"][ok], ninzet]).astype(np.int64), dtype="Int64"),
    })

    # trajectories starting in the window (instruments exist only from cfg.instrumenten_vanaf)
    ts = spells.start + feit.d
    tr_ok = houd & (feit.instrument >= 0) & (ts >= w0) & (ts <= w1)
    j = np.flatnonzero(tr_ok)
    laatste = feit.d[j] + feit.duur[j] - 1
    laatste = np.where(feit.eind[j] >= 0, np.minimum(laatste, feit.eind[j]), laatste)
    te = spells.start[j] + laatste
    trajecten = pd.DataFrame({
        "client_id": cid(spells.client[j]),
        "instrument": np.array(INSTRUMENTEN, dtype=object)[feit.instrument[j]],
        "startdatum": pd.Series(eerste_dag(ts[j]), dtype="datetime64[ns]"),
        "einddatum": _datum_of_nat(te, te <= w1),
    })

    out = {}
    for naam, df, sleutel in (
        ("clienten", clienten_df, ["client_id"]),
        ("uitkeringen", uitkeringen, ["client_id", "startdatum"]),
        ("categorieen", categorieen, ["client_id", "startdatum"]),
        ("trajecten", trajecten, ["client_id", "startdatum", "instrument"]),
    ):
        out[naam] = df.sort_values(sleutel, kind="stable").reset_index(drop=True)
    return out, houd
