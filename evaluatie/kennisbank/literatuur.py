"""External reference rows: what the literature says per instrument type (clearly marked external)."""
from __future__ import annotations

from importlib import resources

import pandas as pd

from evaluatie.schema import instrumenten


def literatuur() -> pd.DataFrame:
    """Literature rows per instrument: soort, richting_werk, bron, toelichting, ``bron_type='extern'``."""
    with resources.files("evaluatie.data").joinpath("literatuur.csv").open("r", encoding="utf-8") as fh:
        lit = pd.read_csv(fh, dtype=str)
    ins = pd.DataFrame([{"instrument": i.code, "soort": i.soort} for i in instrumenten().values()])
    out = ins.merge(lit, on="soort", how="left")
    out["bron_type"] = "extern"
    return out
