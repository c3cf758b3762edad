"""Fault injection for the commands not driven by ``test_cli_eigenschappen``: every command of ``evaluatie --help``.

``rapport`` (mutated configuration files and data folders), ``beleidswijziging`` (mutated gemeenten), ``terugval``,
``simuleer`` (odd options and output folders), ``importeer vng-dsh|generiek|statline`` (mutated extracts, mapping
TOML, StatLine JSON/CSV) and ``kennisbank voeg-toe|toon|export`` (mutated run folders). ``demo`` has no input.

Every run must end without a traceback, with exit code 0, 1 or 2 (2 = click's usage error), and a refusal must name
the file (or folder, or option) it is about. ``--out`` equal to or inside an input folder is refused.
The default run uses a handful of examples per command; ``@pytest.mark.slow`` tests search wider.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from evaluatie.cli import main

from .controle import gemuteerd, geen_lange_waarden
from .mutaties import ALLE_TABELLEN, Mutatie, byte_mutatie, kolom_mutatie, mutaties, waarde_mutatie

DATA = Path(__file__).parents[2] / "evaluatie" / "data"
EXPORT = DATA / "voorbeeld_export"
STATLINE = DATA / "voorbeeld_statline"
VNG = Path(__file__).parents[1] / "data" / "vng" / "DummyDataBijstandv3.csv"


def draai(args: list, namen: tuple[str, ...] = ()) -> tuple[int, str]:
    """Run one command in-process: no traceback, exit code 0/1/2, a refusal names one of ``namen``.

    Returns (exit code, output).
    """
    args = [str(a) for a in args]
    r = CliRunner().invoke(main, args, catch_exceptions=True)
    uit = r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"{' '.join(args)}: {type(r.exception).__name__}: {r.exception}\n{uit[-2000:]}")
    assert "Traceback" not in uit, f"{' '.join(args)}: traceback in de uitvoer\n{uit[-2000:]}"
    assert r.exit_code in (0, 1, 2), f"{' '.join(args)}: exitcode {r.exit_code}\n{uit[-2000:]}"
    geen_lange_waarden(uit, args[0])
    if r.exit_code and namen and "Error" in uit:  # exit 1 without an error: finished, with rejected rows
        fout = uit[uit.find("Error"):]
        assert any(n in fout for n in namen) or (r.exit_code == 2 and "--" in fout), (
            f"{' '.join(args)}: melding noemt geen van {namen}:\n{fout[-1000:]}")
    return r.exit_code, uit


def _kopie(bron: Path, doel: Path) -> Path:
    shutil.copytree(bron, doel, ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "*.py"))
    return doel


# ------------------------------------------------------------------------------------------------ rapport
BASIS_TOML = """[evaluatie]
naam = "Foutinjectie"
gemeenten = ["GM0777"]
periode = ["2015-01-01", "2019-12-31"]
seed = 1
drempel = 10

[data]
map = "{map}"

[effecten]
horizonnen = [12]
bootstrap = 0
n_jobs = 1

