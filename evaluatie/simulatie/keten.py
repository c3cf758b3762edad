"""Beyond the first exit: the chain of spells that follows a participant's spell, in one world.

In every world (observed, "nooit", "wachten") an exit to work is followed by a job whose length is drawn
with the spell's own common random number (:func:`evaluatie.simulatie.populatie.baanduur`), so a job
that ends sends the client back to benefit in that world, at that world's time. The return spell has a
key derived from the old spell's key, so it is "the same" spell in every world; it is simulated with the
world's policy (``instrumenten``) and may itself end in work and be followed by another return, up to
``t_eind``. In the observed world this chain reproduces the observed return spells exactly (same keys,
same rule, same engine).

The outcomes per root spell (a participant, from its start month ``d``):

* ``baan`` -- work months until the job is lost (:func:`baanduur`), only where the root ended in werk;
* ``op_uitkering`` -- (n, H) booleans: on benefit in month t = 0..H-1 after the start month (the start
  month is t = 0; an exit month counts as on benefit, the months of a job do not).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluatie.simulatie.config import SimulatieConfig
from evaluatie.simulatie.paden import Clienten, Paden, Spells, simuleer_paden
from evaluatie.simulatie.populatie import baanduur, terugval
from evaluatie.simulatie.trajecten import Instrumenttabellen


@dataclass(frozen=True)
class Keten:
    """Outcomes after the start for the root spells of one world (order of the roots)."""

    baan: np.ndarray          # (n,) int: work month in which the first job is lost (JMAX + 1 = never)
    op_uitkering: np.ndarray  # (n, H) bool
    n_terugval: np.ndarray    # (n,) int: number of return spells that start within the H months
    vervolgtraject: np.ndarray  # (n,) bool: a return spell started a trajectory within the H months


def _markeer(op: np.ndarray, wortel: np.ndarray, van: np.ndarray, tot: np.ndarray) -> None:
    """Set op[wortel, van..tot] (inclusive, clipped to 0..H-1) to True."""
    H = op.shape[1]
    lo = np.clip(van, 0, H)
    hi = np.clip(tot + 1, 0, H)
    lengte = np.maximum(hi - lo, 0)
    if not lengte.any():
        return
    r = np.repeat(wortel, lengte)
    kol = np.repeat(lo, lengte) + (np.arange(lengte.sum()) - np.repeat(np.cumsum(lengte) - lengte, lengte))
    op[r, kol] = True


def simuleer_keten(wortels: Spells, paden: Paden, clienten: Clienten, *, cfg: SimulatieConfig,
                   tab: Instrumenttabellen, gemeente_effect: np.ndarray, t_eind: int, d: np.ndarray,
                   H: int, instrumenten: bool) -> Keten:
    """Follow the root spells (their paths ``paden`` in this world) through jobs and return spells.

    Parameters
    ----------
    wortels : Spells
        The participants' spells.
    paden : Paden
        Their paths in this world (same order).
    d : ndarray of int
        Spell month of the trajectory start (month 0 of the outcomes) per root.
    H : int
        Months of outcomes from the start month.
    instrumenten : bool
        Whether return spells may start an instrument (observed and "wachten" world) or not ("nooit").

    Returns
    -------
    Keten
    """
    n = len(wortels)
    nul = wortels.start + d  # absolute month of t = 0
    op = np.zeros((n, H), dtype=bool)
    eind = np.where(paden.eind >= 0, paden.eind, t_eind - wortels.start)
    _markeer(op, np.arange(n), d - d, eind - d)
    baan = baanduur(cfg, tab, wortels, paden)
    n_terug = np.zeros(n, dtype=np.int64)
    vervolg = np.zeros(n, dtype=bool)
    huidig, huidige_paden, wortel = wortels, paden, np.arange(n)
    t_grens = nul + H - 1
    while True:
        nieuw, ouder = terugval(cfg, tab, huidig, huidige_paden, clienten.geboorte, t_eind)
        wortel = wortel[ouder]
        binnen = nieuw.start <= t_grens[wortel]
        nieuw, wortel = nieuw.deel(np.flatnonzero(binnen)), wortel[binnen]
        if not len(nieuw):
            break
        p = simuleer_paden(nieuw, clienten, cfg=cfg, tab=tab, gemeente_effect=gemeente_effect, t_eind=t_eind,
                           instrumenten=instrumenten)
        np.add.at(n_terug, wortel, 1)
        np.logical_or.at(vervolg, wortel, (p.instrument >= 0) & (nieuw.start + p.d <= t_grens[wortel]))
        e = np.where(p.eind >= 0, nieuw.start + p.eind, t_eind)
        _markeer(op, wortel, nieuw.start - nul[wortel], e - nul[wortel])
        huidig, huidige_paden = nieuw, p
    return Keten(baan, op, n_terug, vervolg)
