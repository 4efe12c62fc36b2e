"""Clusters of records (people) from scored pairs, honouring reviewer decisions.

Without decisions this is connected components of the pairs at or above the
threshold (what Splink does). With decisions it is constrained single linkage:
must-links (*same*) are merged first, then scored pairs from the strongest match
weight down; a merge is refused when it would put two records a reviewer called
*different* into one cluster. The result is deterministic: cluster ids are numbered
by each cluster's smallest ``(source, record_id)``.

Two records of one list end up in one cluster only when their own pair scores
near the threshold: a vague record (a two-part media name) that links to two
namesakes of one list must not chain them into one person (see ``one_per_list``).

Connected components are computed first; only the components that would join a
cannot-link pair are re-done with constrained single linkage, so the common case is
as fast as plain connected components. This is a pure function of (records, pairs,
threshold, decisions): no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from undercount.errors import UserInputError
from undercount.link._joining import join_clusters, sample_joins, settle_candidates
from undercount.link._one_per_list import (
    DUPLICATE_FLOOR,
    OnePerList,
    list_constraint,
    logit2,
    weights_inside,
)
from undercount.link._review import (
    PairKey,
    RecordKey,
    ReviewDecision,
    Verdict,
    latest_decisions,
    pair_key,
)


@dataclass
class Clusters:
    """Records grouped into people.

    Attributes
    ----------
    members
        One row per record: ``source``, ``record_id``, ``cluster_id`` (int from 1),
        ``cluster_size``.
    edges
        The links that made the clusters: ``source_l``, ``record_id_l``,
        ``source_r``, ``record_id_r``, ``match_weight``, ``match_probability`` and
        ``reason`` (``score`` or ``reviewer``).
    threshold
        Match probability used.
    conflicts
        Reviewer *same* decisions that could not be honoured because they contradict
        a *different* decision (pair keys).
    unseen
        The estimate of people no list saw behind the capture-prior pass (``None``
        when the pass did not run).
    """

    members: pd.DataFrame
    edges: pd.DataFrame
    threshold: float
    conflicts: list[PairKey] = field(default_factory=list)
    unseen: float | None = None

    @property
    def n_clusters(self) -> int:
        """Number of distinct people found."""
        return int(self.members["cluster_id"].nunique())

    def sizes(self) -> pd.Series:
        """How many clusters have each size (index: size)."""
        per_cluster = self.members.groupby("cluster_id").size()
        return per_cluster.value_counts().sort_index()

    def duplicates_per_list(self) -> dict[str, int]:
        """Per list, records that share a cluster with another record of that list."""
        counts = self.members.groupby(["cluster_id", "source"]).size()
        extra = (counts - 1).groupby(level="source").sum()
        return {str(k): int(v) for k, v in extra.items()}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = int(parent[root])
        while parent[i] != root:
            parent[i], i = root, int(parent[i])
        return root


def _record_index(
    records: pd.DataFrame,
) -> tuple[list[RecordKey], dict[RecordKey, int]]:
    keys = sorted(
        zip(
            records["source"].astype(str), records["record_id"].astype(str), strict=True
        )
    )
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != len(keys):
        raise UserInputError("records: (source, record_id) must be unique")
    return keys, index


def _list_codes(keys: list[RecordKey]) -> npt.NDArray[np.int64]:
    """Each record's list as a small integer."""
    sources = pd.Series([k[0] for k in keys]).astype("category")
    return sources.cat.codes.to_numpy().astype(np.int64)


def _edge_indices(
    pairs: pd.DataFrame, index: dict[RecordKey, int]
) -> tuple[np.ndarray, np.ndarray]:
    left = [
        index.get(k, -1)
        for k in zip(pairs["source_l"], pairs["record_id_l"], strict=True)
    ]
    right = [
        index.get(k, -1)
        for k in zip(pairs["source_r"], pairs["record_id_r"], strict=True)
    ]
    a, b = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    if (a < 0).any() or (b < 0).any():
        raise UserInputError(
            "pairs: a pair names a record that is not among the records"
        )
    return a, b


