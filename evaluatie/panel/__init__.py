"""Panel models: within-person fixed effects on person-months and DiD / event study on municipalities.

- :func:`schat_persoon_fe` -- person-month LPM of exit to work on instrument state, spell (or client) and
  calendar-month fixed effects, SE clustered on client (:mod:`evaluatie.panel.persoon`);
- :func:`analyseer_beleidswijziging`, :func:`verschil_in_verschillen`, :func:`gebeurtenisstudie`,
  :func:`placebo_in_tijd` -- the municipal policy-change analysis (:mod:`evaluatie.panel.gemeente`);
- small-cluster inference: CR1, CR2/Bell-McCaffrey, the CR2 Wald test with the Hotelling T-squared (HTZ)
  approximation, wild cluster bootstrap (:mod:`evaluatie.panel.inferentie`);
- :func:`figuur_gebeurtenisstudie` -- event-study figure (:mod:`evaluatie.panel.figuren`).
"""
from __future__ import annotations

from evaluatie.panel.gemeente import (
    INDICATOREN,
    BeleidsFout,
    Beleidsanalyse,
    DidResultaat,
    Gebeurtenisstudie,
    Pretrend,
    analyseer_beleidswijziging,
    gebeurtenisstudie,
    indicatoren,
    placebo_in_tijd,
    verschil_in_verschillen,
)
from evaluatie.panel.inferentie import (
    WaldHTZ,
    WildBootstrap,
    cluster_vcov,
    cr2,
    wald_htz,
    wild_bootstrap_t,
    wild_bootstrap_wald,
)
from evaluatie.panel.persoon import PanelWaarschuwing, PersoonFE, schat_persoon_fe

__all__ = [
    "INDICATOREN", "BeleidsFout", "Beleidsanalyse", "DidResultaat", "Gebeurtenisstudie", "Pretrend",
    "analyseer_beleidswijziging", "gebeurtenisstudie", "indicatoren", "placebo_in_tijd",
    "verschil_in_verschillen", "WildBootstrap", "cr2", "cluster_vcov", "wild_bootstrap_t",
    "wild_bootstrap_wald", "WaldHTZ", "wald_htz", "PanelWaarschuwing", "PersoonFE", "schat_persoon_fe",
    "figuur_gebeurtenisstudie",
]


def __getattr__(name: str):
    if name == "figuur_gebeurtenisstudie":  # matplotlib only when a figure is asked for
        from evaluatie.panel.figuren import figuur_gebeurtenisstudie

        return figuur_gebeurtenisstudie
    raise AttributeError(name)
