"""Report rendering: self-contained, deterministic, no client ids, opens in a browser."""
from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from evaluatie.disclosure import OnthullingsFout
from evaluatie.rapport import Figuur, Kernindicator, Rapportinhoud, Sectie, Tabel, figuur_png
from evaluatie.rapport.html import render_html

from browser import CHROMIUM, open_in_chromium


def _inhoud(extra_tekst: str = "") -> Rapportinhoud:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.set_xlabel("Maanden")
    png = figuur_png(fig)
    return Rapportinhoud(
        titel="Testrapport", ondertitel="gesimuleerd",
        kernindicatoren=(Kernindicator("Uitkeringen in % norm", "100%", "95%-BI 98–102%", "groep: 101%", "gelijk aan de groep"),),
        conclusies=("Eerste conclusie." + extra_tekst,),
        secties=(Sectie("b", "Benchmark", ("Tekst <met> tekens & zo",), (Tabel("T", pd.DataFrame({"jaar": [2017], "pct": ["95%"]})),), (Figuur("F", png, "alt"),)),),
        manifest={"seed": 1, "inputs": {"a.csv": "abc"}}, onthullingsregel="regel",
    )


def test_zelfde_inhoud_zelfde_bytes():
    assert render_html(_inhoud()) == render_html(_inhoud())


def test_zelfstandig_geen_externe_verwijzingen():
    html = render_html(_inhoud())
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:|#)""", html)
    assert "<script" not in html
    assert "&lt;met&gt;" in html  # text is escaped


def test_client_id_in_rapport_wordt_geweigerd():
    with pytest.raises(OnthullingsFout):
        render_html(_inhoud(" C0012345"), client_ids=["C0012345", "C0000009"])


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium niet geinstalleerd (.ci/run installeert het)")
def test_opent_in_chromium_zonder_verzoeken_naar_buiten(tmp_path):
    p = tmp_path / "r.html"
    p.write_text(render_html(_inhoud()), encoding="utf-8")
    bezoek = open_in_chromium(p, tmp_path / "r.png")
    assert bezoek.mislukt == []
    assert all(u.startswith(("file:", "data:")) for u in bezoek.verzoeken), bezoek.verzoeken
    assert bezoek.afbeeldingen and all(w > 0 for w in bezoek.afbeeldingen)
    assert bezoek.console_fouten == []
