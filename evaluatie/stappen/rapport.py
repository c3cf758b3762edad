"""Step *report*: the self-contained HTML report from the other steps' results."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from evaluatie.stappen.effecten import Effectstap
from evaluatie.uitvoer import Tabelspec


@dataclass(frozen=True)
class Rapportstap:
    """The rendered report (HTML text; the report itself checked it for client ids)."""

    html: str


def _telling(val: Any) -> pd.DataFrame:
    b = val.bevindingen
    if b is None or b.empty:
        return pd.DataFrame(columns=["tabel", "regel", "aantal"])
    kol = "tabel" if "tabel" in b.columns else "bestand"
    t = b.groupby([kol, "regel"], sort=True).size().rename("aantal").reset_index()
    return t.rename(columns={kol: "tabel"})


def rapport(cfg: Any, *, val: Any, effecten: Effectstap | None, benchmark: Any, manifest: dict[str, Any],
            client_ids: tuple[str, ...] = ()) -> Rapportstap:
    """Build and render the report for ``cfg`` from the step results (the report formats, never fits)."""
    from evaluatie.rapport.html import render_html
    from evaluatie.rapport.secties import bouw_inhoud

    res = None if effecten is None else effecten.resultaat
    inhoud = bouw_inhoud(cfg, manifest=manifest, reconciliatie=val.reconciliatie(), bevindingen_telling=_telling(val),
                         benchmark=None if benchmark is None else benchmark.resultaat,
                         effecten=None if res is None else res.to_frame(),
                         populatie=None if res is None else res.populatie,
                         uitstroom_curves=None if effecten is None else effecten.curves,
                         gevoeligheid=None if res is None else res.gevoeligheid,
                         toerekenbaar_per_gemeente=None if res is None else res.per_gemeente)
    return Rapportstap(render_html(inhoud, client_ids=client_ids))


#: The benchmark's one-table summary, as the report shows it (gemeente-level, no person counts).
BENCHMARK_SPEC = Tabelspec()
