"""Our R-hat / ESS / MCSE agree with ArviZ's (same definitions, Vehtari et al. 2021)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from undercount.estimate._bayes_diagnostics import (
    ess_bulk,
    ess_tail,
    quantile_mcse,
    rhat,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    az = pytest.importorskip("arviz")


def _ar1(phi: float, chains: int, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.zeros((chains, draws))
    noise = rng.normal(size=(chains, draws))
    for t in range(1, draws):
        out[:, t] = phi * out[:, t - 1] + noise[:, t]
    return np.round(out * 50)  # integer draws with ties, like draws of N


@pytest.mark.parametrize("phi", [0.0, 0.6, 0.95])
def test_diagnostics_agree_with_arviz(phi: float) -> None:
    draws = _ar1(phi, 2, 1000, seed=int(phi * 100))
    assert rhat(draws) == pytest.approx(float(az.rhat(draws)), rel=1e-9)
    assert ess_bulk(draws) == pytest.approx(float(az.ess(draws)), rel=0.02)
    assert ess_tail(draws) == pytest.approx(
        float(az.ess(draws, method="tail")), rel=0.02
    )
    for prob in (0.025, 0.5, 0.975):
        assert quantile_mcse(draws, prob) == pytest.approx(
            float(az.mcse(draws, method="quantile", prob=prob)), rel=1e-6
        )


def test_disagreeing_chains_have_large_rhat() -> None:
    draws = _ar1(0.5, 2, 500, seed=1)
    draws[1] += 200
    assert rhat(draws) > 1.1
