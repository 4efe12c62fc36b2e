"""Batched IRLS for hierarchical log-linear models, using the lattice structure.

Every column of a hierarchical design is the indicator "the pattern contains the
lists of term S" (the intercept is S = {}). Writing cells and terms as bit masks, the
weighted Gram matrix needed by each IRLS step is

    (X' W X)[S, T] = sum over cells c containing S | T of w_c  =  M(S | T),

where ``M`` is the superset-sum (zeta) transform of the weights, computed for all
``2**J`` masks in ``J`` vectorised passes; likewise ``X' W z`` is ``M_wz(S)`` and the
linear predictor ``X b`` is the subset-sum transform of the coefficients placed at
their masks. This replaces the ``O(cells x columns**2)`` products of a generic fit by
``O(cells x J + columns**2)`` per model, which is what makes the exhaustive search of
tens of thousands of models fast. The iteration is the same as
:func:`~undercount.estimate._glm.fit_poisson` (R's ``glm.fit`` path).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from undercount.estimate import _ieee
from undercount.estimate._glm import (
    MAX_ITER,
    BatchFit,
    deviance_settled,
    poisson_deviance,
    poisson_loglik,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_TINY = np.finfo(float).eps


def superset_sums(values: FloatArray, n_lists: int) -> FloatArray:
    """``out[..., S] = sum of values[..., c] over masks c that contain S``."""
    return _zeta(values, n_lists, into_subsets=True)


def subset_sums(values: FloatArray, n_lists: int) -> FloatArray:
    """``out[..., c] = sum of values[..., S] over masks S contained in c``."""
    return _zeta(values, n_lists, into_subsets=False)


def _zeta(values: FloatArray, n_lists: int, *, into_subsets: bool) -> FloatArray:
    """One pass per list: each mask without the list's bit and its partner with the
    bit set; the partner's value is added to the mask without it (``into_subsets``,
    giving superset sums) or the other way round (giving subset sums).

    Rows of a diverged fit, whose sums could pass the largest double, are summed
    with :func:`~undercount.estimate._ieee.add` (the same values, no warnings).
    """
    out = values.copy()
    target, source = (0, 1) if into_subsets else (1, 0)
    risky = _ieee.may_overflow_in_sums(out)
    if not risky.any():
        _zeta_passes(out, n_lists, target, source)
        return out
    safe = out[~risky]
    _zeta_passes(safe, n_lists, target, source)
    diverged = out[risky]
    _zeta_passes(diverged, n_lists, target, source, exact=True)
    out[~risky] = safe
    out[risky] = diverged
    return out


def _zeta_passes(
    out: FloatArray, n_lists: int, target: int, source: int, *, exact: bool = False
) -> None:
    batch = out.shape[0]
    if batch == 0:
        return
    for bit in range(n_lists):
        view = out.reshape(batch, -1, 2, 2**bit)
        if exact:
            view[:, :, target, :] = _ieee.add(
                view[:, :, target, :], view[:, :, source, :]
            )
        else:
            view[:, :, target, :] += view[:, :, source, :]


def _weighted_response(w: FloatArray, z: FloatArray) -> FloatArray:
    """``w * z``; rows of a diverged fit go through the overflow-stating product."""
    risky = _ieee.may_overflow_in_product(w, z)
    if not risky.any():
        return w * z
    out = np.empty_like(w)
    out[~risky] = w[~risky] * z[~risky]
    out[risky] = _ieee.multiply(w[risky], z[risky])
    return out


def fit_masks_batch(
    y: FloatArray, n_lists: int, masks: IntArray, *, max_iter: int = MAX_ITER
) -> BatchFit:
    """Fit hierarchical models given by term masks.

    Parameters
    ----------
    y
        Counts of the observable cells, by pattern index 1..2**J-1 (the bit mask of a
        pattern is its index, first list = most significant bit).
    n_lists
        ``J``.
    masks
        ``(models, columns)`` bit masks of each design column; column 0 must be the
        intercept (mask 0). Designs must have full rank (hierarchical ones do).
    """
    n_models, n_cols = masks.shape
    size = 2**n_lists
    y_full = np.concatenate([[0.0], np.asarray(y, dtype=np.float64)])
    observable = np.ones(size, dtype=bool)
    observable[0] = False
    union = (masks[:, :, None] | masks[:, None, :]).reshape(n_models, -1)
    rows = np.arange(n_models)[:, None]

    mu = np.broadcast_to(y_full + 0.1, (n_models, size)).copy()
    mu[:, 0] = 0.0
    eta = np.zeros_like(mu)
    eta[:, 1:] = np.log(mu[:, 1:])
    dev_old = poisson_deviance(y_full[1:], mu[:, 1:])
    beta = np.zeros((n_models, n_cols))
    weights = mu.copy()
    active = np.ones(n_models, dtype=bool)
    failed = np.zeros(n_models, dtype=bool)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        w = np.where(observable, np.maximum(mu[idx], _TINY), 0.0)
        weights[idx] = w
        z = np.where(
            observable, eta[idx] + (y_full - mu[idx]) / np.maximum(w, _TINY), 0.0
        )
        gram_all = superset_sums(w, n_lists)
        rhs_all = superset_sums(_weighted_response(w, z), n_lists)
        gram = np.take_along_axis(gram_all, union[idx], axis=1).reshape(
            idx.size, n_cols, n_cols
        )
        rhs = np.take_along_axis(rhs_all, masks[idx], axis=1)
        new_beta = _solve(gram, rhs)
        broken = ~np.isfinite(new_beta).all(axis=1)
        if broken.any():  # numerically degenerate fit: stop it where it is
            failed[idx[broken]] = True
            active[idx[broken]] = False
            keep = ~broken
            idx, new_beta = idx[keep], new_beta[keep]
            if idx.size == 0:
                break
        placed = np.zeros((idx.size, size))
        np.add.at(placed, (np.arange(idx.size)[:, None], masks[idx]), new_beta)
        new_eta = subset_sums(placed, n_lists)
        new_mu = np.where(observable, np.exp(np.minimum(new_eta, 700.0)), 0.0)
        dev = poisson_deviance(y_full[1:], new_mu[:, 1:])
        beta[idx], eta[idx], mu[idx] = new_beta, new_eta, new_mu
        done = deviance_settled(dev, dev_old[idx])
        dev_old[idx] = dev
        active[idx[done]] = False
    gram_all = superset_sums(weights, n_lists)
    gram = np.take_along_axis(gram_all, union, axis=1).reshape(n_models, n_cols, n_cols)
    unit = np.zeros((n_models, n_cols))
    unit[:, 0] = 1.0
    intercept_variance = _solve(gram, unit)[:, 0]
    del rows
    return BatchFit(
        coef=beta,
        intercept_variance=np.asarray(intercept_variance, dtype=np.float64),
        fitted=mu[:, 1:],
        deviance=poisson_deviance(y_full[1:], mu[:, 1:]),
        loglik=poisson_loglik(y_full[1:], mu[:, 1:]),
        converged=~active & ~failed,
    )


def _solve(matrices: FloatArray, rhs: FloatArray) -> FloatArray:
    """Batched solve; NaN rows for systems that are non-finite or singular."""
    solution = np.full(rhs.shape, np.nan)
    finite = np.isfinite(matrices).all(axis=(1, 2)) & np.isfinite(rhs).all(axis=1)
    if not finite.any():
        return solution
    try:
        solution[finite] = np.linalg.solve(matrices[finite], rhs[finite][..., None])[
            ..., 0
        ]
    except np.linalg.LinAlgError:
        for k in np.flatnonzero(finite):
            try:
                solution[k] = np.linalg.solve(matrices[k], rhs[k])
            except np.linalg.LinAlgError:
                continue
    return solution
