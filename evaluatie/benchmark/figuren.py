"""Figures for a raadslid: % of norm over time, flows vs the group, index, funnel, sensitivity.

Each function takes a :class:`~evaluatie.benchmark.analyse.Benchmarkresultaat` and returns a
matplotlib ``Figure`` (object API, no pyplot state). :func:`bewaar` writes deterministic PNG
(fixed dpi, no Software/date metadata) or SVG (fixed ``svg.hashsalt``, no date).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaluatie.benchmark.analyse import Benchmarkresultaat  # noqa: E402
from evaluatie.benchmark.indicatoren import LABELS  # noqa: E402
from evaluatie.benchmark.vergelijkingsgroep import METHODE_LABEL  # noqa: E402

DPI = 120
KLEUR_GEMEENTE = "#c0392b"
KLEUR_NL = "#555555"
KLEUR_METHODE = {"buig": "#1f77b4", "structureel": "#2ca02c", "synthetisch": "#9467bd"}
STIJL = {"svg.hashsalt": "evaluatie", "svg.fonttype": "none", "font.size": 10, "axes.titlesize": 11}
KORT = {"pct_norm": "Uitkeringen", "instroom_pct": "Instroom", "uitstroom_pct": "Uitstroom",
        "uitstroom_werk_pct": "Uitstroom naar werk", "netto_groei_pct": "Netto groei",
        "preventiequotum": "Preventiequotum"}


def _figuur(breedte: float = 7.5, hoogte: float = 4.5, **kw) -> Figure:
    with sns.axes_style("whitegrid"), matplotlib.rc_context(STIJL):
        fig = Figure(figsize=(breedte, hoogte), layout="constrained")
        fig.subplots(**kw)
    return fig


def _pct(ax) -> None:
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{round(v, 2):g}%".replace(".", ",")))


def _jaren(ax, jaren) -> None:
    ax.set_xticks(list(jaren))
    ax.set_xticklabels([str(j) for j in jaren])


def figuur_norm(r: Benchmarkresultaat) -> Figure:
    """Benefits as % of the norm over time: gemeente, each comparison group (mean) and NL."""
    fig = _figuur()
    ax = fig.axes[0]
    g = r.gevoeligheid[r.gevoeligheid.indicator == "pct_norm"]
    eerste = g[g.methode == g.methode.iloc[0]]
    ax.axhline(100, color="#999999", lw=0.8, ls=":")
    ax.plot(r.landelijk.jaar, r.landelijk.pct_norm, color=KLEUR_NL, ls="--", marker="s", label="Nederland")
    for m, d in g.groupby("methode", sort=False):
        ax.plot(d.jaar, d.groep_gemiddelde, color=KLEUR_METHODE[m], marker="o", lw=1.2,
                label=f"Groep: {METHODE_LABEL[m]}")
    ax.plot(eerste.jaar, eerste.waarde, color=KLEUR_GEMEENTE, marker="o", lw=2.5, label=r.gemeentenaam)
    _jaren(ax, r.jaren)
    _pct(ax)
    ax.set_xlabel("Jaar")
    ax.set_ylabel("Feitelijk aantal uitkeringen in % van de norm")
    ax.set_title(f"Uitkeringen ten opzichte van de norm (BUIG-verdeelmodel), {r.gemeentenaam}")
    ax.legend(frameon=False, fontsize=8)
    return fig


def _jaar_met_stromen(r: Benchmarkresultaat) -> int | None:
    return r.laatste_jaar("uitstroom_pct")


def figuur_stromen(r: Benchmarkresultaat, jaar: int | None = None) -> Figure:
    """In- and outflow as % of the norm in one year: gemeente vs each group (mean and 95% interval)."""
    jaar = _jaar_met_stromen(r) if jaar is None else jaar
    fig = _figuur()
    ax = fig.axes[0]
    inds = ["instroom_pct", "uitstroom_pct", "uitstroom_werk_pct", "netto_groei_pct"]
    if jaar is None:
        ax.text(0.5, 0.5, "Geen in- en uitstroomcijfers aangeleverd", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    d = r.gevoeligheid[(r.gevoeligheid.jaar == jaar) & r.gevoeligheid.indicator.isin(inds)]
    methoden = list(dict.fromkeys(d.methode))
    breedte = 0.8 / (len(methoden) + 1)
    x = np.arange(len(inds))
    eigen = d[d.methode == methoden[0]].set_index("indicator").reindex(inds)
    ax.bar(x - 0.4 + breedte / 2, eigen.waarde, breedte, color=KLEUR_GEMEENTE, label=r.gemeentenaam)
    for i, m in enumerate(methoden, start=1):
        dm = d[d.methode == m].set_index("indicator").reindex(inds)
        pos = x - 0.4 + breedte / 2 + i * breedte
        ax.bar(pos, dm.groep_gemiddelde, breedte, color=KLEUR_METHODE[m], alpha=0.75,
               label=f"Groep: {METHODE_LABEL[m]}")
        ax.errorbar(pos, dm.groep_gemiddelde, yerr=[dm.groep_gemiddelde - dm.pi_laag, dm.pi_hoog - dm.groep_gemiddelde],
                    fmt="none", ecolor="#333333", capsize=3, lw=1)
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_xticks(x)
    ax.set_xticklabels([KORT[i] for i in inds])
    _pct(ax)
    ax.set_ylabel("% van het genormeerde aantal uitkeringen")
    ax.set_title(f"In- en uitstroom {jaar}, {r.gemeentenaam} en vergelijkingsgroepen\n"
                 "(streepjes: 95%-interval voor een gewone gemeente uit de groep)")
    ax.legend(frameon=False, fontsize=8)
    return fig


def figuur_index(r: Benchmarkresultaat) -> Figure:
    """Caseload index (basisjaar = 100): gemeente, NL and each group."""
    fig = _figuur()
    ax = fig.axes[0]
    ax.axhline(100, color="#999999", lw=0.8, ls=":")
    for reeks, d in r.index.groupby("reeks", sort=False):
        if reeks == "gemeente":
            continue
        if reeks == "Nederland":
            ax.plot(d.jaar, d["index"], color=KLEUR_NL, ls="--", marker="s", label="Nederland")
        else:
            m = reeks.split(": ")[1]
            ax.plot(d.jaar, d["index"], color=KLEUR_METHODE[m], marker="o", lw=1.2,
                    label=f"Groep: {METHODE_LABEL[m]}")
    d = r.index[r.index.reeks == "gemeente"]
    ax.plot(d.jaar, d["index"], color=KLEUR_GEMEENTE, marker="o", lw=2.5, label=r.gemeentenaam)
    _jaren(ax, r.jaren)
    ax.set_xlabel("Jaar")
    ax.set_ylabel(f"Index aantal uitkeringen ({r.spec.basisjaar} = 100)")
    ax.set_title(f"Ontwikkeling bijstand {r.gemeentenaam}, {r.spec.basisjaar} = 100")
    ax.legend(frameon=False, fontsize=8)
    return fig


def figuur_trechter(r: Benchmarkresultaat, indicator: str = "pct_norm", jaar: int | None = None) -> Figure:
    """Funnel plot: all gemeenten, indicator vs genormeerd aantal, 95% and 99.8% limits, gemeente highlighted."""
    jaar = r.laatste_jaar(indicator) if jaar is None else jaar
    fig = _figuur(7.5, 5)
    ax = fig.axes[0]
    t = r.trechters[(r.trechters.indicator == indicator) & (r.trechters.jaar == jaar)] if jaar else r.trechters.iloc[:0]
    if t.empty:
        ax.text(0.5, 0.5, f"Geen gegevens voor {LABELS[indicator].lower()}", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    t = t.sort_values("grootte", kind="mergesort")
    kleur = {"boven": "#d62728", "onder": "#1f77b4", "binnen": "#7f7f7f"}
    for kl, d in t.groupby("klasse_998"):
        ax.scatter(d.grootte, 100 * d.waarde, s=12, color=kleur[kl], alpha=0.6,
                   label={"boven": "boven 99,8%-grens", "onder": "onder 99,8%-grens", "binnen": "gemeenten"}[kl])
    for naam, ls in (("95", "--"), ("998", "-")):
        lab = "95%-grenzen" if naam == "95" else "99,8%-grenzen"
        ax.plot(t.grootte, 100 * t[f"grens{naam}_laag"], color="#333333", ls=ls, lw=1, label=lab)
        ax.plot(t.grootte, 100 * t[f"grens{naam}_hoog"], color="#333333", ls=ls, lw=1)
    p = r.trechter_parameters
    doel = p[(p.indicator == indicator) & (p.jaar == jaar)].iloc[0]
    ax.axhline(100 * doel.doel, color="#333333", lw=0.8, ls=":")
    eigen = t[t.eenheid == r.spec.gemeente]
    if not eigen.empty:
        ax.scatter(eigen.grootte, 100 * eigen.waarde, s=90, color=KLEUR_GEMEENTE, edgecolor="black", zorder=5,
                   label=r.gemeentenaam)
        ax.annotate(r.gemeentenaam, (eigen.grootte.iloc[0], 100 * eigen.waarde.iloc[0]), xytext=(8, 8),
                    textcoords="offset points", fontsize=9, fontweight="bold")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", ".")))
    _pct(ax)
    ax.set_xlabel("Genormeerd aantal uitkeringen (logaritmische schaal)")
    ax.set_ylabel(LABELS[indicator])
    extra = {"geen": "zonder overdispersie", "multiplicatief": f"overdispersie multiplicatief (φ = {doel.phi:.1f})",
             "additief": "overdispersie additief, random effects"}[doel.overdispersie]
    ax.set_title(f"Trechterdiagram {KORT[indicator].lower()} {jaar}, alle {len(t)} gemeenten\n({extra})")
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    return fig


def figuur_gevoeligheid(r: Benchmarkresultaat) -> Figure:
    """Difference gemeente − group (with 95% interval) per indicator × comparison method, latest year each."""
    inds = [i for i in KORT if r.laatste_jaar(i) is not None]
    fig = _figuur(7.5, 1.1 + 0.9 * len(inds))
    ax = fig.axes[0]
    methoden = list(dict.fromkeys(r.gevoeligheid.methode))
    labels, y = [], 0.0
    for ind in inds:
        jaar = r.laatste_jaar(ind)
        d = r.gevoeligheid[(r.gevoeligheid.indicator == ind) & (r.gevoeligheid.jaar == jaar)].set_index("methode")
        for j, m in enumerate(methoden):
            if m not in d.index:
                continue
            row = d.loc[m]
            yy = y + j * 0.25
            ax.errorbar(row.verschil, yy, xerr=[[row.verschil - row.ci_laag], [row.ci_hoog - row.verschil]],
                        fmt="o", color=KLEUR_METHODE[m], capsize=3,
                        label=f"Groep: {METHODE_LABEL[m]}" if ind == inds[0] else None)
        labels.append((y + 0.25 * (len(methoden) - 1) / 2, f"{KORT[ind]} {jaar}"))
        y += 1.0
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks([a for a, _ in labels])
    ax.set_yticklabels([b for _, b in labels])
    ax.invert_yaxis()
    ax.set_xlabel(f"Verschil {r.gemeentenaam} − groepsgemiddelde (procentpunt), met 95%-interval")
    ax.set_title("Hangt de conclusie af van de vergelijkingsgroep?")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=max(1, len(methoden)))
    return fig


def alle_figuren(r: Benchmarkresultaat) -> dict[str, Figure]:
    """All figures by file stem."""
    out = {"norm": figuur_norm(r), "stromen": figuur_stromen(r), "index": figuur_index(r),
           "trechter_pct_norm": figuur_trechter(r, "pct_norm")}
    for ind in ("instroom_pct", "uitstroom_pct", "preventiequotum"):
        if r.laatste_jaar(ind) is not None and not r.trechters.empty and (r.trechters.indicator == ind).any():
            out[f"trechter_{ind}"] = figuur_trechter(r, ind)
    out["gevoeligheid"] = figuur_gevoeligheid(r)
    return out


def bewaar(fig: Figure, pad: str | Path, *, dpi: int = DPI) -> Path:
    """Write ``fig`` deterministically (PNG: fixed dpi, no metadata; SVG: fixed hash salt, no date)."""
    pad = Path(pad)
    with matplotlib.rc_context(STIJL):
        if pad.suffix.lower() == ".svg":
            fig.savefig(pad, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(pad, format="png", dpi=dpi, metadata={"Software": None})
    return pad
