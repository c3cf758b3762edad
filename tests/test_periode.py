"""One parser for the observation window: every shape accepted, every error names source, field and value."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evaluatie.lezen import Invoerfout, normaliseer_periode
from evaluatie.periode import PeriodeFout, Waarnemingsperiode, lees_periode, periode_tekst


def test_vormen():
    a = lees_periode({"start": "2015-01-01", "eind": "2019-12-31"})
    b = lees_periode(("2015-01-01", dt.date(2019, 12, 31)))
    c = lees_periode([pd.Timestamp("2015-01-01 13:00"), "2019-12-31"])
    assert a == b == c == (pd.Timestamp("2015-01-01"), pd.Timestamp("2019-12-31"))
    start, eind = a  # unpacks like the tuples it replaces
    assert isinstance(a, Waarnemingsperiode) and a.als_dict() == {"start": "2015-01-01", "eind": "2019-12-31"}


def test_optioneel_eind_en_standaard_start():
    p = lees_periode({"eind": None}, standaard_start="2015-01-01", eind_optioneel=True)
    assert p == (pd.Timestamp("2015-01-01"), None)
    with pytest.raises(PeriodeFout, match="eind ontbreekt"):
        lees_periode({"start": "2015-01-01", "eind": None}, "metadata.json")


@pytest.mark.parametrize("wp, stuk", [
    ({"start": "2015-01-01"}, "verwacht {'start'"),
    ("2015", "verwacht {'start': .., 'eind': ..} of (start, eind)"),
    (("2015-13-01", "2019-12-31"), "waarnemingsperiode.start '2015-13-01' is geen datum; verwacht jjjj-mm-dd"),
    (("2015-01-01", 2019), "waarnemingsperiode.eind 2019 is geen datum"),
    (("2019-01-01", "2015-01-01"), "eind 2015-01-01 ligt voor start 2019-01-01"),
])
def test_fouten_noemen_bron_veld_waarde(wp, stuk):
    with pytest.raises(PeriodeFout) as e:
        lees_periode(wp, "metadata.json")
    assert str(e.value).startswith("metadata.json: ") and stuk in str(e.value)
    assert isinstance(e.value, Invoerfout) and e.value.bron == "metadata.json"  # commands report it as input error


def test_aanroepers_gebruiken_dezelfde_parser():
    from evaluatie.kennisbank.opslag import _periode
    from evaluatie.prepare.spells import venster

    assert normaliseer_periode(["2016-01-01", "2018-12-31"]) == lees_periode(["2016-01-01", "2018-12-31"])
    assert venster({}, {"start": "2016-01-01", "eind": "2018-12-31"})[:2] == tuple(lees_periode(("2016-01-01", "2018-12-31")))
    with pytest.raises(PeriodeFout):
        venster({}, ("2016-01-01", "geen datum"))
    assert _periode({"start": "2016-01-01", "eind": "2018-12-31"}) == periode_tekst(("2016-01-01", "2018-12-31")) \
        == ("2016-01-01", "2018-12-31")
    assert periode_tekst("onzin") == ("", "")
