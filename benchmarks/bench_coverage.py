"""Coverage benchmark: do 95% intervals cover the true population size?

For every named capture scenario (:func:`undercount.simulate.capture_scenarios`),
draw ``--replicates`` tables with a known ``N`` (seeded), fit LCMCR, the log-linear
model selected by BIC (the classical estimator, ``get_method("loglinear")``) and dga,
and print each method's coverage of its 95% interval, its relative bias and the
relative width of its intervals.

Target (issue 3): coverage >= 90% wherever the scenario meets the method's
assumptions (column ``meets``); elsewhere the figures show how the method fails.

Usage::

    .venv/bin/python benchmarks/bench_coverage.py                  # 200 replicates
    .venv/bin/python benchmarks/bench_coverage.py --quick          # 40, shorter chains
    .venv/bin/python benchmarks/bench_coverage.py --replicates 500 \
        --scenarios independent,heterogeneous --methods lcmcr
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from undercount.errors import UndercountError, UndercountWarning
from undercount.estimate import get_method, load_methods
from undercount.model.capture_table import CaptureTable
from undercount.simulate import capture_scenarios, simulate_captures

TARGET = 0.90
LEVEL = 0.95


def _estimators(quick: bool) -> dict[str, Callable[[CaptureTable, int], Any]]:
    load_methods()
    chains = (
        {"burnin": 1000, "samples": 300, "thinning": 10}
        if quick
        else {"burnin": 3000, "samples": 500, "thinning": 20}
    )

    def lcmcr(table: CaptureTable, seed: int) -> Any:
        return get_method("lcmcr")(K=10, seed=seed, chains=2, **chains).fit(table)

    def loglinear(table: CaptureTable, seed: int) -> Any:
        return get_method("loglinear")().fit(table)

    def dga(table: CaptureTable, seed: int) -> Any:
        return get_method("dga")(seed=seed, samples=1000).fit(table)

    return {"lcmcr": lcmcr, "loglinear": loglinear, "dga": dga}


def run(
    replicates: int, scenarios: list[str], methods: list[str], quick: bool, seed: int
) -> pd.DataFrame:
    estimators = _estimators(quick)
    catalogue = capture_scenarios()
    rows = []
    root = np.random.SeedSequence(seed)
    for name, child in zip(scenarios, root.spawn(len(scenarios)), strict=True):
        scenario = catalogue[name]
        table_rng = np.random.default_rng(child)
        fit_seeds = child.spawn(1)[0].generate_state(replicates, np.uint32)
        records: dict[str, list[tuple[float, float, float]]] = {m: [] for m in methods}
        failures = dict.fromkeys(methods, 0)
        seconds = dict.fromkeys(methods, 0.0)
        for r in range(replicates):
            table, _ = simulate_captures(scenario, table_rng)
            for method in methods:
                start = time.perf_counter()
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UndercountWarning)
                        result = estimators[method](table, int(fit_seeds[r]))
                    lower, upper = result.interval(LEVEL)
                    records[method].append((result.estimate, lower, upper))
                except UndercountError:
                    failures[method] += 1
                seconds[method] += time.perf_counter() - start
        for method in methods:
            fits = np.asarray(records[method], dtype=float).reshape(-1, 3)
            n = scenario.size
            covered = (fits[:, 1] <= n) & (n <= fits[:, 2])
            coverage = float(covered.mean()) if len(fits) else float("nan")
            meets = method in scenario.meets
            rows.append(
                {
                    "scenario": name,
                    "method": method,
                    "meets": "yes" if meets else "no",
                    "fits": len(fits),
                    "failed": failures[method],
                    "coverage": coverage,
                    "cov_se": float(np.sqrt(coverage * (1 - coverage) / len(fits)))
                    if len(fits)
                    else float("nan"),
                    "rel_bias": float(np.mean(fits[:, 0] / n - 1)),
                    "median_rel_err": float(np.median(fits[:, 0] / n - 1)),
                    "rel_width": float(np.mean((fits[:, 2] - fits[:, 1]) / n)),
                    "target": ("ok" if coverage >= TARGET else "MISSED")
                    if meets
                    else "-",
                    "s_per_fit": seconds[method] / replicates,
                }
            )
        print(
            f"{name}: {replicates} replicates, N = {scenario.size} "
            f"({scenario.description})",
            flush=True,
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scenarios", default=",".join(capture_scenarios()))
    parser.add_argument("--methods", default="lcmcr,loglinear,dga")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    replicates = args.replicates or (40 if args.quick else 200)
    scenarios = [s for s in args.scenarios.split(",") if s]
    methods = [m for m in args.methods.split(",") if m]
    start = time.perf_counter()
    frame = run(replicates, scenarios, methods, args.quick, args.seed)
    formats = {
        "coverage": "{:.3f}".format,
        "cov_se": "{:.3f}".format,
        "rel_bias": "{:+.3f}".format,
        "median_rel_err": "{:+.3f}".format,
        "rel_width": "{:.3f}".format,
        "s_per_fit": "{:.3f}".format,
    }
    print()
    print(frame.to_string(index=False, formatters=formats))
    held = frame[frame["meets"] == "yes"]
    missed = held[held["coverage"] < TARGET]
    print(
        f"\n95% interval coverage where the scenario meets the method's assumptions: "
        f"{len(held) - len(missed)}/{len(held)} method-scenario pairs reach "
        f"{TARGET:.0%} (min {held['coverage'].min():.3f})"
    )
    print(f"total time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
