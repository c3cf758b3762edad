"""Dynamic effects of re-integration instruments per instrument x categorie, with deadweight.

Primary estimator: a parametric g-formula on discrete-time exit hazards (multinomial logit stay / werk /
other exit) fitted to person-months collapsed to covariate patterns; design-based check: risk-set
propensity weighting of not-yet-treated controls at each start month. See :func:`schat_effecten`.
"""
from evaluatie.effecten.hazardmodel import Specificatie
from evaluatie.effecten.resultaat import Effectresultaat
from evaluatie.effecten.schatting import Effectconfig, schat_effecten

__all__ = ["Effectconfig", "Effectresultaat", "Specificatie", "schat_effecten"]
