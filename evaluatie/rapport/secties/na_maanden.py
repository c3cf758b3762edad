"""'Blijft het werk?' part (c): months on benefit, participants against the same people without instrument.

Reads ``Effectresultaat.uitkeringsmaanden`` (instrument, categorie, methode, horizon 12/24/36, maat deelnemers |
controle | verschil, schatting, se, ci_laag, ci_hoog, n_deelnemers, vlag) for the cells the effect chapter
shows, and says the difference in words a raadslid reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Sectie, Tabel
from evaluatie.rapport.secties.effectcellen import Effectcellen
from evaluatie.rapport.secties.na_duurzaam import getoonde_cellen
from evaluatie.rapport.secties.opmaak import aantal, aantoonbaar, aantoonbaar_kort, bereik, bi, celnaam, getal, ontaard

#: The months-on-benefit horizon read out in sentences (the raad's budget period), when present.
UM_HOOFDHORIZON = 24


def _f(v: Any) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else np.nan
    except (TypeError, ValueError):
        return np.nan


def maanden_tekst(x: float, d: int = 1) -> str:
    """``-1.23`` → ``'1,2 maanden minder'``; ``0.4`` → ``'0,4 maanden meer'``."""
    if pd.isna(x):
        return "–"
    s = getal(abs(x), d)
    if s.strip("0,") == "":
        return "evenveel maanden"
    return f"{s} {'maand' if s == '1,0' else 'maanden'} {'minder' if x < 0 else 'meer'}"


def mnd_bi(lo: float, hi: float) -> str:
    return bi(lo, hi, eenheid=" maanden")


@dataclass(frozen=True)
class Uitkeringsmaandcellen:
    """Months on benefit per shown cell (participants, the same people without instrument, difference).

    Attributes
    ----------
    tabel : DataFrame
        instrument, categorie, horizon, deelnemers, controle, verschil, verschil_laag, verschil_hoog,
        n_deelnemers (as in the effect table), vlag.
    horizonnen : tuple of int
    hoofdhorizon : int
    methode : str
    """

    tabel: pd.DataFrame
    horizonnen: tuple[int, ...]
    hoofdhorizon: int
    methode: str

    def rij(self, instrument: str, categorie: str, horizon: int | None = None) -> pd.Series | None:
        t = self.tabel
        r = t[(t.instrument == instrument) & (t.categorie == categorie) & (t.horizon == (horizon or self.hoofdhorizon))]
        return None if r.empty else r.iloc[0]


def uitkeringsmaandcellen(um: pd.DataFrame | None, c: Effectcellen) -> Uitkeringsmaandcellen | None:
    """The months-on-benefit frame (``Effectresultaat.uitkeringsmaanden``) for the cells the effect chapter shows.

    A cell appears only if it is shown in the effect table and its own ``n_deelnemers`` reaches the threshold
    and equals the effect table's count or differs from it by at least the threshold (a small difference would
    be a count of a few persons).
    """
    if um is None or not len(um) or not {"instrument", "categorie", "horizon", "maat", "schatting"} <= set(um.columns):
        return None
    methoden = set(um.methode.astype(str)) if "methode" in um else {c.methode}
    methode = c.methode if c.methode in methoden else ("gformule" if "gformule" in methoden else sorted(methoden)[0])
    u = um[um.methode == methode] if "methode" in um else um
    getoond = {(r.instrument, r.categorie): r for r in getoonde_cellen(c).itertuples(index=False)}
    rows = []
    for (ins, cat, h), g in u.groupby(["instrument", "categorie", "horizon"], sort=False):
        if (ins, cat) not in getoond:
            continue
        eff = getoond[(ins, cat)]
        m = g.drop_duplicates("maat").set_index("maat")
        if "verschil" not in m.index:
            continue
        n = _f(m.n_deelnemers.max()) if "n_deelnemers" in m else _f(eff.n_deelnemers)
        n_eff = _f(eff.n_deelnemers)
        if not n >= c.drempel or not (n == n_eff or abs(n - n_eff) >= c.drempel):
            continue
        vl = {str(v) for v in (m["vlag"] if "vlag" in m else []) if isinstance(v, str) and v} | ({eff.vlag} if eff.vlag else set())
        rows.append({"instrument": ins, "categorie": cat, "horizon": int(h),
                     "deelnemers": _f(m.schatting.get("deelnemers")), "controle": _f(m.schatting.get("controle")),
                     "verschil": _f(m.schatting["verschil"]), "verschil_laag": _f(m.ci_laag["verschil"]) if "ci_laag" in m else np.nan,
                     "verschil_hoog": _f(m.ci_hoog["verschil"]) if "ci_hoog" in m else np.nan, "n_deelnemers": n,
                     "vlag": "; ".join(sorted(vl))})
    if not rows:
        return None
    t = pd.DataFrame(rows)
    rang = {k: i for i, k in enumerate(getoond)}
    t = t.assign(_r=[rang[(i, k)] for i, k in zip(t.instrument, t.categorie)]).sort_values(
        ["_r", "horizon"], kind="mergesort").drop(columns="_r").reset_index(drop=True)
    hs = tuple(sorted(set(t.horizon)))
    return Uitkeringsmaandcellen(t, hs, UM_HOOFDHORIZON if UM_HOOFDHORIZON in hs else hs[-1], methode)


def uitkeringsmaandtabel(uc: Uitkeringsmaandcellen) -> pd.DataFrame:
    """Display: per cell the difference in months on benefit per horizon (95%-BI) and the verdict at the main one."""
    t = uc.tabel
    cellen = t[["instrument", "categorie", "n_deelnemers", "vlag"]].drop_duplicates(["instrument", "categorie"])
    h0 = uc.hoofdhorizon
    out = pd.DataFrame({"instrument en categorie": [celnaam(i, k) for i, k in zip(cellen.instrument, cellen.categorie)],
                        "deelnemers (n)": [aantal(n) for n in cellen.n_deelnemers]})
    hoofd = [uc.rij(i, k, h0) for i, k in zip(cellen.instrument, cellen.categorie)]
    out[f"in de bijstand, deelnemers ({h0} mnd)"] = ["–" if r is None else getal(r.deelnemers, 1) for r in hoofd]
    out[f"zonder instrument, geschat ({h0} mnd)"] = ["–" if r is None else getal(r.controle, 1) for r in hoofd]
    for h in uc.horizonnen:
        kol = []
        for i, k in zip(cellen.instrument, cellen.categorie):
            r = uc.rij(i, k, h)
            kol.append("–" if r is None else f"{getal(r.verschil, 1, teken=True)} ({bereik(r.verschil_laag, r.verschil_hoog)})")
        out[f"verschil {h} mnd (95%-BI)"] = kol
    out[f"oordeel {h0} mnd"] = ["–" if r is None else oordeel_maanden(r.verschil_laag, r.verschil_hoog) for r in hoofd]
    if (cellen.vlag != "").any():
        out["vlag"] = cellen.vlag.to_numpy()
    return out


def oordeel_maanden(lo: float, hi: float) -> str:
    a = aantoonbaar_kort(lo, hi)
    return {"aantoonbaar positief": "aantoonbaar meer", "aantoonbaar negatief": "aantoonbaar minder"}.get(a, a)


def zin_uitkeringsmaanden(r: pd.Series, wie: str = "Deelnemers") -> str:
    """'Deelnemers zaten gemiddeld 1,2 maanden minder in de bijstand in de eerste 24 maanden (95%-BI …)'."""
    h = int(r.horizon)
    lo, hi = _f(r.verschil_laag), _f(r.verschil_hoog)
    basis = (f"{wie} zaten gemiddeld {maanden_tekst(r.verschil)} in de bijstand in de eerste {h} maanden na de start dan "
             f"zonder instrument (geschat: {getal(r.deelnemers, 1)} tegen {getal(r.controle, 1)} maanden; "
             f"{mnd_bi(lo, hi)}; n = {aantal(r.n_deelnemers)} deelnemers)")
    oordeel = aantoonbaar(lo, hi)
    if oordeel.startswith("aantoonbaar"):
        return basis + "; dat verschil is aantoonbaar."
    return basis + f"; dat verschil is {oordeel}."


def sectie_uitkeringsmaanden(uc: Uitkeringsmaandcellen | None, reden: str | None, cfg: Evaluatieconfig) -> Sectie:
    titel = "Maanden in de bijstand"
    if uc is None:
        return Sectie("uitkeringsmaanden", titel, (f"Niet te beoordelen: {reden}.",))
    h0 = uc.hoofdhorizon
    al = ["Wat de raad uiteindelijk betaalt, zijn maanden uitkering. Hier staat hoeveel maanden deelnemers gemiddeld in de "
          "bijstand zaten in de eerste 12, 24 of 36 maanden na de start van het instrument (terugkeer na werk telt mee), "
          "tegen dezelfde mensen zonder instrument (geschat). Een negatief verschil betekent minder maanden in de bijstand."]
    r = uc.rij("alle", "alle", h0)
    if r is not None:
        al.append(zin_uitkeringsmaanden(r, "Alle deelnemers samen"))
    t = uc.tabel[(uc.tabel.horizon == h0) & (uc.tabel.instrument != "alle") & (uc.tabel.categorie != "alle")
                 & (uc.tabel.vlag == "")]
    minder = t[t.verschil_hoog < 0]
    meer = t[t.verschil_laag > 0]
    minder = minder[[not ontaard(a, b) for a, b in zip(minder.verschil_laag, minder.verschil_hoog)]]
    meer = meer[[not ontaard(a, b) for a, b in zip(meer.verschil_laag, meer.verschil_hoog)]]
    if len(t):
        delen = []
        if len(minder):
            delen.append("aantoonbaar minder maanden voor " + "; ".join(
                f"{celnaam(x.instrument, x.categorie)} ({maanden_tekst(x.verschil)}, {mnd_bi(x.verschil_laag, x.verschil_hoog)})"
                for x in minder.itertuples(index=False)))
        if len(meer):
            delen.append("aantoonbaar méér maanden voor " + "; ".join(
                f"{celnaam(x.instrument, x.categorie)} ({maanden_tekst(x.verschil)}, {mnd_bi(x.verschil_laag, x.verschil_hoog)})"
                for x in meer.itertuples(index=False)))
        al.append(f"Per combinatie ({len(t)} ongevlagd getoond, eerste {h0} maanden): "
                  + ("; ".join(delen) if delen else "bij geen enkele is het verschil aantoonbaar") + ".")
    tab = Tabel("Maanden in de bijstand na de start, deelnemers tegen zonder instrument", uitkeringsmaandtabel(uc),
                "Gemiddeld aantal maanden met een uitkering in de eerste 12, 24 of 36 maanden na de start (alle perioden, "
                "terugkeer na werk inbegrepen); verschil = deelnemers min dezelfde mensen zonder instrument (geschat), met "
                f"95%-BI (bootstrap geclusterd op cliënt). Negatief = minder maanden in de bijstand. Alleen combinaties "
                f"met minstens {cfg.drempel} deelnemers die ook in de effecttabel staan.")
    return Sectie("uitkeringsmaanden", titel, tuple(al), (tab,))

