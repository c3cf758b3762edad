"""The raad's own goals (``[[doelen]]`` in the evaluation TOML) and whether they were met.

A goal names an indicator, a year, a streefwaarde and optionally a richting (``hoger``: at least the
streefwaarde is good; ``lager``: at most) and a label::

    [[doelen]]
    indicator = "uitstroom_werk_pct"     # see INDICATOREN
    jaar = 2019
    streefwaarde = 12.0                  # in the indicator's unit (here % of the genormeerd aantal)
    richting = "hoger"
    label = "Meer mensen aan het werk"

:func:`lees_doelen` checks the meaning (an unknown indicator is a :class:`~evaluatie.config.ConfigFout`
naming file, field, value and the valid indicators); :func:`evalueer_doelen` gives per goal the realised
value with a 95% interval, the benchmark context (comparison group, Nederland) and a verdict:

- **gehaald**: the whole interval lies on the good side of the streefwaarde;
- **niet gehaald**: the whole interval lies on the wrong side;
- **niet te beoordelen**: the streefwaarde lies within the interval (the difference may be chance), or
  the figure is missing (no data for that year, suppressed, or no analysis of that kind).

Intervals: for the benchmark indicators (a count relative to the genormeerd aantal) an exact Poisson
interval on the count (random variation in a year's flows, as in the funnel plot); for
``toerekenbaar_aandeel`` the bootstrap interval of the effect analysis.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Mapping

import numpy as np
import pandas as pd

Richting = Literal["hoger", "lager"]

#: indicator → (Dutch label, unit, default richting, source)
INDICATOREN: dict[str, tuple[str, str, Richting, str]] = {
    "pct_norm": ("Uitkeringen in % van de norm", "%", "lager", "benchmark"),
    "instroom_pct": ("Instroom in % van de norm", "%", "lager", "benchmark"),
    "uitstroom_pct": ("Uitstroom in % van de norm", "%", "hoger", "benchmark"),
    "uitstroom_werk_pct": ("Uitstroom naar werk in % van de norm", "%", "hoger", "benchmark"),
    "netto_groei_pct": ("Netto groei (instroom − uitstroom) in % van de norm", "%", "lager", "benchmark"),
    "toerekenbaar_aandeel": ("Uitstroom naar werk toe te rekenen aan instrumenten", "%", "hoger", "effecten"),
}
OORDELEN: tuple[str, ...] = ("gehaald", "niet gehaald", "niet te beoordelen")
_TELLER = {"pct_norm": ("feitelijk_aantal",), "instroom_pct": ("instroom",), "uitstroom_pct": ("uitstroom",),
           "uitstroom_werk_pct": ("uitstroom_werk",), "netto_groei_pct": ("instroom", "uitstroom")}


@dataclass(frozen=True)
class Doel:
    """One goal of the raad."""

    indicator: str
    jaar: int
    streefwaarde: float
    richting: Richting
    label: str


@dataclass(frozen=True)
class Doelresultaat:
    """Goals with their realisation.

    Attributes
    ----------
    doelen : tuple of Doel
    rijen : DataFrame
        One row per goal: indicator, label, jaar, streefwaarde, richting, waarde, ci_laag, ci_hoog,
        groep (comparison-group mean), landelijk, oordeel, toelichting.
    """

    doelen: tuple[Doel, ...]
    rijen: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.rijen.copy()

    def summary(self) -> str:
        return "\n".join(f"{r.label} ({r.jaar}): {r.oordeel} — {r.toelichting}" for r in self.rijen.itertuples())


def _fout(bestand: str, veld: str, waarde: Any, verwacht: str) -> Exception:
    from evaluatie.config import ConfigFout

    return ConfigFout(f"{bestand}: [[doelen]] {veld}: waarde {waarde!r}; verwacht {verwacht}")


def lees_doelen(bron: Any) -> tuple[Doel, ...]:
    """The goals of an evaluation, checked for meaning.

    Parameters
    ----------
    bron : Evaluatieconfig, dict or path
        A config (its ``doelen`` when the loader provides them, else ``[[doelen]]`` read from its TOML file
        ``cfg.bron``), the raw TOML as a dict, or the path of the TOML.

    Raises
    ------
    ConfigFout
        Unknown indicator (the message lists the valid ones), a jaar, streefwaarde or richting of the wrong
        kind; naming the file and the field (``doelen[1].indicator``).
    """
    bestand = "configuratie"
    raw: Any = None
    if isinstance(bron, (str, Path)):
        bestand = Path(bron).name
        raw = tomllib.loads(Path(bron).read_text(encoding="utf-8")).get("doelen", [])
    elif isinstance(bron, Mapping):
        raw = bron.get("doelen", [])
    else:
        pad = getattr(bron, "bron", None)
        bestand = Path(pad).name if pad else bestand
        raw = getattr(bron, "doelen", None)
        if raw is None:
            raw = tomllib.loads(Path(pad).read_text(encoding="utf-8")).get("doelen", []) if pad and Path(pad).is_file() else []
    if isinstance(raw, Mapping):
        raw = [raw]
    doelen = []
    for i, d in enumerate(raw, start=1):
        w = f"doelen[{i}]"
        if not isinstance(d, Mapping):
            raise _fout(bestand, w, d, "een tabel met indicator, jaar en streefwaarde")
        ind = d.get("indicator")
        if ind not in INDICATOREN:
            raise _fout(bestand, f"{w}.indicator", ind, "een van " + ", ".join(INDICATOREN))
        jaar = d.get("jaar")
        if isinstance(jaar, bool) or not isinstance(jaar, int) or not 2000 <= jaar <= 2100:
            raise _fout(bestand, f"{w}.jaar", jaar, "een jaartal (2000–2100)")
        sw = d.get("streefwaarde")
        if isinstance(sw, bool) or not isinstance(sw, (int, float)) or not np.isfinite(sw):
            raise _fout(bestand, f"{w}.streefwaarde", sw, f"een getal in {INDICATOREN[ind][1]}")
        richting = d.get("richting", INDICATOREN[ind][2])
        if richting not in ("hoger", "lager"):
            raise _fout(bestand, f"{w}.richting", richting, "hoger of lager")
        onbekend = sorted(set(d) - {"indicator", "jaar", "streefwaarde", "richting", "label"})
        if onbekend:
            raise _fout(bestand, f"{w}.{onbekend[0]}", d[onbekend[0]], "alleen indicator, jaar, streefwaarde, richting, label")
        doelen.append(Doel(ind, int(jaar), float(sw), richting, str(d.get("label") or INDICATOREN[ind][0])))
    return tuple(doelen)


def poisson_interval(k: float, *, niveau: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count ``k``."""
    from scipy.stats import chi2

    a = 1 - niveau
    lo = 0.0 if k <= 0 else chi2.ppf(a / 2, 2 * k) / 2
    hi = chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return float(lo), float(hi)


