"""Monthly series: 12-month rolling totals and 12-month growth, where monthly data exist.

The schema's ``gemeenten`` table is yearly; ``poort`` may hold month rows. The API takes any monthly
frame (``gemeentecode``, ``jaar``, ``maand`` and count columns), so monthly caseload and flows (CBS
82015NED per maand) can be added later without changing callers. Without monthly data the result says
so (``beschikbaar=False`` and a reason) instead of returning an empty table silently.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Maandreeksen:
    """12-month rolling totals (``<kolom>_12m``) and 12-month growth (``<niveau>_groei_12m``, %).

    Attributes
    ----------
    tabel : DataFrame
        gemeentecode, jaar, maand, the input columns, and the rolling columns (NaN until 12
        consecutive months are available).
    beschikbaar : bool
        False when there were no monthly rows.
    reden : str
        Why not available (Dutch), empty otherwise.
    spec : dict
        Columns summed and the level column.
    waarschuwingen : tuple of str
    """

    tabel: pd.DataFrame
    beschikbaar: bool
    reden: str
    spec: dict = field(default_factory=dict)
    waarschuwingen: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return int(self.tabel["gemeentecode"].nunique()) if self.beschikbaar else 0

    def to_frame(self) -> pd.DataFrame:
        return self.tabel.copy()

    def summary(self) -> str:
        if not self.beschikbaar:
            return f"Maandreeksen: niet berekend — {self.reden}"
        return (f"Maandreeksen: 12-maands voortschrijdende totalen voor {', '.join(self.spec['sommen'])} "
                f"({self.n} gemeenten, {len(self.tabel)} maanden).")


def maandreeksen(maanden: pd.DataFrame | None, *, sommen: tuple[str, ...] = ("instroom", "uitstroom"),
                 niveau: str | None = "feitelijk_aantal") -> Maandreeksen:
    """12-month rolling totals of flow columns and 12-month growth of a level column.

    Parameters
    ----------
    maanden : DataFrame or None
        Monthly rows: ``gemeentecode``, ``jaar``, ``maand`` (1–12) and the columns named in ``sommen``
        and ``niveau`` (those absent are skipped). Rows with empty ``maand`` are ignored.
    sommen : tuple of str
        Flow columns to total over the last 12 months (only where all 12 months are present).
    niveau : str or None
        Stock column for growth ``100 · (x_t / x_{t−12} − 1)``.

    Returns
    -------
    Maandreeksen
    """
    if maanden is None or "maand" not in maanden.columns or maanden["maand"].notna().sum() == 0:
        return Maandreeksen(pd.DataFrame(columns=["gemeentecode", "jaar", "maand"]), False,
                            "geen maandgegevens aangeleverd (alleen jaarcijfers); 12-maands voortschrijdende "
                            "totalen en 12-maandsgroei vragen een rij per gemeente per maand",
                            {"sommen": list(sommen), "niveau": niveau})
    df = maanden[maanden["maand"].notna()].copy()
    df["maand"] = df["maand"].astype(int)
    df["jaar"] = df["jaar"].astype(int)
    df["_t"] = df["jaar"] * 12 + df["maand"] - 1
    s_kols = [c for c in sommen if c in df.columns]
    n_kol = niveau if niveau is not None and niveau in df.columns else None
    delen = []
    for code, d in df.sort_values(["gemeentecode", "_t"], kind="mergesort").groupby("gemeentecode", sort=True):
        t = np.arange(d["_t"].min(), d["_t"].max() + 1)
        vol = d.set_index("_t").reindex(t)
        vol["gemeentecode"] = code
        vol["jaar"] = t // 12
        vol["maand"] = t % 12 + 1
        for c in s_kols:
            vol[f"{c}_12m"] = vol[c].astype(float).rolling(12, min_periods=12).sum()
        if n_kol:
            x = vol[n_kol].astype(float)
            vol[f"{n_kol}_groei_12m"] = 100.0 * (x / x.shift(12) - 1.0)
        delen.append(vol[vol.index.isin(d["_t"])].reset_index(drop=True))
    tabel = pd.concat(delen, ignore_index=True).drop(columns=["_t"], errors="ignore")
    if {"meldingen_12m", "toekenningen_12m"} <= set(tabel.columns):
        tabel["preventiequotum_12m"] = 100.0 * (1.0 - tabel["toekenningen_12m"] / tabel["meldingen_12m"])
    warn = []
    if not s_kols and not n_kol:
        warn.append(f"maandgegevens bevatten geen van de kolommen {', '.join(sommen)}"
                    + (f" of {niveau}" if niveau else ""))
    return Maandreeksen(tabel, True, "", {"sommen": s_kols, "niveau": n_kol}, tuple(warn))
