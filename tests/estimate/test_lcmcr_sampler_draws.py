"""The compiled sampler's own random draws follow their distributions exactly.

The binomial (inversion and BTRS), multinomial and gamma samplers are written for
speed inside the numba sweep; here they are checked against scipy's probabilities
with chi-square and moment tests (fixed seeds, so the tests are deterministic).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

numba = pytest.importorskip("numba")

from undercount.estimate import _lcmcr_sampler as sampler  # noqa: E402


@numba.njit
def _binomials(state, n, p, size):  # type: ignore[no-untyped-def]
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = sampler.binomial(state, n, p)
    return out


@numba.njit
def _multinomials(state, n, weights, size):  # type: ignore[no-untyped-def]
    out = np.empty((size, weights.size), dtype=np.int64)
    scratch = np.empty(weights.size)
    row = np.empty(weights.size, dtype=np.int64)
    for i in range(size):
        sampler.multinomial(state, n, weights, scratch, row)
        out[i] = row
    return out


@numba.njit
def _gammas(rng, state, shape, size):  # type: ignore[no-untyped-def]
    out = np.empty(size)
    for i in range(size):
        out[i] = sampler._gamma_variate(rng, state, shape)
    return out


def _state(seed: int) -> np.ndarray:
    return np.random.SeedSequence(seed).generate_state(4, np.uint64)


@pytest.mark.parametrize(
    ("n", "p"),
    # inversion (n p < 10), BTRS (n p >= 10), p > 1/2 (symmetry), tiny p
    [(5, 0.3), (40, 0.2), (1000, 0.4), (300, 0.03), (50, 0.9), (2000, 0.001)],
)
def test_binomial_matches_its_pmf(n: int, p: float) -> None:
    draws = _binomials(_state(n), n, p, 200_000)
    support = np.arange(n + 1)
    expected = stats.binom.pmf(support, n, p) * draws.size
    observed = np.bincount(draws, minlength=n + 1)
    keep = expected > 5
    # lump the far tails so the chi-square sees all the mass
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5:
        obs, exp = obs[:-1], exp[:-1]
    chi2 = float(np.sum((obs - exp) ** 2 / exp))
    assert stats.chi2.sf(chi2, obs.size - 1) > 1e-4
    assert draws.min() >= 0 and draws.max() <= n


@pytest.mark.parametrize("n", [1, 3, 25, 400])
def test_multinomial_matches_its_means_and_keeps_the_total(n: int) -> None:
    weights = np.array([0.4, 0.25, 0.2, 0.1, 0.05, 1e-4, 0.0])
    draws = _multinomials(_state(n), n, weights, 100_000)
    assert np.all(draws.sum(axis=1) == n)
    assert np.all(draws[:, -1] == 0)  # a class without weight gets nobody
    probs = weights / weights.sum()
    se = np.sqrt(n * probs * (1 - probs) / draws.shape[0])
    z = (draws.mean(axis=0) - n * probs)[:-1] / se[:-1]
    assert np.all(np.abs(z) < 4.5)


@pytest.mark.parametrize("shape", [1.0, 2.5, 40.0, 3000.0])
def test_gamma_matches_its_distribution(shape: float) -> None:
    rng = np.random.default_rng(int(shape * 10))
    draws = _gammas(rng, _state(3), shape, 100_000)
    result = stats.kstest(draws, stats.gamma(shape).cdf)
    assert result.pvalue > 1e-4


def test_importing_the_estimators_does_not_import_numba() -> None:
    code = (
        "import sys, undercount, undercount.estimate.lcmcr, undercount.estimate.dga; "
        "print('numba' in sys.modules, 'arviz' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
