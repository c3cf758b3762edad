"""Simulator of a Werkplein Hart van West-Brabant population with known true effects.

``simuleer(seed=..., n_clienten=4685, config=SimulatieConfig(...)) -> Simulatie`` and
``schrijf(sim, out_dir)``; see CONTRIBUTING ("Simulator") and :mod:`evaluatie.simulatie.simulator`.
"""
from evaluatie.simulatie.config import (
    STANDAARD_EFFECTEN,
    InstrumentEffect,
    Programmaduur,
    SimulatieConfig,
    nul_effecten,
)
from evaluatie.simulatie.schrijven import schrijf
from evaluatie.simulatie.simulator import Simulatie, simuleer
from evaluatie.simulatie.waarheid import waarheid_frame
from evaluatie.simulatie.waarheid_na import na_uitstroom_frame

__all__ = [
    "STANDAARD_EFFECTEN",
    "InstrumentEffect",
    "Programmaduur",
    "Simulatie",
    "na_uitstroom_frame",
    "SimulatieConfig",
    "nul_effecten",
    "schrijf",
    "simuleer",
    "waarheid_frame",
]
