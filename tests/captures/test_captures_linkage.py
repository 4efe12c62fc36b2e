"""Clusters -> capture tables with strata; threshold sensitivity; determinism."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from undercount.captures import (
    capture_table,
    captures_from_linkage,
    person_strata,
    threshold_sensitivity,
)
from undercount.link import LinkageResult, link_lists
from undercount.simulate.records import simulate_mosul_lists

MEMBERS = pd.DataFrame(
    {
        "source": ["a", "b", "a", "c", "c"],
        "record_id": ["1", "1", "2", "1", "2"],
        "cluster_id": [1, 1, 2, 3, 3],
    }
)
RECORDS = pd.DataFrame(
    {
        "source_dataset": ["a", "b", "a", "c", "c"],
        "unique_id": ["1", "1", "2", "1", "2"],
        "dod_month": ["2017-03", "2017-03", None, "2017-06", "2017-07"],
        "place_key": ["old city", "old city", "al shifa", None, None],
        "sex": ["F", "F", "M", "M", None],
        "age_low": [30, 31, 70, 4, pd.NA],
        "age_high": [30, 31, 70, 4, pd.NA],
    }
)


def test_capture_table_counts_people_once_per_list() -> None:
    table = capture_table(MEMBERS, ["a", "b", "c"])
    assert table.n_observed == 3
    assert table.list_totals() == {"a": 2, "b": 1, "c": 1}  # c's duplicate counts once


def test_strata_take_the_majority_and_unknown() -> None:
    strata = person_strata(MEMBERS, RECORDS)
    assert strata.loc[1].tolist() == ["2017-03", "old city", "F", "18-39"]
    assert strata.loc[2].tolist() == ["unknown", "al shifa", "M", "60+"]
    # tie between June and July: the smallest value, deterministically
    assert strata.loc[3].tolist() == ["2017-06", "unknown", "M", "0-17"]
    table = capture_table(MEMBERS, ["a", "b", "c"], records=RECORDS, strata=["sex"])
    assert table.strata == ("sex",)
    assert table.n_observed == 3


@pytest.fixture(scope="module")
def linked() -> tuple[LinkageResult, LinkageResult]:
    sim = simulate_mosul_lists(n_dead=300, seed=21)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = link_lists(sim.lists, charts=False)
        second = link_lists(sim.lists, charts=False)
    return first, second


def test_same_seed_same_clusters(linked: tuple[LinkageResult, LinkageResult]) -> None:
    first, second = linked
    pd.testing.assert_frame_equal(first.clusters.members, second.clusters.members)
    assert captures_from_linkage(first) == captures_from_linkage(second)


def test_sensitivity_band_moves_with_the_threshold(
    linked: tuple[LinkageResult, LinkageResult],
) -> None:
    result, _ = linked
    band = threshold_sensitivity(result, [0.3, 0.8, 0.99])
    people = [p.people for p in band.points]
    assert people == sorted(people)  # a stricter threshold never finds fewer people
    assert band.people_range == (people[0], people[-1])
    assert band.estimate_range is None
    with_estimate = threshold_sensitivity(result, [0.5, 0.9], method="chao")
    assert with_estimate.estimate_range is not None
    frame = with_estimate.to_frame()
    assert {"threshold", "people", "estimate", "lower", "upper"} <= set(frame.columns)
