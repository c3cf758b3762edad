"""Both effect estimators against independent R implementations (issue 4).

The input (tests/reference/data/effecten_pm.csv.gz) is a simulated person-month table written by
tests/reference/maak_effecten_data.py; the R scripts work from the definitions in docs/methoden.md §4-5,
not from the Python code.

* g-formula (tests/reference/effecten_gformule.R, base R): with categorie as the only covariate and
  duration bands per categorie the exit model is saturated, so its hazards are observed proportions;
  categorie is a Markov state; the participants' since-start path is a two-parameter Newton fit per band.
  Our estimator fits the exit model as a ridge-penalised multinomial logit (ridge 1e-4), which moves the
  hazards by about 1e-6: hence the tolerances.
* risk-set weighting (tests/reference/effecten_risicoset.R, survival::survfit): ridge logit of starting per
  duration band, ATT weights, weighted Aalen-Johansen. Equal to rounding.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.effecten import Effectconfig, schat_effecten
from evaluatie.effecten.hazardmodel import Specificatie

REF = Path(__file__).parent / "reference"


GRENZEN = (0, 3, 6, 12, 24, 48)


def _persoonmaanden() -> pd.DataFrame:
    pm = pd.read_csv(REF / "data" / "effecten_pm.csv.gz", dtype={"instrument": str}, keep_default_na=False)
    for c in sorted(set(pm["instrument"]) - {""}):
        pm[f"{c}_in"] = (pm["instrument"] == c).astype(np.int8)
        pm[f"{c}_na"] = np.int8(0)
    return pm.drop(columns="instrument")


@pytest.fixture(scope="module")
def resultaat():
    spec = Specificatie(confounders=("categorie",), duurgrenzen=GRENZEN)
    return schat_effecten(_persoonmaanden(), Effectconfig(spec=spec, bootstrap=0))


def test_risicoset_weging_gelijk_aan_r_survival():
    """The controle method: ridge logit of starting per duration band within the categorie (one band
    coefficient per band, so duration bands not per categorie), ATT weights e/(1-e) on every untreated
    month, weighted Aalen-Johansen (R: survival::survfit multi-state); participants unweighted."""
    spec = Specificatie(confounders=("categorie",), duurgrenzen=GRENZEN, duur_per_categorie=False)
    res = schat_effecten(_persoonmaanden(), Effectconfig(spec=spec, bootstrap=0))
    ref = pd.read_csv(REF / "fixtures" / "effecten" / "risicoset.csv")
    eff = res.to_frame().query("uitkomst == 'werk'")
    eff = eff[(eff["methode"] == "risicoset") & (eff["instrument"] != "alle")]
    for maat in ("cif_controle", "cif_deelnemers"):
        m = ref.merge(eff[eff["maat"] == maat], on=["instrument", "categorie", "horizon"], validate="one_to_one")
        assert len(m) == (eff["maat"] == maat).sum() and len(m) >= 10 * 36
        np.testing.assert_allclose(m["schatting"], m[maat], rtol=0, atol=1e-9, err_msg=maat)


def test_cif_zonder_instrument_gelijk_aan_r(resultaat):
    ref = pd.read_csv(REF / "fixtures" / "effecten" / "gformule_cif0.csv")
    eff = resultaat.to_frame().query("uitkomst == 'werk'")
    eff = eff[(eff["maat"] == "cif_controle") & (eff["methode"] == "gformule") & (eff["instrument"] != "alle")]
    m = ref[ref["instrument"] != "alle"].merge(eff, on=["instrument", "categorie", "horizon"],
                                               suffixes=("_r", ""), validate="one_to_one")
    # every cell we estimate is in the reference, with the same participants
    assert len(m) == len(eff) and len(m) >= 10 * 36
    assert (m["n_deelnemers_r"] == m["n_deelnemers"]).all()
    np.testing.assert_allclose(m["schatting"], m["cif0"], rtol=0, atol=1e-5)


def test_cif_deelnemers_en_att_gelijk_aan_r(resultaat):
    """The participants' curve (no-instrument offset + since-start path, ridge 0.01, own transitions shrunk
    toward the untreated ones) and so ATT(h) = CIF1 - CIF0."""
    ref = pd.read_csv(REF / "fixtures" / "effecten" / "gformule_cif0.csv")
    ref = ref[ref["instrument"] != "alle"].assign(att=lambda d: d["cif1"] - d["cif0"])
    eff = resultaat.to_frame().query("uitkomst == 'werk'")
    eff = eff[(eff["methode"] == "gformule") & (eff["instrument"] != "alle")]
    for maat, kol in (("cif_deelnemers", "cif1"), ("att", "att")):
        m = ref.merge(eff[eff["maat"] == maat], on=["instrument", "categorie", "horizon"], validate="one_to_one")
        assert len(m) >= 10 * 36
        np.testing.assert_allclose(m["schatting"], m[kol], rtol=0, atol=1e-5, err_msg=maat)


def test_uitstroom_zonder_instrumenten_gelijk_aan_r(resultaat):
    ref = pd.read_csv(REF / "fixtures" / "effecten" / "gformule_cif0.csv")
    zonder_r = float(ref.loc[ref["instrument"] == "alle", "cif0"].iloc[0])
    pop = resultaat.populatie.set_index("maat")["schatting"]
    zonder = pop["deelnemers_werk"] - pop["toegerekende_uitstroom"]
    assert int(ref.loc[ref["instrument"] == "alle", "n_deelnemers"].iloc[0]) == resultaat.populatie["n_deelnemers"].iloc[0]
    assert zonder == pytest.approx(zonder_r, rel=1e-5)
