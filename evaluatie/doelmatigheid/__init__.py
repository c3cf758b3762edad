"""Doelmatigheid (issue 18): what the instruments cost, what they save, and what a shift of budget would do.

Reads the optional ``kosten`` table (:mod:`.kosten`), combines it with the bootstrap replicates of the
effects on benefit months and exits (:meth:`evaluatie.effecten.Effectresultaat.reeks`) into net savings per
cell for the gemeente and for society (:mod:`.berekening`, definitions in :mod:`.rekenen`).
"""
from evaluatie.doelmatigheid.berekening import bereken, celkosten
from evaluatie.doelmatigheid.instellingen import BUIG_AANDEEL, DISCONTO, Doelmatigheidsconfig, Scenario
from evaluatie.doelmatigheid.kosten import Kosten, Kostenbevinding, KostenFout, lees_kosten, trajectgegevens, zoek_kosten
from evaluatie.doelmatigheid.resultaat import Doelmatigheidsresultaat

__all__ = ["BUIG_AANDEEL", "DISCONTO", "Doelmatigheidsconfig", "Doelmatigheidsresultaat", "Kosten", "KostenFout",
           "Kostenbevinding", "Scenario", "bereken", "celkosten", "lees_kosten", "trajectgegevens", "zoek_kosten"]
