"""LCMCR benchmark: sampler speed, parallel chains, memory, import time; and the
reference study against the R package.

Usage::

    .venv/bin/python benchmarks/bench_lcmcr.py            # speed figures
    .venv/bin/python benchmarks/bench_lcmcr.py --quick    # shorter runs
    .venv/bin/python benchmarks/bench_lcmcr.py --reference [--replicates 40] [--write]

Speed baseline (issue 3): the reference R package LCMCR 0.4.14 (C++ sampler) ran
110,000 Gibbs iterations in 1.6 s on the Kosovo table with K = 10 on this kind of
machine, about 68,000 iterations/s on one core. Target: at least twice that per
chain (136,000/s), with chains in parallel on both cores.

Reference study (``--reference``): for each table of ``../shared/data/mse/REFERENCE.md``
we run ``--replicates`` independent chains with R's exact settings (K = 10, burn-in
10,000, 1,000 draws, thinning 100, one chain per run). Their spread is the Monte Carlo
standard deviation of one R-style run (``sd``); their mean is our precise value. R's
figure (mean of its two seeds) should differ from ours by a z-score
``(R - ours) / sqrt(sd^2 / 2 + sd^2 / replicates)`` of at most 3. ``--write`` saves
the table to ``tests/data/bayes/lcmcr_reference.csv`` for the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from undercount.errors import UndercountWarning
from undercount.estimate.lcmcr import LCMCR
from undercount.model.capture_table import CaptureTable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "bayes"
R_ITERATIONS_PER_SECOND = 68_000.0
TARGET_PER_CHAIN = 2 * R_ITERATIONS_PER_SECOND

# ../shared/data/mse/REFERENCE.md: LCMCR 0.4.14, K = 10, a = b = 0.25, burnin 10000,
# samples 1000, thinning 100; (2.5%, median, 97.5%) for seeds 11 and 12.
R_REFERENCE: dict[
    str, tuple[tuple[float, float, float], tuple[float, float, float]]
] = {
    "Rcapture_HIV": ((9385, 10906, 13070), (9340, 10904, 13095)),
    "Rcapture_lesbian": ((4434, 5498, 7065), (4303, 5432, 7304)),
    "Rcapture_diabetes": ((2261, 2405, 3135), (2252, 2332, 2901)),
    "SparseMSE_UKdat_5": ((15305, 21488, 31825), (15872, 22288, 34048)),
    "SparseMSE_NewOrl_5": ((585, 832, 1380), (575, 825, 1354)),
    "SparseMSE_Western": ((1294, 1849, 2926), (1338, 1842, 2995)),
}
R_SETTINGS = {"K": 10, "burnin": 10_000, "samples": 1_000, "thinning": 100}
STATISTICS = ("q025", "median", "q975")


def _table(name: str) -> CaptureTable:
    return CaptureTable.read_csv(DATA / f"{name}.csv")


def _fit(table: CaptureTable, **options: object) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndercountWarning)
        return LCMCR(**options).fit(table)  # type: ignore[arg-type]


def import_time() -> float:
    """Best of 3 wall times of ``python -c 'import undercount'`` (fresh process)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import undercount"], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def speed(quick: bool) -> None:
    kosovo = _table("LCMCR_kosovo_aggregate")
    burnin, samples, thinning = (10_000, 1_000, 100) if not quick else (2_000, 200, 100)
    sweeps = 500 + burnin + samples * thinning

    start = time.perf_counter()
    _fit(kosovo, K=10, seed=0, burnin=0, samples=1, thinning=1, chains=1)
    first = time.perf_counter() - start
    print(f"first fit in this process (compile or load cache): {first:.2f} s")
    print(f"import undercount: {import_time():.3f} s (target < 1 s)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")

    singles = []
    for seed in range(3):
        r = _fit(kosovo, K=10, seed=seed, burnin=burnin, samples=samples,
                 thinning=thinning, chains=1, workers=1)  # fmt: skip
        singles.append(sweeps / r.diagnostics["seconds"])  # type: ignore[attr-defined]
    single = max(singles)
    verdict = "met" if single >= TARGET_PER_CHAIN else "NOT met"
    print(
        f"\nKosovo, K = 10, {sweeps:,} sweeps per chain"
        f"\none chain alone: {single:,.0f} it/s (best of 3; runs "
        f"{', '.join(f'{s:,.0f}' for s in singles)})"
        f"\n  vs R LCMCR 68,000 it/s: x{single / R_ITERATIONS_PER_SECOND:.2f} "
        f"(target x2.00 = 136,000 it/s: {verdict})"
    )
    cores = os.cpu_count() or 1
    parallel = []
    for seed in range(3):
        cpu = time.process_time()
        r = _fit(kosovo, K=10, seed=10 + seed, burnin=burnin, samples=samples,
                 thinning=thinning, chains=cores)  # fmt: skip
        d = r.diagnostics  # type: ignore[attr-defined]
        busy = (time.process_time() - cpu) / d["seconds"]
        parallel.append((cores * sweeps / d["seconds"], d, busy))
    total, diag, busy = max(parallel, key=lambda item: item[0])
    per_chain = total / cores
    print(
        f"{cores} chains in parallel threads: {total:,.0f} it/s in total, "
        f"{per_chain:,.0f} it/s per chain (x{per_chain / R_ITERATIONS_PER_SECOND:.2f} "
        f"R), parallel speed-up x{total / single:.2f} on {cores} cores; "
        f"CPU busy {busy:.2f} cores during the run"
    )
    print(
        f"effective samples of N: bulk {diag['ess_bulk']:,.0f}, tail "
        f"{diag['ess_tail']:,.0f} in {diag['seconds']:.2f} s -> "
        f"{diag['ess_bulk'] / diag['seconds']:,.0f} effective draws/s "
        f"(R-hat {diag['rhat']:.4f})"
    )

    print("\nmemory vs iterations (1,000 kept draws, thinning varied):")
    print(f"{'sweeps':>12} {'traced peak MB':>15} {'max RSS MB':>11}")
    for thin in (10, 100, 1000) if not quick else (10, 100):
        tracemalloc.start()
        _fit(kosovo, K=10, seed=1, burnin=0, samples=1000, thinning=thin, chains=2)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{500 + 1000 * thin:>12,} {peak / 2**20:>15.2f} {rss:>11.1f}")
    print("(flat: only the thinned draws are stored, whatever the iterations)")


