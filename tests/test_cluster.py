"""`--cluster` / `[effecten] cluster` (issue 20): the option is parsed, bad addresses and a missing or
unreachable scheduler give a clear message (no traceback), and the progress bar stays silent off a terminal."""
from __future__ import annotations

import io
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from evaluatie import cluster, voortgang
from evaluatie.bootstrap import bootstrap_replicaties
from evaluatie.cli import main
from evaluatie.config import ConfigFout, lees_config


@pytest.mark.parametrize("adres", ["tcp://127.0.0.1:8786", "tls://sched.example.nl:8786", " tcp://[::1]:8786 ",
                                   "inproc://10.0.0.1/1234/1"])
def test_geldig_adres(adres):
    assert cluster.controleer_adres(adres) == adres.strip()


@pytest.mark.parametrize("adres, deel", [("127.0.0.1:8786", "geen adres"), ("http://host:8786", "geen adres"),
                                         ("tcp://host", "poort"), ("tcp://host:99999", "poort"), ("", "geen adres")])
def test_ongeldig_adres_noemt_bron_waarde_en_verwachting(adres, deel):
    with pytest.raises(cluster.ClusterFout) as e:
        cluster.controleer_adres(adres, bron="[effecten] cluster")
    m = str(e.value)
    assert m.startswith("[effecten] cluster: ") and deel in m and "tcp://host:poort" in m


def test_geen_cluster_is_lokaal():
    with cluster.verbind(None) as c:
        assert c is None and cluster.actief() is None


def test_zonder_dask_een_duidelijke_melding(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(cluster.ClusterFout, match=r"pip install 'evaluatie\[cluster\]'"):
        with cluster.verbind("tcp://127.0.0.1:8786"):
            pass


def test_onbereikbare_scheduler():
    pytest.importorskip("distributed")
    with pytest.raises(cluster.ClusterFout, match="geen Dask-scheduler bereikbaar op tcp://127.0.0.1:1 binnen 1 s"):
        with cluster.verbind("tcp://127.0.0.1:1", wachttijd=1):
            pass
    assert cluster.actief() is None


def test_cli_optie_wordt_gecontroleerd(tmp_path):
    r = CliRunner().invoke(main, ["analyseer", str(tmp_path), "--out", str(tmp_path / "uit"), "--cluster", "host:1"])
    assert r.exit_code == 2 and "geen adres van een Dask-scheduler" in r.output and "Traceback" not in r.output
    for cmd in ("analyseer", "rapport"):
        r = CliRunner().invoke(main, [cmd, "--help"])
        assert "--cluster" in r.output


def test_cli_onbereikbaar_exit_1(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from evaluatie.simulatie import schrijf, simuleer

    schrijf(simuleer(seed=3, n_clienten=120), tmp_path / "in")
    echt = cluster.verbind
    monkeypatch.setattr(cluster, "verbind", lambda a, **k: echt(a, **{**k, "wachttijd": 1}))
    r = CliRunner().invoke(main, ["analyseer", str(tmp_path / "in"), "--out", str(tmp_path / "uit"), "--bootstrap", "2",
                                  "--cluster", "tcp://127.0.0.1:1"])
    assert r.exit_code == 1, r.output
    assert "geen Dask-scheduler bereikbaar" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "uit").exists()


def _config(tmp_path, regel):
    p = tmp_path / "e.toml"
    p.write_text(f'[evaluatie]\ngemeenten = ["GM0777"]\n[data]\nmap = "d"\n[effecten]\n{regel}\n', encoding="utf-8")
    return p


def test_config_sleutel(tmp_path):
    assert lees_config(_config(tmp_path, 'bootstrap = 2')).cluster is None
    assert lees_config(_config(tmp_path, 'cluster = "tcp://10.1.2.3:8786"')).cluster == "tcp://10.1.2.3:8786"
    with pytest.raises(ConfigFout, match=r"\[effecten\] cluster: 'localhost' is geen adres"):
        lees_config(_config(tmp_path, 'cluster = "localhost"'))
    with pytest.raises(ConfigFout, match="cluster"):
        lees_config(_config(tmp_path, "cluster = 8786"))


def test_cluster_buiten_de_manifesthash():
    from evaluatie.manifest import build_manifest

    a = build_manifest(inputs={}, config={"seed": 1, "n_jobs": 1, "cluster": None}, seed=1)
    b = build_manifest(inputs={}, config={"seed": 1, "n_jobs": 2, "cluster": "tcp://h:1"}, seed=1)
    assert a["manifest_hash"] == b["manifest_hash"] and b["uitvoering"]["cluster"] == "tcp://h:1"


def test_voortgang_stil_buiten_terminal(monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("EVALUATIE_STIL", raising=False)

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert voortgang.zichtbaar(Tty()) and not voortgang.zichtbaar(io.StringIO())
    with voortgang.stil():
        assert not voortgang.zichtbaar(Tty())
    with voortgang.stil(False):
        assert voortgang.zichtbaar(Tty())
    monkeypatch.setenv("CI", "true")
    assert not voortgang.zichtbaar(Tty())
    # under pytest stderr is captured (not a terminal): the bootstrap writes nothing
    bootstrap_replicaties(lambda w: np.array([w[0]]), 5, B=3, seed=1)
    assert capsys.readouterr().err == ""


def test_voortgang_op_terminal_telt_alle_replicaties(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("EVALUATIE_STIL", raising=False)
    gezien = []

    class Balk(voortgang._Niets):
        def update(self, n=1):
            gezien.append(n)

    monkeypatch.setattr(voortgang, "balk", lambda *a, **k: Balk())
    a = bootstrap_replicaties(lambda w: np.array([w[0]]), 5, B=7, seed=1, n_jobs=1)
    assert sum(gezien) == 7
    gezien.clear()
    b = bootstrap_replicaties(lambda w: np.array([w[0]]), 5, B=7, seed=1, n_jobs=2)
    assert sum(gezien) == 7 and np.array_equal(a, b)
