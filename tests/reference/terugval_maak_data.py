"""Write the small simulated input of the terugval R references (run from the repository root).

    PYTHONPATH=. python tests/reference/terugval_maak_data.py

Writes tests/reference/fixtures/terugval/terugval_rijen.csv (one row per exit to work: tijd in months,
status 0 gecensureerd / 1 terugval / 2 AOW-leeftijd, categorie) and terugval_meertoestand.csv
(multi-state rows from the trajectory start: id, client_id, start, stop, van, naar; empty naar =
censored). Then run ``Rscript tests/reference/terugval_survfit.R``.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from evaluatie.simulatie import schrijf, simuleer
from evaluatie.terugval import terugvalrijen
from evaluatie.uitkeringsmaanden import uitkeringspaden
from evaluatie.validatie import valideer_map

UIT = Path("tests/reference/fixtures/terugval")


def main() -> None:
    UIT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        schrijf(simuleer(seed=17, n_clienten=500), Path(tmp))
        val = valideer_map(Path(tmp))
    tab = val.geaccepteerd
    rijen, _, _ = terugvalrijen(tab, peildatum=val.peildatum, van=val.waarnemingsperiode[0])
    rijen[["tijd", "status", "categorie"]].to_csv(UIT / "terugval_rijen.csv", index=False, lineterminator="\n")
    t = tab["trajecten"].sort_values(["client_id", "startdatum"], kind="mergesort")
    starts = pd.DataFrame({"id": np.arange(len(t)), "client_id": t["client_id"].to_numpy(),
                           "datum": t["startdatum"].to_numpy()})
    ms, _ = uitkeringspaden(tab["uitkeringen"], starts, peildatum=val.peildatum)
    ms.to_csv(UIT / "terugval_meertoestand.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main()
