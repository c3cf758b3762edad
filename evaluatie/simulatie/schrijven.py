"""Write a :class:`Simulatie` to a directory: ``<tabel>.csv``, ``truth.json``, ``metadata.json``.

CSV: UTF-8, ``,`` separator, ``\\n`` line ends, ISO dates (``YYYY-MM-DD``), empty = missing, booleans as
``true``/``false``, floats with ``%.15g`` (shortest stable text for the values we produce). Row order is the
tables' own (sorted by their key). JSON: sorted keys, indent 2, trailing newline. Same seed -> same bytes.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from evaluatie.simulatie.simulator import Simulatie


def _tekst(df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for k in df.columns:
        s = df[k]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[k] = s.dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(s):
            out[k] = s.map({True: "true", False: "false"}).fillna("").astype(object)
        elif pd.api.types.is_float_dtype(s):
            out[k] = s.map(lambda x: "" if pd.isna(x) else ("%.15g" % x))
        elif pd.api.types.is_integer_dtype(s):
            out[k] = s.astype("string").fillna("")
        else:
            out[k] = s.fillna("").astype(str)
    return pd.DataFrame(out, columns=df.columns)


def _json_veilig(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {str(k): _json_veilig(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_veilig(v) for v in x]
    return x


def schrijf_json(obj: Any, pad: Path) -> Path:
    """Write ``obj`` as sorted, indented JSON (NaN -> null) with a trailing newline."""
    pad.write_text(json.dumps(_json_veilig(obj), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return pad


def schrijf(sim: Simulatie, out_dir: str | Path) -> list[Path]:
    """Write the six tables as CSV plus ``truth.json`` and ``metadata.json`` to ``out_dir``.

    Returns
    -------
    list of Path
        The files written, in a fixed order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paden = []
    for naam, df in sim.tabellen.items():
        pad = out / f"{naam}.csv"
        _tekst(df).to_csv(pad, index=False, encoding="utf-8", lineterminator="\n")
        paden.append(pad)
    if getattr(sim, "kosten", None) is not None:
        pad = out / "kosten.csv"
        _tekst(sim.kosten).to_csv(pad, index=False, encoding="utf-8", lineterminator="\n")
        paden.append(pad)
    paden.append(schrijf_json(sim.waarheid, out / "truth.json"))
    paden.append(schrijf_json(sim.metadata, out / "metadata.json"))
    return paden
