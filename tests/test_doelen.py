"""Goals: meaning checks and verdicts worked out on paper."""
from __future__ import annotations

import pytest

from evaluatie.config import ConfigFout
from evaluatie.doelen import lees_doelen, oordeel, poisson_interval


@pytest.mark.parametrize("w, lo, hi, streef, richting, verwacht", [
    (30, 25, 35, 20, "hoger", "gehaald"), (30, 25, 35, 40, "hoger", "niet gehaald"), (30, 25, 35, 30, "hoger", "niet te beoordelen"),
    (30, 25, 35, 40, "lager", "gehaald"), (30, 25, 35, 20, "lager", "niet gehaald"), (30, 25, 35, 25, "lager", "niet te beoordelen"),
    (float("nan"), float("nan"), float("nan"), 1, "hoger", "niet te beoordelen"),
])
def test_verdict(w, lo, hi, streef, richting, verwacht):
    assert oordeel(w, lo, hi, streef, richting) == verwacht


def test_poisson_interval_known_values():
    # Garwood interval for k = 0 is [0, 3.689] and for k = 10 [4.795, 18.39] (standard tables)
    assert poisson_interval(0) == (0.0, pytest.approx(3.689, abs=1e-3))
    lo, hi = poisson_interval(10)
    assert lo == pytest.approx(4.795, abs=1e-3) and hi == pytest.approx(18.39, abs=1e-2)


@pytest.mark.parametrize("doel, veld, stuk", [
    ({"indicator": "werkloosheid", "jaar": 2019, "streefwaarde": 1}, "doelen[1].indicator", "pct_norm"),
    ({"indicator": "pct_norm", "jaar": "2019", "streefwaarde": 1}, "doelen[1].jaar", "jaartal"),
    ({"indicator": "pct_norm", "jaar": 2019, "streefwaarde": "veel"}, "doelen[1].streefwaarde", "getal"),
    ({"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 1, "richting": "omhoog"}, "doelen[1].richting", "hoger of lager"),
])
def test_bad_goal_names_field_and_expectation(doel, veld, stuk):
    with pytest.raises(ConfigFout) as e:
        lees_doelen({"doelen": [doel]})
    assert veld in str(e.value) and stuk in str(e.value)


def test_default_direction_and_label():
    (d,) = lees_doelen({"doelen": [{"indicator": "pct_norm", "jaar": 2019, "streefwaarde": 100}]})
    assert d.richting == "lager" and d.label == "Uitkeringen in % van de norm"
