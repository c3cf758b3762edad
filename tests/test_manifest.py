"""Manifests identify the numbers: n_jobs does not change them, so it does not change the hash."""
from evaluatie.manifest import build_manifest


def test_n_jobs_buiten_de_hash():
    a = build_manifest(inputs={"x.csv": "ab"}, config={"bootstrap": 10, "n_jobs": 1}, seed=1)
    b = build_manifest(inputs={"x.csv": "ab"}, config={"bootstrap": 10, "n_jobs": 2}, seed=1)
    assert a["manifest_hash"] == b["manifest_hash"]
    assert a["uitvoering"] == {"n_jobs": 1} and "n_jobs" not in a["config"]
    c = build_manifest(inputs={"x.csv": "ab"}, config={"bootstrap": 10, "n_jobs": 1}, seed=2)
    d = build_manifest(inputs={"x.csv": "ac"}, config={"bootstrap": 10, "n_jobs": 1}, seed=1)
    assert len({a["manifest_hash"], c["manifest_hash"], d["manifest_hash"]}) == 3
