"""Timing of the log-linear engine on the 6-list tables (UK 2013, Netherlands).

Run: ``.venv/bin/python benchmarks/bench_loglinear.py [--repeats N] [--quick]``

Prints, per table:

* the full Rcapture-style model table (``closed_population_table``: M0, Mt, Mh and
  Mth with four heterogeneity forms, Mb, Mbh) against the issue's target of < 1 s;
* the exhaustive search of all 32,768 pairwise hierarchical models
  (``closedpMS.t(..., maxorder=2)``, the largest search Rcapture runs for 6 lists
  without ``stopiflong = FALSE``), models per second;
* the default model selection ``LogLinear().fit`` (exhaustive pairwise search, then
  stepwise refinement with higher-order terms) plus its profile-likelihood interval.

Each figure is the best of ``--repeats`` runs (the machine is shared).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

TARGET_SECONDS = 1.0
DATA = Path("/work/shared/data/mse")
FALLBACK = Path(__file__).resolve().parents[1] / "tests" / "data" / "mse"
TABLES = ("SparseMSE_UKdat.csv", "SparseMSE_Ned.csv")


def _best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best = float("inf")
    value = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="skip the 32,768-model searches"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    start = time.perf_counter()
    from undercount.estimate import (
        LogLinear,
        closed_population_table,
        hierarchical_model_table,
    )
    from undercount.model.capture_table import CaptureTable

    print(f"import undercount.estimate: {time.perf_counter() - start:.3f} s")
    for name in TABLES:
        path = DATA / name if (DATA / name).exists() else FALLBACK / name
        table = CaptureTable.read_csv(path)
        print(f"\n{name}: {table.n_lists} lists, {table.n_observed} people")
        seconds, frame = _best_of(
            args.repeats, lambda t=table: closed_population_table(t)
        )
        print(
            f"  closedp.t table ({len(frame)} models): {seconds:.3f} s; "
            f"target < {TARGET_SECONDS:.0f} s: ratio {seconds / TARGET_SECONDS:.3f} "
            f"({'met' if seconds < TARGET_SECONDS else 'MISSED'})"
        )
        if args.quick:
            continue
        seconds, models = _best_of(
            1, lambda t=table: hierarchical_model_table(t, maxorder=2)
        )
        print(
            f"  closedpMS.t maxorder=2 ({len(models):,} models): {seconds:.2f} s, "
            f"{len(models) / seconds:,.0f} models/s; best {models.iloc[0]['model']} "
            f"N = {models.iloc[0]['abundance']:,.0f}"
        )
        seconds, result = _best_of(
            1, lambda t=table: (r := LogLinear().fit(t), r.interval(0.95))
        )
        fitted, (lower, upper) = result
        compared = fitted.diagnostics["models_compared"]
        print(
            f"  LogLinear() selection + profile CI: {seconds:.2f} s "
            f"({fitted.diagnostics['search']}, {compared:,} "
            f"models): {fitted.model} N = {fitted.estimate:,.0f} "
            f"[{lower:,.0f}, {upper:,.0f}]"
        )


if __name__ == "__main__":
    main()
