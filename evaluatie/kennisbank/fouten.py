"""The kennisbank's error type (its own module so that every part of the kennisbank can raise it)."""
from __future__ import annotations


class KennisbankFout(RuntimeError):
    """A store or run folder that cannot be read or written as asked (the message names the file, says why and what to do)."""
