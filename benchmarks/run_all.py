"""Run every benchmark script in this folder in turn (`make bench`). Each prints its own figures.

Benchmarks are not tests: they measure, side by side in one run, and print ratios against peers.
Several need R (`apt-get install r-base-core r-cran-survival r-cran-plm`) and skip peers that are absent.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).parent
    fails = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"=== {script.name}", flush=True)
        fails += subprocess.call([sys.executable, str(script), *sys.argv[1:]]) != 0
    sys.exit(1 if fails else 0)
