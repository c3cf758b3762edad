"""Uitstroom codes: the integer status used by every survival and panel table.

Contract (CONTRIBUTING.md, "Uitstroom codes"): 0 = gecensureerd (loopt nog / einde waarneming),
1 = werk, 2 = verhuizing, 3 = huishoudenswijziging, 4 = pensioen_leeftijd, 5 = overig.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

GECENSUREERD: int = 0
WERK: int = 1
VERHUIZING: int = 2
HUISHOUDENSWIJZIGING: int = 3
PENSIOEN_LEEFTIJD: int = 4
OVERIG: int = 5

#: code -> label (the direction the contract lists them in).
UITSTROOM_CODES: Mapping[int, str] = MappingProxyType(
    {
        GECENSUREERD: "gecensureerd",
        WERK: "werk",
        VERHUIZING: "verhuizing",
        HUISHOUDENSWIJZIGING: "huishoudenswijziging",
        PENSIOEN_LEEFTIJD: "pensioen_leeftijd",
        OVERIG: "overig",
    }
)

#: label (``uitkeringen.uitstroomreden``) -> code; the inverse of :data:`UITSTROOM_CODES`.
UITSTROOM_CODE: Mapping[str, int] = MappingProxyType({v: k for k, v in UITSTROOM_CODES.items()})
