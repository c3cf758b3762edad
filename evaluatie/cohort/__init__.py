"""Cohort analysis: per inflow year, the share still on benefit 1 … 9 years after start.

Two estimates side by side:

(a) the VNG table of ``Bijstand.R`` (VNG-Realisatie/Data-Science-Hub-Bijstand), computed exactly as that
    script does (:mod:`evaluatie.cohort.vng`), and
(b) Kaplan-Meier per cohort, censoring uitkeringen still running at the peildatum (:mod:`evaluatie.cohort.km`).

Where the script gives a number (every running uitkering of the cohort is older than k years at the
peildatum) it equals Kaplan-Meier exactly. For recent cohorts the script's share is missing (one running
uitkering younger than k makes R's ``mean()`` NA); filling it by dropping the running uitkeringen
understates, counting them as active forever overstates; Kaplan-Meier censors them at the peildatum.
:meth:`Cohortresultaat.summary` says so in Dutch, with the cells where it matters.

>>> res = cohortanalyse(uitkeringen, peildatum="2019-02-28")     # doctest: +SKIP
>>> print(res.summary()); res.to_frame()
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from evaluatie.cohort.km import km_tabel
from evaluatie.cohort.vng import vng_tabel

__all__ = ["cohortanalyse", "Cohortresultaat", "KOLOMMEN"]

KOLOMMEN: tuple[str, ...] = (
    "instroomjaar", "jaren", "n_cohort", "n_actief", "n_onbepaald", "vng_aandeel", "vng_se", "vng_ci_laag",
    "vng_ci_hoog", "vng_zonder_onbepaald", "vng_lopend_actief", "km_aandeel", "km_se", "km_ci_laag", "km_ci_hoog", "n_risico", "n_uitgestroomd",
    "verschil", "volledig_waargenomen",
)


@dataclass(frozen=True)
class Cohortresultaat:
    """Result of :func:`cohortanalyse`.

    Attributes
    ----------
    tabel : DataFrame
        One row per inflow year × k (columns :data:`KOLOMMEN`); shares as fractions 0-1. ``vng_*`` from
        :func:`evaluatie.cohort.vng.vng_tabel`, ``km_*`` from :func:`evaluatie.cohort.km.km_tabel`;
        ``verschil`` = ``vng_aandeel - km_aandeel``; ``volledig_waargenomen`` = no running uitkering of the
        cohort is younger than k years at the peildatum and none ends after it (there VNG = KM exactly).
    peildatum : Timestamp
    jaren : tuple of int
    n : int
        Uitkeringen used.
    n_uitgestroomd : int
        Of which ended on or before the peildatum (events for Kaplan-Meier).
    waarschuwingen : tuple of str
    """

    tabel: pd.DataFrame
    peildatum: pd.Timestamp
    jaren: tuple[int, ...]
    n: int
    n_uitgestroomd: int
    waarschuwingen: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """The tidy table (copy)."""
        return self.tabel.copy()

    def breed(self, maat: str = "vng_aandeel") -> pd.DataFrame:
        """One column per k, one row per inflow year, in percent (the shape of the VNG figure)."""
        # float64, so that a missing cell (NaN, also after disclosure control's nullable Float64) prints as na_rep
        return (self.tabel.pivot(index="instroomjaar", columns="jaren", values=maat).astype("float64") * 100).round(1)

    def summary(self) -> str:
        """Dutch report: both tables, and why they differ."""
        t = self.tabel
        r = [f"Cohortanalyse: aandeel nog in de bijstand k jaar na start, per instroomjaar (peildatum "
             f"{self.peildatum.date()}; {self.n} uitkeringen, {self.n_uitgestroomd} beëindigd vóór of op de peildatum)."]
        r.append("")
        r.append("(a) VNG-methode (Bijstand.R), % nog actief; '-' = het script geeft hier geen cijfer (NA):")
        r.append(self.breed("vng_aandeel").to_string(na_rep="-"))
        r.append("")
        r.append("(b) Kaplan-Meier (lopende uitkeringen gecensureerd op de peildatum), % nog in de bijstand:")
        r.append(self.breed("km_aandeel").to_string(na_rep="-"))
        r.append("")
        vol = t[t["volledig_waargenomen"]]
        if len(vol):
            d = vol["verschil"].abs().max()
            r.append(f"Waar het cohort op k jaar volledig is waargenomen ({len(vol)} cellen) geven beide hetzelfde "
                     f"(grootste verschil {0.0 if pd.isna(d) else d * 100:.2g} procentpunt).")
        open_ = t[~t["volledig_waargenomen"]]
        r.append(
            "Waarom ze verschillen: Bijstand.R telt een uitkering zonder einddatum alleen als actief na k jaar als start + "
            "k jaar vóór de peildatum ligt; anders is onbekend of ze dan nog loopt (NA) en wordt het gemiddelde van het "
            "hele cohort NA (mean() zonder na.rm). Voor recente cohorten geeft de VNG-methode dus geen cijfer "
            f"({int(open_['vng_aandeel'].isna().sum())} lege cellen). Die cellen vullen door de lopende uitkeringen weg "
            "te laten (na.rm = TRUE) ONDERSCHAT het aandeel: juist de lopende, lange uitkeringen vallen weg. Lopende "
            "uitkeringen als 'actief' blijven tellen ('lege einddatum = actief') OVERSCHAT het: ze zouden nooit meer "
            "uitstromen. Kaplan-Meier censureert lopende uitkeringen op de peildatum: tot dan tellen ze mee, daarna "
            "wordt hun kans op doorlopen geschat uit wie wel zo lang gevolgd is."
        )
        cel = open_[open_["km_aandeel"].notna()]
        if len(cel):
            grootste = cel.assign(_a=(cel["vng_lopend_actief"] - cel["km_aandeel"]).abs()).sort_values(
                ["_a", "instroomjaar", "jaren"], ascending=[False, True, True], kind="mergesort").head(5)
            r.append("Recente cohorten, de (hooguit) vijf cellen met het grootste verschil tussen KM en 'lopend actief' "
                     "(KM met 95%-BI; 'lopend actief' en 'zonder lopend' zijn de twee vertekende opvullingen):")
            for x in grootste.itertuples(index=False):
                r.append(f"  - instroom {x.instroomjaar}, {x.jaren} jaar: KM {x.km_aandeel * 100:.1f}% "
                         f"({x.km_ci_laag * 100:.1f}–{x.km_ci_hoog * 100:.1f}); lopend actief {x.vng_lopend_actief * 100:.1f}%; "
                         f"zonder lopend {x.vng_zonder_onbepaald * 100:.1f}%; {x.n_onbepaald} van {x.n_cohort} uitkeringen "
                         f"liepen op de peildatum nog en waren jonger dan {x.jaren} jaar")
        if self.waarschuwingen:
            r.append("Waarschuwingen:")
            r.extend(f"  - {w}" for w in self.waarschuwingen)
        return "\n".join(r)


def cohortanalyse(
    uitkeringen: pd.DataFrame,
    *,
    peildatum: Any,
    jaren: Iterable[int] = range(1, 10),
    niveau: float = 0.95,
) -> Cohortresultaat:
    """Share still on benefit k years after start per inflow year: VNG table and Kaplan-Meier.

    Parameters
    ----------
    uitkeringen : DataFrame
        Schema table ``uitkeringen`` (``startdatum``, ``einddatum``; empty einddatum = running). Not modified.
    peildatum : date-like
        Reference date of the data: running uitkeringen are censored here (Kaplan-Meier); the VNG script
        compares with it (its hard-coded "2018-07-09").
    jaren : iterable of int
        Whole years after start (default 1 … 9; ``Bijstand.R`` uses 1 … period_end − period_start).
    niveau : float
        Confidence level of the intervals.

    Returns
    -------
    Cohortresultaat
    """
    jaren_t = tuple(int(j) for j in jaren)
    if not jaren_t or min(jaren_t) < 1:
        raise ValueError(f"jaren: verwacht gehele getallen vanaf 1, kreeg {jaren_t!r}")
    for kol in ("startdatum", "einddatum"):
        if kol not in uitkeringen.columns:
            raise KeyError(f"kolom {kol!r} ontbreekt in uitkeringen; verwacht de schematabel uitkeringen")
    peil = pd.Timestamp(peildatum).normalize()
    start = pd.to_datetime(uitkeringen["startdatum"]).reset_index(drop=True)
    eind = pd.to_datetime(uitkeringen["einddatum"]).reset_index(drop=True)
    waarsch: list[str] = []
    geen_start = start.isna().to_numpy()
    if geen_start.any():
        waarsch.append(f"{int(geen_start.sum())} uitkering(en) zonder startdatum weggelaten")
    verkeerd = (eind < start).to_numpy()
    if verkeerd.any():
        waarsch.append(f"{int(verkeerd.sum())} uitkering(en) met einddatum vóór startdatum weggelaten")
    na_peil = (start > peil).to_numpy()
    if na_peil.any():
        waarsch.append(f"{int(na_peil.sum())} uitkering(en) met startdatum na de peildatum {peil.date()} weggelaten")
    eind_na = (eind > peil).to_numpy()
    if eind_na.any():
        waarsch.append(f"{int(eind_na.sum())} uitkering(en) met einddatum na de peildatum: de VNG-methode gebruikt die "
                       "einddatum, Kaplan-Meier censureert op de peildatum")
    houd = ~(geen_start | verkeerd | na_peil)
    start, eind = start[houd].reset_index(drop=True), eind[houd].reset_index(drop=True)

    v = vng_tabel(start, eind, jaren_t, peildatum=peil)
    k = km_tabel(start, eind, jaren_t, peildatum=peil, niveau=niveau)
    t = v.merge(k, on=["instroomjaar", "jaren"], how="left", validate="one_to_one")
    t["verschil"] = t["vng_aandeel"] - t["km_aandeel"]
    # fully observed at k: no running uitkering younger than k at the peildatum, no einddatum after it
    eind_na_c = pd.Series((eind > peil).to_numpy(), dtype=bool).groupby(start.dt.year.to_numpy()).sum()
    t["volledig_waargenomen"] = (t["n_onbepaald"] == 0).to_numpy() & (t["instroomjaar"].map(eind_na_c).fillna(0) == 0).to_numpy()
    ended = int(((eind.notna()) & (eind <= peil)).sum())
    return Cohortresultaat(
        tabel=t.loc[:, list(KOLOMMEN)].reset_index(drop=True),
        peildatum=peil,
        jaren=jaren_t,
        n=int(len(start)),
        n_uitgestroomd=ended,
        waarschuwingen=tuple(waarsch),
    )
