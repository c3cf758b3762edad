"""valideer_map on mutated inputs: never a traceback, read = accepted + rejected, every line accounted for."""
from __future__ import annotations

import pytest
from hypothesis import given, settings

from .controle import controleer_validatie, gemuteerd
from .mutaties import ALLE_TABELLEN, mutaties


@given(m=mutaties(ALLE_TABELLEN))
def test_validatie_houdt_stand(basismap, m):
    with gemuteerd(basismap, m) as map:
        controleer_validatie(map)


@pytest.mark.slow
@settings(settings.get_profile("groot"))
@given(m=mutaties(ALLE_TABELLEN))
def test_validatie_houdt_stand_groot(basismap, m):
    with gemuteerd(basismap, m) as map:
        controleer_validatie(map)
