"""dga: Bayesian model averaging over decomposable graphical models (Madigan & York).

Lists may depend on each other (one organisation passes cases to another; two
lists draw on the same informants). A decomposable graphical model says which lists
interact directly; Madigan & York (1997) put a prior on every such model for the
``J`` lists and on the population size ``N``, integrate the cell probabilities out
under a hyper-Dirichlet prior, and average the posterior of ``N`` over the models by
their posterior probabilities. Every model is visited (8 for 3 lists, 61 for 4, 822
for 5) and every value of ``N`` on a grid, so the posterior is exact: no Monte Carlo.

Defaults follow the R package ``dga`` (Johndrow, Lum & Ball; ``bma.cr``): prior
``p(N) ∝ 1/N``, all models equally likely a priori, and ``delta = 2**-J`` prior
observations per cell (the value its documentation suggests; its examples use 0.5
for five lists and 1 for three).

Assumptions: a closed population, perfect linkage, and list dependence that some
decomposable graph describes; no individual heterogeneity in capture probabilities
beyond what list interactions absorb. Heterogeneity that makes every pair of lists
positively dependent, for instance, pushes estimates down. A pair of lists that
never overlap carries no information on their interaction (``dga`` stays silent;
we warn).

References
----------
Madigan, D. and York, J. C. (1997). Bayesian methods for estimation of the size of a
closed population. Biometrika 84(1), 19-31.
Dawid, A. P. and Lauritzen, S. L. (1993). Hyper Markov laws in the statistical
analysis of decomposable graphical models. Annals of Statistics 21, 1272-1317.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.errors import BoundaryEstimateWarning, UserInputError
from undercount.estimate._base import register_method
from undercount.estimate._bayes_result import BayesianResult, read_only
from undercount.estimate._dga_graphs import decomposable_graphs
from undercount.estimate._dga_search import GridPosterior, averaged_posterior
from undercount.estimate._guards import (
    overlap_messages,
    require_lists,
    require_unstratified,
)
from undercount.estimate._messages import Message, emit
from undercount.model.capture_table import CaptureTable

__all__ = ["DGA", "DGAResult", "bayes_estimator", "posterior_quantile"]

LogPrior = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]
DEFAULT_SAMPLES = 10_000
_CHAIN_OPTIONS = frozenset(
    {"K", "burnin", "thinning", "chains", "a_alpha", "b_alpha", "workers"}
)
"""LCMCR options a caller (the CLI) may pass to every method; dga accepts them unset."""
TAIL_TOLERANCE = 1e-6


def posterior_quantile(
    values: npt.NDArray[np.float64], probs: npt.NDArray[np.float64], p: float
) -> float:
    """The first grid value whose cumulative probability exceeds ``p`` (as ``dga``'s
    ``posteriorQuantiles``)."""
    cumulative = np.cumsum(probs) / probs.sum()
    index = int(np.searchsorted(cumulative, p, side="right"))
    return float(values[min(index, values.size - 1)])


def bayes_estimator(
    values: npt.NDArray[np.float64], probs: npt.NDArray[np.float64]
) -> float:
    """Madigan & York's point estimate under relative squared error loss,
    ``E[1/N] / E[1/N^2]`` (``dga``'s ``bayesEstimator``)."""
    return float(np.sum(probs / values) / np.sum(probs / values**2))


@dataclass(frozen=True, eq=False, repr=False)
class DGAResult(BayesianResult):
    """Model-averaged posterior of ``N`` (immutable).

    Attributes
    ----------
    estimate
        Posterior median of ``N`` (model averaged).
    values, probabilities
        The grid of ``N`` and the averaged posterior probability of each value.
    model_weights
        One row per decomposable model, by decreasing posterior probability:
        ``model`` (cliques in bracket notation), ``probability``, and the model's own
        posterior ``median``, ``mean``, ``bayes_estimate``, ``mode``, ``lower`` and
        ``upper`` (95%; computed for the leading models, NaN for the others).
    draws
        Draws from the averaged posterior (seeded), for combining strata.

    The interval comes from the exact averaged posterior (not the draws).
    """

    values: npt.NDArray[np.float64] = field(repr=False)
    probabilities: npt.NDArray[np.float64] = field(repr=False)
    model_weights: pd.DataFrame = field(repr=False)
    draws: npt.NDArray[np.int64] = field(repr=False)

    def quantile(self, p: float) -> float:
        """Posterior quantile of ``N`` from the exact averaged posterior."""
        return posterior_quantile(self.values, self.probabilities, p)

    @property
    def posterior(self) -> pd.DataFrame:
        """The averaged posterior as a frame: ``N``, ``probability``."""
        return pd.DataFrame({"N": self.values, "probability": self.probabilities})

    def posterior_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The posterior draws of ``N`` as one chain."""
        return {"N": self.draws.reshape(1, -1)}

    def repr_details(self) -> str:
        """The leading model and its posterior probability."""
        return (
            f"top model={self.model_weights['model'].iloc[0]} "
            f"({self.model_weights['probability'].iloc[0]:.3f})"
        )


class DGA:
    """Bayesian model averaging over decomposable graphs, for 3 to 5 lists.

    Parameters
    ----------
    delta
        Prior observations per cell of the hyper-Dirichlet prior. Default ``2**-J``.
    prior
        Prior of ``N``: ``"1/N"`` (default, as ``dga``), ``"uniform"``, or a function
        returning the log prior of an array of ``N`` values.
    n_missing
        Grid of the number of people no list recorded. Default: ``0, 1, ...`` up to a
        bound extended until the posterior's tail mass beyond it is negligible.
    model_prior
        Log prior weight of each model, in the order of
        :func:`~undercount.estimate._dga_graphs.decomposable_graphs` (default equal).
    samples
        Posterior draws of ``N`` to keep (for strata sums). Default 10,000.
    seed
        Seed of the draws (the posterior itself is exact).
    """

    def __init__(
        self,
        *,
        delta: float | None = None,
        prior: str | LogPrior = "1/N",
        n_missing: npt.ArrayLike | None = None,
        model_prior: npt.ArrayLike | None = None,
        samples: int | None = None,
        seed: int | None = None,
        **unused: Any,
    ) -> None:
        self.delta = delta
        self.prior = prior
        self.n_missing = n_missing
        self.model_prior = model_prior
        self.samples = samples
        self.seed = seed
        self.unused = unused

    def fit(self, table: CaptureTable) -> DGAResult:
        """Average the posterior of ``N`` over all decomposable models.

        Raises
        ------
        UserInputError
            Stratified table, fewer than 3 non-empty lists or more than 5 lists,
            options out of range.

        Warns
        -----
        SparseCellsWarning
            Two lists that never overlap.
        BoundaryEstimateWarning
            Posterior mass left at an end of the ``N`` grid.
        """
        self._check_unused()
        require_unstratified(table, "dga")
        require_lists(table, "dga", 3)
        if table.n_lists > 5:
            raise UserInputError(
                f"dga: averages over decomposable graphs for 3 to 5 lists; this table "
                f"has {table.n_lists} ({list(table.lists)!r}); merge lists or use "
                "lcmcr or loglinear"
            )
        n_lists = table.n_lists
        delta = 2.0**-n_lists if self.delta is None else float(self.delta)
        if not (np.isfinite(delta) and delta > 0):
            raise UserInputError(f"dga: delta must be positive, got {self.delta!r}")
        graphs = decomposable_graphs(n_lists)
        posterior = averaged_posterior(
            table.full_counts(),
            graphs,
            delta=delta,
            log_prior=self._log_prior(),
            grid=self._grid(),
            log_prior_models=self._model_prior(len(graphs)),
            tail_tolerance=TAIL_TOLERANCE,
            names=table.lists,
        )
        return self._result(table, posterior, delta)

    # ------------------------------------------------------------------ helpers
    def _check_unused(self) -> None:
        unknown = sorted(set(self.unused) - _CHAIN_OPTIONS)
        if unknown:
            raise UserInputError(
                f"dga: unknown option(s) {unknown!r}; dga takes delta, prior, "
                "n_missing, model_prior, samples and seed"
            )
        given = {k: v for k, v in self.unused.items() if v is not None}
        if given:
            raise UserInputError(
                f"dga: option(s) {sorted(given)!r} apply to lcmcr only; dga computes "
                "its posterior exactly (no chains): use samples, seed, delta, prior"
            )

    def _log_prior(self) -> LogPrior:
        if callable(self.prior):
            return self.prior
        if self.prior == "1/N":
            return lambda n: -np.log(n)
        if self.prior == "uniform":
            return lambda n: np.zeros_like(n)
        raise UserInputError(
            f"dga: prior must be '1/N', 'uniform' or a function, got {self.prior!r}"
        )

    def _grid(self) -> npt.NDArray[np.float64] | None:
        if self.n_missing is None:
            return None
        grid = np.asarray(self.n_missing, dtype=np.float64).ravel()
        if (
            grid.size == 0
            or np.any(grid < 0)
            or np.any(grid != np.round(grid))
            or np.any(np.diff(grid) <= 0)
        ):
            raise UserInputError(
                "dga: n_missing must be increasing whole numbers >= 0, got "
                f"{self.n_missing!r}"
            )
        return grid

    def _model_prior(self, n_graphs: int) -> npt.NDArray[np.float64] | None:
        if self.model_prior is None:
            return None
        weights = np.asarray(self.model_prior, dtype=np.float64).ravel()
        if weights.size != n_graphs:
            raise UserInputError(
                f"dga: model_prior needs one log weight per model ({n_graphs}), got "
                f"{weights.size}"
            )
        return weights

    def _result(
        self, table: CaptureTable, posterior: GridPosterior, delta: float
    ) -> DGAResult:
        samples = DEFAULT_SAMPLES if self.samples is None else self.samples
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise UserInputError(f"dga: samples must be >= 1, got {samples!r}")
        seed_sequence = np.random.SeedSequence(self.seed)
        rng = np.random.default_rng(seed_sequence)
        values, probs = posterior.values, posterior.probabilities
        draws = rng.choice(values, size=samples, p=probs).astype(np.int64)
        read_only(values, probs, draws)
        messages: list[Message] = list(overlap_messages(table))
        if posterior.tail_mass > 1e-4:
            messages.append(
                (
                    f"dga: {posterior.tail_mass:.2g} of the posterior lies at the top "
                    f"of the N grid (N = {values[-1]:,.0f}); the upper end is "
                    "truncated: pass a larger n_missing grid or check list overlaps",
                    BoundaryEstimateWarning,
                )
            )
        if values[0] > table.n_observed and probs[0] > 1e-3:
            messages.append(
                (
                    f"dga: {probs[0]:.2g} of the posterior sits at the bottom of the "
                    f"N grid ({values[0]:,.0f}); start n_missing at 0",
                    BoundaryEstimateWarning,
                )
            )
        top = posterior.models.iloc[0]
        diagnostics: dict[str, Any] = {
            "delta": delta,
            "prior": self.prior if isinstance(self.prior, str) else "custom",
            "n_models": len(posterior.models),
            "top_model": str(top["model"]),
            "top_model_probability": float(top["probability"]),
            "posterior_mean": float(np.sum(values * probs)),
            "bayes_estimate": bayes_estimator(values, probs),
            "grid_min": float(values[0]),
            "grid_max": float(values[-1]),
            "tail_mass": posterior.tail_mass,
            "samples": samples,
            "seed_entropy": seed_sequence.entropy,
        }
        return DGAResult(
            method="dga",
            lists=table.lists,
            observed=table.n_observed,
            estimate=posterior_quantile(values, probs, 0.5),
            diagnostics=diagnostics,
            warnings=emit(messages),
            values=values,
            probabilities=probs,
            model_weights=posterior.models,
            draws=draws,
        )


register_method("dga", DGA)
