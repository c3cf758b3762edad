"""Test-wide settings."""
from __future__ import annotations

import pandas as pd


def pytest_configure(config) -> None:  # noqa: ANN001 - pytest's hook signature
    # Chained assignment must fail loudly under pandas 2; pandas 3 (copy-on-write) has no such warning class,
    # and naming a missing class in the ini option would stop pytest before it starts.
    if hasattr(pd.errors, "SettingWithCopyWarning"):
        config.addinivalue_line("filterwarnings", "error::pandas.errors.SettingWithCopyWarning")
