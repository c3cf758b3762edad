"""Checks applied to every mutated input: no traceback, nothing lost, every finding placed, nothing long echoed."""
from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.lezen import Invoerfout, lees_tabel
from evaluatie.validatie import Validatieresultaat, valideer_map

from .mutaties import Mutatie, regels

MAX_ECHO = 200
"""No run of non-blank characters longer than this may appear in a message or in console output."""

_LANG = re.compile(r"\S{%d,}" % (MAX_ECHO + 1))


@contextmanager
def gemuteerd(basis: Path, mutaties: list[Mutatie]) -> Iterator[Path]:
    """A copy of ``basis`` with the mutations applied (one that no longer applies is skipped)."""
    with tempfile.TemporaryDirectory(prefix="fi_") as d:
        map = Path(d) / "invoer"
        shutil.copytree(basis, map)
        for m in mutaties:
            try:
                m.doe(map)
            except (FileNotFoundError, ValueError, KeyError, IndexError, UnicodeError, pd.errors.ParserError,
                    pd.errors.EmptyDataError, ZeroDivisionError):
                pass  # an earlier mutation already broke the file in a way this one cannot work on
        yield map


def geen_lange_waarden(tekst: str, waar: str) -> None:
    """(d) no value longer than :data:`MAX_ECHO` characters is echoed."""
    m = _LANG.search(tekst)
    assert m is None, f"{waar}: waarde van {len(m.group())} tekens herhaald: {m.group()[:80]!r}…"


def fysieke_dataregels(pad: Path) -> int:
    """Number of physical lines after the header, counted independently of the reader."""
    raw = pad.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = raw.decode("utf-16").encode("utf-8")
    return max(0, len(regels(raw)) - 1)


def controleer_validatie(map: Path) -> Validatieresultaat | None:
    """(b) + (c) + (d) for :func:`valideer_map` on ``map``; returns the result (None: refused with Invoerfout)."""
    try:
        res = valideer_map(map)
    except Invoerfout as e:
        assert e.bestand and e.melding, "Invoerfout zonder bestand of melding"
        geen_lange_waarden(str(e), "Invoerfout")
        return None
    rec = res.reconciliatie()
    for x in rec.itertuples():
        assert x.gelezen == x.geaccepteerd + x.afgekeurd, f"{x.tabel}: gelezen ≠ geaccepteerd + afgekeurd"
    for t, n in res.gelezen.items():
        pad = next(p for p in map.iterdir() if p.stem == t and p.suffix in (".csv", ".parquet", ".xlsx"))
        inv = lees_tabel(pad, t)
        assert inv.n == n
        x = rec.set_index("tabel").loc[t]
        assert x["regels"] == (inv.n_regels if inv.n_regels is not None else n) and x["lege_regels"] == len(inv.lege_regels)
        if pad.suffix == ".csv":
            # every physical data line is in a row, or an empty line that was skipped (and reported)
            assert inv.n_regels == fysieke_dataregels(pad), f"{pad.name}: regels geteld ≠ regels in het bestand"
            assert int(inv.spanne.sum()) + len(inv.lege_regels) == inv.n_regels, f"{pad.name}: regels zoekgeraakt"
            if b'"' not in pad.read_bytes():
                assert (inv.spanne == 1).all()
        elif pad.suffix == ".parquet":
            import pyarrow.parquet as pq

            assert n == pq.read_metadata(pad).num_rows
        if inv.lege_regels:
            b = res.bevindingen
            assert ((b["bestand"] == pad.name) & (b["regel"] == "lege_regel")).any(), "lege regels niet gemeld"
    b = res.bevindingen
    fout = b[b["niveau"] == "fout"]
    assert fout["bestand"].astype(str).str.len().gt(0).all(), "fout zonder bestand"
    assert fout["rij"].notna().all(), "fout zonder rij"
    assert fout["veld"].astype(str).str.len().gt(0).all(), "fout zonder veld"
    for t, af in res.afgekeurd.items():
        assert af["redenen"].notna().all() and af["redenen"].astype(str).str.len().gt(0).all(), f"{t}: afkeuring zonder reden"
        bt = fout[fout["tabel"] == t]
        assert set(af["rij"].astype(int)) <= set(bt["rij"].astype(int)), f"{t}: afgekeurde rij zonder bevinding"
        onbekend = {"bsn", "naam", "email", "extra_kolom"} & set(af.columns)
        assert not onbekend, f"{t}: niet-schemakolommen {onbekend} in de afgekeurde rijen"
    for kol in ("waarde", "melding"):
        for v in b[kol].astype(str):
            geen_lange_waarden(v, f"bevinding.{kol}")
    geen_lange_waarden(res.summary(), "samenvatting")
    return res


def draai(args: list[str]) -> str:
    """(a) run one CLI command in-process: no traceback, exit code 0 or 1; returns the output."""
    r = CliRunner().invoke(main, args, catch_exceptions=True)
    uit = r.output + (r.stderr if hasattr(r, "stderr") and r.stderr_bytes is not None else "")
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"{' '.join(args)}: {type(r.exception).__name__}: {r.exception}\n{uit[-2000:]}")
    assert "Traceback" not in uit, f"{' '.join(args)}: traceback in de uitvoer\n{uit[-2000:]}"
    assert r.exit_code in (0, 1), f"{' '.join(args)}: exitcode {r.exit_code}\n{uit[-2000:]}"
    geen_lange_waarden(uit, " ".join(args[:1]))
    return uit
