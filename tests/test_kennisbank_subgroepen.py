"""Kennisbank rows keyed by subgroup (issue 19): subgroup estimates stored next to the cell, old rows read as the
whole cell, pooling per subgroup across runs."""
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evaluatie.kennisbank import open_kennisbank
from evaluatie.kennisbank.opslag import HELE_CEL
from evaluatie.kennisbank.overzicht import overzicht
from evaluatie.kennisbank.run import subgroeprijen


def _cel(s: float) -> pd.DataFrame:
    return pd.DataFrame({"instrument": ["jobcoaching"], "categorie": ["C"], "uitkomst": ["werk"], "maat": ["att"],
                         "horizon": [24], "schatting": [s], "se": [0.01], "ci_laag": [s - 0.02], "ci_hoog": [s + 0.02],
                         "n_deelnemers": [400], "n_gebeurtenissen": [100], "methode": ["gformule"], "vlag": [""]})


def _sub(s: float, n: int = 120) -> pd.DataFrame:
    basis = dict(instrument="jobcoaching", categorie="C", indeling="statushouder", subgroep="statushouders",
                 methode="gformule", horizon=24, se=0.02, ci_laag=s - 0.04, ci_hoog=s + 0.04, n_deelnemers=n,
                 status="geschat")
    return pd.DataFrame([{**basis, "maat": "att_subgroep", "schatting": s}, {**basis, "maat": "att_rest", "schatting": 0.0},
                         {**basis, "maat": "verschil", "schatting": s}])


def _manifest(h: str, start: str, eind: str) -> dict:
    return {"manifest_hash": h, "config": {"waarnemingsperiode": {"start": start, "eind": eind}, "gemeenten": ["GM0777"]},
            "versions": {"evaluatie": "0.1.0"}, "seed": 1}


def test_subgroeprijen_alleen_att_van_geschatte_subgroepen():
    r = subgroeprijen(pd.concat([_sub(0.05), _sub(0.05).assign(status="niet geschat: minder dan 50")]))
    assert len(r) == 1 and r.subgroep.iloc[0] == "statushouder: statushouders" and r.maat.iloc[0] == "att"
    assert r.n_gebeurtenissen.iloc[0] == -1


def test_opslag_per_subgroep_en_pooling_over_runs(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    for h, s, (a, b) in (("a" * 64, 0.06, ("2015-01-01", "2017-12-31")), ("b" * 64, 0.08, ("2017-01-01", "2019-12-31"))):
        kb.voeg_toe(pd.concat([_cel(0.03), subgroeprijen(_sub(s))], ignore_index=True), _manifest(h, a, b))
    df = kb.lees(instrument="jobcoaching")
    assert sorted(df.subgroep.unique()) == [HELE_CEL, "statushouder: statushouders"]
    o = overzicht(df).gepoold
    sg = o[o.subgroep == "statushouder: statushouders"].iloc[0]
    assert sg.k == 2 and abs(sg.gepoold - 0.07) < 1e-12      # equal SEs: the mean
    assert (o[o.subgroep == HELE_CEL].gepoold == 0.03).all()


def test_oude_rijen_zonder_subgroep_zijn_de_hele_cel(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    t = kb.voeg_toe(_cel(0.03), _manifest("c" * 64, "2015-01-01", "2019-12-31"))
    tab = pq.read_table(t.pad)
    oud = tab.drop(["subgroep"])  # as written before issue 19, same schema version and metadata
    pq.write_table(oud.replace_schema_metadata(tab.schema.metadata), t.pad)
    df = kb.lees()
    assert df.subgroep.tolist() == [HELE_CEL]