def reference(replicates: int, write: bool) -> None:
    rows = []
    for name, (seed11, seed12) in R_REFERENCE.items():
        table = _table(name)
        start = time.perf_counter()
        result = _fit(table, seed=2024, chains=replicates, **R_SETTINGS)
        runs = np.quantile(
            result.chain_draws,  # type: ignore[attr-defined]
            [0.025, 0.5, 0.975],
            axis=1,
        )
        seconds = time.perf_counter() - start
        for s, stat in enumerate(STATISTICS):
            ours = runs[s]
            sd = float(np.std(ours, ddof=1))
            r_mean = (seed11[s] + seed12[s]) / 2
            mean = float(np.mean(ours))
            z = (r_mean - mean) / np.sqrt(sd**2 / 2 + sd**2 / replicates)
            rows.append(
                {
                    "table": name,
                    "statistic": stat,
                    "r_seed11": seed11[s],
                    "r_seed12": seed12[s],
                    "r_mean": r_mean,
                    "ours_mean": round(mean, 1),
                    "ours_se": round(sd / np.sqrt(replicates), 1),
                    "mc_sd_r_run": round(sd, 1),
                    "r_seed_gap_in_sd": round(abs(seed11[s] - seed12[s]) / sd, 2),
                    "z": round(float(z), 2),
                    "replicates": replicates,
                }
            )
        print(f"{name}: {replicates} runs in {seconds:.1f} s", flush=True)
    frame = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(frame.to_string(index=False))
    worst = frame["z"].abs().max()
    print(
        f"\nlargest |z| = {worst:.2f} over {len(frame)} figures "
        f"({'all within 3' if worst <= 3 else 'SOME BEYOND 3'}); "
        f"median R seed gap = {statistics.median(frame['r_seed_gap_in_sd']):.2f} sd "
        "(expected ~0.95 for two independent runs)"
    )
    if write:
        out = DATA / "lcmcr_reference.csv"
        frame.to_csv(out, index=False)
        print(f"wrote {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--reference", action="store_true", help="R reference study")
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--write", action="store_true", help="save reference CSV")
    args = parser.parse_args()
    if args.reference:
        reference(args.replicates if not args.quick else 8, args.write)
    else:
        speed(args.quick)


if __name__ == "__main__":
    main()