def oordeel(waarde: float, lo: float, hi: float, streef: float, richting: Richting) -> str:
    """gehaald / niet gehaald / niet te beoordelen (see the module docstring)."""
    if not all(np.isfinite([waarde, lo, hi])):
        return "niet te beoordelen"
    goed_lo, goed_hi = (lo >= streef, hi >= streef) if richting == "hoger" else (hi <= streef, lo <= streef)
    if goed_lo:
        return "gehaald"
    if not goed_hi:
        return "niet gehaald"
    return "niet te beoordelen"


def _benchmark_waarde(bm: Any, d: Doel, methode: str | None) -> tuple[float, float, float, float, float, str]:
    """value, ci, group mean, Nederland, and a note, for a benchmark indicator."""
    nan = float("nan")
    if bm is None:
        return nan, nan, nan, nan, nan, "geen gemeentetabel aangeleverd (benchmark niet gemaakt)"
    ind = bm.indicatoren
    r = ind[(ind["gemeentecode"] == bm.spec.gemeente) & (ind["jaar"] == d.jaar)]
    if r.empty or d.indicator not in r.columns or pd.isna(r.iloc[0][d.indicator]):
        return nan, nan, nan, nan, nan, f"geen cijfer voor {d.jaar}"
    r = r.iloc[0]
    norm = float(r["genormeerd_aantal"])
    waarde = float(r[d.indicator])
    t = _TELLER[d.indicator]
    if len(t) == 1:
        lo, hi = poisson_interval(float(r[t[0]]))
        lo, hi = 100 * lo / norm, 100 * hi / norm
    else:  # difference of two counts: normal approximation, var = a + b
        se = np.sqrt(float(r[t[0]]) + float(r[t[1]])) / norm * 100
        lo, hi = waarde - 1.96 * se, waarde + 1.96 * se
    groep = landelijk = nan
    g = bm.gevoeligheid
    if methode is not None:
        p = g[(g.indicator == d.indicator) & (g.jaar == d.jaar) & (g.methode == methode)]
        if len(p):
            groep, landelijk = float(p.iloc[0].groep_gemiddelde), float(p.iloc[0].landelijk)
    noot = "voorlopig cijfer" if str(r.get("status", "")) == "voorlopig" else ""
    return waarde, lo, hi, groep, landelijk, noot


