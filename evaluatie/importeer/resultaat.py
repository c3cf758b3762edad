"""What a format module hands back (:class:`Omgezet`) and what :func:`evaluatie.importeer.importeer`
returns (:class:`Importresultaat`): the schema tables, where each row came from, what could not be mapped,
the validation result and a report whose counts reconcile (read → spells → accepted + rejected).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

NIET_GEMAPT_KOLOMMEN: tuple[str, ...] = ("veld", "waarde", "aantal", "actie")


def leeg_niet_gemapt() -> pd.DataFrame:
    """An empty table of unmapped values."""
    return pd.DataFrame({k: pd.Series(dtype="int64" if k == "aantal" else object) for k in NIET_GEMAPT_KOLOMMEN})


@dataclass(frozen=True)
class Omgezet:
    """A source extract mapped onto the schema, before validation (output of a format module).

    Attributes
    ----------
    tabellen : dict[str, DataFrame]
        Schema tables (``clienten``, ``uitkeringen``), values as text in the schema's field names; a value
        that could not be mapped is passed on as in the source, so that validation rejects it with reason.
    herkomst : DataFrame
        Per output row: ``tabel``, ``client_id``, ``startdatum`` (uitkeringen only), ``bronrijen``
        (source row numbers, ``;``-separated, as the user sees them in the file) and ``n_bronrijen``.
    extra : dict[str, DataFrame]
        Source fields without a place in the schema (e.g. ``uitkeringskenmerken``: leefvorm, oorzaak).
    niet_gemapt : DataFrame
        ``veld``, ``waarde``, ``aantal`` (source rows), ``actie`` (what was done with them).
    bevindingen : tuple of str
        Notes for the report (Dutch): what the extract lacks and what was decided.
    metadata : dict
        Written as ``metadata.json`` (``peildatum``, ``waarnemingsperiode``, and import facts).
    n_gelezen : int
        Data rows read from the source.
    bestand : str
        Source file name as shown in messages.
    gelezen_per_tabel, weggelaten_per_tabel : dict, optional
        Source rows read and left out per schema table (format ``generiek``, where each table may come from
        its own export); None = every table comes from the ``n_gelezen`` rows of one file.
    """

    tabellen: dict[str, pd.DataFrame]
    herkomst: pd.DataFrame
    extra: dict[str, pd.DataFrame]
    niet_gemapt: pd.DataFrame
    bevindingen: tuple[str, ...]
    metadata: dict[str, Any]
    n_gelezen: int
    bestand: str
    gelezen_per_tabel: dict[str, int] | None = None
    weggelaten_per_tabel: dict[str, int] | None = None


@dataclass(frozen=True)
class Importresultaat:
    """Result of :func:`evaluatie.importeer.importeer`.

    Attributes
    ----------
    formaat : str
        Format name (key of :data:`evaluatie.importeer.FORMATEN`).
    omgezet : Omgezet
        The mapped tables before validation, provenance, unmapped values and notes.
    validatie : Validatieresultaat or None
        Result of :func:`evaluatie.validatie.valideer_tabellen` (None only when called with ``valideer=False``).
    spec : dict
        The options that produced this result.
    waarschuwingen : tuple of str
        Warnings (Dutch), also listed in the report.
    """

    formaat: str
    omgezet: Omgezet
    validatie: Any
    spec: dict[str, Any]
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    # ------------------------------------------------------------------ access
    @property
    def tabellen(self) -> dict[str, pd.DataFrame]:
        """Accepted, typed schema tables (the validator's ``geaccepteerd``); mapped text if not validated."""
        if self.validatie is None:
            return {k: v.copy() for k, v in self.omgezet.tabellen.items()}
        return self.validatie.geaccepteerd

    @property
    def heeft_afkeuringen(self) -> bool:
        return bool(self.validatie is not None and self.validatie.heeft_afkeuringen)

    @property
    def niet_gemapt(self) -> pd.DataFrame:
        return self.omgezet.niet_gemapt.copy()

    # ------------------------------------------------------------------ numbers
    def to_frame(self) -> pd.DataFrame:
        """Reconciliation per table: ``tabel``, ``bronrijen`` (rows read), ``rijen`` (after merging),
        ``geaccepteerd``, ``afgekeurd``, ``bronrijen_geaccepteerd`` (source rows behind accepted rows)."""
        h = self.omgezet.herkomst
        rows = []
        for tabel, df in self.omgezet.tabellen.items():
            acc = rej = pd.NA
            bron_acc = pd.NA
            if self.validatie is not None:
                rec = self.validatie.reconciliatie().set_index("tabel")
                if tabel in rec.index:
                    acc = int(rec.loc[tabel, "geaccepteerd"])
                    rej = int(rec.loc[tabel, "afgekeurd"])
                    ht = h[h["tabel"] == tabel].reset_index(drop=True)
                    rijen = self._geaccepteerde_posities(tabel)
                    if rijen is not None:
                        bron_acc = int(ht.loc[rijen, "n_bronrijen"].sum())
            gel = self.omgezet.gelezen_per_tabel
            weg = self.omgezet.weggelaten_per_tabel or {}
            rows.append({
                "tabel": tabel,
                "bronrijen": self.omgezet.n_gelezen if gel is None else gel.get(tabel, 0),
                "weggelaten": weg.get(tabel, 0),
                "rijen": len(df),
                "geaccepteerd": acc,
                "afgekeurd": rej,
                "bronrijen_geaccepteerd": bron_acc,
            })
        return pd.DataFrame(rows)

    def _geaccepteerde_posities(self, tabel: str) -> list[int] | None:
        """Positions (0-based) of accepted rows in the mapped table, from the rejected rows' ``rij``."""
        af = self.validatie.afgekeurd.get(tabel)
        n = len(self.omgezet.tabellen[tabel])
        if af is None or len(af) == 0:
            return list(range(n))
        if "rij" not in af.columns:
            return None
        # in-memory frames: rij = 1-based position (valideer_tabellen)
        weg = set((pd.to_numeric(af["rij"], errors="coerce").dropna().astype(int) - 1).tolist())
        return [i for i in range(n) if i not in weg]

    def bevindingen_bron(self) -> pd.DataFrame:
        """The validation findings with, per finding, the source rows behind the rejected row.

        Validation sees the mapped tables, so its ``rij`` is the row of the mapped table (``clienten`` or
        ``uitkeringen``), which the user cannot find in the extract. Column ``bronrijen`` (inserted after
        ``rij``) gives the rows of the extract itself, as in ``herkomst.csv`` (``;``-separated when periods
        were merged; empty for table-level findings).
        """
        if self.validatie is None:
            return pd.DataFrame(columns=["tabel", "bestand", "rij", "bronrijen", "veld", "waarde", "regel", "melding", "niveau"])
        b = self.validatie.bevindingen.copy().reset_index(drop=True)
        bron = pd.Series([""] * len(b), dtype=object)
        h = self.omgezet.herkomst
        for tabel in pd.unique(b["tabel"]):
            ht = h.loc[h["tabel"] == tabel, "bronrijen"].astype(str).reset_index(drop=True)
            m = (b["tabel"] == tabel).to_numpy()
            pos = pd.to_numeric(b.loc[m, "rij"], errors="coerce").to_numpy(dtype=float) - 1
            ok = np.isfinite(pos) & (pos >= 0) & (pos < len(ht))
            idx = np.flatnonzero(m)[ok]
            bron.iloc[idx] = ht.iloc[pos[ok].astype(np.int64)].to_numpy()
        b.insert(int(b.columns.get_loc("rij")) + 1, "bronrijen", bron)
        return b

    def summary(self, max_fouten: int = 10) -> str:
        """The import report (Dutch); lists the first ``max_fouten`` rejections with their source rows."""
        o = self.omgezet
        r = []
        r.append(f"Import {self.formaat}: {o.bestand}")
        u = o.tabellen.get("uitkeringen")
        c = o.tabellen.get("clienten")
        if o.gelezen_per_tabel is not None:
            for tabel, n in o.gelezen_per_tabel.items():
                w = (o.weggelaten_per_tabel or {}).get(tabel, 0)
                r.append(f"- {tabel}: {n} bronrijen gelezen" + (f", {w} weggelaten volgens de mapping" if w else "")
                         + f" → {len(o.tabellen[tabel])} rijen ({n - w - len(o.tabellen[tabel])} samengevoegd)")
        else:
            r.append(f"- gelezen: {o.n_gelezen} bronrijen (uitkeringsperioden)")
        if u is not None and o.gelezen_per_tabel is None:
            r.append(f"- samengevoegd tot {len(u)} uitkeringen (spells) van {0 if c is None else len(c)} cliënten "
                     f"({o.n_gelezen - len(u)} perioden opgegaan in een eerdere periode)")
        if self.validatie is not None:
            for rij in self.to_frame().itertuples(index=False):
                extra = ""
                if not pd.isna(rij.bronrijen_geaccepteerd) and rij.tabel == "uitkeringen":
                    extra = f"; {rij.bronrijen_geaccepteerd} bronrijen geaccepteerd"
                r.append(f"- {rij.tabel}: {rij.rijen} rijen → {rij.geaccepteerd} geaccepteerd + {rij.afgekeurd} afgekeurd{extra}")
            fout = self.bevindingen_bron()
            fout = fout[fout["niveau"] == "fout"]
            if len(fout):
                r.append(f"Afgekeurd ({len(fout)} bevinding(en); 'rij' = regel in {o.bestand}, kopregel = rij 1):")
                for x in fout.head(max_fouten).itertuples(index=False):
                    waar = f"rij {x.bronrijen}" if x.bronrijen else "tabel"
                    r.append(f"  - {o.bestand} {waar} → {x.tabel}: {x.melding}")
                if len(fout) > max_fouten:
                    r.append(f"  - … en {len(fout) - max_fouten} meer: zie import/bevindingen.csv")
        else:
            r.append("- niet gevalideerd (valideer=False)")
        ng = o.niet_gemapt
        if len(ng):
            r.append("Niet gemapte waarden (nooit stilzwijgend geraden):")
            for x in ng.itertuples(index=False):
                r.append(f"  - {x.veld} = {x.waarde!r}: {x.aantal} rij(en) → {x.actie}")
        else:
            r.append("Niet gemapte waarden: geen.")
        if o.bevindingen or self.waarschuwingen:
            r.append("Bevindingen:")
            r.extend(f"  - {b}" for b in (*o.bevindingen, *self.waarschuwingen))
        return "\n".join(r)

    def rapport(self) -> str:
        """Alias of :meth:`summary`."""
        return self.summary()

    # ------------------------------------------------------------------ writing
    def schrijf(self, out_dir: str | Path) -> list[Path]:
        """Write the accepted schema tables (CSV, UTF-8, ISO dates), ``metadata.json`` and, in ``import/``,
        the report, provenance, unmapped values, extra source fields and the validation output.

        Returns the paths written, in order.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        imp = out / "import"
        imp.mkdir(exist_ok=True)
        paden: list[Path] = []
        for naam, df in self.tabellen.items():
            p = out / f"{naam}.csv"
            df.to_csv(p, index=False, date_format="%Y-%m-%d", lineterminator="\n")
            paden.append(p)
        p = out / "metadata.json"
        p.write_text(json.dumps(self.omgezet.metadata, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        paden.append(p)
        p = imp / "rapport.txt"
        p.write_text(self.summary() + "\n", encoding="utf-8")
        paden.append(p)
        for naam, df in (("herkomst", self.omgezet.herkomst), ("niet_gemapt", self.omgezet.niet_gemapt),
                         ("reconciliatie", self.to_frame()), ("bevindingen", self.bevindingen_bron()),
                         *self.omgezet.extra.items()):
            p = imp / f"{naam}.csv"
            df.to_csv(p, index=False, date_format="%Y-%m-%d", lineterminator="\n")
            paden.append(p)
        if self.validatie is not None:
            geschreven = self.validatie.schrijf(imp / "validatie")
            paden.extend([Path(geschreven)] if isinstance(geschreven, (str, Path)) else [Path(x) for x in geschreven or []])
        return paden
