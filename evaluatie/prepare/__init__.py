"""Preparation: spells → counting-process rows, person-month table, horizon outcomes.

Public API: :func:`telproces` (and :func:`bouw_telproces` with its bookkeeping), :func:`persoonmaanden`,
:func:`horizonuitkomsten`, :data:`UITSTROOM_CODES` (code → label) and :data:`UITSTROOM_CODE`
(label → code).
"""
from __future__ import annotations

from evaluatie.prepare.codes import UITSTROOM_CODE, UITSTROOM_CODES
from evaluatie.prepare.horizon import horizonuitkomsten
from evaluatie.prepare.persoonmaanden import persoonmaanden
from evaluatie.prepare.telproces import Telprocesresultaat, bouw_telproces, telproces

__all__ = [
    "UITSTROOM_CODES",
    "UITSTROOM_CODE",
    "telproces",
    "bouw_telproces",
    "Telprocesresultaat",
    "persoonmaanden",
    "horizonuitkomsten",
]
