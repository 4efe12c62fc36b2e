"""Matching reports across sources into incident clusters.

:func:`match_incidents` runs: column arrays (:mod:`._prepare`) -> candidate
pairs (:mod:`._blocking`) -> points per feature (:mod:`._scoring`) -> clusters.
Clustering is greedy single-link over accepted pairs, strongest first, under
constraints: a reviewer's must-links are applied first; a merge that would put
two reports of one source together (when sources report each event once) or
two reports a reviewer separated (cannot-link) is refused and kept, with its
reason, in :attr:`MatchResult.blocked`. So every cluster can say why its members
are together, and every refused merge why it was refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from undercount.errors import UserInputError
from undercount.incidents._blocking import candidate_pairs
from undercount.incidents._clusters import IncidentCluster, Link, cluster_id_for
from undercount.incidents._decisions import (
    DecisionState,
    ReviewDecision,
    resolve_decisions,
)
from undercount.incidents._linking import Components, link_pairs
from undercount.incidents._prepare import Prepared, prepare
from undercount.incidents._record import IncidentRecord
from undercount.incidents._scoring import explain_pair, score_pairs
from undercount.incidents._settings import MatchSettings
from undercount.incidents._vocab import Vocabulary

__all__ = ["MatchResult", "match_incidents"]


@dataclass(frozen=True)
class MatchResult:
    """Clusters of reports, with the evidence for each merge and refusal.

    Attributes
    ----------
    clusters
        Every report in exactly one cluster (singletons included), largest first.
    links
        Accepted links (automatic and reviewer).
    blocked
        Pairs that scored above the threshold (or a reviewer linked) but were
        not merged, with the constraint that refused them.
    n_candidates
        Candidate pairs scored.
    decisions
        The reviewer decisions in force.
    settings
        The settings used.
    seconds
        Time per stage.
    """

    clusters: tuple[IncidentCluster, ...]
    links: tuple[Link, ...]
    blocked: tuple[Link, ...]
    n_candidates: int
    decisions: DecisionState
    settings: MatchSettings
    seconds: dict[str, float] = field(default_factory=dict)
    _prepared: Prepared | None = field(default=None, repr=False, compare=False)

    def cluster_of(self, key: str) -> IncidentCluster:
        """The cluster holding report ``key``."""
        for cluster in self.clusters:
            if key in cluster.keys:
                return cluster
        raise UserInputError(f"no report {key!r} in this match; check the key")

    def explain(self, key_a: str, key_b: str) -> dict[str, Any]:
        """Why ``key_a`` and ``key_b`` are, or are not, in one cluster: their link
        if any, else their points (computed now) and whether they were candidates."""
        a, b = sorted((key_a, key_b))
        same = self.cluster_of(a).cluster_id == self.cluster_of(b).cluster_id
        for link in (*self.links, *self.blocked):
            if (link.key_a, link.key_b) == (a, b):
                return {"same_cluster": same, "link": link.to_dict()}
        prep = self._prepared
        if prep is None:
            raise UserInputError("this result cannot explain pairs (no arrays kept)")
        index = {r.key: k for k, r in enumerate(prep.records)}
        i = np.array([index[a]], dtype=np.int64)
        j = np.array([index[b]], dtype=np.int64)
        scores = score_pairs(prep, i, j, self.settings)
        ci, cj = candidate_pairs_of(prep, self.settings, index[a], index[b])
        return {
            "same_cluster": same,
            "candidates": ci,
            "why_not_candidates": cj,
            "score": float(scores.total[0]),
            "threshold": self.settings.threshold,
            "reasons": explain_pair(scores, 0, prep),
        }

    def summary(self) -> dict[str, Any]:
        """Counts for printing."""
        sizes = [len(c.records) for c in self.clusters]
        return {
            "reports": sum(sizes),
            "clusters": len(self.clusters),
            "multi_source_clusters": sum(
                1 for c in self.clusters if len(c.sources) > 1
            ),
            "candidate_pairs": self.n_candidates,
            "links": len(self.links),
            "blocked": len(self.blocked),
            "largest_cluster": max(sizes, default=0),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def candidate_pairs_of(
    prep: Prepared, settings: MatchSettings, a: int, b: int
) -> tuple[bool, str | None]:
    """Whether records ``a`` and ``b`` pass the candidate checks, and why not."""
    w = settings.date_window_days
    if prep.first[a] >= 0 and prep.first[b] >= 0:
        gap = max(prep.first[b] - prep.last[a], prep.first[a] - prep.last[b])
        if gap > w:
            return False, f"date windows {gap} days apart (window {w} days)"
    if settings.one_record_per_source and prep.source[a] == prep.source[b]:
        return False, "same source (one report per event and source)"
    if not np.isnan(prep.lat[a]) and not np.isnan(prep.lat[b]):
        from undercount.incidents._prepare import haversine_km

        d = float(
            haversine_km(
                prep.lat[a : a + 1],
                prep.lon[a : a + 1],
                prep.lat[b : b + 1],
                prep.lon[b : b + 1],
            )[0]
        )
        tol = prep.radius[a] + prep.radius[b] + settings.distance_slack_km
        same_place = prep.place[a] >= 0 and prep.place[a] == prep.place[b]
        if d > tol and not same_place:
            return False, f"{d:.1f} km apart, beyond the {tol:.1f} km allowed"
    return True, None


def match_incidents(
    records: Sequence[IncidentRecord],
    settings: MatchSettings | None = None,
    decisions: Iterable[ReviewDecision] = (),
) -> MatchResult:
    """Cluster reports of the same events across sources.

    Parameters
    ----------
    records
        Reports from any number of sources (keys ``source:incident_id`` unique).
    settings
        Windows, radii, weights and threshold (defaults: :class:`MatchSettings`).
    decisions
        Reviewer decisions (must-link / cannot-link / revoke; discounts are used
        by grading, not here).

    Returns
    -------
    MatchResult

    Raises
    ------
    UserInputError
        When two reports share a key, or a decision names an unknown report.
    """
    settings = settings or MatchSettings()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    index: dict[str, int] = {}
    for k, record in enumerate(records):
        if record.key in index:
            raise UserInputError(
                f"two reports have the key {record.key!r}; incident ids must be "
                "unique within a source"
            )
        index[record.key] = k
    state = resolve_decisions(decisions)
    for pair in (*state.must_link, *state.cannot_link):
        for key in pair:
            if key not in index:
                raise UserInputError(
                    f"a decision names report {key!r}, which is not among the "
                    "reports being matched; revoke it or import that report"
                )
    vocab = Vocabulary(settings.belligerent_aliases, settings.weapon_aliases)
    prep = prepare(records, settings, vocab)
    timings["prepare"] = time.perf_counter() - started
    t0 = time.perf_counter()
    ci, cj = candidate_pairs(prep, settings)
    timings["candidates"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = score_pairs(prep, ci, cj, settings)
    timings["score"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    comps, accepted, blocked = link_pairs(
        records, prep, ci, cj, scores, settings, state, index
    )
    clusters = _build_clusters(records, comps, accepted, vocab)
    timings["cluster"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    return MatchResult(
        clusters,
        tuple(accepted),
        tuple(blocked),
        len(ci),
        state,
        settings,
        timings,
        prep,
    )


def _build_clusters(
    records: Sequence[IncidentRecord],
    comps: Components,
    links: list[Link],
    vocab: Vocabulary,
) -> tuple[IncidentCluster, ...]:
    by_root: dict[int, list[int]] = {}
    for i in range(len(records)):
        by_root.setdefault(comps.find(i), []).append(i)
    root_of_key = {records[i].key: comps.find(i) for i in range(len(records))}
    links_by_root: dict[int, list[Link]] = {}
    for link in links:
        links_by_root.setdefault(root_of_key[link.key_a], []).append(link)
    clusters = []
    for root, members in by_root.items():
        recs = tuple(sorted((records[i] for i in members), key=lambda r: r.key))
        keys = [r.key for r in recs]
        clusters.append(
            IncidentCluster(
                cluster_id_for(keys), recs, tuple(links_by_root.get(root, ())), vocab
            )
        )
    clusters.sort(key=lambda c: (-len(c.records), c.cluster_id))
    return tuple(clusters)
