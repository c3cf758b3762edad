"""Effect figures for the report: forest plot, effect over time (lock-in), participants vs
counterfactual, exit to work by categorie. Dutch labels, object API (no pyplot state).

Every function takes an already disclosure-controlled frame (suppressed rows dropped by the caller) and
returns a matplotlib :class:`~matplotlib.figure.Figure`; render with
:func:`evaluatie.rapport.inhoud.figuur_png` for deterministic PNG bytes.
"""
from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaluatie.rapport.secties.opmaak import celnaam, instrumentnaam  # noqa: E402

KLEUREN = {"A": "#1f77b4", "B": "#ff7f0e", "C": "#2ca02c", "alle": "#555555", "onbekend": "#999999",
           "jongeren": "#9467bd"}
GRIJS = "#8c8c8c"
STIJL = {"font.size": 9, "axes.titlesize": 10, "svg.hashsalt": "evaluatie"}


def _kleur(categorie: object) -> str:
    return KLEUREN.get(str(categorie), "#333333")


def _tick(v: float) -> str:
    s = f"{round(v, 2):g}".replace(".", ",")
    return s.replace("-", "\u2212") if s not in ("-0", "0") else "0"


def _nl_as(ax, as_: str = "x") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: _tick(v))
    (ax.xaxis if as_ == "x" else ax.yaxis).set_major_formatter(fmt)


def _cellen_in_volgorde(data: pd.DataFrame) -> list[tuple[tuple[str, str], pd.DataFrame]]:
    """Groups per (instrument, categorie) in the order of first appearance (the caller's table order)."""
    return list(data.groupby(["instrument", "categorie"], sort=False))


def _titel(instrument: str, categorie: str, breedte: int = 34) -> str:
    """Panel title: the instrument (wrapped), the categorie on its own line."""
    cat = "alle categorieën" if categorie == "alle" else f"categorie {categorie}"
    return textwrap.fill(instrumentnaam(instrument), breedte) + "\n" + cat


def _leeg(tekst: str) -> Figure:
    fig = Figure(figsize=(6, 1.2))
    ax = fig.subplots()
    ax.text(0.5, 0.5, tekst, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def bosfiguur(data: pd.DataFrame, *, horizonnen: Sequence[int]) -> Figure:
    """Forest plot of the ATT (percentage points, 95% CI) per instrument × categorie, one panel per horizon.

    Parameters
    ----------
    data : DataFrame
        Long: instrument, categorie, horizon, schatting, ci_laag, ci_hoog (shares), gevlagd (bool) and
        optionally naief (the uncorrected difference at that horizon, drawn as a grey cross).
    horizonnen : sequence of int
        Horizons to draw (months), one panel each.

    Notes
    -----
    Cells are drawn top to bottom in the order of ``data``. Flagged cells are drawn hollow and grey and get
    a ``*`` in their label.
    """
    if data.empty:
        return _leeg("Geen effecten om te tonen")
    cellen = data[["instrument", "categorie"]].drop_duplicates().reset_index(drop=True)  # the caller's (table) order
    gevlagd = data.groupby(["instrument", "categorie"]).gevlagd.any()
    labels = [celnaam(r.instrument, r.categorie) + (" *" if gevlagd.get((r.instrument, r.categorie), False) else "")
              for r in cellen.itertuples()]
    ypos = {(r.instrument, r.categorie): i for i, r in enumerate(cellen.itertuples())}
    hs = [h for h in horizonnen if (data.horizon == h).any()]
    with matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(3.2 + 2.6 * len(hs), 0.34 * len(cellen) + 1.4), layout="constrained")
        axes = fig.subplots(1, len(hs), sharey=True, squeeze=False)[0]
        for ax, h in zip(axes, hs):
            d = data[data.horizon == h]
            heeft_naief = "naief" in d.columns and d["naief"].notna().any()
            for r in d.itertuples():
                y = ypos[(r.instrument, r.categorie)]
                kleur = GRIJS if r.gevlagd else _kleur(r.categorie)
                ax.plot([100 * r.ci_laag, 100 * r.ci_hoog], [y, y], color=kleur, lw=1.6)
                ax.plot([100 * r.schatting], [y], "o", color=kleur, mfc="white" if r.gevlagd else kleur, ms=6)
                if heeft_naief and pd.notna(r.naief):
                    ax.plot([100 * r.naief], [y], "x", color="#444444", ms=5)
            ax.axvline(0, color="#444444", lw=0.8)
            ax.set_title(f"Na {h} maanden")
            ax.set_xlabel("Effect (procentpunt, 95%-BI)")
            ax.grid(axis="x", color="#e5e5e5", lw=0.6)
            _nl_as(ax, "x")
        axes[0].set_yticks(range(len(cellen)), labels)
        axes[0].invert_yaxis()
        uitleg = "punt = netto effect, lijn = 95%-BI; open grijs * = gevlagd (onzeker)"
        if "naief" in data.columns and data["naief"].notna().any():
            uitleg += "; kruisje = naïef verschil"
        fig.suptitle(f"Netto effect op uitstroom naar werk per instrument en categorie\n({uitleg})", fontsize=9)
    return fig



