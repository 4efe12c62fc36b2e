"""Second clustering pass: join people the pairwise threshold left apart.

A pair's match probability from Splink uses one prior for every pair: the chance
that two records drawn at random are one person (about 1 in N). Once the lists are
clustered, a record left alone (a vague two-part media name, say) has been compared
with every plausible person and matched none of them well; what is left to decide
is whether it is one of its few remaining candidates or somebody no other list saw.
Under the capture model behind multiple systems estimation (each person enters each
list independently), the prior odds that an observed person is a particular other
observed person whose lists it does not share, against being a new person, are
``1 / (M + 1)``, where ``M`` is the number of people no list saw (the combinatorial
factors of the partition prior cancel down to this). ``M`` is far below ``N``, so
this prior is several times the pairwise one: thresholding the pairwise probability
leaves records of one person apart, mostly as people "seen by one list only", the
count multiple systems estimation is most sensitive to.

The pass (a record-to-person version of the one-to-one posterior of bipartite
record linkage, Sadinle 2017):

1. ``M`` is Chao's bias-corrected lower bound ``f1 (f1 - 1) / (2 (f2 + 1))``
   (people seen by one and by two lists), first from the first-pass clusters, then
   re-estimated from the partition the joins at the threshold give, until it
   settles (:func:`settle_candidates`). Records the threshold left alone inflate
   ``f1``; what inflation remains only makes the pass more cautious.
2. Two clusters are candidates when they share no list, no pair across them is
   kept apart (vetoed, or a reviewer's *different*) and some pair across them was
   scored. Their evidence is the mean match weight over *every* record pair
   across them (pairs never scored count as ``UNSCORED_PROBABILITY``), turned into
   a Bayes factor and multiplied by the prior: ``x = BF / (M + 1)``. The mean, not
   the best pair: the best of several comparisons is high by chance, and with it
   the posterior was over-confident (joins called 55% likely were right 31% of the
   time on the simulated Mosul lists; with the mean, 59%).
3. The posterior that the two are one person is ``x / (1 + S)``, ``S`` the larger
   of the two clusters' sums of ``x`` over their candidates (competing candidates
   share the probability).
4. :func:`join_clusters` takes candidates from the most probable down while their
   posterior reaches the clustering threshold; :func:`sample_joins` draws each
   with its posterior (one imputation of the linkage, for carrying linkage
   uncertainty into the estimate). Either way a join is refused when the person
   would hold two records of one list or two records kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.link._one_per_list import mean_weight


@dataclass(frozen=True)
class JoinCandidates:
    """Pairs of first-pass clusters that may be one person, with the posterior.

    Attributes
    ----------
    evidence
        ``low``, ``high`` (cluster labels), ``pair`` (position of the best scored
        pair across them) and ``mean_weight`` (see :func:`mean_weight`).
    frame
        ``low``, ``high``, ``pair`` and ``posterior`` given ``unseen``; most
        probable first.
    lists_of
        Per cluster label, its lists as a bit mask.
    apart
        Per cluster label, the labels it must never join.
    match_prior
        The linkage model's probability that two random records match.
    unseen
        The estimate of people no list saw (``M``).
    """

    evidence: pd.DataFrame
    frame: pd.DataFrame
    lists_of: dict[int, int]
    apart: dict[int, set[int]]
    match_prior: float
    unseen: float

    def with_unseen(self, unseen: float) -> JoinCandidates:
        """The same candidates with the posterior for another ``M`` (the
        evidence is not recomputed)."""
        return replace(
            self,
            frame=_posterior(self.evidence, self.match_prior, unseen),
            unseen=unseen,
        )


@dataclass(frozen=True)
class Joins:
    """Cluster labels after the pass and the joins made: (pair position,
    posterior) of each."""

    labels: npt.NDArray[np.int64]
    edges: list[tuple[int, float]]


def unseen_lower_bound(
    labels: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]
) -> float:
    """Chao's bias-corrected lower bound on the people no list saw, from clusters
    (``labels``) of records from lists ``codes``."""
    frame = pd.DataFrame({"label": labels, "code": codes}).drop_duplicates()
    lists_per_person = frame.groupby("label").size()
    f1 = int((lists_per_person == 1).sum())
    f2 = int((lists_per_person == 2).sum())
    return f1 * (f1 - 1) / (2 * (f2 + 1))


def join_candidates(
    labels: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int64],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    kept_apart: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    *,
    match_prior: float,
    unseen: float | None = None,
) -> JoinCandidates:
    """Candidate joins of first-pass clusters and their posterior (module docstring).

    Parameters
    ----------
    labels
        First-pass cluster label per record.
    codes
        List code per record.
    pairs
        Record indices and match weights of the scored pairs that may join (vetoed
        pairs left out).
    kept_apart
        Record index pairs that must never end in one cluster.
    match_prior
        The linkage model's probability that two random records match.
    unseen
        ``M``, when already known (default: Chao's bound from ``labels``).
    """
    a, b, weights = pairs
    if unseen is None:
        unseen = unseen_lower_bound(labels, codes)
    lists_of = _list_masks(labels, codes)
    size = int(labels.max()) + 1 if labels.size else 1
    apart_codes = _cluster_pair_codes(labels, kept_apart, size)
    la, lb = labels[a], labels[b]
    across = np.flatnonzero(la != lb)
    low = np.minimum(la[across], lb[across])
    high = np.maximum(la[across], lb[across])
    masks = pd.Series(lists_of, dtype=object)
    disjoint = (masks.reindex(low).to_numpy() & masks.reindex(high).to_numpy()) == 0
    frame = pd.DataFrame(
        {"low": low, "high": high, "weight": weights[across], "pair": across}
    )[disjoint]
    if apart_codes and len(frame):
        code = frame["low"].to_numpy() * size + frame["high"].to_numpy()
        frame = frame[~np.isin(code, np.fromiter(apart_codes, dtype=np.int64))]
    evidence = pd.DataFrame(columns=["low", "high", "pair", "mean_weight"])
    if len(frame):
        grouped = frame.groupby(["low", "high"], sort=True)
        best = frame.loc[grouped["weight"].idxmax()].set_index(["low", "high"])
        stats = grouped["weight"].agg(["sum", "size"])
        sizes = pd.Series(labels).value_counts()
        n_left = sizes.reindex(stats.index.get_level_values("low")).to_numpy()
        n_right = sizes.reindex(stats.index.get_level_values("high")).to_numpy()
        evidence = pd.DataFrame(
            {
                "low": stats.index.get_level_values("low").to_numpy(),
                "high": stats.index.get_level_values("high").to_numpy(),
                "pair": best.loc[stats.index, "pair"].to_numpy(),
                "mean_weight": mean_weight(
                    stats["sum"].to_numpy(dtype=float),
                    stats["size"].to_numpy(dtype=float),
                    (n_left * n_right).astype(float),
                ),
            }
        )
    return JoinCandidates(
        evidence=evidence,
        frame=_posterior(evidence, match_prior, unseen),
        lists_of=lists_of,
        apart=_apart_map(apart_codes, size),
        match_prior=match_prior,
        unseen=unseen,
    )


def _posterior(
    evidence: pd.DataFrame, match_prior: float, unseen: float
) -> pd.DataFrame:
    """``x / (1 + S)`` per candidate (module docstring), most probable first."""
    if evidence.empty:
        return pd.DataFrame(columns=["low", "high", "pair", "posterior"])
    prior = min(max(match_prior, 1e-300), 1 - 1e-12)
    log_prior = float(np.log2(prior / (1 - prior)) + np.log2(unseen + 1))
    # capped: a sum of many near-certain joins must stay finite
    x = np.exp2(
        np.minimum(evidence["mean_weight"].to_numpy(dtype=float) - log_prior, 500.0)
    )
    low, high = evidence["low"].to_numpy(), evidence["high"].to_numpy()
    total = (
        pd.concat([pd.Series(x, index=low), pd.Series(x, index=high)])
        .groupby(level=0)
        .sum()
    )
    competing = np.maximum(
        total.reindex(low).to_numpy(), total.reindex(high).to_numpy()
    )
    out = evidence[["low", "high", "pair"]].assign(posterior=x / (1.0 + competing))
    return out.sort_values(
        ["posterior", "low", "high"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


SETTLE_ROUNDS = 3
"""Most re-estimates of ``M`` from the joined partition (it settles in one or two)."""


def settle_candidates(
    labels: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int64],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    kept_apart: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    *,
    match_prior: float,
    threshold: float,
) -> JoinCandidates:
    """:func:`join_candidates` with ``M`` re-estimated from the partition its own
    joins give, until it settles (``M`` from the first-pass clusters counts every
    record the threshold left alone as a person seen once, and so is too large).
    """
    candidates = join_candidates(
        labels, codes, pairs, kept_apart, match_prior=match_prior
    )
    for _ in range(SETTLE_ROUNDS):
        joined = join_clusters(labels, candidates, threshold).labels
        unseen = unseen_lower_bound(joined, codes)
        if abs(unseen - candidates.unseen) <= 0.01 * max(candidates.unseen, 1.0):
            break
        candidates = candidates.with_unseen(unseen)
    return candidates


def join_clusters(
    labels: npt.NDArray[np.int64], candidates: JoinCandidates, threshold: float
) -> Joins:
    """Make every candidate join whose posterior reaches ``threshold``, the most
    probable first."""
    chosen = candidates.frame[candidates.frame["posterior"] >= threshold]
    return _merge(labels, candidates, chosen)


def sample_joins(
    labels: npt.NDArray[np.int64],
    candidates: JoinCandidates,
    rng: np.random.Generator,
) -> Joins:
    """One draw of the joins: each candidate, in random order, is made with its
    posterior probability (if still allowed)."""
    frame = candidates.frame
    accept = rng.random(len(frame)) < frame["posterior"].to_numpy(dtype=float)
    order = rng.permutation(len(frame))
    chosen = frame.iloc[order[accept[order]]]
    return _merge(labels, candidates, chosen)


def _list_masks(
    labels: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]
) -> dict[int, int]:
    """Per cluster label, its lists as a bit mask (Python ints: any number of
    lists)."""
    frame = pd.DataFrame({"label": labels, "code": codes}).drop_duplicates()
    out: dict[int, int] = {}
    for label, code in zip(
        frame["label"].tolist(), frame["code"].tolist(), strict=True
    ):
        out[label] = out.get(label, 0) | (1 << int(code))
    return out


def _cluster_pair_codes(
    labels: npt.NDArray[np.int64],
    kept_apart: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    size: int,
) -> set[int]:
    """Cluster pairs (``low * size + high``) holding a record pair kept apart."""
    i, j = kept_apart
    if len(i) == 0:
        return set()
    li, lj = labels[i], labels[j]
    keep = li != lj
    low, high = np.minimum(li[keep], lj[keep]), np.maximum(li[keep], lj[keep])
    return set((low * size + high).tolist())


def _apart_map(codes: set[int], size: int) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for code in codes:
        low, high = divmod(code, size)
        out.setdefault(low, set()).add(high)
        out.setdefault(high, set()).add(low)
    return out


def _merge(
    labels: npt.NDArray[np.int64], candidates: JoinCandidates, chosen: pd.DataFrame
) -> Joins:
    """Union the clusters of ``chosen`` in order, refusing a join that would give a
    person two records of one list or join clusters kept apart."""
    parent: dict[int, int] = {}
    masks = dict(candidates.lists_of)
    forbidden: dict[int, set[int]] = {}

    def find(c: int) -> int:
        root = c
        while root in parent:
            root = parent[root]
        while c != root:
            parent[c], c = root, parent[c]
        return root

    def banned(root: int) -> set[int]:
        if root not in forbidden:
            forbidden[root] = set(candidates.apart.get(root, ()))
        return forbidden[root]

    edges: list[tuple[int, float]] = []
    for low, high, pair, posterior in chosen[
        ["low", "high", "pair", "posterior"]
    ].itertuples(index=False):
        r1, r2 = find(int(low)), find(int(high))
        if r1 == r2 or masks[r1] & masks[r2]:
            continue
        b1, b2 = banned(r1), banned(r2)
        if any(find(c) == r2 for c in b1) or any(find(c) == r1 for c in b2):
            continue
        parent[r1] = r2
        masks[r2] |= masks[r1]
        forbidden[r2] = b1 | b2
        edges.append((int(pair), float(posterior)))
    if not parent:
        return Joins(labels=labels, edges=[])
    roots = {c: find(c) for c in parent}
    out = labels.copy()
    moved = np.isin(labels, np.fromiter(roots, dtype=np.int64))
    out[moved] = [roots[int(c)] for c in labels[moved].tolist()]
    return Joins(labels=out, edges=edges)
