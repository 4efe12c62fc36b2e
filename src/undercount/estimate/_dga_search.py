"""The averaged posterior of ``N`` over a grid, computed in bounded memory.

The joint posterior is a ``(models, grid)`` matrix: 822 models for 5 lists times a
grid that may need 10^5 values or more. It is built in chunks of the grid, keeping
only the running model masses and the model-averaged posterior; a second pass keeps
the full rows of the leading models for their own summaries.

When no grid is given, ``n0 = 0, 1, ..., U``, with ``U`` chosen from a first pass
over a coarse geometric grid (a few hundred points up to 4 million): ``U`` is where
the posterior mass beyond it, integrated on the coarse grid, falls below a
tolerance. The posterior of ``N`` under ``1/N`` can have a long right tail when lists
overlap little; the same coarse integral reports the mass any grid leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from undercount.estimate._dga_graphs import DecomposableGraph
from undercount.estimate._dga_posterior import graph_coefficients, log_joint_posterior

FloatArray = npt.NDArray[np.float64]
LogPrior = Callable[[FloatArray], FloatArray]

CHUNK_CELLS = 4_000_000
"""Largest (models x grid) block held at once (32 MB of float64)."""
MAX_GRID = 4_000_000
"""Largest automatic grid of n0."""
TAIL_POINTS = 2_000
"""Grid points spent on the far tail (beyond 1 - 1e-4 of the posterior mass)."""
LEADING_MODELS = 20
"""Models whose own posterior of N is summarised in the model table."""


@dataclass(frozen=True)
class GridPosterior:
    """The model-averaged posterior of ``N`` on a grid, and the model table."""

    values: FloatArray
    probabilities: FloatArray
    models: pd.DataFrame
    tail_mass: float


@dataclass(frozen=True)
class _Inputs:
    """What every pass over the grid shares: the data, the priors and the models
    (one row of ``coefficients`` per model, see :func:`graph_coefficients`)."""

    full_counts: npt.NDArray[np.int64]
    delta: float
    coefficients: FloatArray
    log_prior: LogPrior
    log_prior_models: FloatArray | None

    @property
    def observed(self) -> float:
        """People on at least one list."""
        return float(self.full_counts[1:].sum())

    @property
    def step(self) -> int:
        """Grid points per chunk (bounded memory)."""
        return max(1, CHUNK_CELLS // int(self.coefficients.shape[0]))

    def log_joint(self, n_missing: FloatArray) -> FloatArray:
        """Unnormalised log posterior ``(models, grid)`` at the given ``n0``."""
        return log_joint_posterior(
            self.full_counts,
            n_missing,
            self.delta,
            self.coefficients,
            self.log_prior(self.observed + n_missing),
            self.log_prior_models,
        )


def _pass(
    inputs: _Inputs, grid: FloatArray, log_width: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """Log mass of each model and log averaged posterior at each grid value.

    ``log_width`` weights each grid point by the stretch of ``n0`` it stands for
    (zero, i.e. width one, on a unit grid).
    """
    step = inputs.step
    model_mass = np.full(inputs.coefficients.shape[0], -np.inf)
    averaged = np.empty(grid.size)
    for start in range(0, grid.size, step):
        joint = inputs.log_joint(grid[start : start + step])
        if log_width is not None:
            joint += log_width[start : start + step]
        # one exponential per cell serves both margins
        column_top = np.max(joint, axis=0)
        scaled = np.exp(joint - column_top)
        averaged[start : start + step] = np.log(scaled.sum(axis=0)) + column_top
        top = float(np.max(column_top))
        # a model whose mass underflows to 0 here has log mass -inf
        mass = scaled @ np.exp(column_top - top)
        log_mass = np.full(mass.shape, -np.inf)
        np.log(mass, out=log_mass, where=~(mass <= 0.0))
        chunk_mass = log_mass + top
        model_mass = np.logaddexp(model_mass, chunk_mass)
    return model_mass, averaged


def _logsumexp(values: FloatArray, axis: int) -> FloatArray:
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    summed = np.log(np.sum(np.exp(values - top), axis=axis))
    return np.asarray(summed + np.squeeze(top, axis=axis), dtype=np.float64)


def _mass_beyond(inputs: _Inputs) -> tuple[FloatArray, FloatArray]:
    """Coarse grid of ``n0`` and the posterior mass beyond each of its points.

    The averaged posterior is evaluated at geometrically spaced ``n0`` and integrated
    by the trapezoid rule (the density is smooth in ``n0``); accurate enough to place
    the end of the exact grid and to report truncation.
    """
    coarse = np.unique(np.round(np.geomspace(1.0, float(MAX_GRID), 400)))
    coarse = np.concatenate([[0.0], coarse])
    _, log_density = _pass(inputs, coarse)
    density = np.exp(log_density - np.max(log_density))
    pieces = 0.5 * (density[1:] + density[:-1]) * np.diff(coarse)
    beyond = np.concatenate([np.cumsum(pieces[::-1])[::-1], [0.0]])
    total = beyond[0] + density[0]
    return coarse, beyond / total


def _model_rows(
    inputs: _Inputs, grid: FloatArray, log_width: FloatArray | None = None
) -> FloatArray:
    """Normalised posterior of ``N`` under each model of ``inputs`` (rows)."""
    step = inputs.step
    rows = np.empty((inputs.coefficients.shape[0], grid.size))
    for start in range(0, grid.size, step):
        rows[:, start : start + step] = inputs.log_joint(grid[start : start + step])
    if log_width is not None:
        rows += log_width
    rows -= rows.max(axis=1, keepdims=True)
    np.exp(rows, out=rows)
    rows /= rows.sum(axis=1, keepdims=True)
    return rows


def _model_table(
    graphs: tuple[DecomposableGraph, ...],
    names: tuple[str, ...] | None,
    probabilities: FloatArray,
    rows: FloatArray,
    leading: npt.NDArray[np.int64],
    values: FloatArray,
) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "model": [g.label(names) for g in graphs],
            "probability": probabilities,
            "median": np.nan,
            "mean": np.nan,
            "bayes_estimate": np.nan,
            "mode": np.nan,
            "lower": np.nan,
            "upper": np.nan,
        }
    )
    for row, index in zip(rows, leading, strict=True):
        cumulative = np.cumsum(row)
        at = np.searchsorted(cumulative, [0.5, 0.025, 0.975], side="right")
        at = np.minimum(at, values.size - 1)
        table.loc[index, ["median", "lower", "upper"]] = values[at]
        table.loc[index, "mean"] = float(np.sum(values * row))
        table.loc[index, "bayes_estimate"] = float(
            np.sum(row / values) / np.sum(row / values**2)
        )
        table.loc[index, "mode"] = values[int(np.argmax(row))]
    table.insert(0, "graph", np.arange(len(graphs)))
    order = np.argsort(-probabilities, kind="stable")
    return table.iloc[order].reset_index(drop=True)


def _automatic_grid(
    coarse: FloatArray, beyond: FloatArray, tail_tolerance: float
) -> tuple[FloatArray, FloatArray]:
    """Every ``n0`` up to where 1e-4 of the mass remains, then sparser points.

    Quantiles up to 99.99% therefore fall on the unit grid (exact, as ``dga``);
    the far tail, needed only for its mass and the mean, is covered by up to
    ``TAIL_POINTS`` integers, each weighted by the stretch of ``n0`` it stands for.
    """

    def point(threshold: float) -> float:
        enough = np.flatnonzero(beyond < threshold)
        return float(coarse[enough[0]] if enough.size else coarse[-1])

    dense_end = max(1000.0, np.ceil(1.1 * point(1e-4)))
    end = max(dense_end, np.ceil(1.1 * point(tail_tolerance)))
    dense = np.arange(0.0, dense_end + 1.0)
    sparse = np.unique(np.round(np.geomspace(dense_end + 1.0, end, TAIL_POINTS)))
    sparse = sparse[sparse > dense_end]
    grid = np.concatenate([dense, sparse])
    edges = np.concatenate(
        [[grid[0] - 0.5], (grid[1:] + grid[:-1]) / 2, [grid[-1] + 0.5]]
    )
    return grid, np.log(np.diff(edges))


def averaged_posterior(
    full_counts: npt.NDArray[np.int64],
    graphs: tuple[DecomposableGraph, ...],
    *,
    delta: float,
    log_prior: LogPrior,
    grid: FloatArray | None,
    log_prior_models: FloatArray | None = None,
    tail_tolerance: float = 1e-6,
    names: tuple[str, ...] | None = None,
) -> GridPosterior:
    """Model-averaged posterior of ``N`` and the model table (see module notes)."""
    n_lists = full_counts.size.bit_length() - 1
    inputs = _Inputs(
        full_counts,
        delta,
        graph_coefficients(graphs, n_lists),
        log_prior,
        log_prior_models,
    )
    coarse, beyond = _mass_beyond(inputs)
    log_width = None
    if grid is None:
        grid, log_width = _automatic_grid(coarse, beyond, tail_tolerance)
    tail = float(np.interp(grid[-1], coarse, beyond))
    model_mass, averaged = _pass(inputs, grid, log_width)
    probabilities = np.exp(averaged - _logsumexp(averaged, axis=0))
    model_probabilities = np.exp(model_mass - _logsumexp(model_mass, axis=0))
    leading = np.argsort(-model_probabilities, kind="stable")[:LEADING_MODELS]
    # each leading model's own posterior of N: its prior weight cancels
    own = replace(
        inputs, coefficients=inputs.coefficients[leading], log_prior_models=None
    )
    rows = _model_rows(own, grid, log_width)
    values = inputs.observed + grid
    return GridPosterior(
        values=values,
        probabilities=probabilities,
        models=_model_table(graphs, names, model_probabilities, rows, leading, values),
        tail_mass=tail,
    )
