"""Typed warnings: one base class, one subclass per kind, and a collected warning that knows its kind.

Results collect their warnings as a tuple (``warnings`` / ``waarschuwingen``); where a warning is also
issued with :func:`warnings.warn`, it uses one of these classes, so a user can filter all of them with
``warnings.simplefilter("ignore", EvaluatieWarning)`` or one kind at a time.

A collected warning is a :class:`Melding`: a ``str`` (so code that reads warnings as text keeps working)
that also carries what it is about (``bron``: which part of the analysis, ``onderwerp``: e.g. the indicator
or comparison-group method, ``bericht``: the text without that prefix). A report formats Meldingen from
these fields and never parses the text back.
"""
from __future__ import annotations

import warnings as _warnings


class EvaluatieWarning(UserWarning):
    """Base class of every warning the package issues."""


class InvoerWaarschuwing(EvaluatieWarning):
    """Something in the input data the user must know about (rows rejected, values out of range)."""


class OverlevingsWaarschuwing(EvaluatieWarning):
    """Something the user must know about a survival result (collected on the result as well)."""


class NietGeconvergeerd(OverlevingsWaarschuwing):
    """Newton-Raphson did not converge, or a coefficient may be infinite (monotone likelihood)."""


class PanelWaarschuwing(EvaluatieWarning):
    """Warning raised by the panel models (also collected on the result)."""


class EffectWaarschuwing(EvaluatieWarning):
    """Warning of the effect estimator (cells not estimated, fits not converged)."""


class BenchmarkWaarschuwing(EvaluatieWarning):
    """Warning of the normed benchmark (comparison groups, funnel plots, poort data)."""


class Melding(str):
    """A collected warning: its full text (``str(m)``) plus what it is about.

    Parameters
    ----------
    bericht : str
        The message without the subject prefix, e.g. ``"kleine verwachte aantallen (<10) (2018)"``.
    bron : str
        Which part of the analysis issued it, e.g. ``"trechter"``, ``"groep"``, ``"poort"``.
    onderwerp : str
        What it is about within ``bron`` (an indicator code, a group method); ``""`` when nothing.
    soort : type of EvaluatieWarning
        The warning class to issue it with.

    Notes
    -----
    The text is ``"<bron> <onderwerp>: <bericht>"`` (or ``"<bron>: <bericht>"`` without onderwerp, or
    just the bericht without bron), the form the warnings had when they were plain strings.
    """

    bericht: str
    bron: str
    onderwerp: str
    soort: type[EvaluatieWarning]

    def __new__(cls, bericht: str, *, bron: str = "", onderwerp: str = "",
                soort: type[EvaluatieWarning] = EvaluatieWarning) -> "Melding":
        kop = " ".join(x for x in (bron, onderwerp) if x)
        m = super().__new__(cls, f"{kop}: {bericht}" if kop else bericht)
        object.__setattr__(m, "bericht", bericht)
        object.__setattr__(m, "bron", bron)
        object.__setattr__(m, "onderwerp", onderwerp)
        object.__setattr__(m, "soort", soort)
        return m

    def __setattr__(self, naam: str, waarde: object) -> None:
        raise AttributeError("Melding is onveranderlijk")

    def __reduce__(self):  # pickling (bootstrap workers, caches)
        return (_maak_melding, (self.bericht, self.bron, self.onderwerp, self.soort))

    def waarschuw(self, stacklevel: int = 2) -> None:
        """Issue this Melding with :func:`warnings.warn` under its :attr:`soort`."""
        _warnings.warn(str(self), self.soort, stacklevel=stacklevel + 1)


class MetWaarschuwingen:
    """Mixin for results with a ``waarschuwingen`` field: the old ``warnings`` attribute, deprecated."""

    waarschuwingen: tuple[str, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Deprecated alias of ``waarschuwingen``."""
        _warnings.warn("het attribuut 'warnings' heet nu 'waarschuwingen'; 'warnings' verdwijnt in de volgende versie",
                       DeprecationWarning, stacklevel=2)
        return self.waarschuwingen


def _maak_melding(bericht: str, bron: str, onderwerp: str, soort: type[EvaluatieWarning]) -> Melding:
    return Melding(bericht, bron=bron, onderwerp=onderwerp, soort=soort)


__all__ = ["BenchmarkWaarschuwing", "EffectWaarschuwing", "EvaluatieWarning", "InvoerWaarschuwing", "Melding",
           "MetWaarschuwingen", "NietGeconvergeerd", "OverlevingsWaarschuwing", "PanelWaarschuwing"]
