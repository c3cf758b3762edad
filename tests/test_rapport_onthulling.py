"""Acceptance: no suppressed report cell can be recovered by subtraction from the other figures of the report.

The report is built on small simulated stage results (low counts, so that suppression happens), and read
back as a reader sees it: the displayed tables and sentences. The check is independent of
:mod:`evaluatie.disclosure`: the true counts and the additive relations between them are written out here
from what the figures mean (combinations + 'overige combinaties' = all instruments of a categorie,
categories = total, n = with + without exit, gelezen = geaccepteerd + afgekeurd, accepted clients = analysed
+ others, gemeenten = totals of other chapters); for every cell that describes 1–9 persons and is not
published, the minimum and maximum value consistent with all published figures (``scipy.optimize.linprog``;
a cell shown as '<10' is known to be below 10) must leave at least two whole numbers.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from evaluatie.config import Evaluatieconfig
from evaluatie.rapport.secties import bouw_inhoud
from evaluatie.rapport.secties.data import TABELNAAM
from evaluatie.rapport.secties.opmaak import celnaam
from evaluatie.schema import instrumenten

DREMPEL = 10
GEMEENTEN = ("GM0777", "GM1655", "GM1709")


# -- simulated stage results -------------------------------------------------------------------------------
def _cel(ins, cat, n, e, rng):
    rows = []
    basis = dict(instrument=ins, categorie=cat, uitkomst="werk", n_deelnemers=n, vlag="")
    for h in (6, 12):
        a = rng.normal(0.02, 0.05)
        rows.append({**basis, "maat": "att", "horizon": h, "schatting": a, "se": 0.03, "ci_laag": a - 0.06,
                     "ci_hoog": a + 0.06, "methode": "gformule", "n_gebeurtenissen": e if h == 12 else e // 2})
    return rows


def simuleer_uitvoer(seed: int) -> dict:
    """Stage results with the structure the pipeline produces, small counts everywhere."""
    rng = np.random.default_rng(seed)
    cellen, rows = {}, []
    for ins, i in instrumenten().items():
        for cat in i.categorieen or ():
            if rng.random() < 0.75:
                n = int(rng.choice([rng.integers(1, 10), rng.integers(10, 40)], p=[0.35, 0.65]))
                cellen[(ins, cat)] = (n, int(rng.integers(0, n + 1)))
    for (ins, cat), (n, e) in cellen.items():
        if n >= 5:  # the estimator leaves out combinations with fewer than 5 participants: they are in the pool only
            rows += _cel(ins, cat, n, e, rng)
    for cat in "ABC":
        n = sum(v[0] for k, v in cellen.items() if k[1] == cat)
        e = sum(v[1] for k, v in cellen.items() if k[1] == cat)
        rows += _cel("alle", cat, n, e, rng)
    rows += _cel("alle", "alle", sum(v[0] for v in cellen.values()), sum(v[1] for v in cellen.values()), rng)
    effecten = pd.DataFrame(rows)
    n_deel = sum(v[0] for v in cellen.values())
    # per gemeente: participants, clients, exits to work that add up to the population figures
    deel = rng.multinomial(n_deel, [0.5, 0.3, 0.2])
    cl = deel * 4 + rng.integers(0, 12, size=3)
    werk = rng.integers(3, 40, size=3)
    pg = []
    for g, d, c, w in zip(GEMEENTEN, deel, cl, werk):
        for maat, v in (("toerekenbaar_aandeel", 0.05), ("uitstroom_werk", float(w)), ("deelnemers_werk", 2.0)):
            pg.append((g, maat, v, 0.01, v - 0.02, v + 0.02, int(d), int(c)))
    per_gemeente = pd.DataFrame(pg, columns=["gemeentecode", "maat", "schatting", "se", "ci_laag", "ci_hoog",
                                             "n_deelnemers", "n_clienten"])
    n_cl = int(cl.sum())
    populatie = pd.DataFrame({"maat": ["toerekenbaar_aandeel", "uitstroom_werk"], "schatting": [0.1, float(werk.sum())],
                              "ci_laag": [0.05, 1.0], "ci_hoog": [0.15, 2.0], "n_deelnemers": n_deel,
                              "n_clienten": n_cl})
    acc = n_cl + int(rng.integers(1, 9))  # a few accepted clients have no uitkering in the window
    afg = int(rng.integers(1, 9))
    rec = pd.DataFrame({"tabel": ["clienten", "uitkeringen", "trajecten"],
                        "gelezen": [acc + afg, 900, n_deel + 3], "geaccepteerd": [acc, 900, n_deel],
                        "afgekeurd": [afg, 0, 3]})
    telling = pd.DataFrame({"tabel": ["clienten", "trajecten"], "regel": ["datum_in_toekomst", "type"],
                            "aantal": [afg, 3]})
    return dict(cellen=cellen, effecten=effecten, populatie=populatie, per_gemeente=per_gemeente, rec=rec,
                telling=telling, terugval=nep_terugval(rng, float(werk.sum())))


def nep_terugval(rng, n_werk: float):
    """A terugval result (chapter 'Blijft het werk?') with small counts: exits to work and returns per categorie
    and met/zonder traject, whose total is a few exits short of the attributable share's ``n_werk`` (as when the
    exits on the peildatum are left out), so the difference between the two chapters is a small count."""
    from types import SimpleNamespace

    d = int(rng.integers(1, 9))
    tot = max(int(n_werk) - d, 3)
    a = int(rng.integers(1, tot - 1))
    b = int(rng.integers(0, tot - a))
    per = {"A": a, "B": b, "C": tot - a - b}
    terug = {k: int(rng.integers(0, n + 1)) for k, n in per.items()}
    met = int(rng.integers(0, tot + 1))
    t_met = int(rng.integers(max(0, sum(terug.values()) - (tot - met)), min(met, sum(terug.values())) + 1))
    rijen = [("totaal", "alle", tot, sum(terug.values()))] + [("categorie", k, per[k], terug[k]) for k in per]
    rijen += [("traject", "met traject", met, t_met), ("traject", "zonder traject", tot - met, sum(terug.values()) - t_met)]
    aantallen = pd.DataFrame([{"groepering": g, "groep": k, "n_uitstroom_werk": float(n), "n_terugval": float(t),
                               "n_concurrerend": 0.0, "n_gecensureerd": float(n - t)} for g, k, n, t in rijen])
    tabel = pd.DataFrame([{"groepering": g, "groep": k, "maanden": m, "n": n, "n_terugval": t, "n_risico": float(n),
                           "cif": t / max(n, 1), "se": 0.01, "ci_laag": 0.0, "ci_hoog": 1.0, "voorbij_laatste": False}
                          for g, k, n, t in rijen for m in (6, 12, 18)])
    curves = pd.DataFrame([{"groepering": g, "groep": k, "time": m, "n_risk": float(n), "n_event": t if m == 1 else 0.0,
                            "cif": t / max(n, 1), "ci_laag": 0.0, "ci_hoog": 1.0} for g, k, n, t in rijen for m in (1, 2)])
    return SimpleNamespace(tabel=tabel, aantallen=aantallen, curves=curves, spec=SimpleNamespace(maanden=(6, 12, 18)),
                           n_uitstroom_werk=tot, n_terugval=sum(terug.values()), n_overlap=0, n_op_peildatum=d,
                           n_na_peildatum=0, groepen=rijen)


def _cfg() -> Evaluatieconfig:
    return Evaluatieconfig(naam="Toets", data=Path("invoer"), gemeenten=GEMEENTEN, drempel=DREMPEL, horizonnen=(6, 12))


def _bouw(sim: dict):
    return bouw_inhoud(_cfg(), manifest={}, reconciliatie=sim["rec"], bevindingen_telling=sim["telling"],
                       benchmark=None, effecten=sim["effecten"], populatie=sim["populatie"],
                       toerekenbaar_per_gemeente=sim["per_gemeente"], terugval=sim.get("terugval"))


# -- reading the report back ------------------------------------------------------------------------------
def _alle_secties(inh):
    def rec(s):
        yield s
        for t in s.subsecties:
            yield from rec(t)
    for s in inh.secties:
        yield from rec(s)


def _tekst(inh) -> str:
    delen = list(inh.conclusies) + [" ".join(k.__dict__.values()) for k in inh.kernindicatoren]
    for s in _alle_secties(inh):
        delen += list(s.alineas)
    return " ".join(delen)


def _tabel(inh, titel_begin: str) -> pd.DataFrame | None:
    for s in _alle_secties(inh):
        for t in s.tabellen:
            if t.titel.startswith(titel_begin):
                return t.frame
    return None


def _getal(s: str) -> float | None:
    s = str(s).strip()
    return float(s.replace(".", "")) if re.fullmatch(r"\d{1,3}(\.\d{3})*", s) else None


class Gepubliceerd:
    """True value, what the reader sees (number, '<10', 'x' or nothing) per named cell."""

    def __init__(self):
        self.waar: dict[str, float] = {}
        self.gezien: dict[str, str | None] = {}

    def cel(self, naam: str, waarde: float, gezien: str | None = None) -> None:
        self.waar[naam] = float(waarde)
        if gezien is not None or naam not in self.gezien:
            self.gezien[naam] = gezien

    def bekend(self, naam: str) -> float | None:
        g = self.gezien.get(naam)
        return None if g is None else _getal(g)


def _label(k: tuple[str, str]) -> str:
    return f"overige combinaties (niet geschat), categorie {k[1]}" if k[0] == "overig" else celnaam(*k)


def lees_rapport(inh, sim) -> tuple[Gepubliceerd, list[tuple[list[str], str]]]:
    """Cells (true value and what is shown) and relations ``sum(parts) == total`` of the report."""
    p = Gepubliceerd()
    rel: list[tuple[list[str], str]] = []
    cellen = sim["cellen"]
    eff = _tabel(inh, "Effect op uitstroom naar werk")
    toon = {} if eff is None else {r[0]: r for r in eff.itertuples(index=False)}
    naar_werk = [k for k in (eff.columns if eff is not None else []) if k.startswith("naar werk")]
    for cat in "ABC":
        delen = [k for k in cellen if k[1] == cat]
        for k in delen:
            n, e = cellen[k]
            r = toon.get(_label(k))
            p.cel(f"n|{k}", n, None if r is None else r[1])
            p.cel(f"e|{k}", e, None if r is None else r[2])
            p.cel(f"z|{k}", n - e)  # participants without an exit: never shown
            rel.append(([f"e|{k}", f"z|{k}"], f"n|{k}"))
        n_pool = sum(cellen[k][0] for k in delen)
        e_pool = sum(cellen[k][1] for k in delen)
        r = toon.get(celnaam("alle", cat))
        p.cel(f"n|alle|{cat}", n_pool, None if r is None else r[1])
        p.cel(f"e|alle|{cat}", e_pool, None if r is None else r[2])
        p.cel(f"z|alle|{cat}", n_pool - e_pool)
        rel.append(([f"e|alle|{cat}", f"z|alle|{cat}"], f"n|alle|{cat}"))
        # 'overige combinaties': whatever the shown rows of the categorie do not hold (the reader may add it)
        rel += [([f"n|{k}" for k in delen], f"n|alle|{cat}"), ([f"e|{k}" for k in delen], f"e|alle|{cat}")]
        ov = toon.get(f"overige combinaties (niet geschat), categorie {cat}")
        if ov is not None and ("overig", cat) not in cellen:
            ontbrekend = [k for k in delen if cellen[k][0] < 5]  # not estimated: only in the pool
            rel.append(([f"n|{k}" for k in ontbrekend], f"n|overig|{cat}"))
            p.cel(f"n|overig|{cat}", sum(cellen[k][0] for k in ontbrekend), ov[1])
    n_tot, e_tot = sum(v[0] for v in cellen.values()), sum(v[1] for v in cellen.values())
    r = toon.get(celnaam("alle", "alle"))
    p.cel("n|alle|alle", n_tot, None if r is None else r[1])
    p.cel("e|alle|alle", e_tot, None if r is None else r[2])
    rel += [([f"n|alle|{c}" for c in "ABC"], "n|alle|alle"), ([f"e|alle|{c}" for c in "ABC"], "e|alle|alle")]
    # record flow: gelezen = geaccepteerd + afgekeurd per input table and in total; totals = sum of tables
    stroom = _tabel(inh, "Van bestand naar analyse").set_index("tabel")
    rec = sim["rec"].set_index("tabel")
    namen = TABELNAAM
    for kol in ("gelezen", "geaccepteerd", "afgekeurd"):
        for t in rec.index:
            p.cel(f"{kol}|{t}", rec.loc[t, kol], stroom.loc[namen[t], kol])
        p.cel(f"{kol}|totaal", rec[kol].sum(), stroom.loc["totaal", kol])
        rel.append(([f"{kol}|{t}" for t in rec.index], f"{kol}|totaal"))
    for t in [*rec.index, "totaal"]:
        rel.append(([f"geaccepteerd|{t}", f"afgekeurd|{t}"], f"gelezen|{t}"))
    n_cl = float(sim["populatie"].n_clienten.iloc[0])
    p.cel("analyse", n_cl, stroom.loc["cliënten", "in de effectanalyse"])
    m = re.search(r"De effectanalyse gebruikt ([\d.]+) cliënten", _tekst(inh))
    if m:
        p.cel("analyse", n_cl, m.group(1))
    p.cel("niet_geanalyseerd", rec.loc["clienten", "geaccepteerd"] - n_cl)
    rel.append((["analyse", "niet_geanalyseerd"], "geaccepteerd|clienten"))
    # findings per rule
    red = _tabel(inh, "Bevindingen bij de controle")
    for i, r in (sim["telling"] if red is not None else sim["telling"].iloc[:0]).iterrows():
        gezien = red.set_index("regel").loc[r.regel, "aantal"]
        p.cel(f"bevinding|{r.regel}", r.aantal, gezien)
    # attributable share: its exits to work; per gemeente the counts add up to the population figures
    werk = float(sim["populatie"].set_index("maat").loc["uitstroom_werk", "schatting"])
    m = re.search(r"n = ([\d.]+) uitstromers naar werk", _tekst(inh))
    p.cel("werk", werk, m.group(1) if m else None)
    gem = _tabel(inh, "Uitstroom naar werk toe te rekenen aan instrumenten, per gemeente")
    pg = sim["per_gemeente"]
    a = pg[pg.maat == "toerekenbaar_aandeel"].set_index("gemeentecode")
    w = pg[pg.maat == "uitstroom_werk"].set_index("gemeentecode").schatting
    g = gem.set_index("gemeente") if gem is not None else None
    gnaam = sim.get("gemeentenamen", {})
    for code in GEMEENTEN:
        rij = None if g is None else g.loc[gnaam.get(code, code)]
        p.cel(f"cl|{code}", a.loc[code, "n_clienten"], None if rij is None else rij["cliënten (n)"])
        p.cel(f"dn|{code}", a.loc[code, "n_deelnemers"], None if rij is None else rij["deelnemers (n)"])
        p.cel(f"wk|{code}", w.loc[code], None if rij is None else rij["uitstroom naar werk (n)"])
    rel += [([f"cl|{c}" for c in GEMEENTEN], "analyse"), ([f"dn|{c}" for c in GEMEENTEN], "n|alle|alle"),
            ([f"wk|{c}" for c in GEMEENTEN], "werk")]
    # terugval ('Blijft het werk?'): exits to work and returns per group; categorie and traject rows add up to
    # the total, returns + the others = exits; the total is the attributable share's exits minus a few
    tv = sim.get("terugval")
    if tv is not None:
        tt = _tabel(inh, "Terug in de bijstand binnen")
        toon_tv = {} if tt is None else {r[0]: r for r in tt.itertuples(index=False)}
        from evaluatie.rapport.secties.na_terugval import _groepnaam

        for g, k, n, t in tv.groepen:
            r = toon_tv.get(_groepnaam(g, k))
            p.cel(f"tvn|{g}|{k}", n, None if r is None else r[1])
            p.cel(f"tvt|{g}|{k}", t, None if r is None else r[2])
            p.cel(f"tvr|{g}|{k}", n - t)
            rel.append(([f"tvt|{g}|{k}", f"tvr|{g}|{k}"], f"tvn|{g}|{k}"))
        for g in ("categorie", "traject"):
            delen = [x for x in tv.groepen if x[0] == g]
            for c in ("tvn", "tvt"):
                rel.append(([f"{c}|{g}|{x[1]}" for x in delen], f"{c}|totaal|alle"))
        p.cel("tv_verschil", abs(werk - tv.n_uitstroom_werk))
        rel.append((["tvn|totaal|alle", "tv_verschil"], "werk") if werk >= tv.n_uitstroom_werk
                   else (["werk", "tv_verschil"], "tvn|totaal|alle"))
    return p, rel


def interval(p: Gepubliceerd, rel, cel: str) -> tuple[float, float]:
    """Min and max of ``cel`` over non-negative values that satisfy every relation given the published cells."""
    onb = sorted(k for k in p.waar if p.bekend(k) is None)
    idx = {k: i for i, k in enumerate(onb)}
    A, b = [], []
    for delen, tot in rel:
        rij, rhs = np.zeros(len(onb)), 0.0
        for k, s in [(d, 1.0) for d in delen] + [(tot, -1.0)]:
            if k in idx:
                rij[idx[k]] += s
            else:
                rhs -= s * p.bekend(k)
        if rij.any():
            A.append(rij)
            b.append(rhs)
        else:
            assert abs(rhs) < 1e-9, f"published figures do not add up: {delen} = {tot}"
    grens = [(0, DREMPEL - 1 if (p.gezien.get(k) or "").startswith("<") or 0 < p.waar[k] < DREMPEL else None)
             for k in onb]  # a reader who guesses which hidden cells are small knows they are below 10
    c = np.zeros(len(onb))
    c[idx[cel]] = 1
    lo = linprog(c, A_eq=np.array(A), b_eq=b, bounds=grens)
    hi = linprog(-c, A_eq=np.array(A), b_eq=b, bounds=grens)
    assert lo.status == 0 and hi.status in (0, 3)
    return lo.fun, (math.inf if hi.status == 3 else -hi.fun)


def terug_te_rekenen(p: Gepubliceerd, rel) -> list[str]:
    uit = []
    for k, v in p.waar.items():
        if 0 < v < DREMPEL and p.bekend(k) is None:
            lo, hi = interval(p, rel, k)
            if math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) < 1:
                uit.append(f"{k} = {v:g} (tussen {lo:g} en {hi:g})")
    return uit


@pytest.fixture
def zonder_figuren(monkeypatch):
    """Figures show estimates of shown cells only (no counts); leaving them out keeps the test fast."""
    monkeypatch.setattr("evaluatie.rapport.secties.effecten._figuren", lambda c, cfg: [])


def _controleer(inh, sim) -> None:
    p, rel = lees_rapport(inh, sim)
    klein = [k for k, v in p.waar.items() if 0 < v < DREMPEL]
    assert len(klein) >= 8, "the simulation must produce small cells, or the test proves nothing"
    getoond_klein = [k for k in klein if p.bekend(k) is not None]
    assert not getoond_klein, f"small counts published: {getoond_klein}"
    assert terug_te_rekenen(p, rel) == []
    tekst = _tekst(inh)
    assert not re.search(r"meer dan [\d.]+ (cliënten|personen|deelnemers)", tekst)
    assert "Er zijn geen combinaties weggelaten" not in tekst  # some always are (n < 5 are not estimated)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_geen_onderdrukte_cel_terug_te_rekenen(seed, zonder_figuren):
    sim = simuleer_uitvoer(seed)
    _controleer(_bouw(sim), sim)


@pytest.mark.slow
def test_geen_onderdrukte_cel_terug_te_rekenen_pijplijn(tmp_path, monkeypatch):
    """The whole pipeline on 400 simulated clients without bootstrap (also: the report works without CIs)."""
    import dataclasses
    from importlib import resources

    import evaluatie.rapport.secties as secties
    from evaluatie.config import lees_config
    from evaluatie.pijplijn import voer_uit

    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as f:
        cfg = lees_config(f)
    cfg = dataclasses.replace(cfg, data=tmp_path / "data", bootstrap=0, clienten=400)
    gevangen = {}
    echt = secties.bouw_inhoud

    def vang(cfg_, **kw):
        gevangen.update(kw, cfg=cfg_)
        gevangen["inhoud"] = echt(cfg_, **kw)
        return gevangen["inhoud"]

    monkeypatch.setattr(secties, "bouw_inhoud", vang)
    voer_uit(cfg, tmp_path / "uit")
    kw = gevangen
    e = kw["effecten"]
    e = e[(e.maat == "att") & (e.methode == "gformule") & (e.horizon == 12)]
    cellen = {(r.instrument, r.categorie): (int(r.n_deelnemers), int(r.n_gebeurtenissen))
              for r in e.itertuples() if r.instrument != "alle"}
    for r in e[(e.instrument == "alle") & (e.categorie != "alle")].itertuples():
        n = r.n_deelnemers - sum(v[0] for k, v in cellen.items() if k[1] == r.categorie)
        ev = r.n_gebeurtenissen - sum(v[1] for k, v in cellen.items() if k[1] == r.categorie)
        if n > 0:
            cellen[("overig", r.categorie)] = (int(n), int(ev))
    pop = kw["populatie"].copy()
    sim = dict(cellen=cellen, effecten=kw["effecten"], populatie=pop, per_gemeente=kw["toerekenbaar_per_gemeente"],
               rec=kw["reconciliatie"][["tabel", "gelezen", "geaccepteerd", "afgekeurd"]],
               telling=kw["bevindingen_telling"],
               gemeentenamen=kw["benchmark"].indicatoren.drop_duplicates("gemeentecode")
               .set_index("gemeentecode").gemeentenaam.to_dict())
    monkeypatch.setattr(f"{__name__}.GEMEENTEN", tuple(sorted(set(kw["toerekenbaar_per_gemeente"].gemeentecode))))
    from types import SimpleNamespace

    tv = kw["terugval"]  # the report step ran the terugval analysis: its shown groups as (groepering, groep, n, terug)
    a = tv.aantallen[tv.aantallen.groepering.isin(["totaal", "categorie", "traject"])]
    sim["terugval"] = SimpleNamespace(n_uitstroom_werk=tv.n_uitstroom_werk, groepen=[
        (r.groepering, str(r.groep), int(r.n_uitstroom_werk), int(r.n_terugval)) for r in a.itertuples()])
    _controleer(kw["inhoud"], sim)
    assert "geen 95%-BI berekend" in _tekst(kw["inhoud"])


def test_de_toets_ziet_het_lek_van_het_oude_rapport():
    """Sanity of the checker: the issue's example (all = 35, A = 16, B = 13, C = '<10') is recovered."""
    p = Gepubliceerd()
    for k, v, g in (("A", 16, "16"), ("B", 13, "13"), ("C", 6, "<10"), ("alle", 35, "35")):
        p.cel(k, v, g)
    rel = [(["A", "B", "C"], "alle")]
    assert terug_te_rekenen(p, rel) == ["C = 6 (tussen 6 en 6)"]
    p.cel("B", 13, "x")
    assert terug_te_rekenen(p, rel) == []


def test_cif_punten_verraden_geen_kleine_aantallen():
    """The participants' curve times n is the number with an exit: only points where it and its complement
    reach the threshold are drawn."""
    from evaluatie.rapport.secties.effectcellen import effectcellen, verloopdata

    rng = np.random.default_rng(0)
    rows = []
    for r in _cel("jobcoaching", "B", 40, 16, rng) + _cel("arbeidstraining", "C", 60, 55, rng):
        rows.append(r)
        for maat, v in (("cif_deelnemers", r["n_gebeurtenissen"] / r["n_deelnemers"]), ("cif_controle", 0.1)):
            rows.append({**r, "maat": maat, "schatting": v})
    c = effectcellen(pd.DataFrame(rows), horizonnen=(6, 12), drempel=DREMPEL)
    _, cif = verloopdata(c)
    # jobcoaching: 8 with an exit at 6 months (small), 16 of 40 at 12; arbeidstraining: 5 without at 12
    assert set(zip(cif.instrument, cif.horizon)) == {("jobcoaching", 12), ("arbeidstraining", 6)}
