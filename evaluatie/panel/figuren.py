"""Event-study figure (Dutch labels, deterministic PNG)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluatie.panel.gemeente import INDICATOREN, Gebeurtenisstudie


def figuur_gebeurtenisstudie(es: Gebeurtenisstudie, pad: str | Path, *, dpi: int = 120) -> Path:
    """Plot event-study coefficients with 95% CIs (CR2/Bell-McCaffrey) by year relative to the policy year.

    The PNG carries no timestamp or software metadata, so the same result gives the same bytes.

    Parameters
    ----------
    es : Gebeurtenisstudie
        Result of :func:`evaluatie.panel.gebeurtenisstudie`.
    pad : path
        Output file (``.png``).
    dpi : int
        Resolution.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    f = es.to_frame()
    label = INDICATOREN.get(es.indicator, (es.indicator,))[0]
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ref = f["referentie"].to_numpy()
    x = f["relatief_jaar"].to_numpy()
    y = f["schatting"].to_numpy()
    lo = f["ci_laag"].to_numpy()
    hi = f["ci_hoog"].to_numpy()
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(-0.5, color="0.3", lw=0.8, ls="--")
    ax.errorbar(x[~ref], y[~ref], yerr=np.vstack([y[~ref] - lo[~ref], hi[~ref] - y[~ref]]), fmt="o",
                color="#1f4e79", ecolor="#1f4e79", capsize=3, lw=1.2, label="schatting met 95%-BI (CR2)")
    ax.plot(x[ref], y[ref], marker="o", mfc="white", color="#1f4e79", ls="none", label=f"referentiejaar {es.jaar - 1}")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{k:+d}\n{es.jaar + k}" for k in x])
    ax.set_xlabel(f"jaren ten opzichte van de beleidswijziging ({es.jaar})")
    ax.set_ylabel(f"verschil behandeld − controle\n({label}, punt)")
    titel = f"Gebeurtenisstudie: {label}"
    if es.pretrend is not None:
        titel += f"\npre-trendtoets (CR2/HTZ) p = {es.pretrend.p:.2f}"
    ax.set_title(titel, fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="best")
    fig.tight_layout()
    pad = Path(pad)
    fig.savefig(pad, dpi=dpi, format="png", metadata={"Software": None})
    plt.close(fig)
    return pad
