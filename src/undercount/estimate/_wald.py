"""A result with a closed-form point estimate and a standard error.

Used by the two-list estimators and Chao's estimators: the interval is built from the
standard error, either Chao's log-normal interval (default: never below the
documented count, skewed upwards) or the symmetric normal (Wald) interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from undercount.estimate._base import (
    EstimateResult,
    lognormal_interval,
    normal_interval,
)

IntervalKind = Literal["lognormal", "normal"]
INTERVAL_KINDS: tuple[str, ...] = ("lognormal", "normal")


@dataclass(frozen=True)
class WaldResult(EstimateResult):
    """Point estimate, standard error and an interval derived from them.

    Attributes
    ----------
    method
        Name of the estimator (``chapman``, ``lincoln-petersen``, ``chao``...).
    lists
        The lists used.
    observed
        Number of distinct people documented by at least one list (the floor).
    estimate
        Estimated total population size ``N`` (documented + undocumented).
    stderr
        Estimated standard error of ``estimate``.
    interval_kind
        ``"lognormal"`` (Chao 1987) or ``"normal"``.
    diagnostics
        Method-specific figures (overlaps, frequencies, formulas used).
    warnings
        Caveats the reader must see beside the number.
    """

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    stderr: float
    interval_kind: IntervalKind = "lognormal"
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Interval for ``N`` at ``level`` (see :attr:`interval_kind`)."""
        if self.interval_kind == "normal":
            return normal_interval(self.observed, self.estimate, self.stderr, level)
        return lognormal_interval(self.observed, self.estimate, self.stderr, level)

    def to_dict(self, level: float = 0.95) -> dict[str, Any]:
        """The ``--json`` object, with the standard error and interval kind added."""
        record = super().to_dict(level)
        record["stderr"] = float(self.stderr)
        record["interval"] = self.interval_kind
        return record
