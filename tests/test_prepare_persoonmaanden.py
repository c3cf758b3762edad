"""Person-month table on the hand-made clients of test_prepare_telproces (rows worked out on paper)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.prepare import persoonmaanden, telproces
from test_prepare_telproces import VENSTER, tabellen

KOL = ["spell_id", "maand", "kalendermaand", "dagen", "status", "jobcoaching_in", "jobcoaching_na",
       "arbeidstraining_in", "arbeidstraining_na", "scholing_in", "scholing_na", "categorie"]


def _rijen(df: pd.DataFrame, spell_id: int) -> list[tuple]:
    sub = df.loc[df.spell_id == spell_id, KOL].copy()
    sub["kalendermaand"] = sub["kalendermaand"].astype(str)
    sub["categorie"] = sub["categorie"].astype(object).fillna("-")  # compact: a categorical (issue 20)
    return [tuple(r) for r in sub.itertuples(index=False)]


def test_maanden_exact():
    pm = persoonmaanden(tabellen(), waarnemingsperiode=VENSTER)
    # k1 spell 1 starts 2014-10-01, enters 2015-01-01 = month 3; jobcoaching runs on 1 Jan, ended by 1 Feb
    assert _rijen(pm, 1) == [
        (1, 3, "2015-01", 31, 0, 1, 0, 0, 0, 0, 0, "B"),
        (1, 4, "2015-02", 28, 0, 0, 1, 0, 0, 0, 0, "B"),
        (1, 5, "2015-03", 31, 1, 0, 1, 0, 0, 0, 0, "B"),
    ]
    # k2 spell 2: one month, exit (verhuizing) in it, arbeidstraining in progress on its first day
    assert _rijen(pm, 4) == [(4, 0, "2016-02", 29, 2, 0, 0, 1, 0, 0, 0, "-")]
    # k4 from 2016-11-15: month 0 = 15 Nov..14 Dec (no categorie yet on 15 Nov, jobcoaching from 1 Dec);
    # month 1 observed 15..31 Dec = 17 days
    assert _rijen(pm, 6) == [
        (6, 0, "2016-11", 30, 0, 0, 0, 0, 0, 0, 0, "-"),
        (6, 1, "2016-12", 17, 0, 1, 0, 0, 0, 0, 0, "C"),
    ]
    assert _rijen(pm, 7) == [(7, 0, "2016-12", 31, 1, 0, 0, 0, 0, 0, 0, "-")]
    # k6 ends after the window: three months, censored
    assert _rijen(pm, 8) == [
        (8, 0, "2016-10", 31, 0, 0, 0, 0, 0, 0, 0, "-"),
        (8, 1, "2016-11", 30, 0, 0, 0, 0, 0, 0, 0, "-"),
        (8, 2, "2016-12", 31, 0, 0, 0, 0, 0, 0, 0, "-"),
    ]
    k1b = pm[pm.spell_id == 2]
    assert k1b["maand"].tolist() == list(range(19))  # Jun 2015 .. Dec 2016
    assert k1b["scholing_in"].tolist() == [0, 1] + [0] * 17
    assert k1b["scholing_na"].tolist() == [0, 0] + [1] * 17
    assert k1b["categorie"].tolist() == ["B"] * 3 + ["A"] * 16
    assert int(k1b["dagen"].sum()) == 580
    assert len(pm) == 3 + 19 + 1 + 2 + 1 + 3
    assert isinstance(pm["kalendermaand"].dtype, pd.PeriodDtype)
    assert pm["terugval"].tolist() == [0] * 3 + [1] * 19 + [1] + [0] * 6


def test_maanden_sinds_start():
    pm = persoonmaanden(tabellen(), waarnemingsperiode=VENSTER, maanden_sinds_start=True)
    # k1 spell 1: jobcoaching started 2014-11-01 = month 1; rows are months 3, 4, 5
    assert pm.loc[pm.spell_id == 1, "jobcoaching_maand"].tolist() == [2, 3, 4]
    # k4: jobcoaching started 2016-12-01, inside month 0 (15 Nov..14 Dec)
    assert pm.loc[pm.spell_id == 6, "jobcoaching_maand"].tolist() == [0, 1]
    # k1 spell 2: scholing started in month 1 -> -1 before it; no jobcoaching in this spell -> NaN
    assert pm.loc[pm.spell_id == 2, "scholing_maand"].tolist()[:3] == [-1, 0, 1]
    assert pm.loc[pm.spell_id == 2, "jobcoaching_maand"].isna().all()


def test_maandgrenzen_eind_van_de_maand():
    # start 31 Jan 2016 (leap year): months start 31 Jan, 29 Feb, 31 Mar, 30 Apr; exit 30 Apr (overig)
    tab = {"uitkeringen": pd.DataFrame({"client_id": ["x"], "startdatum": pd.to_datetime(["2016-01-31"]),
                                        "einddatum": pd.to_datetime(["2016-04-30"]), "uitstroomreden": ["overig"]})}
    pm = persoonmaanden(tab, waarnemingsperiode=VENSTER)
    assert pm["maand"].tolist() == [0, 1, 2, 3]
    assert pm["kalendermaand"].astype(str).tolist() == ["2016-01", "2016-02", "2016-03", "2016-04"]
    assert pm["dagen"].tolist() == [29, 31, 30, 1]
    assert pm["status"].tolist() == [0, 0, 0, 5]


def test_gebeurtenissen_gelijk_aan_telproces():
    t = tabellen()
    pm = persoonmaanden(t, waarnemingsperiode=VENSTER)
    tp = telproces(t, waarnemingsperiode=VENSTER)
    assert pm.groupby("status").size().drop(0).to_dict() == tp.groupby("status").size().drop(0).to_dict()
    assert int(pm["dagen"].sum()) == int((tp["stop"] - tp["start"]).sum())
    np.testing.assert_array_equal(pm.groupby("spell_id")["dagen"].sum().to_numpy(),
                                  (tp["stop"] - tp["start"]).groupby(tp["spell_id"]).sum().to_numpy())


def test_plus_maanden_gelijk_aan_dateoffset():
    from evaluatie.prepare.spells import maand_van, plus_maanden

    dagen = pd.date_range("2015-01-01", "2017-12-31", freq="D")
    d = dagen.to_numpy().astype("datetime64[D]").astype(np.int64)
    for m in (1, 2, 13):
        verwacht = (dagen + pd.DateOffset(months=m)).to_numpy().astype("datetime64[D]").astype(np.int64)
        np.testing.assert_array_equal(plus_maanden(d, m), verwacht)
    # the day before month m+1 starts lies in month m; the first day of month m lies in month m
    na = d[30:]
    start = np.full(len(na), d[30])  # 2015-01-31
    m = maand_van(start, na)
    assert (plus_maanden(start, m) <= na).all() and (plus_maanden(start, m + 1) > na).all()
    assert m[:3].tolist() == [0, 0, 0] and m[28] == 1  # 31 Jan, 1 Feb, 2 Feb in month 0; 28 Feb in month 1


def test_leeg():
    u = pd.DataFrame({"client_id": pd.Series([], dtype=object), "startdatum": pd.Series([], dtype="datetime64[ns]"),
                      "einddatum": pd.Series([], dtype="datetime64[ns]"), "uitstroomreden": pd.Series([], dtype=object)})
    pm = persoonmaanden({"uitkeringen": u}, waarnemingsperiode=VENSTER)
    assert len(pm) == 0 and {"maand", "kalendermaand", "status"} <= set(pm.columns)
