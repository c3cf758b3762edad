"""Secondary suppression against differencing, one publication at a time (issue 14 family 4).

Every protected output is checked with an independent solver written here: for each suppressed cell the
minimum and maximum value consistent with the published figures (scipy ``linprog``, equations written out
by hand per test) must leave at least two whole numbers.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from evaluatie.disclosure import (
    MIN_DREMPEL,
    Drempelfout,
    Tabelspec,
    beveilig_aantallen,
    beveilig_uitvoer,
    controleer_publiceerbaar,
)


def interval(onbekend: list[str], vergelijkingen: list[tuple[dict[str, float], float]],
             grenzen: dict[str, float], cel: str) -> tuple[float, float]:
    """Min and max of ``cel`` subject to ``sum(coef * x) == rhs`` for each equation and 0 <= x <= bound."""
    A = np.array([[coef.get(u, 0.0) for u in onbekend] for coef, _ in vergelijkingen])
    b = np.array([rhs for _, rhs in vergelijkingen])
    bounds = [(0, grenzen.get(u)) for u in onbekend]
    c = np.array([1.0 if u == cel else 0.0 for u in onbekend])
    lo = linprog(c, A_eq=A, b_eq=b, bounds=bounds)
    hi = linprog(-c, A_eq=A, b_eq=b, bounds=bounds)
    assert lo.status == 0
    return lo.fun, (math.inf if hi.status == 3 else -hi.fun)


def terug_te_rekenen(lo: float, hi: float) -> bool:
    return math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) < 1


def test_drempel_onder_de_ondergrens_geweigerd():
    assert MIN_DREMPEL == 10
    df = pd.DataFrame({"n": [5, 50]})
    with pytest.raises(Drempelfout, match="minstens 10"):
        beveilig_uitvoer({"t": (df, Tabelspec(aantallen=("n",)))}, drempel=5)
    with pytest.raises(Drempelfout, match="minstens 10"):
        controleer_publiceerbaar({"t": df}, {"t": Tabelspec(aantallen=("n",))}, drempel=3)
    with pytest.raises(Drempelfout):
        beveilig_aantallen(df, ["n"], drempel=True)  # a bool is not a threshold
    assert beveilig_aantallen(df, ["n"], drempel=60).tabel["n"].isna().all()  # raising is allowed


def test_categorietotaal_naast_onderdrukte_cel():
    # issue: all = 35, A = 16, B = 13, C = <10  ->  C = 35 - 16 - 13 = 6
    cat = pd.DataFrame({"categorie": list("ABC"), "n": [16, 13, 6]})
    totaal = pd.DataFrame({"n": [35]})
    specs = {"categorie": Tabelspec(aantallen=("n",), marges=((),)), "totaal": Tabelspec(aantallen=("n",))}
    naief = cat.assign(n=[16, 13, np.nan])
    assert controleer_publiceerbaar({"categorie": naief, "totaal": totaal}, specs), "checker must see C = 6"
    b = beveilig_uitvoer({"categorie": (cat, specs["categorie"]), "totaal": (totaal, specs["totaal"])})
    pub = b["categorie"].tabel
    assert pub["n"].isna().tolist() == [False, True, True]  # partner = smallest other cell (B = 13)
    assert b["totaal"].tabel["n"].tolist() == [35]
    assert controleer_publiceerbaar({"categorie": pub, "totaal": b["totaal"].tabel}, specs) == ()
    # independent: B + C = 35 - 16, C shown as '<10', B as 'x'
    lo, hi = interval(["B", "C"], [({"B": 1, "C": 1}, 35 - 16)], {"C": 9}, "C")
    assert not terug_te_rekenen(lo, hi) and (lo, hi) == (0, 9)
    assert b["categorie"].weergave()["n"].tolist() == [16, "x", "<10"]


def test_weggelaten_combinaties_niet_uit_categorietotaal_af_te_leiden():
    # combinations with < 10 participants are left out; the categorie total is published elsewhere
    eff = pd.DataFrame({"instrument": ["a", "b", "c", "a", "b"], "categorie": ["X", "X", "X", "Y", "Y"],
                        "n_deelnemers": [40, 25, 4, 30, 30], "schatting": [0.1, 0.2, 0.3, 0.1, 0.0]})
    cat = pd.DataFrame({"categorie": ["X", "Y"], "n_deelnemers": [69, 60]})
    specs = {"effecten": Tabelspec(aantallen=("n_deelnemers",), marges=(("categorie",),), n_kolom="n_deelnemers",
                                   waarden=("schatting",)),
             "categorieen": Tabelspec(aantallen=("n_deelnemers",))}
    b = beveilig_uitvoer({"effecten": (eff, specs["effecten"]), "categorieen": (cat, specs["categorieen"])})
    e = b["effecten"].tabel
    assert e["n_deelnemers"].isna().tolist() == [False, True, True, False, False]
    assert e["schatting"].isna().tolist() == [False, True, True, False, False]  # partner row's estimate too
    # dropping the suppressed rows from the display must not matter: the unknowns are b and c of X
    lo, hi = interval(["b", "c"], [({"b": 1, "c": 1}, 69 - 40)], {"c": 9}, "c")
    assert not terug_te_rekenen(lo, hi)
    assert controleer_publiceerbaar({"effecten": e, "categorieen": b["categorieen"].tabel}, specs) == ()
    # the naive table (only c left out) is caught
    assert controleer_publiceerbaar({"effecten": eff.assign(n_deelnemers=[40, 25, np.nan, 30, 30],
                                                            schatting=[0.1, 0.2, np.nan, 0.1, 0.0]),
                                     "categorieen": cat}, specs)


def test_rijtotaal_gelezen_geaccepteerd_afgekeurd():
    # 'meer dan 308' next to a suppressed count: gelezen 317 = geaccepteerd 308 + afgekeurd 9
    r = pd.DataFrame({"tabel": ["clienten"], "gelezen": [317], "geaccepteerd": [308], "afgekeurd": [9]})
    spec = Tabelspec(aantallen=("geaccepteerd", "afgekeurd"), rijtotaal=True)
    b = beveilig_uitvoer({"r": (r, spec)})["r"]
    assert b.tabel[["geaccepteerd", "afgekeurd"]].isna().to_numpy().tolist() == [[True, True]]
    lo, hi = interval(["acc", "afg"], [({"acc": 1, "afg": 1}, 317)], {"afg": 9}, "acc")
    assert not terug_te_rekenen(lo, hi)


def test_zelfde_aantal_in_twee_tabellen_samen_onderdrukt():
    a = pd.DataFrame({"gemeente": ["G1", "G2"], "n": [7, 80]})
    b_ = pd.DataFrame({"gemeente": ["G1", "G2"], "n": [7, 80], "jaar": [2024, 2024]})
    specs = {"a": Tabelspec(aantallen=("n",)), "b": Tabelspec(aantallen=("n",))}
    b = beveilig_uitvoer({"a": (a, specs["a"]), "b": (b_.drop(columns="jaar"), specs["b"])})
    assert b["a"].tabel["n"].isna().tolist() == b["b"].tabel["n"].isna().tolist() == [True, False]


def test_lp_grenzen_twee_negens():
    # two cells shown as '<10' whose sum is 18: both must be 9 -> a third cell is needed
    df = pd.DataFrame({"k": list("ABCD"), "n": [9, 9, 40, 50]})
    b = beveilig_uitvoer({"t": (df, Tabelspec(aantallen=("n",), marges=((),)))})["t"]
    assert b.onderdrukt["n"].tolist() == [True, True, True, False]
    for cel in "AB":
        lo, hi = interval(["A", "B", "C"], [({"A": 1, "B": 1, "C": 1}, 108 - 50)], {"A": 9, "B": 9}, cel)
        assert not terug_te_rekenen(lo, hi)
    # the checker sees the two-nines problem when the total is known
    naief = df.assign(n=["<10", "<10", 40, 50])
    assert controleer_publiceerbaar({"t": naief}, {"t": Tabelspec(aantallen=("n",), marges=((),))},
                                    totalen=b.totalen)


def test_cascade_over_twee_marges():
    # 2x3 table with row and column margins: one small cell needs a rectangle of four suppressions
    df = pd.DataFrame({"r": ["p"] * 3 + ["q"] * 3, "k": list("abc") * 2, "n": [5, 20, 30, 25, 40, 60]})
    spec = Tabelspec(aantallen=("n",), marges=(("r",), ("k",)))
    b = beveilig_uitvoer({"t": (df, spec)})["t"]
    m = b.onderdrukt["n"].to_numpy()
    assert m.sum() == 4 and m[0] and m[3]  # p/a and its column partner q/a
    assert controleer_publiceerbaar({"t": b.tabel}, {"t": spec}, totalen=b.totalen) == ()
    # independent check with the four unknowns and the published margins
    w = df.n.to_numpy()
    names = [f"{df.r[i]}{df.k[i]}" for i in range(6)]
    onb = [names[i] for i in np.flatnonzero(m)]
    verg = []
    for groep in (["pa", "pb", "pc"], ["qa", "qb", "qc"], ["pa", "qa"], ["pb", "qb"], ["pc", "qc"]):
        tot = sum(w[names.index(g)] for g in groep)
        coef = {g: 1.0 for g in groep if g in onb}
        if coef:
            verg.append((coef, tot - sum(w[names.index(g)] for g in groep if g not in onb)))
    lo, hi = interval(onb, verg, {"pa": 9}, "pa")
    assert not terug_te_rekenen(lo, hi)


def test_estimate_row_and_curve():
    eff = pd.DataFrame({"instrument": ["a", "b"], "n_deelnemers": [8, 120], "schatting": [0.1, 0.2]})
    curve = pd.DataFrame({"group": ["A"] * 3, "time": [1, 2, 3], "n_risk": [30, 9, 20]})
    specs = {"e": Tabelspec(n_kolom="n_deelnemers", waarden=("schatting",)),
             "c": Tabelspec(curve=("n_risk", ("group",), "time"))}
    b = beveilig_uitvoer({"e": (eff, specs["e"]), "c": (curve, specs["c"])})
    assert b["e"].tabel["schatting"].isna().tolist() == [True, False]
    assert b["c"].tabel["time"].tolist() == [1]
    assert controleer_publiceerbaar({"e": b["e"].tabel, "c": b["c"].tabel}, specs) == ()
    fout = controleer_publiceerbaar({"e": eff, "c": curve}, specs)
    assert any("rij 2, kolom schatting" in f for f in fout) and any("kolom n_risk" in f for f in fout)


def test_controleer_vindt_ids_en_kleine_aantallen():
    df = pd.DataFrame({"naam": ["C0001234"], "n": [3]})
    fout = controleer_publiceerbaar({"t": df}, {"t": Tabelspec(aantallen=("n",))}, client_ids=["C0001234"])
    assert any("C0001234" in f for f in fout) and any("rij 2, kolom n: waarde 3" in f for f in fout)


def test_gepoolde_rijen_en_niet_getoonde_combinaties():
    # pooled row 'alle' of categorie A = 48; shown combinations 20 + 11 + 11; the estimator left out 6
    eff = pd.DataFrame({"instrument": ["p", "q", "r", "overig", "alle", "s", "t", "alle", "alle"],
                        "categorie": ["A", "A", "A", "A", "A", "B", "B", "B", "alle"],
                        "n_deelnemers": [20, 11, 11, 6, 48, 30, 40, 70, 118]})
    spec = Tabelspec(aantallen=("n_deelnemers",), marges=(("categorie",), ()))
    b = beveilig_uitvoer({"e": (eff, spec)})["e"]
    m = b.onderdrukt["n_deelnemers"].tolist()
    assert m[3] and sum(m) == 2 and (m[1] or m[2])  # 'overig' plus the smallest shown combination (11)
    assert controleer_publiceerbaar({"e": b.tabel}, {"e": spec}, totalen=b.totalen) == ()
    naief = eff.assign(n_deelnemers=eff.n_deelnemers.where(eff.instrument != "overig"))
    assert controleer_publiceerbaar({"e": naief}, {"e": spec})  # 48 - 42 = 6
    lo, hi = interval(["q", "o"], [({"q": 1, "o": 1}, 48 - 20 - 11)], {"o": 9}, "o")
    assert not terug_te_rekenen(lo, hi)


def test_verborgen_kolom_via_rijsom():
    # participants 20, of whom 15 found work: the 5 without work are a count of persons too
    d = pd.DataFrame({"cel": ["a", "b"], "n": [20, 50], "met": [15, 20], "zonder": [5, 30]})
    spec = Tabelspec(aantallen=("n", "met"), verborgen=("zonder",), rijsommen=(("n", ("met", "zonder")),))
    b = beveilig_uitvoer({"t": (d, spec)})["t"]
    assert "zonder" not in b.tabel.columns
    assert b.onderdrukt.to_numpy().tolist() == [[False, True], [False, False]]  # 'met' of a hidden: 20-15=5
    assert controleer_publiceerbaar({"t": b.tabel}, {"t": spec}) == ()
    assert controleer_publiceerbaar({"t": d.drop(columns="zonder")}, {"t": spec})


def test_lege_tabel_en_tekstkolom_en_stringsleutels():
    leeg = pd.DataFrame({"k": pd.Series([], dtype="string"), "n": pd.Series([], dtype=float)})
    b = beveilig_uitvoer({"t": (leeg, Tabelspec(aantallen=("n",), marges=((),)))})["t"]
    assert b.tabel.empty and b.n_primair == 0
    d = pd.DataFrame({"k": pd.Series(["a", "b"], dtype="string"), "n": [4, 50], "oordeel": ["positief", "nul"]})
    b = beveilig_uitvoer({"t": (d, Tabelspec(n_kolom="n", waarden=("oordeel",)))})["t"]
    assert b.tabel["oordeel"].isna().tolist() == [True, False] and b.tabel["oordeel"].iloc[1] == "nul"
    assert d["oordeel"].tolist() == ["positief", "nul"]  # input untouched


def _lp_terug_te_rekenen(df: pd.DataFrame, masker: np.ndarray, primair: np.ndarray, totaal: float) -> list[int]:
    """Independent: cells of a two-way table with row, column and grand totals known; which are fixed?"""
    rijen, kolommen = sorted(set(df.r)), sorted(set(df.k))
    onb = list(np.flatnonzero(masker))
    verg = []
    groepen = [df.index[df.r == r] for r in rijen] + [df.index[df.k == k] for k in kolommen] + [df.index]
    for g in groepen:
        coef = {f"c{i}": 1.0 for i in g if masker[i]}
        if 0 < df.n[g].sum() < DREMPEL_TEST:
            continue  # a total below the threshold cannot be published: a reader does not know it
        if coef:
            verg.append((coef, float(df.n[g].sum()) - float(df.n[[i for i in g if not masker[i]]].sum())))
    namen = [f"c{i}" for i in onb]
    grenzen = {f"c{i}": 9 for i in onb if primair[i]}
    uit = []
    for i in onb:
        if 0 < df.n[i] < DREMPEL_TEST:
            lo, hi = interval(namen, verg, grenzen, f"c{i}")
            if terug_te_rekenen(lo, hi):
                uit.append(int(i))
    return uit


from hypothesis import Phase, given, settings, strategies as st  # noqa: E402

DREMPEL_TEST = 10


@settings(max_examples=15, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_willekeurige_tabellen_niet_terug_te_rekenen(nr, nk, data):
    waarden = data.draw(st.lists(st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 60)),
                                 min_size=nr * nk, max_size=nr * nk))
    df = pd.DataFrame({"r": [f"r{i // nk}" for i in range(nr * nk)], "k": [f"k{i % nk}" for i in range(nr * nk)],
                       "n": waarden})
    spec = Tabelspec(aantallen=("n",), marges=(("r",), ("k",), ()))
    tot = pd.DataFrame({"n": [float(sum(waarden))]})
    b = beveilig_uitvoer({"t": (df, spec), "totaal": (tot, Tabelspec(aantallen=("n",)))})
    m = b["t"].onderdrukt["n"].to_numpy()
    assert b["t"].n_primair == int(((df.n > 0) & (df.n < 10)).sum())
    if b["t"].meldingen or b["totaal"].meldingen:
        # only when the published margins themselves give a small cell away (e.g. 45 − 43 with zero columns):
        # then even suppressing every cell, without any bound, leaves it determined
        alles = np.ones(len(df), dtype=bool)
        assert _lp_terug_te_rekenen(df, alles, np.zeros(len(df), dtype=bool), float(sum(waarden)))
        return
    getoond_klein = b["t"].primair["n"].to_numpy()  # shown as '<10' (others: 'x', no bound known)
    if not b["totaal"].onderdrukt["n"].iloc[0]:
        assert _lp_terug_te_rekenen(df, m, getoond_klein, float(sum(waarden))) == []
