"""Reading ages from cell text in English and Arabic (see :func:`parse_age`)."""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache

from undercount.model._ages import MAX_AGE, AgeRange
from undercount.model._dates import PartialDate
from undercount.model._text import fold, is_unknown_marker
from undercount.model.errors import ValueParseError

__all__ = [
    "AGE_CATEGORIES",
    "AGE_FORMS",
    "APPROXIMATE_MARGIN",
    "age_from_birth_year",
    "parse_age",
]

AGE_FORMS = "34, ~30, 30?, 30-35, 30s, 6 months, child, under 18, 60+, حوالي 30"
"""The accepted forms, as shown in error messages."""

APPROXIMATE_MARGIN = 3.0
"""Half-width in years of an approximate age ("~30" is 27-33); see :func:`parse_age`."""

_MONTH = 1 / 12

# (low, high) in years for age words. Sources for the boundaries: the UN Convention
# on the Rights of the Child (child < 18), WHO (infant < 1, newborn < 28 days,
# adolescent 10-19: we use the common 13-19 "teen"), UN (older persons 60+).
_CATEGORY_WORDS: dict[tuple[float, float | None], tuple[str, ...]] = {
    (0.0, _MONTH): ("newborn", "new-born", "new born", "neonate", "وليد",
                    "مولود", "مولوده", "حديث الولادة", "حديثة الولادة"),
    (0.0, 1.0): ("infant", "baby", "رضيع", "رضيعة", "طفل رضيع", "طفلة رضيعة"),
    (1.0, 3.0): ("toddler",),
    (0.0, 17.0): ("child", "kid", "minor", "boy", "girl", "طفل", "طفلة",
                  "قاصر", "قاصرة", "صبي", "صبية"),
    (13.0, 19.0): ("teen", "teens", "teenager", "adolescent", "مراهق", "مراهقة"),
    (15.0, 35.0): ("youth", "young", "young man", "young woman", "شاب", "شابة"),
    (18.0, None): ("adult", "grown-up", "بالغ", "بالغة", "راشد", "راشدة"),
    (40.0, 64.0): ("middle-aged", "middle aged", "كهل", "كهلة", "متوسط العمر"),
    (60.0, None): ("elderly", "old", "old man", "old woman", "senior", "شيخ",
                   "مسن", "مسنة", "عجوز", "كبير السن", "كبيرة السن",
                   "كبير بالسن", "كبيرة بالسن"),
}  # fmt: skip

AGE_CATEGORIES: dict[str, tuple[float, float | None]] = {
    fold(word): bounds for bounds, words in _CATEGORY_WORDS.items() for word in words
}
"""Folded age word -> (low, high) in years; ``high`` None means open-ended."""

_UNIT_WORDS: dict[float, tuple[str, ...]] = {
    1.0: ("years", "year", "yrs", "yr", "y", "y/o", "y.o.", "y.o", "yo",
          "سنوات", "سنين", "سنة", "اعوام", "عاما", "عام"),
    _MONTH: ("months", "month", "mths", "mth", "mos", "mo", "m",
             "اشهر", "شهور", "شهرا", "شهر"),
    7 / 365.25: ("weeks", "week", "wks", "wk", "w", "اسابيع", "اسبوعا", "اسبوع"),
    1 / 365.25: ("days", "day", "d", "ايام", "يوما", "يوم"),
}  # fmt: skip
_UNITS: dict[str, float] = {
    fold(word): size for size, words in _UNIT_WORDS.items() for word in words
}
# Arabic dual forms and bare singular units carry their own number ("شهرين" = 2
# months, "سنة" = one year).
_COUNTED_UNITS: dict[str, float] = {
    fold(word): count * size
    for size, words in {
        1.0: (("سنتين", 2), ("سنتان", 2), ("عامين", 2), ("عامان", 2)),
        _MONTH: (("شهرين", 2), ("شهران", 2), ("شهر", 1)),
        7 / 365.25: (("اسبوعين", 2), ("اسبوعان", 2), ("اسبوع", 1)),
        1 / 365.25: (("يومين", 2), ("يومان", 2), ("يوم", 1)),
    }.items()
    for word, count in words
}

