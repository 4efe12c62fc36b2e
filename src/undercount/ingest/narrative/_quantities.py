"""Quantity phrases ("at least 105", "nearly a million", "dozens") as intervals.

A quantity phrase is matched by :data:`QUANTITY` and turned into a
:class:`Quantity` by :func:`parse_quantity`. The interval rules are fixed and
documented in docs/extract.md so a reviewer can see why "thousands" became
``[2000, 9999]``: a plural vague count means at least two of its unit and fewer
than ten times the unit (e.g. "hundreds" = 200-999).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from undercount.ingest.narrative._model import QuantityKind

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_SCALES_BIG = {"billion": 1_000_000_000}

_SMALL = "|".join([*_UNITS, *_TENS])
_SCALE = "hundred|thousand|million|billion"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?![\d,]\d)"
# "twenty-five", "one hundred and five", "a hundred", "half a million", "a dozen"
_WORDNUM = (
    rf"(?:(?:a|an|one|half(?:\s+a)?)\s+(?:{_SCALE}|dozen)"
    rf"|(?:{_SMALL})(?:[\s-](?:{_SMALL}))?(?:\s+(?:{_SCALE}|dozen))?)"
    rf"(?:(?:\s+and\s+|\s+|,\s+)(?:(?:{_SMALL})(?:[\s-](?:{_SMALL}))?)"
    rf"(?:\s+(?:{_SCALE}))?)*"
)
_NUM = rf"(?:(?:{_DIGITS})(?:\s+(?:{_SCALE}))?|{_WORDNUM})"
_VAGUE = (
    r"(?:(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions)"
    r"|tens\s+of\s+(?:people|civilians)(?=\b)"
    r"|dozens|scores|hundreds|thousands|millions"
    r"|several|a\s+few|a\s+handful|many|numerous|countless)"
)
_MOD = (
    r"(?:at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|more\s+than|over"
    r"|upwards\s+of|in\s+excess\s+of|nearly|almost|close\s+to|just\s+under"
    r"|around|about|approximately|roughly|some|an\s+estimated|estimated"
    r"|up\s+to|as\s+many\s+as|fewer\s+than|less\s+than|at\s+most|a\s+total\s+of"
    r"|another|an\s+additional|a\s+further|an?\s+other)"
)
QUANTITY = re.compile(
    rf"(?<![\w$£€#.,-])(?:(?P<mod>{_MOD})\s+)?"
    rf"(?:between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})"
    rf"|from\s+(?P<f1>{_NUM})\s+to\s+(?P<f2>{_NUM})"
    rf"|(?P<r1>{_DIGITS})\s*(?:-|\u2013|\u2014|to)\s*(?P<r2>{_DIGITS})"
    rf"|(?P<num>{_NUM})|(?P<vague>{_VAGUE}))"
    rf"(?P<more>\s+more)?(?![\w%])",
    re.IGNORECASE,
)

# Plural vague quantities: [2 x unit, 10 x unit - 1]; others fixed by convention.
_VAGUE_INTERVALS: dict[str, tuple[int, int | None]] = {
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "dozens of thousands": (24_000, 99_999),
    "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
    "tens of people": (20, 99),
    "tens of civilians": (20, 99),
    "several": (3, 9),
    "a few": (2, 5),
    "a handful": (2, 6),
    "many": (2, None),
    "numerous": (2, None),
    "countless": (2, None),
}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed quantity phrase."""

    start: int
    end: int
    text: str
    kind: QuantityKind
    low: int | None
    high: int | None
    relative: bool
    value: int | None


def parse_number(phrase: str) -> int | None:
    """Parse digits or English number words; ``None`` if it is not a number.

    >>> parse_number("9,000"), parse_number("one hundred and five")
    (9000, 105)
    >>> parse_number("a million"), parse_number("1.2 million")
    (1000000, 1200000)
    """
    cleaned = re.sub(r"(?<=\d),(?=\d{3})", "", phrase.strip().lower())
    words = re.sub(r"[\s,-]+", " ", cleaned).split()
    if not words:
        return None
    first = words[0].replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", first):
        number = float(first)
        for word in words[1:]:
            scale = _SCALES.get(word) or _SCALES_BIG.get(word)
            if scale is None:
                return None
            number *= scale
        return round(number)
    total, current = 0, 0
    seen = False
    for word in words:
        if word in ("a", "an"):
            current = current if current else 1
        elif word == "half":
            current = -1  # marker: "half a million"
        elif word == "and":
            continue
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "dozen":
            current = max(current, 1) * 12
            seen = True
        elif word == "hundred":
            current = 50 if current == -1 else max(current, 1) * 100
            seen = True
        elif word in ("thousand", "million", "billion"):
            scale = 1_000 if word == "thousand" else 1_000_000
            scale = 1_000_000_000 if word == "billion" else scale
            value = 0.5 if current == -1 else max(current, 1)
            total += round(value * scale)
            current = 0
            seen = True
        else:
            return None
    if not seen or current < 0:
        return None
    return total + current


def _interval(kind: QuantityKind, value: int) -> tuple[int | None, int | None]:
    if kind == "at_least":
        return value, None
    if kind == "more_than":
        return value + 1, None
    if kind == "at_most":
        return 0, value
    if kind == "approximate":
        return math.floor(value * 0.9), math.ceil(value * 1.1)
    return value, value


_MOD_KINDS: dict[str, QuantityKind] = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "up to": "at_most",
    "as many as": "at_most",
    "fewer than": "at_most",
    "less than": "at_most",
    "at most": "at_most",
}


def parse_quantity(match: re.Match[str]) -> Quantity | None:
    """Turn a :data:`QUANTITY` match into an interval; ``None`` if not a count."""
    mod = re.sub(r"\s+", " ", (match.group("mod") or "").lower())
    relative = bool(match.group("more")) or mod in (
        "another",
        "an additional",
        "a further",
        "an other",
        "a other",
    )
    text = match.group()
    start, end = match.start(), match.end()
    pairs = [("b1", "b2"), ("f1", "f2"), ("r1", "r2")]
    for g1, g2 in pairs:
        if match.group(g1):
            low, high = parse_number(match.group(g1)), parse_number(match.group(g2))
            if low is None or high is None or high < low:
                return None
            if g1 == "r1" and (_looks_like_years(low, high) or high > 10 * low + 100):
                return None
            return Quantity(start, end, text, "range", low, high, relative, None)
    vague = match.group("vague")
    if vague:
        key = re.sub(r"\s+", " ", vague.lower())
        low_v, high_v = _VAGUE_INTERVALS[key]
        if mod in ("at least", "more than", "over", "upwards of", "no fewer than"):
            high_v = None
        return Quantity(start, end, text, "vague", low_v, high_v, relative, None)
    raw = match.group("num")
    value = parse_number(raw) if raw else None
    if value is None:
        return None
    if mod in ("nearly", "almost", "close to", "just under"):
        return Quantity(
            start, end, text, "approximate", math.floor(value * 0.9), value,
            relative, value,
        )  # fmt: skip
    kind: QuantityKind = _MOD_KINDS.get(mod, "exact")
    if mod in (
        "around",
        "about",
        "approximately",
        "roughly",
        "some",
        "an estimated",
        "estimated",
    ):
        kind = "approximate"
    low, high = _interval(kind, value)
    return Quantity(start, end, text, kind, low, high, relative, value)


def _looks_like_years(low: int, high: int) -> bool:
    return 1900 <= low <= 2100 and 1900 <= high <= 2100
