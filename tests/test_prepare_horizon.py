"""Horizon outcomes on hand-made clients; every value worked out on paper in the comments."""
from __future__ import annotations

import pandas as pd
import pytest

from evaluatie.prepare import horizonuitkomsten
from test_prepare_telproces import VENSTER, tabellen

D = pd.to_datetime
N = None


def _tab() -> dict[str, pd.DataFrame]:
    t = tabellen()
    extra_u = pd.DataFrame({
        "client_id": ["k7", "k8", "k8"],
        "startdatum": D(["2015-01-10", "2015-01-01", "2015-08-01"]),
        "einddatum": D(["2015-05-20", "2015-01-31", "2015-08-31"]),
        "uitstroomreden": ["werk", "werk", "overig"],
    })
    extra_c = t["clienten"].iloc[:2].assign(client_id=["k7", "k8"])
    return {**t, "uitkeringen": pd.concat([t["uitkeringen"], extra_u], ignore_index=True),
            "clienten": pd.concat([t["clienten"], extra_c], ignore_index=True)}


def _waarden(df: pd.DataFrame, kol: str) -> dict[int, int | None]:
    return {int(s): (None if pd.isna(v) else int(v)) for s, v in zip(df["spell_id"], df[kol])}


def test_horizon_exact():
    h = horizonuitkomsten(_tab(), waarnemingsperiode=VENSTER, horizonnen=(3, 6, 12), duurzaam=(6,))
    # spell ids: k1 1,2 · k2 (3 dropped) 4 · k3 5 dropped · k4 6 · k5 7 · k6 8 · k7 9 · k8 10, 11
    assert h["spell_id"].tolist() == [1, 2, 4, 6, 7, 8, 9, 10, 11]
    # k1/1 2014-10-01 -> werk 2015-03-31 (month 5); k1/2 runs from 2015-06-01; k2/2 verhuizing in month 0;
    # k4 2016-11-15 running, follow-up 1.5 months; k5 werk in month 0 on the window end; k6 censored at
    # 2016-12-31 = exactly S + 3 months - 1 day -> h3 known; k7 2015-01-10 -> werk 2015-05-20 (month 4);
    # k8/1 werk in month 0; k8/2 overig in month 0.
    assert _waarden(h, "werk_h3") == {1: 0, 2: 0, 4: 0, 6: N, 7: 1, 8: 0, 9: 0, 10: 1, 11: 0}
    assert _waarden(h, "werk_h6") == {1: 1, 2: 0, 4: 0, 6: N, 7: 1, 8: N, 9: 1, 10: 1, 11: 0}
    assert _waarden(h, "werk_h12") == {1: 1, 2: 0, 4: 0, 6: N, 7: 1, 8: N, 9: 1, 10: 1, 11: 0}
    # terugkeer within 6 months of leaving (first day off benefit + 6 months):
    # k1/1 off 2015-04-01, next spell 2015-06-01 < 2015-10-01 -> 1; k5 off 2017-01-01, window ends -> NA;
    # k7 off 2015-05-21, no new spell, 2015-11-21 within the window -> 0;
    # k8/1 off 2015-02-01, next spell on 2015-08-01 = exactly 6 months later -> not within -> 0.
    assert _waarden(h, "terugkeer_6") == {1: 1, 2: N, 4: N, 6: N, 7: N, 8: N, 9: 0, 10: 0, 11: N}
    assert _waarden(h, "duurzaam_werk_6_h3") == {1: 0, 2: 0, 4: 0, 6: N, 7: N, 8: 0, 9: 0, 10: 1, 11: 0}
    assert _waarden(h, "duurzaam_werk_6_h6") == {1: 0, 2: 0, 4: 0, 6: N, 7: N, 8: N, 9: 1, 10: 1, 11: 0}
    assert h["instroom_in_venster"].tolist() == [False] + [True] * 8
    assert h["terugval"].tolist() == [0, 1, 1, 0, 0, 0, 0, 0, 1]
    # categorie at start; k4 has none at 2016-11-15, so the first one during the spell (C from 11-20)
    assert h["categorie"].fillna("-").tolist() == ["B", "B", "-", "C", "-", "-", "-", "-", "-"]
    assert str(h["werk_h3"].dtype) == "Int8"
    assert h["uitstroomdatum"].isna().tolist() == [False, True, False, True, False, True, False, False, False]


def test_horizon_startmaand_instrument():
    h = horizonuitkomsten(_tab(), waarnemingsperiode=VENSTER)
    # k1/1 jobcoaching from 2014-11-01 = month 1; k4 from 2016-12-01 = month 0; k1/2 scholing month 1
    assert _waarden(h.dropna(subset=["jobcoaching_startmaand"]), "jobcoaching_startmaand") == {1: 1, 6: 0}
    assert _waarden(h.dropna(subset=["scholing_startmaand"]), "scholing_startmaand") == {2: 1}


def test_horizon_foute_invoer():
    with pytest.raises(ValueError, match="horizonnen"):
        horizonuitkomsten(_tab(), waarnemingsperiode=VENSTER, horizonnen=(0, 12))
