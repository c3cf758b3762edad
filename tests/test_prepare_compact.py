"""Compact person-months (issue 20): the same values as the wide table, and readers give the same numbers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.prepare import persoonmaanden
from evaluatie.prepare.compact import Codes, neem, smal, smal_type


@pytest.fixture(scope="module")
def beide():
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=2, n_clienten=900)
    v = sim.metadata["waarnemingsperiode"]
    return (persoonmaanden(sim.tabellen, waarnemingsperiode=v, compact=False),
            persoonmaanden(sim.tabellen, waarnemingsperiode=v))


def test_zelfde_waarden_andere_typen(beide):
    breed, compact = beide
    assert list(breed.columns) == list(compact.columns) and len(breed) == len(compact)
    for c in breed.columns:  # element by element, missing values where the wide table has them
        pd.testing.assert_series_equal(breed[c].astype(object), compact[c].astype(object), check_dtype=False, obj=c)
    for c in ("client_id", "categorie", "gemeentecode", "geslacht", "opleidingsniveau"):
        assert isinstance(compact[c].dtype, pd.CategoricalDtype), c
        # categories in sorted order and only those that occur (no empty groups for a reader)
        cats = list(compact[c].cat.categories)
        assert cats == sorted(breed[c].dropna().unique().tolist())
    assert compact.spell_id.dtype == np.int32 and compact.maand.dtype == np.int16
    assert compact.spell_nr.dtype == np.int16 and str(compact.trede.dtype) == "Int8"
    assert isinstance(compact["kalendermaand"].dtype, pd.PeriodDtype)
    inst = [c for c in compact.columns if c.endswith(("_in", "_na"))]
    assert inst and all(isinstance(compact[c].dtype, pd.SparseDtype) for c in inst)
    assert all(np.array_equal(compact[c].to_numpy(dtype=np.int8), breed[c].to_numpy()) for c in inst)
    assert compact.attrs["telling"] == breed.attrs["telling"]
    # at least half the bytes gone (object pointers counted at 8 bytes; the strings themselves are shared)
    assert compact.memory_usage(deep=False).sum() < 0.55 * breed.memory_usage(deep=False).sum()


def test_in_blokken_gelijk_aan_ineens(beide, monkeypatch):
    """Small blocks (many spell boundaries crossed) give the same table as one block."""
    import importlib

    from evaluatie.simulatie import simuleer

    pm_module = importlib.import_module("evaluatie.prepare.persoonmaanden")  # the module, not the function

    sim = simuleer(seed=2, n_clienten=900)
    monkeypatch.setattr(pm_module, "BLOK_RIJEN", 997)
    klein = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    pd.testing.assert_frame_equal(klein, beide[1])


def test_maanden_sinds_start_gelijk():
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=5, n_clienten=300)
    v = sim.metadata["waarnemingsperiode"]
    a = persoonmaanden(sim.tabellen, waarnemingsperiode=v, maanden_sinds_start=True, compact=False)
    b = persoonmaanden(sim.tabellen, waarnemingsperiode=v, maanden_sinds_start=True)
    assert any(c.endswith("_maand") for c in b.columns) and list(a.columns) == list(b.columns)
    for c in a.columns:
        pd.testing.assert_series_equal(a[c].astype(object), b[c].astype(object), check_dtype=False, obj=c)


def test_effecten_bitgelijk(beide):
    from evaluatie.effecten import Effectconfig, schat_effecten

    breed, compact = beide
    cfg = Effectconfig(bootstrap=3, seed=4, horizonnen=(12,))
    a, b = schat_effecten(breed, cfg), schat_effecten(compact, cfg)
    kol = ["schatting", "se", "ci_laag", "ci_hoog"]
    pd.testing.assert_frame_equal(a.effecten, b.effecten)
    np.testing.assert_array_equal(a.populatie[kol].to_numpy(), b.populatie[kol].to_numpy())


def test_persoon_fe_bitgelijk(beide):
    import warnings

    from evaluatie.panel import schat_persoon_fe

    breed, compact = beide
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = schat_persoon_fe(breed), schat_persoon_fe(compact)
    np.testing.assert_array_equal(a.schatting, b.schatting)
    np.testing.assert_array_equal(a.se, b.se)


def test_smal_by_hand():
    assert smal_type(0, 127) is np.int8 and smal_type(-129, 0) is np.int16 and smal_type(0, 2**31) is np.int64
    assert smal_type(0, 5, ondergrens=np.int32) is np.int32
    assert smal(np.array([1, 300])).dtype == np.int16 and smal(np.array([], dtype=np.int64)).dtype == np.int8
    c = Codes(np.array(["b", None, "a", "b"], dtype=object))
    assert c.neem(np.array([3, 1, 2])).tolist()[0] == "b" and pd.isna(c.neem(np.array([1]))[0])
    n = Codes(pd.array([1, None, 40], dtype="Int64"))
    assert str(n.neem(np.array([2, 1])).dtype) == "Int8" and n.neem(np.array([2, 1])).tolist() == [40, pd.NA]
    assert np.array_equal(neem(np.arange(10) * 3, np.array([9, 0, 4], np.int32)), [27, 0, 12])
