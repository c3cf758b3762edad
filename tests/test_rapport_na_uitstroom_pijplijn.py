"""'Blijft het werk?' through the whole ``rapport`` pipeline on degenerate data (slow: one pipeline run each).

Without trajecten, without any exit to work, and without any return to benefit the report must still be
written, and the chapter says "niet te beoordelen" with the reason instead of a number.
"""
from __future__ import annotations

import dataclasses
import html as _html
import re
from importlib import resources

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def _hoofdstuk(pad) -> str:
    s = pad.read_text(encoding="utf-8")
    i = s.index('<section id="na-uitstroom">')
    j = s.index('<section id="', s.index('<section id="uitkeringsmaanden">') + 10)
    t = re.sub(r"<[^>]+>", " ", re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", s[i:j]))
    return re.sub(r"\s+", " ", _html.unescape(t))


def _zonder_trajecten(data):
    (data / "trajecten.csv").unlink()


def _zonder_werk(data):
    u = pd.read_csv(data / "uitkeringen.csv", dtype=str, keep_default_na=False)
    assert (u.uitstroomreden == "werk").any()
    u.loc[u.uitstroomreden == "werk", "uitstroomreden"] = "overig"
    u.to_csv(data / "uitkeringen.csv", index=False)


def _zonder_terugkeer(data):
    """One spell per client: nobody is seen back on benefit (trajecten of dropped spells go with them)."""
    u = pd.read_csv(data / "uitkeringen.csv", dtype=str, keep_default_na=False)
    eerste = u.sort_values(["client_id", "startdatum"], kind="mergesort").drop_duplicates("client_id")
    eerste.to_csv(data / "uitkeringen.csv", index=False)
    t = pd.read_csv(data / "trajecten.csv", dtype=str, keep_default_na=False)
    e = eerste.set_index("client_id")
    ok = [(c in e.index) and (e.loc[c, "startdatum"] <= s) and (e.loc[c, "einddatum"] == "" or s <= e.loc[c, "einddatum"])
          for c, s in zip(t.client_id, t.startdatum)]
    t[ok].to_csv(data / "trajecten.csv", index=False)


@pytest.mark.parametrize("bewerk, verwacht", [
    (_zonder_trajecten, ["Niet te beoordelen: er zijn geen effectschattingen per instrument", "terug in de bijstand"]),
    (_zonder_werk, ["Niet te beoordelen: geen terugvalanalyse mogelijk", "geen uitstroom naar werk"]),
    (_zonder_terugkeer, ["Niet te beoordelen: bij geen van de", "nieuwe uitkering van dezelfde cliënt"]),
])
def test_rapport_op_ontaarde_gegevens(tmp_path, bewerk, verwacht):
    from evaluatie.config import lees_config
    from evaluatie.pijplijn import voer_uit
    from evaluatie.simulatie import schrijf, simuleer

    data = tmp_path / "data"
    schrijf(simuleer(seed=3, n_clienten=400), data)
    bewerk(data)
    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as f:
        cfg = lees_config(f)
    res = voer_uit(dataclasses.replace(cfg, data=data, simuleer=False, bootstrap=0), tmp_path / "uit")
    tekst = _hoofdstuk(res.rapport)
    for v in verwacht:
        assert v in tekst, (v, tekst[:2000])
    assert "tegengestelde kanten op:" not in tekst
