"""Review queue (optionally blind) and decision repositories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from undercount.errors import UserInputError
from undercount.link import (
    DecisionRepository,
    InMemoryDecisionRepository,
    JsonFileDecisionRepository,
    ReviewDecision,
    Verdict,
    latest_decisions,
    review_queue,
)

PAIRS = pd.DataFrame(
    {
        "source_l": ["a", "a", "a", "b"],
        "record_id_l": ["1", "2", "3", "4"],
        "source_r": ["b", "b", "b", "c"],
        "record_id_r": ["1", "2", "3", "4"],
        "match_weight": [9.0, 0.5, -2.0, 12.0],
        "match_probability": [0.998, 0.6, 0.2, 0.999],
        "gamma_given_name": [4, 3, 1, 0],
        "blocking_rule": ["r", "r", "r", "r"],
        "vetoed": [False, False, False, True],
    }
)
WHEN = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def test_queue_holds_the_band_and_strong_vetoed_pairs() -> None:
    queue = review_queue(PAIRS, (0.5, 0.95))
    assert list(queue["record_id_l"]) == ["2", "4"]  # most uncertain first


def test_decided_pairs_leave_the_queue() -> None:
    done = ReviewDecision.make(
        ("b", "2"), ("a", "2"), "different", "amira", decided_at=WHEN
    )
    queue = review_queue(PAIRS, (0.5, 0.95), decisions=[done])
    assert list(queue["record_id_l"]) == ["4"]


def test_blind_queue_hides_scores() -> None:
    queue = review_queue(PAIRS, (0.0, 1.0), blind=True, seed=1)
    assert not {"match_probability", "match_weight", "gamma_given_name"} & set(
        queue.columns
    )
    assert len(queue) == 4


@pytest.mark.parametrize("repo_kind", ["memory", "file"])
def test_repositories_keep_every_decision(repo_kind: str, tmp_path: Path) -> None:
    repo: DecisionRepository = (
        InMemoryDecisionRepository()
        if repo_kind == "memory"
        else JsonFileDecisionRepository(tmp_path / "decisions.jsonl")
    )
    first = ReviewDecision.make(
        ("a", "1"), ("b", "1"), "same", "amira", note="same father", decided_at=WHEN
    )
    second = ReviewDecision.make(
        ("b", "1"),
        ("a", "1"),
        Verdict.DIFFERENT,
        "omar",
        decided_at=WHEN + dt.timedelta(hours=1),
    )
    repo.add(first)
    repo.add(second)
    stored = repo.all()
    assert stored == [first, second]  # nothing overwritten
    latest = latest_decisions(stored)
    assert list(latest.values()) == [second]


def test_decision_validation() -> None:
    with pytest.raises(UserInputError, match="verdict"):
        ReviewDecision.make(("a", "1"), ("b", "1"), "maybe", "x")
    with pytest.raises(UserInputError, match="reviewer"):
        ReviewDecision.make(("a", "1"), ("b", "1"), "same", " ")
    with pytest.raises(UserInputError, match="two records"):
        ReviewDecision.make(("a", "1"), ("a", "1"), "same", "x")
