"""Normed indicators per gemeente × jaar, the national (NL) series, the preventiequotum and the index.

All indicators relate a count to the genormeerd aantal uitkeringen of the BUIG verdeelmodel, as in
chapter 5 of the Etten-Leur report: ``pct_norm = 100 · feitelijk / genormeerd``; in- and outflow and
net growth (instroom − uitstroom) as % of the genormeerd aantal.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from evaluatie.benchmark.controle import controleer_gemeenten, controleer_poort

#: indicator -> (numerator column(s), Dutch label). Numerator "a-b" means a difference.
INDICATOREN: dict[str, tuple[str, str]] = {
    "pct_norm": ("feitelijk_aantal", "Uitkeringen in % van de norm"),
    "instroom_pct": ("instroom", "Instroom in % van de norm"),
    "uitstroom_pct": ("uitstroom", "Uitstroom in % van de norm"),
    "uitstroom_werk_pct": ("uitstroom_werk", "Uitstroom naar werk in % van de norm"),
    "netto_groei_pct": ("instroom-uitstroom", "Netto groei (instroom − uitstroom) in % van de norm"),
}
LABELS: dict[str, str] = {k: v[1] for k, v in INDICATOREN.items()} | {"preventiequotum": "Preventiequotum (%)"}


def teller(df: pd.DataFrame, indicator: str) -> pd.Series:
    """The count behind an indicator (numerator), e.g. ``instroom - uitstroom`` for net growth."""
    kol = INDICATOREN[indicator][0]
    if "-" in kol:
        a, b = kol.split("-")
        return df[a] - df[b]
    return df[kol]


def bereken_indicatoren(gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Indicators per gemeente × jaar (wide).

    Parameters
    ----------
    gemeenten : DataFrame
        Typed ``gemeenten`` table (checked with :func:`controleer_gemeenten`).

    Returns
    -------
    DataFrame
        One row per (gemeentecode, jaar): the input columns plus ``pct_norm``, ``instroom_pct``,
        ``uitstroom_pct``, ``uitstroom_werk_pct``, ``netto_groei_pct`` (all in %, NaN where the flow is
        missing), ``norm_per_1000_inwoners`` and ``uitkeringen_per_1000_inwoners``.
    """
    df = controleer_gemeenten(gemeenten)
    norm = df["genormeerd_aantal"]
    out = df.copy()
    for ind in INDICATOREN:
        out[ind] = 100.0 * teller(df, ind) / norm
    out["norm_per_1000_inwoners"] = 1000.0 * norm / df["inwoners"]
    out["uitkeringen_per_1000_inwoners"] = 1000.0 * df["feitelijk_aantal"] / df["inwoners"]
    return out


def landelijk(indicatoren: pd.DataFrame) -> pd.DataFrame:
    """The NL series: all gemeenten summed per year, indicators as ratio of the sums.

    Returns
    -------
    DataFrame
        Per jaar: summed counts and each indicator in % (sum of numerators / sum of norms; a flow
        indicator is NaN in a year where any gemeente lacks that flow).
    """
    kols = ["genormeerd_aantal", "feitelijk_aantal", "instroom", "uitstroom", "uitstroom_werk", "inwoners"]
    g = indicatoren.groupby("jaar")
    som = g[kols].sum(min_count=1)
    compleet = g[kols].apply(lambda d: d.notna().all())
    som = som.where(compleet)
    for ind in INDICATOREN:
        som[ind] = 100.0 * teller(som, ind) / som["genormeerd_aantal"]
    return som.reset_index()


def groepsgemiddelde(indicatoren: pd.DataFrame, leden: tuple[str, ...], gewichten: tuple[float, ...],
                     kolommen: list[str]) -> pd.DataFrame:
    """Weighted mean of the members' values per jaar (weights 1/k for an ordinary group).

    A year where a member lacks a value gets NaN for that column (no silent re-weighting).
    """
    w = pd.Series(gewichten, index=list(leden), dtype=float)
    sub = indicatoren[indicatoren["gemeentecode"].isin(w.index)]
    rows = []
    for jaar, d in sub.groupby("jaar"):
        d = d.set_index("gemeentecode").reindex(w.index)
        rij = {"jaar": jaar}
        for k in kolommen:
            v = d[k].to_numpy(float)
            rij[k] = float(np.dot(w.to_numpy(), v)) if np.isfinite(v).all() else np.nan
        rows.append(rij)
    return pd.DataFrame(rows, columns=["jaar", *kolommen])


