"""Dutch number formatting for the report: decimal comma, thousands dot, % with one decimal.

All helpers take plain floats (NaN/None/NA allowed → "–") and return strings; nothing is rounded before
formatting, so a number in a sentence and the same number in a table are the same string.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

MIN = "\u2212"  # typographic minus sign
ONBEKEND = "–"


def _ok(x: Any) -> bool:
    try:
        return x is not None and not pd.isna(x) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def getal(x: Any, d: int = 1, *, teken: bool = False) -> str:
    """``1234.56`` → ``'1.234,6'``; with ``teken`` a leading ``+`` for positive values."""
    if not _ok(x):
        return ONBEKEND
    x = float(x)
    s = f"{abs(x):,.{d}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if s.strip("0,.") == "":  # rounds to zero: no sign
        return s
    if x < 0:
        return MIN + s
    return ("+" + s) if teken else s


def aantal(n: Any) -> str:
    """A count: ``4685`` → ``'4.685'``."""
    return getal(n, 0)


def pct(x: Any, d: int = 1, *, teken: bool = False) -> str:
    """A share 0..1 as percentage: ``0.278`` → ``'27,8%'``."""
    return ONBEKEND if not _ok(x) else getal(100 * float(x), d, teken=teken) + "%"


def pct_punt(x: Any, d: int = 1, *, teken: bool = False) -> str:
    """A value already in percent: ``27.8`` → ``'27,8%'``."""
    return ONBEKEND if not _ok(x) else getal(x, d, teken=teken) + "%"


def bereik(lo: Any, hi: Any, *, schaal: float = 1.0, d: int = 1, eenheid: str = "") -> str:
    """``'12,3–25,0%'``; with a negative bound ``'−1,2 tot 3,4'`` (a dash next to a minus misleads)."""
    if not (_ok(lo) and _ok(hi)):
        return ONBEKEND
    a, b = getal(schaal * float(lo), d), getal(schaal * float(hi), d)
    sep = " tot " if (a.startswith(MIN) or b.startswith(MIN)) else "–"
    return f"{a}{sep}{b}{eenheid}"


def bi(lo: Any, hi: Any, *, schaal: float = 1.0, d: int = 1, eenheid: str = "") -> str:
    """``'95%-BI 12,3–25,0%'``; ``'geen 95%-BI berekend'`` without bounds (e.g. bootstrap = 0)."""
    if not (_ok(lo) and _ok(hi)):
        return GEEN_BI
    return f"95%-BI {bereik(lo, hi, schaal=schaal, d=d, eenheid=eenheid)}"


GEEN_BI = "geen 95%-BI berekend"
#: an interval narrower than this (on the 0..1 scale) has no width: nothing can be concluded from it
MIN_BREEDTE = 1e-9


def ontaard(lo: Any, hi: Any) -> bool:
    """True for an interval of zero width (no events, no variation, no bootstrap): it proves nothing."""
    return _ok(lo) and _ok(hi) and abs(float(hi) - float(lo)) < MIN_BREEDTE


def procentpunt(x: Any, d: int = 1) -> str:
    """A difference of shares: ``0.042`` → ``'+4,2 procentpunt'``."""
    return ONBEKEND if not _ok(x) else f"{getal(100 * float(x), d, teken=True)} procentpunt"


def aantoonbaar(lo: Any, hi: Any) -> str:
    """Wording for an effect given its 95% CI (careful when the interval contains 0)."""
    if not (_ok(lo) and _ok(hi)):
        return "niet te beoordelen (geen betrouwbaarheidsinterval berekend)"
    if ontaard(lo, hi):
        return ("niet te beoordelen (het interval heeft geen breedte: geen uitstroom of geen spreiding in de "
                "gegevens, of geen bootstrap)")
    if float(lo) > 0:
        return "aantoonbaar positief"
    if float(hi) < 0:
        return "aantoonbaar negatief"
    return "niet aantoonbaar (het 95%-interval bevat 0)"


def aantoonbaar_kort(lo: Any, hi: Any) -> str:
    """Short verdict for table cells: 'aantoonbaar positief' / 'aantoonbaar negatief' / 'niet aantoonbaar'."""
    if not (_ok(lo) and _ok(hi)):
        return ONBEKEND
    if ontaard(lo, hi):
        return "niet te beoordelen"
    return "aantoonbaar positief" if float(lo) > 0 else "aantoonbaar negatief" if float(hi) < 0 else "niet aantoonbaar"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def datum(iso: str) -> str:
    """``'2019-12-31'`` → ``'31 december 2019'`` (an unparseable string is returned as is)."""
    try:
        d = pd.Timestamp(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def instrumentnaam(code: str) -> str:
    """Display name of an instrument code (from the schema), ``alle`` → ``alle instrumenten``."""
    if code == "alle":
        return "alle instrumenten samen"
    from evaluatie.schema import instrumenten

    ins = instrumenten().get(str(code))
    return ins.naam if ins is not None else str(code).replace("_", " ")


def celnaam(instrument: str, categorie: str) -> str:
    """``'Jobcoaching, categorie B'``."""
    cat = "alle categorieën" if categorie == "alle" else f"categorie {categorie}"
    return f"{instrumentnaam(instrument)}, {cat}"
