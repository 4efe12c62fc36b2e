"""Capture-level simulation: determinism, the pattern law, and scenario checks."""

from __future__ import annotations

import numpy as np
import pytest

from undercount.errors import UserInputError
from undercount.simulate import (
    CaptureScenario,
    ListDependence,
    capture_scenarios,
    pattern_probabilities,
    simulate_captures,
)


def test_same_seed_same_table_and_truth() -> None:
    first, n_first = simulate_captures("heterogeneous", seed=11)
    second, n_second = simulate_captures("heterogeneous", seed=11)
    other, _ = simulate_captures("heterogeneous", seed=12)
    assert first == second
    assert n_first == n_second == 2000
    assert first != other


@pytest.mark.parametrize("name", sorted(capture_scenarios()))
def test_every_scenario_draws_a_valid_table(name: str) -> None:
    scenario = capture_scenarios()[name]
    table, true_n = simulate_captures(scenario, seed=1)
    assert true_n == scenario.size
    assert 0 < table.n_observed <= true_n
    assert table.lists == scenario.list_names
    assert scenario.meets <= {"lcmcr", "loglinear", "dga"}


def test_pattern_law_of_independent_lists_is_the_product() -> None:
    probs = (0.3, 0.2, 0.5)
    law = pattern_probabilities(
        CaptureScenario("x", 10, capture_probabilities=(probs,))
    )[0]
    assert law.sum() == pytest.approx(1.0)
    # pattern 0b101: on lists 1 and 3, not on list 2
    assert law[0b101] == pytest.approx(0.3 * 0.8 * 0.5)
    assert law[0] == pytest.approx(0.7 * 0.8 * 0.5)


def test_dependence_sets_the_conditional_odds_ratio() -> None:
    scenario = CaptureScenario(
        "dep",
        10,
        capture_probabilities=((0.3, 0.4, 0.5),),
        dependence=(ListDependence(0, 1, 1.5),),
    )
    law = pattern_probabilities(scenario)[0].reshape(2, 2, 2).sum(axis=2)
    odds_ratio = law[1, 1] * law[0, 0] / (law[1, 0] * law[0, 1])
    assert np.log(odds_ratio) == pytest.approx(1.5)


def test_observed_count_matches_the_law_on_average() -> None:
    scenario = capture_scenarios()["heterogeneous"]
    weights = np.asarray(scenario.class_weights) / sum(scenario.class_weights)
    p_seen = 1.0 - float(weights @ pattern_probabilities(scenario)[:, 0])
    rng = np.random.default_rng(5)
    observed = [simulate_captures(scenario, rng)[0].n_observed for _ in range(300)]
    expected = scenario.size * p_seen
    se = np.std(observed, ddof=1) / np.sqrt(len(observed))
    assert abs(np.mean(observed) - expected) < 4 * se


def test_bad_scenarios_are_user_errors() -> None:
    with pytest.raises(UserInputError, match="unknown capture scenario"):
        simulate_captures("nope", seed=1)
    with pytest.raises(UserInputError, match="probabilities"):
        simulate_captures(CaptureScenario("bad", 10, ((1.5, 0.2),)), seed=1)
    with pytest.raises(UserInputError, match="class weight"):
        simulate_captures(
            CaptureScenario("bad", 10, ((0.5, 0.2),), class_weights=(0.5, 0.5)),
            seed=1,
        )
    with pytest.raises(UserInputError, match="dependence"):
        simulate_captures(
            CaptureScenario(
                "bad", 10, ((0.5, 0.2),), dependence=(ListDependence(1, 0, 1.0),)
            ),
            seed=1,
        )