[benchmark]
vergelijkingsgroep = "buig"
k = 5
"""
RARE_TOML = ('"0"', "-1", "0", "1e9", "99999999999999999999", "true", '"false"', "[]", "{}", '["GM0777", "GM0777"]',
             "2019-01-01", '"' + "x" * 300 + '"', "nan", "inf", '"GM9999"', '[2019, 2015]', '"ééé"', "[[1]]")
"""Replacement values (TOML literals) for one key of the configuration."""


@st.composite
def config_mutatie(draw: st.DrawFn) -> tuple[str, object]:
    """A damaged configuration: (description, bytes of the TOML or the marker 'map' for a directory)."""
    soort = draw(st.sampled_from(["waarde", "sleutel_weg", "sectie_weg", "onbekende_sleutel", "onbekende_sectie",
                                  "bom", "latin1", "utf16", "leeg", "nul", "afgekapt", "map", "dubbele_sleutel"]))
    regels = BASIS_TOML.splitlines()
    sleutels = [i for i, r in enumerate(regels) if " = " in r]
    i = sleutels[draw(st.integers(0, len(sleutels) - 1))]
    if soort == "waarde":
        w = draw(st.sampled_from(RARE_TOML))
        regels[i] = regels[i].split(" = ")[0] + " = " + w
    elif soort == "sleutel_weg":
        del regels[i]
    elif soort == "sectie_weg":
        kop = [j for j, r in enumerate(regels) if r.startswith("[")]
        j = kop[draw(st.integers(0, len(kop) - 1))]
        einde = next((k for k in kop if k > j), len(regels))
        del regels[j:einde]
    elif soort == "onbekende_sleutel":
        regels.insert(i + 1, "horizon = 12")
    elif soort == "dubbele_sleutel":
        regels.insert(i + 1, regels[i])
    elif soort == "onbekende_sectie":
        regels += ["[effect]", "bootstrap = 0"]
    tekst = "\n".join(regels) + "\n"
    raw = tekst.encode("utf-8")
    if soort == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif soort == "latin1":
        raw = tekst.replace("Foutinjectie", "Foutinjectie café").encode("latin-1")
    elif soort == "utf16":
        raw = tekst.encode("utf-16")
    elif soort == "leeg":
        raw = b""
    elif soort == "nul":
        raw = raw[:40] + b"\x00" + raw[40:]
    elif soort == "afgekapt":
        raw = raw[: draw(st.integers(1, len(raw) - 1))]
    return (f"{soort}@{i}", "map" if soort == "map" else raw)


def _rapport(map: Path, cfg: object, werk: Path) -> tuple[int, str]:
    pad = werk / "evaluatie.toml"
    if cfg == "map":
        pad.mkdir()
    else:
        pad.write_bytes(cfg.replace(b"{map}", str(map).encode()) if isinstance(cfg, bytes) else cfg)
    return draai(["rapport", pad, "--out", werk / "uit", "--stil"],
                 namen=(pad.name, str(map), *(p.name for p in map.iterdir())))


@settings(max_examples=5)  # a whole report per example; 60 examples in the slow suite (..._groot)
@given(m=config_mutatie())
def test_rapport_kapotte_config(basismap, m):
    with tempfile.TemporaryDirectory(prefix="fi_rap_") as d:
        _rapport(basismap, m[1], Path(d))


@pytest.mark.parametrize("soort", ["gemeenten_kapot", "clienten_quote", "metadata_kapot"])
def test_rapport_kapotte_data(basismap, soort):
    def doe(map: Path) -> None:
        if soort == "gemeenten_kapot":
            (map / "gemeenten.csv").write_bytes(b"\xff\xfe\x00")
        elif soort == "clienten_quote":
            p = map / "clienten.csv"
            r = p.read_bytes().split(b"\n")
            r[3] = b'"' + r[3]
            p.write_bytes(b"\n".join(r))
        else:
            (map / "metadata.json").write_text("{kapot", encoding="utf-8")
    with gemuteerd(basismap, [Mutatie(soort, "", doe)]) as map, tempfile.TemporaryDirectory(prefix="fi_rap_") as d:
        code, uit = _rapport(map, BASIS_TOML.encode(), Path(d))
        namen = {"gemeenten_kapot": "gemeenten.csv", "clienten_quote": "clienten.csv", "metadata_kapot": "metadata.json"}
        if "Error" in uit:
            assert namen[soort] in uit
        else:  # finished (rejected rows are reported with exit code 1): the report exists
            assert (Path(d) / "uit" / "publiceerbaar" / "rapport.html").is_file() and (code == 0 or "afgekeurd" in uit)


def test_rapport_out_in_invoer(basismap, tmp_path):
    """--out equal to, inside or around the data folder or the configuration is refused (exit 1), input untouched."""
    voor = {p.name: p.read_bytes() for p in basismap.iterdir()}
    cfg = tmp_path / "cfg" / "evaluatie.toml"
    cfg.parent.mkdir()
    cfg.write_text(BASIS_TOML.replace("{map}", str(basismap)), encoding="utf-8")
    for out in (basismap, basismap / "uit", cfg.parent, basismap.parent):
        code, uit = draai(["rapport", cfg, "--out", out, "--stil"])
        assert code == 1 and "invoer" in uit, out
    assert {p.name: p.read_bytes() for p in basismap.iterdir()} == voor


# --------------------------------------------------------------------------------------- beleidswijziging
_GEM = st.one_of(byte_mutatie("gemeenten"), waarde_mutatie("gemeenten"), kolom_mutatie("gemeenten"))


def _bw(map: Path, uit: Path, *extra: str) -> tuple[int, str]:
    return draai(["beleidswijziging", map, "--behandeld", "GM0777", "--jaar", "2017", "--bootstrap", "99",
                  "--out", uit, *extra], namen=("gemeenten", str(map)))


@settings(max_examples=4)
@given(m=_GEM)
def test_beleidswijziging_houdt_stand(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        _bw(map, Path(uit) / "b")


@pytest.mark.parametrize("extra", [("--jaar", "2030"), ("--controle", "GM9999"), ("--controle", "GM0777"),
                                   ("--behandeld", "xx"), ("--indicator", "onzin")])
def test_beleidswijziging_rare_opties(basismap, tmp_path, extra):
    code, _ = _bw(basismap, tmp_path / "b", *extra)
    assert code in (1, 2)


def test_beleidswijziging_out_in_invoer(basismap):
    for out in (basismap, basismap / "uit"):
        code, uit = _bw(basismap, out)
        assert code == 1 and "invoer" in uit


# ------------------------------------------------------------------------------------------------ terugval
@settings(max_examples=3)
@given(m=st.one_of(byte_mutatie("uitkeringen"), waarde_mutatie("uitkeringen"), kolom_mutatie("uitkeringen")))
def test_terugval_houdt_stand(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["terugval", map, "--out", Path(uit) / "t"])


@pytest.mark.parametrize("verhuizingen", [b"", b"\xff\xfe\x00kapot", b"foo\n1\n", b"client_id,datum\nC0000001,abc\n"])
def test_terugval_kapotte_verhuizingen(basismap, tmp_path, verhuizingen):
    p = tmp_path / "verhuizingen.csv"
    p.write_bytes(verhuizingen)
    draai(["terugval", basismap, "--out", tmp_path / "t", "--verhuizingen", p, "--maanden", "6"])


@pytest.mark.skipif(importlib.util.find_spec("evaluatie.stappen.terugval") is None,
                    reason="terugval checks --out before the analysis once it runs on the writer seam (branch terugval)")
def test_terugval_out_in_invoer(basismap):
    code, uit = draai(["terugval", basismap, "--out", basismap / "t"])
    assert code == 1 and "invoer" in uit


# ------------------------------------------------------------------------------------------------ simuleer
@pytest.mark.parametrize("opties", [
    ("--clienten", "0"), ("--clienten", "1"), ("--clienten", "3", "--seed", "-5"), ("--clienten", "3", "--onwaarneembaar", "nan"),
    ("--clienten", "3", "--onwaarneembaar", "inf"), ("--clienten", "3", "--seed", "99999999999999999999999"),
    ("--clienten", "abc"),
])
def test_simuleer_rare_opties(tmp_path, opties):
    draai(["simuleer", "--out", tmp_path / "s", *opties])


def test_simuleer_rare_uitvoermappen(tmp_path, basismap):
    bestand = tmp_path / "bestand.txt"
    bestand.write_text("x", encoding="utf-8")
    vol = tmp_path / "vol"
    vol.mkdir()
    (vol / "eigen.csv").write_text("a\n1\n", encoding="utf-8")
    for out in (bestand, bestand / "sub", vol):
        code, _ = draai(["simuleer", "--out", out, "--clienten", "3"], namen=(out.name, bestand.name))
        assert code in (1, 2)
    assert (vol / "eigen.csv").read_text(encoding="utf-8") == "a\n1\n" and bestand.read_text(encoding="utf-8") == "x"


# ------------------------------------------------------------------------------------------ importeer vng-dsh
@pytest.fixture(scope="session")
def vngmap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    map = tmp_path_factory.mktemp("vng") / "extract"
    map.mkdir()
    shutil.copy(VNG, map / "vng.csv")
    return map


@settings(max_examples=6)
@given(m=st.one_of(byte_mutatie("vng"), waarde_mutatie("vng"), kolom_mutatie("vng")))
def test_importeer_vng_houdt_stand(vngmap, m):
    with gemuteerd(vngmap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["importeer", "vng-dsh", map / "vng.csv", "--out", Path(uit) / "i", "--gemeentecode", "GM0777"],
              namen=("vng.csv",))


def test_importeer_vng_alleen_kop_en_geen_datums(tmp_path):
    kop = VNG.read_bytes().split(b"\n")[0] + b"\n"
    (tmp_path / "kop.csv").write_bytes(kop)
    code, uit = draai(["importeer", "vng-dsh", tmp_path / "kop.csv", "--out", tmp_path / "a", "--gemeentecode", "GM0777"])
    assert code == 1 and "kop.csv" in uit
    import re

    (tmp_path / "datums.csv").write_bytes(re.sub(rb"\d{4}-\d\d-\d\d", b"31-31-2019", VNG.read_bytes()))
    code, uit = draai(["importeer", "vng-dsh", tmp_path / "datums.csv", "--out", tmp_path / "b", "--gemeentecode", "GM0777"])
    assert code == 1 and "datums.csv" in uit


# ----------------------------------------------------------------------------------------- importeer generiek
@pytest.fixture(scope="session")
def exportmap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _kopie(EXPORT, tmp_path_factory.mktemp("export") / "export")


MAPPING_WAARDEN = ('5', '"%Q"', '""', "[]", "{}", '"nietdaar.csv"', '"/"', "-3", "true", '"x"', "2019-12-31",
                   '{ kolom = "Nope" }', '{ kolom = 1 }', '{ waarde = "x", kolom = "y" }', '[1, 2, 3]', '"ééé"')


@st.composite
def mapping_mutatie(draw: st.DrawFn) -> Mutatie:
    """Replace the value of one ``key = value`` line of the mapping TOML, drop it, or damage the bytes."""
    regels = (EXPORT / "mapping.toml").read_text(encoding="utf-8").splitlines()
    sleutels = [i for i, r in enumerate(regels) if " = " in r and not r.lstrip().startswith("#")]
    i = sleutels[draw(st.integers(0, len(sleutels) - 1))]
    soort = draw(st.sampled_from(["waarde", "weg", "kop_weg", "latin1", "bom", "afgekapt"]))
    w = draw(st.sampled_from(MAPPING_WAARDEN))
    n = draw(st.integers(1, 2000))

    def doe(map: Path) -> None:
        r = list(regels)
        if soort == "waarde":
            r[i] = r[i].split(" = ")[0] + " = " + w
        elif soort == "weg":
            del r[i]
        elif soort == "kop_weg":
            kop = [j for j, x in enumerate(r) if x.startswith("[")]
            del r[kop[n % len(kop)]]
        raw = ("\n".join(r) + "\n").encode("utf-8")
        if soort == "latin1":
            raw = raw.replace("Halderberge".encode(), b"H\xe9lderberge")
        elif soort == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif soort == "afgekapt":
            raw = raw[: n % len(raw)]
        (map / "mapping.toml").write_bytes(raw)
    return Mutatie(f"{soort}@{i}={w}" if soort == "waarde" else f"{soort}@{i}/{n}", "mapping", doe)


def _generiek(map: Path, uit: Path) -> tuple[int, str]:
    return draai(["importeer", "generiek", map / "mapping.toml", "--out", uit],
                 namen=("mapping.toml", "klanten.csv", "uitkeringen.csv", "diagnoses.csv", "trajecten.csv", "voorzieningen.csv"))


_EXPORTBESTAND = st.sampled_from(["klanten", "uitkeringen", "diagnoses", "trajecten", "voorzieningen"])


@settings(max_examples=8)
@given(m=st.one_of(mapping_mutatie(), _EXPORTBESTAND.flatmap(byte_mutatie), _EXPORTBESTAND.flatmap(waarde_mutatie)))
def test_importeer_generiek_houdt_stand(exportmap, m):
    with gemuteerd(exportmap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        _generiek(map, Path(uit) / "i")


@pytest.mark.parametrize("toml", [b"mapping = 5\n", b"[mapping]\n[bronnen]\nklanten = 3\n", b"tabellen = 'x'\n",
                                  b"[mapping]\ndatumformaat = 5\n", b"\xff\xfe[mapping]\n", b""])
def test_importeer_generiek_kapotte_mapping(exportmap, tmp_path, toml):
    map = _kopie(exportmap, tmp_path / "e")
    (map / "mapping.toml").write_bytes(toml)
    code, uit = _generiek(map, tmp_path / "i")
    assert code == 1 and "mapping.toml" in uit


def test_importeer_generiek_out_over_invoer(exportmap, tmp_path):
    map = _kopie(exportmap, tmp_path / "e")
    voor = {p.name: p.read_bytes() for p in map.iterdir()}
    code, uit = _generiek(map, map)
    assert code == 1 and "invoer" in uit
    assert {p.name: p.read_bytes() for p in map.iterdir()} == voor


# ----------------------------------------------------------------------------------------- importeer statline
_SL_CSV = ("37230ned_UntypedDataSet", "82015NED_labels")
_SL_JSON = "84066NED_TypedDataSet.json"


@pytest.fixture(scope="session")
def statlinemap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _kopie(STATLINE, tmp_path_factory.mktemp("statline") / "sl")


@st.composite
def json_mutatie(draw: st.DrawFn) -> Mutatie:
    """Damage the OData JSON: truncate, odd bytes, replace a value, or another structure."""
    soort = draw(st.sampled_from(["afgekapt", "latin1", "bom", "waarde", "structuur", "diep"]))
    n = draw(st.integers(1, 5000))
    w = draw(st.sampled_from(['"abc"', "null", "-1", "1e999", "[]", "{}", '"GM99999"', '"2019XX00"', "true"]))
    s = draw(st.sampled_from(["[1, 2]", "null", '{"value": "x"}', '{"value": []}', '{"value": [1]}', '{"value": [{}]}',
                              '{"odata.metadata": 5, "value": [{"RegioS": 5, "Perioden": null}]}']))

    def doe(map: Path) -> None:
        p = map / _SL_JSON
        raw = p.read_bytes()
        if soort == "afgekapt":
            raw = raw[: n % len(raw)]
        elif soort == "latin1":
            raw = raw.replace(b"e", b"\xe9", 3)
        elif soort == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif soort == "waarde":
            obj = json.loads(raw)
            rij = obj["value"][n % len(obj["value"])]
            k = sorted(rij)[n % len(rij)]
            rij[k] = json.loads(w.replace("1e999", "1e308"))
            raw = json.dumps(obj).encode()
        elif soort == "structuur":
            raw = s.encode()
        else:
            raw = b"[" * 50_000
        p.write_bytes(raw)
    return Mutatie(f"{soort}({n}, {w}, {s})", "json", doe)


@settings(max_examples=6)
@given(m=st.one_of(json_mutatie(), st.sampled_from(_SL_CSV).flatmap(byte_mutatie)))
def test_importeer_statline_houdt_stand(statlinemap, m):
    with gemuteerd(statlinemap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        bestand = map / (_SL_JSON if m.tabel == "json" else f"{m.tabel}.csv")
        draai(["importeer", "statline", bestand, "--out", Path(uit) / "i"], namen=(bestand.name,))


@pytest.mark.parametrize("optie,inhoud", [
    ("--perioden", b"{kapot"), ("--perioden", b'{"value": 5}'), ("--perioden", b"\xff\xfe"),
    ("--tabellen", b"[tabellen.x\n"), ("--tabellen", b"tabellen = 5\n"), ("--tabellen", b"[tabellen.\xe9]\n"),
    ("--szw", b"geen excel"), ("--szw", b""),
])
def test_importeer_statline_kapotte_bijbestanden(statlinemap, tmp_path, optie, inhoud):
    p = tmp_path / ("bij.xlsx" if optie == "--szw" else "bij.json" if optie == "--perioden" else "bij.toml")
    p.write_bytes(inhoud)
    waarde = {"--perioden": f"84066NED={p}", "--szw": f"2019={p}", "--tabellen": str(p)}[optie]
    code, uit = draai(["importeer", "statline", statlinemap / _SL_JSON, "--out", tmp_path / "i", optie, waarde],
                      namen=(p.name,))
    assert code in (1, 2)


def test_importeer_statline_leeg_en_alleen_kop(statlinemap, tmp_path):
    for naam in _SL_CSV:
        for inhoud in (b"", (statlinemap / f"{naam}.csv").read_bytes().split(b"\n")[0] + b"\n"):
            p = tmp_path / f"{naam}.csv"
            p.write_bytes(inhoud)
            code, uit = draai(["importeer", "statline", p, "--out", tmp_path / "i"])
            assert code == 1 and p.name in uit


# ----------------------------------------------------------------------------------------------- kennisbank
@pytest.fixture(scope="session")
def runmap(basismap: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished ``analyseer`` run (bootstrap 0) on the base data; never modified."""
    uit = tmp_path_factory.mktemp("run") / "run"
    r = CliRunner().invoke(main, ["analyseer", str(basismap), "--out", str(uit), "--bootstrap", "0", "--n-jobs", "1"])
    assert r.exit_code == 0, r.output
    return uit


