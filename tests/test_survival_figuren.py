"""Figures: Dutch labels, CI bands, byte-identical files, disclosure cut."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from evaluatie.survival import cumulative_incidence, kaplan_meier
from evaluatie.survival.figuren import bewaar, cif_figuur, km_figuur

SIM = "tests/reference/data/sim_survival.csv"


def _results():
    d = pd.read_csv(SIM)
    d["any"] = (d.status > 0).astype(int)
    km = kaplan_meier(d, start="start", stop="stop", event="any", group="categorie")
    ci = cumulative_incidence(d, start="start", stop="stop", event="status", cause=1, group="categorie")
    return km, ci


def test_labels_groups_and_bands():
    km, ci = _results()
    f = cif_figuur(ci, drempel=None)
    assert isinstance(f, Figure)
    ax = f.axes[0]
    assert ax.get_xlabel() == "Maanden sinds start uitkering"
    assert ax.get_ylabel() == "Cumulatieve incidentie uitstroom naar werk"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B", "C"]
    assert len(ax.collections) == 3  # one CI band per group
    assert len(km_figuur(km, ci=False).axes[0].collections) == 0


def test_deterministic_svg(tmp_path):
    km, _ = _results()
    a = bewaar(km_figuur(km), tmp_path / "a.svg").read_bytes()
    b = bewaar(km_figuur(km), tmp_path / "b.svg").read_bytes()
    assert a == b
    assert b"<dc:date>" not in a


def test_disclosure_cut_removes_small_risk_sets():
    km, _ = _results()
    ax = km_figuur(km, drempel=10_000).axes[0]
    assert all(len(line.get_xdata()) <= 1 for line in ax.lines)  # nothing left to draw but the origin
