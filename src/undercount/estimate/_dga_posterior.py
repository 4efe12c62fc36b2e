"""Posterior over (decomposable model, number missed) for Madigan & York's method.

For a decomposable graph ``g`` and a number ``n0`` of people no list recorded, the
completed ``2**J`` table has ``N = n + n0`` people. Under a hyper-Dirichlet prior
(Dawid & Lauritzen 1993) the cell probabilities integrate out in closed form:

``log p(table | g, N) = log N!/(n0! prod_cells y!) + sum_C f_C - sum_S f_S``

over the cliques ``C`` and separators ``S`` of ``g``, where for a set ``A`` of lists
with marginal counts ``y_A`` (the all-zero marginal cell including ``n0``)

``f_A = lG(a) - lG(N + a) + sum_cells [lG(y_A + a_A) - lG(a_A)]``  (``lG = log Gamma``)

with ``a = delta * 2**J`` the prior's total weight and ``a_A = delta * 2**(J - |A|)``
per marginal cell (the marginal of a Dirichlet with ``delta`` per cell). The joint
posterior adds the log prior of ``N`` (and of the model). This is the computation of
the R package ``dga`` (``bma.cr``), written from these formulas.

Only the all-zero marginal cell and ``N`` depend on ``n0``, so each ``f_A`` costs two
log-gamma evaluations per grid point; a graph's term is a signed sum of the ``f_A``,
i.e. one matrix product over the ``2**J - 1`` non-empty sets.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from undercount.estimate._dga_graphs import DecomposableGraph

FloatArray = npt.NDArray[np.float64]


def marginal_counts(full_counts: npt.NDArray[np.int64], subset: int) -> FloatArray:
    """Counts of the marginal table over the lists in bit mask ``subset``.

    ``full_counts`` is indexed by pattern (first list = most significant bit);
    marginal cell index = the pattern's bits in ``subset``, packed in order.
    """
    n_patterns = full_counts.size
    n_lists = n_patterns.bit_length() - 1
    bits = [b for b in range(n_lists - 1, -1, -1) if subset >> b & 1]
    index = np.zeros(n_patterns, dtype=np.int64)
    patterns = np.arange(n_patterns)
    for position, b in enumerate(bits):
        index |= ((patterns >> b) & 1) << (len(bits) - 1 - position)
    out = np.zeros(1 << len(bits), dtype=np.float64)
    np.add.at(out, index, full_counts.astype(np.float64))
    return out


def component_log_likelihoods(
    full_counts: npt.NDArray[np.int64], n_missing: FloatArray, delta: float
) -> FloatArray:
    """``f_A(n0)`` for every non-empty list set ``A`` (rows, by bit mask - 1) and
    every grid value ``n0`` (columns)."""
    n_patterns = full_counts.size
    n_lists = n_patterns.bit_length() - 1
    observed = float(full_counts[1:].sum())
    total_prior = delta * n_patterns
    normaliser = gammaln(total_prior) - gammaln(observed + n_missing + total_prior)
    rows = np.empty((n_patterns - 1, n_missing.size), dtype=np.float64)
    for subset in range(1, n_patterns):
        counts = marginal_counts(full_counts, subset)
        counts[0] = counts[0] - full_counts[0]  # the missing cell is n0, not data
        cell_prior = delta * 2.0 ** (n_lists - subset.bit_count())
        fixed = float(np.sum(gammaln(counts[1:] + cell_prior)))
        fixed -= counts.size * float(gammaln(cell_prior))
        rows[subset - 1] = (
            fixed + gammaln(counts[0] + n_missing + cell_prior) + normaliser
        )
    return rows


def graph_coefficients(
    graphs: tuple[DecomposableGraph, ...], n_lists: int
) -> FloatArray:
    """Matrix ``(graphs, 2**J - 1)``: +1 per clique, -1 per separator of each graph."""
    coefficients = np.zeros((len(graphs), (1 << n_lists) - 1), dtype=np.float64)
    for g, graph in enumerate(graphs):
        for clique in graph.cliques:
            coefficients[g, clique - 1] += 1.0
        for separator in graph.separators:
            coefficients[g, separator - 1] -= 1.0
    return coefficients


def log_joint_posterior(
    full_counts: npt.NDArray[np.int64],
    n_missing: FloatArray,
    delta: float,
    coefficients: FloatArray,
    log_prior_n: FloatArray,
    log_prior_models: FloatArray | None = None,
) -> FloatArray:
    """Unnormalised log posterior, ``(models, grid)``, of model and ``n0``.

    ``coefficients`` comes from :func:`graph_coefficients`; ``log_prior_n`` is the
    log prior of ``N = n + n0`` on the grid.
    """
    observed = float(full_counts[1:].sum())
    components = component_log_likelihoods(full_counts, n_missing, delta)
    joint = coefficients @ components
    multinomial = (
        gammaln(observed + n_missing + 1.0)
        - gammaln(n_missing + 1.0)
        - float(np.sum(gammaln(full_counts[1:] + 1.0)))
    )
    joint += multinomial + log_prior_n
    if log_prior_models is not None:
        joint += log_prior_models[:, None]
    return joint


def normalise_log(weights: FloatArray) -> FloatArray:
    """``exp(weights)`` scaled to sum to one (stable)."""
    shifted = np.exp(weights - np.max(weights))
    return np.asarray(shifted / shifted.sum(), dtype=np.float64)