def _herhash(map: Path, rel: str) -> None:
    """Make the manifest agree with a changed file again (so the reader behind the hash check is reached)."""
    mp = map / "manifest.json"
    m = json.loads(mp.read_text(encoding="utf-8"))
    if isinstance(m.get("uitvoer"), dict) and rel in m["uitvoer"]:
        m["uitvoer"][rel] = hashlib.sha256((map / rel).read_bytes()).hexdigest()
        mp.write_text(json.dumps(m), encoding="utf-8")


@st.composite
def run_mutatie(draw: st.DrawFn) -> Mutatie:
    """Damage a run folder: the manifest (JSON, keys, types) or intern/effecten.parquet (bytes, columns, values)."""
    soort = draw(st.sampled_from(["manifest_weg", "manifest_kapot", "manifest_leeg", "manifest_lijst", "manifest_latin1",
                                  "manifest_sleutel_weg", "manifest_waarde", "parquet_weg", "parquet_afgekapt",
                                  "parquet_kolom_weg", "parquet_waarde", "parquet_leeg"]))
    n = draw(st.integers(0, 1000))
    w = draw(st.sampled_from([None, "x", 5, -1, [], {}, True, "1600-01-01", float("nan")]))
    herhash = draw(st.booleans())

    def doe(map: Path) -> None:
        mp, pq = map / "manifest.json", map / "intern" / "effecten.parquet"
        if soort == "manifest_weg":
            mp.unlink()
        elif soort == "manifest_kapot":
            mp.write_bytes(mp.read_bytes()[: n % 200])
        elif soort == "manifest_leeg":
            mp.write_bytes(b"")
        elif soort == "manifest_lijst":
            mp.write_text("[]", encoding="utf-8")
        elif soort == "manifest_latin1":
            mp.write_bytes(b'{"commando": "\xe9"}')
        elif soort.startswith("manifest_"):
            m = json.loads(mp.read_text(encoding="utf-8"))
            k = sorted(m)[n % len(m)]
            if soort == "manifest_sleutel_weg":
                del m[k]
            else:
                m[k] = w
            mp.write_text(json.dumps(m), encoding="utf-8")
        elif soort == "parquet_weg":
            pq.unlink()
        elif soort == "parquet_afgekapt":
            pq.write_bytes(pq.read_bytes()[: n % 400])
        else:
            e = pd.read_parquet(pq)
            k = list(e.columns)[n % len(e.columns)]
            if soort == "parquet_kolom_weg":
                e = e.drop(columns=[k])
            elif soort == "parquet_leeg":
                e = e.iloc[:0]
            else:
                e[k] = pd.Series([w] * len(e), dtype=object).astype(str) if isinstance(w, (list, dict)) else w
            e.to_parquet(pq, index=False)
        if herhash and soort.startswith("parquet") and pq.exists():
            _herhash(map, "intern/effecten.parquet")
    return Mutatie(f"{soort}(n={n}, w={w!r}, herhash={herhash})", "run", doe)


