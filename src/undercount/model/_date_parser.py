"""Reading dates from cell text, in the forms casualty lists actually use.

See :func:`parse_partial_date` and docs/model.md for the accepted forms. The rule is
that a date is either read unambiguously at the precision it was written, or refused
with a reason: two-digit years, bare five-digit numbers (Excel serials), Hijri years
and ranges are never guessed at.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from undercount.model._dates import PartialDate
from undercount.model._months import MONTH_NAMES, MONTH_PATTERN
from undercount.model._text import clean_spaces, fold, is_unknown_marker
from undercount.model.errors import ValueParseError

__all__ = ["DATE_FORMS", "parse_partial_date"]

DATE_FORMS = (
    "2017, 2017-03, 2017-03-17, 17/03/2017, 03/2017, 17 March 2017, 17 آذار 2017"
)
"""The accepted forms, as shown in error messages."""

# A trailing clock time, as spreadsheets and pandas write datetimes.
_TIME = re.compile(
    r"(?:t|\s)\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2}|am|pm)?$"
)
# "هـ" after a number marks a Hijri (AH) year; folding removed the tatweel.
_HIJRI = re.compile(r"\d\s*ه(?![^\W\d_])")
# "م" / "ميلادي" after a year marks the Gregorian (AD) era: drop it.
_GREGORIAN = re.compile(r"(?<=\d)\s*(?:م|ميلادي|ميلاديه|للميلاد)(?![^\W\d_])")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)(?![^\W\d_])")
_NOISE_WORDS = frozenset(
    fold(w)
    for w in (
        # English connectives and weekdays
        "of", "the", "on", "in",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
        "sat", "sun",
        # Arabic "year", "month", "day", "in", "date" and weekdays
        "عام", "سنة", "شهر", "يوم", "في", "بتاريخ", "تاريخ",
        "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة",
        "السبت", "الأحد",
    )
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
_SEPARATORS = re.compile(r"[\s/\-.,()\[\]]+")
_NUMERIC = re.compile(r"(\d+)(?:([/\-. ])(\d+)(?:\2(\d+))?)?")


def _refuse(text: str, reason: str) -> ValueParseError:
    return ValueParseError("date", text, reason, DATE_FORMS)


def parse_partial_date(
    text: str | datetime.date | None, *, dayfirst: bool = True
) -> PartialDate | None:
    """Read a date of death (or any event date) from a cell, keeping its precision.

    Parameters
    ----------
    text
        The cell. A :class:`datetime.date`/``datetime`` (from XLSX or Parquet) is
        taken as a day-precision date.
    dayfirst
        How to read ``a/b/YYYY`` when both ``a`` and ``b`` could be a month:
        ``True`` (default) reads day/month as in Iraq and Europe, ``False``
        month/day as in the United States. ``3/17/2017`` and ``17/3/2017`` are
        unambiguous and read the same either way.

    Returns
    -------
    PartialDate or None
        ``None`` for a blank cell or an "unknown" marker (``unknown``, ``n/a``,
        ``?``, ``-``, ``غير معروف``...): unknown stays unknown.

    Raises
    ------
    ValueParseError
        For text that is not a date in an accepted form (see ``DATE_FORMS`` and
        docs/model.md), for impossible dates, two-digit years, bare numbers that
        are not a four-digit year (Excel serial dates are not guessed), Hijri
        years and ranges of dates.

    Examples
    --------
    >>> parse_partial_date("١٧ آذار ٢٠١٧")
    PartialDate(year=2017, month=3, day=17)
    >>> parse_partial_date("03/2017").precision
    'month'
    >>> parse_partial_date("3/17/2017") == parse_partial_date("17/3/2017")
    True
    """
    if text is None:
        return None
    if isinstance(text, datetime.date):
        return PartialDate.from_date(text)
    if not isinstance(text, str):
        raise _refuse(repr(text), f"expected text, got {type(text).__name__}")
    return _parse_text(text, dayfirst)


@lru_cache(maxsize=16384)
def _parse_text(text: str, dayfirst: bool) -> PartialDate | None:
    # Values repeat heavily within a list, and results are immutable: cache them.
    folded = fold(text)
    if is_unknown_marker(folded):
        return None
    folded = folded.strip(" ,;")
    timed = _TIME.search(folded)
    if timed and timed.start() > 0:
        folded = folded[: timed.start()].rstrip()
    if _HIJRI.search(folded):
        raise _refuse(
            text, "Hijri (AH) dates are not converted; give the Gregorian date"
        )
    folded = _GREGORIAN.sub("", folded)
    if MONTH_PATTERN.search(folded):
        result = _parse_named(text, folded)
    else:
        result = _parse_numeric(text, folded, dayfirst)
    if timed and timed.start() > 0 and result.precision != "day":
        raise _refuse(text, "a clock time needs a full date")
    return result


def _build(text: str, year: int, month: int | None, day: int | None) -> PartialDate:
    # Registers write an unknown day or month as 0 ("00/03/2017", "2017-00-00"):
    # that is an explicit "not known", read as a coarser precision.
    if day == 0:
        day = None
    if month == 0 and day is None:
        month = None
    try:
        return PartialDate(year, month, day)
    except ValueParseError as error:
        raise _refuse(text, error.reason) from None


def _parse_named(text: str, folded: str) -> PartialDate:
    months = {MONTH_NAMES[m.group(1)] for m in MONTH_PATTERN.finditer(folded)}
    if len(months) > 1:
        raise _refuse(text, "more than one month named (ranges are not dates)")
    month = months.pop()
    rest = MONTH_PATTERN.sub(" ", folded)
    rest = _drop_noise_words(text, _ORDINAL.sub("", rest))
    tokens = [t for t in _SEPARATORS.split(rest) if t]
    if any(not t.isdigit() for t in tokens):
        raise _refuse(text, "unexpected characters")
    years = [t for t in tokens if len(t) == 4]
    days = [t for t in tokens if len(t) <= 2]
    if len(years) + len(days) != len(tokens):
        raise _refuse(text, "numbers must be a 1-2 digit day and a 4-digit year")
    if not years:
        reason = (
            "two-digit years are not guessed"
            if len(days) > 1
            else "no four-digit year (two-digit years are not guessed)"
        )
        raise _refuse(text, reason)
    if len(years) > 1 or len(days) > 1:
        raise _refuse(text, "too many numbers (ranges are not dates)")
    day = int(days[0]) if days else None
    return _build(text, int(years[0]), month, day)


def _drop_noise_words(text: str, folded: str) -> str:
    """Remove words such as "year", weekdays, "of"; refuse any other word."""
    for word in _WORD.findall(folded):
        if word not in _NOISE_WORDS:
            raise _refuse(text, f"unexpected word {word!r}")
    return _WORD.sub(" ", folded)


def _parse_numeric(text: str, folded: str, dayfirst: bool) -> PartialDate:
    if not any(c.isdigit() for c in folded):
        raise _refuse(text, "not a date")
    if _WORD.search(folded):
        folded = clean_spaces(_drop_noise_words(text, folded)).strip(" ,;")
    compact = re.sub(r"\s*([/\-.])\s*", r"\1", folded)
    match = _NUMERIC.fullmatch(compact)
    if match is None:
        raise _refuse(text, "not a date")
    parts = [p for p in (match.group(1), match.group(3), match.group(4)) if p]
    sizes = [len(p) for p in parts]
    if len(parts) == 1:
        if sizes[0] == 4:
            return _build(text, int(parts[0]), None, None)
        if sizes[0] <= 2:
            raise _refuse(text, "two-digit years are not guessed")
        raise _refuse(text, "a bare number is not a date (Excel serials not guessed)")
    if any(size > 4 for size in sizes) or (
        sizes.count(4) != 1 and not all(size <= 2 for size in sizes)
    ):
        raise _refuse(text, "numbers must be 1-2 digit day/month and a 4-digit year")
    if all(size <= 2 for size in sizes):
        raise _refuse(text, "two-digit years are not guessed")
    if sizes[0] == 4:  # year first: Y-M or Y-M-D (nobody writes Y-D-M)
        if any(size > 2 for size in sizes[1:]):
            raise _refuse(text, "not a date")
        numbers = [int(p) for p in parts]
        return _build(
            text, numbers[0], numbers[1], numbers[2] if len(parts) > 2 else None
        )
    if sizes[-1] != 4:
        raise _refuse(text, "the year must come first or last")
    numbers = [int(p) for p in parts]
    if len(parts) == 2:  # M/Y
        return _build(text, numbers[1], numbers[0], None)
    first, second, year = numbers
    if dayfirst:
        day, month = (second, first) if second > 12 >= first else (first, second)
    else:
        month, day = (second, first) if first > 12 >= second else (first, second)
    if month == 0 and day != 0:  # "00/03/2017" in either order: day unknown
        month, day = day, 0
    return _build(text, year, month, day)
