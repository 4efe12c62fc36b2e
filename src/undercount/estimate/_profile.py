"""Profile-likelihood interval for ``N`` under a log-linear model.

For a candidate ``N`` the unobserved cell gets the count ``n0 = N - n`` and the model
is refitted on the complete ``2**J`` table (the unobserved cell's design row has only
the intercept). The multinomial profile log-likelihood is, up to a constant,
``-(D(N) - 2 c(N)) / 2`` where ``D`` is the Poisson deviance of that complete-table fit
and ``c(N) = log(n0**n0 N! / (N**N n0!))`` turns the Poisson likelihood into the
multinomial one (Cormack 1992, Biometrics 48:567; with Stirling's formula when
``N > 100``, as Rcapture 1.4-4 does).

Its maximiser is the multinomial MLE of ``N`` (slightly below the Poisson one,
``n + exp(b0)``, reported in model tables); the interval is the set of ``N`` whose
profile log-likelihood is within ``chi2_1(level) / 2`` of the maximum, searched
between ``n`` and ``3 x`` the Poisson estimate (Rcapture's ``fmaxSupCL = 3``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, ndtri

from undercount.estimate._base import check_level
from undercount.estimate._glm import fit_poisson
from undercount.estimate._models import ModelFit

FloatArray = npt.NDArray[np.float64]

UPPER_FACTOR = 3.0
"""The upper end is searched up to this multiple of the Poisson estimate."""


@dataclass(frozen=True, slots=True)
class ProfileInterval:
    """Multinomial MLE of ``N`` and its profile-likelihood interval."""

    estimate: float
    lower: float
    upper: float
    level: float
    lower_at_floor: bool
    """The likelihood never drops enough below the maximum between ``n`` and the
    estimate: the lower end is the documented count."""
    upper_open: bool
    """Not found below ``3 x`` the Poisson estimate: the upper end is infinite."""


def cormack_correction(n0: float, total: float) -> float:
    """``log(n0**n0 total! / (total**total n0!))`` (Stirling when total > 100)."""
    if total > 100:
        if n0 in (0.0, 1.0):
            return float(-total + 0.5 * np.log(2 * np.pi * total))
        return float(n0 - total - 0.5 * np.log(n0 / total))
    n0_log_n0 = n0 * np.log(n0) if n0 > 0 else 0.0
    return float(
        n0_log_n0 + gammaln(total + 1) - total * np.log(total) - gammaln(n0 + 1)
    )


class _Profile:
    """Profile log-likelihood of ``N`` for one model (with Chao's constraint)."""

    def __init__(self, y: FloatArray, model: ModelFit) -> None:
        self.y = y
        self.n = float(y.sum())
        design = model.full_design
        zero_row = np.zeros((1, design.shape[1]))
        zero_row[0, 0] = 1.0
        self.design = np.vstack([design, zero_row])
        self.chao_first = model.chao_first_eta

    def __call__(self, total: float) -> float:
        n0 = max(total - self.n, 0.0)
        counts = np.append(self.y, n0)
        fit = fit_poisson(counts, self.design)
        if self.chao_first is not None:
            columns = list(range(self.design.shape[1]))
            while True:
                etas = fit.coef[self.chao_first :]
                negative = np.flatnonzero(~np.isnan(etas) & (etas < 0))
                if negative.size == 0:
                    break
                columns.pop(self.chao_first + int(negative[0]))
                fit = fit_poisson(counts, self.design[:, columns])
        return -(fit.deviance - 2.0 * cormack_correction(n0, n0 + self.n)) / 2.0


def profile_interval(y: FloatArray, model: ModelFit, level: float) -> ProfileInterval:
    """Multinomial MLE and profile-likelihood interval of ``N`` (see module notes)."""
    from scipy.optimize import minimize_scalar

    check_level(level)
    profile = _Profile(y, model)
    n = profile.n
    poisson_n = max(model.abundance, n + 1e-9)
    best = minimize_scalar(
        lambda total: -profile(total),
        bounds=(n, max(1.5 * poisson_n, n + 1.0)),
        method="bounded",
        options={"xatol": 1e-6 * max(poisson_n, 1.0)},
    )
    n_max = float(best.x)
    l_max = -float(best.fun)
    target = l_max - float(ndtri(0.5 + level / 2.0)) ** 2 / 2.0  # chi2_1 quantile

    def gap(total: float) -> float:
        return profile(total) - target

    lower_at_floor = gap(n) > 0
    lower = n if lower_at_floor else _root(gap, n, n_max)
    top = UPPER_FACTOR * poisson_n
    upper_open = gap(top) > 0
    upper = float("inf") if upper_open else _root(gap, n_max, top)
    return ProfileInterval(n_max, lower, upper, level, lower_at_floor, upper_open)


def _root(function: Callable[[float], float], a: float, b: float) -> float:
    from scipy.optimize import brentq

    return float(brentq(function, a, b, xtol=1e-8 * max(abs(b), 1.0)))
