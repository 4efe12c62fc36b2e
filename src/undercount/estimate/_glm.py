"""Poisson log-linear fits by iteratively reweighted least squares (IRLS).

The iteration follows the reference implementation practitioners compare against
(R's ``glm.fit`` with ``family = poisson``, as called by Rcapture), so that fitted
values, deviances, AIC and standard errors agree with it even where the data push a
parameter towards the boundary (a zero cell whose fitted value tends to 0):

* start from ``mu = y + 0.1``;
* stop when ``|dev - dev_old| / (|dev| + 0.1) < 1e-8`` or after ``max_iter`` steps;
* the covariance of the coefficients is ``(X' W X)^-1`` with the working weights ``W``
  of the last least-squares step (as ``summary.glm`` reports it);
* columns that are linear combinations of earlier columns are aliased (dropped, their
  coefficient reported as NaN) and do not count in the rank, AIC or BIC.

:func:`fit_poisson` fits one design; the hierarchical model search fits many at once
with :func:`~undercount.estimate._fast_batch.fit_masks_batch` (same iteration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from undercount.estimate._ieee import LOG_MAX, MAX

FloatArray = npt.NDArray[np.float64]

EPSILON = 1e-8
"""Relative change of the deviance at which IRLS stops (R's glm.control default)."""
MAX_ITER = 25
"""Iteration cap (R's glm.control default, used by Rcapture)."""
ALIAS_TOLERANCE = 1e-7
"""A column whose part not explained by earlier columns has a relative norm below
this is aliased (R's ``lm``/``glm`` QR tolerance is of this order)."""
_TINY = np.finfo(float).eps
_NEAR_ZERO_MU = 1e-250
"""Fitted means below this are checked for ``y / mu`` passing the largest double."""


@dataclass(frozen=True, slots=True)
class PoissonFit:
    """A fitted Poisson log-linear model on a vector of cell counts.

    Attributes
    ----------
    coef
        Coefficients, one per design column; NaN for aliased columns.
    cov
        Covariance of the non-aliased coefficients (rows/cols in ``kept`` order).
    kept
        Indices of the non-aliased design columns.
    fitted
        Fitted cell means.
    deviance
        Poisson deviance ``2 sum(y log(y/mu) - (y - mu))``.
    loglik
        Poisson log-likelihood of the cells (with the ``log y!`` terms).
    rank
        Number of estimated (non-aliased) coefficients.
    converged
        Whether the deviance criterion was met within the iteration cap.
    iterations
        Number of IRLS steps taken.
    """

    coef: FloatArray
    cov: FloatArray
    kept: npt.NDArray[np.int64]
    fitted: FloatArray
    deviance: float
    loglik: float
    rank: int
    converged: bool
    iterations: int

    @property
    def df_residual(self) -> int:
        """Number of cells minus the rank."""
        return int(self.fitted.size - self.rank)

    @property
    def aic(self) -> float:
        """``-2 loglik + 2 rank`` (R's ``glm`` AIC)."""
        return -2.0 * self.loglik + 2.0 * self.rank

    def bic(self, n_observed: float) -> float:
        """``-2 loglik + log(n_observed) rank`` (Rcapture's BIC, n = people seen)."""
        return float(-2.0 * self.loglik + np.log(n_observed) * self.rank)

    def coef_variance(self, column: int) -> float:
        """Variance of the coefficient of design column ``column`` (NaN if aliased)."""
        where = np.flatnonzero(self.kept == column)
        if where.size == 0:
            return float("nan")
        return float(self.cov[where[0], where[0]])

    def has_vanishing_cells(self, y: FloatArray, threshold: float = 1e-4) -> bool:
        """Whether a zero cell is fitted near 0: a possible boundary estimate (checked
        exactly by :func:`~undercount.estimate._identifiability.check_face`)."""
        return bool(np.any((y == 0) & (self.fitted < threshold)))


def poisson_deviance(y: FloatArray, mu: FloatArray) -> FloatArray:
    """Deviance of each cell (summed over the last axis).

    A recorded cell fitted at 0 (or so near 0 that ``y / mu`` passes the largest
    double) contributes ``+inf``: the fit has diverged.
    """
    positive = y > 0
    safe_y, safe_mu = np.broadcast_arrays(
        np.where(positive, y, 1.0), np.where(positive, mu, 1.0)
    )
    near_zero = safe_mu < _NEAR_ZERO_MU  # only recorded cells can be
    if near_zero.any():
        fitted_away = np.zeros(safe_mu.shape, dtype=np.bool_)
        fitted_away[near_zero] = safe_mu[near_zero] <= safe_y[near_zero] / MAX
        safe_mu = np.where(fitted_away, 1.0, safe_mu)
        log_ratio = np.where(fitted_away, np.inf, np.log(safe_y / safe_mu))
    else:
        log_ratio = np.log(safe_y / safe_mu)
    terms = np.where(positive, y * log_ratio - (y - mu), mu)
    return np.asarray(2.0 * terms.sum(axis=-1), dtype=np.float64)


def poisson_loglik(y: FloatArray, mu: FloatArray) -> FloatArray:
    """Poisson log-likelihood summed over the last axis (``log y!`` included).

    A recorded cell fitted at 0 has log-likelihood ``-inf``; an empty one adds
    ``-mu`` whatever ``mu`` is.
    """
    positive = y > 0
    at_zero = mu <= 0.0
    y_log_mu = np.where(positive, y * np.log(np.where(at_zero, 1.0, mu)), 0.0)
    lost = positive & at_zero
    if lost.any():
        y_log_mu = np.where(lost, -np.inf, y_log_mu)
    terms = y_log_mu - mu - gammaln(y + 1.0)
    return np.asarray(terms.sum(axis=-1), dtype=np.float64)


def deviance_settled(
    deviance: FloatArray, previous: FloatArray
) -> npt.NDArray[np.bool_]:
    """R's stopping rule ``|dev - dev_old| / (|dev| + 0.1) < 1e-8``, per fit; a
    non-finite deviance (a diverged fit) never counts as settled."""
    both = np.isfinite(deviance) & np.isfinite(previous)
    change = np.full(np.shape(deviance), np.inf)
    np.subtract(deviance, previous, out=change, where=both)
    relative = np.full(np.shape(deviance), np.inf)
    np.divide(np.abs(change), np.abs(deviance) + 0.1, out=relative, where=both)
    return np.asarray(relative < EPSILON)


def non_aliased_columns(design: FloatArray) -> npt.NDArray[np.int64]:
    """Indices of columns that are not linear combinations of earlier columns."""
    kept: list[int] = []
    basis = np.zeros((design.shape[0], 0))
    for j in range(design.shape[1]):
        column = design[:, j]
        norm = float(np.linalg.norm(column))
        if norm == 0.0:
            continue
        residual = column - basis @ (basis.T @ column) if basis.shape[1] else column
        residual = (
            residual - basis @ (basis.T @ residual) if basis.shape[1] else residual
        )
        rnorm = float(np.linalg.norm(residual))
        if rnorm / norm > ALIAS_TOLERANCE:
            kept.append(j)
            basis = np.column_stack([basis, residual / rnorm])
    return np.asarray(kept, dtype=np.int64)


def fit_poisson(
    y: FloatArray,
    design: FloatArray,
    *,
    offset: FloatArray | None = None,
    max_iter: int = MAX_ITER,
) -> PoissonFit:
    """Fit ``log E[y] = offset + design @ coef`` by IRLS (see module notes).

    Parameters
    ----------
    y
        Cell counts (zeros included: an unobserved pattern is information).
    design
        ``(cells, columns)`` design matrix, intercept column included.
    offset
        Optional fixed term added to the linear predictor.
    max_iter
        Iteration cap.
    """
    y = np.asarray(y, dtype=np.float64)
    design = np.asarray(design, dtype=np.float64)
    kept = non_aliased_columns(design)
    x = design[:, kept]
    off = np.zeros_like(y) if offset is None else np.asarray(offset, dtype=np.float64)
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = float(poisson_deviance(y, mu))
    beta = np.zeros(x.shape[1])
    weights = mu
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - count is reported
        weights = np.maximum(mu, _TINY)
        z = eta - off + (y - mu) / weights
        sw = np.sqrt(weights)
        solution = np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)[0]
        beta_new = np.asarray(solution, dtype=np.float64)
        beta_new, mu_new, eta_new, dev = _step_with_halving(
            y, x, off, beta, beta_new, dev_old
        )
        beta, mu, eta = beta_new, mu_new, eta_new
        if abs(dev - dev_old) / (abs(dev) + 0.1) < EPSILON:
            converged = True
            break
        dev_old = dev
    cov = _inverse_information(x, weights)
    coef = np.full(design.shape[1], np.nan)
    coef[kept] = beta
    return PoissonFit(
        coef=coef,
        cov=cov,
        kept=kept,
        fitted=mu,
        deviance=float(poisson_deviance(y, mu)),
        loglik=float(poisson_loglik(y, mu)),
        rank=int(kept.size),
        converged=converged,
        iterations=iterations,
    )


