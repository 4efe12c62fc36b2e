"""Benchmark: matching 100,000 incident reports across sources (target < 60 s).

Synthetic reports with known truth (seeded): events spread over Iraq and Syria in
2014-2019, 40% of them in five dense cities (as Mosul or Raqqa were), each reported
by one to three of six sources with the imprecision real reports have: dates at
day, week-window, month or year precision; coordinates exact, near, at a district
or governorate centroid, or only a place name; death figures as ranges, "up to" or
"at least", with disagreement between sources; weapons and alleged belligerents
sometimes missing or different. Prints the time per stage, the ratio to the 60 s
target, and pairwise precision and recall of the links against the truth.

Usage: ``.venv/bin/python benchmarks/bench_incidents.py [--reports 100000]
[--seed 7]``
"""

from __future__ import annotations

import argparse
import datetime
import time
from typing import Any

import numpy as np

from undercount.incidents import MatchSettings, make_record, match_incidents
from undercount.model import Incident, PartialDate

TARGET_SECONDS = 60.0
#: Pairwise precision and recall before the matching guards and evidence
#: refinements (seed 7, 100,000 reports; docs/incidents.md).
BASELINE = (0.469, 0.498)
SOURCES = ("airwars", "acled", "ucdp", "ibc", "ohchr", "local")
CITIES = [  # (lat, lon, place name) of dense urban battles
    (36.34, 43.12, "Mosul"), (35.95, 39.01, "Raqqa"), (35.33, 40.14, "Deir ez-Zor"),
    (33.35, 43.78, "Fallujah"), (36.20, 37.16, "Aleppo"),
]  # fmt: skip
WEAPONS = ("airstrike", "artillery", "IED", "shooting", "suicide bomb", None)
BELLIGERENTS = ("US-led Coalition", "Iraqi Security Forces", "ISIL", "Syrian regime",
                "SDF", None)  # fmt: skip
START = datetime.date(2014, 1, 1).toordinal()
DAYS = 6 * 365


def make_reports(n_reports: int, seed: int) -> tuple[list, np.ndarray]:
    """Reports and, for each, the id of the true event it describes."""
    rng = np.random.default_rng(seed)
    n_events = int(n_reports / 1.9) + 1
    city = rng.random(n_events) < 0.4
    which = rng.integers(0, len(CITIES), n_events)
    lat = np.where(
        city,
        np.array([c[0] for c in CITIES])[which] + rng.normal(0, 0.06, n_events),
        rng.uniform(32.0, 37.0, n_events),
    )
    lon = np.where(
        city,
        np.array([c[1] for c in CITIES])[which] + rng.normal(0, 0.06, n_events),
        rng.uniform(37.0, 45.0, n_events),
    )
    day = START + rng.integers(0, DAYS, n_events)
    killed = np.ceil(rng.lognormal(1.5, 1.2, n_events)).astype(int)
    weapon = rng.integers(0, len(WEAPONS), n_events)
    bel = rng.integers(0, len(BELLIGERENTS), n_events)
    records = []
    truth: list[int] = []
    counts = rng.choice([1, 2, 3], size=n_events, p=[0.35, 0.35, 0.30])
    for e in range(n_events):
        if len(records) >= n_reports:
            break
        sources = rng.choice(len(SOURCES), size=counts[e], replace=False)
        for s in sources:
            if len(records) >= n_reports:
                break
            records.append(_report(rng, e, SOURCES[s], lat[e], lon[e], int(day[e]),
                                   int(killed[e]), int(weapon[e]), int(bel[e]),
                                   bool(city[e]), CITIES[which[e]][2]))  # fmt: skip
            truth.append(e)
    return records, np.asarray(truth)


