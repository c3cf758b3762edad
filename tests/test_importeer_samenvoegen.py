"""Merge rule on hand-made periods, and pseudonyms."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.importeer.samenvoegen import pseudoniemen, spell_nummers

D = pd.to_datetime


def _perioden():
    # client X: P1 and P2 adjoin (31 Mar / 1 Apr); P3 starts after one day without benefit (1 Jul);
    # P4 overlaps P3 and is open. Client Y: one period. Rows deliberately not in date order.
    return pd.DataFrame({
        "k": ["X", "Y", "X", "X", "X"],
        "start": D(["2015-04-01", "2016-01-01", "2015-01-01", "2015-08-15", "2015-07-02"]),
        "eind": D(["2015-06-30", "2016-02-01", "2015-03-31", None, "2015-08-31"]),
    })


def _groepen(nr):
    """Spells as sets of row positions (independent of numbering)."""
    return sorted(sorted(np.flatnonzero(nr == s).tolist()) for s in np.unique(nr))


def test_gap_zero_merges_adjoining_and_overlapping_only():
    p = _perioden()
    nr = spell_nummers(p["k"], p["start"], p["eind"], 0)
    assert _groepen(nr) == [[0, 2], [1], [3, 4]]


def test_gap_one_day_bridges_one_day_without_benefit():
    p = _perioden()
    assert _groepen(spell_nummers(p["k"], p["start"], p["eind"], 1)) == [[0, 2, 3, 4], [1]]


def test_none_keeps_every_row_like_bijstand_r():
    p = _perioden()
    assert _groepen(spell_nummers(p["k"], p["start"], p["eind"], None)) == [[0], [1], [2], [3], [4]]


def test_periods_after_open_period_join_and_other_clients_never():
    p = pd.DataFrame({"k": ["A", "A", "B"], "start": D(["2015-01-01", "2017-01-01", "2015-01-02"]),
                      "eind": D([None, "2017-05-01", "2015-03-01"])})
    assert _groepen(spell_nummers(p["k"], p["start"], p["eind"], 0)) == [[0, 1], [2]]
    with pytest.raises(ValueError, match="max_gat_dagen"):
        spell_nummers(p["k"], p["start"], p["eind"], -1)


def test_invalid_start_stays_alone():
    p = pd.DataFrame({"k": ["A", "A"], "start": D(["2015-01-01", None]), "eind": D(["2015-02-01", "2015-02-01"])})
    assert _groepen(spell_nummers(p["k"], p["start"], p["eind"], 0)) == [[0], [1]]


def test_pseudonyms_sequential_and_keyed():
    k = pd.Series(["123456", "777", "123456", "42"])
    assert pseudoniemen(k).tolist() == ["C0001", "C0002", "C0001", "C0003"]
    a = pseudoniemen(k, geheim="s1")
    b = pseudoniemen(k, geheim="s2")
    assert a[0] == a[2] and a[0] != a[1] and a.tolist() != b.tolist()
    assert not any("123456" in x or x == "C777" for x in a)
    assert pseudoniemen(k, geheim="s1").tolist() == a.tolist()  # deterministic
