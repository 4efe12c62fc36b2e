"""Constrained clustering of scored pairs with reviewer decisions (pure function)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from link_pairs import scored_pairs

from undercount.link import Clusters, ReviewDecision, cluster_pairs

RECORDS = pd.DataFrame(
    {
        "source": ["a", "a", "b", "b", "c", "c"],
        "record_id": ["1", "2", "1", "2", "1", "2"],
    }
)


def _groups(clusters: Clusters) -> set[frozenset[str]]:
    m = clusters.members
    keys = m["source"] + ":" + m["record_id"]
    return {frozenset(v) for v in keys.groupby(m["cluster_id"]).agg(list)}


WHEN = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
CHAIN = [
    ("a", "1", "b", "1", 0.99),
    ("b", "1", "c", "1", 0.95),
    ("a", "2", "b", "2", 0.6),
]


def test_connected_components_at_threshold() -> None:
    clusters = cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9)
    assert _groups(clusters) == {
        frozenset({"a:1", "b:1", "c:1"}),
        frozenset({"a:2"}),
        frozenset({"b:2"}),
        frozenset({"c:2"}),
    }
    assert len(clusters.members) == len(RECORDS)  # every record exactly once
    lower = cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.5)
    assert frozenset({"a:2", "b:2"}) in _groups(lower)


def test_cluster_ids_are_deterministic() -> None:
    first = cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9).members
    shuffled = cluster_pairs(RECORDS.iloc[::-1], scored_pairs(CHAIN[::-1]), 0.9).members
    pd.testing.assert_frame_equal(first, shuffled)
    assert first.loc[0, "cluster_id"] == 1


def test_same_decision_is_a_must_link() -> None:
    same = ReviewDecision.make(("a", "2"), ("c", "2"), "same", "rev", decided_at=WHEN)
    groups = _groups(cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9, [same]))
    assert frozenset({"a:2", "c:2"}) in groups


def test_different_decision_splits_a_chain_at_its_weakest_link() -> None:
    different = ReviewDecision.make(
        ("a", "1"), ("c", "1"), "different", "rev", decided_at=WHEN
    )
    clusters = cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9, [different])
    groups = _groups(clusters)
    # a:1-b:1 (0.99) is kept, b:1-c:1 (0.95) refused
    assert frozenset({"a:1", "b:1"}) in groups
    assert frozenset({"c:1"}) in groups


def test_latest_decision_wins_and_unsure_changes_nothing() -> None:
    first = ReviewDecision.make(
        ("a", "1"), ("b", "1"), "different", "x", decided_at=WHEN
    )
    later = ReviewDecision.make(
        ("b", "1"), ("a", "1"), "same", "y", decided_at=WHEN + dt.timedelta(days=1)
    )
    assert frozenset({"a:1", "b:1", "c:1"}) in _groups(
        cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9, [first, later])
    )
    unsure = ReviewDecision.make(("a", "2"), ("b", "2"), "unsure", "x", decided_at=WHEN)
    assert _groups(
        cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9, [unsure])
    ) == _groups(cluster_pairs(RECORDS, scored_pairs(CHAIN), 0.9))


def test_vetoed_pairs_never_link_and_can_block_chains() -> None:
    rows = [*CHAIN, ("a", "1", "c", "1", 0.97)]
    vetoed = [False, False, False, True]
    clusters = cluster_pairs(
        RECORDS, scored_pairs(rows, vetoed), 0.9, vetoed_cannot_link=True
    )
    groups = _groups(clusters)
    assert not any({"a:1", "c:1"} <= g for g in groups)
    # by default a vetoed pair (a mistyped given name) may join through b:1
    default = _groups(cluster_pairs(RECORDS, scored_pairs(rows, vetoed), 0.9))
    assert frozenset({"a:1", "b:1", "c:1"}) in default
    only_vetoed = _groups(cluster_pairs(RECORDS, scored_pairs(rows[3:], [True]), 0.9))
    assert frozenset({"a:1"}) in only_vetoed


def test_conflicting_decisions_are_reported() -> None:
    different = ReviewDecision.make(
        ("a", "1"), ("c", "1"), "different", "x", decided_at=WHEN
    )
    same = ReviewDecision.make(("a", "1"), ("b", "1"), "same", "x", decided_at=WHEN)
    same2 = ReviewDecision.make(("b", "1"), ("c", "1"), "same", "x", decided_at=WHEN)
    clusters = cluster_pairs(
        RECORDS, scored_pairs(CHAIN), 0.9, [different, same, same2]
    )
    assert clusters.conflicts == [(("b", "1"), ("c", "1"))]


def test_bad_threshold() -> None:
    from undercount.errors import UserInputError

    with pytest.raises(UserInputError, match="threshold"):
        cluster_pairs(RECORDS, scored_pairs(CHAIN), 1.5)


def test_two_records_of_one_list_need_a_direct_link() -> None:
    # b:1 (a vague record) links to a:1 and a:2, which are not linked to each other:
    # two namesakes of list a, not one person entered twice
    bridge = [("a", "1", "b", "1", 0.95), ("a", "2", "b", "1", 0.9)]
    clusters = cluster_pairs(RECORDS, scored_pairs(bridge), 0.8)
    groups = _groups(clusters)
    assert frozenset({"a:1", "b:1"}) in groups
    assert frozenset({"a:2"}) in groups
    chained = cluster_pairs(RECORDS, scored_pairs(bridge), 0.8, one_per_list=False)
    assert frozenset({"a:1", "a:2", "b:1"}) in _groups(chained)
    # a direct link between the two records of list a: one person written twice
    direct = cluster_pairs(
        RECORDS, scored_pairs([*bridge, ("a", "1", "a", "2", 0.85)]), 0.8
    )
    assert frozenset({"a:1", "a:2", "b:1"}) in _groups(direct)


def test_a_reviewer_can_join_two_records_of_one_list() -> None:
    bridge = [("a", "1", "b", "1", 0.95), ("a", "2", "b", "1", 0.9)]
    same = ReviewDecision.make(("a", "1"), ("a", "2"), "same", "rev", decided_at=WHEN)
    clusters = cluster_pairs(RECORDS, scored_pairs(bridge), 0.8, [same])
    assert frozenset({"a:1", "a:2", "b:1"}) in _groups(clusters)