def _constrained(
    labels: npt.NDArray[np.int64],
    violated: set[int],
    edges: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    must: list[ReviewDecision],
    cannot_pairs: list[tuple[int, int]],
    index: dict[RecordKey, int],
    used: npt.NDArray[np.bool_],
    lists: OnePerList | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], list[PairKey]]:
    """Constrained single linkage inside the components that break a cannot-link.

    Must-links first, then edges by decreasing match weight; a merge that would join
    two records under a cannot-link is refused. With ``lists``, a scored merge that
    would put two records of one list into one cluster is also refused unless
    :meth:`OnePerList.allows` it (see ``one_per_list`` in :func:`cluster_pairs`).
    Other components are untouched.
    """
    a, b, weights = edges
    n = labels.size
    uf = _UnionFind(n)
    # forbidden[root] = roots it must never join; kept in terms of current roots
    # (every merge rewrites the references), so a check is one set lookup.
    forbidden: dict[int, set[int]] = {}
    for i, j in cannot_pairs:
        if labels[i] in violated and i != j:
            forbidden.setdefault(i, set()).add(j)
            forbidden.setdefault(j, set()).add(i)
    # by_list[root] = {list code: records of that list in the cluster} (created on
    # first use: a record alone is its own root)
    by_list: dict[int, dict[int, list[int]]] = {}

    def members(root: int) -> dict[int, list[int]]:
        found = by_list.get(root)
        if found is None:
            assert lists is not None
            found = {int(lists.codes[root]): [root]}
            by_list[root] = found
        return found

    def lists_allow(ri: int, rj: int) -> bool:
        assert lists is not None
        return lists.allows(members(ri), members(rj))

    def merge(i: int, j: int, *, check_lists: bool = True) -> bool:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return True
        if rj in forbidden.get(ri, ()):
            return False
        if lists is not None and check_lists and not lists_allow(ri, rj):
            return False
        if len(forbidden.get(ri, ())) < len(forbidden.get(rj, ())):
            ri, rj = rj, ri
        uf.parent[rj] = ri
        if lists is not None:
            mine = members(ri)
            for code, records in members(rj).items():
                mine.setdefault(code, []).extend(records)
            by_list.pop(rj, None)
        moved = forbidden.pop(rj, set())
        if moved:
            mine_forbidden = forbidden.setdefault(ri, set())
            mine_forbidden.update(moved)
            for other in moved:
                theirs = forbidden[other]
                theirs.discard(rj)
                theirs.add(ri)
        return True

    conflicts: list[PairKey] = []
    for d in must:
        i, j = index[d.left], index[d.right]
        if labels[i] in violated and not merge(i, j, check_lists=False):
            conflicts.append(d.key)
    inside = np.flatnonzero(np.isin(labels[a], list(violated)))
    used = used.copy()
    for e in inside[np.argsort(-weights[inside], kind="stable")]:
        used[e] = merge(int(a[e]), int(b[e]))
    new_labels = labels.copy()
    members_all = np.flatnonzero(np.isin(labels, list(violated)))
    offset = int(labels.max()) + 1
    for member in members_all.tolist():
        new_labels[member] = offset + uf.find(member)
    return new_labels, used, conflicts