def _paneelraster(cellen: list, kolommen: int, *, extra_hoogte: float) -> tuple[Figure, list]:
    """A grid of small panels, one per cell (at most ``kolommen`` wide; unused panels hidden)."""
    n = len(cellen)
    kolommen = min(kolommen, n)
    rijen = int(np.ceil(n / kolommen))
    fig = Figure(figsize=(2.6 * kolommen + 0.6, 2.2 * rijen + extra_hoogte), layout="constrained")
    axes = fig.subplots(rijen, kolommen, sharex=True, squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    return fig, list(zip(axes.ravel(), cellen))

def verloopfiguur(data: pd.DataFrame, *, kolommen: int = 3) -> Figure:
    """Effect over months since start (lock-in dip, catching up), one small panel per cell.

    ``data``: instrument, categorie, horizon, schatting, ci_laag, ci_hoog (ATT as shares); panels in the
    order of ``data``.
    """
    if data.empty:
        return _leeg("Geen effectverloop om te tonen")
    with matplotlib.rc_context(STIJL):
        fig, panelen = _paneelraster(_cellen_in_volgorde(data), kolommen, extra_hoogte=0.7)
        for ax, ((ins, cat), g) in panelen:
            g = g.sort_values("horizon")
            k = _kleur(cat)
            ax.fill_between(g.horizon, 100 * g.ci_laag, 100 * g.ci_hoog, color=k, alpha=0.2, lw=0)
            ax.plot(g.horizon, 100 * g.schatting, color=k, lw=1.6)
            ax.axhline(0, color="#444444", lw=0.8)
            ax.set_title(_titel(ins, cat), fontsize=8)
            ax.tick_params(labelsize=7)
            _nl_as(ax, "y")
        fig.supxlabel("Maanden sinds start instrument", fontsize=8)
        fig.supylabel("Effect (procentpunt, 95%-BI)", fontsize=8)
    return fig


def cif_figuur(data: pd.DataFrame, *, kolommen: int = 3) -> Figure:
    """Cumulative exit to work of participants vs the same people without the instrument (estimated).

    ``data``: instrument, categorie, horizon, deelnemers, controle (shares 0..1); panels in the order of
    ``data``.
    """
    if data.empty:
        return _leeg("Geen curves om te tonen")
    with matplotlib.rc_context(STIJL):
        fig, panelen = _paneelraster(_cellen_in_volgorde(data), kolommen, extra_hoogte=0.9)
        for ax, ((ins, cat), g) in panelen:
            g = g.sort_values("horizon")
            ax.plot(g.horizon, 100 * g.deelnemers, color=_kleur(cat), lw=1.6, label="deelnemers")
            ax.plot(g.horizon, 100 * g.controle, color="black", lw=1.0, ls="--", label="zonder instrument (geschat)")
            ax.set_title(_titel(ins, cat), fontsize=8)
            ax.tick_params(labelsize=7)
            _nl_as(ax, "y")
        panelen[0][0].legend(fontsize=6.5, loc="upper left", frameon=False)
        fig.supxlabel("Maanden sinds start instrument", fontsize=8)
        fig.supylabel("Cumulatief % uitgestroomd naar werk", fontsize=8)
    return fig


def uitstroomfiguur(curves: pd.DataFrame) -> Figure:
    """Cumulative incidence of exit to work by categorie (other exits competing), with 95% bands.

    ``curves``: group, time (months), estimate, ci_lower, ci_upper (shares), already cut by
    :func:`evaluatie.disclosure.knip_curve`.
    """
    if curves.empty:
        return _leeg("Geen curves om te tonen")
    with matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(7, 4), layout="constrained")
        ax = fig.subplots()
        for grp, g in curves.groupby("group", sort=True):
            g = g.sort_values("time", kind="mergesort")
            k = _kleur(grp)
            ax.step(g.time, 100 * g.estimate, where="post", color=k, label=f"categorie {grp}")
            if {"ci_lower", "ci_upper"} <= set(g.columns):
                ax.fill_between(g.time, 100 * g.ci_lower, 100 * g.ci_upper, step="post", color=k, alpha=0.15, lw=0)
        ax.set_xlabel("Maanden sinds start uitkering")
        ax.set_ylabel("Uitgestroomd naar werk (cumulatief %, 95%-band)")
        ax.set_xlim(0, float(curves.time.max()))
        ax.set_ylim(bottom=0)
        _nl_as(ax, "y")
        ax.legend(fontsize=8, frameon=False)
        ax.set_title("Uitstroom naar werk per categorie (andere uitstroom als concurrerend risico)")
    return fig


