"""Linkage uncertainty carried into the death toll: a sensitivity band over thresholds.

The match threshold is a choice. Re-clustering the same scored pairs at several
thresholds (cheap: no re-scoring) shows how much the number of distinct people, the
capture table and, when an estimator is given, the estimated total move. A band that
is wide relative to the estimate's own interval says that linkage, not sampling, is
the main uncertainty.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from undercount.captures._strata import captures_from_linkage
from undercount.errors import UserInputError
from undercount.link import LinkageResult
from undercount.model.capture_table import CaptureTable

DEFAULT_THRESHOLDS: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True, slots=True)
class ThresholdPoint:
    """The outcome of linkage at one threshold.

    Attributes
    ----------
    threshold
        Match probability used to cluster.
    people
        Distinct people found (observed total of the capture table).
    table
        The capture table.
    estimate, lower, upper
        Estimated total and interval (``None`` without an estimator).
    """

    threshold: float
    people: int
    table: CaptureTable
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True, slots=True)
class SensitivityBand:
    """How linkage thresholds move the count and the estimate."""

    points: tuple[ThresholdPoint, ...]
    method: str | None
    level: float

    @property
    def people_range(self) -> tuple[int, int]:
        """Fewest and most distinct people over the thresholds."""
        values = [p.people for p in self.points]
        return min(values), max(values)

    @property
    def estimate_range(self) -> tuple[float, float] | None:
        """Lowest and highest estimate over the thresholds (``None`` without one)."""
        values = [p.estimate for p in self.points if p.estimate is not None]
        return (min(values), max(values)) if values else None

    def to_frame(self) -> pd.DataFrame:
        """One row per threshold: people, list totals, estimate and interval."""
        rows = []
        for p in self.points:
            row: dict[str, Any] = {"threshold": p.threshold, "people": p.people}
            row.update({f"on_{k}": v for k, v in p.table.list_totals().items()})
            row.update({"estimate": p.estimate, "lower": p.lower, "upper": p.upper})
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "method": self.method,
            "level": self.level,
            "people_range": list(self.people_range),
            "estimate_range": list(self.estimate_range)
            if self.estimate_range
            else None,
            "points": self.to_frame().to_dict(orient="records"),
        }


def _estimator(method: str, seed: int, options: Mapping[str, Any] | None = None) -> Any:
    try:
        import undercount.estimate as estimate_stage
        from undercount.estimate._base import get_method
    except ImportError as exc:  # pragma: no cover
        raise UserInputError(f"estimation is not available: {exc}") from None
    # estimator modules register themselves on import
    for info in pkgutil.iter_modules(estimate_stage.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"undercount.estimate.{info.name}")
    factory = get_method(method)
    try:
        accepts_seed = "seed" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        accepts_seed = False
    settings = {k: v for k, v in (options or {}).items() if k != "seed"}
    try:
        return factory(**settings, seed=seed) if accepts_seed else factory(**settings)
    except TypeError as exc:
        raise UserInputError(f"{method}: bad options {settings!r}: {exc}") from None


def threshold_sensitivity(
    result: LinkageResult,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    *,
    method: str | None = None,
    level: float = 0.95,
    seed: int = 0,
) -> SensitivityBand:
    """Re-cluster ``result`` at each threshold and (optionally) re-estimate.

    Parameters
    ----------
    result
        A linkage run.
    thresholds
        Match probabilities to cluster at.
    method
        An estimation method name (e.g. ``"lcmcr"``, ``"loglinear"``) from the
        estimate registry; ``None`` reports counts only.
    level
        Interval level of the estimates.
    seed
        Seed passed to stochastic estimators.
    """
    if not thresholds:
        raise UserInputError("threshold_sensitivity needs at least one threshold")
    estimator = _estimator(method, seed) if method else None
    points = []
    for threshold in sorted(set(thresholds)):
        clusters = result.recluster(threshold)
        table = captures_from_linkage(result, clusters=clusters)
        estimate = lower = upper = None
        if estimator is not None:
            fitted = estimator.fit(table)
            estimate = float(fitted.estimate)
            lower, upper = (float(v) for v in fitted.interval(level))
        points.append(
            ThresholdPoint(threshold, table.n_observed, table, estimate, lower, upper)
        )
    return SensitivityBand(points=tuple(points), method=method, level=level)
