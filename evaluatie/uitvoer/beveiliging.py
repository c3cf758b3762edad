"""The one call-site of disclosure control for published output (see :mod:`evaluatie.disclosure`).

:func:`beveilig` protects all tables of one publication together and :func:`controleer` checks the
result independently; the writer (:mod:`evaluatie.uitvoer.schrijver`) calls both and nothing else in the
package applies disclosure control to files under ``publiceerbaar/``. While the disclosure module does
not yet offer ``beveilig_uitvoer`` / ``controleer_publiceerbaar``, equivalent per-table fallbacks built on
its older functions are used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from evaluatie import disclosure

DREMPEL: int = getattr(disclosure, "DREMPEL", 10)

if hasattr(disclosure, "Tabelspec"):
    Tabelspec = disclosure.Tabelspec
else:  # pragma: no cover - until evaluatie.disclosure offers it (same fields)
    @dataclass(frozen=True)
    class Tabelspec:  # type: ignore[no-redef]
        """How one table is protected before publication (see :mod:`evaluatie.disclosure`)."""

        aantallen: tuple[str, ...] = ()
        marges: tuple[tuple[str, ...], ...] = ()
        n_kolom: str | None = None
        waarden: tuple[str, ...] = ()
        curve: tuple[str, tuple[str, ...], str] | None = None


def _beveilig_een(df: pd.DataFrame, spec: Tabelspec, drempel: int) -> pd.DataFrame:
    if spec.curve is not None:
        n_risk, groep, tijd = spec.curve
        df = disclosure.knip_curve(df, n_risk, groep=list(groep), tijd_kolom=tijd, drempel=drempel)
    if spec.n_kolom is not None:
        df = disclosure.beveilig_schattingen(df, spec.n_kolom, list(spec.waarden), drempel=drempel).tabel
    if spec.aantallen:
        df = disclosure.beveilig_aantallen(df, list(spec.aantallen), marge_groepen=[list(m) for m in spec.marges],
                                           drempel=drempel).tabel
    return df.reset_index(drop=True)


def _heeft_bescherming(spec: Tabelspec) -> bool:
    return bool(spec.aantallen or spec.n_kolom or spec.curve is not None or getattr(spec, "verborgen", ()))


def beveilig(tabellen: Mapping[str, tuple[pd.DataFrame, Tabelspec]], *,
             drempel: int = DREMPEL) -> tuple[dict[str, pd.DataFrame], dict]:
    """Protect the tables of one publication together.

    Returns
    -------
    (dict, dict)
        The protected frames by name (suppressed = missing) and the totals of margins that are known to a
        reader without being a published cell (for :func:`controleer`).
    """
    if hasattr(disclosure, "beveilig_uitvoer"):
        # tables without person counts (gemeente-level statistics) pass unchanged; they are still checked
        te_beveiligen = {k: v for k, v in tabellen.items() if _heeft_bescherming(v[1])}
        res = disclosure.beveilig_uitvoer(te_beveiligen, drempel=drempel) if te_beveiligen else {}
        totalen: dict = {}
        for v in res.values():
            totalen.update(getattr(v, "totalen", {}) or {})
        return {k: (res[k].tabel if k in res else df).reset_index(drop=True) for k, (df, _) in tabellen.items()}, totalen
    return {k: _beveilig_een(df, spec, drempel) for k, (df, spec) in tabellen.items()}, {}


def _controleer_fallback(tabellen: Mapping[str, pd.DataFrame], specs: Mapping[str, Tabelspec], drempel: int,
                         client_ids: Iterable[str]) -> tuple[str, ...]:
    fouten: list[str] = []
    ids = {str(i) for i in client_ids}
    for naam, df in tabellen.items():
        spec = specs.get(naam, Tabelspec())
        kol = [*spec.aantallen, *([spec.n_kolom] if spec.n_kolom else [])]
        for c in kol:
            if c in df.columns:
                v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
                klein = (v > 0) & (v < drempel)
                if klein.any():
                    fouten.append(f"{naam}: kolom {c} heeft {int(klein.sum())} cel(len) onder de drempel {drempel}")
        if spec.curve is not None and spec.curve[0] in df.columns:
            v = pd.to_numeric(df[spec.curve[0]], errors="coerce").to_numpy(dtype=float)
            if (v < drempel).any():
                fouten.append(f"{naam}: curve loopt door waar minder dan {drempel} personen risico lopen")
        if ids:
            for c in df.columns:
                if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype):
                    hit = df[c].astype(str).isin(ids).to_numpy()
                    if np.any(hit):
                        fouten.append(f"{naam}: kolom {c} bevat cliëntnummers")
    return tuple(fouten)


def controleer(tabellen: Mapping[str, pd.DataFrame], specs: Mapping[str, Tabelspec], *, drempel: int = DREMPEL,
               client_ids: Iterable[str] = (), totalen: Mapping | None = None) -> tuple[str, ...]:
    """Violations in protected tables (empty tuple: safe to publish)."""
    if hasattr(disclosure, "controleer_publiceerbaar"):
        return tuple(disclosure.controleer_publiceerbaar(dict(tabellen), dict(specs), drempel=drempel,
                                                         client_ids=client_ids, totalen=dict(totalen or {})))
    return _controleer_fallback(tabellen, specs, drempel, client_ids)
