"""Settings of the doelmatigheid step (config section ``[doelmatigheid]`` and ``[[doelmatigheid.scenario]]``)."""
from __future__ import annotations

from dataclasses import dataclass, field

#: Share of a saved benefit the gemeente keeps. The BUIG budget follows the verdeelmodel: for a gemeente
#: with an objectively modelled budget a saved euro mostly stays (the national total sets the norm), for a
#: small gemeente (historical costs) the budget follows its own spending. 0.8 is a middle assumption; set it.
BUIG_AANDEEL = 0.8
#: MKBA discount rate (real, per year) since 2021.
DISCONTO = 0.0225


@dataclass(frozen=True)
class Scenario:
    """Move ``deelnemers`` participants (or ``budget`` euro) from cell ``van`` to cell ``naar``.

    A cell is ``(instrument, categorie)``; instrument ``alle`` = the pooled cell of that categorie.
    Exactly one of ``deelnemers`` and ``budget`` is set.
    """

    naam: str
    van: tuple[str, str]
    naar: tuple[str, str]
    deelnemers: float | None = None
    budget: float | None = None

    def __post_init__(self) -> None:
        if (self.deelnemers is None) == (self.budget is None):
            raise ValueError(f"scenario {self.naam!r}: geef precies een van deelnemers en budget")
        for x in (self.deelnemers, self.budget):
            if x is not None and not x > 0:
                raise ValueError(f"scenario {self.naam!r}: deelnemers/budget moet > 0 zijn, niet {x}")


@dataclass(frozen=True)
class Doelmatigheidsconfig:
    """How costs and savings are compared.

    Attributes
    ----------
    horizonnen : tuple of int
        Months after the start at which the net saving is given (at most the effects' horizon).
    buig_aandeel : float
        Gemeente perspective: share of the saved benefit the gemeente keeps (0..1).
    disconto : float
        Maatschappij perspective: yearly discount rate (MKBA 2.25%).
    methode : str
        Effect estimator whose replicates are used (``gformule``).
    duurzaam : int or None
        k of the durable exit used for the cost per extra durable exit (default: the smallest estimated).
    kostenfactoren, disconto_varianten : tuple of float
        Sensitivity table: costs times these factors; the maatschappij view at these rates.
    scenarios : tuple of Scenario
    """

    horizonnen: tuple[int, ...] = (12, 24, 36)
    buig_aandeel: float = BUIG_AANDEEL
    disconto: float = DISCONTO
    methode: str = "gformule"
    duurzaam: int | None = None
    kostenfactoren: tuple[float, ...] = (0.75, 1.0, 1.25)
    disconto_varianten: tuple[float, ...] = (0.0, DISCONTO, 0.04)
    scenarios: tuple[Scenario, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 0.0 <= self.buig_aandeel <= 1.0:
            raise ValueError(f"buig_aandeel moet tussen 0 en 1 liggen, niet {self.buig_aandeel}")
        if not 0.0 <= self.disconto < 1.0:
            raise ValueError(f"disconto moet tussen 0 en 1 liggen, niet {self.disconto}")
        if not self.horizonnen or min(self.horizonnen) < 1:
            raise ValueError(f"horizonnen moeten >= 1 zijn, niet {self.horizonnen}")
