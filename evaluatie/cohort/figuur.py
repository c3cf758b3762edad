"""Figure of the cohort table: VNG method next to Kaplan-Meier (Dutch labels, deterministic PNG)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd


def teken(tabel: pd.DataFrame, pad: str | Path, *, titel: str = "Aandeel nog in de bijstand per instroomjaar") -> Path:
    """Draw ``vng_aandeel`` and ``km_aandeel`` (percent) against years since start, one line per inflow year.

    ``tabel`` is :meth:`evaluatie.cohort.Cohortresultaat.to_frame` (possibly after disclosure control:
    missing values are simply not drawn). Same input → byte-identical PNG (Agg backend, no timestamps).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pad = Path(pad)
    cohorten = sorted(tabel["instroomjaar"].unique())
    kleuren = plt.get_cmap("viridis")
    with plt.rc_context({"font.size": 9, "svg.hashsalt": "evaluatie"}):
        fig, assen = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True, dpi=100)
        for ax, kol, sub in ((assen[0], "vng_aandeel", "VNG-methode (Bijstand.R): leeg waar onbekend"),
                             (assen[1], "km_aandeel", "Kaplan-Meier: lopende uitkeringen gecensureerd")):
            for i, j in enumerate(cohorten):
                d = tabel[tabel["instroomjaar"] == j].sort_values("jaren")
                y = pd.to_numeric(d[kol], errors="coerce") * 100
                ax.plot(d["jaren"], y, marker="o", ms=3, lw=1.2, color=kleuren(i / max(1, len(cohorten) - 1)), label=str(j))
            ax.set_title(sub)
            ax.set_xlabel("jaren na start uitkering")
            ax.set_xticks(sorted(tabel["jaren"].unique()))
            ax.set_ylim(0, 100)
            ax.grid(alpha=0.3)
        assen[0].set_ylabel("% nog in de bijstand")
        assen[1].legend(title="instroomjaar", fontsize=7, title_fontsize=8, loc="upper right", ncol=2)
        fig.suptitle(titel)
        fig.tight_layout()
        fig.savefig(pad, format="png", metadata={"Software": None})
        plt.close(fig)
    return pad
