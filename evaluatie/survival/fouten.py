"""Typed errors and warnings of the survival estimators."""
from __future__ import annotations


class OverlevingsFout(ValueError):
    """Input that a survival estimator cannot use (message in Dutch names rows, columns and values)."""


class OverlevingsWaarschuwing(UserWarning):
    """Something the user must know about a survival result (collected on the result as well)."""


class NietGeconvergeerd(OverlevingsWaarschuwing):
    """Newton-Raphson did not converge, or a coefficient may be infinite (monotone likelihood)."""