# The patterns below run on folded text (see _text.fold): Arabic words in them are
# written folded too (no hamza on alef, ي for ى, ه for ة), e.g. "الي" for "إلى".
_NUM = r"\d+(?:\.\d+)?"
_UNIT = (
    "(?:"
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")(?![^\W\d_])"
)
_COUNTED = "(?:" + "|".join(sorted(_COUNTED_UNITS, key=len, reverse=True)) + ")"
# A term with a unit ("6 months", "شهرين"); amounts join such terms ("2 years 6
# months") or are a bare number. Two bare numbers never add up ("30 35" is refused).
_UNIT_TERM = rf"(?:{_NUM}\s*{_UNIT}|{_COUNTED})"
_JOIN = r"(?:\s*(?:,|and|و)\s*|\s+)"
_AMOUNT = rf"(?:{_UNIT_TERM}(?:{_JOIN}{_UNIT_TERM})*|{_NUM})"
_AMOUNT_RE = re.compile(_AMOUNT)
_TERM_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT})?|(?P<counted>{_COUNTED})")

_APPROX_BEFORE = re.compile(
    r"^(?:~|≈|\+/-|about|approx\.?|approximately|around|circa|ca\.?|c\.|roughly|"
    r"nearly|almost|حوالي|تقريبا|نحو|قرابه|ما يقارب|يقارب|بحدود|في حدود)\s*"
)
_APPROX_AFTER = re.compile(
    r"\s*(?:\?+|approx\.?|approximately|or so|\(approx\.?\)|تقريبا|\(تقريبا\))$"
)
_LABEL_BEFORE = re.compile(
    r"^(?:aged|age|العمر|عمره|عمرها|بعمر|عمر|في)(?![^\W\d_])\s*:?\s*"
)
_LABEL_AFTER = re.compile(
    r"\s*(?:old|years old|of age|من العمر|من عمره|من عمرها|سنوات من العمر)$"
)
_DECADE = re.compile(r"^(?:(early|mid|late)[\s-]*)?([1-9])0'?s$")
_ARABIC_DECADE = re.compile(
    r"^(?:ال)?(عشرين|ثلاثين|اربعين|خمسين|ستين|سبعين|ثمانين|تسعين)(?:يات|ات)$"
)
_ARABIC_TENS = {
    "عشرين": 20, "ثلاثين": 30, "اربعين": 40, "خمسين": 50,
    "ستين": 60, "سبعين": 70, "ثمانين": 80, "تسعين": 90,
}  # fmt: skip
_BELOW = re.compile(
    rf"^(?:under|below|less than|younger than|<|اقل من|دون|تحت)\s*({_AMOUNT})$"
)
_ABOVE = re.compile(
    rf"^(?:(?:over|above|older than|more than|>=|>|اكثر من|اكبر من|فوق)\s*({_AMOUNT})"
    rf"|({_AMOUNT})\s*(?:\+|and over|and above|or more|or older|فما فوق|وما فوق"
    r"|فاكثر|او اكثر))$"
)
_RANGE = re.compile(
    rf"^(?:between|بين)?\s*({_AMOUNT})\s*(?:-|to|/|or|and|الي|او|و|حتي)\s*({_AMOUNT})$"
)


def _refuse(text: object, reason: str) -> ValueParseError:
    return ValueParseError("age", text, reason, AGE_FORMS)


