"""A realistic bad export with exactly 20 different faults (tests/data/validatie/gemengd/).

clienten.csv and uitkeringen.csv are ';'-separated with ja/nee and dd-mm-jjjj, the others ',' with ISO
dates. Each fault was put in by hand at a known row; none cascades, so the expected list is complete.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluatie.validatie import valideer_map

MAP = Path(__file__).parent / "data" / "validatie" / "gemengd"

# (bestand, rij, veld, regel) — written from the file contents, not from our output
VERWACHT = {
    ("clienten.csv", 5, "geslacht", "enum"),
    ("clienten.csv", 6, "geboortejaar", "minimum"),
    ("clienten.csv", 7, "gemeentecode", "patroon"),
    ("clienten.csv", 8, "statushouder", "type"),
    ("clienten.csv", 9, "nugger", "verplicht"),
    ("clienten.csv", 10, "client_id", "uniek"),
    ("uitkeringen.csv", 4, "uitstroomreden", "uitstroomreden"),
    ("uitkeringen.csv", 5, "einddatum", "einde_voor_start"),
    ("uitkeringen.csv", 7, "startdatum", "overlap"),
    ("uitkeringen.csv", 8, "client_id", "vreemde_sleutel"),
    ("uitkeringen.csv", 9, "startdatum", "type"),
    ("categorieen.csv", 3, "trede", "maximum"),
    ("categorieen.csv", 5, "client_id, startdatum", "primaire_sleutel"),
    ("categorieen.csv", 6, "startdatum", "na_peildatum"),
    ("trajecten.csv", 3, "startdatum", "traject_buiten_uitkering"),
    ("trajecten.csv", 6, "instrument", "enum"),
    ("trajecten.csv", 7, "client_id", "vreemde_sleutel"),
    ("trajecten.csv", 8, "einddatum", "einde_voor_start"),
    ("trajecten.csv", 9, "(hele rij)", "aantal_velden"),
    ("trajecten.csv", 10, "client_id", "verplicht"),
}


# plausibility warnings (not rejections): C010 is born in 2001, so 14 and 15 at the starts of its benefits
VERWACHT_WAARSCHUWINGEN = {
    ("uitkeringen.csv", 6, "startdatum", "leeftijd"),
    ("uitkeringen.csv", 7, "startdatum", "leeftijd"),
}


def test_precies_twintig_bevindingen_en_de_goede_rijen_geaccepteerd():
    res = valideer_map(MAP)
    alle = res.bevindingen
    w = alle[alle["niveau"] == "waarschuwing"]
    assert {(x.bestand, int(x.rij), x.veld, x.regel) for x in w.itertuples()} == VERWACHT_WAARSCHUWINGEN
    b = alle[alle["niveau"] == "fout"]
    assert len(b) == 20
    gevonden = {(x.bestand, int(x.rij), x.veld, x.regel) for x in b.itertuples()}
    assert gevonden == VERWACHT
    assert b["melding"].str.len().gt(10).all()

    # good rows accepted, by id
    acc = res.geaccepteerd
    assert sorted(acc["clienten"]["client_id"]) == ["C001", "C002", "C003", "C009", "C010"]
    assert acc["clienten"].loc[acc["clienten"]["client_id"] == "C001", "geboortejaar"].item() == 1980  # first kept
    u = acc["uitkeringen"]
    assert list(zip(u["client_id"], u["startdatum"].dt.strftime("%Y-%m-%d"))) == [
        ("C001", "2015-03-01"), ("C001", "2017-01-01"), ("C010", "2015-01-01")]
    assert u.loc[0, "einddatum"] == pd.Timestamp("2016-02-29")
    t = acc["trajecten"]
    assert list(t["instrument"]) == ["praktijkovereenkomst", "beschut_werk", "scholing"]

    # counts reconcile
    r = res.reconciliatie().set_index("tabel")
    assert (r["gelezen"] == r["geaccepteerd"] + r["afgekeurd"]).all()
    assert r.loc["clienten", ["gelezen", "afgekeurd"]].tolist() == [11, 6]
    assert r.loc["uitkeringen", ["gelezen", "afgekeurd"]].tolist() == [8, 5]
    assert r.loc["categorieen", ["gelezen", "afgekeurd"]].tolist() == [5, 3]
    assert r.loc["trajecten", ["gelezen", "afgekeurd"]].tolist() == [9, 6]
    assert set(res.afwezig) == {"poort", "gemeenten"}
    assert res.heeft_afkeuringen


def test_afgekeurde_rijen_houden_originele_waarden_en_reden():
    res = valideer_map(MAP)
    af = res.afgekeurd["uitkeringen"].set_index("rij")
    assert af.loc[9, "startdatum"] == "31-02-2017"  # as written, not converted
    assert "rij 6" in af.loc[7, "redenen"]
    af_t = res.afgekeurd["trajecten"].set_index("rij")
    assert "5 velden" in af_t.loc[9, "redenen"]


def test_schrijf_is_deterministisch(tmp_path):
    a = valideer_map(MAP).schrijf(tmp_path / "a")
    b = valideer_map(MAP).schrijf(tmp_path / "b")
    namen = sorted(p.name for p in a.iterdir())
    assert namen == sorted(p.name for p in b.iterdir())
    assert {"manifest.json", "bevindingen.csv", "reconciliatie.csv", "afgekeurd_trajecten.csv",
            "clienten.parquet", "trajecten.parquet"} <= set(namen)
    for n in namen:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n
    terug = pd.read_parquet(a / "uitkeringen.parquet")
    assert str(terug["startdatum"].dtype) == "datetime64[ns]" and len(terug) == 3
    bev = pd.read_csv(a / "bevindingen.csv")
    assert len(bev) == 20 + len(VERWACHT_WAARSCHUWINGEN)
    import json

    m = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert set(m["inputs"]) == {"clienten.csv", "uitkeringen.csv", "categorieen.csv", "trajecten.csv", "metadata.json"}
    assert m["config"]["peildatum"] == "2019-12-31"
