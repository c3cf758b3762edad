"""The evaluation TOML is checked against its schema (issue 14, family 8; family 1 for `simuleer`).

Every example of the issue is a regression test: a value of the wrong type is an error, never silently
converted; a misspelt key is an error with a hint; the disclosure threshold has a floor; `simuleer = true`
never overwrites a folder with real data.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluatie.cli import main
from evaluatie.config import (DOELEN, SCHEMA, ConfigFout, config_documentatie, controleer_simulatiemap, lees_config,
                              toon)

ROOT = Path(__file__).resolve().parents[1]
BASIS = '[evaluatie]\ngemeenten = ["GM0777"]\n[data]\nmap = "d"\n'


def _schrijf(tmp_path: Path, tekst: str, naam: str = "x.toml") -> Path:
    p = tmp_path / naam
    p.write_text(tekst, encoding="utf-8")
    return p


def _met(sectie: str, regel: str) -> str:
    """BASIS with one line added to ``sectie`` (appended as a new section when BASIS has none)."""
    if f"[{sectie}]\n" in BASIS:
        return BASIS.replace(f"[{sectie}]\n", f"[{sectie}]\n{regel}\n")
    return BASIS + f"[{sectie}]\n{regel}\n"


def _fout(tmp_path: Path, tekst: str) -> ConfigFout:
    with pytest.raises(ConfigFout) as e:
        lees_config(_schrijf(tmp_path, tekst))
    return e.value


# -- the examples of the issue -------------------------------------------------------------------------
def test_horizonnen_als_tekst_is_een_fout_met_bestand_sleutel_waarde_en_verwachting(tmp_path):
    e = _fout(tmp_path, _met("effecten", 'horizonnen = "12"'))
    assert str(e) == f'{tmp_path / "x.toml"}: [effecten] horizonnen: verwacht een lijst van gehele getallen 1..36, kreeg "12"'


def test_seed_als_kommagetal_wordt_niet_afgerond(tmp_path):
    e = _fout(tmp_path, _met("evaluatie", "seed = 1.7"))
    assert "[evaluatie] seed: verwacht een geheel getal" in str(e) and "kreeg 1.7" in str(e)


@pytest.mark.parametrize("regel", ["bootstrap = 200.0", "n_jobs = 2.0", "bootstrap = true"])
def test_geen_geheel_getal_uit_een_kommagetal_of_bool(tmp_path, regel):
    e = _fout(tmp_path, _met("effecten", regel))
    assert f"kreeg {regel.split(' = ')[1]}" in str(e)


def test_bootstrap_nul_mag_negatief_niet(tmp_path):
    assert lees_config(_schrijf(tmp_path, _met("effecten", "bootstrap = 0"))).bootstrap == 0
    assert "[effecten] bootstrap: verwacht een geheel getal 0..100000, kreeg -1" in str(_fout(tmp_path, _met("effecten", "bootstrap = -1")))


def test_tikfout_in_sleutel_geeft_fout_met_suggestie(tmp_path):
    e = _fout(tmp_path, _met("evaluatie", "drempell = 50"))
    assert "[evaluatie] drempell: onbekende sleutel; bedoelt u 'drempel'?" in str(e)


@pytest.mark.parametrize("drempel", [0, 1, 9, -10])
def test_drempel_onder_de_ondergrens_geweigerd(tmp_path, drempel):
    e = _fout(tmp_path, _met("evaluatie", f"drempel = {drempel}"))
    assert f"[evaluatie] drempel: verwacht een geheel getal >= 10, kreeg {drempel}" in str(e)


@pytest.mark.parametrize("drempel", [10, 11, 25])
def test_drempel_op_of_boven_de_ondergrens_gebruikt(tmp_path, drempel):
    assert lees_config(_schrijf(tmp_path, _met("evaluatie", f"drempel = {drempel}"))).drempel == drempel


def test_ondergrens_is_die_van_disclosure():
    disclosure = pytest.importorskip("evaluatie.disclosure")
    minimum = getattr(disclosure, "MIN_DREMPEL", 10)
    assert SCHEMA["evaluatie"]["drempel"].minimum == minimum == 10


@pytest.mark.parametrize("waarde", ['"false"', '"true"', '"nee"', "0", "1"])
def test_simuleer_alleen_als_echte_bool(tmp_path, waarde):
    e = _fout(tmp_path, _met("data", f"simuleer = {waarde}"))
    assert f"[data] simuleer: verwacht true of false (zonder aanhalingstekens), kreeg {waarde}" in str(e)


def test_simuleer_false_en_true_gelezen(tmp_path):
    assert lees_config(_schrijf(tmp_path, _met("data", "simuleer = false"))).simuleer is False
    assert lees_config(_schrijf(tmp_path, _met("data", "simuleer = true"))).simuleer is True


# -- structure: unknown sections and keys, misplaced keys, everything at once ---------------------------
def test_onbekende_sectie_met_suggestie(tmp_path):
    e = _fout(tmp_path, BASIS + "[effect]\nbootstrap = 100\n")
    assert "[effect]: onbekende sectie; bedoelt u 'effecten'?" in str(e)


def test_sleutel_in_de_verkeerde_sectie(tmp_path):
    e = _fout(tmp_path, _met("data", "drempel = 20"))
    assert "[data] drempel: hoort niet in [data] maar in [evaluatie]" in str(e)


def test_sleutel_buiten_een_sectie(tmp_path):
    e = _fout(tmp_path, "seed = 3\n" + BASIS)
    assert "seed: staat buiten een sectie; zet het onder [evaluatie]" in str(e)


def test_ontbrekende_secties_melden_hun_verplichte_sleutels(tmp_path):
    e = _fout(tmp_path, "[effecten]\nbootstrap = 100\n")
    assert len(e.fouten) == 2
    assert "[evaluatie] mist verplichte sleutel 'gemeenten'" in e.fouten[0]
    assert "[data] mist verplichte sleutel 'map'" in e.fouten[1]


def test_alle_fouten_tegelijk_elk_met_bestandsnaam(tmp_path):
    tekst = _met("evaluatie", "seed = 1.7\ndrempell = 50\ndrempel = 1")
    tekst = tekst.replace('map = "d"\n', 'map = "d"\nsimuleer = "false"\n') + '[effecten]\nhorizonnen = "12"\n'
    e = _fout(tmp_path, tekst)
    assert len(e.fouten) == 5 and str(e).splitlines() == list(e.fouten)
    assert all(f.startswith(f"{tmp_path / 'x.toml'}: [") for f in e.fouten)


@pytest.mark.parametrize("regel, deel", [
    ('horizonnen = [12, 12]', "zonder herhalingen"),
    ('horizonnen = []', "kreeg []"),
    ('horizonnen = [0, 12]', "kreeg [0, 12]"),
    ('horizonnen = [12, 37]', "kreeg [12, 37]"),
    ('horizonnen = [12.0]', "kreeg [12.0]"),
    ('horizonnen = 12', "kreeg 12"),
])
def test_horizonnen(tmp_path, regel, deel):
    assert deel in str(_fout(tmp_path, _met("effecten", regel)))


@pytest.mark.parametrize("regel, deel", [
    ('periode = ["2015-01-01"]', "kreeg [\"2015-01-01\"]"),
    ('periode = ["2019-12-31", "2015-01-01"]', "start na eind"),
    ('periode = ["2015-02-30", "2019-12-31"]', "2015-02-30 bestaat niet"),
    ('periode = ["20150101", "2019-12-31"]', 'kreeg ["20150101"'),
    ('periode = ["0001-01-01", "2019-12-31"]', "jaren 1990..2100"),
    ('periode = ["2015-01-01", "9999-12-31"]', "jaren 1990..2100"),
    ('periode = [2015-01-01T10:00:00, 2019-12-31]', "een datum zonder tijd"),
])
def test_periode(tmp_path, regel, deel):
    assert deel in str(_fout(tmp_path, _met("evaluatie", regel)))


def test_periode_als_toml_datum_wordt_iso_tekst(tmp_path):
    cfg = lees_config(_schrijf(tmp_path, _met("evaluatie", "periode = [2016-01-01, 2018-06-30]")))
    assert cfg.periode == ("2016-01-01", "2018-06-30")


@pytest.mark.parametrize("regel, deel", [
    ('gemeenten = ["GM0777", "GM0777"]', "elke gemeente één keer"),
    ('gemeenten = []', "kreeg []"),
    ('gemeenten = "GM0777,GM1655"', 'kreeg "GM0777,GM1655"'),
    ('gemeenten = [777]', "kreeg [777]"),
])
def test_gemeenten(tmp_path, regel, deel):
    tekst = BASIS.replace('gemeenten = ["GM0777"]', regel)
    assert deel in str(_fout(tmp_path, tekst))


def test_keuze_met_suggestie(tmp_path):
    e = _fout(tmp_path, _met("benchmark", 'vergelijkingsgroep = "structureell"'))
    assert 'kreeg "structureell" (bedoelt u \'structureel\'?)' in str(e)


def test_lange_waarde_en_stuurtekens_niet_letterlijk_in_de_melding(tmp_path):
    e = _fout(tmp_path, _met("effecten", f'horizonnen = "{"x" * 100_000}"'))
    assert len(str(e)) < 300 and str(e).endswith("…")
    e = _fout(tmp_path, _met("evaluatie", 'naam = "a\\u0000b"'))
    assert "\x00" not in str(e) and "\\u0000" in str(e)
    assert toon("a\x00b") == '"a\\u0000b"'


@pytest.mark.parametrize("tekst, deel", [
    ("[evaluatie\n", "geen geldige TOML"),
    ("evaluatie = 3\n[data]\nmap='d'\n", "evaluatie: verwacht een sectie [evaluatie], kreeg 3"),
])
def test_kapotte_toml(tmp_path, tekst, deel):
    assert deel in str(_fout(tmp_path, tekst))


def test_bom_en_crlf_van_windows_zijn_geen_fout(tmp_path):
    p = tmp_path / "x.toml"
    p.write_bytes(b"\xef\xbb\xbf" + _met("evaluatie", "seed = 5").replace("\n", "\r\n").encode())
    assert lees_config(p).seed == 5


def test_dubbele_sleutel_is_geen_geldige_toml(tmp_path):
    e = _fout(tmp_path, _met("evaluatie", "seed = 5\nseed = 6"))
    assert str(e).startswith(f"{tmp_path / 'x.toml'}: geen geldige TOML") and "regel 3, kolom 9" in str(e)


def test_geen_utf8_en_geen_bestand(tmp_path):
    p = tmp_path / "x.toml"
    p.write_bytes(b"[evaluatie]\nnaam = '\xff'\n")
    with pytest.raises(ConfigFout, match="geen UTF-8"):
        lees_config(p)
    with pytest.raises(ConfigFout, match="bestaat niet"):
        lees_config(tmp_path / "nee.toml")


def test_standaardwaarden_en_de_meegeleverde_configs():
    for pad in (ROOT / "analyses" / "demo.toml",):
        cfg = lees_config(pad)
        assert cfg.horizonnen == (12, 24) and cfg.drempel == 10 and cfg.simuleer is True and [d["indicator"] for d in cfg.doelen] == ["uitstroom_werk_pct", "toerekenbaar_aandeel"]
    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as p:
        assert lees_config(p).referentiejaar == 2019


def test_minimale_config_krijgt_de_standaarden(tmp_path):
    cfg = lees_config(_schrijf(tmp_path, BASIS))
    assert (cfg.naam, cfg.horizonnen, cfg.seed, cfg.bootstrap, cfg.drempel, cfg.simuleer, cfg.referentiejaar) == (
        "x", (12, 24), 1, 200, 10, False, None)
    assert cfg.data == (tmp_path / "d").resolve()
    assert "doelen" not in cfg.als_dict()  # manifests of evaluations without targets keep their hash


# -- [[doelen]] ----------------------------------------------------------------------------------------
DOEL = '[[doelen]]\nindicator = "uitstroom_werk_pct"\njaar = 2019\nstreefwaarde = 30\n'


def test_doelen_gelezen_als_tabellen(tmp_path):
    tekst = BASIS + DOEL + '[[doelen]]\nindicator = "preventiequotum"\njaar = 2018\nstreefwaarde = 12.5\nrichting = "lager"\nlabel = "Minder instroom"\n'
    cfg = lees_config(_schrijf(tmp_path, tekst))
    assert cfg.doelen == (
        {"indicator": "uitstroom_werk_pct", "jaar": 2019, "streefwaarde": 30},
        {"indicator": "preventiequotum", "jaar": 2018, "streefwaarde": 12.5, "richting": "lager", "label": "Minder instroom"},
    )
    assert cfg.als_dict()["doelen"][1]["richting"] == "lager"


@pytest.mark.parametrize("vervang, deel", [
    (("jaar = 2019", 'jaar = "2019"'), '[[doelen]] nr. 1 jaar: verwacht een geheel getal 1990..2100, kreeg "2019"'),
    (("streefwaarde = 30", 'streefwaarde = "30%"'), '[[doelen]] nr. 1 streefwaarde: verwacht een getal, kreeg "30%"'),
    (("streefwaarde = 30", "streefwaarde = nan"), "streefwaarde: verwacht een getal, kreeg nan"),
    (("streefwaarde = 30", "streefwaarde = true"), "streefwaarde: verwacht een getal, kreeg true"),
    (("streefwaarde = 30", 'streefwaarde = 30\nrichting = "omhoog"'), 'richting: verwacht een van "hoger", "lager", kreeg "omhoog"'),
    (("streefwaarde = 30", "streefwaard = 30"), "streefwaard: onbekende sleutel; bedoelt u 'streefwaarde'?"),
    (('indicator = "uitstroom_werk_pct"\n', ""), "[[doelen]] nr. 1 mist verplichte sleutel 'indicator'"),
])
def test_doelen_typen(tmp_path, vervang, deel):
    assert deel in str(_fout(tmp_path, BASIS + DOEL.replace(*vervang)))


def test_doelen_als_gewone_sectie_geweigerd(tmp_path):
    e = _fout(tmp_path, BASIS + '[doelen]\nindicator = "x"\n')
    assert "doelen: verwacht tabellen [[doelen]]" in str(e)


# -- any value in any key: a config or a ConfigFout, never another exception or a lossy conversion -------
_toml_waarde = st.recursive(
    st.one_of(st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=12), st.sampled_from(["GM0777", "2015-01-01", "alle", "12", "true"])),
    lambda kind: st.lists(kind, max_size=4), max_leaves=6)


def _als_toml(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_als_toml(x) for x in v) + "]"
    return toon(v, max_tekens=10**6) if not isinstance(v, float) else repr(v)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plek=st.sampled_from([(s, k) for s, velden in SCHEMA.items() for k in velden if k != "map"]), waarde=_toml_waarde)
def test_elke_waarde_geeft_config_of_configfout(tmp_path, plek, waarde):
    sectie, sleutel = plek
    regel = f"{sleutel} = {_als_toml(waarde)}"
    tekst = BASIS.replace('gemeenten = ["GM0777"]\n', "") if sleutel == "gemeenten" else BASIS
    tekst = _met(sectie, regel) if sleutel != "gemeenten" else tekst.replace("[evaluatie]\n", f"[evaluatie]\n{regel}\n")
    p = _schrijf(tmp_path, tekst)
    gelezen = tomllib.loads(tekst)[sectie][sleutel]
    try:
        cfg = lees_config(p)
    except ConfigFout as e:
        assert all(f.startswith(f"{p}: ") for f in e.fouten)
        return
    attribuut = getattr(cfg, sleutel)
    soort = SCHEMA[sectie][sleutel].soort
    if soort in ("geheel", "getal", "bool", "keuze", "tekst"):
        assert attribuut == gelezen and type(attribuut) is type(gelezen)  # nothing converted
    elif soort == "lijst_geheel":
        assert list(attribuut) == gelezen and all(type(h) is int for h in attribuut)


# -- simuleer = true never overwrites real data ---------------------------------------------------------
def _hash_map(map_: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(map_.iterdir())}


def test_simulatiemap_leeg_nieuw_of_eerdere_simulatie_toegestaan(tmp_path):
    from evaluatie.simulatie import schrijf, simuleer

    controleer_simulatiemap(tmp_path / "bestaat-niet")
    (tmp_path / "leeg").mkdir()
    controleer_simulatiemap(tmp_path / "leeg")
    schrijf(simuleer(seed=3, n_clienten=100), tmp_path / "sim")
    controleer_simulatiemap(tmp_path / "sim")  # what the simulator wrote may be written again
    (tmp_path / "sim" / "manifest.json").write_text('{"commando": "simuleer", "voltooid": true}')
    controleer_simulatiemap(tmp_path / "sim")  # ... also with the manifest of `evaluatie simuleer`
    (tmp_path / "sim" / "manifest.json").write_text('{"commando": "rapport", "voltooid": true}')
    with pytest.raises(ConfigFout, match='manifest.json is van "rapport", niet van een simulatie'):
        controleer_simulatiemap(tmp_path / "sim")


@pytest.mark.parametrize("maak, deel", [
    (lambda d: (d / "clienten.csv").write_text("client_id\nX1\n"), "geen truth.json"),
    (lambda d: (d / "clienten.parquet").write_bytes(b"PAR1"), '"clienten.parquet"'),
    (lambda d: (d / "export.xlsx").write_bytes(b"PK"), '"export.xlsx"'),
    (lambda d: (d / "submap").mkdir(), '"submap"'),
])
def test_simulatiemap_met_gebruikersgegevens_geweigerd(tmp_path, maak, deel):
    d = tmp_path / "echt"
    d.mkdir()
    maak(d)
    with pytest.raises(ConfigFout) as e:
        controleer_simulatiemap(d, bron="x.toml")
    assert str(e.value).startswith(f"x.toml: [data] map {d}: ") and deel in str(e.value)
    assert "simuleer = false" in str(e.value)


def test_simulatie_plus_eigen_bestand_of_kapotte_truth_geweigerd(tmp_path):
    from evaluatie.simulatie import schrijf, simuleer

    schrijf(simuleer(seed=3, n_clienten=100), tmp_path / "a")
    (tmp_path / "a" / "mijn_trajecten.csv").write_text("x\n")
    with pytest.raises(ConfigFout, match="mijn_trajecten.csv"):
        controleer_simulatiemap(tmp_path / "a")
    schrijf(simuleer(seed=3, n_clienten=100), tmp_path / "b")
    (tmp_path / "b" / "truth.json").write_text('{"niet": "van de simulatie"}')
    with pytest.raises(ConfigFout, match="truth.json is niet door de simulatie geschreven"):
        controleer_simulatiemap(tmp_path / "b")
    (tmp_path / "b" / "truth.json").write_text('{"seed": 1')
    with pytest.raises(ConfigFout, match="truth.json is geen leesbare JSON"):
        controleer_simulatiemap(tmp_path / "b")


def test_rapport_met_simuleer_over_echte_gegevens_raakt_niets(tmp_path):
    """Family 1: `simuleer = true` over a folder with the user's tables stops before writing anything."""
    data = tmp_path / "d"
    data.mkdir()
    (data / "clienten.csv").write_text("client_id,geboortedatum\nC1,1980-01-01\n", encoding="utf-8")
    (data / "metadata.json").write_text('{"waarnemingsperiode": {"start": "2015-01-01", "eind": "2019-12-31"}}')
    voor = _hash_map(data)
    cfg = _schrijf(tmp_path, BASIS.replace('map = "d"', 'map = "d"\nsimuleer = true'))
    r = CliRunner().invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)  # a message, not a crash
    assert "simuleer = true zou die gegevens overschrijven" in r.output
    assert _hash_map(data) == voor


