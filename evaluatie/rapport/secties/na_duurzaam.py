"""'Blijft het werk?' part (b) and (d): the durable-exit effect next to the first-exit effect, per cell.

Rows of the effect frame with ``uitkomst`` ``duurzaam_werk_<k>`` (exit to work and no new benefit within ``k``
months) next to ``werk``, at the effect chapter's main horizon, for the cells that chapter shows (same
participants, same protection; no count of their own). Where the two effects of a cell point in opposite
directions the chapter says so: :func:`tegengesteld` (both 95% intervals exclude 0, on opposite sides).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.inhoud import Figuur, Sectie, Tabel, figuur_png
from evaluatie.rapport.secties.effectcellen import OVERIG, Effectcellen
from evaluatie.rapport.secties.opmaak import aantal, aantoonbaar_kort, bereik, bi, celnaam, getal, pct, procentpunt

#: ``k`` of the durable-exit outcome shown by default (no new benefit within k months after the exit).
K_STANDAARD = 6
#: The rule of (d), as the report states it.
REGEL_TEGENGESTELD = ("We noemen een combinatie alleen 'tegengesteld' als beide 95%-intervallen 0 uitsluiten en aan "
                      "verschillende kanten van 0 liggen (het ene effect aantoonbaar positief, het andere aantoonbaar "
                      "negatief), op dezelfde horizon en met dezelfde schatter; gevlagde combinaties tellen niet mee.")


def _f(v: Any) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else np.nan
    except (TypeError, ValueError):
        return np.nan


def duurzaam_uitkomsten(effecten: pd.DataFrame | None) -> tuple[int, ...]:
    """The k's of the ``duurzaam_werk_<k>`` outcomes present in the effect frame (sorted)."""
    if effecten is None or "uitkomst" not in effecten:
        return ()
    ks = []
    for u in set(effecten.uitkomst.dropna().astype(str)):
        if u.startswith("duurzaam_werk_") and u.removeprefix("duurzaam_werk_").isdigit():
            ks.append(int(u.removeprefix("duurzaam_werk_")))
    return tuple(sorted(ks))


def kies_k(effecten: pd.DataFrame | None, k: int = K_STANDAARD) -> int | None:
    """``k`` when that outcome is present, otherwise the smallest present (None without any)."""
    ks = duurzaam_uitkomsten(effecten)
    return None if not ks else (k if k in ks else ks[0])


def _att(e: pd.DataFrame, uitkomst: str, methode: str, h: int) -> pd.DataFrame:
    d = e[(e.uitkomst == uitkomst) & (e.maat == "att") & (e.methode == methode) & (e.horizon == h)]
    return d.drop_duplicates(["instrument", "categorie"]).set_index(["instrument", "categorie"])


def getoonde_cellen(c: Effectcellen) -> pd.DataFrame:
    """The effect chapter's shown rows (combinations and pooled rows, not 'overige combinaties')."""
    t = c.tabel
    return t[t.instrument != OVERIG]


@dataclass(frozen=True)
class Duurzaamcellen:
    """First-exit and durable-exit effects side by side, for the cells the effect chapter shows.

    Attributes
    ----------
    tabel : DataFrame
        instrument, categorie, n_deelnemers (as in the effect table), vlag, werk / werk_laag / werk_hoog and
        duurzaam / duurzaam_laag / duurzaam_hoog (ATT at ``horizon``), tegengesteld (bool, see
        :func:`tegengesteld`).
    k, horizon : int
    methode : str
    """

    tabel: pd.DataFrame
    k: int
    horizon: int
    methode: str

    @property
    def tegengestelde(self) -> pd.DataFrame:
        """Rows whose two effects have opposite signs by the rule of :func:`tegengesteld`."""
        return self.tabel[self.tabel.tegengesteld]


def tegengesteld(werk_laag: float, werk_hoog: float, duurzaam_laag: float, duurzaam_hoog: float,
                 vlag: str = "") -> bool:
    """True when the first-exit and the durable-exit effect are both demonstrable and of opposite sign.

    Both 95% intervals must exclude 0 (and have a width: a zero-width interval proves nothing) and lie on
    opposite sides of it; a flagged cell is never called opposite. See :data:`REGEL_TEGENGESTELD`.
    """
    if vlag:
        return False
    w, d = aantoonbaar_kort(werk_laag, werk_hoog), aantoonbaar_kort(duurzaam_laag, duurzaam_hoog)
    return {w, d} == {"aantoonbaar positief", "aantoonbaar negatief"}


