"""Evaluation configuration: one TOML file in ``analyses/`` describes one evaluation.

The file is checked against a declarative schema (:data:`SCHEMA`, section -> key -> :class:`Veld`) that
also generates the reference table in ``docs/handleiding.md`` (:func:`config_documentatie`). Nothing is
converted silently: no bool from a string, no integer from a float, no list from a string; unknown
sections and keys are errors with a "bedoelt u ...?" hint. Every problem is reported as
``FILE: [sectie] sleutel: verwacht ..., kreeg VALUE`` (the same shape as the data errors), all at once.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, get_args

try:  # H3 (branch onthulling) adds the floor to evaluatie.disclosure; until then the same value here
    from evaluatie.disclosure import MIN_DREMPEL
except ImportError:  # pragma: no cover - removed once the onthulling branch is merged
    MIN_DREMPEL = 10

Vergelijkingsmethode = Literal["buig", "structureel", "synthetisch", "alle"]
Soort = Literal["tekst", "geheel", "getal", "bool", "keuze", "lijst_geheel", "gemeenten", "periode", "pad",
                "lijst_keuze"]

_MAX_TOON = 60  # characters of a wrong value echoed in a message (a 100 KB value is never printed whole)


class ConfigFout(ValueError):
    """A configuration that cannot be used; the message names the file, key, value and what was expected.

    Attributes
    ----------
    fouten : tuple of str
        One line per problem found (the message is these lines joined by newlines).
    """

    def __init__(self, bericht: str, fouten: tuple[str, ...] | None = None):
        super().__init__(bericht)
        self.fouten: tuple[str, ...] = tuple(fouten) if fouten else (bericht,)


@dataclass(frozen=True)
class Veld:
    """One key of the TOML: its type, allowed values, default and meaning.

    Attributes
    ----------
    soort : str
        ``tekst``, ``geheel`` (integer), ``getal`` (integer or float), ``bool``, ``keuze`` (one of
        ``keuzes``), ``lijst_geheel`` (non-empty list of distinct integers), ``gemeenten`` (CBS codes),
        ``periode`` (two ISO dates) or ``pad`` (a folder, relative to the TOML file).
    standaard : object
        Value used when the key is absent (ignored when ``verplicht``).
    beschrijving : str
        Meaning, in Dutch (appears in the handleiding).
    minimum, maximum : int or None
        Inclusive range for numbers (also for each element of a list, and for years of a date).
    keuzes : tuple of str
        Allowed values of a ``keuze``.
    verplicht : bool
        The key must be present.
    waarom : str
        Why the range is what it is (appended to a range error and to the documentation).
    standaard_tekst : str or None
        How the default is described in the documentation when it is not a plain value.
    """

    soort: Soort
    standaard: Any
    beschrijving: str
    minimum: int | None = None
    maximum: int | None = None
    keuzes: tuple[str, ...] = ()
    verplicht: bool = False
    waarom: str = ""
    standaard_tekst: str | None = None

    def verwacht(self) -> str:
        """What a valid value looks like, in Dutch (used in error messages and the documentation)."""
        r = _bereik(self.minimum, self.maximum)
        if self.soort == "tekst":
            return "een tekst"
        if self.soort == "pad":
            return "een mapnaam (tekst)"
        if self.soort == "bool":
            return "true of false (zonder aanhalingstekens)"
        if self.soort == "geheel":
            return f"een geheel getal{(' ' + r) if r else ''}"
        if self.soort == "getal":
            return f"een getal{(' ' + r) if r else ''}"
        if self.soort == "keuze":
            return "een van " + ", ".join(f'"{k}"' for k in self.keuzes)
        if self.soort == "lijst_keuze":
            return "een lijst (mag leeg zijn) met elk hoogstens één keer: " + ", ".join(f'"{k}"' for k in self.keuzes)
        if self.soort == "lijst_geheel":
            return f"een lijst van gehele getallen{(' ' + r) if r else ''}"
        if self.soort == "gemeenten":
            return 'een lijst van CBS-gemeentecodes als "GM0777"'
        if self.soort == "periode":
            return f'[start, eind] als ISO-datums ("2015-01-01"), start <= eind, jaren {r}'
        raise AssertionError(self.soort)


def _bereik(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}..{hi}"
    if lo is not None:
        return f">= {lo}"
    if hi is not None:
        return f"<= {hi}"
    return ""


_METHODEN = get_args(Vergelijkingsmethode)
#: The subgroup indelingen (the same names as :data:`evaluatie.effecten.subgroepen.INDELINGEN`; a test keeps them equal).
_INDELINGEN = ("statushouder", "jongeren", "speciaal_onderwijs", "55plus", "trede", "gemeente", "loonwaarde")

#: The schema of an evaluation TOML: section -> key -> field. ``Evaluatieconfig`` attributes carry the key's name.
SCHEMA: dict[str, dict[str, Veld]] = {
    "evaluatie": {
        "naam": Veld("tekst", None, "titel in het rapport", standaard_tekst="bestandsnaam"),
        "gemeenten": Veld("gemeenten", None, "CBS-codes; de **eerste** is de gemeente van de benchmark", verplicht=True),
        "periode": Veld("periode", ("2015-01-01", "2019-12-31"), "waarnemingsperiode `[start, eind]`", minimum=1990, maximum=2100),
        "seed": Veld("geheel", 1, "seed voor simulatie en bootstrap", minimum=0, maximum=2**32 - 1),
        "drempel": Veld("geheel", 10, "minimaal aantal personen per gepubliceerde cel", minimum=MIN_DREMPEL,
                        waarom=f"een cel van minder dan {MIN_DREMPEL} personen is tot personen herleidbaar; "
                               "een hogere drempel mag, een lagere niet"),
    },
    "data": {
        "map": Veld("pad", None, "invoermap, relatief ten opzichte van het TOML-bestand", verplicht=True),
        "simuleer": Veld("bool", False, "eerst gesimuleerde gegevens in `map` schrijven (demo); alleen in een lege map "
                                        "of een map met een eerdere simulatie"),
        "clienten": Veld("geheel", 4685, "omvang van de simulatie", minimum=1, maximum=1_000_000),
    },
    "effecten": {
        "horizonnen": Veld("lijst_geheel", (12, 24), "horizonnen in maanden", minimum=1, maximum=36),
        "bootstrap": Veld("geheel", 200, "bootstrapreplicaties (0: geen betrouwbaarheidsintervallen)", minimum=0, maximum=100_000),
        "n_jobs": Veld("geheel", 2, "processen voor de bootstrap", minimum=1, maximum=256),
        "duurzaam": Veld("lijst_geheel", (6, 12), "duurzaam werk: maanden zonder nieuwe uitkering na uitstroom naar werk "
                                                  "(effect op `duurzaam_werk_{k}`)", minimum=1, maximum=36),
        "uitkeringsmaanden": Veld("lijst_geheel", (12, 24, 36), "horizonnen (maanden) van het effect op het aantal "
                                                              "maanden met een uitkering", minimum=1, maximum=36),
        "cluster": Veld("tekst", None, "adres van een Dask-scheduler (`tcp://host:poort`): de bootstrap rekent daar, "
                                       "met dezelfde uitkomst; vraagt `pip install evaluatie[cluster]`",
                        standaard_tekst="deze computer"),
    },
    # issue 19: pre-specified subgroups (effects per instrument x categorie x subgroup; see methoden)
    "subgroepen": {
        "indelingen": Veld("lijst_keuze", _INDELINGEN, "vooraf gekozen subgroepen: statushouders, jongeren (jonger dan "
                                                        "`jong_tot`), speciaal onderwijs, ouderen (`oud_vanaf` en ouder), "
                                                        "trede-band (1-2, 3-4, 5-6), gemeente (bij meer dan één), "
                                                        "loonwaardeband (< 30%, 30-80%, >= 80%; als `clienten` de kolom "
                                                        "`loonwaarde` heeft); `[]` = geen", keuzes=_INDELINGEN),
        "jong_tot": Veld("geheel", 27, "leeftijdsgrens van de subgroep jongeren (in de startmaand)", minimum=16, maximum=67),
        "oud_vanaf": Veld("geheel", 55, "leeftijdsgrens van de subgroep ouderen (in de startmaand)", minimum=16, maximum=67),
        "min_deelnemers": Veld("geheel", 50, "een subgroep wordt alleen geschat als zij en de rest van haar cel elk "
                                             "minstens zoveel deelnemers hebben", minimum=MIN_DREMPEL,
                               waarom="onder de onthullingsdrempel wordt niets gepubliceerd"),
    },
    "benchmark": {
        "vergelijkingsgroep": Veld("keuze", "alle", "methode van de vergelijkingsgroep", keuzes=_METHODEN),
        "k": Veld("geheel", 20, "omvang van de vergelijkingsgroep (gemeenten)", minimum=1, maximum=400),
        "basisjaar": Veld("geheel", 2017, "indexjaar (= 100)", minimum=1990, maximum=2100),
        "referentiejaar": Veld("geheel", None, "jaar waarop gemeenten worden vergeleken", minimum=1990, maximum=2100,
                               standaard_tekst="laatste jaar in de gegevens"),
    },
    # doelmatigheid (issue 18): used only when the data folder holds a kosten table
    "doelmatigheid": {
        "buig_aandeel": Veld("getal", 0.8, "gemeenteperspectief: deel van een bespaarde uitkering dat de gemeente zelf "
                                           "houdt onder het BUIG-verdeelmodel", minimum=0, maximum=1),
        "disconto": Veld("getal", 0.0225, "maatschappelijk perspectief: disconteringsvoet per jaar (MKBA, 2,25%)",
                         minimum=0, maximum=1),
        "horizonnen": Veld("lijst_geheel", (12, 24, 36), "horizonnen (maanden na de start) van de netto besparing",
                           minimum=1, maximum=36),
    },
}

#: The keys of one ``[[doelmatigheid.scenario]]`` table: move participants or budget between two cells.
SCENARIO: dict[str, Veld] = {
    "naam": Veld("tekst", None, "naam van het scenario in het rapport", verplicht=True),
    "van": Veld("tekst", None, 'cel waar deelnemers of budget weggaan: een categorie (`"A"`, alle instrumenten samen) '
                               'of `"instrument x categorie"`', verplicht=True),
    "naar": Veld("tekst", None, "cel waar ze heen gaan (zelfde vorm als `van`)", verplicht=True),
    "deelnemers": Veld("getal", None, "aantal deelnemers dat verschuift (of `budget`)", minimum=0,
                       standaard_tekst="een van deelnemers en budget"),
    "budget": Veld("getal", None, "bedrag in euro dat verschuift (of `deelnemers`)", minimum=0,
                   standaard_tekst="een van deelnemers en budget"),
}

#: The keys of one ``[[doelen]]`` table (a policy target; H6's ``evaluatie.doelen`` checks the indicator name).
DOELEN: dict[str, Veld] = {
    "indicator": Veld("tekst", None, "naam van de indicator (zie `evaluatie benchmark`)", verplicht=True),
    "jaar": Veld("geheel", None, "jaar waarin het doel gehaald moet zijn", verplicht=True, minimum=1990, maximum=2100),
    "streefwaarde": Veld("getal", None, "de beoogde waarde van de indicator", verplicht=True),
    "richting": Veld("keuze", None, "`hoger`: het doel is gehaald bij een waarde >= de streefwaarde; `lager`: bij <=",
                     keuzes=("hoger", "lager"), standaard_tekst="volgt uit de indicator"),
    "label": Veld("tekst", None, "omschrijving in het rapport", standaard_tekst="de indicator"),
}


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
    referentiejaar : int or None
        Year the gemeenten are compared on (None: the last year in the data).
    seed : int
        Seed for everything random (simulation, bootstrap).
    bootstrap : int
        Bootstrap replications.
    drempel : int
        Disclosure threshold (minimum persons per published cell), at least ``MIN_DREMPEL``.
    simuleer : bool
        Write simulated data into ``data`` first (see :func:`controleer_simulatiemap`).
    clienten : int
        Size of the simulated population.
    n_jobs : int
        Processes for the bootstrap.
    duurzaam : tuple of int
        k's (months without a new benefit spell) of the effect on durable exit to werk.
    uitkeringsmaanden : tuple of int
        Horizons (months) of the effect on months on benefit.
    cluster : str or None
        Address of a Dask scheduler (``tcp://host:poort``) for the bootstrap (:mod:`evaluatie.cluster`);
        None: this machine. Changes where the work runs, never the numbers.
    indelingen, jong_tot, oud_vanaf, min_deelnemers
        Section ``[subgroepen]``: the pre-specified subgroups and their thresholds
        (:class:`evaluatie.effecten.subgroepen.Subgroepconfig`).
    doelen : tuple of dict
        The raw ``[[doelen]]`` tables (keys indicator, jaar, streefwaarde and optionally richting, label),
        type-checked only; :mod:`evaluatie.doelen` checks their meaning.
    bron : Path or None
        The TOML file read (not part of the comparison or the manifest).
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
    duurzaam: tuple[int, ...] = (6, 12)
    uitkeringsmaanden: tuple[int, ...] = (12, 24, 36)
    cluster: str | None = None
    indelingen: tuple[str, ...] = _INDELINGEN
    jong_tot: int = 27
    oud_vanaf: int = 55
    min_deelnemers: int = 50
    doelen: tuple[dict, ...] = field(default=(), hash=False)
    doelmatigheid: dict = field(default_factory=dict, hash=False)
    scenarios: tuple[dict, ...] = field(default=(), hash=False)
    bron: Path | None = field(default=None, compare=False)

    def als_dict(self) -> dict[str, Any]:
        """Config as plain JSON-able dict for the manifest (paths relative, no machine-specific parts).

        ``doelen`` is included only when there are any, so manifests (and their hashes) of evaluations
        without targets stay as they were.
        """
        d = {k: getattr(self, k) for k in self.__dataclass_fields__
             if k not in ("bron", "doelen", "doelmatigheid", "scenarios")}
        d["data"] = self.data.name
        d["gemeenten"] = list(self.gemeenten)
        d["periode"] = list(self.periode)
        d["horizonnen"] = list(self.horizonnen)
        d["duurzaam"] = list(self.duurzaam)
        d["uitkeringsmaanden"] = list(self.uitkeringsmaanden)
        d["indelingen"] = list(self.indelingen)
        d["waarnemingsperiode"] = {"start": self.periode[0], "eind": self.periode[1]}
        if self.doelen:
            d["doelen"] = [dict(x) for x in self.doelen]
        if self.cluster is None:  # manifests of local runs stay byte-identical to those before the key existed
            del d["cluster"]
        if self.doelmatigheid or self.scenarios:  # as doelen: absent sections leave manifests as they were
            d["doelmatigheid"] = {**{k: list(v) if isinstance(v, tuple) else v for k, v in self.doelmatigheid.items()},
                                  "scenario": [dict(x) for x in self.scenarios]}
        return d


# -- showing values --------------------------------------------------------------------------------
def toon(waarde: Any, *, max_tekens: int = _MAX_TOON) -> str:
    """A value as it would be written in TOML (strings in double quotes), shortened to ``max_tekens``.

    Control characters are escaped, so a NUL byte or a very long value never reaches the console raw.
    """
    if isinstance(waarde, bool):
        s = "true" if waarde else "false"
    elif isinstance(waarde, str):
        s = re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(waarde, ensure_ascii=False))
    elif isinstance(waarde, (int, float)):
        s = repr(waarde)
    elif isinstance(waarde, (dt.date, dt.time)):
        s = waarde.isoformat()
    elif isinstance(waarde, Mapping):
        s = "{" + ", ".join(f"{k} = {toon(v, max_tekens=max_tekens)}" for k, v in waarde.items()) + "}"
    elif isinstance(waarde, (list, tuple)):
        s = "[" + ", ".join(toon(v, max_tekens=max_tekens) for v in waarde) + "]"
    else:
        s = repr(waarde)
    return s if len(s) <= max_tekens else s[: max_tekens - 1] + "…"


def _hint(sleutel: str, bekend: list[str]) -> str:
    m = difflib.get_close_matches(sleutel, bekend, n=1, cutoff=0.6)
    return f"bedoelt u {m[0]!r}? " if m else ""


# -- checking one value ----------------------------------------------------------------------------
class _Ongeldig(Exception):
    """Internal: the value does not fit; ``args[0]`` optionally says more than the field's expectation."""


