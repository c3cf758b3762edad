"""Cost of the disclosure check (secondary suppression with the exact LP rule) as a publication grows.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_disclosure.py [--tabellen 5 10 20 40] [--oud PATH]

Builds random publications of ``n`` linked tables (groups x columns with row, column and grand totals; 35%
of the cells unknown to the reader) and times :func:`evaluatie.disclosure.stelsel.secundair` on them. With
``--oud PATH`` (a copy of an older ``stelsel.py``, e.g. ``git show 27a85df:evaluatie/disclosure/stelsel.py >
/tmp/stelsel_oud.py``) the same publications are timed with that version too, side by side, and the two
masks are compared (they must be equal: splitting the system into independent parts is exact).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tabellen", type=int, nargs="+", default=[5, 10, 20, 40])
    ap.add_argument("--oud", type=Path, default=None)
    a = ap.parse_args()
    from test_disclosure_deelstelsels import _publicatie

    from evaluatie.disclosure import stelsel as nieuw
    oud = None
    if a.oud is not None:
        spec = importlib.util.spec_from_file_location("stelsel_oud", a.oud)
        oud = importlib.util.module_from_spec(spec)
        sys.modules["stelsel_oud"] = oud
        spec.loader.exec_module(oud)  # type: ignore[union-attr]
    for n in a.tabellen:
        w, _, _, rel = _publicatie(np.random.default_rng(n), n_tabellen=n)
        primair = (w > 0) & (w < 10)
        regel = f"tabellen={n:3d} cellen={len(w):5d} klein={int(primair.sum()):4d}"
        t = time.perf_counter()
        m_n, _, _ = nieuw.secundair(w, primair, rel, drempel=10)
        tn = time.perf_counter() - t
        regel += f" | nieuw {tn:7.2f} s"
        if oud is not None:
            t = time.perf_counter()
            m_o, _, _ = oud.secundair(w, primair, [oud.Relatie(r.delen, r.totaal, r.waarde, r.naam) for r in rel],
                                      drempel=10)
            to = time.perf_counter() - t
            regel += f" | oud {to:7.2f} s | ratio {to / max(tn, 1e-9):5.1f}x | masker gelijk: {bool((m_n == m_o).all())}"
        print(regel, flush=True)


if __name__ == "__main__":
    main()