def duurzaamcellen(effecten: pd.DataFrame, c: Effectcellen, *, k: int = K_STANDAARD) -> Duurzaamcellen | None:
    """First-exit and durable-exit ATT per shown cell at the main horizon (None without durable-exit rows).

    The horizon is the effect chapter's main horizon when the durable-exit rows have it, else the first
    horizon both outcomes share. Only cells shown in the effect chapter appear (their participants are the
    same), with the participant count of that table.
    """
    kk = kies_k(effecten, k)
    if kk is None:
        return None
    u = f"duurzaam_werk_{kk}"
    e = effecten.assign(vlag=effecten["vlag"].fillna("").astype(str) if "vlag" in effecten else "")
    d = e[(e.uitkomst == u) & (e.maat == "att") & (e.methode == c.methode)]
    w = e[(e.uitkomst == "werk") & (e.maat == "att") & (e.methode == c.methode)]
    hs = [h for h in (c.horizon, *c.horizonnen, *sorted(set(d.horizon.astype(int))))
          if (d.horizon == h).any() and (w.horizon == h).any()]
    if not hs:
        return None
    h = int(hs[0])
    dw, ww = _att(e, u, c.methode, h), _att(e, "werk", c.methode, h)
    rows = []
    for r in getoonde_cellen(c).itertuples(index=False):
        key = (r.instrument, r.categorie)
        if key not in dw.index or key not in ww.index:
            continue
        a, b = ww.loc[key], dw.loc[key]
        if "n_deelnemers" in dw and not _f(b.n_deelnemers) >= c.drempel:
            continue
        vlag = "; ".join(sorted({v for v in (str(r.vlag), str(b.vlag)) if v}))
        rec = {"instrument": r.instrument, "categorie": r.categorie, "n_deelnemers": _f(r.n_deelnemers), "vlag": vlag,
               "werk": _f(a.schatting), "werk_laag": _f(a.ci_laag), "werk_hoog": _f(a.ci_hoog),
               "duurzaam": _f(b.schatting), "duurzaam_laag": _f(b.ci_laag), "duurzaam_hoog": _f(b.ci_hoog)}
        rec["tegengesteld"] = tegengesteld(rec["werk_laag"], rec["werk_hoog"], rec["duurzaam_laag"],
                                           rec["duurzaam_hoog"], vlag)
        rows.append(rec)
    kol = ["instrument", "categorie", "n_deelnemers", "vlag", "werk", "werk_laag", "werk_hoog", "duurzaam",
           "duurzaam_laag", "duurzaam_hoog", "tegengesteld"]
    return Duurzaamcellen(pd.DataFrame(rows, columns=kol), kk, h, c.methode)


def _effect(a: float, lo: float, hi: float) -> str:
    return "–" if pd.isna(a) else f"{getal(100 * a, 1, teken=True)} ({bereik(lo, hi, schaal=100)})"


def duurzaamtabel(dc: Duurzaamcellen) -> pd.DataFrame:
    """Display table: per cell the effect on exit to work and on durable work (procentpunt, 95%-BI), verdicts."""
    t = dc.tabel
    h, k = dc.horizon, dc.k
    out = pd.DataFrame({"instrument en categorie": [celnaam(i, c) for i, c in zip(t.instrument, t.categorie)],
                        "deelnemers (n)": [aantal(n) for n in t.n_deelnemers],
                        f"uitstroom naar werk {h} mnd (95%-BI)": [_effect(a, lo, hi) for a, lo, hi in
                                                                 zip(t.werk, t.werk_laag, t.werk_hoog)],
                        f"duurzaam werk ({k} mnd geen uitkering) {h} mnd (95%-BI)": [
                            _effect(a, lo, hi) for a, lo, hi in zip(t.duurzaam, t.duurzaam_laag, t.duurzaam_hoog)],
                        "oordeel duurzaam": [aantoonbaar_kort(lo, hi) for lo, hi in zip(t.duurzaam_laag, t.duurzaam_hoog)],
                        "tegengesteld": ["ja" if x else "" for x in t.tegengesteld]})
    if (t.vlag != "").any():
        out["vlag"] = t.vlag.to_numpy()
    return out


def zin_tegengesteld(r: Any, h: int, k: int) -> str:
    """The explicit sentence for one cell whose two effects point in opposite directions."""
    naam = celnaam(r.instrument, r.categorie)
    werk = f"{procentpunt(r.werk)}, {bi(r.werk_laag, r.werk_hoog, schaal=100)}"
    duur = f"{procentpunt(r.duurzaam)}, {bi(r.duurzaam_laag, r.duurzaam_hoog, schaal=100)}"
    if r.werk > 0:
        return (f"{naam}: de effecten gaan tegengestelde kanten op. Meer deelnemers vinden binnen {h} maanden werk "
                f"({werk}), maar minder vinden werk dat ze {k} maanden houden zonder nieuwe uitkering ({duur}): dit "
                "instrument brengt mensen sneller in kortdurend werk, en een deel staat snel weer in de bijstand.")
    return (f"{naam}: de effecten gaan tegengestelde kanten op. Minder deelnemers vinden binnen {h} maanden werk "
            f"({werk}), maar meer vinden werk dat ze {k} maanden houden zonder nieuwe uitkering ({duur}): trager, maar "
            "duurzamer.")


