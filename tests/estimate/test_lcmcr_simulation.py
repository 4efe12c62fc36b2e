"""LCMCR on simulated tables with a known population size (fast replicates)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from undercount.errors import UndercountWarning
from undercount.estimate.lcmcr import LCMCR
from undercount.simulate import simulate_captures


@pytest.mark.parametrize("scenario", ["independent", "heterogeneous"])
def test_lcmcr_recovers_the_true_size(scenario: str) -> None:
    """Scenarios that meet LCMCR's assumptions: with fixed seeds, the 99% interval
    covers the true N in every replicate and the medians sit near it."""
    medians = []
    for replicate in range(3):
        table, true_n = simulate_captures(scenario, seed=100 + replicate)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndercountWarning)
            result = LCMCR(
                K=10, burnin=2000, samples=400, thinning=10, seed=replicate
            ).fit(table)
        lower, upper = result.interval(0.99)
        assert lower <= true_n <= upper
        medians.append(result.estimate)
    assert abs(np.mean(medians) / true_n - 1) < 0.1