def test_rapport_met_simuleer_als_tekst_raakt_niets(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "clienten.csv").write_text("client_id\nC1\n", encoding="utf-8")
    voor = _hash_map(data)
    cfg = _schrijf(tmp_path, BASIS.replace('map = "d"', 'map = "d"\nsimuleer = "false"'))
    r = CliRunner().invoke(main, ["rapport", str(cfg), "--out", str(tmp_path / "uit")])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert 'simuleer: verwacht true of false (zonder aanhalingstekens), kreeg "false"' in r.output
    assert _hash_map(data) == voor and not (tmp_path / "uit").exists()


# -- documentation ---------------------------------------------------------------------------------------
def test_handleiding_bevat_de_gegenereerde_sleuteltabel():
    tekst = (ROOT / "docs" / "handleiding.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- config-sleutels[^>]*-->\n(.*?)<!-- /config-sleutels -->", tekst, re.S)
    assert m, "docs/handleiding.md mist de markering <!-- config-sleutels -->"
    assert m.group(1) == config_documentatie(), (
        "de sleuteltabel in docs/handleiding.md is verouderd; vervang hem door evaluatie.config.config_documentatie()")


def test_documentatie_noemt_elke_sleutel_met_verwachting():
    doc = config_documentatie()
    for velden in (*SCHEMA.values(), DOELEN):
        for sleutel, veld in velden.items():
            rij = next((r for r in doc.splitlines() if f"| `{sleutel}` |" in r), None)
            assert rij is not None and veld.verwacht() in rij, sleutel
