"""The list-based inputs of the gap: distinct named victims and the MSE estimate.

Both carry a *scope* (period, place, belligerent; ``None`` = all) saying what they
count: an estimate over lists of everyone killed in the battle applies to the
row "all belligerents", never to one belligerent's row, so it is never compared
with one party's acknowledgment as if it counted only that party's victims.

A stratified estimate (:func:`undercount.estimate.fit_stratified`, or
``undercount estimate --strata ... --json``) also carries its strata
(:class:`EstimatedStratum`): a gap row by period or place uses the estimate and
interval of *its* stratum, never the overall number. Stratum columns are read
as gap dimensions by name (:data:`STRATUM_DIMENSIONS`: ``month`` -> period,
``neighbourhood`` -> place...) or as told (``dimensions={"col": "place"}``).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from undercount.errors import UserInputError
from undercount.incidents._reading import read_text_file
from undercount.model import CaptureTable

__all__ = [
    "STRATUM_DIMENSIONS",
    "Estimated",
    "EstimatedStratum",
    "NamedVictims",
    "Scope",
]

#: Stratum column names read as gap dimensions (case-insensitive).
STRATUM_DIMENSIONS: dict[str, str] = {
    **dict.fromkeys(("period", "month", "quarter", "year", "date"), "period"),
    **dict.fromkeys(
        (
            "place",
            "location",
            "neighbourhood",
            "neighborhood",
            "district",
            "subdistrict",
            "area",
            "city",
            "town",
            "governorate",
            "province",
            "region",
        ),
        "place",
    ),
    **dict.fromkeys(("belligerent", "perpetrator", "party"), "belligerent"),
}


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
        text = read_text_file(path, "linkage clusters")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            if not reader.fieldnames or "cluster_id" not in reader.fieldnames:
                raise UserInputError(
                    f"{path} has no cluster_id column; pass the clusters.csv "
                    "written by 'undercount link'"
                )
            ids = {row["cluster_id"] for row in reader if row["cluster_id"]}
        except csv.Error as exc:
            raise UserInputError(
                f"linkage clusters must be CSV, but {path} line {reader.line_num} "
                f"is not: {exc}; pass the clusters.csv written by 'undercount link'"
            ) from None
        return cls(
            len(ids), str(path), "distinct clusters (people) in the linkage", scope
        )


@dataclass(frozen=True, slots=True)
class EstimatedStratum:
    """One stratum of a stratified estimate.

    Attributes
    ----------
    values
        ``{stratum column: value}`` as in the estimate (``{"month": "2017-03"}``).
    scope
        The same as gap dimensions (``None`` where a column is not one).
    observed
        People documented in the stratum.
    estimate, lower, upper
        The stratum's estimate and interval (at the parent's level); all
        ``None`` when it was not estimated.
    reason
        Why it was not estimated.
    """

    values: tuple[tuple[str, str], ...]
    scope: Scope
    observed: int | None
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None
    reason: str | None = None

    @property
    def label(self) -> str:
        """``month=2017-03, place=al-Shifa``."""
        return ", ".join(f"{k}={v}" for k, v in self.values)

    @property
    def estimated(self) -> bool:
        """Whether the stratum has an estimate."""
        return self.estimate is not None


def _dimension_of(column: str, dimensions: Mapping[str, str] | None) -> str | None:
    if dimensions and column in dimensions:
        return dimensions[column]
    return STRATUM_DIMENSIONS.get(column.strip().casefold())


def _stratum(
    values: Mapping[str, Any],
    dimensions: Mapping[str, str] | None,
    observed: int | None,
    estimate: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    reason: str | None = None,
) -> EstimatedStratum:
    """A stratum with its scope (a column that is no gap dimension leaves the
    scope without it; :meth:`Estimated.strata_dimensions` then says so)."""
    scope: dict[str, str] = {}
    for column, value in values.items():
        dim = _dimension_of(column, dimensions)
        if dim in ("period", "place", "belligerent") and value is not None:
            scope[dim] = str(value)
    return EstimatedStratum(
        tuple((str(k), str(v)) for k, v in values.items()),
        Scope(**scope),
        observed,
        estimate,
        lower,
        upper,
        reason,
    )


def _check_dimensions(dimensions: Mapping[str, str] | None) -> None:
    bad = {k: v for k, v in (dimensions or {}).items() if v not in _DIMENSIONS}
    if bad:
        raise UserInputError(
            f"stratum columns map to period, place or belligerent; got {bad}; "
            'e.g. {"month": "period"}'
        )


_DIMENSIONS = ("period", "place", "belligerent")


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
    scope
        What the overall estimate covers (default: everything).
    strata
        The strata of a stratified estimate, each with its own estimate and
        interval (empty for an unstratified one).
    unmapped
        Stratum columns that are no gap dimension (``sex``...): with them, no
        stratum is one gap row.
    """

    estimate: float
    lower: float
    upper: float
    level: float
    method: str
    observed: int | None
    origin: str
    scope: Scope = Scope()
    strata: tuple[EstimatedStratum, ...] = ()
    unmapped: tuple[str, ...] = ()

    def strata_dimensions(self) -> frozenset[str]:
        """The gap dimensions the strata split (empty when unstratified)."""
        return frozenset(
            d
            for s in self.strata[:1]
            for d in ("period", "place", "belligerent")
            if getattr(s.scope, d) is not None
        )

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
        dimensions: Mapping[str, str] | None = None,
    ) -> Estimated:
        """From an :mod:`undercount.estimate` result (``.estimate``, ``.interval``;
        a :class:`~undercount.estimate.StratifiedResult` brings its strata, their
        columns read as gap dimensions by name or through ``dimensions``)."""
        _check_dimensions(dimensions)
        lower, upper = result.interval(level)
        columns = tuple(getattr(result, "stratum_columns", ()) or ())
        strata = []
        for item in getattr(result, "strata", ()) or ():
            values = dict(zip(columns, (str(v) for v in item.key), strict=True))
            inner = item.result
            if inner is None:
                strata.append(
                    _stratum(values, dimensions, item.observed, reason=item.reason)
                )
                continue
            low, high = inner.interval(level)
            strata.append(
                _stratum(
                    values,
                    dimensions,
                    int(item.observed),
                    float(inner.estimate),
                    float(low),
                    float(high),
                )
            )
        return cls(
            float(result.estimate),
            float(lower),
            float(upper),
            level,
            result.method,
            int(result.observed),
            origin,
            scope,
            tuple(strata),
            _unmapped(columns, dimensions),
        )

    @classmethod
    def from_json(
        cls,
        path: Path,
        scope: Scope = Scope(),
        dimensions: Mapping[str, str] | None = None,
    ) -> Estimated:
        """From ``undercount estimate --json`` output (or ``results.json`` with an
        ``estimate`` object holding the same keys); a ``strata`` list (``--strata``)
        gives the strata, their columns read as gap dimensions by name or through
        ``dimensions``."""
        _check_dimensions(dimensions)
        text = read_text_file(path, "estimate")
        try:
            data: Any = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise UserInputError(
                f"the estimate must be JSON, but {path} is not ({exc}); pass the "
                "output of 'undercount estimate ... --json'"
            ) from None
        if isinstance(data, dict) and isinstance(data.get("estimate"), dict):
            data = data["estimate"]
        if not isinstance(data, dict):
            raise UserInputError(
                f"the estimate must be a JSON object, but {path} holds "
                f"{type(data).__name__} {_short(data)}; pass the output of "
                "'undercount estimate ... --json'"
            )
        missing = [k for k in ("estimate", "lower", "upper", "level") if k not in data]
        if missing:
            raise UserInputError(
                f"{path} lacks {', '.join(missing)}; pass the output of "
                "'undercount estimate ... --json'"
            )
        items = data.get("strata") or []
        if not isinstance(items, list):
            raise UserInputError(
                f"{path}: field 'strata' must be a list, got {_short(items)}; "
                "pass the output of 'undercount estimate ... --strata ... --json'"
            )
        strata = []
        columns: list[str] = []
        for i, item in enumerate(items):
            where = f"strata[{i}]"
            if not isinstance(item, dict):
                raise UserInputError(
                    f"{path}: field '{where}' must be an object, got "
                    f"{_short(item)}; pass the output of 'undercount estimate "
                    "... --strata ... --json'"
                )
            values = item.get("stratum") or {}
            if not isinstance(values, dict):
                raise UserInputError(
                    f"{path}: field '{where}.stratum' must be an object of "
                    f"column: value, got {_short(values)}"
                )
            columns += [c for c in values if c not in columns]
            observed = _count(item, "observed", path, where)
            if item.get("estimated", "estimate" in item) and "estimate" in item:
                strata.append(
                    _stratum(
                        values,
                        dimensions,
                        observed,
                        _number(item, "estimate", path, where),
                        _number(item, "lower", path, where),
                        _number(item, "upper", path, where),
                    )
                )
            else:
                strata.append(
                    _stratum(
                        values,
                        dimensions,
                        observed,
                        reason=str(item.get("reason") or "not estimated"),
                    )
                )
        return cls(
            _number(data, "estimate", path),
            _number(data, "lower", path),
            _number(data, "upper", path),
            _number(data, "level", path),
            str(data.get("method", "?")),
            _count(data, "observed", path),
            str(path),
            scope,
            tuple(strata),
            _unmapped(columns, dimensions),
        )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number(data: Mapping[str, Any], key: str, path: Path, where: str = "") -> float:
    """A finite number from a JSON object, or a one-line error naming the field."""
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserInputError(
            f"{path}: field '{name}' must be a number, got {_short(value)}; pass "
            "the output of 'undercount estimate ... --json'"
        )
    if not math.isfinite(value) and key not in ("estimate", "upper"):
        raise UserInputError(
            f"{path}: field '{name}' must be finite, got {value}; pass the output "
            "of 'undercount estimate ... --json'"
        )
    return float(value)


def _count(
    data: Mapping[str, Any], key: str, path: Path, where: str = ""
) -> int | None:
    """An optional whole count from a JSON object (``None`` when absent)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        name = f"{where}.{key}" if where else key
        raise UserInputError(
            f"{path}: field '{name}' must be a whole number of people, got "
            f"{_short(value)}; pass the output of 'undercount estimate ... --json'"
        )
    return value


def _unmapped(
    columns: Iterable[str], dimensions: Mapping[str, str] | None
) -> tuple[str, ...]:
    return tuple(c for c in columns if _dimension_of(c, dimensions) is None)
