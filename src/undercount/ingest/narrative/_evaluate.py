"""Score extraction against hand-annotated paragraphs (precision and recall).

The annotation file (``tests/data/narrative/annotated_paragraphs.json``) holds
paragraphs with gold items: ``type``, ``start``/``end``/``text`` and normalised
values (``low``/``high`` for casualties, ``place_id``, ``speaker``...). A
predicted mention *matches* a gold item of the same type when their spans
overlap; matching is one-to-one, greedy by largest overlap. Precision is matched
predictions over predictions, recall matched gold items over gold items. For
matched pairs, value agreement is reported separately: the casualty interval,
the gazetteer id, the quotation's speaker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from undercount.ingest.narrative._extract import extract_text

TYPES = ("casualty", "place", "time", "actor", "weapon", "organisation", "quotation")


@dataclass
class TypeScore:
    """Counts for one item type."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    value_checked: int = 0
    value_agreed: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matched predictions / predictions (1.0 when nothing was predicted)."""
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Matched gold items / gold items (1.0 when there is no gold item)."""
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _value_agrees(kind: str, gold: dict[str, Any], pred: Any) -> bool | None:
    if kind == "casualty":
        return bool(gold["low"] == pred.low and gold["high"] == pred.high)
    if kind == "place" and gold.get("place_id"):
        return bool(gold["place_id"] == pred.place_id)
    if kind == "quotation":
        speaker = pred.speaker or ""
        return bool(fuzz.partial_ratio(gold["speaker"].lower(), speaker.lower()) >= 85)
    return None


def score_paragraph(paragraph: dict[str, Any], scores: dict[str, TypeScore]) -> None:
    """Add one annotated paragraph's counts to ``scores``."""
    result = extract_text(paragraph["text"], report_date=paragraph.get("report_date"))
    if result.text != paragraph["text"]:
        raise ValueError(f"paragraph {paragraph['id']!r} is not in normalised form")
    for kind in TYPES:
        score = scores[kind]
        gold = [g for g in paragraph["items"] if g["type"] == kind]
        preds = result.of_kind(kind)
        score.gold += len(gold)
        score.predicted += len(preds)
        pairs = sorted(
            (
                (_overlap((g["start"], g["end"]), (p.start, p.end)), gi, pi)
                for gi, g in enumerate(gold)
                for pi, p in enumerate(preds)
            ),
            reverse=True,
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for size, gi, pi in pairs:
            if size <= 0 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            score.matched += 1
            agreed = _value_agrees(kind, gold[gi], preds[pi])
            if agreed is not None:
                score.value_checked += 1
                score.value_agreed += int(agreed)
        score.misses += [
            f"{paragraph['id']}: {g['text']!r}"
            for gi, g in enumerate(gold)
            if gi not in used_g
        ]
        score.false_alarms += [
            f"{paragraph['id']}: {p.text!r}"
            for pi, p in enumerate(preds)
            if pi not in used_p
        ]


def evaluate_annotations(path: str | Path) -> dict[str, TypeScore]:
    """Score the extractor on an annotation file; one :class:`TypeScore` per type."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    scores = {kind: TypeScore() for kind in TYPES}
    for paragraph in document["paragraphs"]:
        score_paragraph(paragraph, scores)
    return scores
