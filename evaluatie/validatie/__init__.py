"""Validation of input tables against ``data_schema/``: every row accepted or rejected with its reasons.

Public API (contract in CONTRIBUTING.md, "Validation API")::

    from evaluatie.validatie import valideer_map, valideer_tabellen, laad
    res = valideer_map("data/", peildatum="2019-12-31")
    res.geaccepteerd["clienten"]      # typed accepted rows
    res.afgekeurd["trajecten"]        # rejected rows: rij, original values, redenen
    res.bevindingen                   # bestand, rij, veld, waarde, regel, melding (+ tabel, niveau)
    res.reconciliatie()               # gelezen = geaccepteerd + afgekeurd per tabel
    res.schrijf("data/_validatie")

Modules: :mod:`.typen` (text → typed values), :mod:`.regels` (schema rules), :mod:`.sleutels` (foreign
keys and cascade), :mod:`.tijd` (temporal rules), :mod:`.plausibel` (counts), :mod:`.bevindingen`
(finding rows and rule names), :mod:`.resultaat` (the result object), :mod:`.valideer` (orchestration).
Reading files: :mod:`evaluatie.lezen`.
"""
from __future__ import annotations

from evaluatie.lezen import Invoerfout
from evaluatie.validatie.bevindingen import KOLOMMEN, REGELS
from evaluatie.validatie.resultaat import Validatieresultaat
from evaluatie.validatie.valideer import ValidatieWarning, laad, valideer_map, valideer_tabellen

__all__ = [
    "Invoerfout",
    "KOLOMMEN",
    "REGELS",
    "ValidatieWarning",
    "Validatieresultaat",
    "laad",
    "valideer_map",
    "valideer_tabellen",
]
