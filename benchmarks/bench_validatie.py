"""Benchmark: read + validate 1,000,000 trajecten (plus matching clienten and uitkeringen) from Parquet.

Run: ``.venv/bin/python benchmarks/bench_validatie.py [--n 1000000] [--csv]``. Prints the time of each
stage. Data are generated with a fixed seed in a temporary directory; ~1 % of trajecten are broken on
purpose so the rejection path is timed too.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def maak_data(map: Path, n_traj: int, seed: int = 2024, csv: bool = False) -> dict[str, int]:
    """Write clienten, uitkeringen and trajecten (n_traj rows) to ``map``; return the row counts."""
    rng = np.random.default_rng(seed)
    n_cl = max(n_traj // 4, 1)
    ids = np.char.add("K", np.char.zfill(np.arange(n_cl).astype(str), 7)).astype(object)
    gem = np.array(["GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879"], dtype=object)
    clienten = pd.DataFrame({
        "client_id": ids,
        "gemeentecode": gem[rng.integers(0, 6, n_cl)],
        "geboortejaar": rng.integers(1955, 2001, n_cl),
        "geslacht": np.array(["man", "vrouw"], dtype=object)[rng.integers(0, 2, n_cl)],
        "opleidingsniveau": np.array(["laag", "middelbaar", "hoog", "onbekend"], dtype=object)[rng.integers(0, 4, n_cl)],
        "statushouder": rng.random(n_cl) < 0.1,
        "speciaal_onderwijs": rng.random(n_cl) < 0.05,
        "nugger": np.zeros(n_cl, dtype=bool),
    })
    # two non-overlapping spells per client: [2014..2016] and [2017..open]
    s1 = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 700, n_cl), "D")
    e1 = s1 + pd.to_timedelta(rng.integers(30, 300, n_cl), "D")
    s2 = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 700, n_cl), "D")
    uitk = pd.DataFrame({
        "client_id": np.concatenate([ids, ids]),
        "startdatum": np.concatenate([s1.to_numpy(), s2.to_numpy()]),
        "einddatum": np.concatenate([e1.to_numpy(), np.full(n_cl, np.datetime64("NaT"), dtype="datetime64[ns]")]),
        "uitstroomreden": np.concatenate([np.full(n_cl, "werk", dtype=object), np.full(n_cl, None, dtype=object)]),
    })
    wie = rng.integers(0, n_cl, n_traj)
    in2 = rng.random(n_traj) < 0.6
    start = np.where(in2, s2.to_numpy()[wie], s1.to_numpy()[wie]) + pd.to_timedelta(rng.integers(0, 25, n_traj), "D").to_numpy()
    instr = np.array(["jobcoaching", "scholing", "werkstage", "sociale_activering", "arbeidstraining",
                      "praktijkovereenkomst", "beschut_werk"], dtype=object)
    traj = pd.DataFrame({
        "client_id": ids[wie],
        "instrument": instr[rng.integers(0, len(instr), n_traj)],
        "startdatum": start,
        "einddatum": start + pd.to_timedelta(rng.integers(30, 365, n_traj), "D").to_numpy(),
    })
    traj = traj.drop_duplicates(["client_id", "instrument", "startdatum"], ignore_index=True)
    if len(traj) < n_traj:  # top up with unique late-starting rows in spell 2
        extra = traj.sample(n_traj - len(traj), replace=True, random_state=seed).reset_index(drop=True)
        extra["startdatum"] = pd.Timestamp("2019-06-01") + pd.to_timedelta(np.arange(len(extra)) % 150, "D")
        extra["instrument"] = "proefplaatsing"
        extra["einddatum"] = pd.NaT
        traj = pd.concat([traj, extra], ignore_index=True).drop_duplicates(["client_id", "instrument", "startdatum"],
                                                                           ignore_index=True)
    stuk = rng.choice(len(traj), len(traj) // 100, replace=False)
    traj.loc[stuk, "instrument"] = "onbekend_instrument"
    ext = "csv" if csv else "parquet"
    for naam, df in (("clienten", clienten), ("uitkeringen", uitk), ("trajecten", traj)):
        if csv:
            df.to_csv(map / f"{naam}.{ext}", index=False, date_format="%Y-%m-%d")
        else:
            df.to_parquet(map / f"{naam}.{ext}", index=False)
    (map / "metadata.json").write_text('{"peildatum": "2019-12-31", "waarnemingsperiode": {"start": "2014-01-01", "eind": "2019-12-31"}}')
    return {"clienten": n_cl, "uitkeringen": len(uitk), "trajecten": len(traj), "stuk": len(stuk)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000, help="aantal trajecten")
    ap.add_argument("--csv", action="store_true", help="CSV in plaats van Parquet")
    args = ap.parse_args()
    from evaluatie.lezen import lees_tabel
    from evaluatie.validatie import valideer_map

    with tempfile.TemporaryDirectory() as d:
        map = Path(d)
        t0 = time.perf_counter()
        n = maak_data(map, args.n, csv=args.csv)
        t1 = time.perf_counter()
        for naam in ("clienten", "uitkeringen", "trajecten"):
            lees_tabel(next(map.glob(f"{naam}.*")), naam)
        t2 = time.perf_counter()
        res = valideer_map(map)
        t3 = time.perf_counter()
        r = res.reconciliatie().set_index("tabel")
        assert (r["gelezen"] == r["geaccepteerd"] + r["afgekeurd"]).all()
        assert r.loc["trajecten", "afgekeurd"] == n["stuk"], (r.loc["trajecten"].to_dict(), n)
        fmt = "CSV" if args.csv else "Parquet"
        print(f"data: {n['trajecten']:,} trajecten, {n['uitkeringen']:,} uitkeringen, {n['clienten']:,} clienten ({fmt})")
        print(f"genereren             {t1 - t0:6.2f} s")
        print(f"alleen lezen          {t2 - t1:6.2f} s")
        print(f"lezen + valideren     {t3 - t2:6.2f} s   (afgekeurd trajecten: {r.loc['trajecten', 'afgekeurd']:,})")


if __name__ == "__main__":
    main()
