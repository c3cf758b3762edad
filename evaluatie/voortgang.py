"""Progress bars with an estimated time left for long work (bootstrap, national preparation, Monte Carlo).

One place decides whether a bar is shown: never under ``--stil`` (:func:`stil`), never when the
environment variable ``CI`` is set or ``EVALUATIE_STIL`` is set, and never when standard error is not a
terminal (a log file, a pipe, a test run). A bar only writes to standard error; it never changes a number
or a file. tqdm draws the bar.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import sys
from typing import Any, Iterator

_STIL: contextvars.ContextVar[bool] = contextvars.ContextVar("evaluatie_voortgang_stil", default=False)


@contextlib.contextmanager
def stil(aan: bool = True) -> Iterator[None]:
    """Within this block no progress bar is shown (``--stil``) when ``aan`` is true."""
    token = _STIL.set(_STIL.get() or bool(aan))
    try:
        yield
    finally:
        _STIL.reset(token)


def zichtbaar(stroom: Any = None) -> bool:
    """True when a bar may be drawn: not silenced, not in CI, and ``stroom`` (default stderr) is a terminal."""
    if _STIL.get() or os.environ.get("CI") or os.environ.get("EVALUATIE_STIL"):
        return False
    stroom = sys.stderr if stroom is None else stroom
    try:
        return bool(stroom.isatty())
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


class _Niets:
    """Stand-in for a bar when none is shown: same methods, does nothing."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "_Niets":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def balk(totaal: int | None, omschrijving: str, *, eenheid: str = "stap") -> Any:
    """A progress bar over ``totaal`` steps (a tqdm bar, or a silent stand-in; see :func:`zichtbaar`).

    Use as a context manager and call ``.update(n)`` after each ``n`` finished steps::

        with balk(B, "bootstrap", eenheid="replicaat") as b:
            for ...:
                b.update(1)
    """
    if not zichtbaar():
        return _Niets()
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency; a broken install only loses the bar
        return _Niets()
    try:  # a terminal that reports no width (some ptys) would get an empty bar: then 80 columns
        breed = os.get_terminal_size(sys.stderr.fileno()).columns > 0
    except (OSError, ValueError, AttributeError):
        breed = False
    return tqdm(total=totaal, desc=omschrijving, unit=eenheid, file=sys.stderr, dynamic_ncols=breed,
                ncols=None if breed else 80, nrows=None if breed else 24, leave=False, mininterval=0.5)