def evalueer_doelen(doelen: tuple[Doel, ...], *, benchmark: Any = None, populatie: pd.DataFrame | None = None,
                    methode: str | None = None, drempel: int = 10) -> Doelresultaat:
    """Realised value, interval, benchmark context and verdict per goal.

    Parameters
    ----------
    doelen : tuple of Doel
        From :func:`lees_doelen`.
    benchmark : Benchmarkresultaat, optional
        For the benchmark indicators (the focus gemeente's value, the group mean and Nederland).
    populatie : DataFrame, optional
        ``toerekenbaar_aandeel`` row of the effect analysis (schatting, ci_laag, ci_hoog as fractions).
    methode : str, optional
        Comparison-group method for the context (default: ``buig`` if present).
    drempel : int
        Disclosure threshold: a toerekenbaar share resting on fewer exits is not shown.
    """
    if benchmark is not None and methode is None:
        methoden = [g.methode for g in benchmark.groepen]
        methode = "buig" if "buig" in methoden else (methoden[0] if methoden else None)
    rijen = []
    for d in doelen:
        if INDICATOREN[d.indicator][3] == "benchmark":
            w, lo, hi, groep, nl, noot = _benchmark_waarde(benchmark, d, methode)
        else:
            from evaluatie.rapport.secties.populatie import toerekenbaar

            t = toerekenbaar(populatie, drempel)
            groep = nl = float("nan")
            if t is None:
                w = lo = hi = float("nan")
                noot = "geen effectanalyse of te weinig uitstroom naar werk om te tonen"
            else:
                w, lo, hi, noot = 100 * t.schatting, 100 * t.ci_laag, 100 * t.ci_hoog, "over de hele evaluatieperiode"
        o = oordeel(w, lo, hi, d.streefwaarde, d.richting)
        if o == "niet te beoordelen" and np.isfinite(w):
            uitleg = "de streefwaarde ligt binnen de onzekerheidsmarge: het verschil kan toeval zijn"
        elif o == "niet te beoordelen":
            uitleg = noot
        else:
            uitleg = "de hele onzekerheidsmarge ligt " + ("aan de goede kant" if o == "gehaald" else "aan de verkeerde kant") \
                + " van de streefwaarde"
        if noot and np.isfinite(w):
            uitleg += f" ({noot})"
        rijen.append({"indicator": d.indicator, "label": d.label, "jaar": d.jaar, "streefwaarde": d.streefwaarde,
                      "richting": d.richting, "waarde": w, "ci_laag": lo, "ci_hoog": hi, "groep": groep,
                      "landelijk": nl, "oordeel": o, "toelichting": uitleg})
    kol = ["indicator", "label", "jaar", "streefwaarde", "richting", "waarde", "ci_laag", "ci_hoog", "groep", "landelijk",
           "oordeel", "toelichting"]
    return Doelresultaat(doelen=tuple(doelen), rijen=pd.DataFrame(rijen, columns=kol))
