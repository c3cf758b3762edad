"""Months on benefit: Aalen-Johansen state occupation and restricted mean, by hand and from spells."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.uitkeringsmaanden import (
    UitkeringsmaandenFout,
    restricted_mean,
    toestandskansen,
    uitkeringsmaanden,
    uitkeringspaden,
)


def _rijen(r):
    return pd.DataFrame(r, columns=["id", "client_id", "start", "stop", "van", "naar"])


def test_without_censoring_the_restricted_mean_is_the_average_time():
    """p1: 3 months on benefit, 5 in work, back for 4; p2: 12 on benefit; p3: 2 on benefit, then overig."""
    d = _rijen([(1, "a", 0, 3, "uitkering", "werk"), (1, "a", 3, 8, "werk", "uitkering"),
                (1, "a", 8, 12, "uitkering", None), (2, "b", 0, 12, "uitkering", None),
                (3, "c", 0, 2, "uitkering", "overig"), (3, "c", 2, 12, "overig", None)])
    k = toestandskansen(d)
    np.testing.assert_allclose(restricted_mean(k, 12), [7.0, 5 / 3, 10 / 3])
    np.testing.assert_allclose(restricted_mean(k, 6), [(3 + 6 + 2) / 3, 3 / 3, 4 / 3])


def test_aalen_johansen_with_censoring_by_hand():
    """p2 censored at 2. t=4: 2 on benefit at risk, 1 to work -> (1/2, 1/2); t=6: the last one on benefit
    leaves -> (0, 1); t=8: 2 in work at risk, 1 back -> (1/2, 1/2). Over [0, 10]: 4 + 1 + 0 + 1 = 6."""
    d = _rijen([(1, "a", 0, 4, "uitkering", "werk"), (1, "a", 4, 10, "werk", None),
                (2, "b", 0, 2, "uitkering", None),
                (3, "c", 0, 6, "uitkering", "werk"), (3, "c", 6, 8, "werk", "uitkering"),
                (3, "c", 8, 10, "uitkering", None)])
    k = toestandskansen(d)
    np.testing.assert_allclose(k.tijd, [0, 4, 6, 8])
    np.testing.assert_allclose(k.p[:, :2], [[1, 0], [0.5, 0.5], [0, 1], [0.5, 0.5]])
    np.testing.assert_allclose(restricted_mean(k, 10), [6.0, 4.0, 0.0])
    np.testing.assert_allclose(k.n_risico[1:, :2], [[2, 0], [1, 1], [0, 2]])


def test_weights_act_as_copies():
    d = _rijen([(1, "a", 0, 4, "uitkering", "werk"), (1, "a", 4, 10, "werk", None),
                (2, "b", 0, 7, "uitkering", "overig"), (2, "b", 7, 10, "overig", None)])
    dubbel = pd.concat([d, d.iloc[:2].assign(id=3, client_id="c")], ignore_index=True)
    w = np.array([2.0, 2.0, 1.0, 1.0])
    np.testing.assert_allclose(restricted_mean(toestandskansen(d, gewichten=w), 10),
                               restricted_mean(toestandskansen(dubbel), 10))


def test_bootstrap_se_and_table():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(120):
        t1 = int(rng.integers(1, 20))
        rows.append((i, f"c{i // 2}", 0, t1, "uitkering", "werk"))
        rows.append((i, f"c{i // 2}", t1, 36, "werk", None))
    d = _rijen(rows)
    r = uitkeringsmaanden(d, horizonnen=(12, 24), B=60, seed=2)
    t = r.to_frame().set_index(["horizon", "toestand"])
    mean12 = np.minimum(d.loc[d["van"] == "uitkering", "stop"], 12).mean()
    assert t.loc[(12, "uitkering"), "rmean"] == pytest.approx(mean12)
    assert 0 < t.loc[(12, "uitkering"), "se"] < 1
    assert t.loc[(12, "uitkering"), "ci_lower"] < mean12 < t.loc[(12, "uitkering"), "ci_upper"]
    assert r.n == 120 and r.n_clienten == 60
    assert uitkeringsmaanden(d, horizonnen=(12, 24), B=60, seed=2).tabel.equals(r.tabel)
    assert "eerste 12 maanden" in r.summary()
    assert np.isnan(uitkeringsmaanden(d, B=0).tabel["se"]).all()


def test_bad_rows_named():
    d = _rijen([(1, "a", 0, 4, "uitkering", "baan")])
    with pytest.raises(UitkeringsmaandenFout, match="rij 2, veld naar: waarde 'baan' is geen toestand"):
        toestandskansen(d)
    with pytest.raises(UitkeringsmaandenFout, match="rij 2, velden start/stop"):
        toestandskansen(_rijen([(1, "a", 4, 4, "uitkering", None)]))
    with pytest.raises(UitkeringsmaandenFout, match="naar dezelfde toestand"):
        toestandskansen(_rijen([(1, "a", 0, 4, "uitkering", "uitkering")]))


def test_paths_from_spells_by_hand():
    """Start 1 Mar 2016 in a spell ending 31 May (werk); next spell 1 Sep; peildatum 31 Dec 2016.

    On benefit in months 1-3 (Mar-May): (0, 3]; in work Jun-Aug: (3, 6]; back from September: (6, 10]
    censored. A second person whose next spell starts the month after the exit is joined into one stretch.
    """
    d = pd.to_datetime
    u = pd.DataFrame({"client_id": ["a", "a", "b", "b"],
                      "startdatum": d(["2016-01-01", "2016-09-01", "2016-01-01", "2016-06-01"]),
                      "einddatum": d(["2016-05-31", None, "2016-04-30", "2016-07-31"]),
                      "uitstroomreden": ["werk", None, "overig", "verhuizing"]})
    st = pd.DataFrame({"id": [1, 2], "client_id": ["a", "b"], "datum": d(["2016-03-01", "2016-03-01"])})
    r, tel = uitkeringspaden(u, st, peildatum="2016-12-31")
    a = r[r["id"] == 1][["start", "stop", "van", "naar"]].values.tolist()
    assert a == [[0, 3, "uitkering", "werk"], [3, 6, "werk", "uitkering"], [6, 10, "uitkering", None]]
    b = r[r["id"] == 2][["start", "stop", "van", "naar"]].values.tolist()
    # b: benefit Mar-Apr, off in May, back in June (a month off in between, no join) until July, then overig
    assert b == [[0, 2, "uitkering", "overig"], [2, 3, "overig", "uitkering"], [3, 5, "uitkering", "overig"],
                 [5, 10, "overig", None]]
    assert tel == {"n_samengevoegd": 0, "n_niet_op_uitkering": 0}
    u2 = u.copy()
    u2.loc[3, "startdatum"] = pd.Timestamp("2016-05-01")  # starts the month right after b's exit
    r2, tel2 = uitkeringspaden(u2, st, peildatum="2016-12-31")
    assert r2[r2["id"] == 2][["start", "stop", "van", "naar"]].values.tolist() == [
        [0, 5, "uitkering", "overig"], [5, 10, "overig", None]]
    assert tel2["n_samengevoegd"] == 1
