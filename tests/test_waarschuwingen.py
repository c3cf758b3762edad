"""Typed warnings: EvaluatieWarning and its kinds, Meldingen that carry their subject, one meaning per name."""
from __future__ import annotations

import pickle
import warnings

import pandas as pd
import pytest

from evaluatie.waarschuwingen import (BenchmarkWaarschuwing, EvaluatieWarning, Melding, NietGeconvergeerd,
                                      OverlevingsWaarschuwing, PanelWaarschuwing)


def test_soorten_delen_een_basisklasse():
    from evaluatie.panel import PanelWaarschuwing as P
    from evaluatie.survival import NietGeconvergeerd as N, OverlevingsWaarschuwing as O

    assert (P, N, O) == (PanelWaarschuwing, NietGeconvergeerd, OverlevingsWaarschuwing)
    for k in (PanelWaarschuwing, NietGeconvergeerd, OverlevingsWaarschuwing, BenchmarkWaarschuwing):
        assert issubclass(k, EvaluatieWarning) and issubclass(k, UserWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", EvaluatieWarning)  # one filter silences every kind
        warnings.warn("x", NietGeconvergeerd)


def test_melding_is_tekst_met_velden():
    m = Melding("kleine verwachte aantallen (2018)", bron="trechter", onderwerp="instroom_pct", soort=BenchmarkWaarschuwing)
    assert m == "trechter instroom_pct: kleine verwachte aantallen (2018)"
    assert (m.bron, m.onderwerp, m.bericht, m.soort) == ("trechter", "instroom_pct", "kleine verwachte aantallen (2018)",
                                                          BenchmarkWaarschuwing)
    assert Melding("deeljaren 2019", bron="poort") == "poort: deeljaren 2019" and Melding("los") == "los"
    k = pickle.loads(pickle.dumps(m))
    assert k == m and k.onderwerp == "instroom_pct" and k.soort is BenchmarkWaarschuwing
    with pytest.raises(AttributeError):
        m.bron = "groep"
    with pytest.warns(BenchmarkWaarschuwing, match="trechter instroom_pct"):
        m.waarschuw()


def test_benchmark_geeft_getypeerde_meldingen_en_rapport_leest_de_velden():
    from test_benchmark_analyse import _rapportgeval

    from evaluatie.benchmark import benchmark
    from evaluatie.rapport.secties.benchmark import kanttekeningen

    r = benchmark(_rapportgeval(), gemeente="GM0777", methoden=["buig"], k=30, referentiejaar=2019)
    assert r.waarschuwingen and all(isinstance(w, Melding) for w in r.waarschuwingen)
    groep = [w for w in r.waarschuwingen if w.bron == "groep"]
    assert groep and groep[0].onderwerp == "buig" and groep[0].bericht.startswith("slechts 24 kandidaten")
    z = kanttekeningen(r.waarschuwingen)
    assert "vergelijkingsgroep" in z and "slechts 24 kandidaten" in z and "groep buig:" not in z


def test_kanttekeningen_parseert_geen_tekst():
    """A plain string that looks like a funnel warning is not taken apart (only typed fields are read)."""
    from evaluatie.rapport.secties.benchmark import kanttekeningen

    assert kanttekeningen(["trechter instroom_pct: x"]) == "Kanttekeningen bij de berekening: trechter instroom_pct: x."


def test_uitstroom_werk_pct_een_naam_een_betekenis():
    from evaluatie.benchmark.indicatoren import bereken_indicatoren  # noqa: F401  (the benchmark keeps the name)
    from evaluatie.panel.gemeente import INDICATOREN, indicatoren, indicatornaam

    assert "uitstroom_werk_pct" not in INDICATOREN
    assert INDICATOREN["aandeel_werk_in_uitstroom_pct"][1:] == ("uitstroom_werk", "uitstroom")
    f = indicatoren(pd.DataFrame({"uitstroom": [20.0], "uitstroom_werk": [5.0], "genormeerd_aantal": [100.0],
                                  "instroom": [1.0], "feitelijk_aantal": [1.0]}))
    assert "uitstroom_werk_pct" not in f.columns and f.aandeel_werk_in_uitstroom_pct.iloc[0] == pytest.approx(25.0)
    with pytest.warns(DeprecationWarning, match="aandeel_werk_in_uitstroom_pct"):
        assert indicatornaam("uitstroom_werk_pct") == "aandeel_werk_in_uitstroom_pct"


def test_overleving_een_woordenschat_oude_namen_een_versie_leesbaar():
    from evaluatie.survival import cumulative_incidence, kaplan_meier

    d = pd.DataFrame({"stop": [1.0, 2.0, 3.0, 4.0], "status": [1, 0, 2, 1]})
    km = kaplan_meier(d.assign(e=(d.status > 0).astype(int)), stop="stop", event="e")
    ci = cumulative_incidence(d, stop="stop", event="status", cause=1)
    for r in (km, ci):
        f = r.to_frame()
        assert {"ci_laag", "ci_hoog"} <= set(f.columns) and not {"ci_lower", "ci_upper"} & set(f.columns)
        with pytest.warns(DeprecationWarning, match="ci_laag"):
            oud = r.to_frame(oude_namen=True)
        pd.testing.assert_series_equal(oud["ci_lower"], f["ci_laag"], check_names=False)
        with pytest.warns(DeprecationWarning, match="waarschuwingen"):
            assert r.warnings == r.waarschuwingen
    # the curve on paper: S = 1 - 1/4 after t=1, then 3 at risk at t=3 ... KM at t=1 is 0.75
    assert km.to_frame().survival.iloc[0] == pytest.approx(0.75)
