"""The doelmatigheid result object."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def euro(x: float) -> str:
    """``€ 1.234`` (Dutch thousands separator), ``-€ 1.234`` for negatives."""
    if x is None or not np.isfinite(x):
        return "onbegrensd" if x is not None and np.isinf(x) else "–"
    s = f"{abs(x):,.0f}".replace(",", ".")
    return ("-€ " if x < 0 else "€ ") + s


@dataclass(frozen=True)
class Doelmatigheidsresultaat:
    """Costs against savings per cell, the terugverdientijd, scenarios and sensitivity.

    Attributes
    ----------
    cellen : DataFrame
        Per cell x perspectief x horizon: kosten_per_deelnemer, maanden_bespaard (CI), netto_per_deelnemer
        with ci_laag/ci_hoog and kans_positief (share of replicates > 0), netto_totaal (CI), kosten per
        extra exit to work and per extra durable exit (CI; inf = no extra exit), ``klein`` (< drempel).
    terugverdientijd : DataFrame
        Per cell x perspectief: first month with cumulative saving >= cost (NaN = not within ``horizon``),
        kans_terugverdiend (share of replicates that pay back within the horizon).
    scenarios : DataFrame
        Per scenario x horizon x grootheid: the change with CI (joint over the two cells).
    gevoeligheid : DataFrame
        Pooled cells: net saving per participant by horizon, kostenfactor and disconto.
    uitkering_per_maand : float
    config : Doelmatigheidsconfig
    duurzaam_k : int or None
    H : int
        Longest month of the curves.
    """

    cellen: pd.DataFrame
    terugverdientijd: pd.DataFrame
    scenarios: pd.DataFrame
    gevoeligheid: pd.DataFrame
    uitkering_per_maand: float
    config: Any
    duurzaam_k: int | None
    H: int

    def to_frame(self) -> pd.DataFrame:
        """The per-cell table (a copy)."""
        return self.cellen.copy()

    def waarde(self, instrument: str, categorie: str, perspectief: str, horizon: int) -> pd.Series:
        """The row of one cell, perspectief and horizon."""
        c = self.cellen
        r = c[(c.instrument == instrument) & (c.categorie == categorie) & (c.perspectief == perspectief)
              & (c.horizon == horizon)]
        if r.empty:
            raise KeyError(f"geen rij {instrument} x {categorie}, {perspectief}, {horizon} maanden")
        return r.iloc[0]

    def summary(self) -> str:
        """Dutch lines: the pooled net saving per participant, both perspectives, at the longest horizon."""
        if self.cellen.empty:
            return "Doelmatigheid: geen cellen."
        h = int(self.cellen.horizon.max())
        regels = [f"Doelmatigheid (uitkering {euro(self.uitkering_per_maand)} per maand; gemeente houdt "
                  f"{self.config.buig_aandeel:.0%} van de besparing; maatschappij met "
                  f"{self.config.disconto * 100:.2f}".replace(".", ",") + "% disconto):"]
        for p in ("gemeente", "maatschappij"):
            r = self.cellen[(self.cellen.instrument == "alle") & (self.cellen.categorie == "alle")
                            & (self.cellen.perspectief == p) & (self.cellen.horizon == h)]
            if len(r):
                x = r.iloc[0]
                ci = (f" (95%-BI {euro(x.ci_laag)} tot {euro(x.ci_hoog)}; kans op winst {x.kans_positief:.0%})"
                      if np.isfinite(x.ci_laag) else " (geen 95%-BI berekend)")
                regels.append(f"  {p}: netto besparing per deelnemer na {h} maanden {euro(x.netto_per_deelnemer)}{ci}; "
                              f"kosten {euro(x.kosten_per_deelnemer)} per deelnemer")
        t = self.terugverdientijd[(self.terugverdientijd.instrument != "alle") & (self.terugverdientijd.perspectief == "gemeente")]
        if len(t):
            binnen = int(t.binnen_horizon.sum())
            regels.append(f"  terugverdiend binnen {self.H} maanden (gemeente): {binnen} van {len(t)} cellen")
        return "\n".join(regels)
