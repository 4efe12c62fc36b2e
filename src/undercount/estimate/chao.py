"""Chao's lower bound and the sample-coverage estimator.

**Lower bound** (Chao 1987; K-list form in Chao 2001). Let ``f_k`` be the number of
people recorded by exactly ``k`` of the ``K`` lists and ``D`` the number documented.
Whatever the heterogeneity of recording probabilities between people (lists
independent given the person), the number nobody recorded is at least about

    f0 = (K - 1) / K * f1**2 / (2 f2),

so ``N = D + f0`` is a lower bound. When ``f2 = 0`` the bias-corrected form
``(K - 1) / K * f1 (f1 - 1) / (2 (f2 + 1))`` is used (Chao 2005). The variance is the
delta-method variance under the multinomial distribution of ``(f1, ..., fK)`` given
``N`` (for ``K`` large it is Chao's 1987 formula
``f2 [(f1/f2)^4 / 4 + (f1/f2)^3 + (f1/f2)^2 / 2]``); the interval is Chao's (1987)
log-normal interval.

**Sample coverage** (Chao & Tsay 1998; Chao et al. 2001, eqs. 9 and 12), three lists.
The sample coverage ``C`` is the average, over lists, of the chance that a person on
one list is also on another one; ``C_hat = 1 - (1/3) sum_j Z_j / n_j`` with ``Z_j``
the people recorded only by list ``j``. Under independence ``N = D / C_hat``; allowing
every pair of lists to be dependent (through a common heterogeneity, measured by the
coefficients of covariation), the high-coverage estimator is

    N = sum_{j<k} n_jk / (3 C_hat - sum_{j<k} (Z_j + Z_k + 2 Z_jk) n_jk / (n_j n_k))

with ``n_jk`` the people on both ``j`` and ``k`` and ``Z_jk`` those on exactly those
two lists. It is reliable when the coverage is high (above ~55%, Chao et al. 2001);
its standard error here is the delta-method one (the authors' software bootstraps).

References
----------
Chao, A. (1987). Estimating the population size for capture-recapture data with
unequal catchability. Biometrics 43, 783-791.
Chao, A. (2001). An overview of closed capture-recapture models. Journal of
Agricultural, Biological, and Environmental Statistics 6, 158-175.
Chao, A. (2005). Species estimation and applications. Encyclopedia of Statistical
Sciences, 2nd ed., 7907-7916.
Chao, A. & Tsay, P. K. (1998). A sample coverage approach to multiple-system
estimation with application to census undercount. JASA 93, 283-293.
Chao, A., Tsay, P. K., Lin, S.-H., Shau, W.-Y. & Chao, D.-Y. (2001). The applications
of capture-recapture models to epidemiological data. Statistics in Medicine 20,
3123-3157.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from undercount.errors import BoundaryEstimateWarning, SparseCellsWarning
from undercount.estimate._base import EstimationError, register_method
from undercount.estimate._guards import (
    non_empty_lists,
    overlap_messages,
    require_lists,
    require_unstratified,
)
from undercount.estimate._messages import Message, emit
from undercount.estimate._wald import IntervalKind, WaldResult
from undercount.model.capture_table import CaptureTable

__all__ = ["ChaoLowerBound", "SampleCoverage", "capture_frequencies"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def capture_frequencies(table: CaptureTable) -> npt.NDArray[np.int64]:
    """``f[k]`` = number of people recorded by exactly ``k`` lists (``f[0] = 0``)."""
    k = table.patterns.sum(axis=1).astype(np.int64)
    return np.bincount(k, weights=table.counts, minlength=table.n_lists + 1).astype(
        np.int64
    )


def _delta_variance(
    function: Callable[[FloatArray], float], cells: FloatArray, total: float
) -> float:
    """Multinomial delta-method variance of ``function(cells)`` given ``N = total``.

    ``cov(x_i, x_j) = x_i (delta_ij - x_j / N)``; the gradient is taken by central
    differences (the estimators are smooth, rational functions of the counts).
    """
    gradient = np.zeros_like(cells)
    for i, value in enumerate(cells):
        step = 1e-5 * max(value, 1.0)
        up, down = cells.copy(), cells.copy()
        up[i] += step
        down[i] -= step
        gradient[i] = (function(up) - function(down)) / (2 * step)
    weighted = gradient * cells
    return float(gradient @ weighted - weighted.sum() ** 2 / total)


@dataclass(frozen=True, slots=True)
class ChaoLowerBound:
    """Chao's lower bound ``D + (K-1)/K f1^2 / (2 f2)`` (see module notes).

    Parameters
    ----------
    bias_corrected
        ``None`` (default): the classic form, bias-corrected only when ``f2 = 0``;
        ``True`` / ``False`` force one form.
    interval
        ``"lognormal"`` (Chao 1987, default) or ``"normal"``.
    """

    bias_corrected: bool | None = None
    interval: IntervalKind = "lognormal"

    def fit(self, table: CaptureTable) -> WaldResult:
        """Estimate the lower bound of ``N`` from the capture frequencies."""
        require_unstratified(table, "chao")
        require_lists(table, "chao", 2)
        k = len(non_empty_lists(table))
        freq = capture_frequencies(table).astype(np.float64)[1:]
        f1 = freq[0]
        f2 = freq[1] if freq.size > 1 else 0.0
        corrected = self.bias_corrected if self.bias_corrected is not None else f2 == 0
        factor = (k - 1) / k

        def hidden(f: FloatArray) -> float:
            if corrected:
                return float(factor * f[0] * (f[0] - 1) / (2 * (f[1] + 1)))
            return float(factor * f[0] ** 2 / (2 * f[1]))

        observed = table.n_observed
        messages: list[Message] = list(overlap_messages(table))
        if f1 == 0:
            messages.append(
                (
                    "nobody was recorded by exactly one list (f1 = 0): the lower bound "
                    "is the documented count itself",
                    BoundaryEstimateWarning,
                )
            )
            hidden_count, variance = 0.0, 0.0
        else:
            hidden_count = hidden(freq)
            variance = _delta_variance(
                lambda f: f.sum() + hidden(f), freq, observed + hidden_count
            )
        estimate = observed + hidden_count
        if f2 == 0:
            messages.append(
                (
                    "nobody was recorded by exactly two lists (f2 = 0): the "
                    "bias-corrected form was used and the bound is very uncertain",
                    SparseCellsWarning,
                )
            )
        return WaldResult(
            method="chao",
            lists=table.lists,
            observed=observed,
            estimate=estimate,
            stderr=float(np.sqrt(max(variance, 0.0))),
            interval_kind=self.interval,
            diagnostics={
                "kind": "lower bound",
                "f1": int(f1),
                "f2": int(f2),
                "lists_used": k,
                "bias_corrected": bool(corrected),
                "frequencies": [int(x) for x in freq],
            },
            warnings=emit(messages),
        )


Variant = Literal["auto", "high-coverage", "one-step", "independent"]
VARIANTS: tuple[str, ...] = ("auto", "high-coverage", "one-step", "independent")
HIGH_COVERAGE = 0.55
"""Coverage above which Chao et al. (2001) trust the high-coverage estimator."""


@dataclass(frozen=True, slots=True)
class SampleCoverage:
    """Chao & Tsay's sample-coverage estimators (see module notes).

    Parameters
    ----------
    variant
        ``"high-coverage"`` (eq. 12, three lists), ``"one-step"`` (eq. 13, any number
        of lists, for low coverage), ``"independent"`` (eq. 9), or ``"auto"``
        (default): high-coverage with three lists and coverage >= 55%, else one-step.
    lists
        List names to use from a wider table (default: all lists).
    interval
        ``"lognormal"`` (default) or ``"normal"``.
    """

    variant: Variant = "auto"
    lists: tuple[str, ...] | None = None
    interval: IntervalKind = "lognormal"

    def fit(self, table: CaptureTable) -> WaldResult:
        """Estimate ``N`` from the coverage of each list by the others."""
        if self.variant not in VARIANTS:
            raise EstimationError(
                f"sample-coverage variant must be one of {list(VARIANTS)!r}, got "
                f"{self.variant!r}"
            )
        require_unstratified(table, "sample-coverage")
        if self.lists is not None:
            table = table.select_lists(self.lists)
        require_lists(table, "sample-coverage", 3)
        if len(non_empty_lists(table)) < table.n_lists:
            table = table.select_lists(non_empty_lists(table))
        n_lists = table.n_lists
        cells = table.counts.astype(np.float64)
        patterns = table.patterns.astype(bool)
        coverage = _coverage(cells, patterns)
        variant = self.variant
        if variant == "auto":
            use_high = n_lists == 3 and coverage >= HIGH_COVERAGE
            variant = "high-coverage" if use_high else "one-step"
        if variant == "high-coverage" and n_lists != 3:
            raise EstimationError(
                f"the high-coverage sample-coverage estimator is defined for 3 "
                f"lists, the table has {n_lists}; use variant='one-step' or pass "
                "lists=(A, B, C)"
            )
        estimator = _ESTIMATORS[variant]
        estimate = estimator(cells, patterns)
        observed = table.n_observed
        messages: list[Message] = list(overlap_messages(table))
        if not np.isfinite(estimate) or estimate <= observed:
            messages.append(
                (
                    "the sample-coverage estimate fell at or below the documented "
                    "count (or its denominator vanished) and was set to it",
                    BoundaryEstimateWarning,
                )
            )
            estimate = float(observed)
        if coverage < HIGH_COVERAGE and variant == "high-coverage":
            messages.append(
                (
                    f"estimated sample coverage is low ({coverage:.0%}); Chao et al. "
                    "(2001) advise the one-step estimator below about 55%",
                    SparseCellsWarning,
                )
            )
        variance = _delta_variance(
            lambda c: float(np.clip(estimator(c, patterns), c.sum(), 1e12)),
            cells,
            estimate,
        )
        return WaldResult(
            method="sample-coverage",
            lists=table.lists,
            observed=observed,
            estimate=float(estimate),
            stderr=float(np.sqrt(max(variance, 0.0))),
            interval_kind=self.interval,
            diagnostics={"variant": variant, "coverage": coverage},
            warnings=emit(messages),
        )


def _summaries(
    cells: FloatArray, patterns: BoolArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, list[tuple[int, int]]]:
    """Sizes ``n_j``, singletons ``Z_j``, overlaps ``n_jk``, exact pairs ``Z_jk``."""
    n_lists = patterns.shape[1]
    captures = patterns.sum(axis=1)
    sizes = cells @ patterns
    only = np.array(
        [cells[(captures == 1) & patterns[:, j]].sum() for j in range(n_lists)]
    )
    pairs = [(a, b) for a in range(n_lists) for b in range(a + 1, n_lists)]
    both = np.array([cells[patterns[:, a] & patterns[:, b]].sum() for a, b in pairs])
    exact = np.array(
        [
            cells[(captures == 2) & patterns[:, a] & patterns[:, b]].sum()
            for a, b in pairs
        ]
    )
    return sizes, only, both, exact, pairs


def _coverage(cells: FloatArray, patterns: BoolArray) -> float:
    sizes, only, _, _, _ = _summaries(cells, patterns)
    return 1.0 - float(np.mean(only / sizes))


def _independent(cells: FloatArray, patterns: BoolArray) -> float:
    """Eq. 9: ``d / C`` with ``d`` the mean over lists of the people seen elsewhere."""
    n_lists = patterns.shape[1]
    _, only, _, _, _ = _summaries(cells, patterns)
    coverage = _coverage(cells, patterns)
    documented = cells.sum() - only.sum() / n_lists
    return float(documented / coverage) if coverage > 0 else float("inf")


def _one_step(cells: FloatArray, patterns: BoolArray) -> float:
    """Eq. 13: independence estimate corrected by estimated pairwise covariations."""
    n_lists = patterns.shape[1]
    sizes, only, both, exact, pairs = _summaries(cells, patterns)
    coverage = _coverage(cells, patterns)
    if coverage <= 0:
        return float("inf")
    weights = np.array(
        [only[a] + only[b] + 2 * exact[k] for k, (a, b) in enumerate(pairs)]
    )
    products = np.array([sizes[a] * sizes[b] for a, b in pairs])
    start = _independent(cells, patterns)
    scale = n_lists * coverage
    provisional = start + float(weights @ (start * both / products - 1.0)) / scale
    covariation = provisional * both / products - 1.0
    return float(start + float(weights @ covariation) / scale)


def _high_coverage(cells: FloatArray, patterns: BoolArray) -> float:
    """Eq. 12 (three lists)."""
    n_lists = patterns.shape[1]
    sizes, only, both, exact, pairs = _summaries(cells, patterns)
    coverage = _coverage(cells, patterns)
    correction = sum(
        (only[a] + only[b] + 2 * exact[k]) * both[k] / (sizes[a] * sizes[b])
        for k, (a, b) in enumerate(pairs)
    )
    denominator = n_lists * coverage - correction
    if denominator < 1e-4:
        return float("inf")
    return float(both.sum() / denominator)


_ESTIMATORS: dict[str, Callable[[FloatArray, BoolArray], float]] = {
    "independent": _independent,
    "one-step": _one_step,
    "high-coverage": _high_coverage,
}


register_method("chao", ChaoLowerBound)
register_method("sample-coverage", SampleCoverage)
