"""Heterogeneous true effects by subgroup (issue 19): an extra shift of the post-programme log-odds of the monthly
work hazard for participants with a given characteristic, e.g. jobcoaching works better for statushouders and
worse for participants aged 55 or over at the start.

Off by default (``SimulatieConfig.heterogeniteit = ()``): the default simulation, its calibration and its
``truth.json`` are unchanged. With it on, ``truth.json`` gets per instrument x categorie a ``subgroepen`` block with
the expected ATT of the subgroup and of the rest of the cell (:func:`subgroepwaarheid`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Kenmerk = Literal["statushouder", "55plus"]
KENMERKEN: tuple[str, ...] = ("statushouder", "55plus")


@dataclass(frozen=True)
class Subgroepeffect:
    """Extra post-programme log-odds shift ``na`` of ``instrument`` (all categorieen) for participants with
    ``kenmerk`` (``statushouder``; ``55plus`` = aged 55 or over in the start month of the programme)."""

    instrument: str
    kenmerk: Kenmerk
    na: float

    def __post_init__(self) -> None:
        if self.kenmerk not in KENMERKEN:
            raise ValueError(f"heterogeniteit: kenmerk {self.kenmerk!r}; verwacht een van {list(KENMERKEN)}")


#: An example: jobcoaching better for statushouders (+0.5), worse for 55+ (-0.5); used by the tests and the MC.
VOORBEELD: tuple[Subgroepeffect, ...] = (Subgroepeffect("jobcoaching", "statushouder", 0.5),
                                          Subgroepeffect("jobcoaching", "55plus", -0.5))


def kenmerken(statushouder: np.ndarray, leeftijd_start_jaren: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean characteristic per participant (same order as the inputs)."""
    return {"statushouder": np.asarray(statushouder, dtype=float) > 0.5,
            "55plus": np.asarray(leeftijd_start_jaren) >= 55}


def extra_na(effecten: tuple[Subgroepeffect, ...], instrumenten: tuple[str, ...], ins: np.ndarray,
             statushouder: np.ndarray, leeftijd_start_jaren: np.ndarray) -> np.ndarray:
    """The extra post-programme shift of every participant (0 without heterogeneity)."""
    uit = np.zeros(len(ins))
    if not effecten:
        return uit
    km = kenmerken(statushouder, leeftijd_start_jaren)
    idx = {c: i for i, c in enumerate(instrumenten)}
    for e in effecten:
        uit += np.where((ins == idx[e.instrument]) & km[e.kenmerk], e.na, 0.0)
    return uit


def subgroepwaarheid(met: np.ndarray, zonder: np.ndarray, sel: np.ndarray, km: dict[str, np.ndarray],
                     H: int) -> dict[str, dict[str, list]]:
    """Expected ATT (months 1..H) of the subgroup and the rest of one cell, per characteristic."""
    uit = {}
    for naam, k in km.items():
        d = {}
        for deel, s in (("subgroep", sel & k), ("rest", sel & ~k)):
            d[deel] = ([float(x) for x in (met[s, :H].mean(axis=0) - zonder[s, :H].mean(axis=0))] if s.any()
                       else None)
            d[f"n_{deel}"] = int(s.sum())
        uit[naam] = d
    return uit


def voeg_waarheid_toe(waarheid: dict, *, cfg, spells, clienten, feit, deelnemers: np.ndarray, verwachting) -> None:
    """Add ``effecten[instrument][categorie]["subgroepen"]`` (expected ATT of subgroup and rest, months 1..H,
    with their participant counts) to ``waarheid``, for every characteristic in :data:`KENMERKEN`."""
    from evaluatie.simulatie.config import CATEGORIEEN, INSTRUMENTEN

    cl = spells.client[deelnemers]
    leeftijd = (spells.start[deelnemers].astype(np.int64) + feit.d[deelnemers] - clienten.geboorte[cl]) // 12
    km = kenmerken(clienten.statushouder[cl].astype(float), leeftijd)
    ins, cat = feit.instrument[deelnemers], feit.cat_start[deelnemers]
    for code, percat in waarheid["effecten"].items():
        for c, w in percat.items():
            sel = (ins == INSTRUMENTEN.index(code)) & (cat == CATEGORIEEN.index(c))
            w["subgroepen"] = subgroepwaarheid(verwachting.met, verwachting.zonder, sel, km, cfg.horizon)
    waarheid["heterogeniteit"] = [{"instrument": e.instrument, "kenmerk": e.kenmerk, "na": e.na}
                                  for e in cfg.heterogeniteit]
