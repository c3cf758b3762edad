"""The fast helpers of the preparation equal the plain pandas/NumPy definitions they replace."""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluatie.prepare.spells import factoriseer, jaar_van


def test_jaar_van_gelijk_aan_datetime64_jaar():
    dagen = np.array(["1899-12-31", "1900-01-01", "1969-12-31", "1970-01-01", "2000-02-29", "2015-12-31",
                      "2016-01-01", "2019-12-31", "2020-01-01", "2099-12-31"], dtype="datetime64[D]")
    d = np.concatenate([dagen.astype(np.int64), np.random.default_rng(1).integers(-30_000, 60_000, 5_000)])
    verwacht = d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    assert np.array_equal(jaar_van(d), verwacht)
    assert jaar_van(np.zeros(0, np.int64)).shape == (0,)
    groot = np.array([0, 2**40], dtype=np.int64)  # a sentinel-sized range takes the direct route
    assert np.array_equal(jaar_van(groot), groot.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)


def test_factoriseer_gelijk_aan_pandas_sort():
    rng = np.random.default_rng(2)
    pool = np.array(["C0001", "c0001", "Ä12", "é-7", "Z", "z", "😀", "a b", "10", "9", ""], dtype=object)
    x = pool[rng.integers(0, len(pool), 2_000)]
    codes, uniek = factoriseer(x)
    c_pd, u_pd = pd.factorize(x, sort=True)
    assert codes.dtype == np.int64 and np.array_equal(codes, c_pd) and list(uniek) == list(u_pd)


def test_factoriseer_valt_terug_op_pandas():
    for x in (np.array(["b", None, "a"], dtype=object), np.array([3, 1, 3], dtype=object),
              np.array(["b", "\udcff", "a", "b"], dtype=object)):
        codes, uniek = factoriseer(x)
        c_pd, u_pd = pd.factorize(x, sort=True)
        assert np.array_equal(codes, c_pd) and list(uniek) == list(u_pd)
