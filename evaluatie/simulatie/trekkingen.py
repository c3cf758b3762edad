"""Common random numbers: one uniform per spell, per month of the spell, per purpose.

Counterfactual worlds must reuse exactly the draws of the observed world ("same draws"), also when they
simulate only a subset of spells or when spells are created during the simulation (terugval). Pre-drawing
a spell x month matrix does not scale (1.5 million spells x 240 months at national scale), so each spell
carries a 64-bit key drawn from ``np.random.default_rng(seed)`` and the uniform for (spell, month, purpose)
is a counter-based hash of (key, month, purpose) (SplitMix64 finaliser). This is deterministic, needs no
state, and gives identical numbers in every world and for every subset. All randomness still derives from
the one seed through ``default_rng``.
"""
from __future__ import annotations

import numpy as np

# purposes (streams)
UITSTROOM = 0
START = 1
KEUZE = 2
DUUR = 3
DOORSTROOM = 4
TREDE = 5
TERUGVAL = 6
INZET = 7
N_STREAMS = 8

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (bijective on uint64; wraps on overflow by design)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _S30)) * _M1
        x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def uniform(key: np.ndarray, maand: np.ndarray | int, stroom: int) -> np.ndarray:
    """Uniform(0, 1) draws for spells with keys ``key`` in spell month ``maand`` for purpose ``stroom``.

    Parameters
    ----------
    key : ndarray of uint64
        Per-spell keys (see :func:`nieuwe_sleutels`).
    maand : int or ndarray of int
        Month of the spell (0-based), broadcast against ``key``.
    stroom : int
        Purpose, one of the module constants (``UITSTROOM``, ``START``, ...).

    Returns
    -------
    ndarray of float64 in [0, 1)
    """
    teller = np.asarray(maand, dtype=np.int64).astype(np.uint64) * np.uint64(N_STREAMS) + np.uint64(stroom + 1)
    with np.errstate(over="ignore"):
        x = _mix(key + teller * _GOLDEN)
    return (x >> _S11).astype(np.float64) * (1.0 / 9007199254740992.0)


def nieuwe_sleutels(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` fresh spell keys from ``rng``."""
    return rng.integers(0, np.iinfo(np.uint64).max, size=n, dtype=np.uint64, endpoint=True)


def afgeleide_sleutels(key: np.ndarray) -> np.ndarray:
    """Deterministic keys for the spell that follows (terugval) a spell with key ``key``."""
    return _mix(key ^ np.uint64(0xD1B54A32D192ED03))
