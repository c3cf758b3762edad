"""The kennisbank under broken files (issue 14, family 6) and on every output layout (issue 15).

One bad file never takes the store down; a damaged kennisbank.json, manifest or effects file gives a
message naming the file; a run without provenance or not marked complete is refused; the new layout
(``intern/effecten.parquet``, ``voltooid``, ``uitvoer`` hashes) and both older layouts are read.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.kennisbank import KennisbankFout, lees_run, open_kennisbank

PERIODE = {"start": "2015-01-01", "eind": "2019-12-31"}


def _effecten(schatting: float = 0.05, n: int = 200, gebeurtenissen: int = 50) -> pd.DataFrame:
    return pd.DataFrame({
        "instrument": ["jobcoaching"], "categorie": ["B"], "uitkomst": ["werk"], "maat": ["att"], "horizon": [12],
        "schatting": [schatting], "se": [0.02], "ci_laag": [schatting - 0.04], "ci_hoog": [schatting + 0.04],
        "n_deelnemers": [n], "n_gebeurtenissen": [gebeurtenissen], "methode": ["gformule"], "vlag": [""],
    })


def _manifest(h: str, **extra) -> dict:
    return {"manifest_hash": h * (64 // len(h)), "config": {"waarnemingsperiode": PERIODE, "gemeenten": ["GM0777"]},
            "versions": {"evaluatie": "0.1.0"}, "seed": 1, **extra}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _run_oud(map_: Path, h: str, rel: str = "effecten.parquet", schatting: float = 0.05) -> Path:
    """A run folder as `analyseer` (rel = effecten.parquet) or `rapport` (tabellen/effecten.parquet) wrote it before issue 15."""
    (map_ / rel).parent.mkdir(parents=True, exist_ok=True)
    _effecten(schatting).to_parquet(map_ / rel, index=False)
    (map_ / "manifest.json").write_text(json.dumps(_manifest(h)), encoding="utf-8")
    return map_


def _run_nieuw(map_: Path, h: str, *, voltooid=True, schatting: float = 0.05) -> Path:
    """A run folder in the agreed layout of the one writer: intern/ + publiceerbaar/, uitvoer hashes, voltooid last."""
    (map_ / "intern").mkdir(parents=True)
    (map_ / "publiceerbaar" / "tabellen").mkdir(parents=True)
    _effecten(schatting).to_parquet(map_ / "intern" / "effecten.parquet", index=False)
    _effecten(schatting).to_csv(map_ / "publiceerbaar" / "tabellen" / "effecten.csv", index=False)
    uitvoer = {p.relative_to(map_).as_posix(): _sha(p) for p in sorted(map_.rglob("*")) if p.is_file()}
    m = _manifest(h, commando="rapport", inputs={"clienten.csv": "0" * 64}, uitvoer=uitvoer)
    if voltooid is not None:
        m["voltooid"] = voltooid
    (map_ / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return map_


def _cli(*args: str):
    return CliRunner().invoke(main, ["kennisbank", *args])


@pytest.fixture
def kb_met_twee_runs(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    kb.voeg_toe(_effecten(0.05), _manifest("a"))
    kb.voeg_toe(_effecten(0.07), {**_manifest("b"), "config": {"waarnemingsperiode": ["2017-01-01", "2021-12-31"]}})
    return tmp_path / "kb"


# -- one bad run file: skipped and named, the rest still works ------------------------------------------
def _knip(pad: Path) -> None:
    data = pad.read_bytes()
    pad.write_bytes(data[: len(data) // 2])


def test_afgebroken_runbestand_wordt_overgeslagen_en_genoemd(kb_met_twee_runs):
    slecht = kb_met_twee_runs / "runs" / f"{'a' * 16}.parquet"
    _knip(slecht)
    r = open_kennisbank(kb_met_twee_runs, maak=False).lees_alles()
    assert list(r.schattingen.run_id) == ["b" * 16]
    assert [o.pad for o in r.overgeslagen] == [slecht] and "geen leesbaar Parquet-bestand" in r.overgeslagen[0].reden
    with pytest.warns(UserWarning, match=f"{'a' * 16}.parquet: overgeslagen"):
        assert len(open_kennisbank(kb_met_twee_runs, maak=False).lees()) == 1


def test_toon_en_export_met_een_afgebroken_bestand(kb_met_twee_runs, tmp_path):
    _knip(kb_met_twee_runs / "runs" / f"{'a' * 16}.parquet")
    r = _cli("toon", "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)  # an exit code, not a crash
    assert "0.070" in r.stdout and "0.050" not in r.stdout  # the good run is shown
    assert f"{'a' * 16}.parquet: overgeslagen" in r.stderr and "Klaar, maar 1 bestand" in r.stderr
    r = _cli("export", "--out", str(tmp_path / "x.csv"), "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    uit = pd.read_csv(tmp_path / "x.csv")
    assert list(uit.schatting) == [0.07] and "Klaar, maar 1 bestand" in r.stderr


@pytest.mark.parametrize("maak, reden", [
    (lambda p: pq.write_table(pa.table({"x": [1]}), p), "geen kennisbank-bestand"),
    (lambda p: p.write_bytes(b""), "geen leesbaar Parquet-bestand"),
    (lambda p: pq.write_table(pa.table({"x": [1]}).replace_schema_metadata(
        {b"evaluatie.kennisbank.schema_versie": b"99"}), p), "schemaversie 99"),
    (lambda p: pq.write_table(pa.table({"x": [1]}).replace_schema_metadata(
        {b"evaluatie.kennisbank.schema_versie": b"1"}), p), "ontbreken"),
    (lambda p: pq.write_table(pa.Table.from_pandas(
        open_kennisbank(p.parents[1], maak=False).lees_alles().schattingen.astype({"horizon": str}), preserve_index=False
    ).replace_schema_metadata({b"evaluatie.kennisbank.schema_versie": b"1"}), p), "zijn niet numeriek"),
])
def test_vreemde_bestanden_in_runs(kb_met_twee_runs, maak, reden):
    p = kb_met_twee_runs / "runs" / "vreemd.parquet"
    maak(p)
    r = open_kennisbank(kb_met_twee_runs, maak=False).lees_alles()
    assert r.schattingen.run_id.nunique() == 2
    assert len(r.overgeslagen) == 1 and r.overgeslagen[0].pad == p and reden in r.overgeslagen[0].reden


# -- damaged kennisbank.json, manifest, effects ----------------------------------------------------------
@pytest.mark.parametrize("inhoud, deel", [
    ('{"formaat": "evaluatie-kennis', "geen geldige JSON"),
    ("[]", "is geen kennisbank"),
    ('{"formaat": "evaluatie-kennisbank", "schema_versie": "een"}', "schema_versie: verwacht een geheel getal"),
])
def test_beschadigde_kennisbank_json(kb_met_twee_runs, tmp_path, inhoud, deel):
    (kb_met_twee_runs / "kennisbank.json").write_text(inhoud)
    run = _run_oud(tmp_path / "res", "c")
    for args in (["voeg-toe", str(run)], ["toon"], ["export", "--out", str(tmp_path / "x.csv")]):
        r = _cli(*args, "--kennisbank", str(kb_met_twee_runs))
        assert r.exit_code == 1 and deel in r.stderr and "kennisbank" in r.stderr, args
        assert isinstance(r.exception, SystemExit), args
    assert sorted(p.name for p in (kb_met_twee_runs / "runs").iterdir()) == [f"{'a' * 16}.parquet", f"{'b' * 16}.parquet"]


@pytest.mark.parametrize("inhoud, deel", [
    ('{"manifest_hash": "cc', "geen geldige JSON (regel 1"),
    ("[1, 2]", "verwacht een JSON-object"),
    ("{}", "manifest mist manifest_hash, config, versions"),
    ('{"manifest_hash": "kort", "config": {}, "versions": {}}', "manifest_hash: verwacht een SHA-256"),
    (json.dumps({**_manifest("c"), "config": {}}), "config.waarnemingsperiode ontbreekt"),
    (json.dumps({**_manifest("c"), "config": "x"}), "config: verwacht een JSON-object"),
])
def test_beschadigd_of_leeg_manifest_geweigerd(tmp_path, inhoud, deel):
    run = _run_oud(tmp_path / "res", "c")
    (run / "manifest.json").write_text(inhoud)
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and deel in r.stderr and "manifest.json" in r.stderr
    assert not list((tmp_path / "kb" / "runs").glob("*.parquet"))


def test_leeg_manifest_ook_via_de_api_geweigerd(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    with pytest.raises(KennisbankFout, match="mist manifest_hash, config, versions"):
        kb.voeg_toe(_effecten(), {})
    assert kb.lees().empty


def test_beschadigd_effectenbestand(tmp_path):
    run = _run_oud(tmp_path / "res", "c")
    _knip(run / "effecten.parquet")
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and f"{run / 'effecten.parquet'}: geen leesbaar Parquet-bestand" in r.stderr


@pytest.mark.parametrize("kolom, waarde, deel", [
    ("horizon", "12a", "kolom horizon: verwacht een geheel getal, kreeg '12a'"),
    ("horizon", 12.5, "kolom horizon: verwacht een geheel getal, kreeg '12.5'"),
    ("schatting", "veel", "kolom schatting: verwacht een getal, kreeg 'veel'"),
])
def test_waarden_die_niet_passen_geweigerd(tmp_path, kolom, waarde, deel):
    eff = _effecten().astype({kolom: object})
    eff.loc[0, kolom] = waarde
    with pytest.raises(KennisbankFout, match=deel):
        open_kennisbank(tmp_path / "kb").voeg_toe(eff, _manifest("c"))


@pytest.mark.parametrize("drempel", [1, 9, 10.0])
def test_drempel_van_de_kennisbank_niet_onder_de_ondergrens(tmp_path, drempel):
    with pytest.raises(KennisbankFout, match="drempel: verwacht een geheel getal >= 10"):
        open_kennisbank(tmp_path / "kb").voeg_toe(_effecten(n=5), _manifest("c"), drempel=drempel)


def test_kleine_aantallen_gebeurtenissen_niet_opgeslagen(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    eff = pd.concat([_effecten(gebeurtenissen=g) for g in (3, 50, 195)], ignore_index=True).assign(horizon=[6, 12, 24])
    kb.voeg_toe(eff, _manifest("c"))
    # 3 events, and 200 - 195 = 5 without the event, both describe fewer than 10 persons
    assert list(kb.lees().sort_values("horizon").n_gebeurtenissen) == [-1, 50, -1]


# -- the layouts -------------------------------------------------------------------------------------------
def test_nieuwe_indeling_gelezen_uit_intern(tmp_path):
    run = _run_nieuw(tmp_path / "res", "d", schatting=0.09)
    inv = lees_run(run)
    assert inv.nieuwe_indeling and inv.effecten_pad == run / "intern" / "effecten.parquet"
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 0 and "toegevoegd" in r.stdout
    df = open_kennisbank(tmp_path / "kb").lees()
    assert list(df.schatting) == [0.09] and list(df.periode_eind) == ["2019-12-31"]


@pytest.mark.parametrize("rel", ["effecten.parquet", "tabellen/effecten.parquet"])
def test_oude_indelingen_blijven_leesbaar(tmp_path, rel):
    run = _run_oud(tmp_path / "res", "e", rel=rel)
    assert lees_run(run).effecten_pad == run / rel and not lees_run(run).nieuwe_indeling
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 0 and "toegevoegd" in r.stdout


@pytest.mark.parametrize("voltooid", [None, False, "true"])
def test_half_geschreven_run_geweigerd(tmp_path, voltooid):
    run = _run_nieuw(tmp_path / "res", "f", voltooid=voltooid)
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and 'de run is niet afgemaakt (manifest zonder "voltooid": true)' in r.stderr
    assert not list((tmp_path / "kb" / "runs").glob("*.parquet"))


def test_nieuwe_tabellen_naast_oud_manifest_geweigerd(tmp_path):
    """Family 5: new tables with an old manifest must not be stored under the old run."""
    run = _run_nieuw(tmp_path / "res", "9")
    _effecten(0.5).to_parquet(run / "intern" / "effecten.parquet", index=False)
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and "inhoud past niet bij" in r.stderr and "intern/effecten.parquet" in r.stderr


def test_nieuwe_indeling_zonder_intern_effecten_valt_niet_terug_op_oude_plek(tmp_path):
    run = _run_nieuw(tmp_path / "res", "8")
    (run / "intern" / "effecten.parquet").rename(run / "effecten.parquet")
    r = _cli("voeg-toe", str(run), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and "geen intern/effecten.parquet" in r.stderr


def test_zonder_manifest(tmp_path):
    (tmp_path / "res").mkdir()
    r = _cli("voeg-toe", str(tmp_path / "res"), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and "manifest.json ontbreekt" in r.stderr
    run = _run_nieuw(tmp_path / "nieuw", "a")
    r = _cli("voeg-toe", str(run / "intern"), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 1 and f"geef de uitvoermap zelf ({run}), niet intern/" in r.stderr


# -- never write into the input ----------------------------------------------------------------------------
def test_kennisbank_in_of_om_de_resultaten_geweigerd(tmp_path):
    run = _run_oud(tmp_path / "res", "7")
    for kb in (run, run / "kb", tmp_path):
        r = _cli("voeg-toe", str(run), "--kennisbank", str(kb))
        assert r.exit_code == 1 and "overlappen" in r.stderr, kb
    assert sorted(p.name for p in run.iterdir()) == ["effecten.parquet", "manifest.json"]


def test_export_in_de_kennisbank_geweigerd(kb_met_twee_runs):
    r = _cli("export", "--out", str(kb_met_twee_runs / "runs" / "x.parquet"), "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 2 and "ligt in de kennisbank" in r.stderr
    assert len(list((kb_met_twee_runs / "runs").iterdir())) == 2
    r = _cli("export", "--out", "x.txt", "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 2 and ".csv of .parquet" in r.stderr


def test_export_naar_niet_bestaande_map(kb_met_twee_runs, tmp_path):
    r = _cli("export", "--out", str(tmp_path / "nee" / "x.csv"), "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 1 and "kan niet schrijven" in r.stderr and isinstance(r.exception, SystemExit)


def test_geen_waarschuwing_bij_een_gezonde_kennisbank(kb_met_twee_runs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(open_kennisbank(kb_met_twee_runs, maak=False).lees()) == 2
    r = _cli("toon", "--kennisbank", str(kb_met_twee_runs))
    assert r.exit_code == 0 and r.stderr == ""


@pytest.mark.slow
def test_uitvoer_van_rapport_toevoegen(tmp_path):
    """Issue 15: `kennisbank voeg-toe` accepts the output of `rapport` (whatever layout the writer uses)."""
    import dataclasses
    from importlib import resources

    from evaluatie.config import lees_config
    from evaluatie.pijplijn import voer_uit

    with resources.as_file(resources.files("evaluatie.data").joinpath("demo.toml")) as p:
        cfg = lees_config(p)
    cfg = dataclasses.replace(cfg, data=tmp_path / "data", clienten=600, bootstrap=20, n_jobs=1)
    voer_uit(cfg, tmp_path / "uit")
    r = _cli("voeg-toe", str(tmp_path / "uit"), "--kennisbank", str(tmp_path / "kb"))
    assert r.exit_code == 0 and "toegevoegd" in r.stdout
    df = open_kennisbank(tmp_path / "kb").lees()
    assert len(df) > 100 and set(df.periode_eind) == {"2019-12-31"} and (df.n_deelnemers >= 10).all()
    assert set(df.gemeenten) == {",".join(sorted(cfg.gemeenten))}


# -- the same data analysed twice (e.g. by analyseer and by rapport) is one evaluation -----------------------
def test_zelfde_invoer_en_periode_niet_twee_keer_gepoold(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    inputs = {"clienten.csv": "1" * 64, "uitkeringen.csv": "2" * 64}
    assert kb.voeg_toe(_effecten(0.05), _manifest("a", inputs=inputs, commando="analyseer")).nieuw
    t = kb.voeg_toe(_effecten(0.06), _manifest("b", inputs=inputs, commando="rapport"))
    assert not t.nieuw and t.zelfde_als == "a" * 16 and "dezelfde invoergegevens en periode" in t.summary()
    # another period of the same extract is another evaluation
    ander = {**_manifest("c", inputs=inputs), "config": {"waarnemingsperiode": ["2017-01-01", "2019-12-31"]}}
    assert kb.voeg_toe(_effecten(0.07), ander).nieuw
    assert kb.lees().run_id.nunique() == 2


def test_zelfde_schattingen_onder_een_ander_manifest_herkend(tmp_path):
    kb = open_kennisbank(tmp_path / "kb")
    kb.voeg_toe(_effecten(0.05), _manifest("a"))
    t = kb.voeg_toe(_effecten(0.05), _manifest("b", commando="rapport"))
    assert not t.nieuw and t.zelfde_als == "a" * 16 and "dezelfde schattingen" in t.summary()
    assert kb.voeg_toe(_effecten(0.0500001), _manifest("c")).nieuw  # different numbers: a different run


def test_zelfde_schattingen_als_een_run_uit_een_oude_kennisbank(tmp_path):
    import shutil

    shutil.copytree(Path(__file__).parent / "data" / "kennisbank_v1", tmp_path / "kb")
    kb = open_kennisbank(tmp_path / "kb")
    oud = kb.lees()
    run = oud[oud.run_id == oud.run_id.iloc[0]]
    m = {**_manifest("e"), "config": {"waarnemingsperiode": [run.periode_start.iloc[0], run.periode_eind.iloc[0]]}}
    t = kb.voeg_toe(run.drop(columns=["run_id", "manifest_hash"]), m)
    assert not t.nieuw and t.zelfde_als == run.run_id.iloc[0]


def test_zonder_harde_links_exclusief_aangemaakt(tmp_path, monkeypatch):
    import os

    def geen_link(*a, **k):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", geen_link)
    kb = open_kennisbank(tmp_path / "kb")
    assert kb.voeg_toe(_effecten(0.05), _manifest("a")).nieuw
    assert not kb.voeg_toe(_effecten(0.05), _manifest("a")).nieuw
    assert list(kb.lees().schatting) == [0.05] and [p.name for p in kb.runs.iterdir()] == [f"{'a' * 16}.parquet"]
