"""Partial dates: a year, a month or a day, compared as the interval they cover.

A list may know that someone died "in 2017", "in March 2017" or "on 17 March 2017".
:class:`PartialDate` keeps exactly what was recorded and never fills in a month or a
day: ``2017`` is the interval 2017-01-01..2017-12-31, not 1 January. Matching and
windowing compare intervals (:meth:`PartialDate.overlaps`,
:meth:`PartialDate.days_apart`), so a coarse date is neither discarded nor made
falsely precise. The parser for cell text lives in :mod:`._date_parser`.
"""

from __future__ import annotations

import calendar
import datetime
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic_core import core_schema

from undercount.model.errors import ValueParseError

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue

__all__ = ["MAX_YEAR", "MIN_YEAR", "PartialDate", "Precision"]

Precision = Literal["year", "month", "day"]

MIN_YEAR = 1800
"""Earliest year accepted: older years in a casualty list are typing errors."""
MAX_YEAR = 2100
"""Latest year accepted (a guard against swapped or mistyped fields)."""

_PRECISION_RANK: dict[str, int] = {"year": 0, "month": 1, "day": 2}


def _is_int(value: object) -> bool:
    """An integer of any kind (int, numpy integer), but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    Parameters
    ----------
    year
        Four-digit Gregorian year, ``MIN_YEAR <= year <= MAX_YEAR``.
    month
        1-12, or ``None`` when only the year is known.
    day
        A real day of that month, or ``None``; requires ``month``.

    Notes
    -----
    **Equality** is exact: ``2017-03`` differs from ``2017-03-01`` (they say different
    things), and instances are hashable.

    **Order** is the interval order "certainly before": ``a < b`` when every day of
    ``a`` precedes every day of ``b`` (``a.end() < b.start()``); ``a > b`` likewise;
    ``a <= b`` means ``a < b or a == b``. Overlapping but different dates (``2017``
    and ``2017-03``) are *incomparable*: neither ``<``, ``>``, ``<=`` nor ``>=``
    holds. This is a strict partial order, so to sort a list use
    ``sorted(dates, key=PartialDate.sort_key)`` (by start, longest first).

    Comparisons also accept a :class:`datetime.date`, read as a day-precision date.

    Examples
    --------
    >>> march = PartialDate(2017, 3)
    >>> march.start(), march.end()
    (datetime.date(2017, 3, 1), datetime.date(2017, 3, 31))
    >>> march.overlaps(PartialDate(2017)), march < PartialDate(2017, 4, 2)
    (True, True)
    >>> str(PartialDate(2017, 3, 17))
    '2017-03-17'
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        shown = _show(self.year, self.month, self.day)
        # numpy integers from pandas are accepted and stored as plain ints.
        for name in ("year", "month", "day"):
            value = getattr(self, name)
            if _is_int(value) and type(value) is not int:
                object.__setattr__(self, name, int(value))
        if not _is_int(self.year):
            raise ValueParseError("date", shown, "year must be an integer")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueParseError("date", shown, f"year outside {MIN_YEAR}-{MAX_YEAR}")
        if self.month is None:
            if self.day is not None:
                raise ValueParseError("date", shown, "a day needs a month")
            return
        if not _is_int(self.month) or not 1 <= self.month <= 12:
            raise ValueParseError("date", shown, "month must be 1-12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not _is_int(self.day) or not 1 <= self.day <= last:
                raise ValueParseError(
                    "date", shown, f"no such day (this month has {last} days)"
                )

    # ----------------------------------------------------------- construction
    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        """A day-precision date from a :class:`datetime.date` (or datetime)."""
        return cls(value.year, value.month, value.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Strict reader of :meth:`iso` output (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``).

        Faster and stricter than :func:`parse_partial_date`; meant for values that
        undercount itself wrote (the store, JSON results).
        """
        parts = text.split("-")
        lengths = [len(p) for p in parts]
        if lengths not in ([4], [4, 2], [4, 2, 2]) or not all(
            p.isascii() and p.isdigit() for p in parts
        ):
            raise ValueParseError(
                "date", text, "not an ISO partial date", "2017, 2017-03, 2017-03-17"
            )
        numbers = [int(p) for p in parts] + [None, None]
        return cls(numbers[0], numbers[1], numbers[2])  # type: ignore[arg-type]

    # ------------------------------------------------------------- intervals
    @property
    def precision(self) -> Precision:
        """``"year"``, ``"month"`` or ``"day"``: how much of the date is known."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def start(self) -> datetime.date:
        """First day of the interval the date covers."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> datetime.date:
        """Last day (inclusive) of the interval the date covers."""
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        if self.day is None:
            last = calendar.monthrange(self.year, self.month)[1]
            return datetime.date(self.year, self.month, last)
        return datetime.date(self.year, self.month, self.day)

    def n_days(self) -> int:
        """Number of days in the interval (1 for a day-precision date)."""
        return (self.end() - self.start()).days + 1

    def midpoint(self) -> datetime.date:
        """Middle day of the interval (rounded down), e.g. for plotting."""
        return self.start() + datetime.timedelta(days=(self.n_days() - 1) // 2)

    def overlaps(self, other: PartialDate | datetime.date) -> bool:
        """Whether the two intervals share at least one day."""
        o = _as_partial(other)
        return self.start() <= o.end() and o.start() <= self.end()

    def contains(self, other: PartialDate | datetime.date) -> bool:
        """Whether every day of ``other`` lies inside this date's interval."""
        o = _as_partial(other)
        return self.start() <= o.start() and o.end() <= self.end()

    def days_apart(self, other: PartialDate | datetime.date) -> int:
        """Days between the intervals: 0 when they overlap, else the gap.

        The gap counts from the last day of the earlier interval to the first day
        of the later one, so consecutive days are 1 apart.
        """
        o = _as_partial(other)
        if o.start() > self.end():
            return (o.start() - self.end()).days
        if self.start() > o.end():
            return (self.start() - o.end()).days
        return 0

    def coarsen(self, precision: Precision) -> PartialDate:
        """The same date with at most ``precision`` (never adds precision)."""
        rank = _PRECISION_RANK[precision]
        return PartialDate(
            self.year,
            self.month if rank >= 1 else None,
            self.day if rank >= 2 else None,
        )

    def sort_key(self) -> tuple[int, int]:
        """A total-order key for ``sorted(..., key=PartialDate.sort_key)``.

        Earlier start first; at equal starts the longer interval first, so a
        date precedes the dates it contains (``2017``, ``2017-01``, ``2017-01-01``).
        """
        return (self.start().toordinal(), -self.end().toordinal())

    # ---------------------------------------------------------------- text
    def iso(self) -> str:
        """ISO 8601 text at the kept precision: 2017, 2017-03 or 2017-03-17."""
        return _show(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()

    # ------------------------------------------------------------ ordering
    def __lt__(self, other: object) -> bool:
        o = _maybe_partial(other)
        if o is None:
            return NotImplemented
        return self.end() < o.start()

    def __gt__(self, other: object) -> bool:
        o = _maybe_partial(other)
        if o is None:
            return NotImplemented
        return self.start() > o.end()

    def __le__(self, other: object) -> bool:
        o = _maybe_partial(other)
        if o is None:
            return NotImplemented
        return self == o or self.end() < o.start()

    def __ge__(self, other: object) -> bool:
        o = _maybe_partial(other)
        if o is None:
            return NotImplemented
        return self == o or self.start() > o.end()

    # ------------------------------------------------------------ pydantic
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate from a PartialDate, ISO/other date text, a date or a dict;
        serialise (python and JSON modes) as ISO text."""
        return core_schema.no_info_plain_validator_function(
            _pydantic_validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """JSON Schema: an ISO date string at year, month or day precision."""
        return {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "Date at year, month or day precision (ISO 8601).",
            "examples": ["2017", "2017-03", "2017-03-17"],
        }


def _show(year: object, month: object, day: object) -> str:
    def pad(value: object, width: int) -> str:
        return f"{value:0{width}d}" if _is_int(value) else str(value)

    text = pad(year, 4)
    if month is not None:
        text += "-" + pad(month, 2)
    if day is not None:
        text += "-" + pad(day, 2)
    return text


def _maybe_partial(value: object) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    return None


def _as_partial(value: PartialDate | datetime.date) -> PartialDate:
    result = _maybe_partial(value)
    if result is None:
        raise TypeError(f"expected a PartialDate or datetime.date, got {value!r}")
    return result


def _pydantic_validate(value: object) -> PartialDate:
    # Imported here: the parser module imports this one.
    from undercount.model._date_parser import parse_partial_date

    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    if _is_int(value):
        return PartialDate(value)  # type: ignore[arg-type]
    if isinstance(value, dict):
        unknown = set(value) - {"year", "month", "day"}
        if unknown:
            raise ValueError(f"unexpected keys {sorted(unknown)} in a partial date")
        return PartialDate(value.get("year"), value.get("month"), value.get("day"))  # type: ignore[arg-type]
    if isinstance(value, str):
        parsed = parse_partial_date(value)
        if parsed is None:
            raise ValueError(f"blank or 'unknown' is not a date: {value!r}; use null")
        return parsed
    raise ValueError(f"cannot read {value!r} as a date")