def duurzaam_populatie(populatie: pd.DataFrame | None, k: int) -> tuple[float, float, float] | None:
    if populatie is None or "maat" not in populatie:
        return None
    r = populatie[populatie.maat == f"toerekenbaar_aandeel_duurzaam_{k}"]
    if r.empty or pd.isna(r.schatting.iloc[0]):
        return None
    x = r.iloc[0]
    return _f(x.schatting), _f(x.get("ci_laag")), _f(x.get("ci_hoog"))


def sectie_duurzaam(dc: Duurzaamcellen | None, reden: str | None, p: tuple[float, float, float] | None,
                     cfg: Evaluatieconfig) -> Sectie:
    titel = "Duurzaam werk: effect per instrument naast het effect op uitstroom"
    if dc is None:
        return Sectie("duurzaam", titel, (f"Niet te beoordelen: {reden}.",))
    h, k = dc.horizon, dc.k
    al = [f"Een instrument kan mensen sneller aan het werk helpen zonder dat dat werk blijft. Daarom staat hier naast "
          f"het effect op uitstroom naar werk binnen {h} maanden het effect op duurzaam werk: uitstroom naar werk binnen "
          f"{h} maanden én geen nieuwe uitkering in de {k} maanden daarna. Beide zijn het verschil in procentpunten met "
          "dezelfde mensen zonder instrument (geschat), met dezelfde schatter en bootstrap."]
    if p is not None:
        al.append(f"Van alle duurzame uitstroom naar werk ({k} maanden geen nieuwe uitkering) is {pct(p[0])} "
                  f"({bi(p[1], p[2], schaal=100, eenheid='%')}) toe te rekenen aan de instrumenten.")
    t = dc.tabel
    cellen = t[(t.instrument != "alle") & (t.categorie != "alle")]
    teg = dc.tegengestelde
    if len(teg):
        al.append(f"Bij {len(teg)} van de {len(cellen)} getoonde combinaties gaan de twee effecten tegengestelde kanten op:")
        al += [zin_tegengesteld(r, h, k) for r in teg.itertuples(index=False)]
    elif len(cellen):
        al.append(f"Bij geen van de {len(cellen)} getoonde combinaties gaan het effect op uitstroom en het effect op "
                  "duurzaam werk aantoonbaar tegengestelde kanten op.")
    al.append(REGEL_TEGENGESTELD)
    tab = Tabel(f"Effect op uitstroom naar werk en op duurzaam werk ({h} maanden, k = {k})", duurzaamtabel(dc),
                f"Procentpunt met 95%-BI; duurzaam werk = uitstroom naar werk binnen {h} maanden en geen nieuwe uitkering "
                f"binnen {k} maanden daarna. Alleen de combinaties die ook in de effecttabel staan (minstens "
                f"{cfg.drempel} deelnemers). 'Tegengesteld': zie de regel hierboven.")
    return Sectie("duurzaam", titel, tuple(al), (tab,), tuple(_figuren(dc, cfg)))


def _figuren(dc: Duurzaamcellen, cfg: Evaluatieconfig) -> list[Figuur]:
    from evaluatie.rapport import figuren as ef

    t = dc.tabel
    d = t[(t.instrument != "alle") & (t.categorie != "alle") & t.duurzaam.notna()]
    if d.empty:
        return []
    d = d.assign(gevlagd=d.vlag != "")
    return [Figuur(f"Uitstroom naar werk en duurzaam werk ({dc.horizon} maanden)",
                   figuur_png(ef.duurzaamfiguur(d, horizon=dc.horizon, k=dc.k)),
                   "Per instrument en categorie het effect op uitstroom naar werk en op duurzaam werk, met "
                   "95%-betrouwbaarheidsintervallen",
                   f"Rondje: uitstroom naar werk; vierkantje: duurzaam werk ({dc.k} maanden geen nieuwe uitkering). "
                   "! = de twee effecten gaan aantoonbaar tegengestelde kanten op; open grijs * = gevlagd. Combinaties "
                   f"met minder dan {cfg.drempel} deelnemers zijn weggelaten.")]

