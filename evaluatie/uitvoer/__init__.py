"""The one writer of results: layout publiceerbaar/ + intern/, manifest, atomic replace, input guards.

See :mod:`evaluatie.uitvoer.schrijver` for the layout and CONTRIBUTING.md ("De naad") for how a step's
result reaches disk.
"""
from evaluatie.uitvoer.atomair import atomaire_map
from evaluatie.uitvoer.beveiliging import Tabelspec
from evaluatie.uitvoer.overlap import UitvoerFout, controleer_doel, controleer_uitvoer, vorige_uitvoer, weiger_overlap
from evaluatie.uitvoer.schrijver import (
    FLOAT_FORMAT,
    INTERN,
    PUBLICEERBAAR,
    Geschreven,
    Schrijfmap,
    Uitvoer,
    lees_manifest,
    schrijf_tabel,
    schrijf_uitvoer,
)

__all__ = [
    "FLOAT_FORMAT", "INTERN", "PUBLICEERBAAR", "Geschreven", "Schrijfmap", "Tabelspec", "Uitvoer", "UitvoerFout",
    "atomaire_map", "controleer_doel", "controleer_uitvoer", "lees_manifest", "schrijf_tabel", "schrijf_uitvoer", "vorige_uitvoer",
    "weiger_overlap",
]
