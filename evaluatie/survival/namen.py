"""One vocabulary for result columns across the package: ``ci_laag``/``ci_hoog``/``waarschuwingen``.

The survival results used ``ci_lower``/``ci_upper``/``warnings``; those stay readable for one version
(``to_frame(oude_namen=True)`` and the ``warnings`` property), with a DeprecationWarning.
"""
from __future__ import annotations

import warnings as _warnings

import pandas as pd

from evaluatie.waarschuwingen import MetWaarschuwingen  # noqa: F401  (re-exported)

#: new column name -> the name used before (readable for one version).
OUDE_KOLOMMEN: dict[str, str] = {"ci_laag": "ci_lower", "ci_hoog": "ci_upper",
                                 "hr_ci_laag": "hr_ci_lower", "hr_ci_hoog": "hr_ci_upper"}


def met_oude_namen(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the old English column names (DeprecationWarning: they go in the next version)."""
    _warnings.warn("de kolomnamen ci_lower/ci_upper/hr_ci_lower/hr_ci_upper heten nu ci_laag/ci_hoog/hr_ci_laag/"
                   "hr_ci_hoog; oude_namen=True verdwijnt in de volgende versie", DeprecationWarning, stacklevel=3)
    return df.rename(columns=OUDE_KOLOMMEN)
