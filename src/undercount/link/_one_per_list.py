"""The one-record-per-list rule of clustering (``one_per_list`` in
:func:`undercount.link.cluster_pairs`): which records of one list may share a
person, and the scored-pair lookup it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

DUPLICATE_FLOOR = 0.5
"""Two records of one list may share a cluster when their own pair scores at least
this fraction of the threshold."""

UNSCORED_PROBABILITY = 0.01
"""Match probability assumed for two records never scored together (not blocked
together, or below the pair floor) when averaging over a whole cluster."""


def logit2(probability: float) -> float:
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return float(np.log2(p / (1 - p)))


UNSCORED_WEIGHT = logit2(UNSCORED_PROBABILITY)
"""The match weight of ``UNSCORED_PROBABILITY``."""

Number = TypeVar("Number", float, npt.NDArray[np.float64])


def mean_weight(scored_sum: Number, scored: Number, pairs: Number) -> Number:
    """Mean match weight over ``pairs`` record pairs across two clusters, of which
    ``scored`` were scored with weights summing to ``scored_sum`` and the others
    count as ``UNSCORED_PROBABILITY`` (one rule for the whole-cluster test here
    and for the capture-prior joins)."""
    return (scored_sum + (pairs - scored) * UNSCORED_WEIGHT) / pairs


@dataclass(frozen=True)
class PairWeights:
    """Match weight and veto of every scored pair inside some components, looked
    up by record indices (sorted ``low * n + high`` codes: compact at millions of
    pairs, where a dict of tuples is not)."""

    codes: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    vetoed: npt.NDArray[np.bool_]
    n: int

    @classmethod
    def build(
        cls,
        a: npt.NDArray[np.int64],
        b: npt.NDArray[np.int64],
        weights: npt.NDArray[np.float64],
        vetoed: npt.NDArray[np.bool_],
        n: int,
    ) -> PairWeights:
        codes = np.minimum(a, b) * n + np.maximum(a, b)
        order = np.argsort(codes, kind="stable")
        return cls(
            codes=codes[order], weights=weights[order], vetoed=vetoed[order], n=n
        )

    def between(self, left: list[int], right: list[int]) -> tuple[float, bool]:
        """Mean match weight over every pair across ``left`` x ``right`` (see
        :func:`mean_weight`) and whether any pair is vetoed."""
        x = np.repeat(np.asarray(left, dtype=np.int64), len(right))
        y = np.tile(np.asarray(right, dtype=np.int64), len(left))
        wanted = np.minimum(x, y) * self.n + np.maximum(x, y)
        if self.codes.size == 0:
            return mean_weight(0.0, 0.0, float(wanted.size)), False
        at = np.minimum(np.searchsorted(self.codes, wanted), self.codes.size - 1)
        found = self.codes[at] == wanted
        mean = mean_weight(
            float(self.weights[at][found].sum()),
            float(found.sum()),
            float(wanted.size),
        )
        return mean, bool(self.vetoed[at][found].any())


@dataclass(frozen=True)
class OnePerList:
    """When two records of one list may share a cluster (``one_per_list`` in
    :func:`undercount.link.cluster_pairs`).

    ``allowed`` holds the same-list pairs allowed by their own score (at least
    ``DUPLICATE_FLOOR`` times the threshold) or by a reviewer. Otherwise a merge
    that brings two records of one list together is allowed when the two clusters
    agree *as wholes*: the mean match weight over every pair across them reaches
    the threshold's weight, and no pair across them is vetoed. A list does enter
    one person twice (two press reports of one death, "Khaled Yusuf" and "Khalid
    al-Shamari"); its two records then share little with each other but each
    agrees strongly with the person's full records in other lists. Two namesakes
    bridged by one vague record do not: their own pair disagrees, and pulls the
    mean below the threshold. (Average linkage across the two clusters, used only
    where single linkage would break the one-record-per-list rule.)
    """

    codes: npt.NDArray[np.int64]
    allowed: set[tuple[int, int]]
    weights: PairWeights
    min_mean: float

    def allows(self, left: dict[int, list[int]], right: dict[int, list[int]]) -> bool:
        shared = left.keys() & right.keys()
        if all(
            (min(x, y), max(x, y)) in self.allowed
            for code in shared
            for x in left[code]
            for y in right[code]
        ):
            return True
        mean, vetoed = self.weights.between(
            [r for records in left.values() for r in records],
            [r for records in right.values() for r in records],
        )
        return not vetoed and mean >= self.min_mean


def list_constraint(
    labels: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int64],
    near: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    must: list[tuple[int, int]],
) -> tuple[set[int], set[tuple[int, int]]]:
    """Components holding two records of one list (``codes``: each record's list)
    and the same-list pairs allowed in one cluster (scored near the threshold, or
    joined by a reviewer). Counting, not pair enumeration: a component of thousands
    of namesakes costs no more than its size.
    """
    frame = pd.DataFrame({"label": labels, "code": codes})
    shared = frame.duplicated(["label", "code"], keep=False).to_numpy()
    components = {int(x) for x in np.unique(labels[shared])}
    na, nb = near
    allowed = set(
        zip(np.minimum(na, nb).tolist(), np.maximum(na, nb).tolist(), strict=True)
    )
    allowed.update((min(i, j), max(i, j)) for i, j in must)
    return components, allowed


def weights_inside(
    edges: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    weights: npt.NDArray[np.float64],
    vetoed: npt.NDArray[np.bool_],
    labels: npt.NDArray[np.int64],
    components: set[int],
) -> PairWeights:
    """The scored pairs (record indices ``edges``) with both records in one of
    ``components``."""
    a, b = edges
    keep = (labels[a] == labels[b]) & np.isin(labels[a], list(components))
    return PairWeights.build(a[keep], b[keep], weights[keep], vetoed[keep], labels.size)
