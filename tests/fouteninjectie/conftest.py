"""Shared fixtures and Hypothesis profiles of the fault-injection suite.

Profiles: ``ci`` (default: few examples, derandomized, so CI is deterministic and fast) and ``groot``
(500+ examples, used by the tests marked ``slow``); ``middel`` (100 random examples) for a quick search.
Choose the profile of the unmarked tests with the environment variable ``FOUTENINJECTIE_PROFIEL``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=25, derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "groot", max_examples=500, derandomize=False, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("middel", parent=settings.get_profile("groot"), max_examples=100)
settings.load_profile(os.environ.get("FOUTENINJECTIE_PROFIEL", "ci"))

N_GEMEENTEN = 30
"""The simulated gemeenten table is trimmed to this many municipalities (benchmark with --k 5)."""


@pytest.fixture(scope="session")
def basismap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid simulated input directory (60 clients), written once per session; never modified."""
    from evaluatie.simulatie import schrijf, simuleer

    map = tmp_path_factory.mktemp("fouteninjectie") / "basis"
    schrijf(simuleer(seed=11, n_clienten=60), map)
    (map / "truth.json").unlink()
    g = pd.read_csv(map / "gemeenten.csv", dtype=str, keep_default_na=False)
    houd = sorted(set(g["gemeentecode"]) - {"GM0777"})[: N_GEMEENTEN - 1] + ["GM0777"]
    g[g["gemeentecode"].isin(houd)].to_csv(map / "gemeenten.csv", index=False, lineterminator="\n")
    return map
