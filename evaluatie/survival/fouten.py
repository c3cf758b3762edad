"""Typed errors and warnings of the survival estimators (the warnings live in :mod:`evaluatie.waarschuwingen`)."""
from __future__ import annotations

from evaluatie.waarschuwingen import NietGeconvergeerd, OverlevingsWaarschuwing


class OverlevingsFout(ValueError):
    """Input that a survival estimator cannot use (message in Dutch names rows, columns and values)."""


__all__ = ["NietGeconvergeerd", "OverlevingsFout", "OverlevingsWaarschuwing"]
