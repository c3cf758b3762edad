"""Invariants on random hand-made populations, checked against a day-by-day reference written here.

The reference expands every observed spell day and decides each state by the plain definitions
(in programme = some trajectory of that instrument covers the day within the spell; after = none does but
one ended earlier within the spell; categorie = latest assignment dated on or before the day). It is slow
and obviously correct; the package does the same with cut points and cumsums.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.prepare import bouw_telproces, horizonuitkomsten, persoonmaanden, telproces

W0, W1 = pd.Timestamp("2015-01-01"), pd.Timestamp("2017-12-31")
INSTR = ["jobcoaching", "scholing", "arbeidstraining"]
REDENEN = ["werk", "verhuizing", "huishoudenswijziging", "pensioen_leeftijd", "overig"]


def populatie(seed: int, n: int = 120) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    basis = pd.Timestamp("2012-01-01")
    uitk, traj, cat = [], [], []
    for i in range(n):
        cid = f"c{i:04d}"
        t = basis + pd.Timedelta(days=int(rng.integers(0, 2500)))
        for _ in range(int(rng.integers(1, 4))):
            duur = int(rng.integers(0, 900))
            eind = t + pd.Timedelta(days=duur)
            loopt = rng.random() < 0.2 or eind > pd.Timestamp("2019-06-30")
            uitk.append((cid, t, pd.NaT if loopt else eind, None if loopt else REDENEN[rng.integers(0, 5)]))
            if loopt:
                break
            t = eind + pd.Timedelta(days=int(rng.integers(1, 400)))
        for _ in range(int(rng.integers(0, 4))):
            s = basis + pd.Timedelta(days=int(rng.integers(0, 2700)))
            e = pd.NaT if rng.random() < 0.15 else s + pd.Timedelta(days=int(rng.integers(0, 300)))
            traj.append((cid, INSTR[rng.integers(0, 3)], s, e))
        dagen = sorted(set(int(d) for d in rng.integers(0, 2800, size=int(rng.integers(0, 4)))))
        for d in dagen:
            cat.append((cid, basis + pd.Timedelta(days=d - 200), "ABC"[rng.integers(0, 3)], int(rng.integers(1, 7))))
    ids = sorted({u[0] for u in uitk})
    clienten = pd.DataFrame({"client_id": ids, "gemeentecode": "GM0777",
                             "geboortejaar": pd.array(rng.integers(1950, 2000, len(ids)), dtype="Int64"),
                             "geslacht": "man", "opleidingsniveau": "laag", "statushouder": False,
                             "speciaal_onderwijs": False, "nugger": False})
    return {
        "clienten": clienten,
        "uitkeringen": pd.DataFrame(uitk, columns=["client_id", "startdatum", "einddatum", "uitstroomreden"]),
        "trajecten": pd.DataFrame(traj, columns=["client_id", "instrument", "startdatum", "einddatum"])
        .drop_duplicates(["client_id", "instrument", "startdatum"]),
        "categorieen": pd.DataFrame(cat, columns=["client_id", "startdatum", "categorie", "trede"])
        .astype({"trede": "Int64"}),
    }


def referentie_dagen(tab: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (spell, observed day) with the states by definition (slow, loops)."""
    u = tab["uitkeringen"].sort_values(["client_id", "startdatum"]).reset_index(drop=True)
    u["spell_id"] = np.arange(1, len(u) + 1)
    rijen = []
    for r in u.itertuples():
        eind = r.einddatum if not pd.isna(r.einddatum) else pd.Timestamp.max.normalize()
        a, b = max(r.startdatum, W0), min(eind, W1)
        if a > b:
            continue
        dagen = pd.date_range(a, b, freq="D")
        df = pd.DataFrame({"spell_id": r.spell_id, "dag": dagen})
        for ins in INSTR:
            tr = tab["trajecten"][(tab["trajecten"].client_id == r.client_id) & (tab["trajecten"].instrument == ins)]
            inn = np.zeros(len(dagen), bool)
            na = np.zeros(len(dagen), bool)
            for t in tr.itertuples():
                t1 = t.einddatum if not pd.isna(t.einddatum) else pd.Timestamp.max.normalize()
                lo, hi = max(t.startdatum, r.startdatum), min(t1, eind)
                if lo > hi:
                    continue  # no overlap with this spell
                inn |= (dagen >= lo) & (dagen <= hi)
                na |= dagen > hi
            df[f"{ins}_in"] = inn.astype(int)
            df[f"{ins}_na"] = (na & ~inn).astype(int)
        c = tab["categorieen"][tab["categorieen"].client_id == r.client_id].sort_values("startdatum")
        idx = np.searchsorted(c.startdatum.to_numpy(), dagen.to_numpy(), side="right") - 1
        df["categorie"] = np.where(idx >= 0, c.categorie.to_numpy()[np.maximum(idx, 0)] if len(c) else "", "")
        df["kalenderjaar"] = dagen.year
        rijen.append(df)
    return pd.concat(rijen, ignore_index=True)


