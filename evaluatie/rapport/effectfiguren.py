"""Figures of effects for the report (forest plot, lock-in curves, exit-to-work curves). Dutch labels.

Each function takes an already disclosure-controlled frame and returns a matplotlib Figure.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

plt.rcParams["svg.hashsalt"] = "evaluatie"
KLEUREN = {"A": "#1f77b4", "B": "#ff7f0e", "C": "#2ca02c", "alle": "#555555", "onbekend": "#999999"}


def bosfiguur(att: pd.DataFrame, *, horizon: int) -> Figure:
    """Forest plot: ATT at ``horizon`` months per instrument x categorie, in percentage points, with 95% CI.

    ``att`` has columns instrument, categorie, schatting, ci_laag, ci_hoog, vlag (one row per cell).
    Flagged cells are drawn hollow.
    """
    d = att.sort_values(["categorie", "instrument"], ascending=[False, False]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(d) + 1.3))
    y = np.arange(len(d))
    for i, r in d.iterrows():
        kleur = KLEUREN.get(str(r.categorie), "#333333")
        gevlagd = isinstance(r.vlag, str) and r.vlag != ""
        ax.plot([100 * r.ci_laag, 100 * r.ci_hoog], [i, i], color=kleur, lw=1.6)
        ax.plot(100 * r.schatting, i, "o", color=kleur, mfc="white" if gevlagd else kleur, ms=6)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, [f"{r.instrument.replace('_', ' ')} ({r.categorie})" for r in d.itertuples()], fontsize=8)
    ax.set_xlabel(f"Effect op uitstroom naar werk binnen {horizon} maanden (procentpunt, 95%-BI)")
    ax.set_title("Netto effect per instrument en categorie (open punt = onzeker, zie vlag)", fontsize=10)
    fig.tight_layout()
    return fig


def lockinfiguur(curves: pd.DataFrame, *, kolommen: int = 4) -> Figure:
    """Small multiples: cumulative exit to work of participants vs their counterfactual by month since start.

    ``curves`` has columns instrument, categorie, horizon, deelnemers, controle (shares 0..1).
    """
    cellen = list(curves.groupby(["instrument", "categorie"], sort=True))
    n = max(1, len(cellen))
    rijen = int(np.ceil(n / kolommen))
    fig, axes = plt.subplots(rijen, kolommen, figsize=(2.3 * kolommen, 1.9 * rijen + 0.6), sharex=True, squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    for ax, ((ins, cat), g) in zip(axes.ravel(), cellen):
        g = g.sort_values("horizon")
        ax.plot(g.horizon, 100 * g.deelnemers, color=KLEUREN.get(str(cat), "#333"), lw=1.6, label="deelnemers")
        ax.plot(g.horizon, 100 * g.controle, color="black", lw=1.0, ls="--", label="zonder instrument")
        ax.set_title(f"{ins.replace('_', ' ')} ({cat})", fontsize=7.5)
        ax.tick_params(labelsize=7)
    axes[0, 0].legend(fontsize=6.5, loc="upper left")
    fig.supxlabel("Maanden sinds start instrument", fontsize=8)
    fig.supylabel("Cumulatief % uitgestroomd naar werk", fontsize=8)
    fig.tight_layout()
    return fig


def uitstroomfiguur(curves: pd.DataFrame) -> Figure:
    """Cumulative incidence of exit to work by categorie (other exits competing), with 95% CI bands."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for grp, g in curves.groupby("group", sort=True):
        g = g.sort_values("time")
        kleur = KLEUREN.get(str(grp), "#333333")
        ax.step(g.time, 100 * g.estimate, where="post", color=kleur, label=f"categorie {grp}")
        ax.fill_between(g.time, 100 * g.ci_lower, 100 * g.ci_upper, step="post", color=kleur, alpha=0.15, lw=0)
    ax.set_xlabel("Maanden sinds start uitkering")
    ax.set_ylabel("Cumulatieve incidentie uitstroom naar werk (%)")
    ax.set_xlim(0, min(120, float(curves.time.max()) if len(curves) else 120))
    ax.legend(fontsize=8)
    ax.set_title("Uitstroom naar werk per categorie (andere uitstroom als concurrerend risico)", fontsize=10)
    fig.tight_layout()
    return fig
