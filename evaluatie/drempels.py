"""Thresholds with one meaning across the package, defined once and read everywhere.

The estimator labels its own cells with these (the ``kwetsbaar`` column of ``gevoeligheid``, the ``vlag``
column of ``effecten``); a report reads those labels and never recomputes them with a threshold of its own.
The disclosure threshold lives with disclosure control (:mod:`evaluatie.disclosure`) and is re-exported here.
"""
from __future__ import annotations

from evaluatie.disclosure import DREMPEL

#: E-value of the confidence limit below which an estimate is *kwetsbaar*: an unmeasured confounder
#: associated with both the start and werk by a risk ratio below this could move the limit to 1.
KWETSBAAR_E: float = 2.0

#: Cells with fewer participants are estimated but flagged (``vlag``: "te weinig deelnemers").
MIN_DEELNEMERS: int = 50

#: Cells with fewer participants are not estimated at all (listed in the warnings).
MIN_SCHATTEN: int = 10

#: Flag a cell when max |SMD| after weighting exceeds this (Austin & Stuart 2015: 0.1).
SMD_DREMPEL: float = 0.1

#: Flag a cell when more than this share of its participants has a propensity above every control's.
OVERLAP_DREMPEL: float = 0.05

__all__ = ["DREMPEL", "KWETSBAAR_E", "MIN_DEELNEMERS", "MIN_SCHATTEN", "OVERLAP_DREMPEL",
           "SMD_DREMPEL"]
