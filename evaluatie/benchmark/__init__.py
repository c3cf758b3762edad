"""Normed benchmark: does a gemeente do better or worse than comparable gemeenten?

Reproduces chapter 5 of the Etten-Leur report (caseload and flows as % of the genormeerd aantal
uitkeringen of the BUIG verdeelmodel, compared with the 20 gemeenten with the most similar BUIG
budget) and adds what the college asked for: other comparison groups (structural similarity, a
synthetic control), the position within the group with a prediction interval, and a funnel plot of
all gemeenten with overdispersion (Spiegelhalter 2005).

Modules: :mod:`.controle` (input checks), :mod:`.indicatoren`, :mod:`.maand`,
:mod:`.vergelijkingsgroep`, :mod:`.synthetisch`, :mod:`.significantie`, :mod:`.figuren`,
:mod:`.analyse` (the one call).
"""
from __future__ import annotations

from evaluatie.benchmark.analyse import Benchmarkresultaat, Benchmarkspec, benchmark
from evaluatie.benchmark.controle import BenchmarkFout
from evaluatie.benchmark.indicatoren import bereken_indicatoren, index_reeks, landelijk, preventiequotum
from evaluatie.benchmark.maand import Maandreeksen, maandreeksen
from evaluatie.benchmark.significantie import Positie, Trechter, positie_in_groep, trechter
from evaluatie.benchmark.synthetisch import synthetische_gewichten
from evaluatie.benchmark.vergelijkingsgroep import (METHODEN, Vergelijkingsgroep, groep_buig, groep_structureel,
                                                    groep_synthetisch, vergelijkingsgroep)

__all__ = [
    "BenchmarkFout", "Benchmarkresultaat", "Benchmarkspec", "Maandreeksen", "METHODEN", "Positie", "Trechter",
    "Vergelijkingsgroep", "benchmark", "bereken_indicatoren", "groep_buig", "groep_structureel",
    "groep_synthetisch", "index_reeks", "landelijk", "maandreeksen", "positie_in_groep", "preventiequotum",
    "synthetische_gewichten", "trechter", "vergelijkingsgroep",
]
