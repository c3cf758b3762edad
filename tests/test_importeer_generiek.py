"""`importeer("generiek", mapping.toml)`: the declarative mapping path, checked against hand-made exports,
the vng-dsh importer and the simulator the example exports were made from."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.importeer import Mappingfout, importeer
from evaluatie.importeer.mappingspec import lees_mappingspec

VNG = Path(__file__).parent / "data" / "vng" / "DummyDataBijstandv3.csv"
VNG_MAPPING = Path(__file__).parents[1] / "evaluatie" / "data" / "mappings" / "vng_dsh.toml"
VOORBEELD = Path(__file__).parents[1] / "evaluatie" / "data" / "voorbeeld_export"

MAPPING = """
[mapping]
datumformaat = "%d-%m-%Y"
peildatum = "2019-12-31"
[bronnen.k]
bestand = "k.csv"
[bronnen.u]
bestand = "u.csv"
[bronnen.t]
bestand = "t.csv"
[[bronnen.t.koppel]]
bestand = "vz.csv"
op = "Code"
[tabellen.clienten]
bron = "k"
[tabellen.clienten.velden]
client_id = "Nr"
gemeentecode = { waarde = "GM0777" }
geboortejaar = "Jaar"
geslacht = { kolom = "G", waarden = { M = "man", V = "vrouw" } }
statushouder = { waarde = "false" }
speciaal_onderwijs = { waarde = "false" }
nugger = { waarde = "false" }
[tabellen.uitkeringen]
bron = "u"
max_gat_dagen = 0
[tabellen.uitkeringen.velden]
client_id = "Nr"
startdatum = "Van"
einddatum = "Tot"
uitstroomreden = { kolom = "Reden", waarden = { "Werk" = "werk", "Anders" = "overig" } }
[tabellen.trajecten]
bron = "t"
[tabellen.trajecten.velden]
client_id = "Nr"
instrument = { kolom = "Naam", waarden = { "Werkfit traject" = "arbeidstraining", "LKS structureel" = "structurele_loonkostensubsidie" }, weglaten = ["Schuldhulp"] }
startdatum = "Start"
einddatum = "Eind"
"""


def _maak(tmp_path: Path, mapping: str = MAPPING, **bestanden: str) -> Path:
    inhoud = {
        "k.csv": "Nr;Jaar;G\n501;1980;M\n502;1990;V\n503;1970;X\n",
        # 501: two adjoining periods (one spell, reden of the last); 502: open via 31-12-9999; 503: after peildatum
        "u.csv": "Nr;Van;Tot;Reden\n501;01-01-2016;31-12-2016;\n501;01-01-2017;30-06-2017;Werk\n"
                 "502;01-03-2016;31-12-9999;\n503;01-01-2017;01-02-2020;Anders\n",
        "t.csv": "Nr;Code;Start;Eind\n501;W1;01-02-2016;30-04-2016\n502;S9;01-04-2016;01-05-2016\n502;L2;01-05-2016;\n503;ZZ;01-02-2017;\n",
        "vz.csv": "Code;Naam\nW1;Werkfit traject\nL2;LKS structureel\nS9;Schuldhulp\n",
    } | {k.replace("_", "."): v for k, v in bestanden.items()}
    for naam, tekst in inhoud.items():
        (tmp_path / naam).write_text(tekst, encoding="utf-8")
    p = tmp_path / "m.toml"
    p.write_text(mapping, encoding="utf-8")
    return p


def test_hand_made_exports_every_row_accounted_for(tmp_path):
    r = importeer("generiek", _maak(tmp_path))
    u = r.omgezet.tabellen["uitkeringen"]
    # 501's two periods merged into one spell 2016-01-01..2017-06-30 with the reden of the last period
    assert u.values.tolist() == [["C0000001", "2016-01-01", "2017-06-30", "werk"], ["C0000002", "2016-03-01", "", ""],
                                 ["C0000003", "2017-01-01", "", ""]]
    h = r.omgezet.herkomst
    assert h.loc[h.tabel == "uitkeringen", "bronrijen"].tolist() == ["2;3", "4", "5"]
    # geslacht X not in the map: reported and rejected (its source row named); the row is not dropped silently
    ng = r.niet_gemapt
    assert ("clienten.geslacht (G)", "X", 1) in set(zip(ng.veld, ng.waarde, ng.aantal))
    assert any("ZZ" == w for w in ng.waarde)  # join without partner is listed
    b = r.bevindingen_bron()
    fout = b[(b.niveau == "fout") & (b.tabel == "clienten")]
    assert fout.bronrijen.tolist() == ["4"]
    # Schuldhulp left out on purpose, listed with file and row
    weg = r.omgezet.extra["weggelaten"]
    assert weg[["bestand", "rij", "waarde"]].values.tolist() == [["t.csv", 3, "S9"]] or weg.waarde.tolist() == ["Schuldhulp"]
    rec = r.to_frame().set_index("tabel")
    for tabel in rec.index:
        rij = rec.loc[tabel]
        assert rij.bronrijen == rij.weggelaten + int(r.omgezet.herkomst.query("tabel == @tabel").n_bronrijen.sum())
    assert rec.loc["trajecten", "weggelaten"] == 1


def test_keyed_hash_links_tables_and_hides_numbers(tmp_path):
    r = importeer("generiek", _maak(tmp_path), geheim="s3cret", valideer=False)
    ids = {t: set(df.client_id) for t, df in r.omgezet.tabellen.items()}
    assert ids["uitkeringen"] <= ids["clienten"] and ids["trajecten"] - {""} <= ids["clienten"]
    assert not any(x in {"501", "502", "503"} for s in ids.values() for x in s)
    assert all(len(x) == 17 for x in ids["clienten"])
    r2 = importeer("generiek", _maak(tmp_path), geheim="ander", valideer=False)
    assert set(r2.omgezet.tabellen["clienten"].client_id).isdisjoint(ids["clienten"])


@pytest.mark.parametrize("vervang, verwacht", [
    ('geboortejaar = "Jaar"', ("m.toml", "geboortejaar", "'Geboorte'", "k.csv", "'Jaar'")),
    ('[tabellen.trajecten]\nbron = "t"', ("m.toml", "[tabellen.trajecte]", "onbekende tabel", "trajecten")),
    ('client_id = "Nr"\ngemeentecode', ("m.toml", "onbekend veld", "gemeente", "gemeentecode")),
    ('"LKS structureel" = "structurele_loonkostensubsidie"', ("m.toml", "instrument.waarden", "'lks'", "arbeidstraining")),
    ('datumformaat = "%d-%m-%Y"', ("m.toml", "[mapping]", "datumformat", "naam")),
])
def test_bad_mapping_is_a_clear_error(tmp_path, vervang, verwacht):
    slecht = {
        'geboortejaar = "Jaar"': 'geboortejaar = "Geboorte"',
        '[tabellen.trajecten]\nbron = "t"': '[tabellen.trajecte]\nbron = "t"',
        'client_id = "Nr"\ngemeentecode': 'client_id = "Nr"\ngemeente = "x"\ngemeentecode',
        '"LKS structureel" = "structurele_loonkostensubsidie"': '"LKS structureel" = "lks"',
        'datumformaat = "%d-%m-%Y"': 'datumformat = "%d-%m-%Y"',
    }[vervang]
    assert vervang in MAPPING
    with pytest.raises(Mappingfout) as e:
        importeer("generiek", _maak(tmp_path, MAPPING.replace(vervang, slecht, 1)))
    for stuk in verwacht:
        assert stuk in str(e.value), (stuk, str(e.value))


def test_unparseable_date_rejected_with_source_row(tmp_path):
    p = _maak(tmp_path, u_csv="Nr;Van;Tot;Reden\n501;2016-01-01;;\n502;01-03-2016;;\n")
    r = importeer("generiek", p)
    b = r.bevindingen_bron()
    fout = b[(b.niveau == "fout") & (b.tabel == "uitkeringen")]
    assert fout.bronrijen.tolist() == ["2"] and (fout.veld == "startdatum").all()
    assert any("formaat '%d-%m-%Y'" in x and "2016-01-01" in x for x in r.omgezet.bevindingen)


def test_vng_dsh_mapping_gives_the_same_tables_as_the_importer():
    a = importeer("vng-dsh", VNG, gemeentecode="GM0777", max_gat_dagen=None)
    b = importeer("generiek", VNG_MAPPING, bestanden={"extract": VNG})
    assert set(a.tabellen) == set(b.tabellen) == {"clienten", "uitkeringen"}
    for t in a.tabellen:
        pd.testing.assert_frame_equal(a.tabellen[t], b.tabellen[t])
    assert a.omgezet.metadata["peildatum"] == b.omgezet.metadata["peildatum"]
    assert a.omgezet.metadata["waarnemingsperiode"] == b.omgezet.metadata["waarnemingsperiode"]


def test_example_exports_give_back_the_simulated_tables():
    from evaluatie.data.voorbeeld_export.maak_voorbeeld import N_CLIENTEN, SEED
    from evaluatie.simulatie import simuleer

    sim = simuleer(seed=SEED, n_clienten=N_CLIENTEN).tabellen
    r = importeer("generiek", VOORBEELD / "mapping.toml")
    assert not r.heeft_afkeuringen and len(r.niet_gemapt) == 0
    # pseudonyms are in order of first appearance in klanten.csv = the simulator's client order
    ids = dict(zip(sim["clienten"]["client_id"], r.tabellen["clienten"]["client_id"]))
    for tabel, sleutel in (("clienten", ["client_id"]), ("uitkeringen", ["client_id", "startdatum"]),
                           ("categorieen", ["client_id", "startdatum"]), ("trajecten", ["client_id", "startdatum", "instrument"])):
        verwacht = sim[tabel].assign(client_id=sim[tabel]["client_id"].map(ids))
        kregen = r.tabellen[tabel]
        kol = list(verwacht.columns)
        a = verwacht.sort_values(sleutel).reset_index(drop=True).astype(str)
        b = kregen.loc[:, kol].sort_values(sleutel).reset_index(drop=True).astype(str)
        b = b.replace({"NaT": "nan", "<NA>": "nan", "None": "nan", "True": "true", "False": "false"})
        a = a.replace({"NaT": "nan", "<NA>": "nan", "None": "nan", "": "nan", "True": "true", "False": "false"})
        a = a.apply(lambda s: s.str.replace(r" 00:00:00$", "", regex=True))
        b = b.apply(lambda s: s.str.replace(r" 00:00:00$", "", regex=True))
        pd.testing.assert_frame_equal(a, b, obj=tabel)


def test_cli_generiek_sjabloon_and_overlap(tmp_path):
    runner = CliRunner()
    p = _maak(tmp_path)
    res = runner.invoke(main, ["importeer", "generiek", str(p), "--out", str(tmp_path / "uit")])
    assert res.exit_code == 1, res.output  # geslacht X is rejected
    for f in ("clienten.csv", "uitkeringen.csv", "trajecten.csv", "metadata.json", "import/manifest.json",
              "import/weggelaten.csv", "import/niet_gemapt.csv", "import/bevindingen.csv"):
        assert (tmp_path / "uit" / f).is_file(), f
    assert "s3cret" not in (tmp_path / "uit" / "import" / "manifest.json").read_text()
    res = runner.invoke(main, ["importeer", "generiek", str(p), "--out", str(p.parent)])
    assert res.exit_code == 1 and "schrijft nooit in of over zijn invoer" in res.output, res.output  # the writer's one rule
    res = runner.invoke(main, ["importeer", "sjabloon", "--out", str(tmp_path / "s.toml")])
    assert res.exit_code == 0
    spec_raw = (tmp_path / "s.toml").read_text(encoding="utf-8")
    for naam in ("klanten", "uitkeringen", "diagnoses", "trajecten"):
        (tmp_path / f"{naam}.csv").write_text("x\n1\n", encoding="utf-8")
    spec = lees_mappingspec(tmp_path / "s.toml")
    assert set(spec.tabellen) == {"clienten", "uitkeringen", "categorieen", "trajecten"}
    assert "#" in spec_raw
    res = runner.invoke(main, ["importeer", "sjabloon", "--out", str(tmp_path / "s.toml")])
    assert res.exit_code == 2
