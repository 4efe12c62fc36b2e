"""Benchmark narrative extraction: precision/recall per item type, and speed.

Run: ``.venv/bin/python benchmarks/bench_extract.py``

Scores the extractor on the hand-annotated paragraphs in ``tests/data/narrative``
(see SOURCE.md there): ``annotated_paragraphs.json`` was used while writing the
rules (development set); ``annotated_heldout.json`` was annotated after the rules
were frozen and never used to change them (held-out set). A predicted mention
matches a gold item of the same type when their spans overlap (one-to-one).
Also prints value agreement for matched items (casualty interval, gazetteer id,
quotation speaker), throughput on the motivating report and on 1 MB and 4 MB
inputs (``--no-large`` skips the latter). Targets: precision
and recall >= 0.80 per type; >= 100,000 characters per second on one core.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from undercount.ingest.narrative import extract, extract_text
from undercount.ingest.narrative._evaluate import TypeScore, evaluate_annotations

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "narrative"
SEED = DATA / "mosul-report.txt"
TARGET_PR = 0.80
TARGET_CHARS_PER_S = 100_000


def _table(title: str, scores: dict[str, TypeScore]) -> None:
    print(f"\n{title}")
    print(
        f"{'type':<13} {'gold':>5} {'pred':>5} {'prec':>6} {'recall':>6} {'F1':>6}"
        f" {'values':>9}  vs target {TARGET_PR:.2f} (P, R)"
    )
    for kind, s in scores.items():
        values = f"{s.value_agreed}/{s.value_checked}" if s.value_checked else "-"
        print(
            f"{kind:<13} {s.gold:>5} {s.predicted:>5} {s.precision:>6.2f} "
            f"{s.recall:>6.2f} {s.f1:>6.2f} {values:>9}  "
            f"x{s.precision / TARGET_PR:.2f}, x{s.recall / TARGET_PR:.2f}"
        )
    gold = sum(s.gold for s in scores.values())
    pred = sum(s.predicted for s in scores.values())
    matched = sum(s.matched for s in scores.values())
    print(
        f"{'all':<13} {gold:>5} {pred:>5} {matched / pred:>6.2f} {matched / gold:>6.2f}"
    )


def _misses(scores: dict[str, TypeScore], limit: int = 6) -> None:
    for kind, s in scores.items():
        for miss in s.misses[:limit]:
            print(f"  missed {kind}: {miss}")
        for alarm in s.false_alarms[:limit]:
            print(f"  extra  {kind}: {alarm}")


def _speed() -> None:
    text = SEED.read_text(encoding="utf-8")
    extract_text(text)  # warm the gazetteer and regex caches
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        extract(SEED, report_date="2017-07-20")
        timings.append(time.perf_counter() - start)
    per_doc = statistics.median(timings)
    long_text = "\n\n".join([text] * 20)
    start = time.perf_counter()
    extract_text(long_text)
    long_rate = len(long_text) / (time.perf_counter() - start)
    rate = len(text) / per_doc
    print(
        f"\nspeed: seed report ({len(text):,} chars) {per_doc * 1000:.1f} ms median "
        f"= {rate:,.0f} chars/s (x{rate / TARGET_CHARS_PER_S:.2f} of target); "
        f"20 copies ({len(long_text):,} chars) {long_rate:,.0f} chars/s "
        f"(x{long_rate / TARGET_CHARS_PER_S:.2f})"
    )


def _throughput(sizes_mb: tuple[float, ...] = (1.0, 4.0)) -> None:
    """Throughput on large inputs (the seed report repeated to 1 MB and 4 MB).

    Target: a 4 MB report in well under a minute (>= 100 KB/s), i.e. roughly
    linear scaling (the rate at 4 MB within a factor of 1.5 of the rate at 1 MB).
    """
    seed = SEED.read_text(encoding="utf-8")
    extract_text(seed)
    rates = []
    for size_mb in sizes_mb:
        n = int(size_mb * 1_000_000)
        text = "\n\n".join([seed] * (n // len(seed) + 1))[:n]
        start = time.perf_counter()
        extract_text(text)
        seconds = time.perf_counter() - start
        rate = n / 1000 / seconds
        rates.append(rate)
        print(
            f"throughput: {size_mb:g} MB in {seconds:.1f} s = {rate:,.0f} KB/s "
            f"(x{rate / (TARGET_CHARS_PER_S / 1000):.2f} of target)"
        )
    if len(rates) > 1:
        print(
            f"scaling: rate at the largest / smallest size = {rates[-1] / rates[0]:.2f}"
        )


def main() -> None:
    """Print the tables and the speed line (``--no-large`` skips 1 MB / 4 MB)."""
    dev = evaluate_annotations(DATA / "annotated_paragraphs.json")
    _table("development set (annotated_paragraphs.json)", dev)
    heldout_path = DATA / "annotated_heldout.json"
    if heldout_path.exists():
        heldout = evaluate_annotations(heldout_path)
        _table("held-out set (annotated_heldout.json)", heldout)
        print("\nheld-out errors:")
        _misses(heldout)
    _speed()
    if "--no-large" not in sys.argv:
        _throughput()


if __name__ == "__main__":
    main()
