"""Plausibility of counts in the municipal tables (a part cannot exceed its whole).

- gemeenten: ``uitstroom_werk <= uitstroom`` (outflow to work is part of all outflow) → error.
- poort: ``toekenningen <= aanvragen <= meldingen`` → warning only: in monthly data an application can
  be decided in a later month than it was filed, so a month can show more decisions than applications.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.lezen import Ingelezen
from evaluatie.validatie.bevindingen import Niveau, bevindingen, samen, toon
from evaluatie.validatie.typen import Geparsed

PAREN: dict[str, tuple[tuple[str, str, Niveau], ...]] = {
    "gemeenten": (("uitstroom_werk", "uitstroom", "fout"),),
    "poort": (("toekenningen", "aanvragen", "waarschuwing"), ("aanvragen", "meldingen", "waarschuwing")),
}
"""Per table: (part, whole, level)."""


def deel_en_geheel(inv: Ingelezen, parsed: dict[str, Geparsed]) -> pd.DataFrame:
    """Flag rows where a part count exceeds its whole (see :data:`PAREN`)."""
    delen = []
    for deel, geheel, niveau in PAREN.get(inv.tabel, ()):
        if deel not in parsed or geheel not in parsed:
            continue
        a, b = parsed[deel].waarde, parsed[geheel].waarde
        pos = np.flatnonzero((a > b).fillna(False).to_numpy(dtype=bool))
        if len(pos):
            wa, wb = toon(inv.data[deel], pos), toon(inv.data[geheel], pos)
            delen.append(bevindingen(inv, pos, veld=deel, waarde=wa, regel="deel_groter_dan_geheel", niveau=niveau,
                                     melding=(f"{deel} " + pd.Series(wa).astype(str) + f" is groter dan {geheel} "
                                              + pd.Series(wb).astype(str) + f"; verwacht {deel} <= {geheel}").to_numpy()))
    return samen(delen)
