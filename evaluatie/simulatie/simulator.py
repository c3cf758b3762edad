"""`simuleer`: a Werkplein Hart van West-Brabant population with known true effects.

Steps: inflow of clients (burn-in from ``cfg.burnin_vanaf``) -> observed world for all spells, generation
by generation (terugval spells are created from exits to work) -> the no-instrument world for the same
spells -> the "wachten" world for the participants -> for the participants, the chain after the first
exit in each world (jobs that end, return spells; :mod:`evaluatie.simulatie.keten`) -> truth -> tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.simulatie.config import HVWB_GEMEENTEN, SimulatieConfig
from evaluatie.simulatie.gemeenten import gemeentetabel, poorttabel
from evaluatie.simulatie.paden import Paden, Spells, simuleer_paden
from evaluatie.simulatie.populatie import instroom, terugval
from evaluatie.simulatie.tabellen import maak_tabellen
from evaluatie.simulatie.trajecten import instrumenttabellen
from evaluatie.schema import beschikbaar
from evaluatie.simulatie.config import CATEGORIEEN, INSTRUMENTEN
from evaluatie.simulatie.keten import simuleer_keten
from evaluatie.simulatie.verwachting import verwachte_cif, verwachte_na_uitstroom
from evaluatie.simulatie.waarheid import DEFINITIES, bereken_waarheid
from evaluatie.simulatie.waarheid_na import DEFINITIES_NA, na_uitstroom, populatie_duurzaam

#: Work-logit shift per HvWB gemeente (order of HVWB_GEMEENTEN).
GEMEENTE_EFFECT: dict[str, float] = {
    "GM0777": 0.05, "GM1655": 0.0, "GM1709": 0.10, "GM1674": -0.08, "GM0840": -0.03, "GM0879": 0.05,
}


@dataclass(frozen=True)
class Simulatie:
    """A simulated data set.

    Attributes
    ----------
    tabellen : dict of str to DataFrame
        clienten, uitkeringen, categorieen, trajecten, poort, gemeenten; typed as validated tables.
    waarheid : dict
        The truth (written as ``truth.json``).
    metadata : dict
        ``peildatum`` and ``waarnemingsperiode`` (written as ``metadata.json``).
    """

    tabellen: dict[str, pd.DataFrame]
    waarheid: dict[str, Any]
    metadata: dict[str, Any]
    #: optional ``kosten.csv`` (doelmatigheid; :mod:`evaluatie.simulatie.kosten`), outside ``tabellen``
    kosten: pd.DataFrame | None = None

    def summary(self) -> str:
        """Short description for people."""
        t = self.tabellen
        p = self.waarheid["populatie"]
        aandeel = "niet te bepalen" if p["toerekenbaar_aandeel"] is None else f"{p['toerekenbaar_aandeel']:.1%}"
        return (
            f"Gesimuleerde populatie (seed {self.waarheid['seed']}): {len(t['clienten'])} cliënten, "
            f"{len(t['uitkeringen'])} uitkeringen, {len(t['trajecten'])} trajecten; "
            f"uitstroom naar werk in het venster {p['werk_uitstroom_waargenomen']}, "
            f"waarvan toerekenbaar aan instrumenten {aandeel}."
        )


def _samen_paden(delen: list[Paden], lengtes: list[int]) -> Paden:
    offsets = np.concatenate([[0], np.cumsum(lengtes)[:-1]])
    velden = ("eind", "reden", "cat_eind", "instrument", "d", "duur", "cat_start")
    arr = {f: np.concatenate([getattr(p, f) for p in delen]) for f in velden}
    kl = {
        k: np.concatenate([(p.klassen[k] + o) if k == "spell" else p.klassen[k] for p, o in zip(delen, offsets)])
        for k in ("spell", "maand", "categorie", "trede", "inzet")
    }
    return Paden(**arr, klassen=kl)


def _deel_paden(p: Paden, idx: np.ndarray) -> Paden:
    velden = ("eind", "reden", "cat_eind", "instrument", "d", "duur", "cat_start")
    return Paden(**{f: getattr(p, f)[idx] for f in velden}, klassen=None)


def _controleer_keten(op: np.ndarray, *, spells: Spells, feit: Paden, deelnemers: np.ndarray, volgende: np.ndarray,
                      w1: int) -> None:
    """The observed world's chain must reproduce the observed spells month by month up to ``w1``."""
    n, H = op.shape
    nul = spells.start[deelnemers] + feit.d[deelnemers]
    zien = np.zeros_like(op)
    rij, s = np.arange(n), deelnemers.copy()
    while rij.size:
        a = spells.start[s]
        e = np.where(feit.eind[s] >= 0, a + feit.eind[s], w1)
        for t in range(H):  # H <= 36: a short loop over months, vectorised over participants
            m = nul[rij] + t
            zien[rij, t] |= (m >= a) & (m <= np.minimum(e, w1))
        nxt = volgende[s]
        rij, s = rij[nxt >= 0], nxt[nxt >= 0]
    binnen = (nul[:, None] + np.arange(H)[None, :]) <= w1
    if np.any((op != zien) & binnen):
        raise AssertionError("de keten in de feitelijke wereld wijkt af van de waargenomen uitkeringen")


