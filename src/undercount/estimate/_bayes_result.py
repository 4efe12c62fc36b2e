"""What the Bayesian results (LCMCR, dga) share: the result fields and presentation,
summaries of draws of ``N``, convergence checks and the conversion to ArviZ.

A Bayesian estimate of ``N`` is reported as the posterior median with an equal-tailed
interval (the quantiles ``(1 - level) / 2`` and ``(1 + level) / 2`` of the posterior),
as the reference R packages print them.
"""

from __future__ import annotations

import warnings
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from undercount.errors import ConvergenceWarning
from undercount.estimate._base import EstimateResult, check_level
from undercount.estimate._bayes_diagnostics import (
    ess_bulk,
    ess_tail,
    quantile_mcse,
    rhat,
)
from undercount.estimate._messages import Message

RHAT_MAX = 1.01
"""R-hat above this means the chains disagree (Vehtari et al. 2021)."""
ESS_MIN = 400.0
"""Fewer effective draws than this make quantiles too noisy (Vehtari et al. 2021)."""


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


def read_only(*arrays: npt.NDArray[Any]) -> None:
    """Freeze arrays a result keeps, so that the result stays immutable."""
    for array in arrays:
        array.setflags(write=False)


@dataclass(frozen=True, eq=False, repr=False)
class BayesianResult(EstimateResult):
    """Base of the Bayesian results: the posterior of ``N`` summarised (immutable).

    ``estimate`` is the posterior median; :meth:`interval` is equal-tailed, from the
    subclass's :meth:`quantile`. Subclasses name the posterior arrays ArviZ gets
    (:meth:`posterior_arrays`) and what their ``repr`` adds (:meth:`repr_details`).
    """

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    diagnostics: Mapping[str, Any]
    warnings: tuple[str, ...]

    @abstractmethod
    def quantile(self, p: float) -> float:
        """Posterior quantile of ``N`` at probability ``p``."""

    @abstractmethod
    def posterior_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Posterior arrays shaped ``(chain, draw)``, by variable name."""

    @abstractmethod
    def repr_details(self) -> str:
        """What ``repr`` shows after the estimate, interval and documented count."""

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Equal-tailed posterior interval of ``N`` at ``level``."""
        check_level(level)
        return self.quantile((1 - level) / 2), self.quantile((1 + level) / 2)

    def inference_attrs(self) -> dict[str, Any]:
        """Attributes of the ArviZ posterior group (method and lists by default)."""
        return {"method": self.method, "lists": list(self.lists)}

    def to_inference_data(self) -> Any:
        """The posterior draws as an ``arviz.InferenceData``."""
        return to_inference_data(self.posterior_arrays(), attrs=self.inference_attrs())

    def __repr__(self) -> str:
        lower, upper = self.interval()
        return (
            f"{type(self).__name__}(estimate={self.estimate:,.0f}, 95% interval="
            f"[{lower:,.0f}, {upper:,.0f}], observed={self.observed:,}, "
            f"{self.repr_details()})"
        )
