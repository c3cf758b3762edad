"""One evaluation from config to report: (simulate →) validate → effects → benchmark → report → writer.

The one place where the steps (:mod:`evaluatie.stappen`) are composed. Each step returns a result object;
the writer (:mod:`evaluatie.uitvoer`) puts the protected tables and the report in ``publiceerbaar/``,
the full detail in ``intern/``, and the manifest last, all at once.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.deadweight import zin_toerekenbaar
from evaluatie.stappen.effecten import DAGEN_PER_MAAND, uitstroom_curves  # noqa: F401 - re-exported
from evaluatie.stappen.gemeen import Log, stil

__all__ = ["DAGEN_PER_MAAND", "Pijplijnresultaat", "uitstroom_curves", "voer_uit"]


@dataclass(frozen=True)
class Pijplijnresultaat:
    """What one run produced (paths and the in-memory results the report was built from)."""

    out: Path
    rapport: Path
    manifest: dict[str, Any]
    reconciliatie: pd.DataFrame
    effecten: pd.DataFrame | None
    populatie: pd.DataFrame | None
    benchmark: Any
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        regels = [f"Rapport: {self.rapport}"]
        if self.populatie is not None and len(self.populatie):
            r = self.populatie.iloc[0]
            if pd.notna(r.ci_laag) and pd.notna(r.ci_hoog):
                regels.append(zin_toerekenbaar(r.schatting, r.ci_laag, r.ci_hoog))
            else:
                regels.append(f"Toe te rekenen aan instrumenten: {100 * r.schatting:.1f}% (geen 95%-BI berekend: "
                              "bootstrap = 0) van de uitstroom naar werk")
        regels += [f"Let op: {w}" for w in self.waarschuwingen]
        return "\n".join(regels)


def voer_uit(cfg: Evaluatieconfig, out: str | Path, *, log: Log = stil, overschrijf: bool = False,
             commando: str = "rapport", data_in_run: bool = False) -> Pijplijnresultaat:
    """Run the evaluation described by ``cfg`` and write everything under ``out`` (atomically).

    Parameters
    ----------
    cfg : Evaluatieconfig
        The evaluation (see :func:`evaluatie.config.lees_config`).
    out : path
        Output folder: ``publiceerbaar/rapport.html`` and ``publiceerbaar/tabellen/`` (after disclosure
        control), ``intern/`` (full tables, ``validatie/``), ``manifest.json``, ``LEESMIJ.txt``.
    log : callable
        Receives one Dutch progress line per stage.
    overschrijf : bool
        Replace ``out`` even if it holds data that is not a previous run.
    commando : str
        Named in the manifest (``rapport`` or ``demo``).
    data_in_run : bool
        With ``cfg.simuleer``: simulate into the run itself (``OUT/intern/data``, the demo) instead of
        into ``cfg.data``.

    Raises
    ------
    UitvoerFout
        ``out`` overlaps the input or the config file, holds other data, or cannot be written.
    Stapfout
        A step cannot run on the data.
    """
    from evaluatie.stappen.benchmark import Benchmarkconfig, benchmark
    from evaluatie.stappen.effecten import effecten
    from evaluatie.stappen.gemeen import afkeurmelding, client_ids
    from evaluatie.stappen.valideren import Validatieconfig, valideer
    from evaluatie.uitvoer import Schrijfmap

    from evaluatie.doelen import lees_doelen

    lees_doelen(cfg)  # an unknown indicator in [[doelen]] stops the run before any work, not after the analysis
    out = Path(out)
    invoer = [p for p in (getattr(cfg, "bron", None),) if p is not None]
    if not (cfg.simuleer and data_in_run):
        invoer.append(cfg.data)
    waarschuwingen: list[str] = []
    with Schrijfmap(out, commando, invoer=invoer, overschrijf=overschrijf, ook=("rapport", "demo")) as s:
        data = cfg.data
        if cfg.simuleer:
            log(f"Simuleren: {cfg.clienten} cliënten, seed {cfg.seed} → "
                f"{s.definitief('intern/data') if data_in_run else cfg.data}")
            if data_in_run:
                from evaluatie.simulatie import schrijf, simuleer

                data = s.map("intern/data")
                schrijf(simuleer(seed=cfg.seed, n_clienten=cfg.clienten), data)
                cfg = dataclasses.replace(cfg, data=s.definitief("intern/data"))
            else:
                from evaluatie.config import controleer_simulatiemap
                from evaluatie.stappen.simuleren import simuleer_naar

                controleer_simulatiemap(cfg.data, bron=cfg.bron)  # never over a user's real tables
                simuleer_naar(cfg.data, seed=cfg.seed, clienten=cfg.clienten)
        log(f"Valideren: {cfg.data}")
        val = valideer(Path(data), Validatieconfig(waarnemingsperiode=cfg.periode))
        if (m := afkeurmelding(val)) is not None:
            waarschuwingen.append(m.removeprefix("Let op: "))
        tab = val.geaccepteerd
        from evaluatie.stappen.doelmatigheid import doelmatigheid, instellingen, lees_kostentabel, met_doelmatigheid

        kosten = lees_kostentabel(val, Path(data), log=log)  # optional kosten.csv (issue 18)
        dm_cfg = instellingen(cfg.doelmatigheid, cfg.scenarios)

        eff = None
        if "uitkeringen" in tab and "clienten" in tab:
            from evaluatie.effecten import Effectconfig
            from evaluatie.effecten.subgroepen import Subgroepconfig

            ecfg = Effectconfig(horizonnen=tuple(sorted(set(cfg.horizonnen))), bootstrap=cfg.bootstrap, seed=cfg.seed,
                                n_jobs=cfg.n_jobs, duurzaam=tuple(sorted(set(cfg.duurzaam))),
                                uitkeringsmaanden=tuple(sorted(set(cfg.uitkeringsmaanden))),
                                subgroepen=Subgroepconfig(indelingen=tuple(cfg.indelingen), jong_tot=cfg.jong_tot,
                                                          oud_vanaf=cfg.oud_vanaf, min_deelnemers=cfg.min_deelnemers))
            from evaluatie.cluster import verbind

            with verbind(cfg.cluster, bron="[effecten] cluster"):
                eff = effecten(val, ecfg, trajecten_verplicht=False, log=log, bron=cfg.data)
        bm = None
        if "gemeenten" in tab:
            log(f"Benchmark: {cfg.gemeenten[0]} tegen vergelijkbare gemeenten")
            methoden = ("buig", "structureel", "synthetisch") if cfg.vergelijkingsgroep == "alle" else (cfg.vergelijkingsgroep,)
            bm = benchmark(val, Benchmarkconfig(gemeente=cfg.gemeenten[0], methoden=methoden, k=cfg.k,
                                                referentiejaar=cfg.referentiejaar, basisjaar=cfg.basisjaar),
                           streng=False)

        dm = doelmatigheid(eff, kosten, val, dm_cfg, drempel=cfg.drempel, log=log)
        u = met_doelmatigheid(_uitvoer(cfg, val, eff, bm, commando, client_ids(val)), dm)
        manifest = u.manifest_kern()
        log("Rapport samenstellen")
        from evaluatie.stappen.rapport import rapport

        # the report's counts and the tables published next to it are protected in one system; the writer
        # protects and checks the tables again (it can only suppress more)
        rs = rapport(cfg, val=val, effecten=eff, benchmark=bm, manifest=manifest, client_ids=u.client_ids,
                     mee=u.publiceerbaar, doelmatigheid=dm)
        publ = {k: (rs.tabellen.get(k, df), spec) for k, (df, spec) in u.publiceerbaar.items()}
        g = s.schrijf(dataclasses.replace(u, publiceerbaar=publ,
                                          bestanden={**u.bestanden, "publiceerbaar/rapport.html": rs.html}))
    res = None if eff is None else eff.resultaat
    return Pijplijnresultaat(out, g.rapport, g.manifest, val.reconciliatie(), None if res is None else res.to_frame(),
                             None if res is None else res.populatie, None if bm is None else bm.resultaat,
                             tuple(waarschuwingen))


def _uitvoer(cfg: Evaluatieconfig, val: Any, eff: Any, bm: Any, commando: str, ids: tuple[str, ...]) -> Any:
    from evaluatie.stappen.rapport import BENCHMARK_SPEC
    from evaluatie.uitvoer import Uitvoer

    publ: dict[str, Any] = {} if eff is None else eff.publiceerbaar(cfg.drempel)
    intern: dict[str, pd.DataFrame] = {} if eff is None else eff.intern()
    if bm is not None:
        publ["benchmark"] = (bm.resultaat.to_frame(), BENCHMARK_SPEC)
        intern["benchmark"] = bm.resultaat.to_frame()
    from evaluatie.stappen.gemeen import gemeenten

    extra: dict[str, Any] = {"gemeenten": gemeenten(val)}
    if eff is not None and eff.resultaat is not None:
        r = eff.resultaat
        extra.update(n_clienten=r.n_clienten, n_persoonmaanden=r.n_persoonmaanden, n_deelnemers=r.n_deelnemers,
                     waarschuwingen=list(eff.waarschuwingen))
    return Uitvoer(commando=commando, inputs=dict(val.invoer), config=cfg.als_dict(), seed=cfg.seed,
                   publiceerbaar=publ, intern=intern, validatie=val, client_ids=ids, drempel=cfg.drempel, extra=extra)
