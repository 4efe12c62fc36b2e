"""Ages as intervals of years: exact, approximate, ranged or categorical.

Lists record ages as "34", "~30", "30-35", "30s", "child" or "6 months". An
:class:`AgeRange` keeps every one of them as a closed interval ``[low, high]`` in
years, plus whether the source flagged it as approximate and the original text.
Nothing is rounded to a point: linkage compares intervals, and strata (child /
adult) are decided only when the interval falls on one side.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic_core import core_schema

from undercount.model.errors import ValueParseError

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue

__all__ = ["ADULT_AGE", "MAX_AGE", "AgeRange"]

MAX_AGE = 120.0
"""Oldest accepted age in years; larger values are typing errors."""
ADULT_AGE = 18.0
"""Age of majority used by :meth:`AgeRange.is_child` (UN CRC definition of a child)."""


def _number(value: object) -> bool:
    """A real number of any kind (int, float, numpy scalar), but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class AgeRange:
    """An age as a closed interval of years.

    Parameters
    ----------
    low
        Lower bound in years (``>= 0``); ``None`` means no lower bound (read as 0).
    high
        Upper bound in years (``<= MAX_AGE``); ``None`` means open-ended ("60+").
    approximate
        Whether the source marked the value as approximate ("~30", "حوالي 30").
    text
        The original cell text, kept for display and audit.

    Notes
    -----
    Ages are in years; months, weeks and days are fractions of a year
    (``6 months`` is 0.5). An exact reported age ``34`` is ``[34, 34]``: a
    completed-years figure, not widened. Equality compares all four fields.
    """

    low: float | None
    high: float | None
    approximate: bool = False
    text: str = ""

    def __post_init__(self) -> None:
        shown = self.text or f"{self.low}-{self.high}"
        if not isinstance(self.approximate, bool) or not isinstance(self.text, str):
            raise ValueParseError("age", shown, "approximate is a bool, text a str")
        if self.low is None and self.high is None:
            raise ValueParseError("age", shown, "an age needs at least one bound")
        for bound in (self.low, self.high):
            if bound is None:
                continue
            if not _number(bound) or math.isnan(bound):
                raise ValueParseError("age", shown, "age bounds must be numbers")
        # Bounds are stored as floats, whatever numeric type was given.
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None and type(value) is not float:
                object.__setattr__(self, name, float(value))
        for bound in (self.low, self.high):
            if bound is None:
                continue
            if bound < 0:
                raise ValueParseError("age", shown, "an age cannot be negative")
            if bound > MAX_AGE:
                raise ValueParseError("age", shown, f"ages above {MAX_AGE:g} refused")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueParseError("age", shown, "lower bound above upper bound")

    # ------------------------------------------------------------ helpers
    @property
    def lower(self) -> float:
        """Lower bound with ``None`` read as 0."""
        return 0.0 if self.low is None else float(self.low)

    @property
    def upper(self) -> float:
        """Upper bound with ``None`` read as ``MAX_AGE``."""
        return MAX_AGE if self.high is None else float(self.high)

    @property
    def is_point(self) -> bool:
        """Whether the interval is a single age (``low == high``)."""
        return self.low is not None and self.low == self.high

    def midpoint(self) -> float | None:
        """Centre of the interval, or ``None`` when it is open-ended."""
        if self.low is None or self.high is None:
            return None
        return (self.low + self.high) / 2

    def width(self) -> float:
        """``upper - lower`` in years (open ends read as 0 and ``MAX_AGE``)."""
        return self.upper - self.lower

    def contains(self, age: float) -> bool:
        """Whether ``age`` (years) lies in the interval."""
        return self.lower <= age <= self.upper

    def overlaps(self, other: AgeRange, tolerance: float = 0.0) -> bool:
        """Whether the intervals share an age, after widening both by ``tolerance``.

        ``tolerance`` is in years on each side of the gap; it absorbs the usual
        one-or-two-year disagreement between sources about the same person.
        """
        if tolerance < 0:
            raise ValueError(f"tolerance must be >= 0, got {tolerance!r}")
        return (
            self.lower <= other.upper + tolerance
            and other.lower <= self.upper + tolerance
        )

    def distance(self, other: AgeRange) -> float:
        """Years between the intervals: 0 when they overlap, else the gap."""
        return max(0.0, self.lower - other.upper, other.lower - self.upper)

    def is_child(self, adult_age: float = ADULT_AGE) -> bool | None:
        """``True`` if certainly under ``adult_age``, ``False`` if certainly not,
        ``None`` when the interval straddles it (e.g. "teen", "15-20")."""
        if self.upper < adult_age:
            return True
        if self.lower >= adult_age:
            return False
        return None

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.is_point:
            return f"{self.lower:g}"
        high = "" if self.high is None else f"{self.high:g}"
        return f"{'~' if self.approximate else ''}{self.lower:g}-{high}"

    # ------------------------------------------------------------ pydantic
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate from an AgeRange, a dict of its fields, or age text/number;
        serialise as a dict ``{low, high, approximate, text}``."""
        return core_schema.no_info_plain_validator_function(
            _pydantic_validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _pydantic_dump
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """JSON Schema of the serialised form."""
        bound = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]}
        return {
            "type": "object",
            "title": "AgeRange",
            "description": "Age as a closed interval of years.",
            "properties": {
                "low": bound,
                "high": bound,
                "approximate": {"type": "boolean", "default": False},
                "text": {"type": "string", "default": ""},
            },
            "required": ["low", "high"],
            "additionalProperties": False,
        }


def _pydantic_dump(value: AgeRange) -> dict[str, object]:
    return {
        "low": value.low,
        "high": value.high,
        "approximate": value.approximate,
        "text": value.text,
    }


def _pydantic_validate(value: object) -> AgeRange:
    from undercount.model._age_parser import parse_age  # the parser imports us

    if isinstance(value, AgeRange):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {"low", "high", "approximate", "text"}
        if unknown:
            raise ValueError(f"unexpected keys {sorted(unknown)} in an age range")
        return AgeRange(
            value.get("low"),
            value.get("high"),
            bool(value.get("approximate", False)),
            str(value.get("text", "")),
        )
    if isinstance(value, str | numbers.Real) and not isinstance(value, bool):
        parsed = parse_age(value)  # type: ignore[arg-type]
        if parsed is None:
            raise ValueError(f"blank or 'unknown' is not an age: {value!r}; use null")
        return parsed
    raise ValueError(f"cannot read {value!r} as an age")
