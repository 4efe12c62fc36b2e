"""The capture-prior pass that joins people the pairwise threshold left apart, and
the whole-cluster rule for two records of one list."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from link_pairs import scored_pairs

from undercount.link import Clusters, ReviewDecision, cluster_pairs
from undercount.link._joining import (
    join_candidates,
    settle_candidates,
    unseen_lower_bound,
)

PRIOR = 1e-3
"""The linkage model's chance that two random records match, in these tests."""
WHEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _scene(
    extra: list[tuple[str, str, str, str, float]],
    records: list[tuple[str, str]],
    vetoed: list[bool] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Twenty people seen by lists a and b (so that few people went unseen:
    Chao's M is small) plus the ``records`` and ``extra`` pairs under test."""
    filler = [("a", f"f{i}", "b", f"f{i}", 0.999) for i in range(20)]
    keys = [(s, f"f{i}") for i in range(20) for s in ("a", "b")] + records
    frame = pd.DataFrame(keys, columns=["source", "record_id"])
    flags = [False] * len(filler) + (vetoed or [False] * len(extra))
    return frame, scored_pairs(filler + extra, flags)


def _together(clusters: Clusters, *keys: str) -> bool:
    m = clusters.members
    ids = {
        int(c)
        for s, r, c in zip(m["source"], m["record_id"], m["cluster_id"], strict=True)
        if f"{s}:{r}" in keys
    }
    return len(ids) == 1


def test_a_weak_pair_with_no_rival_joins_under_the_capture_prior() -> None:
    # 0.3 by the pairwise prior; with almost nobody unseen, the lone candidate is
    # far more likely this person than a new one
    records, pairs = _scene([("a", "x", "c", "y", 0.3)], [("a", "x"), ("c", "y")])
    plain = cluster_pairs(records, pairs, 0.5)
    joined = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    assert not _together(plain, "a:x", "c:y")
    assert _together(joined, "a:x", "c:y")
    assert plain.unseen is None
    assert joined.unseen is not None and joined.unseen < 1
    edge = joined.edges[joined.edges["reason"] == "capture prior"]
    assert len(edge) == 1 and edge["match_probability"].iloc[0] > 0.99


def test_many_unseen_people_keep_a_weak_pair_apart() -> None:
    # 22 people seen once and none twice: Chao's M is 231, and a pair at 0.1 is
    # not more likely one person than not (with M below 1 it would be)
    records = pd.DataFrame(
        [("a", f"s{i}") for i in range(20)] + [("a", "x"), ("c", "y")],
        columns=["source", "record_id"],
    )
    pairs = scored_pairs([("a", "x", "c", "y", 0.1)])
    clusters = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    assert clusters.unseen == pytest.approx(22 * 21 / 2)
    assert not _together(clusters, "a:x", "c:y")
    records, pairs = _scene([("a", "x", "c", "y", 0.1)], [("a", "x"), ("c", "y")])
    assert _together(
        cluster_pairs(records, pairs, 0.5, match_prior=PRIOR), "a:x", "c:y"
    )


def test_two_equal_rivals_share_the_probability_and_neither_joins() -> None:
    records, pairs = _scene(
        [("a", "x", "c", "y", 0.3), ("a", "x", "d", "z", 0.3)],
        [("a", "x"), ("c", "y"), ("d", "z")],
    )
    clusters = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    assert not _together(clusters, "a:x", "c:y")
    assert not _together(clusters, "a:x", "d:z")


def test_a_join_never_puts_two_records_of_one_list_together() -> None:
    records, pairs = _scene([("a", "x", "a", "y", 0.3)], [("a", "x"), ("a", "y")])
    clusters = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    assert not _together(clusters, "a:x", "a:y")


def test_a_vetoed_pair_or_a_reviewer_keeps_two_people_apart() -> None:
    records, pairs = _scene(
        [("a", "x", "c", "y", 0.3), ("a", "x", "c", "y", 0.3)],
        [("a", "x"), ("c", "y")],
        vetoed=[False, True],
    )
    assert not _together(
        cluster_pairs(records, pairs, 0.5, match_prior=PRIOR), "a:x", "c:y"
    )
    records, pairs = _scene([("a", "x", "c", "y", 0.3)], [("a", "x"), ("c", "y")])
    different = ReviewDecision.make(
        ("a", "x"), ("c", "y"), "different", "r", decided_at=WHEN
    )
    clusters = cluster_pairs(records, pairs, 0.5, [different], match_prior=PRIOR)
    assert not _together(clusters, "a:x", "c:y")


def test_the_evidence_is_the_mean_over_every_pair_across_two_people() -> None:
    # c:y agrees strongly with b:p but was never compared with a:p (same person p):
    # the unscored pair counts as 0.01, so the mean is lower than the best pair
    labels = np.array([0, 0, 1], dtype=np.int64)
    codes = np.array([0, 1, 2], dtype=np.int64)
    a = np.array([1], dtype=np.int64)
    b = np.array([2], dtype=np.int64)
    strong = math.log2(0.9 / 0.1)
    candidates = join_candidates(
        labels,
        codes,
        (a, b, np.array([strong])),
        (np.array([], dtype=np.int64), np.array([], dtype=np.int64)),
        match_prior=PRIOR,
    )
    mean = (strong + math.log2(0.01 / 0.99)) / 2
    unseen = unseen_lower_bound(labels, codes)
    x = 2 ** (mean - math.log2(PRIOR / (1 - PRIOR)) - math.log2(unseen + 1))
    assert candidates.frame["posterior"].iloc[0] == pytest.approx(x / (1 + x))


def test_drawn_joins_follow_their_probability_and_repeat_with_the_seed() -> None:
    # a posterior just under one half (not joined at the threshold, so M stays):
    # joined in about that share of the draws
    records = pd.DataFrame(
        [("a", f"s{i}") for i in range(3)] + [("a", "x"), ("c", "y")],
        columns=["source", "record_id"],
    )
    pairs = scored_pairs([("a", "x", "c", "y", 0.009)])
    threshold = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    posterior = _candidate_posterior(records, pairs)
    assert 0.3 < posterior < 0.7
    joined = _drawn_joins(records, pairs)
    share = sum(joined) / len(joined)
    assert abs(share - posterior) < 0.12
    assert _drawn_joins(records, pairs) == joined
    assert _together(threshold, "a:x", "c:y") is (posterior >= 0.5)


def _drawn_joins(records: pd.DataFrame, pairs: pd.DataFrame) -> list[bool]:
    """Whether a:x and c:y are one person in each of 200 seeded draws."""
    return [
        _together(
            cluster_pairs(
                records,
                pairs,
                0.5,
                match_prior=PRIOR,
                draw=np.random.default_rng([7, i]),
            ),
            "a:x",
            "c:y",
        )
        for i in range(200)
    ]


def _candidate_posterior(records: pd.DataFrame, pairs: pd.DataFrame) -> float:
    keys = sorted(zip(records["source"], records["record_id"], strict=True))
    index = {k: i for i, k in enumerate(keys)}
    labels = np.arange(len(keys), dtype=np.int64)
    codes = pd.Series([k[0] for k in keys]).astype("category").cat.codes.to_numpy()
    a = np.array(
        [
            index[(s, r)]
            for s, r in zip(pairs["source_l"], pairs["record_id_l"], strict=True)
        ]
    )
    b = np.array(
        [
            index[(s, r)]
            for s, r in zip(pairs["source_r"], pairs["record_id_r"], strict=True)
        ]
    )
    candidates = settle_candidates(
        labels,
        codes.astype(np.int64),
        (a, b, pairs["match_weight"].to_numpy(dtype=float)),
        (np.array([], dtype=np.int64), np.array([], dtype=np.int64)),
        match_prior=PRIOR,
        threshold=0.5,
    )
    return float(candidates.frame["posterior"].iloc[0])


# -- two records of one list ------------------------------------------------------


def _duplicate_scene(own: float, vetoed: bool = False) -> Clusters:
    records = pd.DataFrame(
        [("a", "1"), ("a", "2"), ("b", "1")], columns=["source", "record_id"]
    )
    pairs = scored_pairs(
        [
            ("a", "1", "b", "1", 0.999),
            ("a", "2", "b", "1", 0.99),
            ("a", "1", "a", "2", own),
        ],
        [False, False, vetoed],
    )
    return cluster_pairs(records, pairs, 0.5)


def test_a_list_may_hold_one_person_twice_when_the_clusters_agree_as_wholes() -> None:
    # two press reports of one death: each agrees strongly with the hospital's
    # record, their own pair (different name parts, same list) scores 0.05
    assert _together(_duplicate_scene(0.05), "a:1", "a:2", "b:1")


def test_a_disagreeing_or_vetoed_pair_of_one_list_stays_apart() -> None:
    # two namesakes bridged by one record: their own pair disagrees (0.0005)
    assert not _together(_duplicate_scene(0.0005), "a:1", "a:2")
    assert not _together(_duplicate_scene(0.05, vetoed=True), "a:1", "a:2")


def test_pairs_with_any_index_give_the_same_clusters_and_edges() -> None:
    # the service and the pipeline hand over filtered frames: the pairs' index is
    # not 0..n-1, and the edges must still be the pairs that made the clusters
    records, pairs = _scene([("a", "x", "c", "y", 0.3)], [("a", "x"), ("c", "y")])
    shuffled = pairs.set_axis(range(1000, 1000 + 2 * len(pairs), 2))
    plain = cluster_pairs(records, pairs, 0.5, match_prior=PRIOR)
    other = cluster_pairs(records, shuffled, 0.5, match_prior=PRIOR)
    assert plain.members.equals(other.members)
    columns = ["source_l", "record_id_l", "source_r", "record_id_r", "reason"]
    assert (
        plain.edges[columns]
        .reset_index(drop=True)
        .equals(other.edges[columns].reset_index(drop=True))
    )
