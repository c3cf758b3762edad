"""Survival estimators for uitstroom: Kaplan-Meier, Aalen-Johansen cumulative incidence and the
cause-specific Cox model on (start, stop] counting-process rows (delayed entry, time-varying
covariates, strata, cluster-robust SE). Reference values from R ``survival``/``cmprsk`` in
``tests/reference/survival_fixtures.R``.
"""
from __future__ import annotations

from evaluatie.survival.cif import CumulativeIncidenceResult, cumulative_incidence
from evaluatie.survival.cox import CoxResult, cox
from evaluatie.survival.fouten import NietGeconvergeerd, OverlevingsFout, OverlevingsWaarschuwing
from evaluatie.survival.km import KaplanMeierResult, kaplan_meier
from evaluatie.survival.phtest import PHTestResult

__all__ = [
    "kaplan_meier", "cumulative_incidence", "cox", "KaplanMeierResult", "CumulativeIncidenceResult",
    "CoxResult", "PHTestResult", "OverlevingsFout", "OverlevingsWaarschuwing", "NietGeconvergeerd",
]
