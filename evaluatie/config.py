"""Evaluation configuration: one TOML file in ``analyses/`` describes one evaluation."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

Vergelijkingsmethode = Literal["buig", "structureel", "synthetisch", "alle"]


class ConfigFout(ValueError):
    """A configuration that cannot be used; the message names the file, key, value and what was expected."""


@dataclass(frozen=True)
class Evaluatieconfig:
    """One evaluation.

    Attributes
    ----------
    naam : str
        Title of the evaluation (appears in the report).
    data : Path
        Directory with the input tables (resolved relative to the config file). ``simuleer = true``
        means: write simulated data there first (the demo).
    gemeenten : tuple of str
        The gemeente(n) evaluated (CBS codes); the first is the benchmark's focus gemeente.
    periode : (str, str)
        Observation window, ISO dates.
    horizonnen : tuple of int
        Horizons (months) at which effects and deadweight are reported.
    vergelijkingsgroep : str
        Comparison-group method for the benchmark: buig | structureel | synthetisch | alle.
    k : int
        Size of the comparison group.
    basisjaar : int
        Index base year (=100).
    seed : int
        Seed for everything random (simulation, bootstrap).
    bootstrap : int
        Bootstrap replications.
    drempel : int
        Disclosure threshold (minimum persons per published cell).
    """

    naam: str
    data: Path
    gemeenten: tuple[str, ...]
    periode: tuple[str, str] = ("2015-01-01", "2019-12-31")
    horizonnen: tuple[int, ...] = (12, 24)
    vergelijkingsgroep: Vergelijkingsmethode = "alle"
    k: int = 20
    basisjaar: int = 2017
    referentiejaar: int | None = None
    seed: int = 1
    bootstrap: int = 200
    drempel: int = 10
    simuleer: bool = False
    clienten: int = 4685
    n_jobs: int = 2
    bron: Path | None = field(default=None, compare=False)

    def als_dict(self) -> dict[str, Any]:
        """Config as plain JSON-able dict for the manifest (paths relative, no machine-specific parts)."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("bron",)}
        d["data"] = self.data.name
        d["gemeenten"] = list(self.gemeenten)
        d["periode"] = list(self.periode)
        d["horizonnen"] = list(self.horizonnen)
        d["waarnemingsperiode"] = {"start": self.periode[0], "eind": self.periode[1]}
        return d


def lees_config(pad: str | Path) -> Evaluatieconfig:
    """Read and check an evaluation TOML.

    Raises
    ------
    ConfigFout
        Naming the file, key, value and what was expected.
    """
    pad = Path(pad)
    try:
        raw = tomllib.loads(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigFout(f"{pad}: bestand bestaat niet") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigFout(f"{pad}: geen geldige TOML ({e})") from None
    ev = raw.get("evaluatie", {})
    dat = raw.get("data", {})
    bm = raw.get("benchmark", {})
    eff = raw.get("effecten", {})

    def need(sec: dict, key: str, where: str) -> Any:
        if key not in sec:
            raise ConfigFout(f"{pad}: [{where}] mist verplichte sleutel '{key}'")
        return sec[key]

    methode = bm.get("vergelijkingsgroep", "alle")
    if methode not in get_args(Vergelijkingsmethode):
        raise ConfigFout(f"{pad}: [benchmark] vergelijkingsgroep: verwacht een van {', '.join(get_args(Vergelijkingsmethode))}, kreeg {methode!r}")
    gemeenten = need(ev, "gemeenten", "evaluatie")
    if isinstance(gemeenten, str):
        gemeenten = [gemeenten]
    import re

    for g in gemeenten:
        if not re.fullmatch(r"GM\d{4}", str(g)):
            raise ConfigFout(f"{pad}: [evaluatie] gemeenten: verwacht CBS-codes als 'GM0777', kreeg {g!r}")
    periode = tuple(ev.get("periode", ["2015-01-01", "2019-12-31"]))
    if len(periode) != 2:
        raise ConfigFout(f"{pad}: [evaluatie] periode: verwacht [start, eind], kreeg {periode!r}")
    data = Path(need(dat, "map", "data"))
    if not data.is_absolute():
        data = (pad.parent / data).resolve()
    horizonnen = tuple(int(h) for h in eff.get("horizonnen", [12, 24]))
    if any(h < 1 or h > 36 for h in horizonnen):
        raise ConfigFout(f"{pad}: [effecten] horizonnen: verwacht maanden 1..36, kreeg {list(horizonnen)}")
    return Evaluatieconfig(
        naam=str(ev.get("naam", pad.stem)), data=data, gemeenten=tuple(gemeenten), periode=periode,  # type: ignore[arg-type]
        horizonnen=horizonnen, vergelijkingsgroep=methode, k=int(bm.get("k", 20)), basisjaar=int(bm.get("basisjaar", 2017)),
        referentiejaar=bm.get("referentiejaar"), seed=int(ev.get("seed", 1)), bootstrap=int(eff.get("bootstrap", 200)),
        drempel=int(ev.get("drempel", 10)), simuleer=bool(dat.get("simuleer", False)), clienten=int(dat.get("clienten", 4685)),
        n_jobs=int(eff.get("n_jobs", 2)), bron=pad,
    )
