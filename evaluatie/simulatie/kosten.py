"""The simulator's ``kosten.csv`` and the doelmatigheid truth.

Sources of the defaults: the cost of one year of bijstand to a gemeente, ≈ €14,000 (Berenschot 2019, the
figure the issue cites; written as one row per jaar). The instrument costs per traject are *assumptions*
in the order of magnitude of Dutch re-integration budgets (a placement or coaching traject a few thousand
euro, a wage-cost subsidy up to about a year of benefit); they are not from one source. Every instrument
is costed per traject, so the true cost per participant is that figure.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from evaluatie.doelmatigheid.instellingen import BUIG_AANDEEL

#: Cost of one year of bijstand (Berenschot 2019).
UITKERING_PER_JAAR = 14000.0

#: Assumed cost per traject (euro).
KOSTEN_PER_TRAJECT: dict[str, float] = {
    "praktijkovereenkomst": 1500.0, "arbeidsbemiddeling_wsp": 1200.0, "incidentele_loonkostensubsidie": 6000.0,
    "loonkostenvoordeel": 500.0, "leerwerktraject": 4000.0, "werkplekaanpassing": 2500.0,
    "sociale_detachering": 5000.0, "jobcoaching": 3000.0, "individuele_studietoeslag": 1400.0,
    "structurele_loonkostensubsidie": 12000.0, "beschut_werk": 15000.0, "arbeidstraining": 2000.0,
}


def kostentabel() -> pd.DataFrame:
    """``kosten.csv`` of a simulation (columns of ``data_schema/kosten.json``)."""
    rijen = [{"post": "instrument", "instrument": i, "per": "traject", "bedrag": b,
              "bron": "aanname simulator (orde van grootte)"} for i, b in KOSTEN_PER_TRAJECT.items()]
    rijen.append({"post": "uitkering", "per": "jaar", "bedrag": UITKERING_PER_JAAR, "bron": "Berenschot 2019"})
    kol = ["post", "instrument", "categorie", "jaar", "gemeentecode", "per", "bedrag", "fte", "bron"]
    return pd.DataFrame(rijen, columns=kol).astype({"bedrag": float, "fte": float})


def waarheid_doelmatigheid(effecten: dict[str, Any]) -> dict[str, Any]:
    """True doelmatigheid per cell from the true months saved and the true costs (gemeente view, share
    :data:`BUIG_AANDEEL`; ``_verwacht`` from the expected months, else the realised ones)."""
    U = UITKERING_PER_JAAR / 12.0
    uit: dict[str, Any] = {"uitkering_per_maand": U, "buig_aandeel": BUIG_AANDEEL, "cellen": {}}
    for ins, per in effecten.items():
        for cat, v in per.items():
            um = v.get("uitkeringsmaanden") or {}
            K = KOSTEN_PER_TRAJECT[ins]
            cel: dict[str, Any] = {"kosten_per_deelnemer": K}
            for hk, w in um.items():
                h = hk.lstrip("m")
                for soort, sleutel in (("", "verschil_nooit"), ("_verwacht", "verschil_verwacht")):
                    if w.get(sleutel) is None:
                        continue
                    m = -float(w[sleutel])
                    cel[f"maanden_bespaard_{h}{soort}"] = m
                    cel[f"netto_gemeente_{h}{soort}"] = BUIG_AANDEEL * U * m - K
                    cel[f"netto_volledig_{h}{soort}"] = U * m - K
            uit["cellen"].setdefault(ins, {})[cat] = cel
    uit["definitie"] = ("netto besparing per deelnemer = aandeel x uitkering per maand x (controle - deelnemers) "
                        "uitkeringsmaanden in de eerste h maanden - kosten per traject; zonder disconto")
    return uit