def _kennisbank(run: Path, kb: Path, werk: Path) -> None:
    namen = ("manifest.json", "effecten", str(run))
    draai(["kennisbank", "voeg-toe", run, "--kennisbank", kb], namen=namen)
    draai(["kennisbank", "toon", "--kennisbank", kb, "--horizon", "12"], namen=(str(kb),))
    draai(["kennisbank", "export", "--out", werk / "export.csv", "--kennisbank", kb], namen=(str(kb),))


@settings(max_examples=8)
@given(m=run_mutatie())
def test_kennisbank_houdt_stand(runmap, m):
    with gemuteerd(runmap, [m]) as run, tempfile.TemporaryDirectory(prefix="fi_kb_") as d:
        _kennisbank(run, Path(d) / "kb", Path(d))


def test_kennisbank_rare_plekken(runmap, tmp_path):
    bestand = tmp_path / "bestand.txt"
    bestand.write_text("x", encoding="utf-8")
    for args in (["voeg-toe", runmap, "--kennisbank", bestand], ["voeg-toe", runmap, "--kennisbank", runmap / "kb"],
                 ["voeg-toe", tmp_path / "nietdaar", "--kennisbank", tmp_path / "kb"],
                 ["export", "--out", tmp_path / "x.txt", "--kennisbank", tmp_path / "kb"],
                 ["toon", "--kennisbank", tmp_path / "leeg", "--figuur", tmp_path]):
        code, _ = draai(["kennisbank", *args])
        assert code in (1, 2), args


