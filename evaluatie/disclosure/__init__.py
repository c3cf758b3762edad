"""Disclosure control: nothing that leaves the process may describe fewer than ``drempel`` persons.

All tables of one publication are protected together by :func:`beveilig_uitvoer`, each described by a
:class:`Tabelspec`:

- **primary suppression**: a count below the threshold (and above 0) is suppressed;
- **secondary suppression**: the counts of the whole output form one linear system (margins within a
  table, totals published in another table, the same count published twice, rows left out of a table);
  partner cells are suppressed until no suppressed cell can be recovered by adding or subtracting
  published figures (:mod:`evaluatie.disclosure.stelsel`);
- **estimate rows** (effects, shares) built on fewer than ``drempel`` persons are suppressed whole;
- **curves** (Kaplan-Meier, cumulative incidence) are cut where the risk set drops below the threshold;
- **no client ids**: :func:`controleer_geen_ids` scans rendered text for every id of the input;
- **no minima or maxima** of individual values: columns named like ``min``/``max`` are refused.

:func:`controleer_publiceerbaar` checks tables about to be published, independently of how they were
protected. The threshold may not be below :data:`MIN_DREMPEL` (see :mod:`evaluatie.disclosure.basis`).
The functions are pure: they return new frames and never mutate their input.
"""
from evaluatie.disclosure.basis import (
    DREMPEL,
    MARKER,
    MARKER_SECUNDAIR,
    MIN_DREMPEL,
    Beveiligd,
    Drempelfout,
    check_drempel,
    knip_curve,
    regel_tekst,
)
from evaluatie.disclosure.ids import OnthullingsFout, controleer_geen_ids, zichtbare_tekst
from evaluatie.disclosure.tabel import beveilig_aantallen, beveilig_schattingen
from evaluatie.disclosure.uitvoer import Tabelspec, beveilig_uitvoer, bepaalde_cellen, controleer_publiceerbaar

__all__ = [
    "DREMPEL", "MARKER", "MARKER_SECUNDAIR", "MIN_DREMPEL", "Beveiligd", "Drempelfout", "OnthullingsFout",
    "Tabelspec", "bepaalde_cellen", "beveilig_aantallen", "beveilig_schattingen", "beveilig_uitvoer",
    "check_drempel", "controleer_geen_ids", "controleer_publiceerbaar", "knip_curve", "regel_tekst",
    "zichtbare_tekst",
]
