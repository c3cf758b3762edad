"""Every validation rule: a clean data set passes; breaking one thing gives exactly that finding.

The clean set is written by hand below. Each test changes one line (row numbers as a user sees them in
the file: header = row 1) and checks rule, row, field and the message.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluatie.validatie import Invoerfout, Validatieresultaat, valideer_map, valideer_tabellen

GOED: dict[str, list[str]] = {
    "clienten": [
        "client_id,gemeentecode,geboortejaar,geslacht,opleidingsniveau,statushouder,speciaal_onderwijs,nugger",
        "C001,GM0777,1980,man,laag,false,false,false",          # 2
        "C002,GM1655,1975,vrouw,middelbaar,true,false,false",   # 3
        "C003,GM1709,1990,onbekend,,false,true,false",          # 4
        "C004,GM0840,1995,man,hoog,false,false,true",           # 5 nugger
        "C005,GM1674,2000,vrouw,laag,false,false,false",        # 6 no other rows: faults here do not cascade
        "C006,GM0879,1960,man,laag,false,false,false",          # 7 only an uitkering
    ],
    "uitkeringen": [
        "client_id,startdatum,einddatum,uitstroomreden",
        "C001,2015-03-01,2016-02-29,werk",   # 2
        "C001,2017-01-01,,",                 # 3
        "C002,2016-05-01,2018-10-31,verhuizing",  # 4
        "C003,2015-01-01,,",                 # 5
        "C006,2018-01-01,2019-06-30,werk",   # 6 no trajecten: faults here do not cascade
    ],
    "categorieen": [
        "client_id,startdatum,categorie,trede,inzetbaarheid",
        "C001,2015-03-01,A,5,1",
        "C002,2016-05-01,B,3,3",
        "C003,2015-01-01,C,1,5",
    ],
    "trajecten": [
        "client_id,instrument,startdatum,einddatum",
        "C001,praktijkovereenkomst,2015-06-01,2015-12-31",  # 2
        "C002,jobcoaching,2016-09-01,2019-03-31",            # 3 runs on after the spell: allowed
        "C003,beschut_werk,2016-01-01,",                     # 4
        "C004,scholing,2018-01-01,2018-06-30",               # 5 nugger without uitkering: allowed
    ],
    "poort": [
        "gemeentecode,jaar,maand,maanden,meldingen,aanvragen,toekenningen",
        "GM0777,2016,,,2539,1490,1422",
        "GM0777,2019,,6,898,571,433",
        "GM0777,2019,1,,150,95,70",
    ],
    "gemeenten": [
        "gemeentecode,gemeentenaam,jaar,inwoners,buig_budget,genormeerd_aantal,feitelijk_aantal,instroom,uitstroom,uitstroom_werk,kenmerk_oppervlakte",
        "GM0777,Etten-Leur,2019,43695,10508000,702,705,190,186,54,55.1",
        "GM0777,Etten-Leur,2018,43500,10091000,741,697,,,,55.1",
    ],
}
META = {"peildatum": "2019-12-31", "waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}


def schrijf_map(map: Path, wijzig: dict[str, dict[int, str | None]] | None = None, erbij: dict[str, list[str]] | None = None,
                meta: dict | None = META) -> Path:
    """Write the clean set with line ``rij`` of table replaced (None = removed) and lines appended."""
    map.mkdir(parents=True, exist_ok=True)
    for t, regels in GOED.items():
        regels = list(regels)
        for rij, nieuw in sorted((wijzig or {}).get(t, {}).items(), reverse=True):
            if nieuw is None:
                del regels[rij - 1]
            else:
                regels[rij - 1] = nieuw
        regels += (erbij or {}).get(t, [])
        (map / f"{t}.csv").write_text("\n".join(regels) + "\n", encoding="utf-8")
    if meta is not None:
        (map / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return map


def enige(res: Validatieresultaat, niveau: str = "fout") -> pd.Series:
    b = res.bevindingen
    assert len(b) == 1, b[["bestand", "rij", "regel", "melding"]].to_string()
    f = b.iloc[0]
    assert f["niveau"] == niveau
    return f


def test_schone_set_geeft_niets_en_getypeerd_contract(tmp_path):
    res = valideer_map(schrijf_map(tmp_path))
    assert res.bevindingen.empty, res.bevindingen.to_string()
    assert not res.heeft_afkeuringen
    acc = res.geaccepteerd
    assert set(acc) == set(GOED)
    c = acc["clienten"]
    assert c["client_id"].dtype == object and c["geboortejaar"].dtype == "Int64"
    assert c["statushouder"].dtype == bool and c["statushouder"].tolist() == [False, True, False, False, False, False]
    assert c["opleidingsniveau"].isna().tolist() == [False, False, True, False, False, False]
    assert c["opleidingsniveau"].iloc[2] is None and type(c["client_id"].iloc[0]) is str
    u = acc["uitkeringen"]
    assert u["startdatum"].dtype == "datetime64[ns]" and u["einddatum"].isna().sum() == 2
    assert acc["gemeenten"]["buig_budget"].dtype == "float64"
    assert acc["gemeenten"]["kenmerk_oppervlakte"].tolist() == [55.1, 55.1]
    assert acc["poort"]["maand"].isna().tolist() == [True, True, False]
    assert list(acc["trajecten"].columns) == ["client_id", "instrument", "startdatum", "einddatum"]
    assert isinstance(acc["trajecten"].index, pd.RangeIndex)
    r = res.reconciliatie()
    assert r["gelezen"].tolist() == [6, 5, 3, 4, 3, 2]


# (table, row, new line, rule, field, words the message must contain)
FOUTEN = [
    ("clienten", 6, "C005,GM1674,1975,,middelbaar,true,false,false", "verplicht", "geslacht", ["verplicht", "leeg"]),
    ("clienten", 6, "C005,GM1674,19x5,vrouw,middelbaar,true,false,false", "type", "geboortejaar", ["'19x5'", "geheel getal"]),
    ("clienten", 6, "C005,GM1674,1975,vrouw,middelbaar,misschien,false,false", "type", "statushouder", ["'misschien'", "ja/nee"]),
    ("clienten", 6, "C005,GM1674,1975,Vrouw,middelbaar,true,false,false", "enum", "geslacht", ["'Vrouw'", "man, vrouw, onbekend"]),
    ("clienten", 6, "C005,GM1674,1850,vrouw,middelbaar,true,false,false", "minimum", "geboortejaar", ["1850", "minimum 1900"]),
    ("clienten", 6, "C005,GM1674,2015,vrouw,middelbaar,true,false,false", "maximum", "geboortejaar", ["2015", "maximum 2010"]),
    ("clienten", 6, "C005,1674,1975,vrouw,middelbaar,true,false,false", "patroon", "gemeentecode", ["'1674'", "^GM[0-9]{4}$"]),
    ("clienten", 6, "C001,GM1674,2000,vrouw,laag,false,false,false", "uniek", "client_id", ["'C001'", "rij 2"]),
    ("uitkeringen", 6, "C006,2018-13-01,2019-06-30,werk", "type", "startdatum", ["'2018-13-01'", "jjjj-mm-dd"]),
    ("uitkeringen", 6, "C006,2018-01-01,2017-12-31,werk", "einde_voor_start", "einddatum", ["2017-12-31", "vóór startdatum 2018-01-01"]),
    ("uitkeringen", 6, "C006,2018-01-01,2019-06-30,", "uitstroomreden", "uitstroomreden", ["leeg", "2019-06-30"]),
    ("uitkeringen", 6, "C006,2018-01-01,,werk", "uitstroomreden", "uitstroomreden", ["'werk'", "einddatum leeg"]),
    ("uitkeringen", 6, "C006,2018-01-01,2019-06-30,ontslag", "enum", "uitstroomreden", ["'ontslag'", "pensioen_leeftijd"]),
    ("uitkeringen", 3, "C001,2016-02-29,,", "overlap", "startdatum", ["2016-02-29", "rij 2", "2015-03-01 t/m 2016-02-29"]),
    ("uitkeringen", 6, "C006,2018-01-01,2020-01-31,werk", "na_peildatum", "einddatum", ["2020-01-31", "peildatum 2019-12-31"]),
    ("categorieen", 3, "C002,2016-05-01,D,3,3", "enum", "categorie", ["'D'", "A, B, C"]),
    ("categorieen", 3, "C002,2016-05-01,B,0,3", "minimum", "trede", ["0", "minimum 1"]),
    ("categorieen", 3, "C002,2016-05-01,B,3,6", "maximum", "inzetbaarheid", ["6", "maximum 5"]),
    ("categorieen", 3, "C999,2016-05-01,B,3,3", "vreemde_sleutel", "client_id", ["'C999'", "clienten.csv"]),
    ("categorieen", 3, "C001,2015-03-01,B,3,3", "primaire_sleutel", "client_id, startdatum", ["(C001, 2015-03-01)", "rij 2"]),
    ("trajecten", 3, "C002,jobcoaching,2016-09-01,2016-08-31", "einde_voor_start", "einddatum", ["2016-08-31"]),
    ("trajecten", 3, "C002,toverstaf,2016-09-01,", "enum", "instrument", ["'toverstaf'", "jobcoaching"]),
    ("trajecten", 3, "C001,praktijkovereenkomst,2015-06-01,2015-12-31", "primaire_sleutel",
     "client_id, instrument, startdatum", ["rij 2"]),
    ("trajecten", 3, "C002,jobcoaching,2019-01-01,", "traject_buiten_uitkering", "startdatum", ["2019-01-01", "'C002'"]),
    ("trajecten", 3, "C001,jobcoaching,2016-06-01,", "traject_buiten_uitkering", "startdatum", ["2016-06-01", "'C001'"]),
    ("trajecten", 3, "C002,jobcoaching,2016-04-30,", "traject_buiten_uitkering", "startdatum", ["2016-04-30"]),
    ("trajecten", 3, "C777,jobcoaching,2016-09-01,", "vreemde_sleutel", "client_id", ["'C777'"]),
    ("trajecten", 3, ",jobcoaching,2016-09-01,", "verplicht", "client_id", ["verplicht"]),
    ("trajecten", 3, "C002,jobcoaching,2016-09-01,,,", "aantal_velden", "(hele rij)", ["6 velden", "verwacht 4"]),
    ("trajecten", 3, "C002,jobcoaching", "aantal_velden", "(hele rij)", ["2 velden", "verwacht 4"]),
    ("poort", 2, "GM0777,2016,13,,2539,1490,1422", "maximum", "maand", ["13", "maximum 12"]),
    ("poort", 4, "GM0777,2016,,,10,10,10", "primaire_sleutel", "gemeentecode, jaar, maand", ["(GM0777, 2016, leeg)", "rij 2"]),
    ("gemeenten", 2, "GM0777,Etten-Leur,2019,43695,tien,702,705,190,186,54,55.1", "type", "buig_budget", ["'tien'", "getal"]),
    ("gemeenten", 2, "GM0777,Etten-Leur,2019,43695,10508000,702,705,190,186,54,groot", "type", "kenmerk_oppervlakte", ["'groot'"]),
    ("gemeenten", 2, "GM0777,Etten-Leur,2019,43695,10508000,702,705,190,186,200,55.1", "deel_groter_dan_geheel",
     "uitstroom_werk", ["200", "uitstroom 186"]),
]


@pytest.mark.parametrize("tabel,rij,regel_tekst,regel,veld,woorden", FOUTEN,
                         ids=[f"{f[0]}-{f[3]}-{i}" for i, f in enumerate(FOUTEN)])
def test_elke_regel(tmp_path, tabel, rij, regel_tekst, regel, veld, woorden):
    res = valideer_map(schrijf_map(tmp_path, {tabel: {rij: regel_tekst}}))
    f = enige(res)
    assert (f["bestand"], int(f["rij"]), f["regel"], f["veld"]) == (f"{tabel}.csv", rij, regel, veld)
    for w in woorden:
        assert w in f["melding"], f["melding"]
    # the row is rejected, kept with its reason, and counts reconcile
    af = res.afgekeurd[tabel]
    assert af["rij"].tolist() == [rij]
    assert f["melding"] in af["redenen"].iloc[0]
    r = res.reconciliatie().set_index("tabel")
    assert r.loc[tabel, "afgekeurd"] == 1
    assert (r["gelezen"] == r["geaccepteerd"] + r["afgekeurd"]).all()


def test_meerdere_fouten_in_een_rij_worden_alle_gemeld(tmp_path):
    res = valideer_map(schrijf_map(tmp_path, {"clienten": {6: "C005,GM16,1850,V,middelbaar,misschien,false,false"}}))
    assert sorted(res.bevindingen["regel"]) == ["enum", "minimum", "patroon", "type"]
    assert res.bevindingen["rij"].tolist() == [6] * 4
    assert res.afgekeurd["clienten"]["redenen"].iloc[0].count(" | ") == 3


def test_afgekeurde_client_neemt_zijn_rijen_mee(tmp_path):
    res = valideer_map(schrijf_map(tmp_path, {"clienten": {3: "C002,GM1655,1975,vrouw,middelbaar,true,false,"}}))
    b = res.bevindingen.set_index(["bestand", "regel"])
    assert len(res.bevindingen) == 4  # verplicht + cascade into uitkeringen, categorieen, trajecten
    for bestand, rij in (("uitkeringen.csv", 4), ("categorieen.csv", 3), ("trajecten.csv", 3)):
        f = b.loc[(bestand, "verwijzing_afgekeurd")]
        assert int(f["rij"]) == rij
        assert f["melding"] == "client_id 'C002' is afgekeurd in clienten.csv rij 3"
    r = res.reconciliatie().set_index("tabel")
    assert r["afgekeurd"].tolist() == [1, 1, 1, 1, 0, 0]


def test_traject_van_client_zonder_uitkering(tmp_path):
    # C003's only uitkering removed: its traject has no spell (C003 is no nugger)
    res = valideer_map(schrijf_map(tmp_path, {"uitkeringen": {5: None}}))
    f = enige(res)
    assert (f["bestand"], int(f["rij"]), f["regel"]) == ("trajecten.csv", 4, "traject_zonder_uitkering")
    assert "'C003' heeft geen uitkering in uitkeringen.csv" in f["melding"]


def test_traject_bij_afgekeurde_uitkering(tmp_path):
    res = valideer_map(schrijf_map(tmp_path, {"uitkeringen": {5: "C003,2015-01-01,,onbekend"}}))
    t = res.bevindingen[res.bevindingen["bestand"] == "trajecten.csv"]
    assert t["regel"].tolist() == ["traject_zonder_uitkering"]
    assert "zijn afgekeurd (eerste: uitkeringen.csv rij 5)" in t["melding"].iloc[0]


def test_waarnemingsperiode(tmp_path):
    map = schrijf_map(tmp_path, erbij={"trajecten": ["C003,arbeidstraining,2015-02-01,2015-05-31",   # 6: before window
                                                    "C003,jobcoaching,2020-02-01,"]},              # 7: after window
                      meta={"peildatum": "2020-06-30", "waarnemingsperiode": {"start": "2015-06-01", "eind": "2019-12-31"}})
    res = valideer_map(map)
    b = res.bevindingen
    assert list(zip(b["rij"], b["regel"], b["niveau"])) == [
        (6, "traject_voor_waarneming", "waarschuwing"), (7, "traject_na_waarneming", "fout")]
    assert "2019-12-31" in b["melding"].iloc[1]
    assert res.afgekeurd["trajecten"]["rij"].tolist() == [7]
    assert len(res.geaccepteerd["trajecten"]) == 5  # the warned one is kept


def test_zonder_peildatum_wordt_aan_vandaag_getoetst(tmp_path):
    map = schrijf_map(tmp_path, {"categorieen": {2: "C001,2099-01-01,A,5,1"}}, meta=None)
    res = valideer_map(map)
    f = enige(res)
    assert f["regel"] == "na_peildatum" and "toekomst" in f["melding"]
    assert res.peildatum is None and res.waarschuwingen
    # an explicit peildatum argument is used...
    res2 = valideer_map(schrijf_map(tmp_path / "b", meta=None), peildatum="2016-12-31")
    assert "na_peildatum" in set(res2.bevindingen["regel"])
    assert res2.peildatum == pd.Timestamp("2016-12-31")
    # ...but a window from metadata that runs past it is refused (it would invent months after the peildatum)
    with pytest.raises(Invoerfout, match="waarnemingsperiode loopt tot 2019-12-31, na de peildatum 2016-12-31"):
        valideer_map(schrijf_map(tmp_path / "c"), peildatum="2016-12-31")


def test_waarschuwingen_over_kolommen_wijzen_niet_af(tmp_path):
    map = schrijf_map(tmp_path, {
        "clienten": {1: "Client_ID,gemeentecode,geboortejaar,geslacht,opleidingsniveau,statushouder,speciaal_onderwijs,nugger"},
        "categorieen": {1: "client_id,startdatum,categorie,trede,opmerking"},
    })
    (map / "client.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    res = valideer_map(map)
    b = res.bevindingen
    assert set(b["niveau"]) == {"waarschuwing"}
    assert not res.heeft_afkeuringen
    assert set(zip(b["bestand"], b["regel"], b["veld"])) == {
        ("clienten.csv", "kolomnaam", "client_id"),
        ("categorieen.csv", "kolom_onbekend", "opmerking"),
        ("categorieen.csv", "kolom_afwezig", "inzetbaarheid"),
        ("client.csv", "bestand_onbekend", ""),
    }
    assert list(res.geaccepteerd["categorieen"].columns) == ["client_id", "startdatum", "categorie", "trede", "inzetbaarheid"]
    assert res.geaccepteerd["categorieen"]["inzetbaarheid"].isna().all()


def test_poort_telling_waarschuwt(tmp_path):
    res = valideer_map(schrijf_map(tmp_path, {"poort": {4: "GM0777,2019,1,,150,95,99"}}))
    assert enige(res, "waarschuwing")["regel"] == "deel_groter_dan_geheel"
    assert not res.heeft_afkeuringen


@pytest.mark.parametrize("inhoud,woorden", [
    ("", ["leeg bestand"]),
    ("client_id|gemeentecode\nC1|GM0777\n", ["geen scheidingsteken", "één kolom"]),
    ("client_id,gemeentecode,geboortejaar\nC1,GM0777,1980\n", ["verplichte kolom", "geslacht", "nugger"]),
    ("client_id,client_id,gemeentecode\n", ["twee keer"]),
])
def test_misvormd_bestand_geeft_invoerfout(tmp_path, inhoud, woorden):
    schrijf_map(tmp_path)
    (tmp_path / "clienten.csv").write_text(inhoud, encoding="utf-8")
    with pytest.raises(Invoerfout) as e:
        valideer_map(tmp_path)
    assert e.value.bestand == "clienten.csv"
    for w in woorden:
        assert w in str(e.value)


def test_gevraagde_tabel_afwezig_en_dubbele_bestanden(tmp_path):
    schrijf_map(tmp_path)
    (tmp_path / "poort.csv").unlink()
    res = valideer_map(tmp_path, tabellen=["clienten", "uitkeringen"])
    assert set(res.gelezen) == {"clienten", "uitkeringen"}
    with pytest.raises(Invoerfout, match="poort"):
        valideer_map(tmp_path, tabellen=["poort"])
    with pytest.raises(ValueError, match="verwacht een van"):
        valideer_map(tmp_path, tabellen=["klanten"])
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "clienten.parquet")
    with pytest.raises(Invoerfout, match="meer dan één bestand"):
        valideer_map(tmp_path)


def test_valideer_tabellen_in_geheugen():
    clienten = pd.DataFrame({
        "client_id": ["A1", "A2", "A3"], "gemeentecode": ["GM0777"] * 3, "geboortejaar": [1980, 1990, 1850],
        "geslacht": ["man", "vrouw", "man"], "opleidingsniveau": [None, "laag", "hoog"],
        "statushouder": [False, True, False], "speciaal_onderwijs": [False] * 3, "nugger": [False] * 3,
    })
    uitk = pd.DataFrame({"client_id": ["A1", "A2"], "startdatum": pd.to_datetime(["2016-01-01", "2017-03-01"]),
                         "einddatum": pd.to_datetime(["2016-06-30", None]), "uitstroomreden": ["werk", None]})
    voor = clienten.copy()
    res = valideer_tabellen({"clienten": clienten, "uitkeringen": uitk}, bron={"clienten": "extract.rds"},
                            peildatum="2019-12-31")
    pd.testing.assert_frame_equal(clienten, voor)  # caller's frame untouched
    f = enige(res)
    assert (f["bestand"], int(f["rij"]), f["regel"]) == ("extract.rds", 3, "minimum")
    assert res.geaccepteerd["uitkeringen"]["einddatum"].isna().tolist() == [False, True]
    assert res.geaccepteerd["clienten"]["geboortejaar"].tolist() == [1980, 1990]
    assert "extract.rds" in res.invoer


def test_summary_en_to_frame(tmp_path):
    res = valideer_map(schrijf_map(tmp_path, {"clienten": {3: "C002,GM1655,1850,vrouw,middelbaar,true,false,false"}}))
    s = res.summary()
    assert "clienten.csv" in s and "minimum" in s and "rij 3" in s
    assert list(res.to_frame().columns) == ["tabel", "bestand", "rij", "veld", "waarde", "regel", "melding", "niveau"]
    d = res.to_dict()
    assert d["heeft_afkeuringen"] and d["fouten"] == 4  # minimum + 3 cascades
    json.dumps(d)


def test_grote_tabel_is_gevectoriseerd_en_telt_klopt():
    """10 000 trajecten, 1 % broken at known positions: exactly those rejected."""
    n = 10_000
    rng = np.random.default_rng(7)
    ids = np.array([f"K{i:05d}" for i in range(n)], dtype=object)
    clienten = pd.DataFrame({"client_id": ids, "gemeentecode": "GM0777", "geboortejaar": 1980, "geslacht": "man",
                             "opleidingsniveau": "laag", "statushouder": False, "speciaal_onderwijs": False, "nugger": False})
    uitk = pd.DataFrame({"client_id": ids, "startdatum": pd.Timestamp("2015-01-01"), "einddatum": pd.NaT,
                         "uitstroomreden": None})
    traj = pd.DataFrame({"client_id": ids, "instrument": "jobcoaching",
                         "startdatum": pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 1000, n), "D"),
                         "einddatum": pd.NaT})
    kapot = rng.choice(n, 100, replace=False)
    traj.loc[kapot, "instrument"] = "onbekend"
    res = valideer_tabellen({"clienten": clienten, "uitkeringen": uitk, "trajecten": traj}, peildatum="2019-12-31")
    assert sorted(res.afgekeurd["trajecten"]["rij"]) == sorted(kapot + 1)
    assert len(res.geaccepteerd["trajecten"]) == n - 100


def test_laad_geeft_geaccepteerde_tabellen_en_waarschuwt_bij_afkeuring(tmp_path):
    from evaluatie.validatie import ValidatieWarning, laad

    schoon = laad(schrijf_map(tmp_path / "a"))
    assert len(schoon["clienten"]) == 6
    with pytest.warns(ValidatieWarning, match="clienten.csv: 1 van 6"):
        tabellen = laad(schrijf_map(tmp_path / "b", {"clienten": {6: "C005,GM1674,1850,vrouw,laag,false,false,false"}}))
    assert "C005" not in set(tabellen["clienten"]["client_id"])


def test_verwijzing_niet_gecontroleerd_als_verwezen_tabel_ontbreekt(tmp_path):
    """The one rule without a test above: a referenced table that is absent is a warning, never silence."""
    map = schrijf_map(tmp_path)
    (map / "clienten.csv").unlink()
    (map / "uitkeringen.csv").unlink()
    res = valideer_map(map)
    b = res.bevindingen[res.bevindingen["regel"] == "verwijzing_niet_gecontroleerd"]
    gevonden = {(x.bestand, x.veld) for x in b.itertuples()}
    # categorieen and trajecten point at clienten; trajecten must also lie in an uitkering
    assert gevonden == {("categorieen.csv", "client_id"), ("trajecten.csv", "client_id"), ("trajecten.csv", "startdatum")}
    assert (b["niveau"] == "waarschuwing").all() and b["rij"].isna().all()
    meldingen = " / ".join(b["melding"])
    assert "tabel clienten ontbreekt" in meldingen and "tabel uitkeringen ontbreekt" in meldingen
    assert not res.heeft_afkeuringen  # nothing rejected for what could not be checked
    assert len(res.geaccepteerd["trajecten"]) == 4
