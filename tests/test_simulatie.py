"""The simulator: determinism, structure of the tables, exact published figures, and a truth that
behaves as the design says (zero effects -> zero, monotone effects -> signed att)."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.schema import TABELLEN, beschikbaar
from evaluatie.simulatie import STANDAARD_EFFECTEN, SimulatieConfig, nul_effecten, schrijf, simuleer, waarheid_frame
from evaluatie.simulatie.gemeenten import POORT_TOTALEN

N = 1500
PEIL = pd.Timestamp("2019-12-31")


@pytest.fixture(scope="module")
def sim():
    return simuleer(seed=11, n_clienten=N)


@pytest.fixture(scope="module")
def map_(sim, tmp_path_factory):
    d = tmp_path_factory.mktemp("sim")
    schrijf(sim, d)
    return d


# --- determinism and files -------------------------------------------------------------------------

def test_same_seed_gives_identical_bytes(map_, tmp_path):
    schrijf(simuleer(seed=11, n_clienten=N), tmp_path)
    namen = sorted(p.name for p in map_.iterdir())
    assert namen == sorted([f"{t}.csv" for t in TABELLEN] + ["kosten.csv", "truth.json", "metadata.json"])
    for naam in namen:
        assert (map_ / naam).read_bytes() == (tmp_path / naam).read_bytes(), naam


def test_other_seed_differs(map_, tmp_path):
    schrijf(simuleer(seed=12, n_clienten=N), tmp_path)
    for naam in ("uitkeringen.csv", "trajecten.csv", "gemeenten.csv", "poort.csv", "truth.json"):
        assert (map_ / naam).read_bytes() != (tmp_path / naam).read_bytes(), naam


def test_metadata_and_truth_json_format(map_):
    assert json.loads((map_ / "metadata.json").read_text(encoding="utf-8")) == {
        "peildatum": "2019-12-31", "waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}
    tekst = (map_ / "truth.json").read_text(encoding="utf-8")
    obj = json.loads(tekst)
    assert tekst == json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert obj["seed"] == 11 and obj["config"]["onwaarneembaar"] == 0.0


def test_written_directory_validates_without_rejections(sim, map_):
    from evaluatie.validatie import valideer_map

    r = valideer_map(map_)
    assert not r.heeft_afkeuringen, r.summary()
    for t, df in sim.tabellen.items():
        pd.testing.assert_frame_equal(r.geaccepteerd[t][list(df.columns)].reset_index(drop=True), df.reset_index(drop=True))


def test_typed_as_validated_tables(sim):
    t = sim.tabellen
    assert list(t) == list(TABELLEN)
    assert str(t["uitkeringen"]["einddatum"].dtype) == "datetime64[ns]"
    assert str(t["clienten"]["geboortejaar"].dtype) == "Int64"
    assert t["clienten"]["statushouder"].dtype == bool
    assert t["gemeenten"]["buig_budget"].dtype == np.float64
    assert t["clienten"]["client_id"].str.fullmatch(r"C\d{7}").all()


# --- structure of the client tables ----------------------------------------------------------------

def test_spells_of_a_client_do_not_overlap_and_stop_at_peildatum(sim):
    u = sim.tabellen["uitkeringen"].sort_values(["client_id", "startdatum"])
    vorige_eind = u.groupby("client_id")["einddatum"].shift(1)
    zelfde = u["client_id"].eq(u["client_id"].shift(1))
    assert zelfde.any()  # terugval creates repeated spells
    assert (vorige_eind[zelfde].notna()).all() and (u["startdatum"][zelfde] > vorige_eind[zelfde]).all()
    assert (u["startdatum"] <= PEIL).all() and (u["einddatum"].dropna() <= PEIL).all()
    assert (u["einddatum"].isna() == u["uitstroomreden"].isna()).all()
    assert u["einddatum"].isna().any() and (u["einddatum"].dropna() >= pd.Timestamp("2015-01-01")).all()


def _traject_met_periode(sim) -> pd.DataFrame:
    u = sim.tabellen["uitkeringen"].rename(columns={"startdatum": "u_start", "einddatum": "u_eind"})
    tr = sim.tabellen["trajecten"]
    m = pd.merge_asof(tr.sort_values("startdatum"), u.sort_values("u_start"), left_on="startdatum",
                      right_on="u_start", by="client_id", direction="backward")
    return m


def test_trajectories_inside_their_spell_and_at_most_one_per_spell(sim):
    m = _traject_met_periode(sim)
    assert m["u_start"].notna().all()
    binnen = m["u_eind"].isna() | ((m["startdatum"] <= m["u_eind"]) & m["einddatum"].notna() & (m["einddatum"] <= m["u_eind"]))
    assert binnen.all()
    assert (m["einddatum"].isna() <= m["u_eind"].isna()).all()  # running trajectory -> running spell
    assert not m.duplicated(["client_id", "u_start"]).any()
    assert (m["startdatum"] >= pd.Timestamp("2015-01-01")).all()


def test_every_instrument_allowed_for_categorie_at_start(sim):
    tr = sim.tabellen["trajecten"].sort_values("startdatum")
    cat = sim.tabellen["categorieen"].sort_values("startdatum")
    m = pd.merge_asof(tr, cat[["client_id", "startdatum", "categorie"]], on="startdatum", by="client_id")
    assert m["categorie"].notna().all()
    assert all(beschikbaar(i, c) for i, c in zip(m["instrument"], m["categorie"]))
    # and the truth's participants are exactly these trajectories
    n = m.groupby(["instrument", "categorie"]).size()
    for ins, per in sim.waarheid["effecten"].items():
        for c, v in per.items():
            assert v["n_deelnemers"] == n.get((ins, c), 0), (ins, c)


def test_categorie_rows_and_doorstroom(sim):
    cat = sim.tabellen["categorieen"]
    assert not cat.duplicated(["client_id", "startdatum"]).any()
    ok = {"A": {4, 5, 6}, "B": {2, 3, 4, 5}, "C": {1, 2, 3}}
    assert all(t in ok[c] for c, t in zip(cat["categorie"], cat["trede"]))
    s = cat.sort_values(["client_id", "startdatum"])
    vorig = s.groupby("client_id")["categorie"].shift(1)
    overgang = set(zip(vorig[vorig.notna()], s["categorie"][vorig.notna()]))
    assert ("B", "A") in overgang and ("C", "B") in overgang
    assert set(cat["client_id"]) == set(sim.tabellen["clienten"]["client_id"])


def test_nuggers_have_no_spells_or_trajectories(sim):
    cl = sim.tabellen["clienten"]
    nug = set(cl.loc[cl["nugger"], "client_id"])
    assert nug
    assert not nug & set(sim.tabellen["uitkeringen"]["client_id"])
    assert not nug & set(sim.tabellen["trajecten"]["client_id"])
    assert set(cl.loc[~cl["nugger"], "client_id"]) == set(sim.tabellen["uitkeringen"]["client_id"])


# --- municipal tables --------------------------------------------------------------------------------

def test_etten_leur_equals_tabel_5(sim):
    g = sim.tabellen["gemeenten"]
    el = g[g["gemeentecode"] == "GM0777"].set_index("jaar")
    assert (el["gemeentenaam"] == "Etten-Leur").all()
    assert el.index.min() == 2012  # pre-years for the difference-in-differences; Tabel 5 covers 2015-2019
    el = el.loc[2015:2019]
    assert el["buig_budget"].tolist() == [7798000.0, 8856000.0, 9816000.0, 10091000.0, 10508000.0]
    assert el["genormeerd_aantal"].tolist() == [593.0, 695.0, 755.0, 741.0, 702.0]
    assert el["feitelijk_aantal"].tolist() == [673.0, 696.0, 719.0, 697.0, 705.0]
    assert (el.loc[2017, "instroom"], el.loc[2017, "uitstroom"]) == (210.0, 200.0)
    assert round(210 / 755, 3) == 0.278 and round(200 / 755, 3) == 0.265


def test_gemeenten_panel_plausible(sim):
    g = sim.tabellen["gemeenten"]
    assert g["gemeentecode"].nunique() == 340 and len(g) == 340 * 8
    assert g["inwoners"].between(1_000, 1_000_000).all()
    assert not g.duplicated(["gemeentecode", "jaar"]).any()
    r = (g["feitelijk_aantal"] / g["genormeerd_aantal"])
    assert 0.95 < r.mean() < 1.05 and 0.05 < r.std() < 0.12
    assert (g["uitstroom_werk"] <= g["uitstroom"]).all()
    assert {"kenmerk_stedelijkheid", "kenmerk_werkloosheid"} <= set(g.columns)


def test_planted_policy_effect():
    base = SimulatieConfig(n_gemeenten=40)
    a = simuleer(seed=3, n_clienten=50, config=base)
    b = simuleer(seed=3, n_clienten=50, config=replace(base, beleidseffect_pp=0.0))
    assert b.waarheid["beleidseffect"]["gerealiseerd_pp"] == 0.0
    assert a.waarheid["beleidseffect"]["pp_van_norm"] == 1.0
    assert abs(a.waarheid["beleidseffect"]["gerealiseerd_pp"] - 1.0) < 0.3
    ga, gb = a.tabellen["gemeenten"], b.tabellen["gemeenten"]
    verschil = ga["uitstroom"] - gb["uitstroom"]
    behandeld = ga["gemeentecode"].isin(a.waarheid["beleidseffect"]["gemeenten"]) & (ga["jaar"] >= 2016)
    assert (verschil[~behandeld] == 0).all()
    assert (verschil[behandeld] > 0).sum() >= 20


def test_poort_sums_equal_tabel_1(sim):
    p = sim.tabellen["poort"]
    assert set(p["gemeentecode"]) == {"GM0777", "GM1655", "GM1709", "GM1674", "GM0840", "GM0879"}
    s = p.groupby("jaar")[["meldingen", "aanvragen", "toekenningen"]].sum()
    for jaar, tot in POORT_TOTALEN.items():
        assert s.loc[jaar].to_dict() == tot
    assert (p["toekenningen"] <= p["aanvragen"]).all() and (p["aanvragen"] <= p["meldingen"]).all()
    assert p["maand"].isna().all()
    assert p.loc[p["jaar"] == 2019, "maanden"].eq(6).all() and p.loc[p["jaar"] < 2019, "maanden"].isna().all()


# --- the truth ---------------------------------------------------------------------------------------

def test_truth_structure(sim):
    w = sim.waarheid
    cellen = [(i, c) for i, per in w["effecten"].items() for c in per]
    assert len(cellen) == len(STANDAARD_EFFECTEN) == 18
    for i, c in cellen:
        v = w["effecten"][i][c]
        assert v["n_deelnemers"] > 0, (i, c)
        for k in ("cif_deelnemers", "cif_controle_nooit", "cif_controle_wachten", "att_nooit", "att_wachten", "deadweight", "toerekenbaar"):
            assert len(v[k]) == 36
        c1, c0 = np.array(v["cif_deelnemers"]), np.array(v["cif_controle_nooit"])
        assert np.all(np.diff(c1) >= 0) and np.all(np.diff(c0) >= 0)
        assert np.allclose(np.array(v["att_nooit"]), c1 - c0)
        if c1[23] > 0:
            assert v["deadweight"][23] == pytest.approx(c0[23] / c1[23]) and v["toerekenbaar"][23] == pytest.approx(1 - c0[23] / c1[23])
    u = sim.tabellen["uitkeringen"]
    werk = ((u["uitstroomreden"] == "werk") & u["einddatum"].between(pd.Timestamp("2015-01-01"), PEIL)).sum()
    p = w["populatie"]
    assert p["werk_uitstroom_waargenomen"] == werk
    assert p["toerekenbaar_aandeel"] == pytest.approx((werk - p["werk_uitstroom_zonder_instrumenten"]) / werk)
    f = waarheid_frame(w)
    assert len(f) == 18 * 11 * 36 and set(f["maat"]) >= {"att_nooit", "deadweight", "att_verwacht"}
    for i, c in cellen:
        v = w["effecten"][i][c]
        e1, e0 = np.array(v["cif_deelnemers_verwacht"]), np.array(v["cif_controle_verwacht"])
        assert np.all(np.diff(e1) >= 0) and np.all(np.diff(e0) >= 0)
        np.testing.assert_allclose(v["att_verwacht"], e1 - e0)


def test_zero_effects_give_zero_att_exactly():
    sim = simuleer(seed=5, n_clienten=800, config=SimulatieConfig(effecten=nul_effecten()))
    for per in sim.waarheid["effecten"].values():
        for v in per.values():
            if v["n_deelnemers"]:
                assert set(v["att_nooit"]) == {0.0} and set(v["att_wachten"]) == {0.0}
                assert v["lockin_maanden"] is None
    p = sim.waarheid["populatie"]
    assert p["werk_uitstroom_waargenomen"] == p["werk_uitstroom_zonder_instrumenten"]
    assert p["toerekenbaar_aandeel"] == 0.0


def test_positive_post_effects_without_lock_in_give_nonnegative_att():
    eff = tuple(replace(e, lock_in=0.0, na=0.6) for e in STANDAARD_EFFECTEN)
    sim = simuleer(seed=6, n_clienten=800, config=SimulatieConfig(effecten=eff))
    positief = 0
    for per in sim.waarheid["effecten"].values():
        for v in per.values():
            if v["n_deelnemers"]:
                assert min(v["att_nooit"]) >= 0 and min(v["att_wachten"]) >= 0
                assert v["lockin_maanden"] is None
                positief += v["att_nooit"][35] > 0
    assert positief >= 12
    assert sim.waarheid["populatie"]["toerekenbaar_aandeel"] > 0


def test_pure_lock_in_gives_nonpositive_att_and_default_shows_lock_in():
    eff = tuple(replace(e, lock_in=-1.0, na=0.0) for e in STANDAARD_EFFECTEN)
    sim = simuleer(seed=6, n_clienten=800, config=SimulatieConfig(effecten=eff))
    for per in sim.waarheid["effecten"].values():
        for v in per.values():
            if v["n_deelnemers"]:
                assert max(v["att_nooit"]) <= 0
    # default: leerwerktraject B (lock-in -0.6, 9-15 months) dips first and recovers later
    big = simuleer(seed=6, n_clienten=6000)
    v = big.waarheid["effecten"]["leerwerktraject"]["B"]
    assert min(v["att_nooit"][:9]) < 0 and v["att_nooit"][35] > 0
    assert v["lockin_maanden"] is not None and v["lockin_maanden"] > 3


def test_unobserved_trait_is_recorded_and_changes_selection():
    a = simuleer(seed=8, n_clienten=800)
    b = simuleer(seed=8, n_clienten=800, config=SimulatieConfig(onwaarneembaar=1.0))
    assert b.waarheid["config"]["onwaarneembaar"] == 1.0
    assert not a.tabellen["trajecten"].equals(b.tabellen["trajecten"])
    with pytest.raises(ValueError, match="onwaarneembaar"):
        SimulatieConfig(onwaarneembaar=-1)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="n_clienten"):
        simuleer(seed=1, n_clienten=0)
    with pytest.raises(ValueError, match="niet beschikbaar"):
        simuleer(seed=1, n_clienten=10, config=SimulatieConfig(effecten=(STANDAARD_EFFECTEN[0].__class__("beschut_werk", "A", 0, 0),)))


# --- CLI ---------------------------------------------------------------------------------------------

def test_cli_simuleer(tmp_path):
    from evaluatie.cli import main

    r = CliRunner().invoke(main, ["simuleer", "--out", str(tmp_path / "d"), "--seed", "4", "--clienten", "200"])
    assert r.exit_code == 0, r.output
    assert "uitkeringen.csv" in r.output and "truth.json" in r.output
    assert (tmp_path / "d" / "truth.json").exists()
    r = CliRunner().invoke(main, ["simuleer", "--out", str(tmp_path / "e"), "--onwaarneembaar", "-1"])
    assert r.exit_code == 2 and "onwaarneembaar" in r.output
    f = tmp_path / "bestand"
    f.write_text("x")
    r = CliRunner().invoke(main, ["simuleer", "--out", str(f)])
    assert r.exit_code != 0 and "Traceback" not in r.output
