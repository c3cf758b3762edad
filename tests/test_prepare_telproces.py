"""Counting-process rows on hand-made clients whose rows are worked out on paper (see comments)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.prepare import UITSTROOM_CODE, UITSTROOM_CODES, bouw_telproces, telproces

D = pd.to_datetime
VENSTER = ("2015-01-01", "2016-12-31")
NA = pd.NA


def tabellen() -> dict[str, pd.DataFrame]:
    """Six clients; window 2015-01-01 .. 2016-12-31.

    k1: spell 1 2014-10-01..2015-03-31 (werk), began before the window: entry at 92 (Oct 31 + Nov 30 +
        Dec 31), ends at 182 (+ Jan 31 + Feb 28 + Mar 31). jobcoaching 2014-11-01..2015-01-31 runs at entry
        and ends on day 122, so in on (92, 123], after on (123, 182]. Categorie B (trede 2) from 2014-09-15,
        before the spell.
        spell 2 2015-06-01..running: scholing 2015-07-01..2015-07-31 = (30, 61]; categorie A (trede 4) from
        2015-09-01 = day 92; 1 Jan 2016 = day 214 (92 + 30 + 31 + 30 + 31); censored at 2016-12-31 = 580
        (214 + 366). terugval = 1 (spell 1 ended in werk).
    k2: spell 1 2013-01-01..2014-06-30 (werk) lies before the window: dropped, but still makes spell 2
        a terugval. Spell 2 2016-02-01..2016-02-29 (verhuizing) ends at 29. arbeidstraining
        2016-01-15..2016-02-10 started before the spell: clipped to (0, 10], after it (10, 29].
    k3: spell 2017-03-01.. starts after the window: dropped.
    k4: spell 2016-11-15..running; categorie C (trede 1) from 2016-11-20 = day 5 (none before);
        jobcoaching 2016-12-01..running = day 16 on; censored at 2016-12-31 = 47.
    k5: spell 2016-12-01..2016-12-31 (werk): ends on the window end, exit observed, stop 31.
    k6: spell 2016-10-01..2017-02-28 (werk) ends after the window: censored at 92, status 0; a scholing
        trajectory 2016-01-01..2016-03-01 ended before the spell and leaves no trace.
    """
    clienten = pd.DataFrame({
        "client_id": ["k1", "k2", "k3", "k4", "k5", "k6"],
        "gemeentecode": ["GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879"],
        "geboortejaar": pd.array([1980, 1990, 1970, 2000, 1960, 1985], dtype="Int64"),
        "geslacht": ["man", "vrouw", "man", "vrouw", "onbekend", "man"],
        "opleidingsniveau": ["laag", "hoog", None, "middelbaar", "laag", "onbekend"],
        "statushouder": [False, True, False, False, False, True],
        "speciaal_onderwijs": [False, False, False, True, False, False],
        "nugger": [False] * 6,
    })
    uitkeringen = pd.DataFrame({
        "client_id": ["k1", "k1", "k2", "k2", "k3", "k4", "k5", "k6"],
        "startdatum": D(["2014-10-01", "2015-06-01", "2013-01-01", "2016-02-01", "2017-03-01", "2016-11-15",
                         "2016-12-01", "2016-10-01"]),
        "einddatum": D(["2015-03-31", None, "2014-06-30", "2016-02-29", None, None, "2016-12-31", "2017-02-28"]),
        "uitstroomreden": ["werk", None, "werk", "verhuizing", None, None, "werk", "werk"],
    })
    categorieen = pd.DataFrame({
        "client_id": ["k1", "k1", "k4"],
        "startdatum": D(["2014-09-15", "2015-09-01", "2016-11-20"]),
        "categorie": ["B", "A", "C"],
        "trede": pd.array([2, 4, 1], dtype="Int64"),
        "inzetbaarheid": pd.array([NA, NA, NA], dtype="Int64"),
    })
    trajecten = pd.DataFrame({
        "client_id": ["k1", "k1", "k2", "k4", "k6"],
        "instrument": ["jobcoaching", "scholing", "arbeidstraining", "jobcoaching", "scholing"],
        "startdatum": D(["2014-11-01", "2015-07-01", "2016-01-15", "2016-12-01", "2016-01-01"]),
        "einddatum": D(["2015-01-31", "2015-07-31", "2016-02-10", None, "2016-03-01"]),
    })
    return {"clienten": clienten, "uitkeringen": uitkeringen, "categorieen": categorieen, "trajecten": trajecten}


KOLOMMEN = ["client_id", "spell_id", "spell_nr", "start", "stop", "status",
            "jobcoaching_in", "jobcoaching_na", "arbeidstraining_in", "arbeidstraining_na",
            "scholing_in", "scholing_na", "categorie", "trede", "kalenderjaar", "terugval"]
VERWACHT = [
    # client spell nr start stop status jc_in jc_na at_in at_na sch_in sch_na cat trede jaar terugval
    ("k1", 1, 1, 92, 123, 0, 1, 0, 0, 0, 0, 0, "B", 2, 2015, 0),
    ("k1", 1, 1, 123, 182, 1, 0, 1, 0, 0, 0, 0, "B", 2, 2015, 0),
    ("k1", 2, 2, 0, 30, 0, 0, 0, 0, 0, 0, 0, "B", 2, 2015, 1),
    ("k1", 2, 2, 30, 61, 0, 0, 0, 0, 0, 1, 0, "B", 2, 2015, 1),
    ("k1", 2, 2, 61, 92, 0, 0, 0, 0, 0, 0, 1, "B", 2, 2015, 1),
    ("k1", 2, 2, 92, 214, 0, 0, 0, 0, 0, 0, 1, "A", 4, 2015, 1),
    ("k1", 2, 2, 214, 580, 0, 0, 0, 0, 0, 0, 1, "A", 4, 2016, 1),
    ("k2", 4, 2, 0, 10, 0, 0, 0, 1, 0, 0, 0, None, NA, 2016, 1),
    ("k2", 4, 2, 10, 29, 2, 0, 0, 0, 1, 0, 0, None, NA, 2016, 1),
    ("k4", 6, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, None, NA, 2016, 0),
    ("k4", 6, 1, 5, 16, 0, 0, 0, 0, 0, 0, 0, "C", 1, 2016, 0),
    ("k4", 6, 1, 16, 47, 0, 1, 0, 0, 0, 0, 0, "C", 1, 2016, 0),
    ("k5", 7, 1, 0, 31, 1, 0, 0, 0, 0, 0, 0, None, NA, 2016, 0),
    ("k6", 8, 1, 0, 92, 0, 0, 0, 0, 0, 0, 0, None, NA, 2016, 0),
]


def _verwacht() -> pd.DataFrame:
    df = pd.DataFrame(VERWACHT, columns=KOLOMMEN)
    df["trede"] = df["trede"].astype("Int64")
    return df


def test_rijen_exact():
    df = telproces(tabellen(), waarnemingsperiode=VENSTER)
    assert list(df.columns[:6]) == KOLOMMEN[:6]
    inst = [c for c in df.columns if c.endswith(("_in", "_na"))]
    assert inst == KOLOMMEN[6:12]  # schema order: jobcoaching, arbeidstraining, scholing
    verwacht = _verwacht()
    got = df[KOLOMMEN].reset_index(drop=True)
    for kol in KOLOMMEN:
        if kol == "categorie":
            assert got[kol].isna().tolist() == verwacht[kol].isna().tolist()
            assert got[kol].dropna().tolist() == verwacht[kol].dropna().tolist()
        elif kol == "trede":
            assert got[kol].astype("Int64").tolist() == verwacht[kol].tolist(), kol
        else:
            assert got[kol].tolist() == verwacht[kol].tolist(), kol
    assert df["start"].dtype == np.float64 and df["stop"].dtype == np.float64


def test_statische_kenmerken():
    df = telproces(tabellen(), waarnemingsperiode=VENSTER)
    eerste = df.groupby("spell_id").first()
    # leeftijd = start year of the spell - geboortejaar
    assert eerste["leeftijd"].to_dict() == {1: 2014 - 1980, 2: 2015 - 1980, 4: 2016 - 1990, 6: 2016 - 2000,
                                            7: 2016 - 1960, 8: 2016 - 1985}
    assert eerste["gemeentecode"].to_dict() == {1: "GM0777", 2: "GM0777", 4: "GM1655", 6: "GM1674",
                                                7: "GM0840", 8: "GM0879"}
    assert eerste.loc[4, "statushouder"] and eerste.loc[6, "speciaal_onderwijs"]
    assert eerste.loc[6, "geslacht"] == "vrouw" and eerste.loc[1, "opleidingsniveau"] == "laag"


def test_telling_weggelaten_perioden():
    res = bouw_telproces(tabellen(), waarnemingsperiode=VENSTER)
    t = res.telling
    assert (t["perioden"], t["in_venster"], t["voor_venster"], t["na_venster"]) == (8, 6, 1, 1)
    assert t["vertraagde_instap"] == 1
    assert t["gecensureerd"] == 3  # k1 spell 2, k4, k6
    assert t["gebeurtenissen"] == {1: 2, 2: 1}
    assert t["rijen"] == 14
    # person-days: (182-92) + 580 + 29 + 47 + 31 + 92
    assert t["persoonsdagen"] == 90 + 580 + 29 + 47 + 31 + 92
    assert res.rijen.attrs["telling"] == t
    assert res.instrumenten == ("jobcoaching", "arbeidstraining", "scholing")
    assert "8 uitkeringsperioden" in res.summary()


def test_zonder_jaarsplitsing():
    df = telproces(tabellen(), waarnemingsperiode=VENSTER, split_kalenderjaar=False)
    k1 = df[df["spell_id"] == 2]
    # the 1 Jan 2016 cut (day 214) disappears; the last row starts in 2015
    assert k1[["start", "stop"]].values.tolist() == [[0, 30], [30, 61], [61, 92], [92, 580]]
    assert k1["kalenderjaar"].tolist() == [2015] * 4


def test_instrumenten_argument_en_fouten():
    df = telproces(tabellen(), waarnemingsperiode=VENSTER, instrumenten=["beschut_werk", "scholing"])
    inst = [c for c in df.columns if c.endswith(("_in", "_na"))]
    assert inst == ["beschut_werk_in", "beschut_werk_na", "scholing_in", "scholing_na"]
    assert df["beschut_werk_in"].sum() == 0
    # without jobcoaching/arbeidstraining columns the rows are only split where scholing or others change
    assert len(df) == 14 - 1 - 1 - 1
    with pytest.raises(ValueError, match="onbekende code"):
        telproces(tabellen(), waarnemingsperiode=VENSTER, instrumenten=["fietsles"])
    with pytest.raises(ValueError, match="eind .* ligt voor start"):
        telproces(tabellen(), waarnemingsperiode=("2016-01-01", "2015-01-01"))


def test_invoer_niet_gewijzigd():
    t = tabellen()
    kopie = {k: v.copy(deep=True) for k, v in t.items()}
    telproces(t, waarnemingsperiode=VENSTER)
    for k in t:
        pd.testing.assert_frame_equal(t[k], kopie[k])


def test_standaardvenster_en_afgeleid_einde():
    # no window given: start 2015-01-01, end = latest date in the data (2017-03-01, k3's start)
    res = bouw_telproces(tabellen())
    assert res.telling["venster_start"] == "2015-01-01"
    assert res.telling["venster_eind"] == "2017-03-01" and res.telling["venster_eind_afgeleid"]
    assert any("afgeleid" in w for w in res.waarschuwingen)
    assert res.telling["na_venster"] == 0  # k3's spell now starts on the last day of the window


def test_uitstroomreden_ontbreekt_geeft_fout():
    t = tabellen()
    t["uitkeringen"] = t["uitkeringen"].assign(uitstroomreden=[None] + t["uitkeringen"]["uitstroomreden"][1:].tolist())
    with pytest.raises(ValueError, match="client_id=k1"):
        telproces(t, waarnemingsperiode=VENSTER)


def test_codes():
    assert dict(UITSTROOM_CODES) == {0: "gecensureerd", 1: "werk", 2: "verhuizing", 3: "huishoudenswijziging",
                                     4: "pensioen_leeftijd", 5: "overig"}
    assert UITSTROOM_CODE["werk"] == 1 and UITSTROOM_CODE["overig"] == 5