def _is_geheel(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _in_bereik(x: float, veld: Veld) -> bool:
    return (veld.minimum is None or x >= veld.minimum) and (veld.maximum is None or x <= veld.maximum)


def _datum(v: Any, veld: Veld) -> str:
    if isinstance(v, dt.datetime) or isinstance(v, dt.time):
        raise _Ongeldig("een datum zonder tijd")
    if isinstance(v, dt.date):
        d = v
    elif isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            d = dt.date.fromisoformat(v)
        except ValueError:
            raise _Ongeldig(f"een bestaande datum, {v} bestaat niet") from None
    else:
        raise _Ongeldig()
    if not _in_bereik(d.year, veld):
        raise _Ongeldig()
    return d.isoformat()


def _controleer(v: Any, veld: Veld) -> Any:
    """The value converted to its Python form, or :class:`_Ongeldig`. No lossy conversion is made."""
    s = veld.soort
    if s in ("tekst", "pad"):
        if not isinstance(v, str) or not v.strip():
            raise _Ongeldig()
        if re.search(r"[\x00-\x1f\x7f]", v):
            raise _Ongeldig(f"{veld.verwacht()} zonder stuurtekens")
        if len(v) > 500:
            raise _Ongeldig(f"{veld.verwacht()} van hoogstens 500 tekens")
        return v
    if s == "bool":
        if not isinstance(v, bool):
            raise _Ongeldig()
        return v
    if s == "geheel":
        if not _is_geheel(v) or not _in_bereik(v, veld):
            raise _Ongeldig()
        return v
    if s == "getal":
        if not (_is_geheel(v) or isinstance(v, float)) or not math.isfinite(v) or not _in_bereik(v, veld):
            raise _Ongeldig()
        return v
    if s == "keuze":
        if not isinstance(v, str) or v not in veld.keuzes:
            raise _Ongeldig()
        return v
    if s == "lijst_geheel":
        if not isinstance(v, list) or not v or not all(_is_geheel(x) and _in_bereik(x, veld) for x in v):
            raise _Ongeldig()
        if len(set(v)) != len(v):
            raise _Ongeldig(f"{veld.verwacht()} (zonder herhalingen)")
        return tuple(v)
    if s == "lijst_keuze":
        if not isinstance(v, list) or not all(isinstance(x, str) and x in veld.keuzes for x in v) or len(set(v)) != len(v):
            raise _Ongeldig()
        return tuple(v)
    if s == "gemeenten":
        lijst = [v] if isinstance(v, str) else v
        if not isinstance(lijst, list) or not lijst or not all(isinstance(g, str) and re.fullmatch(r"GM\d{4}", g) for g in lijst):
            raise _Ongeldig()
        if len(set(lijst)) != len(lijst):
            raise _Ongeldig(f"{veld.verwacht()} (elke gemeente één keer)")
        return tuple(lijst)
    if s == "periode":
        if not isinstance(v, list) or len(v) != 2:
            raise _Ongeldig()
        start, eind = (_datum(x, veld) for x in v)
        if start > eind:
            raise _Ongeldig(f"{veld.verwacht()}; hier ligt start na eind")
        return (start, eind)
    raise AssertionError(s)


def _lees_sectie(sectie: Mapping[str, Any], velden: Mapping[str, Veld], waar: str, fouten: list[str],
                 elders: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Check one table against its fields; append messages to ``fouten``; return the checked values."""
    uit: dict[str, Any] = {}
    for sleutel, waarde in sectie.items():
        if sleutel not in velden:
            if elders and sleutel in elders:
                fouten.append(f"{waar} {sleutel}: hoort niet in {waar} maar in [{elders[sleutel]}]")
            else:
                fouten.append(f"{waar} {sleutel}: onbekende sleutel; {_hint(sleutel, list(velden))}"
                              f"bekende sleutels: {', '.join(velden)}")
            continue
        veld = velden[sleutel]
        try:
            uit[sleutel] = _controleer(waarde, veld)
        except _Ongeldig as e:
            verwacht = e.args[0] if e.args else veld.verwacht()
            extra = ""
            if veld.soort == "keuze" and isinstance(waarde, str) and _hint(waarde, list(veld.keuzes)):
                extra = f" ({_hint(waarde, list(veld.keuzes)).strip()})"
            if veld.waarom and veld.soort == "geheel" and _is_geheel(waarde):
                extra = f" ({veld.waarom})"
            fouten.append(f"{waar} {sleutel}: verwacht {verwacht}, kreeg {toon(waarde)}{extra}")
    for sleutel, veld in velden.items():
        if veld.verplicht and sleutel not in sectie:
            fouten.append(f"{waar} mist verplichte sleutel '{sleutel}': verwacht {veld.verwacht()}")
    return uit


def _standaard(sectie: str, sleutel: str) -> Any:
    return SCHEMA[sectie][sleutel].standaard


def lees_config(pad: str | Path) -> Evaluatieconfig:
    """Read and check an evaluation TOML against :data:`SCHEMA`.

    Parameters
    ----------
    pad : path
        The TOML file.

    Returns
    -------
    Evaluatieconfig
        With ``data`` resolved relative to the file.

    Raises
    ------
    ConfigFout
        Listing every problem found, one per line, each naming the file, section, key, the value found
        and what was expected (e.g. ``x.toml: [effecten] horizonnen: verwacht een lijst van gehele
        getallen 1..36, kreeg "12"``).
    """
    pad = Path(pad)
    try:
        tekst = pad.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows Kladblok) is not an error
    except FileNotFoundError:
        raise ConfigFout(f"{pad}: bestand bestaat niet") from None
    except IsADirectoryError:
        raise ConfigFout(f"{pad}: is een map, verwacht een TOML-bestand") from None
    except UnicodeDecodeError as e:
        raise ConfigFout(f"{pad}: geen UTF-8-tekst (byte {e.start}); sla het bestand op als UTF-8") from None
    except OSError as e:
        raise ConfigFout(f"{pad}: niet te lezen ({e.strerror})") from None
    try:
        raw = tomllib.loads(tekst)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"^(.*?) \(at line (\d+), column (\d+)\)$", str(e))
        waar = f"regel {m.group(2)}, kolom {m.group(3)}: {m.group(1)}" if m else str(e)
        raise ConfigFout(f"{pad}: geen geldige TOML ({waar}); zie de voorbeeldconfiguratie analyses/demo.toml") from None

    fouten: list[str] = []
    elders = {k: s for s, velden in SCHEMA.items() for k in velden}
    waarden: dict[str, dict[str, Any]] = {s: {} for s in SCHEMA}
    doelen: list[dict[str, Any]] = []
    scenarios: list[dict[str, Any]] = []
    bekend = [*SCHEMA, "doelen"]
    for naam, inhoud in raw.items():
        if naam == "doelen":
            doelen = _lees_doelen(inhoud, fouten)
        elif naam in SCHEMA:
            if not isinstance(inhoud, dict):
                fouten.append(f"{naam}: verwacht een sectie [{naam}], kreeg {toon(inhoud)}")
                continue
            if naam == "doelmatigheid" and "scenario" in inhoud:
                inhoud = dict(inhoud)
                scenarios = _lees_scenarios(inhoud.pop("scenario"), fouten)
            waarden[naam] = _lees_sectie(inhoud, SCHEMA[naam], f"[{naam}]", fouten, elders)
        elif not isinstance(inhoud, dict) and naam in elders:
            fouten.append(f"{naam}: staat buiten een sectie; zet het onder [{elders[naam]}]")
        elif not isinstance(inhoud, dict):
            fouten.append(f"{naam}: onbekende sleutel buiten een sectie; {_hint(naam, list(elders))}"
                          f"elke sleutel hoort onder een sectie als [{next(iter(SCHEMA))}]")
        else:
            fouten.append(f"[{naam}]: onbekende sectie; {_hint(naam, bekend)}bekende secties: "
                          + ", ".join(f"[{s}]" for s in SCHEMA) + ", [[doelen]]")
    for naam in SCHEMA:
        if naam not in raw:  # an absent section: its required keys are missing
            _lees_sectie({}, SCHEMA[naam], f"[{naam}]", fouten)
    if fouten:
        raise ConfigFout("\n".join(f"{pad}: {f}" for f in fouten), tuple(f"{pad}: {f}" for f in fouten))

    def w(sectie: str, sleutel: str) -> Any:
        return waarden[sectie].get(sleutel, _standaard(sectie, sleutel))

    data = Path(waarden["data"]["map"])
    if not data.is_absolute():
        data = (pad.parent / data).resolve()
    return Evaluatieconfig(
        naam=w("evaluatie", "naam") or pad.stem, data=data, gemeenten=w("evaluatie", "gemeenten"),
        periode=tuple(w("evaluatie", "periode")), horizonnen=tuple(w("effecten", "horizonnen")),  # type: ignore[arg-type]
        vergelijkingsgroep=w("benchmark", "vergelijkingsgroep"), k=w("benchmark", "k"), basisjaar=w("benchmark", "basisjaar"),
        referentiejaar=w("benchmark", "referentiejaar"), seed=w("evaluatie", "seed"), bootstrap=w("effecten", "bootstrap"),
        drempel=w("evaluatie", "drempel"), simuleer=w("data", "simuleer"), clienten=w("data", "clienten"),
        n_jobs=w("effecten", "n_jobs"), duurzaam=tuple(w("effecten", "duurzaam")),
        uitkeringsmaanden=tuple(w("effecten", "uitkeringsmaanden")), doelen=tuple(doelen), bron=pad,
        cluster=_cluster(w("effecten", "cluster"), pad),
        doelmatigheid=dict(waarden["doelmatigheid"]), scenarios=tuple(scenarios),
        indelingen=tuple(w("subgroepen", "indelingen")), jong_tot=w("subgroepen", "jong_tot"),
        oud_vanaf=w("subgroepen", "oud_vanaf"), min_deelnemers=w("subgroepen", "min_deelnemers"),
    )


def _cluster(adres: str | None, pad: Path) -> str | None:
    """``[effecten] cluster`` checked for its form (a scheduler address); None stays None."""
    if adres is None:
        return None
    from evaluatie.cluster import ClusterFout, controleer_adres

    try:
        return controleer_adres(adres, bron="[effecten] cluster")
    except ClusterFout as e:
        raise ConfigFout(f"{pad}: {e}", (f"{pad}: {e}",)) from None


def _lees_scenarios(inhoud: Any, fouten: list[str]) -> list[dict[str, Any]]:
    """``[[doelmatigheid.scenario]]`` tables, type-checked; exactly one of deelnemers and budget."""
    if not isinstance(inhoud, list) or not all(isinstance(d, dict) for d in inhoud):
        fouten.append(f"doelmatigheid.scenario: verwacht tabellen [[doelmatigheid.scenario]] (elk met naam, van, naar "
                      f"en deelnemers of budget), kreeg {toon(inhoud)}")
        return []
    uit = []
    for i, d in enumerate(inhoud, start=1):
        waar = f"[[doelmatigheid.scenario]] nr. {i}"
        x = _lees_sectie(d, SCENARIO, waar, fouten)
        if ("deelnemers" in d) == ("budget" in d):
            fouten.append(f"{waar}: verwacht precies een van deelnemers en budget")
        uit.append(x)
    return uit


def _lees_doelen(inhoud: Any, fouten: list[str]) -> list[dict[str, Any]]:
    if not isinstance(inhoud, list) or not all(isinstance(d, dict) for d in inhoud):
        fouten.append(f"doelen: verwacht tabellen [[doelen]] (elk met indicator, jaar, streefwaarde), kreeg {toon(inhoud)}")
        return []
    uit = []
    for i, d in enumerate(inhoud, start=1):
        uit.append(_lees_sectie(d, DOELEN, f"[[doelen]] nr. {i}", fouten))
    return uit


# -- the data folder behind `simuleer = true` ------------------------------------------------------
#: What :func:`evaluatie.simulatie.schrijf` writes (six tables, the truth and the metadata), plus the
#: ``manifest.json`` with ``"commando": "simuleer"`` that ``evaluatie simuleer`` adds.
SIMULATIEBESTANDEN = frozenset({"clienten.csv", "kosten.csv", "uitkeringen.csv", "categorieen.csv", "trajecten.csv", "poort.csv",
                                "gemeenten.csv", "truth.json", "metadata.json", "manifest.json"})


def controleer_simulatiemap(pad: str | Path, *, bron: str | Path | None = None) -> None:
    """Refuse to simulate into a folder that holds anything but a previous simulation.

    ``simuleer = true`` writes the simulated tables into ``[data] map``; that must never overwrite a
    user's real tables. Allowed: a folder that does not exist, an empty folder, or one that holds only
    the files :func:`evaluatie.simulatie.schrijf` writes, with its ``truth.json`` (keys ``seed``,
    ``n_clienten``, ``effecten``) and ``metadata.json`` (``waarnemingsperiode``), and optionally the
    ``manifest.json`` of ``evaluatie simuleer`` (``"commando": "simuleer"``) — a previous simulation.
    Call it right before writing the simulation.

    Parameters
    ----------
    pad : path
        The data folder.
    bron : path, optional
        The TOML the folder comes from (named in the message).

    Raises
    ------
    ConfigFout
        Naming the folder, the files that are not from a simulation, and what to do.
    """
    pad = Path(pad)
    waar = f"{bron}: [data] map {pad}" if bron is not None else f"{pad}"
    if not pad.exists():
        return
    if not pad.is_dir():
        raise ConfigFout(f"{waar}: is een bestand, geen map; simuleer = true schrijft een map met tabellen")
    inhoud = sorted(p.name for p in pad.iterdir())
    if not inhoud:
        return
    vreemd = [n for n in inhoud if n not in SIMULATIEBESTANDEN or not (pad / n).is_file()]
    reden = ""
    if vreemd:
        reden = f"bevat bestanden die de simulatie niet schrijft: {', '.join(toon(n) for n in vreemd[:5])}" + (
            f" en nog {len(vreemd) - 5}" if len(vreemd) > 5 else "")
    else:
        controles = [("truth.json", ("seed", "n_clienten", "effecten")), ("metadata.json", ("waarnemingsperiode",))]
        if "manifest.json" in inhoud:
            controles.append(("manifest.json", ("commando",)))
        for naam, sleutels in controles:
            try:
                obj = json.loads((pad / naam).read_text(encoding="utf-8"))
            except FileNotFoundError:
                reden = f"bevat tabellen maar geen {naam}, dus geen eerdere simulatie"
                break
            except (OSError, ValueError):
                reden = f"{naam} is geen leesbare JSON, dus geen eerdere simulatie"
                break
            if not isinstance(obj, dict) or any(k not in obj for k in sleutels):
                reden = f"{naam} is niet door de simulatie geschreven (mist {', '.join(sleutels)})"
                break
            if naam == "manifest.json" and obj["commando"] != "simuleer":
                reden = f"manifest.json is van {toon(obj['commando'])}, niet van een simulatie"
                break
    if reden:
        raise ConfigFout(f"{waar}: {reden}; simuleer = true zou die gegevens overschrijven. Kies een lege of nieuwe map, "
                         "of zet simuleer = false om deze gegevens te analyseren")


# -- documentation ---------------------------------------------------------------------------------
def config_documentatie() -> str:
    """The reference table of every TOML key (Markdown), generated from :data:`SCHEMA` and :data:`DOELEN`.

    ``docs/handleiding.md`` holds this text between ``<!-- config-sleutels -->`` markers; a test checks
    that it is up to date.
    """
    regels = ["| sectie | sleutel | betekenis | waarde | standaard |", "|---|---|---|---|---|"]

    def rij(kop: str, sleutel: str, veld: Veld) -> str:
        if veld.verplicht:
            std = "verplicht"
        elif veld.standaard_tekst is not None:
            std = veld.standaard_tekst
        else:
            std = f"`{toon(list(veld.standaard) if isinstance(veld.standaard, tuple) else veld.standaard)}`"
        uitleg = veld.beschrijving + (f" ({veld.waarom})" if veld.waarom else "")
        return f"| {kop} | `{sleutel}` | {uitleg} | {veld.verwacht()} | {std} |"

    for sectie, velden in SCHEMA.items():
        for i, (sleutel, veld) in enumerate(velden.items()):
            regels.append(rij(f"`[{sectie}]`" if i == 0 else "", sleutel, veld))
    for i, (sleutel, veld) in enumerate(DOELEN.items()):
        regels.append(rij("`[[doelen]]`" if i == 0 else "", sleutel, veld))
    for i, (sleutel, veld) in enumerate(SCENARIO.items()):
        regels.append(rij("`[[doelmatigheid.scenario]]`" if i == 0 else "", sleutel, veld))
    return "\n".join(regels) + "\n"
