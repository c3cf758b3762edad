"""Every evaluatie command on mutated inputs: no traceback, exit code 0 or 1, nothing long echoed.

The client tables are mutated (gemeenten and poort are left out of these copies: the commands here do
not need them and validating them would only cost time); ``benchmark`` gets its own mutations of the
gemeenten table.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from .controle import controleer_validatie, draai, gemuteerd
from .mutaties import KLANTTABELLEN, bestand_mutatie, byte_mutatie, kolom_mutatie, mutaties, waarde_mutatie


@pytest.fixture(scope="session")
def klantmap(basismap: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base directory without gemeenten and poort."""
    map = tmp_path_factory.mktemp("klant") / "invoer"
    shutil.copytree(basismap, map)
    (map / "gemeenten.csv").unlink()
    (map / "poort.csv").unlink()
    return map


def _commando_s(map: Path, uit: Path, analyseer: bool) -> None:
    draai(["valideer", str(map), "--out", str(uit / "v")])
    draai(["overleving", str(map), "--out", str(uit / "o")])
    draai(["cohort", str(map), "--out", str(uit / "c")])
    if analyseer:
        draai(["analyseer", str(map), "--out", str(uit / "a"), "--bootstrap", "0", "--n-jobs", "1"])


@settings(max_examples=6)
@given(m=mutaties(KLANTTABELLEN))
def test_commando_s_houden_stand(klantmap, m):
    with gemuteerd(klantmap, m) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        controleer_validatie(map)
        _commando_s(map, Path(uit), analyseer=False)


# analyseer is the slowest command: a few hand-picked faults in the default run, many in the slow suite
@pytest.mark.parametrize("soort", ["quote_midden", "traject_zonder_uitkering", "datums_buiten_bereik"])
def test_analyseer_houdt_stand(klantmap, soort):
    with gemuteerd(klantmap, []) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        if soort == "quote_midden":
            p = map / "uitkeringen.csv"
            r = p.read_bytes().split(b"\n")
            r[5] = b'"' + r[5]
            p.write_bytes(b"\n".join(r))
        elif soort == "traject_zonder_uitkering":
            import pandas as pd

            t = pd.read_csv(map / "trajecten.csv", dtype=str, keep_default_na=False)
            u = pd.read_csv(map / "uitkeringen.csv", dtype=str, keep_default_na=False)
            u[u["client_id"] != t["client_id"].iloc[0]].to_csv(map / "uitkeringen.csv", index=False, lineterminator="\n")
        else:
            p = map / "trajecten.csv"
            p.write_bytes(p.read_bytes().replace(b"2017-", b"1600-", 3).replace(b"2018-", b"9999-", 3))
        draai(["analyseer", str(map), "--out", str(Path(uit) / "a"), "--bootstrap", "0", "--n-jobs", "1"])


@settings(max_examples=3)
@given(m=st.one_of(byte_mutatie("gemeenten"), waarde_mutatie("gemeenten"), kolom_mutatie("gemeenten"),
                   bestand_mutatie(("gemeenten",))))
def test_benchmark_houdt_stand(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["benchmark", str(map), "--gemeente", "GM0777", "--k", "5", "--methode", "buig", "--out", str(Path(uit) / "b")])


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=60)
@given(m=mutaties(KLANTTABELLEN))
def test_commando_s_houden_stand_groot(klantmap, m):
    with gemuteerd(klantmap, m) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        _commando_s(map, Path(uit), analyseer=True)


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=30)
@given(m=st.one_of(byte_mutatie("gemeenten"), waarde_mutatie("gemeenten"), kolom_mutatie("gemeenten"),
                   bestand_mutatie(("gemeenten",)), byte_mutatie("poort"), waarde_mutatie("poort")))
def test_benchmark_houdt_stand_groot(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["benchmark", str(map), "--gemeente", "GM0777", "--k", "5", "--out", str(Path(uit) / "b")])
