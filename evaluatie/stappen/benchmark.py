"""Step *benchmark*: normed comparison of one gemeente with comparable gemeenten."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from evaluatie.stappen.gemeen import Stapfout
from evaluatie.uitvoer import Tabelspec, Uitvoer

MAX_BEVINDINGEN = 8

#: Gemeente-level statistics; the only person counts are the poort's meldingen and toekenningen.
SPECS: dict[str, Tabelspec] = {
    "preventiequotum": Tabelspec(aantallen=("meldingen", "toekenningen")),
    "maandreeksen": Tabelspec(),
}


@dataclass(frozen=True)
class Benchmarkconfig:
    """The options of :func:`evaluatie.benchmark.benchmark`."""

    gemeente: str
    methoden: tuple[str, ...] = ("buig", "structureel", "synthetisch")
    k: int = 20
    referentiejaar: int | None = None
    basisjaar: int = 2017
    snijjaar: int | None = None
    kenmerken: tuple[str, ...] = ()
    overdispersie: str = "additief"


@dataclass(frozen=True)
class Benchmarkstap:
    """The :class:`Benchmarkresultaat` and the step's warnings (e.g. rejected poort rows)."""

    resultaat: Any
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def tabellen(self) -> dict[str, pd.DataFrame]:
        """All benchmark tables by name."""
        from evaluatie.benchmark.indicatoren import lang

        r = self.resultaat
        t = {"indicatoren": lang(r.indicatoren),
             "landelijk": r.landelijk.melt(id_vars="jaar", var_name="grootheid", value_name="waarde"),
             "vergelijkingsgroepen": pd.concat([g.to_frame() for g in r.groepen], ignore_index=True)}
        synth = [g for g in r.groepen if g.pad is not None]
        if synth:
            t["synthetisch_pad"] = synth[0].pad.assign(rmspe_voor=synth[0].rmspe_voor, rmspe_na=synth[0].rmspe_na)
        t["gevoeligheid"] = r.gevoeligheid
        t["index"] = r.index
        if not r.trechters.empty:
            t["trechter"] = r.trechters
            t["trechter_parameters"] = r.trechter_parameters
        if r.preventie is not None:
            t["preventiequotum"] = r.preventie
        if r.maand.beschikbaar:
            t["maandreeksen"] = r.maand.tabel
        return {k: v.reset_index(drop=True) for k, v in t.items()}

    def summary(self) -> str:
        return "\n".join([*self.waarschuwingen, self.resultaat.summary()])


def _bevindingen_tekst(val: Any, tabel: str) -> str:
    bev = val.bevindingen
    if bev is None or len(bev) == 0:
        return ""
    if "bestand" in bev.columns:
        bev = bev[bev["bestand"].astype(str).str.contains(tabel, regex=False)] if tabel else bev
    regels = [f"  {b.get('bestand', '')}, rij {b.get('rij', '')}, veld {b.get('veld', '')}, "
              f"waarde {b.get('waarde', '')!r}: {b.get('melding', '')}" for _, b in bev.head(MAX_BEVINDINGEN).iterrows()]
    if len(bev) > MAX_BEVINDINGEN:
        regels.append(f"  … en nog {len(bev) - MAX_BEVINDINGEN} bevinding(en)")
    return "\n".join(regels)


def _fout_met_rijen(e: Any, gem: pd.DataFrame, bronrijen: Any, bestand: str) -> str:
    """The benchmark's message, prefixed with the file and followed by the file rows it is about."""
    tekst = f"{bestand}: {e}"
    if not e.plaatsen or bronrijen is None or len(bronrijen) != len(gem):
        return tekst
    rij_van: dict[tuple[str, int], list[int]] = {}
    for k, r in zip(zip(gem["gemeentecode"].astype(str), gem["jaar"].astype(int)), bronrijen):
        rij_van.setdefault(k, []).append(int(r))
    veld = f", veld {e.veld}" if e.veld else ""
    regels = [f"  {bestand}, rij {', '.join(map(str, rij_van.get(p, [])))}{veld}: {p[0]}, {p[1]}"
              for p in sorted(set(e.plaatsen), key=lambda p: min(rij_van.get(p, [0])))]
    extra = len(regels) - MAX_BEVINDINGEN
    regels = regels[:MAX_BEVINDINGEN] + ([f"  … en nog {extra}"] if extra > 0 else [])
    return tekst + "\n" + "\n".join(regels)


def benchmark(val: Any, cfg: Benchmarkconfig, *, streng: bool = True) -> Benchmarkstap:
    """Run the benchmark on validated gemeenten (and poort) tables.

    ``streng``: a rejected gemeenten row is an error (the benchmark needs every gemeente in every year);
    otherwise rejected rows are only noted.
    """
    from evaluatie.benchmark import BenchmarkFout
    from evaluatie.benchmark import benchmark as _benchmark

    bestand = val.bestanden.get("gemeenten", "gemeenten")
    gem = val.geaccepteerd.get("gemeenten")
    af = val.afgekeurd.get("gemeenten")
    if streng and af is not None and len(af):
        raise Stapfout(f"{len(af)} rij(en) van {bestand} afgekeurd; de benchmark vraagt elke gemeente in elk jaar, "
                       f"dus eerst herstellen:\n{_bevindingen_tekst(val, 'gemeenten')}")
    if gem is None or gem.empty:
        raise Stapfout(f"geen geaccepteerde rijen in {bestand}")
    meldingen = []
    if val.afgekeurd.get("poort") is not None and len(val.afgekeurd["poort"]):
        meldingen.append(f"Let op: {len(val.afgekeurd['poort'])} rij(en) van poort afgekeurd bij validatie en niet gebruikt.")
    try:
        r = _benchmark(gem, val.geaccepteerd.get("poort"), gemeente=cfg.gemeente, methoden=cfg.methoden, k=cfg.k,
                       referentiejaar=cfg.referentiejaar, basisjaar=cfg.basisjaar, snijjaar=cfg.snijjaar,
                       kenmerken=list(cfg.kenmerken) or None, overdispersie=cfg.overdispersie)
    except BenchmarkFout as e:
        raise Stapfout(_fout_met_rijen(e, gem, val.bronrijen.get("gemeenten"), bestand)) from None
    return Benchmarkstap(r, tuple(meldingen))


def uitvoer_benchmark(stap: Benchmarkstap, val: Any, *, drempel: int = 10) -> Uitvoer:
    """Benchmark tables (gemeente-level) and figures published; full tables also intern (with Parquet)."""
    from evaluatie.benchmark.analyse import spec_dict
    from evaluatie.benchmark.figuren import alle_figuren, bewaar

    tabellen = stap.tabellen()
    figuren = alle_figuren(stap.resultaat)

    def _fig(naam: str):
        def maak(_: Mapping[str, pd.DataFrame], pad: Path) -> None:
            bewaar(figuren[naam], pad)
        return maak

    return Uitvoer(commando="benchmark", inputs=dict(val.invoer), config=spec_dict(stap.resultaat.spec), seed=None,
                   publiceerbaar={k: (v, SPECS.get(k, Tabelspec())) for k, v in tabellen.items()}, intern=tabellen,
                   afgeleid={f"{n}.png": _fig(n) for n in figuren},
                   bestanden={"publiceerbaar/samenvatting.txt": stap.summary() + "\n"}, validatie=val,
                   drempel=drempel)
