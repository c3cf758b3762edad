"""Bad rows in an extract are reported with the row of the extract itself; usage errors exit with 2.

Validation sees the mapped tables (clienten, uitkeringen), so its row number is a row of those tables.
The import report must point at the extract: the rows below are numbered by hand (header = row 1).
"""
from __future__ import annotations

from click.testing import CliRunner

from evaluatie.cli import main
from evaluatie.importeer import importeer

EXTRACT = "\n".join([
    "Clientnummer;geboortejaar;geslacht;Startdatum periodiek algemeen;Einddatum periodiek algemeen;"
    "Omschrijving einde bijstandsafhankelijkheid",                    # row 1
    "1001;1980;M;01-02-2016;31-05-2017;Aanvaarding arbeid",           # row 2  } one spell (adjoining),
    "1001;1980;M;01-06-2017;31-12-2017;Naar de maan",                 # row 3  } reden of the last: unmapped
    "1002;1975;V;15-03-2015;;",                                       # row 4  fine, running
    "1003;19x0;V;01-01-2016;30-06-2016;Verhuizing",                   # row 5  bad geboortejaar → client + its uitkering
    "1004;1990;V;31-02-2016;30-06-2016;Verhuizing",                   # row 6  impossible startdatum
]) + "\n"


def _schrijf(tmp_path):
    p = tmp_path / "extract.csv"
    p.write_text(EXTRACT, encoding="utf-8")
    return p


def test_bevindingen_noemen_de_rij_in_het_extract(tmp_path):
    res = importeer("vng-dsh", _schrijf(tmp_path), gemeentecode="GM1674", peildatum="2019-12-31")
    b = res.bevindingen_bron()
    fout = b[b["niveau"] == "fout"]
    gevonden = {(x.tabel, x.bronrijen, x.veld, x.regel) for x in fout.itertuples()}
    assert gevonden == {
        ("uitkeringen", "2;3", "uitstroomreden", "enum"),        # the merged spell: both source rows
        ("clienten", "5", "geboortejaar", "type"),
        ("uitkeringen", "5", "client_id", "verwijzing_afgekeurd"),
        ("uitkeringen", "6", "startdatum", "type"),
    }
    # the mapped-table row is still there, next to it
    assert list(b.columns[:4]) == ["tabel", "bestand", "rij", "bronrijen"]
    s = res.summary()
    assert "extract.csv rij 5 → clienten: geboortejaar: '19x0' is geen geheel getal" in s
    assert "extract.csv rij 2;3 → uitkeringen: uitstroomreden: 'Naar de maan'" in s
    assert "extract.csv rij 6 → uitkeringen: startdatum: '31-02-2016'" in s


def test_lange_lijst_wordt_afgekapt(tmp_path):
    regels = [EXTRACT.splitlines()[0]] + [f"{2000 + i};19x0;V;01-01-2016;30-06-2016;Verhuizing" for i in range(15)]
    p = tmp_path / "veel.csv"
    p.write_text("\n".join(regels) + "\n", encoding="utf-8")
    s = importeer("vng-dsh", p, gemeentecode="GM1674", peildatum="2019-12-31").summary(max_fouten=3)
    assert "Afgekeurd (30 bevinding(en)" in s  # 15 clients + their 15 uitkeringen
    assert "veel.csv rij 4 → clienten" in s and "… en 27 meer: zie import/bevindingen.csv" in s


def test_cli_schrijft_bevindingen_met_bronrij_en_exit_1(tmp_path):
    out = tmp_path / "uit"
    r = CliRunner().invoke(main, ["importeer", "vng-dsh", str(_schrijf(tmp_path)), "--out", str(out),
                                  "--gemeentecode", "GM1674", "--peildatum", "2019-12-31"])
    assert r.exit_code == 1, r.output
    assert "extract.csv rij 6 → uitkeringen" in r.output
    bev = (out / "import" / "bevindingen.csv").read_text(encoding="utf-8").splitlines()
    assert bev[0].startswith("tabel,bestand,rij,bronrijen,veld")
    assert sum(",6,startdatum," in x for x in bev) == 1


def test_cli_gebruiksfouten_geven_exit_2(tmp_path):
    p = _schrijf(tmp_path)
    basis = ["importeer", "vng-dsh", str(p), "--out", str(tmp_path / "uit")]
    for extra, woord in ((["--gemeentecode", "1674"], "--gemeentecode"),
                         (["--gemeentecode", "GM1674", "--peildatum", "2019-31-12"], "--peildatum"),
                         (["--gemeentecode", "GM1674", "--max-gat-dagen", "-1"], "--max-gat-dagen")):
        r = CliRunner().invoke(main, basis + extra)
        assert r.exit_code == 2, (extra, r.output)
        assert woord in r.output and "Traceback" not in r.output
    assert not (tmp_path / "uit").exists()  # nothing written on a usage error
