"""Run every benchmark in this folder (or the ones named) and print their figures.

    python bench/run.py                 # all of them
    python bench/run.py startup slack   # bench_startup.py and bench_slack.py

Benchmarks are run by hand, never in CI: this machine is shared and noisy, so compare
ratios measured within one run rather than absolute times across runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [script for script in scripts if script.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"=== {script.stem}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