def cluster_pairs(
    records: pd.DataFrame,
    pairs: pd.DataFrame,
    threshold: float,
    decisions: Sequence[ReviewDecision] | Iterable[ReviewDecision] = (),
    *,
    vetoed_cannot_link: bool = False,
    one_per_list: bool = True,
    match_prior: float | None = None,
    draw: np.random.Generator | None = None,
) -> Clusters:
    """Cluster ``records`` (``source``, ``record_id``) from scored ``pairs``.

    Parameters
    ----------
    records
        Every record to place (records with no link become clusters of one).
    pairs
        ``source_l``, ``record_id_l``, ``source_r``, ``record_id_r``,
        ``match_weight``, ``match_probability`` and optionally ``vetoed`` (pairs
        never linked by score alone).
    threshold
        Pairs with ``match_probability >= threshold`` are links.
    decisions
        Reviewer decisions; the latest per pair is applied (see module docstring).
    vetoed_cannot_link
        Treat pairs marked ``vetoed`` (given names clearly different) as
        cannot-links too; a reviewer's decision on such a pair wins. Off by
        default: a vetoed pair is never linked by its own score, but may join
        through a third record. The chaining this guarded against (two siblings
        joined through one vague record) needs two records of one list in one
        cluster, which ``one_per_list`` already refuses; as cannot-links, vetoes
        mostly split one person whose given name was mistyped in one list (on the
        simulated Mosul lists: pairwise F1 0.948 with, 0.952 without, precision
        0.977 both).
    one_per_list
        Two records of one list may share a cluster only when their own pair
        scores at least ``DUPLICATE_FLOOR`` times the threshold (or a reviewer
        joined them): a list rarely enters a person twice, so two of its records
        joined only through records of other lists are far more often two
        namesakes bridged by a vague record (a two-part media name) than one
        person written twice. Otherwise the two clusters must agree as wholes
        (see :class:`undercount.link._one_per_list.OnePerList`).
    match_prior
        The linkage model's probability that two random records match (Splink's
        ``probability_two_random_records_match``). When given, a second pass
        joins people the threshold left apart whose posterior under the
        capture-model prior reaches the threshold (see
        :mod:`undercount.link._joining`; needs ``one_per_list``).
    draw
        With ``match_prior``: the second pass draws each candidate join with its
        posterior probability instead of thresholding it, giving one imputation
        of the linkage (see :func:`undercount.captures.imputed_capture_tables`).
    """
    if not 0.0 <= threshold <= 1.0:
        raise UserInputError(
            f"threshold must be a probability in [0, 1], got {threshold!r}"
        )
    keys, index = _record_index(records)
    n = len(keys)
    in_force = [
        d
        for d in latest_decisions(decisions).values()
        if d.left in index and d.right in index
    ]
    must = [d for d in in_force if d.verdict is Verdict.SAME]
    decided = {d.key for d in in_force}
    cannot_pairs = [
        (index[d.left], index[d.right])
        for d in in_force
        if d.verdict is Verdict.DIFFERENT
    ]
    pa, pb = _edge_indices(pairs, index)
    probability = pairs["match_probability"].to_numpy(dtype=float)
    all_weights = pairs["match_weight"].to_numpy(dtype=float)
    vetoed = (
        pairs["vetoed"].astype(bool).to_numpy()
        if "vetoed" in pairs.columns
        else np.zeros(len(pairs), dtype=bool)
    )
    linkable = (probability >= threshold) & ~vetoed
    if vetoed_cannot_link:
        cannot_pairs += [
            (int(i), int(j))
            for i, j in zip(pa[vetoed], pb[vetoed], strict=True)
            if pair_key(keys[i], keys[j]) not in decided
        ]
    a, b, weights = pa[linkable], pb[linkable], all_weights[linkable]
    ma = np.array([index[d.left] for d in must], dtype=np.int64)
    mb = np.array([index[d.right] for d in must], dtype=np.int64)
    rows, cols = np.concatenate([a, ma]), np.concatenate([b, mb])
    graph = coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    labels = components.astype(np.int64)
    used = np.ones(a.size, dtype=bool)
    conflicts: list[PairKey] = []
    violated = {int(labels[i]) for i, j in cannot_pairs if labels[i] == labels[j]}
    lists: OnePerList | None = None
    codes = _list_codes(keys)
    if one_per_list:
        same_list = codes[pa] == codes[pb]
        near = (probability >= DUPLICATE_FLOOR * threshold) & same_list & ~vetoed
        shared, allowed = list_constraint(
            labels,
            codes,
            (pa[near], pb[near]),
            list(zip(ma.tolist(), mb.tolist(), strict=True)),
        )
        violated |= shared
        lists = OnePerList(
            codes,
            allowed,
            weights_inside((pa, pb), all_weights, vetoed, labels, shared),
            logit2(threshold),
        )
    if violated:
        labels, used, conflicts = _constrained(
            labels, violated, (a, b, weights), must, cannot_pairs, index, used, lists
        )
    joined: list[tuple[int, float]] = []
    unseen: float | None = None
    if match_prior is not None and one_per_list:
        apart = np.array(cannot_pairs, dtype=np.int64).reshape(-1, 2)
        open_pairs = np.flatnonzero(~vetoed)
        candidates = settle_candidates(
            labels,
            codes,
            (pa[open_pairs], pb[open_pairs], all_weights[open_pairs]),
            (
                np.concatenate([pa[vetoed], apart[:, 0]]),
                np.concatenate([pb[vetoed], apart[:, 1]]),
            ),
            match_prior=match_prior,
            threshold=threshold,
        )
        joins = (
            join_clusters(labels, candidates, threshold)
            if draw is None
            else sample_joins(labels, candidates, draw)
        )
        labels, unseen = joins.labels, candidates.unseen
        joined = [(int(open_pairs[i]), p) for i, p in joins.edges]
    # number clusters by their smallest member (keys are sorted, so first occurrence)
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    renumber = np.empty(order.size, dtype=np.int64)
    renumber[order] = np.arange(1, order.size + 1)
    _, inverse = np.unique(labels, return_inverse=True)
    cluster_id = renumber[inverse]
    members = pd.DataFrame(
        {
            "source": [k[0] for k in keys],
            "record_id": [k[1] for k in keys],
            "cluster_id": cluster_id,
        }
    )
    members["cluster_size"] = members.groupby("cluster_id")["record_id"].transform(
        "size"
    )
    edge_columns = [
        "source_l",
        "record_id_l",
        "source_r",
        "record_id_r",
        "match_weight",
        "match_probability",
    ]
    score_edges = pairs.iloc[np.flatnonzero(linkable)[used]][edge_columns].assign(
        reason="score"
    )
    if joined:
        join_edges = pairs.iloc[[i for i, _ in joined]][edge_columns].assign(
            match_probability=[p for _, p in joined], reason="capture prior"
        )
        score_edges = pd.concat([score_edges, join_edges])
    review_edges = pd.DataFrame(
        [
            {
                "source_l": d.key[0][0],
                "record_id_l": d.key[0][1],
                "source_r": d.key[1][0],
                "record_id_r": d.key[1][1],
                "match_weight": np.inf,
                "match_probability": 1.0,
                "reason": "reviewer",
            }
            for d in must
            if d.key not in set(conflicts)
        ],
        columns=[*score_edges.columns],
    )
    edges = (
        pd.concat([score_edges, review_edges], ignore_index=True)
        if len(review_edges)
        else score_edges.reset_index(drop=True)
    )
    return Clusters(
        members=members,
        edges=edges,
        threshold=threshold,
        conflicts=conflicts,
        unseen=unseen,
    )
