"""One evaluation from config to report: (simulate →) validate → prepare → analyse → benchmark → report.

The one place where the stages meet. Each stage is a library call; results flow one way and are written
to the output folder as tidy tables next to the report, so everything in the report can be traced back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.deadweight import zin_toerekenbaar
from evaluatie.manifest import build_manifest, input_hashes, write_manifest

Log = Callable[[str], None]


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
            regels.append(zin_toerekenbaar(r.schatting, r.ci_laag, r.ci_hoog))
        regels += [f"Let op: {w}" for w in self.waarschuwingen]
        return "\n".join(regels)


def _schrijf_tabel(df: pd.DataFrame, pad: Path) -> None:
    df.to_csv(pad.with_suffix(".csv"), index=False, float_format="%.10g", lineterminator="\n")
    df.to_parquet(pad.with_suffix(".parquet"), index=False)


def _invoerbestanden(map_: Path) -> list[Path]:
    return sorted(p for p in map_.iterdir() if p.is_file() and p.suffix in (".csv", ".parquet", ".xlsx", ".json") and p.name != "truth.json")


def voer_uit(cfg: Evaluatieconfig, out: str | Path, *, log: Log = lambda s: None) -> Pijplijnresultaat:
    """Run the evaluation described by ``cfg`` and write everything under ``out``.

    Parameters
    ----------
    cfg : Evaluatieconfig
        The evaluation (see :func:`evaluatie.config.lees_config`).
    out : path
        Output folder: ``rapport.html``, ``manifest.json``, ``tabellen/`` (everything the report shows),
        ``validatie/`` (accepted/rejected rows, findings).
    log : callable
        Receives one Dutch progress line per stage.
    """
    from evaluatie.benchmark import benchmark
    from evaluatie.validatie import valideer_map

    out = Path(out)
    (out / "tabellen").mkdir(parents=True, exist_ok=True)
    waarschuwingen: list[str] = []

    if cfg.simuleer:
        from evaluatie.config import controleer_simulatiemap
        from evaluatie.simulatie import schrijf, simuleer

        controleer_simulatiemap(cfg.data, bron=cfg.bron)  # never over a user's real tables
        log(f"Simuleren: {cfg.clienten} cliënten, seed {cfg.seed} → {cfg.data}")
        schrijf(simuleer(seed=cfg.seed, n_clienten=cfg.clienten), cfg.data)

    log(f"Valideren: {cfg.data}")
    val = valideer_map(cfg.data, waarnemingsperiode=cfg.periode)
    val.schrijf(out / "validatie")
    rec = val.reconciliatie()
    tabellen = val.geaccepteerd
    if val.heeft_afkeuringen:
        waarschuwingen.append(f"{int(rec['afgekeurd'].sum())} rijen afgekeurd; zie {out / 'validatie'}")
    bevindingen_telling = _telling(val)

    res = curves = effecten = None
    if "uitkeringen" in tabellen and "clienten" in tabellen:
        res, curves = _effecten(tabellen, cfg, log)
    if res is not None:
        effecten = res.to_frame()
        for naam, df in (("effecten", effecten), ("populatie", res.populatie), ("gevoeligheid", res.gevoeligheid),
                         ("populatie_per_gemeente", res.per_gemeente)):
            _schrijf_tabel(df, out / "tabellen" / naam)

    bm = None
    if "gemeenten" in tabellen:
        log(f"Benchmark: {cfg.gemeenten[0]} tegen vergelijkbare gemeenten")
        methoden = ("buig", "structureel", "synthetisch") if cfg.vergelijkingsgroep == "alle" else (cfg.vergelijkingsgroep,)
        bm = benchmark(tabellen["gemeenten"], tabellen.get("poort"), gemeente=cfg.gemeenten[0], methoden=methoden,
                       k=cfg.k, referentiejaar=cfg.referentiejaar, basisjaar=cfg.basisjaar)
        _schrijf_tabel(bm.to_frame(), out / "tabellen" / "benchmark")

    inputs = input_hashes(_invoerbestanden(cfg.data), root=cfg.data)
    manifest = build_manifest(inputs=inputs, config=cfg.als_dict(), seed=cfg.seed)
    write_manifest(out / "manifest.json", manifest)

    log("Rapport samenstellen")
    from evaluatie.rapport.html import render_html
    from evaluatie.rapport.secties import bouw_inhoud

    inhoud = bouw_inhoud(cfg, manifest=manifest, reconciliatie=rec, bevindingen_telling=bevindingen_telling,
                         benchmark=bm, effecten=effecten, populatie=None if res is None else res.populatie,
                         uitstroom_curves=curves, gevoeligheid=None if res is None else res.gevoeligheid,
                         toerekenbaar_per_gemeente=None if res is None else res.per_gemeente)
    ids = tabellen["clienten"]["client_id"].astype(str) if "clienten" in tabellen else []
    html = render_html(inhoud, client_ids=ids)
    rapport = out / "rapport.html"
    rapport.write_text(html, encoding="utf-8")
    return Pijplijnresultaat(out, rapport, manifest, rec, effecten, None if res is None else res.populatie, bm,
                             tuple(waarschuwingen))


def _telling(val: Any) -> pd.DataFrame:
    b = val.bevindingen
    if b is None or b.empty:
        return pd.DataFrame(columns=["tabel", "regel", "aantal"])
    kol = "tabel" if "tabel" in b.columns else "bestand"
    t = b.groupby([kol, "regel"], sort=True).size().rename("aantal").reset_index()
    return t.rename(columns={kol: "tabel"})


DAGEN_PER_MAAND = 365.25 / 12


def uitstroom_curves(rijen: pd.DataFrame) -> pd.DataFrame:
    """Cumulative incidence of exit to work (Aalen-Johansen, other exits competing) by categorie.

    The group is the categorie on the spell's first observed row, so a spell stays on one curve even
    when its categorie changes later. Time in months since the start of the uitkering.
    """
    from evaluatie.prepare.codes import WERK
    from evaluatie.survival import cumulative_incidence

    eerste = rijen.sort_values(["spell_id", "start"], kind="mergesort").groupby("spell_id", sort=False)["categorie"].first()
    r = rijen.assign(categorie_start=rijen["spell_id"].map(eerste).astype("string").fillna("onbekend"))
    cif = cumulative_incidence(r, start="start", stop="stop", event="status", cause=WERK, group="categorie_start")
    f = cif.to_frame().rename(columns={"cif": "estimate", "ci_laag": "ci_lower", "ci_hoog": "ci_upper"})  # report's curve contract
    f["time"] = f["time"] / DAGEN_PER_MAAND
    return f[["group", "time", "n_risk", "n_event", "estimate", "se", "ci_lower", "ci_upper"]]


def _effecten(tabellen: dict[str, pd.DataFrame], cfg: Evaluatieconfig, log: Log) -> tuple[Any, pd.DataFrame]:
    """The effect estimates (an ``Effectresultaat``, None without trajecten) and exit-to-work curves by categorie."""
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden, telproces

    log("Voorbereiden: telprocesrijen en uitstroomcurves per categorie")
    rijen = telproces(tabellen, waarnemingsperiode=cfg.periode)
    curves = uitstroom_curves(rijen)
    if "trajecten" not in tabellen or tabellen["trajecten"].empty:
        log("Geen trajecten: effecten per instrument worden overgeslagen")
        return None, curves
    log(f"Effecten per instrument x categorie (g-formule en risicoset-weging, {cfg.bootstrap} bootstrapreplicaties)")
    pm = persoonmaanden(tabellen, waarnemingsperiode=cfg.periode)
    res = schat_effecten(pm, Effectconfig(horizonnen=tuple(sorted(set(cfg.horizonnen))), bootstrap=cfg.bootstrap,
                                          seed=cfg.seed, n_jobs=cfg.n_jobs))
    return res, curves