def _step_with_halving(
    y: FloatArray,
    x: FloatArray,
    off: FloatArray,
    beta_old: FloatArray,
    beta_new: FloatArray,
    dev_old: float,
) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Take the IRLS step, halving it while the fit overflows (as glm.fit does)."""
    for _ in range(60):
        eta = x @ beta_new + off
        if np.all(eta <= LOG_MAX):  # else exp(eta) overflows (NaN fails too)
            mu = np.exp(eta)
            dev = float(poisson_deviance(y, mu)) if np.all(np.isfinite(mu)) else np.inf
            if np.isfinite(dev) and np.all(mu > 0):
                return beta_new, mu, eta, dev
        beta_new = (beta_new + beta_old) / 2.0
    eta = x @ beta_old + off
    mu = np.exp(eta)
    return beta_old, mu, eta, dev_old


def _inverse_information(x: FloatArray, weights: FloatArray) -> FloatArray:
    information = x.T @ (x * weights[:, None])
    try:
        return np.asarray(np.linalg.inv(information), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.pinv(information), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class BatchFit:
    """Many Poisson fits (same cells, same number of columns), stacked on axis 0."""

    coef: FloatArray
    """``(models, columns)`` coefficients."""
    intercept_variance: FloatArray
    """``(models,)`` variance of the first coefficient (the intercept)."""
    fitted: FloatArray
    """``(models, cells)`` fitted means."""
    deviance: FloatArray
    loglik: FloatArray
    converged: npt.NDArray[np.bool_]
