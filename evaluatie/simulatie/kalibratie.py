"""Calibration figures computed from the written tables (as a user would see them).

Used by the calibration tests and the benchmark script; not part of ``simuleer`` (the work-hazard figures
expand spells to months and are meant for data sets up to some tens of thousands of clients).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Werkplein table 2.
DOEL_MIX = {"A": 315 / 4288, "B": 932 / 4288, "C": 3041 / 4288}
DOEL_JONGEREN = 397 / 4685
DOEL_WERK_AANDEEL = 0.29


def bestand_op(tabellen: dict[str, pd.DataFrame], datum: str = "2019-07-01") -> pd.DataFrame:
    """Clients on benefit on ``datum`` with their categorie then and their age (jaar - geboortejaar)."""
    u, cat, cl = tabellen["uitkeringen"], tabellen["categorieen"], tabellen["clienten"]
    dt = pd.Timestamp(datum)
    st = u[(u["startdatum"] <= dt) & (u["einddatum"].isna() | (u["einddatum"] >= dt))][["client_id"]]
    c = cat[cat["startdatum"] <= dt].sort_values(["client_id", "startdatum"]).groupby("client_id").tail(1)
    st = st.merge(c[["client_id", "categorie", "trede"]], on="client_id", how="left")
    st = st.merge(cl[["client_id", "geboortejaar"]], on="client_id", how="left")
    st["leeftijd"] = dt.year - st["geboortejaar"].astype("int64")
    return st


def terugval_aandeel(uitkeringen: pd.DataFrame, van: str = "2015-01-01", tot: str = "2018-12-31", dagen: int = 365) -> float:
    """Share of exits to work (einddatum in [van, tot]) followed by a new spell within ``dagen`` days."""
    u = uitkeringen.sort_values(["client_id", "startdatum"]).copy()
    u["volgende"] = u.groupby("client_id")["startdatum"].shift(-1)
    w = u[(u["uitstroomreden"] == "werk") & u["einddatum"].between(pd.Timestamp(van), pd.Timestamp(tot))]
    return float(((w["volgende"] - w["einddatum"]).dt.days <= dagen).mean())


def werkkans_per_categorie(tabellen: dict[str, pd.DataFrame], start: str = "2015-01-01", eind: str = "2019-12-31") -> dict[str, float]:
    """Monthly probability of exit to work per categorie: exits / person-months in the window."""
    u = tabellen["uitkeringen"].reset_index(drop=True)
    w0, w1 = pd.Period(start, "M"), pd.Period(eind, "M")
    s = u["startdatum"].dt.to_period("M").clip(lower=w0)
    e = u["einddatum"].dt.to_period("M").fillna(w1).clip(upper=w1)
    n = np.array([(b - a).n + 1 if b >= a else 0 for a, b in zip(s, e)])
    idx = np.repeat(np.arange(len(u)), n)
    off = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    maand = np.array([p.ordinal for p in s])[idx] + off
    pm = pd.DataFrame({"client_id": u["client_id"].to_numpy()[idx], "maand": maand,
                       "werk": (u["uitstroomreden"].eq("werk").to_numpy()[idx]) & (off == n[idx] - 1) & u["einddatum"].notna().to_numpy()[idx]})
    cat = tabellen["categorieen"].copy()
    cat["maand"] = np.array([p.ordinal for p in cat["startdatum"].dt.to_period("M")])
    pm = pd.merge_asof(pm.sort_values("maand"), cat[["client_id", "maand", "categorie"]].sort_values("maand"), on="maand", by="client_id")
    g = pm.groupby("categorie")["werk"].mean()
    return {k: float(v) for k, v in g.items()}


def kalibratiecijfers(tabellen: dict[str, pd.DataFrame], *, met_kansen: bool = False) -> dict[str, Any]:
    """Stock size and mix on 2019-07-01, jongeren share, exit reasons in the window, terugval within a year."""
    st = bestand_op(tabellen)
    u = tabellen["uitkeringen"]
    ex = u[u["einddatum"].between(pd.Timestamp("2015-01-01"), pd.Timestamp("2019-12-31"))]
    out: dict[str, Any] = {
        "bestand_2019_07_01": int(len(st)),
        "mix": {k: float(v) for k, v in st["categorie"].value_counts(normalize=True).sort_index().items()},
        "jongeren": float((st["leeftijd"] < 27).mean()),
        "uitstroom_redenen": {k: float(v) for k, v in ex["uitstroomreden"].value_counts(normalize=True).sort_index().items()},
        "terugval_12m": terugval_aandeel(u),
    }
    if met_kansen:
        out["werkkans_per_maand"] = werkkans_per_categorie(tabellen)
    return out
