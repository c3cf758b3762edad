"""Step *report*: the self-contained HTML report from the other steps' results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from evaluatie.stappen.effecten import Effectstap
from evaluatie.uitvoer import Tabelspec


@dataclass(frozen=True)
class Rapportstap:
    """The rendered report (HTML text; the report itself checked it for client ids).

    ``tabellen``: the tables published next to the report (``mee``), protected together with its counts.
    """

    html: str
    tabellen: dict[str, pd.DataFrame] = field(default_factory=dict)


def _telling(val: Any) -> pd.DataFrame:
    b = val.bevindingen
    if b is None or b.empty:
        return pd.DataFrame(columns=["tabel", "regel", "aantal"])
    kol = "tabel" if "tabel" in b.columns else "bestand"
    t = b.groupby([kol, "regel"], sort=True).size().rename("aantal").reset_index()
    return t.rename(columns={kol: "tabel"})


def terugval_voor_rapport(val: Any, *, bron: Any = "invoer") -> tuple[Any, str | None]:
    """Run the terugval step for the chapter 'Blijft het werk?' when the data allow.

    Returns
    -------
    (Terugvalresultaat or None, reason or None)
        The result, or None with the Dutch reason the chapter shows ('niet te beoordelen: …'): no uitkeringen,
        no peildatum, no exit to work with a month of follow-up.
    """
    from evaluatie.stappen.gemeen import Stapfout
    from evaluatie.stappen.terugval import Terugvalconfig, terugval

    try:
        return terugval(val, Terugvalconfig(), bron=bron).resultaat, None
    except Stapfout as e:
        return None, f"geen terugvalanalyse mogelijk ({e})"


#: sentinel: the report step runs the terugval step itself
_ZELF = object()


def rapport(cfg: Any, *, val: Any, effecten: Effectstap | None, benchmark: Any, manifest: dict[str, Any],
            client_ids: tuple[str, ...] = (), terugval: Any = _ZELF,
            mee: dict[str, tuple[pd.DataFrame, Tabelspec]] | None = None, doelmatigheid: Any = None) -> Rapportstap:
    """Build and render the report for ``cfg`` from the step results (the report formats, never fits).

    ``terugval``: a :class:`~evaluatie.terugval.Terugvalresultaat`, or None for none; by default the step runs
    :func:`terugval_voor_rapport` on ``val`` (a descriptive count, not a model). ``mee``: the tables that go
    into ``publiceerbaar/tabellen/`` next to the report; they are protected in the report's joint call and
    returned in ``Rapportstap.tabellen``.
    """
    from evaluatie.rapport.html import render_html
    from evaluatie.rapport.secties import bouw_inhoud

    reden = None
    if terugval is _ZELF:
        terugval, reden = terugval_voor_rapport(val, bron=getattr(cfg, "data", "invoer"))
    res = None if effecten is None else effecten.resultaat
    inhoud = bouw_inhoud(cfg, manifest=manifest, reconciliatie=val.reconciliatie(), bevindingen_telling=_telling(val),
                         benchmark=None if benchmark is None else benchmark.resultaat,
                         effecten=None if res is None else res.to_frame(),
                         populatie=None if res is None else res.populatie,
                         uitstroom_curves=None if effecten is None else effecten.curves,
                         gevoeligheid=None if res is None else res.gevoeligheid,
                         toerekenbaar_per_gemeente=None if res is None else res.per_gemeente,
                         terugval=terugval, terugval_reden=reden,
                         uitkeringsmaanden=getattr(res, "uitkeringsmaanden", None), mee=mee,
                         doelmatigheid=doelmatigheid,
                         subgroepen=getattr(res, "subgroepen", None), celtoetsen=getattr(res, "celtoetsen", None))
    from evaluatie.rapport.beveiliging import mee_tabellen

    return Rapportstap(render_html(inhoud, client_ids=client_ids), mee_tabellen(inhoud.tellingen))


#: The benchmark's one-table summary, as the report shows it (gemeente-level, no person counts).
BENCHMARK_SPEC = Tabelspec()
