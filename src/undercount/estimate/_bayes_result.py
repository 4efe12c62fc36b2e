"""Helpers shared by the Bayesian results (LCMCR, dga): summaries of draws of ``N``,
convergence checks, warnings and the conversion to ArviZ.

A Bayesian estimate of ``N`` is reported as the posterior median with an equal-tailed
interval (the quantiles ``(1 - level) / 2`` and ``(1 + level) / 2`` of the draws),
as the reference R packages print them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from undercount.errors import ConvergenceWarning, UndercountWarning
from undercount.estimate._base import check_level
from undercount.estimate._bayes_diagnostics import (
    ess_bulk,
    ess_tail,
    quantile_mcse,
    rhat,
)

Message = tuple[str, type[UndercountWarning]]

RHAT_MAX = 1.01
"""R-hat above this means the chains disagree (Vehtari et al. 2021)."""
ESS_MIN = 400.0
"""Fewer effective draws than this make quantiles too noisy (Vehtari et al. 2021)."""


def equal_tailed_interval(
    draws: npt.ArrayLike, level: float = 0.95
) -> tuple[float, float]:
    """Equal-tailed posterior interval: quantiles ``(1 -+ level) / 2`` of the draws.

    Quantiles interpolate linearly between order statistics (numpy's default, R's
    type 7, which the reference packages' summaries use).
    """
    check_level(level)
    lower, upper = np.quantile(np.asarray(draws), [(1 - level) / 2, (1 + level) / 2])
    return float(lower), float(upper)


def chain_diagnostics(chain_draws: npt.NDArray[Any]) -> dict[str, float]:
    """R-hat, bulk and tail ESS of draws shaped ``(chains, draws)``, and the Monte
    Carlo standard errors of the median and of the 2.5% and 97.5% quantiles."""
    return {
        "rhat": rhat(chain_draws),
        "ess_bulk": ess_bulk(chain_draws),
        "ess_tail": ess_tail(chain_draws),
        "mcse_median": quantile_mcse(chain_draws, 0.5),
        "mcse_q025": quantile_mcse(chain_draws, 0.025),
        "mcse_q975": quantile_mcse(chain_draws, 0.975),
    }


def convergence_messages(
    diagnostics: Mapping[str, float],
    *,
    rhat_max: float = RHAT_MAX,
    ess_min: float = ESS_MIN,
) -> list[Message]:
    """Warnings when R-hat exceeds ``rhat_max`` or an ESS falls below ``ess_min``."""
    messages: list[Message] = []
    value = diagnostics.get("rhat", float("nan"))
    if np.isfinite(value) and value > rhat_max:
        messages.append(
            (
                f"R-hat of N is {value:.3f} (> {rhat_max}): the chains have not "
                "converged to the same distribution; run longer chains (more burnin "
                "and samples) before reading the estimate",
                ConvergenceWarning,
            )
        )
    for key, label in (("ess_bulk", "bulk"), ("ess_tail", "tail")):
        ess = diagnostics.get(key, float("nan"))
        if np.isfinite(ess) and ess < ess_min:
            messages.append(
                (
                    f"{label} effective sample size of N is {ess:.0f} (< "
                    f"{ess_min:.0f}): the {'median' if label == 'bulk' else 'interval'}"
                    " is noisy; increase samples or thinning",
                    ConvergenceWarning,
                )
            )
    return messages


def emit(messages: list[Message], stacklevel: int = 3) -> tuple[str, ...]:
    """Raise each message as a Python warning of its category; return the texts."""
    for text, category in messages:
        warnings.warn(text, category, stacklevel=stacklevel)
    return tuple(text for text, _ in messages)


def to_inference_data(
    posterior: Mapping[str, npt.NDArray[Any]],
    *,
    attrs: Mapping[str, Any] | None = None,
    observed: Mapping[str, npt.NDArray[Any]] | None = None,
) -> Any:
    """An ``arviz.InferenceData`` with the given ``(chain, draw)`` posterior arrays.

    ArviZ is imported here, on demand (it takes seconds to import). Works with the
    ArviZ 0.x API (``from_dict``); ArviZ's own future-API notice is silenced.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import arviz

    data = {name: np.asarray(values) for name, values in posterior.items()}
    return arviz.from_dict(
        posterior=data,
        observed_data=(
            {k: np.asarray(v) for k, v in observed.items()} if observed else None
        ),
        attrs=dict(attrs or {}),
    )
