"""Mapping files: round trip, errors that name file/row/value, unmapped values reported with counts."""
from __future__ import annotations

import pandas as pd
import pytest

from evaluatie.importeer.mapping import Mappingfout, lees_mapping, pas_toe, schrijf_mapping
from evaluatie.importeer.vng_dsh import lees_codelijst
from evaluatie.schema import load_schema

DATA = __import__("pathlib").Path(__file__).parent / "data" / "vng"


def test_round_trip(tmp_path):
    m = lees_mapping("vng_dsh_reden_einde", toegestaan=load_schema("uitkeringen").field("uitstroomreden").enum)
    p = schrijf_mapping(m, tmp_path / "kopie.csv")
    m2 = lees_mapping(p)
    pd.testing.assert_frame_equal(m.to_frame(), m2.to_frame())
    assert m2.woordenboek == m.woordenboek
    # a dict written and read back
    p = schrijf_mapping({"Baan gevonden": "werk", "Naar Tilburg": "verhuizing"}, tmp_path / "eigen.csv")
    assert lees_mapping(p).woordenboek == {"baan gevonden": "werk", "naar tilburg": "verhuizing"}


def test_shipped_mappings_are_valid():
    enum = load_schema("uitkeringen").field("uitstroomreden").enum
    assert set(lees_mapping("vng_dsh_reden_einde", toegestaan=enum).regels["doel"]) <= set(enum)
    kol = lees_mapping("vng_dsh_kolommen").woordenboek
    # the SQL extract's names (Bijstand_v0.sql) and the R script's names
    for bron, doel in [("Dossiernr", "dossier"), ("Clientnummer", "clientnummer"), ("geboortejaar", "geboortejaar"),
                       ("geslacht", "geslacht"), ("Startdatum periodiek algemeen", "startdatum"),
                       ("Einddatum periodiek algemeen", "einddatum"), ("startdatum", "startdatum"),
                       ("einddatum", "einddatum"), ("Omschrijving leefvorm", "leefvorm"),
                       ("Oorzaak bijstandsafhankelijkheid", "oorzaak_code"),
                       ("Omschrijving einde bijstandsafhankelijkheid", "reden_einde")]:
        assert kol[bron.casefold()] == doel, bron


def test_conflicting_duplicate_names_rows(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("bron,doel,toelichting\nWerk,werk,\nverhuizing,verhuizing,\n  WERK ,overig,\n", encoding="utf-8")
    with pytest.raises(Mappingfout, match=r"m\.csv.*'werk'.*rij 2 → werk; rij 4 → overig"):
        lees_mapping(p)


def test_unknown_target_names_row_and_value(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("bron,doel\nWerk,werk\nPensioen,aow\n", encoding="utf-8")
    with pytest.raises(Mappingfout, match=r"m\.csv, rij 3, veld doel: waarde 'aow'; verwacht een van"):
        lees_mapping(p, toegestaan=["werk", "overig"])
    p.write_text("bron,nieuw\nWerk,werk\n", encoding="utf-8")
    with pytest.raises(Mappingfout, match="doel ontbreken"):
        lees_mapping(p)


def test_pas_toe_reports_unmapped_with_counts(tmp_path):
    p = schrijf_mapping({"Werk": "werk"}, tmp_path / "m.csv")
    w = pd.Series(["werk", "Emigratie", " WERK", "Detentie", "emigratie", ""])
    r = pas_toe(w, lees_mapping(p), negeer=(w == "").to_numpy())
    assert r.waarde.tolist() == ["werk", None, "werk", None, None, None]
    assert r.gemapt.tolist() == [True, False, True, False, False, False]
    # Emigratie twice (case-insensitive), Detentie once; the empty value is left to the caller
    assert r.niet_gemapt.to_dict("records") == [{"waarde": "Emigratie", "aantal": 2}, {"waarde": "Detentie", "aantal": 1}]


def test_codelijst_csv_equals_vng_spreadsheet():
    csv = lees_codelijst()
    xlsx = lees_codelijst(DATA / "code-oorzaak-bijstandsafhankelijkheid-2018-07-09.xlsx")
    assert len(csv) == 32  # range A2:B34 in Bijstand.R: header + 32 codes
    pd.testing.assert_frame_equal(csv.reset_index(drop=True), xlsx.reset_index(drop=True), check_dtype=False)
    assert dict(zip(csv["code"], csv["omschrijving"]))[14] == "Einde Uitkering werkeloosheid"
