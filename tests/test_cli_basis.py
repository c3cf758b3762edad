"""The CLI shell behaves like other good CLIs: --help, --version, unknown commands."""
from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from evaluatie import __version__
from evaluatie.cli import COMMANDS, main


def test_help_lists_commands():
    r = CliRunner().invoke(main, ["--help"])
    assert r.exit_code == 0
    assert "Commando's" in r.output


def test_version():
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_unknown_command_is_usage_error():
    r = CliRunner().invoke(main, ["bestaatniet"])
    assert r.exit_code == 2
    assert "bestaatniet" in r.output


def test_every_registered_command_has_help():
    runner = CliRunner()
    for name in main.list_commands(None):
        r = runner.invoke(main, [name, "--help"])
        assert r.exit_code == 0, (name, r.output)
        assert name in COMMANDS


def test_python_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "evaluatie", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "evaluatie" in out.stdout
