"""Write the input of the g-formula reference (tests/reference/effecten_gformule.R).

A small simulated person-month table (seed 5, 400 clients in the stock), compacted to the columns the
reference needs: the instrument columns become one column ``instrument`` (the first instrument in column
order whose ``_in`` or ``_na`` flag is set; empty when untreated). Run from the repository root:

    .venv/bin/python tests/reference/maak_effecten_data.py
    Rscript tests/reference/effecten_gformule.R
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluatie.prepare import persoonmaanden
from evaluatie.simulatie import simuleer

UIT = Path(__file__).parent / "data" / "effecten_pm.csv.gz"


def main() -> None:
    sim = simuleer(seed=5, n_clienten=400)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    instr = [c[:-3] for c in pm.columns if c.endswith("_in")]
    vlag = np.column_stack([(pm[f"{c}_in"] + pm[f"{c}_na"]).to_numpy() > 0 for c in instr])
    eerste = np.where(vlag.any(axis=1), np.argmax(vlag, axis=1), -1)
    pm = pm.assign(instrument=np.where(eerste >= 0, np.array(instr, dtype=object)[np.maximum(eerste, 0)], ""))
    kol = ["client_id", "spell_id", "maand", "kalendermaand", "status", "categorie", "traject_start", "instrument"]
    pm[kol].to_csv(UIT, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{UIT}: {len(pm)} persoonmaanden, {pm.spell_id.nunique()} uitkeringen")


if __name__ == "__main__":
    main()
