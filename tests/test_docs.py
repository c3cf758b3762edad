"""The documentation keeps up with the code: docs/gegevens.md matches the schema, the handleiding names every command."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from evaluatie.cli import COMMANDS
from evaluatie.schema import TABELLEN, instrumenten, load_schema

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _maak_gegevens():
    spec = importlib.util.spec_from_file_location("maak_gegevens", DOCS / "maak_gegevens.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gegenereerd() -> str:
    return _maak_gegevens().maak()


@pytest.fixture(scope="module")
def handleiding() -> str:
    return (DOCS / "handleiding.md").read_text(encoding="utf-8")


def test_gegevens_md_is_actueel(gegenereerd: str) -> None:
    op_schijf = (DOCS / "gegevens.md").read_text(encoding="utf-8")
    if op_schijf != gegenereerd:
        verschil = next((i for i, (a, b) in enumerate(zip(op_schijf.splitlines(), gegenereerd.splitlines())) if a != b),
                        min(len(op_schijf.splitlines()), len(gegenereerd.splitlines())))
        pytest.fail(f"docs/gegevens.md past niet bij data_schema/ (eerste verschil op regel {verschil + 1}); "
                    "draai: .venv/bin/python docs/maak_gegevens.py")


def test_gegevens_md_noemt_elk_veld_en_instrument(gegenereerd: str) -> None:
    # independent of the file on disk: the generator itself must cover the whole schema
    for t in TABELLEN:
        s = load_schema(t)
        assert f"## `{t}` — {s.title}" in gegenereerd
        for v in s.fields:
            rij = next((r for r in gegenereerd.splitlines() if r.startswith(f"| `{v.name}` |")
                        and v.description.replace("|", "\\|") in r), None)
            assert rij is not None, f"veld {t}.{v.name} ontbreekt in de gegenereerde tekst"
            assert ("| ja |" in rij) == v.required, f"verplicht klopt niet voor {t}.{v.name}"
            for w in v.enum or ():
                assert f"`{w}`" in rij
    for code, ins in instrumenten().items():
        rij = next(r for r in gegenereerd.splitlines() if r.startswith(f"| `{code}` | {ins.naam} |"))
        cellen = [c.strip() for c in rij.strip("|").split("|")][-3:]
        if ins.categorieen is None:
            assert cellen == ["*alle*"] * 3
        else:
            assert cellen == ["x" if c in ins.categorieen else "" for c in ("A", "B", "C")], code


def test_maak_gegevens_controleer_vindt_verouderd_bestand(tmp_path: Path) -> None:
    mod = _maak_gegevens()
    doel = tmp_path / "gegevens.md"
    assert mod.main(["--doel", str(doel)]) == 0
    assert mod.main(["--controleer", "--doel", str(doel)]) == 0
    doel.write_text(doel.read_text(encoding="utf-8").replace("| ja |", "| nee |", 1), encoding="utf-8")
    assert mod.main(["--controleer", "--doel", str(doel)]) == 1


@pytest.mark.parametrize("naam", list(COMMANDS))
def test_handleiding_noemt_elk_commando(naam: str, handleiding: str) -> None:
    assert re.search(rf"`evaluatie {re.escape(naam)}(\s|`)", handleiding), \
        f"docs/handleiding.md beschrijft 'evaluatie {naam}' niet (geen `evaluatie {naam}` in de tekst)"
    assert re.search(rf"^\$ evaluatie {re.escape(naam)}\b|^evaluatie {re.escape(naam)}\b", handleiding, re.M), \
        f"docs/handleiding.md heeft geen voorbeeld van 'evaluatie {naam}'"


def test_handleiding_noemt_subcommandos_en_formaten(handleiding: str) -> None:
    from evaluatie.commands.kennisbank import command as kennisbank
    from evaluatie.importeer import FORMATEN

    for sub in kennisbank.commands:
        assert f"evaluatie kennisbank {sub}" in handleiding, f"kennisbank {sub} ontbreekt in de handleiding"
    for formaat in FORMATEN:
        assert f"evaluatie importeer {formaat}" in handleiding, f"importformaat {formaat} ontbreekt in de handleiding"