def parse_age(text: str | int | float | None) -> AgeRange | None:
    """Read an age cell as an :class:`AgeRange` (an interval of years).

    Parameters
    ----------
    text
        The cell: text in English or Arabic (any digits), or a number.

    Returns
    -------
    AgeRange or None
        ``None`` for blank and "unknown" markers. Otherwise:

        * ``"34"``, ``34``, ``"34 years"`` -> ``[34, 34]``;
        * approximate (``"~30"``, ``"about 30"``, ``"30?"``, ``"حوالي 30"``,
          ``"30 تقريبا"``) -> ``[30 - m, 30 + m]`` with
          ``m = min(APPROXIMATE_MARGIN, age / 2)`` (3 years, less for young
          children: "about 2" is 1-3), ``approximate=True``;
        * ranges ``"30-35"``, ``"30 to 35"``, ``"بين 30 و 35"`` -> ``[30, 35]``
          (an approximation marker sets the flag but does not widen a range);
        * decades ``"30s"`` -> ``[30, 39]``, ``"early 30s"`` 30-33, ``"mid 30s"``
          33-36, ``"late 30s"`` 36-39, ``"الثلاثينات"`` -> ``[30, 39]``;
        * ``"6 months"``, ``"٦ أشهر"``, ``"شهرين"``, ``"2 years 6 months"`` ->
          fractions of a year;
        * ``"under 18"`` -> ``[0, 18 - 1/12]``; ``"60+"``, ``"over 60"`` ->
          ``[60, None]``;
        * words (``"child"``, ``"طفل"``, ``"elderly"``, ``"مسن"``...) -> the
          intervals in ``AGE_CATEGORIES`` (child 0-17, infant 0-1, teen 13-19,
          adult 18+, elderly 60+; see docs/model.md).

    Raises
    ------
    ValueParseError
        For negative ages, ages above ``MAX_AGE`` (120), reversed ranges and text
        that is not an age.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise _refuse(text, "a true/false value is not an age")
    if isinstance(text, numbers.Real):  # int, float, numpy scalars
        value = float(text)
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise _refuse(text, "not a finite number")
        _check_bounds(text, value)
        return AgeRange(value, value, False, _number_text(value))
    if not isinstance(text, str):
        raise _refuse(text, f"expected text or a number, got {type(text).__name__}")
    return _parse_text(text)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _check_bounds(text: object, *values: float) -> None:
    for value in values:
        if value < 0:
            raise _refuse(text, "an age cannot be negative")
        if value > MAX_AGE:
            raise _refuse(text, f"ages above {MAX_AGE:g} are refused")


def _amount(fragment: str) -> float:
    """Years in an amount such as ``"30"``, ``"6 months"``, ``"2 years 6 months"``."""
    total = 0.0
    for match in _TERM_RE.finditer(fragment):
        if match.group("counted"):
            total += _COUNTED_UNITS[match.group("counted")]
        else:
            unit = match.group("unit")
            total += float(match.group("num")) * (_UNITS[unit] if unit else 1.0)
    return total


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> AgeRange | None:
    folded = fold(text)
    if is_unknown_marker(folded):
        return None
    original = text.strip()
    approximate = False
    previous = None
    while previous != folded:  # peel markers in any order
        previous = folded
        folded, n_before = _APPROX_BEFORE.subn("", folded)
        folded, n_after = _APPROX_AFTER.subn("", folded)
        approximate = approximate or bool(n_before or n_after)
        folded = _LABEL_AFTER.sub("", _LABEL_BEFORE.sub("", folded)).strip()
    if not folded:
        raise _refuse(text, "no age given")
    if folded.startswith("-") and _AMOUNT_RE.fullmatch(folded[1:].strip()):
        raise _refuse(text, "an age cannot be negative")

    def make(low: float, high: float | None, approx: bool = approximate) -> AgeRange:
        _check_bounds(text, low, *(() if high is None else (high,)))
        return AgeRange(low, high, approx, original)

    if folded in AGE_CATEGORIES:
        low, high = AGE_CATEGORIES[folded]
        return make(low, high)
    if match := _DECADE.fullmatch(folded):
        base = 10.0 * int(match.group(2))
        offset = {None: (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}
        lo, hi = offset[match.group(1)]
        return make(base + lo, base + hi)
    if match := _ARABIC_DECADE.fullmatch(folded):
        base = float(_ARABIC_TENS[match.group(1)])
        return make(base, base + 9)
    if _AMOUNT_RE.fullmatch(folded):
        value = _amount(folded)
        if not approximate:
            return make(value, value)
        margin = min(APPROXIMATE_MARGIN, value / 2)
        _check_bounds(text, value)
        return make(max(0.0, value - margin), min(MAX_AGE, value + margin))
    if match := _BELOW.fullmatch(folded):
        return make(0.0, max(0.0, _amount(match.group(1)) - _MONTH))
    if match := _ABOVE.fullmatch(folded):
        return make(_amount(match.group(1) or match.group(2)), None)
    if match := _RANGE.fullmatch(folded):
        first, second = match.group(1), match.group(2)
        low, high = _amount(first), _amount(second)
        if re.fullmatch(_NUM, first) and (unit := _TERM_RE.fullmatch(second)):
            # "6-8 months": a trailing unit applies to both ends.
            low *= _UNITS[unit.group("unit")] if unit.group("unit") else 1.0
        if low > high:
            raise _refuse(text, "range runs backwards")
        return make(low, high)
    raise _refuse(text, "not an age")


def age_from_birth_year(birth_year: int, at: PartialDate) -> AgeRange:
    """Age interval of someone born in ``birth_year``, at the date ``at``.

    Without the birthday, the age at a day can be either of two values; a coarser
    ``at`` widens the interval accordingly (born 1980, died 2017 -> 36-37).

    Raises
    ------
    ValueParseError
        If ``birth_year`` is after ``at`` or implies an age above ``MAX_AGE``.
    """
    shown = f"born {birth_year}"
    high = at.end().year - birth_year
    low = at.start().year - birth_year - 1
    if high < 0:
        raise _refuse(shown, f"birth year after the date {at}")
    if low > MAX_AGE:
        raise _refuse(shown, f"implies an age above {MAX_AGE:g} at {at}")
    return AgeRange(float(max(0, low)), float(min(high, MAX_AGE)), False, shown)
