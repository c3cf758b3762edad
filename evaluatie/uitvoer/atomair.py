"""Write a whole output folder at once: into a temporary sibling, moved into place when complete.

A run that fails or is interrupted (Ctrl-C) leaves the previous complete output untouched and removes
its temporary folder; a run that succeeds *replaces* the previous output (nothing of it is left).
"""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from evaluatie.uitvoer.overlap import UitvoerFout


def _tijdelijk(out: Path, soort: str) -> Path:
    return out.parent / f".{out.name}.{soort}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _weg(p: Path) -> None:
    shutil.rmtree(p, ignore_errors=True)


def vervang_map(tmp: Path, out: Path) -> None:
    """Move the finished folder ``tmp`` to ``out``, replacing what was there.

    The old folder is first renamed aside (same parent, so both renames are atomic on one file system),
    then removed; if the second rename fails the old folder is put back.
    """
    oud = None
    if out.exists():
        oud = _tijdelijk(out, "oud")
        os.replace(out, oud)
    try:
        os.replace(tmp, out)
    except BaseException:
        if oud is not None:
            os.replace(oud, out)
        raise
    if oud is not None:
        _weg(oud)


@contextmanager
def atomaire_map(out: str | Path) -> Iterator[Path]:
    """Context manager yielding a temporary folder that becomes ``out`` when the block ends normally.

    On any exception (including KeyboardInterrupt) the temporary folder is removed and ``out`` is left
    as it was. ``OSError`` (no permission, disk full, read-only file system) becomes :class:`UitvoerFout`
    with a Dutch message.

    Examples
    --------
    >>> with atomaire_map(out) as tmp:          # doctest: +SKIP
    ...     (tmp / "a.csv").write_text("x\\n1\\n")
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = _tijdelijk(out, "tmp")
        tmp.mkdir()
    except OSError as e:
        raise UitvoerFout(f"kan uitvoermap {out} niet aanmaken: {e.strerror or e}") from None
    try:
        yield tmp
        vervang_map(tmp, out)
    except OSError as e:
        _weg(tmp)
        raise UitvoerFout(f"kan uitvoer niet schrijven naar {out} ({e.strerror or e}); "
                          "er is niets veranderd aan een eerdere uitvoer") from None
    except BaseException:
        _weg(tmp)
        raise
