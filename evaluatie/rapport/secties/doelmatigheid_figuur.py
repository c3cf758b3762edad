"""Cost-effect figure of 'Wat levert het op?': per cell the cost per participant against the benefit months
saved; vertical bar = the 95% interval of the months saved, horizontal bar = the cost ±25% of the sensitivity
table (costs have no sampling error), so each cell is a cross. The dashed line is break-even for the gemeente."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
import pandas as pd  # noqa: E402

from evaluatie.rapport.figuren import _kleur  # noqa: E402


def kosteneffectfiguur(cellen: pd.DataFrame, *, uitkering_per_maand: float, aandeel: float) -> Figure:
    """``cellen``: published doelmatigheid rows of one perspective and horizon (instrument cells)."""
    fig = Figure(figsize=(7.0, 4.6))
    ax = fig.add_subplot(1, 1, 1)
    for _, r in cellen.iterrows():
        y, lo, hi = r.maanden_bespaard, r.maanden_bespaard_ci_laag, r.maanden_bespaard_ci_hoog
        x = r.kosten_per_deelnemer
        ax.errorbar([x], [y], yerr=[[max(y - lo, 0)], [max(hi - y, 0)]] if pd.notna(lo) else None,
                    xerr=[[0.25 * x], [0.25 * x]], fmt="o", color=_kleur(r.categorie), ms=5, capsize=2, lw=1)
    if len(cellen):
        xs = sorted(cellen.kosten_per_deelnemer)
        ax.plot([0, xs[-1] * 1.1], [0, xs[-1] * 1.1 / (aandeel * uitkering_per_maand)], ls="--", color="grey", lw=1)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel("kosten per deelnemer (euro)")
    ax.set_ylabel("bespaarde uitkeringsmaanden per deelnemer")
    for cat in sorted(set(cellen.categorie)):
        ax.plot([], [], "o", color=_kleur(cat), label=f"categorie {cat}")
    ax.plot([], [], ls="--", color="grey", label="break-even (gemeente)")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
