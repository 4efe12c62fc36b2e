"""Second clustering pass: join people the pairwise threshold left apart.

A pair's match probability from Splink uses one prior for every pair: the chance
that two records drawn at random are one person (about 1 in N). Once the lists are
clustered, a record left alone (a vague two-part media name, say) has been compared
with every plausible person and matched none of them well; what is left to decide
is only whether it is this one remaining candidate or somebody no other list saw.
Under the capture model behind multiple systems estimation (each person enters each
list independently of the others), the prior odds that an observed person is a
particular other observed person whose lists it does not share, against being a
new person, are ``1 / (M + 1)``, where ``M`` is the number of people no list saw
(the combinatorial factors of the partition prior cancel down to this). With
``M`` far below ``N`` this prior is several times the pairwise one, and a pair that
scored 0.3 may be far more likely one person than not. Thresholding the pairwise
probability ignores this and leaves records of one person apart, mostly as people
"seen by one list only": the count that multiple systems estimation is most
sensitive to.

The pass (a record-to-person version of the one-to-one posterior of bipartite
record linkage, Sadinle 2017):

1. ``M`` is estimated from the first-pass clusters by Chao's bias-corrected lower
   bound ``f1 (f1 - 1) / (2 (f2 + 1))`` (people seen by one and by two lists).
   Inflated first-pass singletons make it larger, which only makes the pass more
   cautious.
2. For two clusters that share no list and are not kept apart (a vetoed pair, a
   reviewer's *different*), the evidence is the best Bayes factor between their
   records, ``2 ** (match_weight - prior weight)``; its prior-weighted value is
   ``x = BF / (M + 1)``.
3. The posterior probability that the two are one person is ``x / (1 + S)``,
   where ``S`` is the larger of the two clusters' sums of ``x`` over all their
   candidates (competing candidates share the probability).
4. Candidate joins are taken from the most probable down while their posterior
   reaches the clustering threshold and the joined person would still hold at
   most one record per list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class Joins:
    """What the pass did.

    Attributes
    ----------
    labels
        Cluster label per record after the pass.
    edges
        Positions (in the pairs given) of the best pair behind each join, and the
        join's posterior probability.
    unseen
        The estimate of people no list saw (``M``) used for the prior.
    """

    labels: npt.NDArray[np.int64]
    edges: list[tuple[int, float]]
    unseen: float


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


def join_clusters(
    labels: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int64],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    kept_apart: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    *,
    match_prior: float,
    threshold: float,
) -> Joins:
    """Join clusters under the capture-model prior (see module docstring).

    Parameters
    ----------
    labels
        First-pass cluster label per record.
    codes
        List code per record.
    pairs
        Record indices and match weights of the scored pairs that may join
        (vetoed pairs left out).
    kept_apart
        Record index pairs that must never end in one cluster (vetoed pairs,
        reviewers' *different* decisions).
    match_prior
        The linkage model's probability that two random records match.
    threshold
        Posterior probability a join needs.
    """
    a, b, weights = pairs
    unseen = unseen_lower_bound(labels, codes)
    prior = min(max(match_prior, 1e-300), 1 - 1e-12)
    log_prior = np.log2(prior / (1 - prior)) + np.log2(unseen + 1)
    la, lb = labels[a], labels[b]
    across = np.flatnonzero(la != lb)
    if across.size == 0:
        return Joins(labels=labels, edges=[], unseen=unseen)
    lists_of = _list_masks(labels, codes)
    low = np.minimum(la[across], lb[across])
    high = np.maximum(la[across], lb[across])
    shares = (lists_of.reindex(low).to_numpy() & lists_of.reindex(high).to_numpy()) != 0
    frame = pd.DataFrame(
        {
            "low": low,
            "high": high,
            "log_x": weights[across] - log_prior,
            "pair": across,
        }
    )[~shares]
    apart = _apart(labels, kept_apart)
    if apart and len(frame):
        codes_lh = (
            frame["low"].to_numpy() * (int(labels.max()) + 1) + frame["high"].to_numpy()
        )
        frame = frame[~np.isin(codes_lh, np.fromiter(apart, dtype=np.int64))]
    if frame.empty:
        return Joins(labels=labels, edges=[], unseen=unseen)
    best = frame.sort_values(["low", "high", "log_x"], ascending=[True, True, False])
    best = best.drop_duplicates(["low", "high"])
    x = np.exp2(np.minimum(best["log_x"].to_numpy(), 1000.0))
    total = (
        pd.concat(
            [
                pd.Series(x, index=best["low"].to_numpy()),
                pd.Series(x, index=best["high"].to_numpy()),
            ]
        )
        .groupby(level=0)
        .sum()
    )
    competing = np.maximum(
        total.reindex(best["low"]).to_numpy(), total.reindex(best["high"]).to_numpy()
    )
    posterior = x / (1.0 + competing)
    best = best.assign(posterior=posterior)
    best = best[best["posterior"] >= threshold].sort_values(
        ["posterior", "low", "high"], ascending=[False, True, True], kind="stable"
    )
    return _merge(
        labels, lists_of, best, _apart_map(apart, int(labels.max()) + 1), unseen
    )


def _list_masks(
    labels: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]
) -> pd.Series:
    """Per cluster label, the set of its lists as a bit mask (Python ints: any
    number of lists)."""
    frame = pd.DataFrame({"label": labels, "code": codes}).drop_duplicates()
    masks = frame.groupby("label")["code"].agg(
        lambda c: sum(1 << int(v) for v in set(c.tolist()))
    )
    return masks.astype(object)


def _apart(
    labels: npt.NDArray[np.int64],
    kept_apart: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
) -> set[int]:
    """Cluster pairs (``low * size + high``) holding a pair kept apart."""
    i, j = kept_apart
    if len(i) == 0:
        return set()
    li, lj = labels[i], labels[j]
    keep = li != lj
    size = int(labels.max()) + 1
    low, high = np.minimum(li[keep], lj[keep]), np.maximum(li[keep], lj[keep])
    return set((low * size + high).tolist())


def _apart_map(apart: set[int], size: int) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for code in apart:
        low, high = divmod(code, size)
        out.setdefault(low, set()).add(high)
        out.setdefault(high, set()).add(low)
    return out


def _merge(
    labels: npt.NDArray[np.int64],
    lists_of: pd.Series,
    joins: pd.DataFrame,
    apart: dict[int, set[int]],
    unseen: float,
) -> Joins:
    """Union the clusters of ``joins`` in order, refusing a join that would give a
    person two records of one list or join clusters kept apart."""
    parent: dict[int, int] = {}
    masks: dict[int, int] = {}
    forbidden: dict[int, set[int]] = {}

    def find(c: int) -> int:
        root = c
        while root in parent:
            root = parent[root]
        while c != root:
            parent[c], c = root, parent[c]
        return root

    def mask(c: int) -> int:
        return masks.get(c, int(lists_of[c]))

    def banned(c: int) -> set[int]:
        if c not in forbidden:
            forbidden[c] = set(apart.get(c, ()))
        return forbidden[c]

    edges: list[tuple[int, float]] = []
    for low, high, pair, posterior in joins[
        ["low", "high", "pair", "posterior"]
    ].itertuples(index=False):
        r1, r2 = find(int(low)), find(int(high))
        if r1 == r2 or mask(r1) & mask(r2):
            continue
        b1, b2 = banned(r1), banned(r2)
        if any(find(c) == r2 for c in b1) or any(find(c) == r1 for c in b2):
            continue
        parent[r1] = r2
        masks[r2] = mask(r1) | mask(r2)
        forbidden[r2] = b1 | b2
        edges.append((int(pair), float(posterior)))
    if not parent:
        return Joins(labels=labels, edges=[], unseen=unseen)
    roots = {c: find(c) for c in parent}
    out = labels.copy()
    moved = np.isin(labels, np.fromiter(roots, dtype=np.int64))
    out[moved] = [roots[int(c)] for c in labels[moved]]
    return Joins(labels=out, edges=edges, unseen=unseen)