def direct(tab: dict[str, pd.DataFrame]) -> tuple[int, dict[int, int]]:
    """Person-days and exits per code straight from the spell table."""
    u = tab["uitkeringen"]
    eind = u.einddatum.fillna(pd.Timestamp("2262-01-01"))
    a = u.startdatum.where(u.startdatum > W0, W0)
    b = eind.where(eind < W1, W1)
    dagen = ((b - a).dt.days + 1).clip(lower=0)
    code = {"werk": 1, "verhuizing": 2, "huishoudenswijziging": 3, "pensioen_leeftijd": 4, "overig": 5}
    exit_in = u.einddatum.notna() & (u.einddatum >= W0) & (u.einddatum <= W1)
    ev = u.loc[exit_in, "uitstroomreden"].map(code).value_counts().to_dict()
    return int(dagen.sum()), {int(k): int(v) for k, v in ev.items()}


def _naar_dagen(df: pd.DataFrame, start: pd.Series) -> pd.DataFrame:
    n = (df["stop"] - df["start"]).astype(int).to_numpy()
    rep = df.loc[df.index.repeat(n)].reset_index(drop=True)
    off = np.arange(len(rep)) - np.repeat(np.cumsum(n) - n, n)
    rep["dag"] = start.reindex(rep["spell_id"]).to_numpy() + pd.to_timedelta(rep["start"].to_numpy() + off, unit="D")
    return rep


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_telproces_gelijk_aan_dagreferentie(seed):
    tab = populatie(seed)
    df = telproces(tab, waarnemingsperiode=(W0, W1), instrumenten=INSTR)
    ref = referentie_dagen(tab)
    u = tab["uitkeringen"].sort_values(["client_id", "startdatum"]).reset_index(drop=True)
    start = pd.Series(u.startdatum.to_numpy(), index=np.arange(1, len(u) + 1))
    dag = _naar_dagen(df, start)
    dag["categorie"] = dag["categorie"].fillna("")
    kol = ["spell_id", "dag"] + [f"{i}_{s}" for i in INSTR for s in ("in", "na")] + ["categorie", "kalenderjaar"]
    got = dag[kol].sort_values(["spell_id", "dag"]).reset_index(drop=True)
    exp = ref[kol].sort_values(["spell_id", "dag"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.astype(str), exp.astype(str))


@pytest.mark.parametrize("seed", [4, 5])
def test_persoonstijd_en_gebeurtenissen(seed):
    tab = populatie(seed, n=200)
    res = bouw_telproces(tab, waarnemingsperiode=(W0, W1))
    df = res.rijen
    dagen, ev = direct(tab)
    assert int((df["stop"] - df["start"]).sum()) == dagen == res.telling["persoonsdagen"]
    assert df.loc[df.status > 0, "status"].value_counts().to_dict() == ev
    # contiguity: within a spell stop[i] == start[i+1]; status only on the last row
    g = df.groupby("spell_id")
    assert (g["start"].shift(-1).dropna() == df.loc[g["start"].shift(-1).notna(), "stop"]).all()
    assert (df.loc[g.cumcount(ascending=False) > 0, "status"] == 0).all()
    assert (df["stop"] > df["start"]).all()
    pm = persoonmaanden(tab, waarnemingsperiode=(W0, W1))
    assert int(pm["dagen"].sum()) == dagen
    assert pm.loc[pm.status > 0, "status"].value_counts().to_dict() == ev
    assert set(pm["spell_id"]) == set(df["spell_id"])


@pytest.mark.parametrize("seed", [6])
def test_persoonmaanden_gelijk_aan_referentie(seed):
    tab = populatie(seed, n=80)
    pm = persoonmaanden(tab, waarnemingsperiode=(W0, W1), instrumenten=INSTR)
    ref = referentie_dagen(tab)
    u = tab["uitkeringen"].sort_values(["client_id", "startdatum"]).reset_index(drop=True)
    start = pd.Series(u.startdatum.to_numpy(), index=np.arange(1, len(u) + 1))
    s = start.reindex(pm["spell_id"]).reset_index(drop=True)
    # month bounds by pandas DateOffset, independently of the package's month arithmetic
    lo = pd.Series([a + pd.DateOffset(months=int(m)) for a, m in zip(s, pm["maand"])])
    hi = pd.Series([a + pd.DateOffset(months=int(m) + 1) for a, m in zip(s, pm["maand"])])
    eerste = lo.where(lo > W0, W0)
    assert (pm["kalendermaand"].reset_index(drop=True) == lo.dt.to_period("M")).all()
    ref_idx = ref.set_index(["spell_id", "dag"])
    sleutels = list(zip(pm["spell_id"], eerste))
    toestand = ref_idx.loc[sleutels]
    for c in [f"{i}_{t}" for i in INSTR for t in ("in", "na")]:
        assert pm[c].tolist() == toestand[c].tolist(), c
    # dagen = observed days of the reference falling in [lo, hi)
    tel = [((d >= a) & (d < b)).sum() for d, a, b in zip(
        [ref_idx.loc[i].index for i in pm["spell_id"]], lo, hi)]
    assert pm["dagen"].tolist() == tel


def test_horizon_gelijk_aan_referentie():
    tab = populatie(7, n=150)
    h = horizonuitkomsten(tab, waarnemingsperiode=(W0, W1), horizonnen=(6, 12, 24), duurzaam=(6,))
    u = tab["uitkeringen"].sort_values(["client_id", "startdatum"]).reset_index(drop=True)
    u["volgende"] = u.groupby("client_id")["startdatum"].shift(-1)
    u["spell_id"] = np.arange(1, len(u) + 1)
    u = u.set_index("spell_id").loc[h["spell_id"]]
    for hz in (6, 12, 24):
        verwacht = []
        for r in u.itertuples():
            grens = r.startdatum + pd.DateOffset(months=hz)
            exit_ = not pd.isna(r.einddatum) and r.einddatum <= W1
            if exit_ and r.einddatum < grens:
                verwacht.append(int(r.uitstroomreden == "werk"))
            elif W1 >= grens - pd.Timedelta(days=1):
                verwacht.append(0)
            else:
                verwacht.append(None)
        got = [None if pd.isna(x) else int(x) for x in h[f"werk_h{hz}"]]
        assert got == verwacht, hz
    verwacht = []
    for r in u.itertuples():
        if pd.isna(r.einddatum) or r.einddatum > W1 or r.uitstroomreden != "werk":
            verwacht.append(None)
            continue
        grens = r.einddatum + pd.Timedelta(days=1) + pd.DateOffset(months=6)
        if not pd.isna(r.volgende) and r.volgende < grens and r.volgende <= W1:
            verwacht.append(1)
        elif W1 >= grens - pd.Timedelta(days=1):
            verwacht.append(0)
        else:
            verwacht.append(None)
    assert [None if pd.isna(x) else int(x) for x in h["terugkeer_6"]] == verwacht


def test_gesimuleerde_data_persoonstijd():
    simulatie = pytest.importorskip("evaluatie.simulatie")
    sim = simulatie.simuleer(seed=3, n_clienten=300)
    venster = sim.metadata["waarnemingsperiode"]
    w0, w1 = pd.Timestamp(venster["start"]), pd.Timestamp(venster["eind"])
    tab = {k: sim.tabellen[k] for k in ("clienten", "uitkeringen", "categorieen", "trajecten")}
    res = bouw_telproces(tab, waarnemingsperiode=venster)
    df = res.rijen
    u = tab["uitkeringen"]
    eind = u.einddatum.fillna(pd.Timestamp("2262-01-01"))
    a = u.startdatum.where(u.startdatum > w0, w0)
    b = eind.where(eind < w1, w1)
    assert int((df["stop"] - df["start"]).sum()) == int(((b - a).dt.days + 1).clip(lower=0).sum())
    exit_in = u.einddatum.notna() & (u.einddatum >= w0) & (u.einddatum <= w1)
    assert int((df["status"] > 0).sum()) == int(exit_in.sum())
    assert int((df["status"] == 1).sum()) == int((exit_in & (u.uitstroomreden == "werk")).sum())
    assert df["spell_id"].nunique() == int(((u.startdatum <= w1) & (eind >= w0)).sum())
    pm = persoonmaanden(tab, waarnemingsperiode=venster)
    assert int(pm["dagen"].sum()) == int((df["stop"] - df["start"]).sum())
    assert (pm["status"] > 0).sum() == (df["status"] > 0).sum()
