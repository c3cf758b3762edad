"""Report content as plain immutable objects (no HTML here)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Kernindicator:
    """One headline indicator: value with its uncertainty, the comparison and a one-line reading."""

    naam: str
    waarde: str
    onzekerheid: str
    vergelijking: str
    lezing: str


@dataclass(frozen=True)
class Tabel:
    """A table ready for display (already disclosure-controlled; values formatted as strings)."""

    titel: str
    frame: pd.DataFrame
    noot: str = ""


@dataclass(frozen=True)
class Figuur:
    """A figure as PNG bytes (deterministic), with a caption and alt text."""

    titel: str
    png: bytes
    alt: str
    noot: str = ""


@dataclass(frozen=True)
class Sectie:
    """A chapter of the report."""

    anker: str
    titel: str
    alineas: tuple[str, ...] = ()
    tabellen: tuple[Tabel, ...] = ()
    figuren: tuple[Figuur, ...] = ()
    subsecties: tuple["Sectie", ...] = ()


@dataclass(frozen=True)
class Rapportinhoud:
    """Everything the report shows."""

    titel: str
    ondertitel: str
    kernindicatoren: tuple[Kernindicator, ...]
    conclusies: tuple[str, ...]
    secties: tuple[Sectie, ...]
    manifest: dict[str, Any] = field(default_factory=dict)
    onthullingsregel: str = ""
    #: the report's counts after joint disclosure control (:class:`evaluatie.rapport.beveiliging.Rapporttellingen`)
    tellingen: Any = None


def figuur_png(fig: Any, *, dpi: int = 110) -> bytes:
    """Render a matplotlib Figure to PNG bytes without timestamps or software metadata, then close it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
