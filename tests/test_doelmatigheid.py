"""Doelmatigheid (issue 18): a small example computed by hand from the definitions, and the kosten validation."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.doelmatigheid import (Doelmatigheidsconfig, KostenFout, Scenario, bereken, lees_kosten,
                                     trajectgegevens)


class Bron:
    """Hand-made curves over H = 3 months: point + 3 replicates per cell."""

    def __init__(self) -> None:
        # cumulative benefit months saved M(t) (so uitkeringsmaanden_verschil = -M)
        self.M = {("jobcoaching", "A"): ([0.5, 1.0, 2.0], [[0.4, 0.9, 1.5], [0.6, 1.2, 2.5], [0.0, 0.1, 0.2]]),
                  ("sociale_activering", "C"): ([0.1, 0.2, 0.3], [[0.1, 0.2, 0.4], [0.0, 0.1, 0.2], [0.2, 0.3, 0.3]])}
        self.att = {("jobcoaching", "A"): ([0.01, 0.03, 0.05], [[0.0, 0.02, 0.04], [0.02, 0.04, 0.06], [0.0, -0.01, -0.02]]),
                    ("sociale_activering", "C"): ([0.0, 0.01, 0.02], [[0.0, 0.01, 0.01], [0.0, 0.0, 0.02], [0.0, 0.02, 0.03]])}
        n = {("jobcoaching", "A"): 30, ("sociale_activering", "C"): 10}
        for key in list(self.M):
            self.M[("alle", key[1])], self.att[("alle", key[1])] = self.M[key], self.att[key]
            n[("alle", key[1])] = n[key]
        self.n = n

    def cellen(self):
        return [(i, c, self.n[(i, c)]) for i, c in self.M]

    def reeks(self, i, c, grootheid, methode="gformule"):
        bron = {"uitkeringsmaanden_verschil": self.M, "att": self.att, "att_duurzaam_6": self.att}[grootheid]
        p, r = bron[(i, c)]
        sign = -1.0 if grootheid == "uitkeringsmaanden_verschil" else 1.0
        return sign * np.array(p), sign * np.array(r)


def schrijf(tmp_path: Path, regels: list[str]) -> Path:
    p = tmp_path / "kosten.csv"
    p.write_text("post,instrument,categorie,jaar,gemeentecode,per,bedrag,fte,bron\n" + "\n".join(regels) + "\n",
                 encoding="utf-8")
    return p


GOED = ["instrument,jobcoaching,,,,traject,1500,,contract",
        "instrument,sociale_activering,,,,maand,100,,begroting",
        "uitkering,,,,,jaar,12000,,Berenschot 2019"]


def test_handvoorbeeld(tmp_path: Path) -> None:
    kosten = lees_kosten(schrijf(tmp_path, GOED), jaren=[2016, 2017])
    cfg = Doelmatigheidsconfig(horizonnen=(3,), buig_aandeel=0.8, disconto=0.0225,
                               scenarios=(Scenario("A naar C", ("alle", "A"), ("alle", "C"), deelnemers=10),))
    # sociale activering: 100 per maand x 4 months in the instrument = 400 per participant
    res = bereken(Bron(), kosten, cfg, trajectduur={"sociale_activering": 4.0}, duurzaam_ks=(6,))
    U = 12000 / 12  # 1000 per benefit month
    # gemeente: S(3) = 0.8 * 1000 * 2.0 = 1600; net = 1600 - 1500 = 100
    r = res.waarde("jobcoaching", "A", "gemeente", 3)
    assert r.kosten_per_deelnemer == 1500
    assert r.netto_per_deelnemer == pytest.approx(100.0)
    assert r.netto_totaal == pytest.approx(100.0 * 30)
    # replicates: 0.8*1000*[1.5, 2.5, 0.2] - 1500 = [-300, 500, -1340]: P(net > 0) = 1/3
    assert r.kans_positief == pytest.approx(1 / 3)
    assert r.ci_laag == pytest.approx(np.quantile([-300, 500, -1340], 0.025))
    # cost per extra exit to work: 1500 / 0.05 = 30000
    assert r.kosten_per_extra_uitstroom == pytest.approx(30000.0)
    # maatschappij: month s discounted s/12 years
    d = 1.0225
    s_m = U * (0.5 * d ** (-1 / 12) + 0.5 * d ** (-2 / 12) + 1.0 * d ** (-3 / 12))
    assert res.waarde("jobcoaching", "A", "maatschappij", 3).netto_per_deelnemer == pytest.approx(s_m - 1500)
    # terugverdientijd: S_g = 400, 800, 1600 -> month 3 (gemeente); C: 80, 160, 240 < 400 -> not within 3
    t = res.terugverdientijd.set_index(["instrument", "categorie", "perspectief"])
    assert t.loc[("jobcoaching", "A", "gemeente"), "terugverdientijd"] == 3
    assert np.isnan(t.loc[("sociale_activering", "C", "gemeente"), "terugverdientijd"])
    assert not t.loc[("sociale_activering", "C", "gemeente"), "binnen_horizon"]
    assert res.waarde("sociale_activering", "C", "gemeente", 3).kosten_per_deelnemer == pytest.approx(400.0)
    # scenario: 10 participants from A to C: extra exits 10 * (0.02 - 0.05) = -0.3; net (gemeente)
    # 10 * ((0.8*1000*0.3 - 400) - 100) = 10 * (-160 - 100) = -2600
    s = res.scenarios.set_index("grootheid")
    assert s.loc["extra_uitstroom_werk", "schatting"] == pytest.approx(-0.3)
    assert s.loc["netto_besparing_gemeente", "schatting"] == pytest.approx(-2600.0)
    assert s.loc["uitkeringsmaanden", "schatting"] == pytest.approx(-10 * (0.3 - 2.0))
    assert s.loc["extra_kosten_instrument", "schatting"] == pytest.approx(10 * (400 - 1500))
    # the sensitivity table: costs +25% at 3 months, gemeente: 1600 - 1875 = -275
    g = res.gevoeligheid
    x = g[(g.categorie == "A") & (g.perspectief == "gemeente") & (g.kostenfactor == 1.25)].iloc[0]
    assert x.netto_per_deelnemer == pytest.approx(-275.0)
    assert "netto besparing" in res.summary() or "Doelmatigheid" in res.summary()


def test_budgetscenario(tmp_path: Path) -> None:
    kosten = lees_kosten(schrijf(tmp_path, GOED), jaren=[2016])
    cfg = Doelmatigheidsconfig(horizonnen=(3,), scenarios=(Scenario("budget", ("alle", "A"), ("alle", "C"), budget=3000.0),))
    res = bereken(Bron(), kosten, cfg, trajectduur={"sociale_activering": 4.0})
    s = res.scenarios.set_index("grootheid")
    # 3000 buys 2 participants of A (1500) or 7.5 of C (400): exits 7.5*0.02 - 2*0.05 = 0.05
    assert s.loc["extra_uitstroom_werk", "schatting"] == pytest.approx(0.05)
    assert s.loc["extra_kosten_instrument", "schatting"] == pytest.approx(0.0)


def test_kosten_per_jaar_gewogen(tmp_path: Path) -> None:
    p = schrijf(tmp_path, ["instrument,jobcoaching,,2016,,traject,1000,,", "instrument,jobcoaching,,2017,,traject,2000,,",
                           "instrument,jobcoaching,A,,,traject,5000,,", "uitkering,,,,,maand,1100,,"])
    k = lees_kosten(p, jaren=[2016, 2017])
    # categorie A has its own row; B gets the years weighted 1:3 -> (1000 + 3*2000)/4 = 1750
    assert k.per_deelnemer("jobcoaching", "A", trajectduur=1, n_per_jaar={2016: 1, 2017: 3}) == 5000
    assert k.per_deelnemer("jobcoaching", "B", trajectduur=1, n_per_jaar={2016: 1, 2017: 3}) == pytest.approx(1750)
    assert k.uitkering_per_maand() == 1100


def test_trajectgegevens() -> None:
    t = pd.DataFrame({"instrument": ["a", "a"], "startdatum": pd.to_datetime(["2016-01-01", "2017-01-01"]),
                      "einddatum": pd.to_datetime(["2016-01-31", None])})
    duur, jaar = trajectgegevens(t, pd.Timestamp("2017-03-31"))
    assert duur["a"] == pytest.approx((31 + 90) / 2 / (365.25 / 12))
    assert jaar == {"a": {2016: 1, 2017: 1}}


@pytest.mark.parametrize("regel, veld, verwacht", [
    ("instrument,jobcoaching,,,,traject,-5,,", "bedrag", "negatieve"),
    ("instrument,toverstaf,,,,traject,5,,", "instrument", "instrumenten.json"),
    ("instrument,jobcoaching,,2031,,traject,5,,", "jaar", "waarnemingsperiode"),
    ("instrument,jobcoaching,D,,,traject,5,,", "categorie", "A, B, C"),
    ("instrument,jobcoaching,,,,jaar,5,,", "per", "traject of maand"),
    ("uitvoering,,,,,fte,80000,,", "fte", "fte"),
])
def test_kosten_fouten(tmp_path: Path, regel: str, veld: str, verwacht: str) -> None:
    p = schrijf(tmp_path, [GOED[2], regel])
    with pytest.raises(KostenFout) as e:
        lees_kosten(p, jaren=[2016, 2017])
    tekst = str(e.value)
    assert f"kosten.csv, regel 3, veld {veld}" in tekst and verwacht in tekst
    assert "Traceback" not in tekst


def test_kosten_zonder_uitkering(tmp_path: Path) -> None:
    with pytest.raises(KostenFout, match=r"kosten.csv, hele tabel, veld post.*post = uitkering"):
        lees_kosten(schrijf(tmp_path, GOED[:2]), jaren=[2016])


def test_kosten_kolommen(tmp_path: Path) -> None:
    p = tmp_path / "kosten.csv"
    p.write_text("post,bedrag,bsn\nuitkering,5,1\n", encoding="utf-8")
    with pytest.raises(KostenFout) as e:
        lees_kosten(p, jaren=[2016])
    assert "veld bsn" in str(e.value) and "veld per" in str(e.value)


def test_ontbrekend_instrument(tmp_path: Path) -> None:
    kosten = lees_kosten(schrijf(tmp_path, [GOED[0], GOED[2]]), jaren=[2016])
    with pytest.raises(KeyError, match="sociale_activering"):
        bereken(Bron(), kosten, Doelmatigheidsconfig(horizonnen=(3,)))