# ------------------------------------------------------------------------------------------------- slow
@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=60)
@given(m=config_mutatie())
def test_rapport_kapotte_config_groot(basismap, m):
    with tempfile.TemporaryDirectory(prefix="fi_rap_") as d:
        _rapport(basismap, m[1], Path(d))


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=40)
@given(m=_GEM)
def test_beleidswijziging_houdt_stand_groot(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        _bw(map, Path(uit) / "b")


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=60)
@given(m=st.one_of(byte_mutatie("vng"), waarde_mutatie("vng"), kolom_mutatie("vng")))
def test_importeer_vng_houdt_stand_groot(vngmap, m):
    with gemuteerd(vngmap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["importeer", "vng-dsh", map / "vng.csv", "--out", Path(uit) / "i", "--gemeentecode", "GM0777"],
              namen=("vng.csv",))


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=100)
@given(m=st.one_of(mapping_mutatie(), _EXPORTBESTAND.flatmap(byte_mutatie), _EXPORTBESTAND.flatmap(waarde_mutatie),
                   _EXPORTBESTAND.flatmap(kolom_mutatie)))
def test_importeer_generiek_houdt_stand_groot(exportmap, m):
    with gemuteerd(exportmap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        _generiek(map, Path(uit) / "i")


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=80)
@given(m=st.one_of(json_mutatie(), st.sampled_from(_SL_CSV).flatmap(byte_mutatie)))
def test_importeer_statline_houdt_stand_groot(statlinemap, m):
    with gemuteerd(statlinemap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        bestand = map / (_SL_JSON if m.tabel == "json" else f"{m.tabel}.csv")
        draai(["importeer", "statline", bestand, "--out", Path(uit) / "i"], namen=(bestand.name,))


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=80)
@given(m=run_mutatie())
def test_kennisbank_houdt_stand_groot(runmap, m):
    with gemuteerd(runmap, [m]) as run, tempfile.TemporaryDirectory(prefix="fi_kb_") as d:
        _kennisbank(run, Path(d) / "kb", Path(d))


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=30)
@given(m=st.one_of(byte_mutatie("uitkeringen"), waarde_mutatie("uitkeringen"), kolom_mutatie("uitkeringen")))
def test_terugval_houdt_stand_groot(basismap, m):
    with gemuteerd(basismap, [m]) as map, tempfile.TemporaryDirectory(prefix="fi_uit_") as uit:
        draai(["terugval", map, "--out", Path(uit) / "t"])