def index_reeks(indicatoren: pd.DataFrame, basisjaar: int, kolom: str = "feitelijk_aantal") -> pd.DataFrame:
    """Index (basisjaar = 100) of ``kolom`` per gemeente: ``100 · x_t / x_basisjaar``.

    Raises
    ------
    ValueError
        ``basisjaar`` not in the data.
    """
    if basisjaar not in set(indicatoren["jaar"]):
        jaren = sorted(indicatoren["jaar"].unique())
        raise ValueError(f"basisjaar {basisjaar} zit niet in de gegevens; verwacht een van {jaren}")
    basis = indicatoren.loc[indicatoren["jaar"] == basisjaar].set_index("gemeentecode")[kolom]
    out = indicatoren[["gemeentecode", "jaar"]].copy()
    out["index"] = 100.0 * indicatoren[kolom].to_numpy() / indicatoren["gemeentecode"].map(basis).to_numpy()
    return out


def preventiequotum(poort: pd.DataFrame) -> pd.DataFrame:
    """Preventiequotum ``1 − toekenningen / meldingen`` per gemeente × jaar, part years labelled.

    Year rows (``maand`` empty) are used as given, with ``maanden`` (empty = 12). Month rows are summed
    per year; ``maanden`` is then the number of months present. Where a year has both, the year row wins.

    Returns
    -------
    DataFrame
        gemeentecode, jaar, maanden, deeljaar (bool), periode (e.g. ``"2019 (6 mnd)"``), meldingen,
        toekenningen, preventiequotum (%), se (binomial, %), ci_laag, ci_hoog (Wilson 95%, %).
    """
    df = controleer_poort(poort)
    jaar = df[df["maand"].isna()].copy()
    jaar["maanden"] = jaar["maanden"].fillna(12).astype(int)
    jaar["bron"] = "jaar"
    mnd = df[df["maand"].notna()]
    if not mnd.empty:
        agg = (mnd.groupby(["gemeentecode", "jaar"], as_index=False)
               .agg(meldingen=("meldingen", "sum"), toekenningen=("toekenningen", "sum"),
                    maanden=("maand", "nunique")))
        agg["bron"] = "maand"
        sleutel = set(zip(jaar.gemeentecode, jaar.jaar))
        agg = agg[[(g, j) not in sleutel for g, j in zip(agg.gemeentecode, agg.jaar)]]
        jaar = pd.concat([jaar, agg], ignore_index=True)
    out = jaar[["gemeentecode", "jaar", "maanden", "meldingen", "toekenningen", "bron"]].copy()
    out["maanden"] = out["maanden"].astype(int)
    out["deeljaar"] = out["maanden"] < 12
    out["periode"] = [f"{j}" if m == 12 else f"{j} ({m} mnd)" for j, m in zip(out.jaar, out.maanden)]
    n = out["meldingen"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, 1.0 - out["toekenningen"].to_numpy(float) / n, np.nan)
        se = np.sqrt(p * (1 - p) / n)
        z = 1.959963984540054
        mid = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    out["preventiequotum"] = 100 * p
    out["se"] = 100 * se
    out["ci_laag"] = 100 * (mid - half)
    out["ci_hoog"] = 100 * (mid + half)
    return out.sort_values(["gemeentecode", "jaar"], kind="mergesort").reset_index(drop=True)


def lang(indicatoren: pd.DataFrame, kolommen: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tidy (long) form: gemeentecode, gemeentenaam, jaar, indicator, waarde."""
    kols = list(kolommen or INDICATOREN)
    return (indicatoren.melt(id_vars=["gemeentecode", "gemeentenaam", "jaar"], value_vars=kols,
                             var_name="indicator", value_name="waarde")
            .sort_values(["indicator", "gemeentecode", "jaar"], kind="mergesort").reset_index(drop=True))