def _na_uitstroom(waarheid: dict[str, Any], *, cfg: SimulatieConfig, tab: Any, spells: Spells, clienten: Any,
                  feit: Paden, geen: Paden, wacht: Paden, deelnemers: np.ndarray, gem_eff: np.ndarray,
                  t_eind: int, volgende: np.ndarray, w0: int, w1: int) -> None:
    """Add the durable-exit and months-on-benefit truths (realised and expected) to ``waarheid``.

    Sanity check: up to the peildatum the observed-world chain equals the observed spells (``volgende``
    links a spell to its terugval spell).
    """
    Hu = max(cfg.uitkeringsmaanden_horizonnen)
    wortels = spells.deel(deelnemers)
    d = feit.d[deelnemers].astype(np.int64)
    paden = {"feit": _deel_paden(feit, deelnemers), "nooit": _deel_paden(geen, deelnemers), "wachten": wacht}
    ketens = {w: simuleer_keten(wortels, p, clienten, cfg=cfg, tab=tab, gemeente_effect=gem_eff, t_eind=t_eind,
                                d=d, H=Hu, instrumenten=(w != "nooit")) for w, p in paden.items()}
    _controleer_keten(ketens["feit"].op_uitkering, spells=spells, feit=feit, deelnemers=deelnemers, volgende=volgende,
                      w1=w1)
    # durable-exit probabilities up to the window end too (the attributable share of durable exits)
    h_venster = int(w1 - (wortels.start + d).min() + 1) if len(d) else 0
    verw = verwachte_na_uitstroom(cfg=cfg, tab=tab, spells=spells, clienten=clienten, feit=feit,
                                  deelnemers=deelnemers, gemeente_effect=gem_eff,
                                  H=max(max(cfg.duurzaam_horizonnen), h_venster), Hu=Hu)
    ins, cat = feit.instrument[deelnemers], feit.cat_start[deelnemers]
    cellen = {(code, c): (ins == ii) & (cat == ci) for ii, code in enumerate(INSTRUMENTEN)
              for ci, c in enumerate(CATEGORIEEN) if beschikbaar(code, c)}
    per_cel, gepoold = na_uitstroom(cfg=cfg, ketens=ketens, paden=paden, start=wortels.start, d=d,
                                    geboorte=clienten.geboorte[wortels.client], cellen=cellen, verwachting=verw,
                                    vervolgtraject=ketens["feit"].vervolgtraject)
    for (code, c), v in per_cel.items():
        waarheid["effecten"][code][c].update({"baan": cfg.effect(code, c).baan, **v})
    waarheid["na_uitstroom_gepoold"] = gepoold
    exit_abs = np.where(feit.eind >= 0, spells.start + feit.eind, -1)
    terug = np.where(volgende >= 0, spells.start[np.maximum(volgende, 0)], -1)
    waarheid["populatie"].update(populatie_duurzaam(
        cfg=cfg, ketens=ketens, paden=paden, start=wortels.start.astype(np.int64), d=d,
        geboorte=clienten.geboorte[wortels.client], verwachting=verw, w0=w0, w1=w1,
        alle_exit=exit_abs, alle_werk=(feit.reden == 1) & (feit.eind >= 0), alle_terug=terug))
    waarheid["definities"] = {**DEFINITIES, **DEFINITIES_NA}


