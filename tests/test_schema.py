"""The data contract: schema files load, are coherent with each other and with the domain brief."""
from __future__ import annotations

import json

import pytest

from evaluatie.schema import TABELLEN, beschikbaar, instrumenten, load_schema, schema_dir


@pytest.mark.parametrize("naam", TABELLEN)
def test_schema_laadt_en_heeft_primaire_sleutel(naam):
    s = load_schema(naam)
    assert s.name == naam
    assert s.primary_key, "elke tabel heeft een primaire sleutel"
    for k in s.primary_key:
        assert k in s.field_names
    for fk in s.foreign_keys:
        ref = load_schema(fk["reference"]["resource"])
        for f in fk["reference"]["fields"]:
            assert f in ref.field_names


@pytest.mark.parametrize("naam", TABELLEN)
def test_schema_is_frictionless_table_schema(naam):
    raw = json.loads((schema_dir() / f"{naam}.json").read_text(encoding="utf-8"))
    assert isinstance(raw["fields"], list)
    allowed = {"string", "integer", "number", "boolean", "date"}
    for f in raw["fields"]:
        assert f["type"] in allowed, f
        assert f.get("description"), f"{naam}.{f['name']} heeft geen beschrijving"


def test_onbekende_tabel_geeft_duidelijke_fout():
    with pytest.raises(ValueError, match="verwacht een van"):
        load_schema("klanten")


def test_instrument_enum_gelijk_aan_instrumentenlijst():
    enum = load_schema("trajecten").field("instrument").enum
    assert list(enum) == list(instrumenten())


# Werkplein Hart van West-Brabant, tabel 4 (../shared/domain.md): instrument -> categorieen.
TABEL_4 = {
    "praktijkovereenkomst": "A",
    "arbeidsbemiddeling_wsp": "AB",
    "incidentele_loonkostensubsidie": "AB",
    "loonkostenvoordeel": "AB",
    "leerwerktraject": "B",
    "werkplekaanpassing": "B",
    "sociale_detachering": "B",
    "jobcoaching": "BC",
    "individuele_studietoeslag": "BC",
    "structurele_loonkostensubsidie": "BC",
    "beschut_werk": "C",
    "arbeidstraining": "C",
}


@pytest.mark.parametrize("instrument,cats", TABEL_4.items())
def test_beschikbaarheid_volgt_tabel_4(instrument, cats):
    for c in "ABC":
        assert beschikbaar(instrument, c) is (c in cats)


def test_uitkeringen_uitstroomredenen():
    enum = load_schema("uitkeringen").field("uitstroomreden").enum
    assert "werk" in enum and len(enum) == 5


def test_participatieladder_en_inzetbaarheid_apart():
    s = load_schema("categorieen")
    assert (s.field("trede").minimum, s.field("trede").maximum) == (1, 6)
    assert (s.field("inzetbaarheid").minimum, s.field("inzetbaarheid").maximum) == (1, 5)
