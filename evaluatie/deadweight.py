"""Deadweight and the attributable share of exits to work.

* ``deadweight(h) = CIF0(h) / CIF1(h)``: the share of participants' exits to work within ``h`` months
  that would have happened without the instrument; ``toerekenbaar = 1 - deadweight``.
* ``toerekenbaar_aandeel`` (population): ``(sum_i [Y_i(window) - CIF0_i(h_i)]) / W`` where the sum runs
  over participants, ``Y_i(window)`` is the observed exit to werk before the window end, ``CIF0_i(h_i)`` the
  predicted no-instrument probability of that (``h_i`` = months from the start to the window end) and
  ``W`` all observed exits to werk in the window. Non-participants are unaffected by instruments (no
  spill-over), so this is (observed - no-instrument world) / observed.

The estimators call these pure functions inside every bootstrap replicate, so their intervals come from
the same replicates as the effects.
"""
from __future__ import annotations

import numpy as np


def deadweight(cif1: np.ndarray, cif0: np.ndarray) -> np.ndarray:
    """``CIF0 / CIF1`` elementwise; NaN where ``CIF1 <= 0``."""
    cif1 = np.asarray(cif1, dtype=float)
    cif0 = np.asarray(cif0, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cif1 > 0, cif0 / cif1, np.nan)


def toerekenbaar_aandeel(met: np.ndarray, zonder: np.ndarray, w: np.ndarray, totaal_werk: float) -> tuple[float, float]:
    """Attributable share and the attributable number of exits.

    Parameters
    ----------
    met : ndarray
        Per participant: 1 if they exited to werk before the window end (observed), else 0.
    zonder : ndarray
        Per participant: predicted probability of that without any instrument.
    w : ndarray
        Per participant weight (1, or bootstrap counts).
    totaal_werk : float
        (Weighted) number of all exits to werk in the window.
    """
    toeg = float(np.sum(np.asarray(w) * (np.asarray(met, dtype=float) - np.asarray(zonder, dtype=float))))
    return (toeg / totaal_werk if totaal_werk > 0 else float("nan")), toeg


MIN = "\u2212"  # typographic minus, as in the report
ONBEKEND = "–"


def _getal(x: float, d: int = 1) -> str:
    """Dutch number: ``1234.56`` -> ``'1.234,6'``, ``-0.5`` -> ``'−0,5'``, NaN -> ``'–'`` (as the report writes them)."""
    if x is None or not np.isfinite(x):
        return ONBEKEND
    s = f"{abs(x):,.{d}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return MIN + s if x < 0 and s.strip("0,.") else s


def zin_toerekenbaar(schatting: float, laag: float, hoog: float, n_uitstroom_werk: float | None = None) -> str:
    """The headline sentence, built here only (estimator summary, report, command output).

    ``"1,7% (95%-BI 0,2–3,0%) van de uitstroom naar werk is toe te rekenen aan de inzet van instrumenten
    (n = 1.234 uitstromers naar werk)."`` The n part only when ``n_uitstroom_werk`` is given and finite.
    """
    a, b = _getal(100 * laag), _getal(100 * hoog)
    bereik = ONBEKEND if ONBEKEND in (a, b) else f"{a}{' tot ' if MIN in a + b else '–'}{b}%"
    pct = ONBEKEND if _getal(100 * schatting) == ONBEKEND else _getal(100 * schatting) + "%"
    n = (f" (n = {_getal(float(n_uitstroom_werk), 0)} uitstromers naar werk)"
         if n_uitstroom_werk is not None and np.isfinite(n_uitstroom_werk) else "")
    return f"{pct} (95%-BI {bereik}) van de uitstroom naar werk is toe te rekenen aan de inzet van instrumenten{n}."
