"""Uitstroom codes: the integer status used by every survival and panel table.

Contract (CONTRIBUTING.md, "Uitstroom codes"): 0 = gecensureerd (loopt nog / einde waarneming),
1 = werk, 2 = verhuizing, 3 = huishoudenswijziging, 4 = pensioen_leeftijd, 5 = overig.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

import numpy as np

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

#: label -> code of the causes of exit (every code but gecensureerd); the left side of a Cox formula may name one.
UITSTROOM_OORZAKEN: Mapping[str, int] = MappingProxyType({v: k for k, v in UITSTROOM_CODES.items() if k != GECENSUREERD})

#: Competing-risks outcome of a person-month as the effect estimator uses it: still on benefit (or censored),
#: exit to werk, or any other exit.
BLIJFT: int = 0
NAAR_WERK: int = 1
ANDERE_UITSTROOM: int = 2


def werk_of_ander(status: np.ndarray) -> np.ndarray:
    """Collapse uitstroom codes to :data:`BLIJFT` / :data:`NAAR_WERK` / :data:`ANDERE_UITSTROOM` (int64)."""
    s = np.asarray(status, dtype=np.int64)
    return np.where(s == GECENSUREERD, BLIJFT, np.where(s == WERK, NAAR_WERK, ANDERE_UITSTROOM))
