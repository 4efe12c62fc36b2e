"""Time ``undercount demo`` from a cold start (new folder, empty cache).

Target: under 90 s on the project's 2-core machine (issue 5). Runs the command in a
fresh process (imports, numba cache loads and all), then once more in the same
folder to show what the stage cache saves. Prints the timings and the ratio to the
target, and the machine load (the machine is shared).

Run: ``.venv/bin/python benchmarks/bench_demo.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 90.0
UNDERCOUNT = Path(sys.executable).with_name("undercount")


def _run(out: Path, *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(UNDERCOUNT), "demo", "--out", str(out), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"undercount demo failed (exit {done.returncode})")
    return elapsed, done.stdout


def main() -> None:
    """Cold run, warm run, figures."""
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        out = Path(tmp) / "demo"
        cold, output = _run(out)
        warm, _ = _run(out)
        sizes = {
            name: (out / name).stat().st_size
            for name in ("report.html", "report.pdf", "results.json")
            if (out / name).exists()
        }
    print(output.strip())
    print()
    print(f"cold run (new folder): {cold:6.1f} s  target {TARGET_SECONDS:.0f} s  "
          f"ratio {cold / TARGET_SECONDS:.2f}")  # fmt: skip
    print(f"warm run (cache):      {warm:6.1f} s  ratio to cold {warm / cold:.2f}")
    for name, size in sizes.items():
        print(f"{name}: {size / 1024:,.0f} KiB")
    if cold > TARGET_SECONDS:
        raise SystemExit(f"too slow: {cold:.1f} s > {TARGET_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