#: Divosa: about 1 in 5 of those who leave for work are back within a year (drawn as a reference point).
DIVOSA_PUNT = (12, 20.0)
TRAJECTKLEUREN = {"met traject": "#154273", "zonder traject": GRIJS}
TRAJECTNAAM = {"met traject": "deelnemers (traject)", "zonder traject": "niet-deelnemers"}


def terugvalfiguur(curves: pd.DataFrame) -> Figure:
    """Cumulative return to benefit after an exit to work: per categorie (left) and participants vs others (right).

    ``curves``: groepering (``categorie`` | ``traject``), groep, time (months after the exit), cif, ci_laag,
    ci_hoog (shares), already cut by :func:`evaluatie.disclosure.knip_curve`. The Divosa figure (about 1 in 5
    back within a year) is drawn as a grey diamond for context.
    """
    if curves.empty:
        return _leeg("Geen terugvalcurves om te tonen")
    panelen = [(g, t) for g, t in (("categorie", "Per categorie"), ("traject", "Deelnemers en niet-deelnemers"))
               if (curves.groepering == g).any()]
    with matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(3.6 * len(panelen) + 0.6, 3.6), layout="constrained")
        axes = fig.subplots(1, len(panelen), sharey=True, squeeze=False)[0]
        for ax, (g, titel) in zip(axes, panelen):
            d = curves[curves.groepering == g]
            for grp, c in d.groupby("groep", sort=True):
                c = c.sort_values("time", kind="mergesort")
                k = TRAJECTKLEUREN.get(str(grp), GRIJS) if g == "traject" else _kleur(grp)
                naam = TRAJECTNAAM.get(str(grp), str(grp)) if g == "traject" else f"categorie {grp}"
                ax.step(c.time, 100 * c.cif, where="post", color=k, label=naam)
                ax.fill_between(c.time, 100 * c.ci_laag, 100 * c.ci_hoog, step="post", color=k, alpha=0.15, lw=0)
            ax.plot([DIVOSA_PUNT[0]], [DIVOSA_PUNT[1]], "D", color="#444444", mfc="white", ms=6, label="Divosa: ± 1 op 5")
            ax.set_title(titel)
            ax.set_xlabel("Maanden na uitstroom naar werk")
            ax.set_xlim(0, float(curves.time.max()))
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", color="#e5e5e5", lw=0.6)
            _nl_as(ax, "y")
            ax.legend(fontsize=7, frameon=False, loc="upper left")
        axes[0].set_ylabel("Terug in de bijstand (cumulatief %, 95%-band)")
    return fig


def duurzaamfiguur(data: pd.DataFrame, *, horizon: int, k: int) -> Figure:
    """Per cell the effect on exit to work and on durable work (percentage points, 95% CI), side by side.

    ``data``: instrument, categorie, werk, werk_laag, werk_hoog, duurzaam, duurzaam_laag, duurzaam_hoog (shares),
    tegengesteld (bool), gevlagd (bool); cells top to bottom in the order of ``data``. A cell whose two effects
    point in opposite directions gets a ``!`` in its label.
    """
    if data.empty:
        return _leeg("Geen effecten op duurzaam werk om te tonen")
    labels = [celnaam(r.instrument, r.categorie) + (" !" if r.tegengesteld else "") + (" *" if r.gevlagd else "")
              for r in data.itertuples()]
    with matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(7.2, 0.42 * len(data) + 1.5), layout="constrained")
        ax = fig.subplots()
        for y, r in enumerate(data.itertuples()):
            for dy, (a, lo, hi), kleur, mk in ((-0.14, (r.werk, r.werk_laag, r.werk_hoog), "#154273", "o"),
                                               (0.14, (r.duurzaam, r.duurzaam_laag, r.duurzaam_hoog), "#c05000", "s")):
                if pd.isna(a):
                    continue
                k_ = GRIJS if r.gevlagd else kleur
                if pd.notna(lo) and pd.notna(hi):
                    ax.plot([100 * lo, 100 * hi], [y + dy, y + dy], color=k_, lw=1.5)
                ax.plot([100 * a], [y + dy], mk, color=k_, mfc="white" if r.gevlagd else k_, ms=5.5)
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_yticks(range(len(data)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(f"Effect na {horizon} maanden (procentpunt, 95%-BI)")
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
        _nl_as(ax, "x")
        ax.plot([], [], "o", color="#154273", label="uitstroom naar werk")
        ax.plot([], [], "s", color="#c05000", label=f"duurzaam werk ({k} mnd geen uitkering)")
        fig.legend(fontsize=7.5, frameon=False, loc="outside lower center", ncols=2)
        ax.set_title("Effect op uitstroom naar werk en op duurzaam werk\n(! = tegengesteld; * = gevlagd)", fontsize=9)
    return fig
