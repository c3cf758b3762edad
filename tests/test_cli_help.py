"""`evaluatie COMMAND --help` is complete: what it reads and writes, every option explained, and the exit
codes of README (0 klaar, 1 afgekeurde rijen / fout in de gegevens, 2 verkeerd gebruik)."""
from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from evaluatie.cli import COMMANDS, main

# Commands whose --help does not yet state its exit codes (outside the modules of this audit; listed in the
# audit report). Remove a name here when its help is completed.
NOG_ZONDER_EXITCODES: set[str] = set()


def _paden() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for naam in COMMANDS:
        cmd = main.get_command(click.Context(main), naam)
        out.append((naam,))
        if isinstance(cmd, click.Group):
            out.extend((naam, sub) for sub in cmd.commands)
    return out


def _param(pad: tuple[str, ...]):
    marks = [pytest.mark.xfail(reason="help noemt de exitcodes nog niet", strict=False)] \
        if pad[0] in NOG_ZONDER_EXITCODES else []
    return pytest.param(pad, id=" ".join(pad), marks=marks)


@pytest.mark.parametrize("pad", [_param(p) for p in _paden()])
def test_help_noemt_exitcodes_en_elke_optie(pad):
    r = CliRunner().invoke(main, [*pad, "--help"])
    assert r.exit_code == 0, r.output
    tekst = r.output
    assert "Commands:" not in tekst  # Dutch heading, as in `evaluatie --help`
    cmd = main.get_command(click.Context(main), pad[0])
    if len(pad) > 1:
        cmd = cmd.commands[pad[1]]
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name != "help":
            assert p.help, f"optie {p.opts[0]} van '{' '.join(pad)}' heeft geen helptekst"
    if isinstance(cmd, click.Group):
        assert re.search(r"Exitcode 0: .*1: .*2: ", " ".join(tekst.split()))
        return
    vlak = " ".join(tekst.split())
    assert re.search(r"Exitcode 0: [^;]+; 1: [^;]+(;[^;]+)*; 2: ", vlak), f"'{' '.join(pad)} --help' noemt de exitcodes niet"
