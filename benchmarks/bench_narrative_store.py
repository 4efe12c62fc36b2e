"""Benchmark storing and reviewing narrative proposals in a project store.

Run: ``.venv/bin/python benchmarks/bench_narrative_store.py [--copies N]``

A long document is built from the 40 hand-annotated real paragraphs of
``tests/data/narrative`` (development and held-out sets), repeated ``N`` times
(default 10) so that it holds some thousand proposals. Timed, on a fresh DuckDB
store: extraction; storing the document and every proposal (one transaction);
storing it again (nothing new: the idempotence check); accepting 50 incident
proposals one by one (each decision re-imports the document's accepted incidents
as reports); reading them back as incident reports. Targets (interactive use on
one shared core): storing >= 1,000 proposals per second; a review decision,
including its incident import, under 0.5 s at 50 accepted incidents.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from undercount.incidents._persist import ProjectIncidents
from undercount.ingest.narrative import (
    extract_text,
    list_proposals,
    review_proposal,
    store_extraction,
)
from undercount.store import Store

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "narrative"
TARGET_PROPOSALS_PER_S = 1_000
TARGET_DECISION_S = 0.5


def _document(copies: int) -> str:
    paragraphs = []
    for name in ("annotated_paragraphs.json", "annotated_heldout.json"):
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        paragraphs += [p["text"] for p in data["paragraphs"]]
    return "\n\n".join(
        f"({copy}) {text}" for copy in range(copies) for text in paragraphs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--decisions", type=int, default=50)
    args = parser.parse_args()
    text = _document(args.copies)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.create(Path(folder) / "undercount.duckdb")
        t0 = time.perf_counter()
        result = extract_text(text, name="annotated-x.txt", report_date="2017-07-20")
        t1 = time.perf_counter()
        _, added = store_extraction(store, result, actor="bench")
        t2 = time.perf_counter()
        _, again = store_extraction(store, result, actor="bench")
        t3 = time.perf_counter()
        incidents = list_proposals(store, kind="incident")[: args.decisions]
        times = []
        for row in incidents:
            start = time.perf_counter()
            review_proposal(store, row.proposal_id, "accept", reviewer="bench")
            times.append(time.perf_counter() - start)
        t4 = time.perf_counter()
        reports = ProjectIncidents(store).records()
        t5 = time.perf_counter()
        store.close()
    rate = added / (t2 - t1)
    print(f"document: {len(text):,} characters, {added:,} proposals stored")
    print(f"extract:               {t1 - t0:7.2f} s")
    print(
        f"store:                 {t2 - t1:7.2f} s  ({rate:,.0f} proposals/s; "
        f"target {TARGET_PROPOSALS_PER_S:,}/s, "
        f"ratio {rate / TARGET_PROPOSALS_PER_S:.2f})"
    )
    print(f"store again (0 new):   {t3 - t2:7.2f} s  (new: {again})")
    if times:
        last = times[-1]
        print(
            f"{len(times)} decisions:          {t4 - t3:7.2f} s  "
            f"(first {times[0]:.3f} s, "
            f"last {last:.3f} s; target < {TARGET_DECISION_S} s, "
            f"ratio {last / TARGET_DECISION_S:.2f})"
        )
    print(f"read {len(reports)} reports:      {t5 - t4:7.2f} s")


if __name__ == "__main__":
    main()