def _report(  # one synthetic report of event ``event`` by ``source``
    rng: np.random.Generator,
    event: int,
    source: str,
    lat: float,
    lon: float,
    day: int,
    killed: int,
    weapon: int,
    bel: int,
    city: bool,
    name: str,
) -> Any:
    date = datetime.date.fromordinal(day + int(rng.choice([0, 0, 0, 0, 1, -1])))
    r = rng.random()
    first = last = None
    if r < 0.8:
        partial = PartialDate.from_date(date)
    elif r < 0.9:  # a week window around the day
        partial = PartialDate.from_date(date)
        first = date - datetime.timedelta(days=3)
        last = date + datetime.timedelta(days=3)
        partial = PartialDate(date.year, date.month) if first.month == last.month \
            else PartialDate(date.year)  # fmt: skip
    elif r < 0.98:
        partial = PartialDate(date.year, date.month)
    else:
        partial = PartialDate(date.year)
    r = rng.random()
    place = None
    if r < 0.45:
        plat, plon, precision = (
            lat + rng.normal(0, 0.003),
            lon + rng.normal(0, 0.003),
            "exact",
        )
    elif r < 0.7:
        plat, plon, precision = (
            lat + rng.normal(0, 0.03),
            lon + rng.normal(0, 0.03),
            "near",
        )
    elif r < 0.85:
        plat, plon, precision = round(lat, 1), round(lon, 1), "district"
    elif r < 0.9:
        plat, plon, precision = round(lat), round(lon), "governorate"
    else:
        plat = plon = None
        precision = None
        place = name if city else None
    spread = max(1, int(killed * rng.uniform(0.0, 0.5)))
    form = rng.random()
    low, high = killed, killed
    if form < 0.3:
        low, high = max(0, killed - spread), killed + spread
    elif form < 0.4:
        low, high = None, killed + spread
    elif form < 0.5:
        low, high = killed, None
    w = weapon if rng.random() < 0.8 else int(rng.integers(0, len(WEAPONS)))
    b = bel if rng.random() < 0.85 else int(rng.integers(0, len(BELLIGERENTS)))
    incident = Incident(
        source=source,
        incident_id=f"{source}-{event}",
        date=partial,
        place=place,
        latitude=plat,
        longitude=plon,
        location_precision=precision if plat is not None else None,
        killed_min=low,
        killed_max=high,
        weapon=WEAPONS[w],
        belligerents=(BELLIGERENTS[b],) if BELLIGERENTS[b] else (),
    )
    return make_record(incident, first_day=first, last_day=last)


def pair_quality(result, truth: np.ndarray, records: list) -> tuple[float, float]:
    """Pairwise precision and recall of same-cluster pairs against the truth."""
    index = {r.key: i for i, r in enumerate(records)}
    cluster = np.empty(len(records), dtype=np.int64)
    for c, cl in enumerate(result.clusters):
        for key in cl.keys:
            cluster[index[key]] = c

    def pairs(labels: np.ndarray) -> int:
        _, counts = np.unique(labels, return_counts=True)
        return int((counts * (counts - 1) // 2).sum())

    predicted = pairs(cluster)
    true = pairs(truth)
    both = pairs(cluster * (int(truth.max()) + 1) + truth)
    return both / max(predicted, 1), both / max(true, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    records, truth = make_reports(args.reports, args.seed)
    built = time.perf_counter() - t0
    print(f"built {len(records):,} synthetic reports of {truth.max() + 1:,} events "
          f"in {built:.1f} s (not timed against the target)")  # fmt: skip
    t0 = time.perf_counter()
    result = match_incidents(records, MatchSettings())
    seconds = time.perf_counter() - t0
    s = result.summary()
    print(f"matched {s['reports']:,} reports -> {s['clusters']:,} clusters; "
          f"{s['candidate_pairs']:,} candidate pairs; {s['links']:,} links; "
          f"{s['blocked']:,} refused")  # fmt: skip
    print("stages (s): " + ", ".join(f"{k} {v}" for k, v in s["seconds"].items()))
    print(f"match time {seconds:.1f} s; target {TARGET_SECONDS:.0f} s; "
          f"ratio to target {seconds / TARGET_SECONDS:.2f} "
          f"({'met' if seconds < TARGET_SECONDS else 'NOT met'})")  # fmt: skip
    precision, recall = pair_quality(result, truth, records)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    p0, r0 = BASELINE
    f0 = 2 * p0 * r0 / (p0 + r0)
    print(
        f"pairwise precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
        "(same-event pairs, against the synthetic truth); baseline "
        f"{p0:.3f}/{r0:.3f}/{f0:.3f}, F1 ratio to baseline {f1 / f0:.2f}"
    )


if __name__ == "__main__":
    main()
