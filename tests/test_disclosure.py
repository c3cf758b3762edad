"""Disclosure control: small cells suppressed, totals do not give them away, no client ids."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluatie.disclosure import (
    OnthullingsFout,
    beveilig_aantallen,
    beveilig_schattingen,
    controleer_geen_ids,
    knip_curve,
    regel_tekst,
)


def test_primaire_onderdrukking_onder_drempel():
    df = pd.DataFrame({"categorie": list("ABC"), "n": [9, 10, 0]})
    b = beveilig_aantallen(df, ["n"])
    assert b.tabel["n"].isna().tolist() == [True, False, False]  # 0 describes nobody: shown
    assert b.n_primair == 1
    assert b.weergave()["n"].tolist() == ["<10", 10, 0]


def test_secundaire_onderdrukking_beschermt_het_totaal():
    # gemeente X: 3 + 40 + 55 = 98 published as total; 3 alone could be recovered as 98-40-55
    df = pd.DataFrame({"gemeente": ["X"] * 3 + ["Y"] * 3, "categorie": list("ABC") * 2, "n": [3, 40, 55, 20, 30, 50]})
    b = beveilig_aantallen(df, ["n"], marge_groepen=[["gemeente"]])
    sup = b.onderdrukt["n"].tolist()
    assert sup == [True, True, False, False, False, False]  # partner = smallest other cell of X (40)
    assert (b.n_primair, b.n_secundair) == (1, 1)


def test_secundair_over_kolommen_van_een_rij():
    df = pd.DataFrame({"groep": ["g"], "werk": [4], "overig": [30], "loopt": [50]})
    b = beveilig_aantallen(df, ["werk", "overig", "loopt"])
    assert b.onderdrukt.iloc[0].tolist() == [True, True, False]


def test_invoer_niet_gemuteerd():
    df = pd.DataFrame({"n": [1, 50]})
    beveilig_aantallen(df, ["n"])
    assert df["n"].tolist() == [1, 50]


def test_schattingen_onder_drempel_geheel_onderdrukt():
    df = pd.DataFrame({"instrument": ["a", "b"], "n_deelnemers": [8, 120], "schatting": [0.1, 0.2], "ci_laag": [0.0, 0.1]})
    b = beveilig_schattingen(df, "n_deelnemers", ["schatting", "ci_laag"])
    assert b.tabel.loc[0, ["n_deelnemers", "schatting", "ci_laag"]].isna().all()
    assert b.tabel.loc[1, "schatting"] == 0.2


def test_minima_maxima_geweigerd():
    with pytest.raises(ValueError, match="minima of maxima"):
        beveilig_aantallen(pd.DataFrame({"n": [20], "leeftijd_max": [64]}), ["n"])


def test_curve_stopt_bij_klein_risicoset():
    df = pd.DataFrame({"g": ["A"] * 4 + ["B"] * 2, "time": [1, 2, 3, 4, 1, 2], "n_risk": [30, 12, 9, 11, 50, 40]})
    out = knip_curve(df, groep=["g"])
    assert out[out.g == "A"]["time"].tolist() == [1, 2]  # time 4 (11 at risk) stays cut: curve stops at 3
    assert out[out.g == "B"]["time"].tolist() == [1, 2]


def test_geen_client_ids_in_tekst():
    controleer_geen_ids("<p>42 cliënten</p>", ["C0000001", "C0000002"])
    with pytest.raises(OnthullingsFout, match="C0000002"):
        controleer_geen_ids("<td>C0000002</td>", ["C0000001", "C0000002"])
    # short numeric ids cannot be told from the report's numbers: not searched, reported, no refusal
    meld = controleer_geen_ids("<p>7 cliënten</p>", ["7", "C0000001"])
    assert meld and "te kort" in meld[0]


def test_id_scan_negeert_afbeeldingsdata_en_matcht_hele_tokens():
    import base64

    png = base64.b64encode(b"\x89PNG" + bytes(range(256)) * 40).decode()
    assert "AAEC" in png
    controleer_geen_ids(f'<img src="data:image/png;base64,{png}"><p>tekst</p>', ["AAEC"])
    controleer_geen_ids("<p>XC1234567Y</p>", ["C1234567"])  # inside a longer token: not this id
    with pytest.raises(OnthullingsFout):
        controleer_geen_ids(f'<img src="data:image/png;base64,{png}"><p>AAEC</p>', ["AAEC"])
    with pytest.raises(OnthullingsFout):
        controleer_geen_ids("<td>123456789</td>", ["123456789"])


def test_drempel_configureerbaar_en_regel_benoemd():
    df = pd.DataFrame({"n": [12]})
    assert beveilig_aantallen(df, ["n"], drempel=15).tabel["n"].isna().all()
    assert "15" in regel_tekst(15)
    with pytest.raises(ValueError, match="minstens 10"):
        beveilig_aantallen(df, ["n"], drempel=0)
