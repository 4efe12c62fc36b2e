"""Two-list estimators: Lincoln-Petersen and Chapman.

With two lists A and B of sizes ``n1`` and ``n2`` sharing ``m`` people, and if being on
A is independent of being on B (and everyone has the same chance of being listed), the
share of A's people that B also recorded estimates B's coverage of the population:
``N ≈ n1 n2 / m`` (Lincoln-Petersen). Chapman's (1951) version
``(n1 + 1)(n2 + 1) / (m + 1) - 1`` is nearly unbiased and finite for small ``m``.

Variances (Seber 1982, *The Estimation of Animal Abundance*, 2nd ed., pp. 59-60):

* Lincoln-Petersen: ``n1 n2 (n1 - m)(n2 - m) / m**3``;
* Chapman (Seber 1970): ``(n1+1)(n2+1)(n1-m)(n2-m) / ((m+1)**2 (m+2))``.

Intervals are Chao's (1987) log-normal interval by default (never below the
documented count), or the symmetric normal interval on request.

References
----------
Chapman, D. G. (1951). Some properties of the hypergeometric distribution with
applications to zoological sample censuses. Univ. Calif. Publ. Stat. 1, 131-160.
Seber, G. A. F. (1982). The Estimation of Animal Abundance, 2nd ed. Griffin.
Chao, A. (1987). Estimating the population size for capture-recapture data with
unequal catchability. Biometrics 43, 783-791.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from undercount.errors import SparseCellsWarning, UserInputError
from undercount.estimate._base import EstimationError, register_method
from undercount.estimate._guards import require_unstratified
from undercount.estimate._messages import Message, emit
from undercount.estimate._wald import INTERVAL_KINDS, IntervalKind, WaldResult
from undercount.model.capture_table import CaptureTable

__all__ = ["Chapman", "LincolnPetersen", "TwoListEstimator", "two_list_counts"]


@dataclass(frozen=True, slots=True)
class TwoListCounts:
    """Sizes of the two lists and their overlap."""

    first: str
    second: str
    n1: int
    n2: int
    m: int

    @property
    def observed(self) -> int:
        """People on at least one of the two lists."""
        return self.n1 + self.n2 - self.m


def two_list_counts(
    table: CaptureTable, lists: Sequence[str] | None = None
) -> TwoListCounts:
    """The 2x2 summary of a table (or of two of its lists)."""
    if lists is None:
        if table.n_lists != 2:
            raise UserInputError(
                f"two-list estimators need exactly 2 lists, the table has "
                f"{table.n_lists} ({list(table.lists)!r}); use a method for "
                "several lists (loglinear, lcmcr), or compare two of them: in "
                'Python pass lists=("A", "B"); on the command line give a '
                "capture table of just those two lists"
            )
        lists = table.lists
    if len(lists) != 2:
        raise UserInputError(f"give exactly two list names, got {list(lists)!r}")
    sub = table.select_lists(lists) if tuple(lists) != table.lists else table
    totals = sub.list_totals()
    first, second = sub.lists
    both = sub.pairwise_overlaps()[(first, second)]
    return TwoListCounts(first, second, totals[first], totals[second], both)


def _check_overlap(counts: TwoListCounts, method: str) -> None:
    if counts.n1 == 0 or counts.n2 == 0:
        empty = counts.first if counts.n1 == 0 else counts.second
        raise EstimationError(
            f"{method}: list {empty!r} recorded nobody; two-list estimation needs "
            "two non-empty lists"
        )
    if counts.m == 0:
        raise EstimationError(
            f"{method}: lists {counts.first!r} (n={counts.n1}) and {counts.second!r} "
            f"(n={counts.n2}) share nobody, so their overlap carries no information "
            "on the population size (the estimate would be infinite); check the "
            "record linkage, or use more lists"
        )


def _check_kind(interval: str) -> None:
    if interval not in INTERVAL_KINDS:
        raise UserInputError(
            f"interval must be one of {list(INTERVAL_KINDS)!r}, got {interval!r}"
        )


def _diagnostics(counts: TwoListCounts, formula: str) -> dict[str, object]:
    return {
        "n1": counts.n1,
        "n2": counts.n2,
        "overlap": counts.m,
        "formula": formula,
    }


def _small_overlap(counts: TwoListCounts) -> list[Message]:
    if counts.m < 7:
        return [
            (
                f"only {counts.m} people are on both lists: the estimate is very "
                "unstable (Chapman's estimator is nearly unbiased only when "
                "n1 + n2 >= N or the overlap is 7 or more; Robson & Regier 1964)",
                SparseCellsWarning,
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class TwoListEstimator:
    """What the two-list estimators share: options, checks and the Wald-type result.

    A subclass names its method and formula and computes the estimate and its
    variance from ``n1``, ``n2`` and ``m`` (:meth:`moments`).

    Parameters
    ----------
    lists
        Two list names to use from a wider table (default: the table's two lists).
    interval
        ``"lognormal"`` (Chao 1987, default) or ``"normal"``.
    """

    lists: tuple[str, str] | None = None
    interval: IntervalKind = "lognormal"

    method: ClassVar[str]
    formula: ClassVar[str]

    def fit(self, table: CaptureTable) -> WaldResult:
        """Estimate ``N`` from a two-list table (zero overlap is an error)."""
        counts = _prepared_counts(table, self.lists, self.interval, self.method)
        estimate, variance = self.moments(counts.n1, counts.n2, counts.m)
        return _two_list_result(
            self.method, counts, estimate, variance, self.interval, self.formula
        )

    @staticmethod
    def moments(n1: int, n2: int, m: int) -> tuple[float, float]:
        """Estimate of ``N`` and its variance from the list sizes and overlap."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class LincolnPetersen(TwoListEstimator):
    """Lincoln-Petersen estimator ``n1 n2 / m`` with Seber's variance.

    Options ``lists`` and ``interval`` as :class:`TwoListEstimator`.
    """

    method: ClassVar[str] = "lincoln-petersen"
    formula: ClassVar[str] = "n1*n2/m"

    @staticmethod
    def moments(n1: int, n2: int, m: int) -> tuple[float, float]:
        """``n1 n2 / m`` and ``n1 n2 (n1 - m)(n2 - m) / m**3``."""
        return n1 * n2 / m, n1 * n2 * (n1 - m) * (n2 - m) / m**3


@dataclass(frozen=True, slots=True)
class Chapman(TwoListEstimator):
    """Chapman's estimator ``(n1+1)(n2+1)/(m+1) - 1`` with Seber's (1970) variance.

    Options ``lists`` and ``interval`` as :class:`TwoListEstimator`.
    """

    method: ClassVar[str] = "chapman"
    formula: ClassVar[str] = "(n1+1)*(n2+1)/(m+1)-1"

    @staticmethod
    def moments(n1: int, n2: int, m: int) -> tuple[float, float]:
        """``(n1+1)(n2+1)/(m+1) - 1`` and ``(n1+1)(n2+1)(n1-m)(n2-m) /
        ((m+1)**2 (m+2))``."""
        estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
        variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
        return estimate, variance


def _prepared_counts(
    table: CaptureTable,
    lists: tuple[str, str] | None,
    interval: IntervalKind,
    method: str,
) -> TwoListCounts:
    """Validate options and table for a two-list method; return its counts."""
    _check_kind(interval)
    require_unstratified(table, method)
    counts = two_list_counts(table, lists)
    _check_overlap(counts, method)
    return counts


def _two_list_result(
    method: str,
    counts: TwoListCounts,
    estimate: float,
    variance: float,
    interval: IntervalKind,
    formula: str,
) -> WaldResult:
    """The Wald-type result shared by the two-list estimators."""
    return WaldResult(
        method=method,
        lists=(counts.first, counts.second),
        observed=counts.observed,
        estimate=float(estimate),
        stderr=float(variance**0.5),
        interval_kind=interval,
        diagnostics=_diagnostics(counts, formula),
        warnings=emit(_small_overlap(counts)),
    )


register_method("lincoln-petersen", LincolnPetersen)
register_method("chapman", Chapman)
