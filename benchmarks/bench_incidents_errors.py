"""Error analysis of incident matching on the synthetic benchmark.

Runs the benchmark's generator (:mod:`bench_incidents`, same seed and size) and
matcher, then breaks the pairwise errors down: wrong links (accepted links
between reports of different events) by the precision of the two reports and
the points per feature; true pairs left apart by why (never candidates, below
the threshold, refused by a constraint, or split by clustering); and how much
of the false-positive pair count comes from chaining (clusters holding several
true events). Not run by the tests.

Usage: ``.venv/bin/python benchmarks/bench_incidents_errors.py [--reports N]
[--seed 7]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_incidents import make_reports, pair_quality
from undercount.incidents import MatchSettings, match_incidents
from undercount.incidents._scoring import FEATURES, score_pairs


def _kind(record) -> str:
    """Location and date precision of a report, e.g. ``exact/day``."""
    where = record.location_precision or ("place" if record.place else "none")
    if record.first_day is None:
        when = "none"
    else:
        span = (record.last_day - record.first_day).days
        when = (
            "day"
            if span == 0
            else "week"
            if span <= 7
            else "month"
            if span <= 31
            else "year"
        )
    return f"{where}/{when}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records, truth = make_reports(args.reports, args.seed)
    settings = MatchSettings()
    t0 = time.perf_counter()
    result = match_incidents(records, settings)
    print(f"match {time.perf_counter() - t0:.1f} s")
    precision, recall = pair_quality(result, truth, records)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"pairwise precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    index = {r.key: i for i, r in enumerate(records)}
    # --- wrong links
    auto = [link for link in result.links if link.origin != "reviewer"]
    wrong = [x for x in auto if truth[index[x.key_a]] != truth[index[x.key_b]]]
    print(f"\naccepted links {len(auto):,}; wrong {len(wrong):,} "
          f"({len(wrong) / max(len(auto), 1):.1%})")  # fmt: skip
    kinds = Counter(
        " + ".join(
            sorted((_kind(records[index[x.key_a]]), _kind(records[index[x.key_b]])))
        )
        for x in wrong
    )
    print("wrong links by report kinds (top 15):")
    for k, n in kinds.most_common(15):
        print(f"  {n:7,}  {k}")
    for feature in FEATURES:
        values = Counter(round(link.parts.get(feature, 0.0), 1) for link in wrong)
        print(
            f"  {feature:12s} "
            + ", ".join(f"{v:+.1f}:{n}" for v, n in sorted(values.items()))
        )
    good = [x for x in auto if truth[index[x.key_a]] == truth[index[x.key_b]]]
    for feature in FEATURES:
        values = Counter(round(link.parts.get(feature, 0.0), 1) for link in good)
        print(
            f"  right {feature:6s} "
            + ", ".join(f"{v:+.1f}:{n}" for v, n in sorted(values.items()))
        )
    # --- chaining
    cluster_of = np.empty(len(records), dtype=np.int64)
    for c, cl in enumerate(result.clusters):
        for key in cl.keys:
            cluster_of[index[key]] = c
    events_per_cluster = Counter()
    fp_pairs_by_events = Counter()
    for cl in result.clusters:
        events = Counter(int(truth[index[k]]) for k in cl.keys)
        n = len(cl.keys)
        same = sum(v * (v - 1) // 2 for v in events.values())
        fp = n * (n - 1) // 2 - same
        events_per_cluster[min(len(events), 6)] += 1
        fp_pairs_by_events[min(len(events), 6)] += fp
    print("\nclusters by number of true events: " + ", ".join(
        f"{k}{'+' if k == 6 else ''}: {v:,} (false pairs {fp_pairs_by_events[k]:,})"
        for k, v in sorted(events_per_cluster.items())))  # fmt: skip
    # --- missed pairs
    by_event: dict[int, list[int]] = {}
    for i, e in enumerate(truth.tolist()):
        by_event.setdefault(e, []).append(i)
    ti, tj = [], []
    for members in by_event.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                ti.append(members[x])
                tj.append(members[y])
    i = np.asarray(ti, dtype=np.int64)
    j = np.asarray(tj, dtype=np.int64)
    apart = cluster_of[i] != cluster_of[j]
    prep = result._prepared
    assert prep is not None
    scores = score_pairs(prep, i[apart], j[apart], settings)
    gap = np.maximum(
        prep.first[j[apart]] - prep.last[i[apart]],
        prep.first[i[apart]] - prep.last[j[apart]],
    )
    from undercount.incidents._prepare import haversine_km

    d = haversine_km(
        prep.lat[i[apart]], prep.lon[i[apart]], prep.lat[j[apart]], prep.lon[j[apart]]
    )
    tol = prep.radius[i[apart]] + prep.radius[j[apart]] + settings.distance_slack_km
    same_place = (prep.place[i[apart]] >= 0) & (
        prep.place[i[apart]] == prep.place[j[apart]]
    )
    far = (d > tol) & ~same_place
    late = gap > settings.date_window_days
    above = scores.total >= settings.threshold
    counts = {
        "dates too far": int(late.sum()),
        "too far apart": int((far & ~late).sum()),
        "candidates below threshold": int((~far & ~late & ~above).sum()),
        "above threshold but apart (refused or chained)": int(
            (~far & ~late & above).sum()
        ),
    }
    print(
        f"\ntrue pairs {len(i):,}; apart {int(apart.sum()):,}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    below = ~far & ~late & ~above
    kinds = Counter(
        " + ".join(sorted((_kind(records[a]), _kind(records[b]))))
        for a, b in zip(i[apart][below].tolist(), j[apart][below].tolist(), strict=True)
    )
    print("missed candidates below threshold by kinds (top 15):")
    for k, n in kinds.most_common(15):
        print(f"  {n:7,}  {k}")
    for feature in FEATURES:
        values = Counter(np.round(scores.parts[feature][below], 1).tolist())
        print(
            f"  {feature:12s} "
            + ", ".join(f"{v:+.1f}:{n}" for v, n in sorted(values.items()))
        )
    totals = Counter(np.round(scores.total[below] * 2) / 2)
    print("  totals " + ", ".join(f"{v:+.1f}:{n}" for v, n in sorted(totals.items())))


if __name__ == "__main__":
    main()