def simuleer(*, seed: int, n_clienten: int = 4685, config: SimulatieConfig | None = None) -> Simulatie:
    """Simulate a Werkplein population with known true effects.

    Parameters
    ----------
    seed : int
        Seed; same seed, size and config give identical tables and truth.
    n_clienten : int
        Target size of the stock on 2019-07-01 (Werkplein table 2: 4685).
    config : SimulatieConfig, optional
        Parameters of the data-generating process; default :class:`SimulatieConfig()`.

    Returns
    -------
    Simulatie
    """
    if not isinstance(n_clienten, (int, np.integer)) or n_clienten < 1:
        raise ValueError(f"n_clienten: verwacht een geheel getal >= 1, kreeg {n_clienten!r}")
    cfg = config if config is not None else SimulatieConfig()
    tab = instrumenttabellen(cfg)
    r_pop, r_tab, r_gem = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    w0, w1 = cfg.venster[0] * 12, cfg.venster[1] * 12 + 11
    t_eind = w1 + cfg.horizon
    gem_eff = np.array([GEMEENTE_EFFECT[c] for c in HVWB_GEMEENTEN])
    kw = dict(cfg=cfg, tab=tab, gemeente_effect=gem_eff, t_eind=t_eind)

    clienten, eerste, nug = instroom(cfg, int(n_clienten), r_pop)
    delen: list[Spells] = []
    paden: list[Paden] = []
    ouders: list[np.ndarray] = []
    huidig = eerste
    offset = 0
    while len(huidig):
        p = simuleer_paden(huidig, clienten, registreer=True, **kw)
        delen.append(huidig)
        paden.append(p)
        huidig, ouder = terugval(cfg, tab, huidig, p, clienten.geboorte, w1)
        ouders.append(ouder + offset)
        offset += len(delen[-1])
    spells = Spells.samen(delen)
    volgende = np.full(len(spells), -1, dtype=np.int64)  # index of the terugval spell that follows a spell
    volgende[np.concatenate(ouders)] = np.arange(len(eerste), len(spells))
    feit = _samen_paden(paden, [len(s) for s in delen])
    geen = simuleer_paden(spells, clienten, instrumenten=False, **kw)
    ts = spells.start + feit.d
    deelnemers = np.flatnonzero((feit.instrument >= 0) & (ts >= w0) & (ts <= w1))
    wacht = simuleer_paden(spells.deel(deelnemers), clienten, verboden=feit.d[deelnemers], **kw)
    h_venster = int(w1 - ts[deelnemers].min() + 1) if len(deelnemers) else 0
    verw = verwachte_cif(cfg=cfg, tab=tab, spells=spells, clienten=clienten, feit=feit, deelnemers=deelnemers,
                         gemeente_effect=gem_eff, H=max(cfg.horizon, h_venster))

    waarheid = bereken_waarheid(
        cfg=cfg, seed=seed, n_clienten=int(n_clienten), start=spells.start, feit=feit, geen=geen,
        deelnemers=deelnemers, wacht=wacht, venster=(w0, w1), verwachting=verw,
    )
    if cfg.heterogeniteit:  # issue 19: subgroup truths (only when heterogeneity is switched on)
        from evaluatie.simulatie.heterogeniteit import voeg_waarheid_toe

        voeg_waarheid_toe(waarheid, cfg=cfg, spells=spells, clienten=clienten, feit=feit, deelnemers=deelnemers,
                          verwachting=verw)
    _na_uitstroom(waarheid, cfg=cfg, tab=tab, spells=spells, clienten=clienten, feit=feit, geen=geen, wacht=wacht,
                  deelnemers=deelnemers, gem_eff=gem_eff, t_eind=t_eind, volgende=volgende, w0=w0, w1=w1)
    tabellen, _ = maak_tabellen(clienten=clienten, spells=spells, feit=feit, nugger_instroom=nug, venster=(w0, w1), rng=r_tab)
    tabellen["poort"] = poorttabel(r_gem)
    tabellen["gemeenten"], waarheid["beleidseffect"] = gemeentetabel(cfg, r_gem)
    metadata = {
        "peildatum": f"{cfg.venster[1]}-12-31",
        "waarnemingsperiode": {"start": f"{cfg.venster[0]}-01-01", "eind": f"{cfg.venster[1]}-12-31"},
    }
    from evaluatie.simulatie.kosten import kostentabel, waarheid_doelmatigheid
    waarheid["doelmatigheid"] = waarheid_doelmatigheid(waarheid["effecten"])
    order = ("clienten", "uitkeringen", "categorieen", "trajecten", "poort", "gemeenten")
    return Simulatie({k: tabellen[k] for k in order}, waarheid, metadata, kostentabel())
