"""The effect counts survive subtraction: no difference a reader can form describes 1-9 persons.

The attack is written here, from the definitions, without the disclosure module: within a cell the groups
are nested (n_deelnemers ⊇ werk ⊇ duurzaam_werk_6 ⊇ duurzaam_werk_12); over the cells of a categorie the
counts add up to the pooled row. A reader subtracts every pair, and fills in a single suppressed cell (or a
suppressed difference) of a margin. None of those may land in 1..9.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.stappen.effectaantallen import effectaantallen

DREMPEL = 10


def _klein(x: float) -> bool:
    return np.isfinite(x) and 0.5 <= abs(x) < DREMPEL - 0.5


def aanval(t: pd.DataFrame) -> list[str]:
    """Every small count a reader derives from the published count table (see module docstring)."""
    fouten = []
    tel = [c for c in t.columns if c.startswith("n_")]
    v = {c: pd.to_numeric(t[c], errors="coerce").to_numpy(dtype=float) for c in tel}
    for r in range(len(t)):
        cel = f"{t.instrument.iloc[r]} x {t.categorie.iloc[r]}"
        for a, b in itertools.combinations(tel, 2):  # nested groups: every difference is a group of persons
            if _klein(v[a][r] - v[b][r]):
                fouten.append(f"{cel}: {a} - {b} = {v[a][r] - v[b][r]:g}")
    detail = (t.instrument != "alle") & (t.categorie != "alle")
    groepen = [(f"categorie {c}", detail & (t.categorie == c), (t.instrument == "alle") & (t.categorie == c))
               for c in t.categorie.unique() if c != "alle"]
    groepen.append(("alles", detail, (t.instrument == "alle") & (t.categorie == "alle")))
    for naam, deel, tot in groepen:
        if not tot.any():
            continue
        d = np.column_stack([v[c][deel.to_numpy()] for c in tel])
        T = np.array([v[c][tot.to_numpy()][0] for c in tel])
        for j, c in enumerate(tel):  # one suppressed cell in a margin is the total minus the others
            if np.isfinite(T[j]) and np.isnan(d[:, j]).sum() == 1 and _klein(T[j] - np.nansum(d[:, j])):
                fouten.append(f"{naam}: {c} van de onderdrukte cel = {T[j] - np.nansum(d[:, j]):g}")
        for j, k in itertools.combinations(range(len(tel)), 2):  # and so is a suppressed difference
            x = d[:, j] - d[:, k]
            if np.isfinite(T[j] - T[k]) and np.isnan(x).sum() == 1 and _klein(T[j] - T[k] - np.nansum(x)):
                fouten.append(f"{naam}: {tel[j]} - {tel[k]} van de onderdrukte cel = {T[j] - T[k] - np.nansum(x):g}")
    return fouten


def _frame(cellen: dict[tuple[str, str], tuple[int, dict[tuple[str, int], int]]]) -> pd.DataFrame:
    rows = []
    for (ins, cat), (n, ev) in cellen.items():
        for (u, h), e in ev.items():
            for maat, methode in (("att", "gformule"), ("att", "risicoset"), ("cif_deelnemers", "gformule")):
                rows.append(dict(instrument=ins, categorie=cat, uitkomst=u, maat=maat, horizon=h, methode=methode,
                                 schatting=0.1, se=0.01, ci_laag=0.0, ci_hoog=0.2, n_deelnemers=n,
                                 n_gebeurtenissen=e))
    return pd.DataFrame(rows)


def test_tabel_met_de_hand():
    """One cell: 100 participants; exits to werk 30 by 12 and 50 by 24 months; durable (6) 20 and 35."""
    eff = _frame({("jc", "A"): (100, {("werk", 12): 30, ("werk", 24): 50, ("duurzaam_werk_6", 12): 20,
                                     ("duurzaam_werk_6", 24): 35})})
    t, spec = effectaantallen(eff, (12, 24))
    r = t.iloc[0]
    assert (r.n_deelnemers, r.n_werk_h12, r.n_duurzaam_werk_6_h12) == (100, 30, 20)
    assert "n_werk_h24" not in t.columns  # one horizon only: the main one (12)
    assert r["verschil_werk_h12_duurzaam_werk_6_h12"] == 10
    assert r["verschil_deelnemers_duurzaam_werk_6_h12"] == 80
    assert set(spec.verborgen) == {c for c in t.columns if c.startswith("verschil_")}


def test_geen_gebeurtenissen_bij_kapotte_nesting():
    """Durable exits above all exits (inconsistent input): no event counts published, not wrong differences."""
    eff = _frame({("jc", "A"): (100, {("werk", 12): 30, ("duurzaam_werk_6", 12): 40})})
    t, spec = effectaantallen(eff, (12, 24))
    assert list(t.columns) == ["instrument", "categorie", "n_deelnemers"]


def test_aanval_vangt_het_oude_lek():
    """The attack can fail: counts in sight that differ by 3 persons are found."""
    t = pd.DataFrame({"instrument": ["jc"], "categorie": ["A"], "n_deelnemers": [100.0], "n_werk_h24": [33.0],
                      "n_duurzaam_werk_6_h24": [30.0]})
    assert aanval(t) == ["jc x A: n_werk_h24 - n_duurzaam_werk_6_h24 = 3"]


def test_beveiligde_tabel_doorstaat_de_aanval():
    """Protected by the disclosure stage, the same kind of counts (small differences everywhere) leak nothing."""
    from evaluatie.uitvoer.beveiliging import beveilig

    rng = np.random.default_rng(3)
    cellen = {}
    for ins, cat in [("jc", "A"), ("lks", "A"), ("pr", "A"), ("jc", "B"), ("lks", "B")]:
        n = int(rng.integers(40, 200))
        w = int(rng.integers(5, n // 3))
        d6 = w - int(rng.integers(0, min(w, 14)))
        d12 = d6 - int(rng.integers(0, min(d6, 14)))
        cellen[(ins, cat)] = (n, {("werk", 12): w, ("duurzaam_werk_6", 12): d6, ("duurzaam_werk_12", 12): d12})
    som: dict = {}
    for (ins, cat), (n, ev) in list(cellen.items()):
        for sleutel in [("alle", cat), ("alle", "alle")]:
            tot = som.setdefault(sleutel, [0, {}])
            tot[0] += n
            for k, e in ev.items():
                tot[1][k] = tot[1].get(k, 0) + e
    cellen.update({k: (v[0], v[1]) for k, v in som.items()})
    t, spec = effectaantallen(_frame(cellen), (12, 24))
    assert aanval(t[[c for c in t.columns if not c.startswith("verschil")]])  # unprotected: it leaks
    beschermd, _ = beveilig({"effecten_aantallen": (t, spec)}, drempel=DREMPEL)
    uit = beschermd["effecten_aantallen"]
    assert not any(c.startswith("verschil") for c in uit.columns)
    assert aanval(uit) == []


@pytest.fixture(scope="module")
def analyse(tmp_path_factory) -> Path:
    from evaluatie.simulatie import schrijf, simuleer

    d = tmp_path_factory.mktemp("aantallen")
    schrijf(simuleer(seed=11, n_clienten=900), d / "in")
    r = CliRunner().invoke(main, ["analyseer", str(d / "in"), "--out", str(d / "uit"), "--bootstrap", "0",
                                  "--n-jobs", "1"])
    assert r.exit_code == 0, r.output
    return d / "uit"


def test_analyseer_publiceert_aantallen_die_de_aanval_doorstaan(analyse):
    tab = analyse / "publiceerbaar" / "tabellen"
    eff = pd.read_csv(tab / "effecten.csv")
    assert "n_gebeurtenissen" not in eff.columns  # one count per month was the leak
    t = pd.read_csv(tab / "effecten_aantallen.csv")
    assert {"n_deelnemers", "n_werk_h12", "n_duurzaam_werk_6_h12", "n_duurzaam_werk_12_h12"} <= set(t.columns)
    assert not any(c.startswith("verschil") for c in t.columns)
    assert aanval(t) == []
    # the intern table keeps every count (for the report and the kennisbank)
    assert "n_gebeurtenissen" in pd.read_csv(analyse / "intern" / "effecten.csv").columns


def test_rapport_en_tabellen_in_een_stelsel():
    """Report and published tables protected in one call: a count both show is suppressed in both or neither,
    and the report's exits at the main horizon are the table's n_werk_h12 (the same cell)."""
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.prepare import persoonmaanden
    from evaluatie.rapport.beveiliging import mee_tabellen, rapporttellingen
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=7, n_clienten=300)
    pm = persoonmaanden(sim.tabellen, waarnemingsperiode=sim.metadata["waarnemingsperiode"])
    eff = schat_effecten(pm, Effectconfig(bootstrap=0, seed=1)).to_frame()
    t, spec = effectaantallen(eff, (12, 24))
    tel = rapporttellingen(DREMPEL, effecten=eff, horizonnen=(12, 24), mee={"effecten_aantallen": (t, spec)})
    rap = tel.beveiligd["effecten"].tabel.set_index(["instrument", "categorie"])
    tab = mee_tabellen(tel)["effecten_aantallen"].set_index(["instrument", "categorie"])
    gedeeld = rap.index.intersection(tab.index)
    assert len(gedeeld) >= 5
    for k in gedeeld:
        for a, b in (("n_deelnemers", "n_deelnemers"), ("n_gebeurtenissen", "n_werk_h12")):
            x, y = rap.loc[k, a], tab.loc[k, b]
            assert pd.isna(x) == pd.isna(y), (k, a, x, y)
            if not pd.isna(x):
                assert float(x) == float(y)
    assert aanval(tab.reset_index()) == []


def test_categorie_zonder_geschatte_cellen_krijgt_een_restrij():
    """All cells of categorie A too small to estimate: A's pooled row is its own rest ('overig'), so the grand
    total still adds up over the detail rows (else alle x alle - alle x B would give alle x C away)."""
    cellen = {("jc", "B"): (40, {("werk", 12): 12}), ("alle", "A"): (21, {("werk", 12): 9}),
              ("alle", "B"): (40, {("werk", 12): 12}), ("alle", "alle"): (61, {("werk", 12): 21})}
    t, spec = effectaantallen(_frame(cellen), (12, 24))
    rest = t[(t.instrument == "overig") & (t.categorie == "A")]
    assert len(rest) == 1 and rest.n_deelnemers.iloc[0] == 21 and rest.n_werk_h12.iloc[0] == 9
    detail = t[(t.instrument != "alle") & (t.categorie != "alle")]
    assert detail.n_werk_h12.sum() == t[(t.instrument == "alle") & (t.categorie == "alle")].n_werk_h12.iloc[0]
