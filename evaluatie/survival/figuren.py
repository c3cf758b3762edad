"""Figures: Kaplan-Meier and cumulative-incidence curves by group with pointwise CI bands.

Dutch labels; each function returns a matplotlib Figure (never shows or saves it). Curves pass through
:func:`evaluatie.disclosure.knip_curve` (cut where fewer than ``drempel`` rows are at risk) unless
``drempel=None``. Use :func:`bewaar` for byte-identical files (fixed ``svg.hashsalt``, no dates or
software versions in the metadata).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaluatie.disclosure import DREMPEL, knip_curve  # noqa: E402
from evaluatie.survival.cif import CumulativeIncidenceResult  # noqa: E402
from evaluatie.survival.km import KaplanMeierResult  # noqa: E402

DAGEN_PER_MAAND = 365.25 / 12
_STIJL = {"svg.hashsalt": "evaluatie", "svg.fonttype": "path", "figure.dpi": 100}


def _stap(t: np.ndarray, y: np.ndarray, y0: float) -> tuple[np.ndarray, np.ndarray]:
    return np.r_[0.0, t], np.r_[y0, y]


def _curves(tabel: pd.DataFrame, kolom: str, y0: float, *, titel: str, ylabel: str, dagen_per_maand: float,
            drempel: int | None, ci: bool) -> Figure:
    if drempel is not None:
        tabel = knip_curve(tabel, "n_risk", groep=["group"], drempel=drempel)
    with plt.rc_context(_STIJL):
        fig, ax = plt.subplots(figsize=(7.0, 4.5))
        kleuren = plt.get_cmap("tab10")
        for i, (g, sub) in enumerate(tabel.groupby("group", sort=True)):
            t = sub["time"].to_numpy(dtype=float) / dagen_per_maand
            x, y = _stap(t, sub[kolom].to_numpy(), y0)
            kleur = kleuren(i % 10)
            ax.step(x, y, where="post", color=kleur, lw=1.6, label=str(g))
            if ci:
                _, lo = _stap(t, sub["ci_laag"].to_numpy(), y0)
                _, hi = _stap(t, sub["ci_hoog"].to_numpy(), y0)
                ax.fill_between(x, lo, hi, step="post", color=kleur, alpha=0.18, lw=0)
        ax.set_xlabel("Maanden sinds start uitkering")
        ax.set_ylabel(ylabel)
        ax.set_ylim(0, 1)
        ax.set_xlim(left=0)
        ax.set_title(titel)
        ax.grid(True, alpha=0.3)
        if tabel["group"].nunique() > 1 or (len(tabel) and tabel["group"].iloc[0] != "alle"):
            ax.legend(title="Groep", frameon=False)
        if ci:
            ax.text(0.99, 0.01, "band: puntsgewijs betrouwbaarheidsinterval",
                    transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="0.4")
        fig.tight_layout()
    return fig


def km_figuur(result: KaplanMeierResult, *, titel: str = "Nog in de uitkering (Kaplan-Meier)",
              dagen_per_maand: float = DAGEN_PER_MAAND, drempel: int | None = DREMPEL,
              ci: bool = True) -> Figure:
    """Kaplan-Meier curves per group with log-log CI band; time axis in months (time is in days)."""
    return _curves(result.table, "survival", 1.0, titel=titel, ylabel="Aandeel nog in de uitkering",
                   dagen_per_maand=dagen_per_maand, drempel=drempel, ci=ci)


def cif_figuur(result: CumulativeIncidenceResult, *, titel: str = "Uitstroom naar werk (Aalen-Johansen)",
               ylabel: str = "Cumulatieve incidentie uitstroom naar werk",
               dagen_per_maand: float = DAGEN_PER_MAAND, drempel: int | None = DREMPEL,
               ci: bool = True) -> Figure:
    """Cumulative-incidence curves per group with CI band; time axis in months (time is in days)."""
    return _curves(result.table, "cif", 0.0, titel=titel, ylabel=ylabel, dagen_per_maand=dagen_per_maand,
                   drempel=drempel, ci=ci)


def bewaar(fig: Figure, pad: str | Path) -> Path:
    """Save deterministically (svg, png or pdf): fixed hash salt, no creation date or software tag; closes ``fig``."""
    pad = Path(pad)
    fmt = pad.suffix.lstrip(".").lower()
    meta = {"svg": {"Date": None, "Creator": None}, "pdf": {"CreationDate": None, "Creator": None,
            "Producer": None}, "png": {"Software": None}}.get(fmt)
    with plt.rc_context(_STIJL):
        fig.savefig(pad, format=fmt, metadata=meta)
    plt.close(fig)  # a saved figure is done: repeated commands in one process must not pile them up
    return pad
