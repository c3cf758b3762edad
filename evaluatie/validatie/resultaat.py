"""The result of a validation: accepted tables (typed), rejected rows with reasons, findings, counts."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.manifest import build_manifest, sha256_file, write_manifest
from evaluatie.schema import TABELLEN
from evaluatie.validatie.bevindingen import KOLOMMEN


@dataclass(frozen=True)
class Validatieresultaat:
    """What validation found. Build it with :func:`valideer_map` or :func:`valideer_tabellen`.

    Attributes
    ----------
    geaccepteerd : dict[str, DataFrame]
        Accepted rows per table, typed per the contract in CONTRIBUTING.md (string → object,
        integer → Int64, number → float64, boolean → bool / boolean, date → datetime64[ns]), schema
        column names (plus allowed ``kenmerk_*`` columns), RangeIndex.
    afgekeurd : dict[str, DataFrame]
        Rejected rows per table: ``rij`` (as the user sees it in the file), the original values, and
        ``redenen`` (all error messages of the row, separated by ``" | "``).
    bevindingen : DataFrame
        One row per finding: tabel, bestand, rij, veld, waarde, regel, melding, niveau
        (``fout`` rejects the row; ``waarschuwing`` does not). ``rij`` is missing for table-level findings.
    gelezen : dict[str, int]
        Data rows read per table.
    bestanden : dict[str, str]
        File name per table read.
    afwezig : tuple of str
        Tables not present (not an error unless requested).
    peildatum : Timestamp or None
        Peildatum used (None: dates were checked against the day of validation).
    waarnemingsperiode : (Timestamp, Timestamp) or None
        Observation window used for trajecten.
    invoer : dict[str, str]
        SHA-256 per input (file name, or a hash of the in-memory frame).
    waarschuwingen : tuple of str
        Notes about the run itself (e.g. no peildatum given).
    regels : dict[str, tuple[int, int]]
        Per table read from a file: (physical data lines or sheet rows after the header, of which empty and
        skipped). Every line is in a row, or skipped as empty: ``gelezen`` = lines − empty − the extra
        lines of quoted values with a line break.
    bronrijen : dict[str, ndarray]
        Per table, the file row (as the user sees it, header = row 1) of each accepted row, in the order
        of :attr:`geaccepteerd`; lets a later step name the row of a value it cannot use.
    """

    geaccepteerd: dict[str, pd.DataFrame]
    afgekeurd: dict[str, pd.DataFrame]
    bevindingen: pd.DataFrame
    gelezen: dict[str, int]
    bestanden: dict[str, str]
    afwezig: tuple[str, ...] = ()
    peildatum: pd.Timestamp | None = None
    waarnemingsperiode: tuple[pd.Timestamp, pd.Timestamp] | None = None
    invoer: dict[str, str] = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()
    bronrijen: dict[str, np.ndarray] = field(default_factory=dict)
    regels: dict[str, tuple[int, int]] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------- counts
    @property
    def heeft_afkeuringen(self) -> bool:
        """True when at least one row of any table was rejected."""
        return any(len(df) for df in self.afgekeurd.values())

    @property
    def n_fouten(self) -> int:
        """Number of error-level findings."""
        return int((self.bevindingen["niveau"] == "fout").sum())

    @property
    def n_waarschuwingen(self) -> int:
        """Number of warning-level findings."""
        return int((self.bevindingen["niveau"] == "waarschuwing").sum())

    def reconciliatie(self) -> pd.DataFrame:
        """Counts per table: gelezen = geaccepteerd + afgekeurd, plus the number of findings.

        Returns
        -------
        DataFrame
            Columns tabel, bestand, gelezen, geaccepteerd, afgekeurd, fouten, waarschuwingen, regels (physical
            data lines in the file; for Parquet and in-memory tables the records) and lege_regels (empty
            lines skipped); absent tables are listed with an empty ``bestand`` and zero counts.
        """
        rijen = []
        b = self.bevindingen
        for t in TABELLEN:
            if t in self.gelezen:
                bt = b[b["tabel"] == t]
                rijen.append({
                    "tabel": t, "bestand": self.bestanden.get(t, ""), "gelezen": self.gelezen[t],
                    "geaccepteerd": len(self.geaccepteerd[t]), "afgekeurd": len(self.afgekeurd[t]),
                    "fouten": int((bt["niveau"] == "fout").sum()),
                    "waarschuwingen": int((bt["niveau"] == "waarschuwing").sum()),
                    "regels": self.regels.get(t, (self.gelezen[t], 0))[0],
                    "lege_regels": self.regels.get(t, (self.gelezen[t], 0))[1],
                })
            elif t in self.afwezig:
                rijen.append({"tabel": t, "bestand": "", "gelezen": 0, "geaccepteerd": 0, "afgekeurd": 0,
                              "fouten": 0, "waarschuwingen": 0, "regels": 0, "lege_regels": 0})
        return pd.DataFrame(rijen, columns=["tabel", "bestand", "gelezen", "geaccepteerd", "afgekeurd", "fouten", "waarschuwingen",
                                            "regels", "lege_regels"])

    def per_regel(self) -> pd.DataFrame:
        """Findings counted per file, rule and level (largest first within a file)."""
        b = self.bevindingen
        if not len(b):
            return pd.DataFrame(columns=["bestand", "regel", "niveau", "aantal"])
        out = b.groupby(["bestand", "regel", "niveau"], sort=False).size().rename("aantal").reset_index()
        return out

    def to_frame(self) -> pd.DataFrame:
        """The findings, one row per finding (a copy of :attr:`bevindingen`)."""
        return self.bevindingen.copy()

    # ---------------------------------------------------------------------------------- for people
    def summary(self, max_per_regel: int = 3) -> str:
        """Reconciliation per table and the first findings per rule, in Dutch."""
        r = self.reconciliatie()
        regels = ["Validatie"]
        if self.peildatum is not None:
            regels[0] += f" (peildatum {self.peildatum.date()})"
        regels.append(f"{'tabel':<12} {'bestand':<22} {'gelezen':>9} {'geaccepteerd':>13} {'afgekeurd':>10}")
        for _, x in r.iterrows():
            if x["bestand"] == "":
                regels.append(f"{x['tabel']:<12} {'(afwezig)':<22}")
            else:
                regels.append(f"{x['tabel']:<12} {x['bestand']:<22} {x['gelezen']:>9} {x['geaccepteerd']:>13} {x['afgekeurd']:>10}")
        regels.append(f"{self.n_fouten} fout(en), {self.n_waarschuwingen} waarschuwing(en).")
        for w in self.waarschuwingen:
            regels.append(f"let op: {w}")
        b = self.bevindingen
        if len(b):
            regels.append("")
            regels.append("Bevindingen (per bestand en regel; eerste voorbeelden):")
            for (bestand, regel, niveau), g in b.groupby(["bestand", "regel", "niveau"], sort=False):
                regels.append(f"  {bestand} · {regel} ({niveau}): {len(g)}x")
                for _, f in g.head(max_per_regel).iterrows():
                    plek = f"rij {f['rij']}" if pd.notna(f["rij"]) else "tabel"
                    regels.append(f"    {plek}: {f['melding']}")
                if len(g) > max_per_regel:
                    regels.append(f"    … en nog {len(g) - max_per_regel}")
        return "\n".join(regels)

    def to_dict(self, max_per_regel: int = 5) -> dict[str, Any]:
        """A JSON-ready summary (used by ``evaluatie valideer --json``)."""
        b = self.bevindingen
        regels = []
        for (bestand, regel, niveau), g in b.groupby(["bestand", "regel", "niveau"], sort=False):
            voorbeelden = g.head(max_per_regel)
            regels.append({
                "bestand": bestand, "regel": regel, "niveau": niveau, "aantal": int(len(g)),
                "voorbeelden": [
                    {"rij": None if pd.isna(x["rij"]) else int(x["rij"]), "veld": x["veld"], "waarde": x["waarde"],
                     "melding": x["melding"]}
                    for _, x in voorbeelden.iterrows()
                ],
            })
        return {
            "heeft_afkeuringen": self.heeft_afkeuringen,
            "peildatum": None if self.peildatum is None else str(self.peildatum.date()),
            "waarnemingsperiode": None if self.waarnemingsperiode is None
            else {"start": str(self.waarnemingsperiode[0].date()), "eind": str(self.waarnemingsperiode[1].date())},
            "reconciliatie": self.reconciliatie().to_dict(orient="records"),
            "afwezig": list(self.afwezig),
            "fouten": self.n_fouten,
            "waarschuwingen": self.n_waarschuwingen,
            "regels": regels,
            "opmerkingen": list(self.waarschuwingen),
        }

    # ------------------------------------------------------------------------------------- to disk
    def schrijf(self, out_dir: str | Path) -> Path:
        """Write the outcome to ``out_dir`` (created if needed).

        Files: ``<tabel>.parquet`` (accepted rows, typed), ``afgekeurd_<tabel>.csv`` (rejected rows with
        reasons), ``bevindingen.csv``, ``reconciliatie.csv`` and ``manifest.json`` (input hashes, config,
        output hashes). Same input → byte-identical files.

        Returns
        -------
        Path
            The output directory.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        geschreven: list[Path] = []
        for t, df in self.geaccepteerd.items():
            p = out / f"{t}.parquet"
            df.to_parquet(p, index=False)
            geschreven.append(p)
        for t, df in self.afgekeurd.items():
            p = out / f"afgekeurd_{t}.csv"
            df.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
            geschreven.append(p)
        p = out / "bevindingen.csv"
        self.bevindingen.loc[:, list(KOLOMMEN)].to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        geschreven.append(p)
        p = out / "reconciliatie.csv"
        self.reconciliatie().to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        geschreven.append(p)
        config = {
            "stap": "valideer",
            "peildatum": None if self.peildatum is None else str(self.peildatum.date()),
            "waarnemingsperiode": None if self.waarnemingsperiode is None
            else [str(self.waarnemingsperiode[0].date()), str(self.waarnemingsperiode[1].date())],
            "tabellen": sorted(self.gelezen),
        }
        m = build_manifest(
            inputs=dict(sorted(self.invoer.items())), config=config, seed=None,
            extra={
                "reconciliatie": json.loads(self.reconciliatie().to_json(orient="records")),
                "uitvoer": {q.name: sha256_file(q) for q in sorted(geschreven)},
            },
        )
        write_manifest(out / "manifest.json", m)
        return out
