"""The on-disk store: one immutable Parquet file per run, exclusive creation, versioned schema."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evaluatie import __version__
from evaluatie.disclosure import DREMPEL, beveilig_schattingen

SCHEMA_VERSIE = 1
FORMAAT = "evaluatie-kennisbank"
_META_KEY = b"evaluatie.kennisbank.schema_versie"

KOLOMMEN: dict[str, str] = {
    "run_id": "string", "manifest_hash": "string", "instrument": "string", "categorie": "string",
    "uitkomst": "string", "maat": "string", "horizon": "int64", "schatting": "float64", "se": "float64",
    "ci_laag": "float64", "ci_hoog": "float64", "n_deelnemers": "int64", "n_gebeurtenissen": "int64",
    "methode": "string", "vlag": "string", "periode_start": "string", "periode_eind": "string",
    "gemeenten": "string", "pakketversie": "string",
}
_VERPLICHT_IN = ("instrument", "categorie", "uitkomst", "maat", "horizon", "schatting", "ci_laag", "ci_hoog", "n_deelnemers")
_SLEUTEL = ["instrument", "categorie", "uitkomst", "maat", "horizon"]


class KennisbankFout(RuntimeError):
    """A store that cannot be read or written as asked (message says why and what to do)."""


@dataclass(frozen=True)
class Toevoeging:
    """Outcome of adding one run."""

    run_id: str
    nieuw: bool
    n_rijen: int
    n_onderdrukt: int
    pad: Path

    def summary(self) -> str:
        if not self.nieuw:
            return f"Run {self.run_id} staat al in de kennisbank (zelfde manifest); niets toegevoegd."
        return (f"Run {self.run_id} toegevoegd: {self.n_rijen} schattingen; {self.n_onderdrukt} niet opgeslagen "
                f"omdat ze op minder dan {DREMPEL} personen rusten.")


def _run_id(manifest: Mapping[str, Any]) -> str:
    h = manifest.get("manifest_hash")
    if not h:
        import hashlib

        h = hashlib.sha256(json.dumps(manifest, sort_keys=True, default=str).encode()).hexdigest()
    return str(h)[:16]


def _periode(wp: Any) -> tuple[str, str]:
    """The data period from a manifest's ``config.waarnemingsperiode``.

    Accepts both shapes in use: ``{"start": ..., "eind": ...}`` (as in ``metadata.json``) and
    ``[start, eind]`` (as ``evaluatie analyseer`` writes it). Anything else gives ``("", "")``.
    """
    from evaluatie.periode import periode_tekst

    return periode_tekst(wp)


def _migreer(df: pd.DataFrame, versie: int) -> pd.DataFrame:
    """Bring rows written under an older schema version to the current one."""
    if versie == SCHEMA_VERSIE:
        return df
    raise KennisbankFout(
        f"kennisbank-bestand heeft schemaversie {versie}, deze versie van evaluatie ({__version__}) kent "
        f"t/m {SCHEMA_VERSIE}; werk evaluatie bij"
    )


class Kennisbank:
    """A kennisbank folder. Create or open with :func:`open_kennisbank`."""

    def __init__(self, pad: Path):
        self.pad = Path(pad)
        self.runs = self.pad / "runs"

    # -- writing ---------------------------------------------------------------------------------
    def voeg_toe(
        self,
        effecten: pd.DataFrame,
        manifest: Mapping[str, Any],
        *,
        periode: tuple[str, str] | None = None,
        gemeenten: list[str] | None = None,
        drempel: int = DREMPEL,
    ) -> Toevoeging:
        """Add the estimates of one evaluation run (append-only; a re-run of the same manifest is skipped).

        Only aggregates that pass disclosure control are stored: rows resting on fewer than ``drempel``
        participants are left out (and counted).
        """
        missing = [c for c in _VERPLICHT_IN if c not in effecten.columns]
        if missing:
            raise KennisbankFout(f"resultaten missen kolommen {', '.join(missing)} (zie 'Effect results on disk' in CONTRIBUTING.md)")
        run_id = _run_id(manifest)
        doel = self.runs / f"{run_id}.parquet"
        if doel.exists():
            return Toevoeging(run_id, False, 0, 0, doel)
        cfg = manifest.get("config", {}) if isinstance(manifest.get("config"), Mapping) else {}
        if periode is None:
            periode = _periode(cfg.get("waarnemingsperiode"))
        if gemeenten is None:  # `evaluatie analyseer` writes them at the manifest's top level
            gemeenten = list(cfg.get("gemeenten") or manifest.get("gemeenten") or [])
        b = beveilig_schattingen(effecten, "n_deelnemers", [c for c in ("schatting", "se", "ci_laag", "ci_hoog") if c in effecten], drempel=drempel)
        rows = effecten.loc[~b.onderdrukt["n_deelnemers"].to_numpy()].copy()
        out = pd.DataFrame(index=rows.index)
        for k, t in KOLOMMEN.items():
            if k in rows:
                out[k] = rows[k]
            else:
                out[k] = np.nan if t in ("float64", "int64") else ""
        out["run_id"] = run_id
        out["manifest_hash"] = str(manifest.get("manifest_hash", ""))
        out["periode_start"], out["periode_eind"] = periode
        out["gemeenten"] = ",".join(sorted(gemeenten))
        out["pakketversie"] = str((manifest.get("versions") or {}).get("evaluatie", __version__))
        for k, t in KOLOMMEN.items():
            if t == "string":
                out[k] = out[k].fillna("").astype(str)
            elif t == "int64":
                out[k] = pd.to_numeric(out[k]).fillna(-1).astype("int64")
            else:
                out[k] = pd.to_numeric(out[k]).astype("float64")
        out = out.sort_values(_SLEUTEL, kind="mergesort").reset_index(drop=True)
        tabel = pa.Table.from_pandas(out, preserve_index=False)
        tabel = tabel.replace_schema_metadata({**(tabel.schema.metadata or {}), _META_KEY: str(SCHEMA_VERSIE).encode()})
        self.runs.mkdir(parents=True, exist_ok=True)
        tmp = self.runs / f".tmp-{run_id}-{os.getpid()}"
        pq.write_table(tabel, tmp)
        try:
            os.link(tmp, doel)  # atomic and exclusive: a concurrent writer of the same run gets FileExistsError
            nieuw = True
        except FileExistsError:
            nieuw = False
        finally:
            tmp.unlink(missing_ok=True)
        return Toevoeging(run_id, nieuw, len(out) if nieuw else 0, int(b.n_primair) if nieuw else 0, doel)

    # -- reading ---------------------------------------------------------------------------------
    def lees(self, *, instrument: str | None = None, categorie: str | None = None) -> pd.DataFrame:
        """All stored estimates (optionally filtered), oldest data period first."""
        delen = []
        for f in sorted(self.runs.glob("*.parquet")):
            t = pq.read_table(f)
            meta = t.schema.metadata or {}
            if _META_KEY not in meta:
                raise KennisbankFout(f"{f}: geen kennisbank-bestand (schemaversie ontbreekt)")
            delen.append(_migreer(t.to_pandas(), int(meta[_META_KEY])))
        if not delen:
            df = pd.DataFrame({k: pd.Series(dtype=t if t != "string" else object) for k, t in KOLOMMEN.items()})
        else:
            df = pd.concat(delen, ignore_index=True)
        if instrument is not None:
            df = df[df["instrument"] == instrument]
        if categorie is not None:
            df = df[df["categorie"] == categorie]
        return df.sort_values([*_SLEUTEL, "periode_eind", "run_id"], kind="mergesort").reset_index(drop=True)

    def run_ids(self) -> list[str]:
        return sorted(p.stem for p in self.runs.glob("*.parquet"))


def open_kennisbank(pad: str | Path, *, maak: bool = True) -> Kennisbank:
    """Open (and by default create) a kennisbank folder, checking its format and schema version."""
    pad = Path(pad)
    info = pad / "kennisbank.json"
    if info.exists():
        meta = json.loads(info.read_text(encoding="utf-8"))
        if meta.get("formaat") != FORMAAT:
            raise KennisbankFout(f"{pad} is geen kennisbank (kennisbank.json zonder formaat {FORMAAT!r})")
        if int(meta.get("schema_versie", 0)) > SCHEMA_VERSIE:
            raise KennisbankFout(f"{pad} is geschreven met schemaversie {meta['schema_versie']}; deze versie kent t/m {SCHEMA_VERSIE}")
    elif maak:
        pad.mkdir(parents=True, exist_ok=True)
        (pad / "runs").mkdir(exist_ok=True)
        tmp = pad / f".kennisbank.json.{os.getpid()}"
        tmp.write_text(json.dumps({"formaat": FORMAAT, "schema_versie": SCHEMA_VERSIE}, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, info)
    else:
        raise KennisbankFout(f"geen kennisbank in {pad} (maak er een met 'evaluatie kennisbank voeg-toe')")
    return Kennisbank(pad)
