"""Diverging fits on sparse tables: IEEE results, stated, without numpy warnings.

The model search of a sparse five-list table contains models whose fit diverges (an
interaction going to infinity). Their working quantities pass the largest double;
the engines must still give exactly what IEEE arithmetic gives (``inf``, NaN) and
flag the model, but raise no ``RuntimeWarning`` (which would reach users of the
CLI as noise with no advice).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from undercount.estimate import _ieee, hierarchical_model_table
from undercount.estimate._glm import (
    deviance_settled,
    poisson_deviance,
    poisson_loglik,
)
from undercount.model.capture_table import CaptureTable

# Counts of the 31 observable patterns (first list = most significant bit), drawn by
# numpy.random.default_rng(20261206) as Poisson(Gamma(0.3, 6)) with 30% of cells
# emptied (the sparse five-list tables of the estimate stage's clean-up check).
SPARSE_FIVE_LISTS = {
    "multiply": "1 0 0 5 1 1 0 3 9 0 0 0 0 3 0 2 15 9 4 0 0 0 1 0 4 3 0 0 0 2 0",
    "negative-var": "1 0 0 0 13 0 1 0 0 0 2 3 0 1 6 0 1 0 0 0 0 0 0 4 0 0 6 0 0 0 0",
    "sum": "0 0 3 1 15 0 2 2 0 1 7 0 1 5 9 1 1 0 0 0 0 3 2 0 16 11 0 0 0 0 0",
}
# (models not converged, models with an infinite N) in closedpMS's table, as the
# implementation before this change computed them (it got there through numpy
# overflow warnings): the clean-up must not change them.
EXPECTED_DIVERGED = {
    "multiply": (55, 2),
    "negative-var": (746, 2),
    "sum": (88, 1),
}


def _five_list_table(counts: str) -> CaptureTable:
    patterns = [p for p in np.ndindex(*(2,) * 5) if any(p)]
    frame = pd.DataFrame(patterns, columns=list("ABCDE"))
    frame["count"] = [int(c) for c in counts.split()]
    return CaptureTable.from_frame(frame[frame["count"] > 0])


@pytest.mark.parametrize("name", sorted(SPARSE_FIVE_LISTS))
def test_model_search_on_sparse_table_raises_no_numpy_warning(name: str) -> None:
    table = _five_list_table(SPARSE_FIVE_LISTS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        models = hierarchical_model_table(table)
    not_converged = int((models["flag"] == "not converged").sum())
    infinite = int(np.isinf(models["abundance"]).sum())
    assert (not_converged, infinite) == EXPECTED_DIVERGED[name]
    finite = models[models["flag"] == ""]
    assert np.isfinite(finite[["abundance", "deviance", "AIC", "BIC"]]).all().all()


def _extremes() -> np.ndarray:
    rng = np.random.default_rng(11)
    special = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, _ieee.MAX, -_ieee.MAX]
    special += [1e308, 1.5e154, 1.3407807929942596e154, 5e-324, 2.0**1023, 2.0**-1022]
    magnitudes = 10.0 ** rng.uniform(-320, 308, size=400)
    signs = rng.choice([-1.0, 1.0], size=400)
    return np.concatenate([special, magnitudes * signs])


def _ieee_reference(operation: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):  # the reference is numpy's own IEEE result
        return np.asarray(a * b if operation == "multiply" else a + b)


@pytest.mark.parametrize("operation", ["multiply", "add"])
def test_ieee_helpers_equal_numpy_bit_for_bit_without_warnings(operation: str) -> None:
    values = _extremes()
    a, b = np.meshgrid(values, values[::7])
    expected = _ieee_reference(operation, a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = getattr(_ieee, operation)(a, b)
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    assert same.all()
    assert (np.signbit(got) == np.signbit(expected))[~np.isnan(expected)].all()


def test_exp_or_inf_is_exp_up_to_the_largest_double() -> None:
    x = np.array([-800.0, 0.0, 700.0, _ieee.LOG_MAX, np.nextafter(_ieee.LOG_MAX, 800)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = _ieee.exp_or_inf(np.append(x, [1e300, np.nan]))
    assert np.array_equal(got[:4], np.exp(x[:4]))
    assert np.isinf(got[4:6]).all() and np.isnan(got[6])


def test_recorded_cell_fitted_at_zero_has_infinite_deviance_and_no_warning() -> None:
    y = np.array([3.0, 0.0, 2.0])
    mu = np.array([[0.0, 0.0, 2.0], [1e-320, 0.5, 2.0], [3.0, 0.5, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        deviance = poisson_deviance(y, mu)
        loglik = poisson_loglik(y, mu)
        settled = deviance_settled(deviance, np.array([np.inf, 1.0, deviance[2]]))
    assert np.isinf(deviance[:2]).all() and deviance[2] == pytest.approx(1.0)
    assert loglik[0] == -np.inf and np.isfinite(loglik[1:]).all()
    assert settled.tolist() == [False, False, True]
