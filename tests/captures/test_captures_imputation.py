"""Linkage uncertainty carried into the estimate by imputing the uncertain joins."""

from __future__ import annotations

import numpy as np
import pytest

from undercount.captures import (
    ImputedEstimate,
    captures_from_linkage,
    estimate_over_linkage,
    imputed_capture_tables,
)
from undercount.errors import UserInputError
from undercount.link import LinkageResult, LinkageSettings, cluster_pairs, link_lists
from undercount.simulate.records import simulate_mosul_lists


@pytest.fixture(scope="module")
def linked() -> LinkageResult:
    sim = simulate_mosul_lists(n_dead=400, seed=5)
    return link_lists(sim.lists, LinkageSettings(), charts=False)


def test_imputations_vary_around_the_threshold_clusters(linked: LinkageResult) -> None:
    tables = imputed_capture_tables(linked, 8, seed=3)
    people = [int(t.counts.sum()) for t in tables]
    assert len(set(people)) > 1  # uncertain joins are drawn, not fixed
    # the threshold's links are kept in every draw and joins only merge people:
    # never more people than the first pass alone finds
    first_pass = cluster_pairs(linked.record_keys, linked.pairs, 0.5)
    assert max(people) <= first_pass.n_clusters
    assert min(people) < first_pass.n_clusters
    again = imputed_capture_tables(linked, 8, seed=3)
    assert [t.counts.tolist() for t in tables] == [t.counts.tolist() for t in again]
    other = imputed_capture_tables(linked, 8, seed=4)
    assert [t.counts.tolist() for t in tables] != [t.counts.tolist() for t in other]


def test_without_the_capture_prior_every_draw_is_the_threshold_table(
    linked: LinkageResult,
) -> None:
    plain = LinkageResult(
        lists=linked.lists,
        records=linked.records,
        scored=linked.scored,
        clusters=linked.clusters,
        settings=linked.settings.replace(capture_prior=False),
    )
    table = captures_from_linkage(plain, clusters=plain.recluster())
    for drawn in imputed_capture_tables(plain, 3):
        assert drawn.counts.tolist() == table.counts.tolist()


def test_bayesian_estimates_pool_their_draws(linked: LinkageResult) -> None:
    pooled = estimate_over_linkage(linked, "lcmcr", imputations=3, seed=1)
    assert isinstance(pooled, ImputedEstimate)
    assert pooled.imputations == 3
    assert pooled.draws is not None
    assert pooled.estimate == pytest.approx(float(np.median(pooled.draws)))
    low, high = pooled.interval(0.95)
    assert low < pooled.estimate < high
    frame = pooled.to_frame()
    assert list(frame.columns) == ["imputation", "people", "estimate", "lower", "upper"]
    assert frame["people"].min() >= 1
    assert "pooled over 3 imputations" in pooled.summary()
    again = estimate_over_linkage(linked, "lcmcr", imputations=3, seed=1)
    assert again.estimate == pooled.estimate


def test_other_estimates_pool_by_rubins_rules(linked: LinkageResult) -> None:
    pooled = estimate_over_linkage(linked, "loglinear", imputations=4, seed=2)
    assert pooled.draws is None
    frame = pooled.to_frame()
    assert frame["estimate"].min() <= pooled.estimate <= frame["estimate"].max()
    low, high = pooled.interval(0.95)
    # Rubin's total variance is at least the average within-imputation variance
    assert high - low >= (frame["upper"] - frame["lower"]).min() * 0.99
    assert pooled.to_dict()["imputations"] == 4


def test_at_least_one_imputation(linked: LinkageResult) -> None:
    with pytest.raises(UserInputError, match="imputations"):
        linked.sample_clusters(0)