@pytest.mark.slow
@settings(settings.get_profile("groot"), max_examples=25)
@given(m=mutaties(ALLE_TABELLEN))
def test_rapport_kapotte_data_groot(basismap, m):
    with gemuteerd(basismap, m) as map, tempfile.TemporaryDirectory(prefix="fi_rap_") as d:
        _rapport(map, BASIS_TOML.encode(), Path(d))


# ------------------------------------------------------------------------------- a damaged kennisbank itself
@pytest.fixture(scope="session")
def kbmap(runmap: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = tmp_path_factory.mktemp("kb") / "kb"
    r = CliRunner().invoke(main, ["kennisbank", "voeg-toe", str(runmap), "--kennisbank", str(kb)])
    assert r.exit_code == 0, r.output
    return kb


@pytest.mark.parametrize("welk", [0, -1])  # kennisbank.json, runs/<id>.parquet
@pytest.mark.parametrize("soort", ["afgekapt", "leeg", "vreemd_bestand", "map_i_p_v_bestand"])
def test_kennisbank_zelf_beschadigd(kbmap, runmap, tmp_path, soort, welk):
    kb = Path(shutil.copytree(kbmap, tmp_path / "kb"))
    bestanden = sorted(p for p in kb.rglob("*") if p.is_file())
    assert bestanden
    doel = bestanden[welk]
    if soort == "afgekapt":
        doel.write_bytes(doel.read_bytes()[:100])
    elif soort == "leeg":
        doel.write_bytes(b"")
    elif soort == "vreemd_bestand":
        (doel.parent / "kapot.parquet").write_bytes(b"PAR1kapot")
    else:
        doel.unlink()
        doel.mkdir()
    for args in (["toon", "--kennisbank", kb], ["export", "--out", tmp_path / "e.parquet", "--kennisbank", kb],
                 ["voeg-toe", runmap, "--kennisbank", kb]):
        draai(["kennisbank", *args], namen=(str(kb),))
