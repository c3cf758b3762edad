"""The one writer (evaluatie.uitvoer): layout, manifest, atomic replace, guards (issue 14 families 1, 5, 11)."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from evaluatie.uitvoer import Schrijfmap, Tabelspec, Uitvoer, UitvoerFout, schrijf_uitvoer, weiger_overlap
from evaluatie.uitvoer import schrijver


def _uitvoer(waarde: float = 0.5, naam: str = "tabel", commando: str = "analyseer") -> Uitvoer:
    publ = pd.DataFrame({"groep": ["a", "b", "c"], "n": [25, 4, 40], "aandeel": [waarde, 0.2, 0.3]})
    return Uitvoer(commando=commando, inputs={"uitkeringen.csv": "ab" * 32}, config={"bootstrap": 0}, seed=1,
                   publiceerbaar={naam: (publ, Tabelspec(n_kolom="n", waarden=("aandeel",)))},
                   intern={naam: publ.assign(extra=1.0 / 3)},
                   bestanden={"intern/samenvatting.txt": f"waarde {waarde}\n"})


def _bestanden(map_: Path) -> set[str]:
    return {p.relative_to(map_).as_posix() for p in map_.rglob("*") if p.is_file()}


def test_indeling_manifest_en_hashes(tmp_path):
    out = tmp_path / "uit"
    res = schrijf_uitvoer(_uitvoer(), out)
    assert _bestanden(out) == {"manifest.json", "LEESMIJ.txt", "publiceerbaar/tabellen/tabel.csv", "intern/tabel.csv",
                               "intern/tabel.parquet", "intern/samenvatting.txt"}
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["voltooid"] is True and m["commando"] == "analyseer"
    assert m["inputs"] == {"uitkeringen.csv": "ab" * 32}  # as given (from validation), not re-hashed
    # every file except the manifest itself is listed with its SHA-256
    assert set(m["uitvoer"]) == _bestanden(out) - {"manifest.json"}
    for rel, h in m["uitvoer"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == h, rel
    assert res.manifest == m and "NIET PUBLICEREN" in (out / "LEESMIJ.txt").read_text(encoding="utf-8")
    # one float format: 10 significant digits, "\n" line ends
    csv = (out / "intern" / "tabel.csv").read_bytes()
    assert b"0.3333333333\n" in csv and b"\r" not in csv


def test_publiceerbaar_is_beveiligd_intern_niet(tmp_path):
    out = tmp_path / "uit"
    schrijf_uitvoer(_uitvoer(), out)
    publ = pd.read_csv(out / "publiceerbaar" / "tabellen" / "tabel.csv")
    intern = pd.read_csv(out / "intern" / "tabel.csv")
    b = publ.set_index("groep")
    assert pd.isna(b.loc["b", "n"]) and pd.isna(b.loc["b", "aandeel"])  # 4 persons: suppressed
    assert b.loc["a", "n"] == 25 and b.loc["c", "aandeel"] == 0.3
    assert intern.set_index("groep").loc["b", "n"] == 4  # full detail stays intern


def test_herhaalde_run_vervangt_en_laat_geen_oude_tabellen_achter(tmp_path):
    out = tmp_path / "uit"
    schrijf_uitvoer(_uitvoer(naam="oud"), out)
    schrijf_uitvoer(_uitvoer(naam="nieuw"), out)
    bestanden = _bestanden(out)
    assert not any("oud" in b for b in bestanden), bestanden
    assert "intern/nieuw.parquet" in bestanden
    assert [p.name for p in tmp_path.iterdir()] == ["uit"]  # no temporary folders left beside it


@pytest.mark.parametrize("fout", [KeyboardInterrupt, OSError, RuntimeError])
def test_onderbroken_schrijven_laat_vorige_run_heel(tmp_path, monkeypatch, fout):
    out = tmp_path / "uit"
    schrijf_uitvoer(_uitvoer(0.5), out)
    voor = {rel: (out / rel).read_bytes() for rel in _bestanden(out)}
    echt = schrijver.schrijf_tabel
    teller = {"n": 0}

    def halverwege(df, pad, **kw):
        teller["n"] += 1
        if teller["n"] == 2:  # the published table is written, the intern one is not
            raise fout("onderbroken")
        return echt(df, pad, **kw)

    monkeypatch.setattr(schrijver, "schrijf_tabel", halverwege)
    with pytest.raises((KeyboardInterrupt, UitvoerFout, RuntimeError)):
        schrijf_uitvoer(_uitvoer(0.9), out)
    assert {rel: (out / rel).read_bytes() for rel in _bestanden(out)} == voor
    assert [p.name for p in tmp_path.iterdir()] == ["uit"]


def test_onderbroken_eerste_run_laat_niets_achter(tmp_path, monkeypatch):
    monkeypatch.setattr(schrijver, "write_manifest", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        schrijf_uitvoer(_uitvoer(), tmp_path / "uit")
    assert list(tmp_path.iterdir()) == []


def test_schrijffout_is_duidelijke_melding(tmp_path, monkeypatch):
    def weigert(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(schrijver, "schrijf_tabel", weigert)
    with pytest.raises(UitvoerFout, match=r"kan uitvoer niet schrijven naar .*uit.*Permission denied"):
        schrijf_uitvoer(_uitvoer(), tmp_path / "uit")
    assert list(tmp_path.iterdir()) == []


def test_alleen_lezen_map_wordt_vooraf_gemeld(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(UitvoerFout, match="alleen-lezen"):
        schrijf_uitvoer(_uitvoer(), tmp_path / "uit")


@pytest.mark.parametrize("rel", ["", "sub", ".."])
def test_overlap_met_invoer_geweigerd(tmp_path, rel):
    invoer = tmp_path / "in" / "data"
    invoer.mkdir(parents=True)
    (invoer / "uitkeringen.csv").write_text("x\n", encoding="utf-8")
    out = (invoer / rel) if rel else invoer
    with pytest.raises(UitvoerFout, match="invoer"):
        schrijf_uitvoer(_uitvoer(), out, invoer=[invoer])
    assert (invoer / "uitkeringen.csv").read_text(encoding="utf-8") == "x\n"
    weiger_overlap(tmp_path / "elders", [invoer])  # a sibling is fine
    with pytest.raises(UitvoerFout, match="invoer"):  # an input file inside --out
        weiger_overlap(tmp_path / "in", [invoer / "uitkeringen.csv"])


def test_map_met_andere_gegevens_alleen_met_overschrijf(tmp_path):
    out = tmp_path / "uit"
    out.mkdir()
    (out / "eigen.xlsx").write_bytes(b"van de gebruiker")
    with pytest.raises(UitvoerFout, match="--overschrijf"):
        schrijf_uitvoer(_uitvoer(), out)
    assert (out / "eigen.xlsx").read_bytes() == b"van de gebruiker"
    schrijf_uitvoer(_uitvoer(), out, overschrijf=True)
    assert not (out / "eigen.xlsx").exists()
    # the output of another command is not replaced either
    with pytest.raises(UitvoerFout, match="evaluatie analyseer"):
        schrijf_uitvoer(_uitvoer(commando="cohort"), out)


def test_schrijfmap_zonder_uitvoer_schrijft_niets(tmp_path):
    with pytest.raises(UitvoerFout):
        with Schrijfmap(tmp_path / "uit", "demo") as s:
            (s.map("intern/data") / "x.csv").write_text("a\n", encoding="utf-8")
    assert list(tmp_path.iterdir()) == []


def test_onthullingscontrole_weigert_clientnummer(tmp_path):
    u = _uitvoer()
    df = pd.DataFrame({"client_id": ["C000123", "C000456"], "n": [20, 30]})
    u = Uitvoer(commando="analyseer", inputs={}, config={}, publiceerbaar={"lek": (df, Tabelspec(aantallen=("n",)))},
                client_ids=("C000123",))
    with pytest.raises(UitvoerFout, match="onthullingscontrole"):
        schrijf_uitvoer(u, tmp_path / "uit")
    assert list(tmp_path.iterdir()) == []
