"""Data that validation accepts never crashes preparation (telproces, persoonmaanden, horizon).

The accepted tables of a mutated input go straight into the preparation functions; a clear ValueError
(in Dutch) is allowed, any other exception is a bug.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from evaluatie.prepare import horizonuitkomsten, persoonmaanden, telproces
from evaluatie.validatie import valideer_map

from .controle import gemuteerd
from .mutaties import KLANTTABELLEN, logische_mutatie, mutaties, waarde_mutatie


def _bereid(map) -> None:
    from evaluatie.lezen import Invoerfout

    try:
        res = valideer_map(map)
    except Invoerfout:
        return
    tabellen = res.geaccepteerd
    if "uitkeringen" not in tabellen or not len(tabellen["uitkeringen"]):
        return
    w = res.waarnemingsperiode
    for f in (telproces, persoonmaanden, horizonuitkomsten):
        try:
            f(tabellen, waarnemingsperiode=w)
        except ValueError as e:  # a refusal with a message is fine; a crash is not
            assert str(e) and "Traceback" not in str(e)


_GERICHT = st.lists(st.one_of(logische_mutatie(), st.sampled_from(KLANTTABELLEN).flatmap(waarde_mutatie)),
                    min_size=1, max_size=4)


@settings(max_examples=10)
@given(m=_GERICHT)
def test_voorbereiding_houdt_stand(basismap, m):
    with gemuteerd(basismap, m) as map:
        _bereid(map)


@pytest.mark.slow
@settings(settings.get_profile("groot"))
@given(m=st.one_of(_GERICHT, mutaties(KLANTTABELLEN)))
def test_voorbereiding_houdt_stand_groot(basismap, m):
    with gemuteerd(basismap, m) as map:
        _bereid(map)
