"""Manifests: what produced an output (input hashes, package versions, config, seed).

Every output directory carries a ``manifest.json`` written by :func:`write_manifest`. The manifest is
deterministic (sorted keys, no timestamps unless asked) so that same inputs + seed give identical bytes.
Commands do not call these functions themselves: the writer (:mod:`evaluatie.uitvoer`) builds the manifest
from the validation's input hashes and adds ``uitvoer`` (SHA-256 of every file written) and
``voltooid: true`` as the last file of a run.
"""
from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

PAKKETTEN = ("evaluatie", "numpy", "scipy", "pandas", "pyarrow", "statsmodels", "linearmodels", "matplotlib", "seaborn", "click")


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while b := fh.read(chunk):
            h.update(b)
    return h.hexdigest()


def versions(packages: Iterable[str] = PAKKETTEN) -> dict[str, str]:
    """Installed versions of the packages that determine the numbers (plus Python)."""
    out = {"python": platform.python_version()}
    for p in packages:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "niet geinstalleerd"
    return out


def input_hashes(paths: Iterable[str | Path], root: str | Path | None = None) -> dict[str, str]:
    """Hash each input file; keys are paths relative to ``root`` (so the manifest is location-free)."""
    out = {}
    for p in sorted(Path(x) for x in paths):
        key = p.relative_to(root).as_posix() if root is not None else p.name
        out[key] = sha256_file(p)
    return out


#: Config keys that change how a run is executed, never its numbers (kept out of ``manifest_hash``).
UITVOERING: tuple[str, ...] = ("n_jobs", "cluster")


def build_manifest(
    *, inputs: dict[str, str], config: dict[str, Any], seed: int | None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Assemble a manifest dict. ``inputs`` maps file names to SHA-256 digests.

    ``manifest_hash`` identifies the numbers: keys of :data:`UITVOERING` (such as ``n_jobs``, which the
    results do not depend on) are moved from ``config`` to ``uitvoering`` and left out of the hash, so a
    re-run on more cores is recognised as the same run (e.g. by the kennisbank).
    """
    config = dict(config)
    uitvoering = {k: config.pop(k) for k in UITVOERING if k in config}
    m = {"inputs": inputs, "versions": versions(), "config": config, "seed": seed}
    if extra:
        m.update(extra)
    m["manifest_hash"] = hashlib.sha256(json.dumps(m, sort_keys=True, default=str).encode()).hexdigest()
    if uitvoering:
        m["uitvoering"] = uitvoering
    return m


def write_manifest(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write a manifest as sorted, indented JSON with a trailing newline."""
    path = Path(path)
    path.write_text(json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
