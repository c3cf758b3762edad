"""What the kennisbank knows about an instrument: per-run estimates, pooled, against the literature."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluatie.kennisbank.literatuur import literatuur
from evaluatie.kennisbank.meta import pool

_GROEP = ["instrument", "categorie", "uitkomst", "maat", "horizon", "subgroep"]  # pooled per subgroup too


@dataclass(frozen=True)
class Overzicht:
    """Per-run estimates and, per instrument x categorie x outcome x horizon x methode, the pooled estimate."""

    schattingen: pd.DataFrame
    gepoold: pd.DataFrame
    literatuur: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.gepoold.copy()

    def summary(self) -> str:
        if self.schattingen.empty:
            return "De kennisbank bevat (voor deze selectie) nog geen schattingen."
        regels = []
        kop_sleutels = self.gepoold[_GROEP].drop_duplicates()
        for _, sleutel in kop_sleutels.iterrows():
            kop = (f"{sleutel.instrument} | categorie {sleutel.categorie} | {sleutel.uitkomst} | {sleutel.maat} "
                   f"{int(sleutel.horizon)} mnd" + ("" if sleutel.subgroep == "hele cel" else f" | {sleutel.subgroep}"))
            regels.append(kop)
            sel = sleutel.to_frame().T[_GROEP].astype(self.schattingen[_GROEP].dtypes.to_dict())
            runs = self.schattingen.merge(sel, on=_GROEP)
            for _, r in runs.iterrows():
                regels.append(
                    f"  {r.periode_start}–{r.periode_eind} (run {r.run_id}, {r.methode}): {r.schatting:.3f} "
                    f"[{r.ci_laag:.3f}; {r.ci_hoog:.3f}] n={int(r.n_deelnemers)}"
                )
            for _, g in self.gepoold.merge(sel, on=_GROEP).iterrows():
                if g.k >= 2:
                    regels.append(
                        f"  gepoold {g.methode} (random effects, {int(g.k)} runs): {g.gepoold:.3f} "
                        f"[{g.ci_laag:.3f}; {g.ci_hoog:.3f}], I² = {100 * g.i2:.0f}% (Q-toets p = {g.q_p:.3f})"
                    )
            lit = self.literatuur[self.literatuur.instrument == sleutel.instrument]
            if len(lit) and isinstance(lit.iloc[0].get("richting_werk"), str):
                regels.append(f"  literatuur (extern): {lit.iloc[0].richting_werk} — {lit.iloc[0].bron}")
        return "\n".join(regels)


def overzicht(schattingen: pd.DataFrame) -> Overzicht:
    """Pool, per group and per estimation method, the runs that have an SE (SE from the CI when missing:
    (hoog - laag) / 3.92).

    Estimates of different methods (``gformule``, ``risicoset``, ...) of one run rest on the same clients and
    are not independent evaluations, so they are never pooled with each other: a pooled row combines one
    estimate per run for one method, and ``k`` is the number of distinct runs in it.
    """
    df = schattingen.copy()
    se = df["se"].to_numpy(dtype=float)
    ci_se = (df["ci_hoog"].to_numpy(dtype=float) - df["ci_laag"].to_numpy(dtype=float)) / (2 * 1.959963984540054)
    df["se_pool"] = np.where(np.isfinite(se) & (se > 0), se, ci_se)
    rows = []
    for key, g in df.groupby([*_GROEP, "methode"], sort=True):
        ok = g[np.isfinite(g.se_pool) & (g.se_pool > 0)]
        if "run_id" in ok.columns:
            ok = ok.drop_duplicates("run_id", keep="first")
        rec = dict(zip([*_GROEP, "methode"], key))
        rec["k"] = len(ok)
        if len(ok):
            p = pool(ok.schatting.to_numpy(float), ok.se_pool.to_numpy(float))
            rec.update(gepoold=p.random, se=p.random_se, ci_laag=p.ci_laag, ci_hoog=p.ci_hoog, q=p.q, q_p=p.q_p,
                       i2=p.i2, tau2=p.tau2, pi_laag=p.pi_laag, pi_hoog=p.pi_hoog)
        rows.append(rec)
    cols = [*_GROEP, "methode", "k", "gepoold", "se", "ci_laag", "ci_hoog", "q", "q_p", "i2", "tau2", "pi_laag", "pi_hoog"]
    gepoold = pd.DataFrame(rows, columns=cols)
    lit = literatuur()
    return Overzicht(schattingen.drop(columns=[], errors="ignore"), gepoold, lit[lit.instrument.isin(df.instrument.unique())])


def figuur(schattingen: pd.DataFrame, *, maat: str = "att", horizon: int = 12):
    """Estimates over data periods with 95% CIs, one panel per instrument x categorie (Dutch labels)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = schattingen[(schattingen.maat == maat) & (schattingen.horizon == horizon)].copy()
    groepen = list(d.groupby(["instrument", "categorie"], sort=True))
    n = max(1, len(groepen))
    fig, axes = plt.subplots(n, 1, figsize=(7, 2.2 * n), squeeze=False)
    for ax, ((ins, cat), g) in zip(axes[:, 0], groepen):
        g = g.sort_values("periode_eind")
        x = np.arange(len(g))
        y, lo, hi = (g[c].to_numpy(float) for c in ("schatting", "ci_laag", "ci_hoog"))
        ax.errorbar(x, y, yerr=np.vstack([y - lo, hi - y]), fmt="o", capsize=3)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(x, [f"{a[:4]}–{b[:4]}" for a, b in zip(g.periode_start, g.periode_eind)])
        ax.set_title(f"{ins}, categorie {cat}", fontsize=9)
        ax.set_ylabel(f"{maat} na {horizon} mnd")
    axes[-1, 0].set_xlabel("Periode van de gegevens")
    fig.tight_layout()
    return fig
