"""`allybot chat`: time from start to its first reply, and peak memory.

Target (issue: foundation): first reply within 1.5 s, peak resident memory under 120 MB.
Measures a first start (creates, migrates and seeds the SQLite database) and warm starts.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7


def one_start(workdir: Path) -> tuple[float, float]:
    """Seconds to the first reply line, and the child's peak RSS in MB."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "ALLYBOT_CONFIG": ""}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
        env=env,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("help\n")
    process.stdin.flush()
    first_line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdin.close()
    # wait4 gives this one child's resource usage (peak RSS in KB on Linux).
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    if "allybot help" not in first_line:
        raise SystemExit(f"unexpected first reply: {first_line!r}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        cold, cold_mb = one_start(workdir)
        warm = []
        peaks = [cold_mb]
        for _ in range(RUNS):
            seconds, peak = one_start(workdir)
            warm.append(seconds)
            peaks.append(peak)
    print(f"first start (migrate + seed): {cold * 1000:7.0f} ms to first reply")
    print(
        f"warm starts ({RUNS}):          median {statistics.median(warm) * 1000:5.0f} ms, "
        f"max {max(warm) * 1000:5.0f} ms to first reply"
    )
    print(f"peak resident memory:          {max(peaks):5.1f} MB (target < 120 MB)")
    verdict = "meets" if max(cold, *warm) < 1.5 and max(peaks) < 120 else "MISSES"
    print(f"verdict: {verdict} the 1.5 s / 120 MB target")


if __name__ == "__main__":
    main()
