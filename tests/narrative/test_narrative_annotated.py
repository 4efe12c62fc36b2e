"""Regression floor on the hand-annotated paragraphs (tests/data/narrative).

The floors are the figures printed by benchmarks/bench_extract.py when this test
was written, rounded down by 0.05 (see docs/extract.md for the full table): a
rule change that loses more than that on any item type fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from undercount.ingest.narrative._evaluate import TypeScore, evaluate_annotations

DATA = Path(__file__).resolve().parents[1] / "data" / "narrative"
FLOORS = {  # type: (precision, recall)
    "casualty": (0.90, 0.88),
    "place": (0.95, 0.85),
    "time": (0.95, 0.95),
    "actor": (0.95, 0.90),
    "weapon": (0.95, 0.95),
    "organisation": (0.95, 0.95),
    "quotation": (0.95, 0.95),
}


def test_annotation_file_is_well_formed() -> None:
    document = json.loads((DATA / "annotated_paragraphs.json").read_text("utf-8"))
    paragraphs = document["paragraphs"]
    assert len(paragraphs) >= 20
    for paragraph in paragraphs:
        assert paragraph["source"]["url"].startswith("http")
        for item in paragraph["items"]:
            assert paragraph["text"][item["start"] : item["end"]] == item["text"]


@pytest.fixture(scope="module")
def scores() -> dict[str, TypeScore]:
    return evaluate_annotations(DATA / "annotated_paragraphs.json")


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_precision_and_recall_floors(scores: dict[str, TypeScore], kind: str) -> None:
    precision, recall = FLOORS[kind]
    score = scores[kind]
    assert score.precision >= precision, (kind, score.precision, score.false_alarms)
    assert score.recall >= recall, (kind, score.recall, score.misses)


def test_speakers_of_matched_quotations(scores: dict[str, TypeScore]) -> None:
    quotes = scores["quotation"]
    assert quotes.value_agreed == quotes.value_checked > 0
