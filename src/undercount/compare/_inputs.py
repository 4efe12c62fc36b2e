"""The list-based inputs of the gap: distinct named victims and the MSE estimate.

Both carry a *scope* (period, place, belligerent; ``None`` = all) saying what they
count: an estimate over lists of everyone killed in the battle applies to the
row "all belligerents", never to one belligerent's row, so it is never compared
with one party's acknowledgment as if it counted only that party's victims.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from undercount.errors import UserInputError
from undercount.model import CaptureTable

__all__ = ["Estimated", "NamedVictims", "Scope"]


@dataclass(frozen=True, slots=True)
class Scope:
    """What an input counts (``None`` = everything along that dimension)."""

    period: str | None = None
    place: str | None = None
    belligerent: str | None = None


class _Result(Protocol):
    method: str
    observed: int
    estimate: float

    def interval(self, level: float = 0.95) -> tuple[float, float]: ...


@dataclass(frozen=True, slots=True)
class NamedVictims:
    """Distinct people named on the linked lists.

    Attributes
    ----------
    count
        Distinct people (after record linkage).
    origin
        Where the count comes from (file, "capture table", "given").
    description
        What was counted, in words.
    scope
        What the lists cover.
    """

    count: int
    origin: str
    description: str = "distinct people named on the linked lists"
    scope: Scope = Scope()

    def __post_init__(self) -> None:
        if self.count < 0:
            raise UserInputError(
                f"a count of named victims cannot be negative: {self.count}"
            )

    @classmethod
    def from_capture_table(
        cls, table: CaptureTable, origin: str = "capture table", scope: Scope = Scope()
    ) -> NamedVictims:
        """People observed on at least one list (``table.n_observed``)."""
        return cls(
            int(table.n_observed),
            origin,
            f"distinct people on {table.n_lists} linked lists",
            scope,
        )

    @classmethod
    def from_clusters_csv(cls, path: Path, scope: Scope = Scope()) -> NamedVictims:
        """Distinct ``cluster_id`` in a linkage output (``clusters.csv``)."""
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames or "cluster_id" not in reader.fieldnames:
                    raise UserInputError(
                        f"{path} has no cluster_id column; pass the clusters.csv "
                        "written by 'undercount link'"
                    )
                ids = {row["cluster_id"] for row in reader if row["cluster_id"]}
        except OSError as exc:
            raise UserInputError(f"cannot read {path}: {exc.strerror}") from None
        return cls(
            len(ids), str(path), "distinct clusters (people) in the linkage", scope
        )


@dataclass(frozen=True, slots=True)
class Estimated:
    """A population-size estimate with its interval.

    Attributes
    ----------
    estimate, lower, upper, level
        Point estimate and ``level`` interval.
    method
        Estimator name.
    observed
        People documented on the lists the estimate is based on.
    origin
        Where it comes from (file or "fitted").
    """

    estimate: float
    lower: float
    upper: float
    level: float
    method: str
    observed: int | None
    origin: str
    scope: Scope = Scope()

    def __post_init__(self) -> None:
        if not self.lower <= self.estimate <= self.upper:
            raise UserInputError(
                f"estimate {self.estimate} lies outside its interval "
                f"{self.lower}-{self.upper}; check the input"
            )
        if not 0 < self.level < 1:
            raise UserInputError(f"interval level must be in (0, 1), got {self.level}")

    @classmethod
    def from_result(
        cls,
        result: _Result,
        level: float = 0.95,
        origin: str = "fitted",
        scope: Scope = Scope(),
    ) -> Estimated:
        """From an :mod:`undercount.estimate` result (``.estimate``, ``.interval``)."""
        lower, upper = result.interval(level)
        return cls(
            float(result.estimate),
            float(lower),
            float(upper),
            level,
            result.method,
            int(result.observed),
            origin,
            scope,
        )

    @classmethod
    def from_json(cls, path: Path, scope: Scope = Scope()) -> Estimated:
        """From ``undercount estimate --json`` output (or ``results.json`` with an
        ``estimate`` object holding the same keys)."""
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise UserInputError(f"cannot read the estimate {path}: {exc}") from None
        if "estimate" in data and isinstance(data["estimate"], dict):
            data = data["estimate"]
        missing = [k for k in ("estimate", "lower", "upper", "level") if k not in data]
        if missing:
            raise UserInputError(
                f"{path} lacks {', '.join(missing)}; pass the output of "
                "'undercount estimate ... --json'"
            )
        return cls(
            float(data["estimate"]),
            float(data["lower"]),
            float(data["upper"]),
            float(data["level"]),
            str(data.get("method", "?")),
            data.get("observed"),
            str(path),
            scope,
        )
