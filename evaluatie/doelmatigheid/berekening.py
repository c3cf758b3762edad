"""Net saving, terugverdientijd and cost per extra exit per cell and pooled, both perspectives, from the
bootstrap replicates of the effects (:meth:`Effectresultaat.reeks`); scenarios and the sensitivity table
use the same replicates, so every interval is joint across cells.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from evaluatie.doelmatigheid import rekenen
from evaluatie.doelmatigheid.instellingen import Doelmatigheidsconfig, Scenario
from evaluatie.doelmatigheid.kosten import Kosten
from evaluatie.doelmatigheid.resultaat import Doelmatigheidsresultaat

PERSPECTIEVEN = ("gemeente", "maatschappij")


class Reeksbron(Protocol):
    """What doelmatigheid needs of an effect result (``Effectresultaat`` satisfies it)."""

    def cellen(self) -> list[tuple[str, str, int]]: ...

    def reeks(self, instrument: str, categorie: str, grootheid: str, methode: str = "gformule") -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Cel:
    """Curves (row 0 = point estimate, rows 1.. = replicates; columns months 1..H) and cost of one cell."""

    instrument: str
    categorie: str
    n: int
    kosten: float
    maanden: np.ndarray
    att: np.ndarray
    duurzaam: np.ndarray | None

    def besparing(self, perspectief: str, uitkering: float, cfg: Doelmatigheidsconfig, *,
                  disconto: float | None = None) -> np.ndarray:
        if perspectief == "gemeente":
            return rekenen.besparing(self.maanden, uitkering, aandeel=cfg.buig_aandeel)
        return rekenen.besparing(self.maanden, uitkering, disconto=cfg.disconto if disconto is None else disconto)


def _stapel(bron: Reeksbron, i: str, c: str, grootheid: str, methode: str) -> np.ndarray:
    p, r = bron.reeks(i, c, grootheid, methode)
    return np.vstack([np.asarray(p, dtype=float)[None, :], np.asarray(r, dtype=float).reshape(-1, len(p))])


def celkosten(bron: Reeksbron, kosten: Kosten, *, trajectduur: dict[str, float],
              per_jaar: dict[str, dict[int, int]]) -> dict[tuple[str, str], float]:
    """Cost per participant of every cell: instrument cost plus uitvoering (spread over the participants
    of its categorie, rows without categorie over all participants); pooled cells: the participant-
    weighted mean of their instrument cells.

    Raises
    ------
    KeyError
        An estimated instrument has no cost row (message names it).
    """
    cellen = [(i, c, n) for i, c, n in bron.cellen() if i != "alle"]
    ontbreekt = sorted({i for i, _, _ in cellen if not (kosten.tabel["instrument"] == i).fillna(False).any()})
    if ontbreekt:
        raise KeyError("geen kosten voor instrument(en) " + ", ".join(ontbreekt)
                       + " in " + kosten.bestand + " (post = instrument)")
    n_cat: dict[str, int] = {}
    for _, c, n in cellen:
        n_cat[c] = n_cat.get(c, 0) + n
    n_alle = sum(n_cat.values())
    algemeen = kosten.uitvoering_totaal(None) / n_alle if n_alle else 0.0
    uit: dict[tuple[str, str], float] = {}
    for i, c, n in cellen:
        k = kosten.per_deelnemer(i, c, trajectduur=trajectduur.get(i, 0.0), n_per_jaar=per_jaar.get(i, {}))
        uit[(i, c)] = k + algemeen + (kosten.uitvoering_totaal(c) / n_cat[c] if n_cat.get(c) else 0.0)
    for i, c, _ in bron.cellen():
        if i == "alle":
            leden = [(uit[(a, b)], n) for a, b, n in cellen if c in ("alle", b)]
            tot = sum(n for _, n in leden)
            uit[(i, c)] = float(sum(k * n for k, n in leden) / tot) if tot else np.nan
    return uit


def bereken(bron: Reeksbron, kosten: Kosten, cfg: Doelmatigheidsconfig, *, trajectduur: dict[str, float] | None = None,
            per_jaar: dict[str, dict[int, int]] | None = None, duurzaam_ks: tuple[int, ...] = (),
            drempel: int = 10) -> Doelmatigheidsresultaat:
    """Doelmatigheid of every cell of ``bron``.

    Parameters
    ----------
    bron : Effectresultaat (or anything with ``cellen()`` and ``reeks()``)
    kosten : Kosten
    cfg : Doelmatigheidsconfig
    trajectduur, per_jaar : dict
        Mean months in the instrument and trajecten per start year, per instrument (for costs per maand
        and per year; :func:`evaluatie.doelmatigheid.kosten.trajectgegevens`).
    duurzaam_ks : tuple of int
        k of the durable-exit curves available in ``bron``.
    drempel : int
        Cells with fewer participants are marked (never published).
    """
    K = celkosten(bron, kosten, trajectduur=trajectduur or {}, per_jaar=per_jaar or {})
    U = kosten.uitkering_per_maand()
    k_duur = cfg.duurzaam if cfg.duurzaam is not None else (min(duurzaam_ks) if duurzaam_ks else None)
    cellen: list[Cel] = []
    for i, c, n in bron.cellen():
        m = -_stapel(bron, i, c, "uitkeringsmaanden_verschil", cfg.methode)
        a = _stapel(bron, i, c, "att", cfg.methode)
        d = _stapel(bron, i, c, f"att_duurzaam_{k_duur}", cfg.methode) if k_duur is not None else None
        cellen.append(Cel(i, c, int(n), float(K[(i, c)]), m, a, d))
    H = cellen[0].maanden.shape[1] if cellen else 0
    horizonnen = tuple(h for h in cfg.horizonnen if h <= H)
    return Doelmatigheidsresultaat(
        cellen=_celtabel(cellen, U, cfg, horizonnen, drempel),
        terugverdientijd=_terugverdien(cellen, U, cfg, H, drempel),
        scenarios=_scenarios(cellen, U, cfg, horizonnen),
        gevoeligheid=_gevoeligheid(cellen, U, cfg, horizonnen, drempel),
        uitkering_per_maand=U, config=cfg, duurzaam_k=k_duur, H=H)


def _celtabel(cellen: list[Cel], U: float, cfg: Doelmatigheidsconfig, horizonnen: tuple[int, ...],
              drempel: int) -> pd.DataFrame:
    rijen = []
    for cel in cellen:
        for p in PERSPECTIEVEN:
            s = cel.besparing(p, U, cfg)
            for h in horizonnen:
                net = rekenen.netto(s, cel.kosten, h)
                n_pt, n_lo, n_hi, kans = rekenen.samenvatting(net[0], net[1:])
                tot = rekenen.samenvatting(net[0] * cel.n, net[1:] * cel.n)
                mb = rekenen.samenvatting(cel.maanden[0, h - 1], cel.maanden[1:, h - 1])
                kpe = rekenen.kosten_per_extra(cel.kosten, cel.att[:, h - 1])
                kpd = (rekenen.kosten_per_extra(cel.kosten, cel.duurzaam[:, h - 1]) if cel.duurzaam is not None
                       else np.full(cel.att.shape[0], np.nan))
                rijen.append({
                    "instrument": cel.instrument, "categorie": cel.categorie, "perspectief": p, "horizon": h,
                    "n_deelnemers": cel.n, "kosten_per_deelnemer": cel.kosten,
                    "maanden_bespaard": mb[0], "maanden_bespaard_ci_laag": mb[1], "maanden_bespaard_ci_hoog": mb[2],
                    "besparing_per_deelnemer": float(s[0, h - 1]),
                    "netto_per_deelnemer": n_pt, "ci_laag": n_lo, "ci_hoog": n_hi, "kans_positief": kans,
                    "netto_totaal": tot[0], "netto_totaal_ci_laag": tot[1], "netto_totaal_ci_hoog": tot[2],
                    "kosten_per_extra_uitstroom": float(kpe[0]),
                    "kosten_per_extra_uitstroom_ci_laag": _q(kpe[1:], 0.025),
                    "kosten_per_extra_uitstroom_ci_hoog": _q(kpe[1:], 0.975),
                    "kosten_per_extra_duurzaam": float(kpd[0]),
                    "kosten_per_extra_duurzaam_ci_laag": _q(kpd[1:], 0.025),
                    "kosten_per_extra_duurzaam_ci_hoog": _q(kpd[1:], 0.975),
                    "klein": cel.n < drempel,
                })
    return pd.DataFrame(rijen)


def _q(x: np.ndarray, p: float) -> float:
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if not x.size:
        return np.nan
    with np.errstate(invalid="ignore"):  # inf (no extra exit) in the replicates: the bound is inf
        q = float(np.quantile(x, p))
    return np.inf if np.isnan(q) else q


def _terugverdien(cellen: list[Cel], U: float, cfg: Doelmatigheidsconfig, H: int, drempel: int) -> pd.DataFrame:
    rijen = []
    for cel in cellen:
        for p in PERSPECTIEVEN:
            t = rekenen.terugverdientijd(cel.besparing(p, U, cfg), cel.kosten)
            reps = t[1:]
            rijen.append({"instrument": cel.instrument, "categorie": cel.categorie, "perspectief": p,
                          "kosten_per_deelnemer": cel.kosten, "terugverdientijd": float(t[0]),
                          "binnen_horizon": bool(np.isfinite(t[0])), "horizon": H,
                          "kans_terugverdiend": float(np.mean(np.isfinite(reps))) if reps.size else np.nan,
                          "klein": cel.n < drempel})
    return pd.DataFrame(rijen)


def _zoek(cellen: list[Cel], sleutel: tuple[str, str], naam: str) -> Cel:
    for c in cellen:
        if (c.instrument, c.categorie) == tuple(sleutel):
            return c
    raise KeyError(f"scenario {naam!r}: geen geschatte cel {sleutel[0]} x {sleutel[1]}; geldig: "
                   + ", ".join(f"{c.instrument} x {c.categorie}" for c in cellen))


def _scenarios(cellen: list[Cel], U: float, cfg: Doelmatigheidsconfig, horizonnen: tuple[int, ...]) -> pd.DataFrame:
    rijen = []
    for sc in cfg.scenarios:
        a, b = _zoek(cellen, sc.van, sc.naam), _zoek(cellen, sc.naar, sc.naam)
        n_a = sc.deelnemers if sc.deelnemers is not None else sc.budget / a.kosten
        n_b = sc.deelnemers if sc.deelnemers is not None else sc.budget / b.kosten
        for h in horizonnen:
            grootheden: dict[str, np.ndarray] = {
                "extra_uitstroom_werk": n_b * b.att[:, h - 1] - n_a * a.att[:, h - 1],
                "uitkeringsmaanden": -(n_b * b.maanden[:, h - 1] - n_a * a.maanden[:, h - 1]),
                "extra_kosten_instrument": np.full(a.att.shape[0], n_b * b.kosten - n_a * a.kosten),
            }
            if a.duurzaam is not None and b.duurzaam is not None:
                grootheden["extra_duurzaam_werk"] = n_b * b.duurzaam[:, h - 1] - n_a * a.duurzaam[:, h - 1]
            for p in PERSPECTIEVEN:
                grootheden[f"netto_besparing_{p}"] = (n_b * rekenen.netto(b.besparing(p, U, cfg), b.kosten, h)
                                                      - n_a * rekenen.netto(a.besparing(p, U, cfg), a.kosten, h))
            for g, x in grootheden.items():
                pt, lo, hi, kans = rekenen.samenvatting(x[0], x[1:])
                rijen.append({"scenario": sc.naam, "van": " x ".join(sc.van), "naar": " x ".join(sc.naar),
                              "deelnemers_van": n_a, "deelnemers_naar": n_b, "budget": sc.budget, "horizon": h,
                              "grootheid": g, "schatting": pt, "ci_laag": lo, "ci_hoog": hi, "kans_positief": kans,
                              "klein": min(a.n, b.n) < 10})
    return pd.DataFrame(rijen, columns=["scenario", "van", "naar", "deelnemers_van", "deelnemers_naar", "budget",
                                        "horizon", "grootheid", "schatting", "ci_laag", "ci_hoog", "kans_positief",
                                        "klein"])


def _gevoeligheid(cellen: list[Cel], U: float, cfg: Doelmatigheidsconfig, horizonnen: tuple[int, ...],
                  drempel: int) -> pd.DataFrame:
    """Net saving per participant of the pooled cells over horizon x cost factor x (maatschappij) rate."""
    rijen = []
    for cel in (c for c in cellen if c.instrument == "alle"):
        varianten: list[tuple[str, float | None, np.ndarray]] = [("gemeente", None, cel.besparing("gemeente", U, cfg))]
        varianten += [("maatschappij", r, cel.besparing("maatschappij", U, cfg, disconto=r)) for r in cfg.disconto_varianten]
        for p, r, s in varianten:
            for h in horizonnen:
                for f in cfg.kostenfactoren:
                    net = rekenen.netto(s, cel.kosten * f, h)
                    pt, lo, hi, kans = rekenen.samenvatting(net[0], net[1:])
                    rijen.append({"instrument": cel.instrument, "categorie": cel.categorie, "perspectief": p,
                                  "disconto": np.nan if r is None else r, "horizon": h, "kostenfactor": f,
                                  "netto_per_deelnemer": pt, "ci_laag": lo, "ci_hoog": hi, "kans_positief": kans,
                                  "klein": cel.n < drempel})
    return pd.DataFrame(rijen)
