"""A required table that is missing and one whose rows were all rejected get different messages."""
from __future__ import annotations

from click.testing import CliRunner

from evaluatie.cli import main


def test_ontbrekend_en_volledig_afgekeurd_verschillen(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "metadata.json").write_text('{"peildatum": "2019-12-31", "waarnemingsperiode": {"start": "2015-01-01", '
                                     '"eind": "2019-12-31"}}', encoding="utf-8")
    r = CliRunner().invoke(main, ["overleving", str(d), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "geen bestand uitkeringen" in r.output, r.output
    (d / "uitkeringen.csv").write_text("client_id,startdatum,einddatum,uitstroomreden\n"
                                       "C1,2016-13-01,,\nC2,geen datum,,\n", encoding="utf-8")
    for cmd in ("overleving", "analyseer"):
        r = CliRunner().invoke(main, [cmd, str(d), "--out", str(tmp_path / cmd)])
        assert r.exit_code == 1, r.output
        assert "geen geaccepteerde rijen in uitkeringen (2 gelezen, alle afgekeurd" in r.output, r.output
        assert "Traceback" not in r.output
