"""Cell converters: one function per canonical field, built on the model's parsers.

Each converter takes the cell (``str | None``) and returns the tuple of normalised
store columns for that field, or raises :class:`~undercount.model.ValueParseError`.
They are pure, so :class:`~undercount.ingest._validate.BatchValidator` memoises them
per column: in a real list the same dates, ages and sexes recur thousands of times.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from undercount.model import (
    MAX_YEAR,
    MIN_YEAR,
    ValueParseError,
    parse_age,
    parse_number,
    parse_partial_date,
    parse_sex,
)

__all__ = [
    "CONVERTERS",
    "OUTPUTS",
    "TEXT_FIELDS",
    "Converter",
    "clean_text",
    "clean_text_array",
    "converters",
]

#: Fields that are free text: cleaned (NFC, single spaces, trimmed), never refused.
TEXT_FIELDS = frozenset(
    {
        "name",
        "given_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "place_of_death",
        "incident_id",
        "perpetrator",
        "notes",
    }
)

# Exactly the characters for which str.isspace() is true, as an RE2 class.
_SPACE_CLASS = (
    r"[\t\n\x{0B}\x{0C}\r\x{1C}-\x{1F} \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}"
    r"\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]+"
)
_NEEDS_REWRITE = _SPACE_CLASS.replace(" ", "").removesuffix("+") + "|  "

Converter = Callable[[str | None], tuple[Any, ...]]

#: Store columns each canonical field produces, in order.
OUTPUTS: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id",),
    "name": ("name",),
    "given_name": ("given_name",),
    "father_name": ("father_name",),
    "grandfather_name": ("grandfather_name",),
    "family_name": ("family_name",),
    "sex": ("sex",),
    "age": ("age_low", "age_high", "age_approx", "age_text"),
    "birth_year": ("birth_year",),
    "date_of_death": ("date_of_death", "date_start", "date_end", "date_precision"),
    "place_of_death": ("place_of_death",),
    "incident_id": ("incident_id",),
    "perpetrator": ("perpetrator",),
    "notes": ("notes",),
}


def clean_text(value: str | None) -> str | None:
    """NFC, single spaces, trimmed; ``None`` when nothing is left."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


def clean_text_array(values: pa.Array) -> pa.Array:
    """:func:`clean_text` on a whole Arrow string array (vectorised, same result).

    Each distinct value is cleaned once (names and places repeat), and the costly
    whitespace rewrite runs only when some value needs it.
    """
    encoded = values.dictionary_encode()
    text = pc.utf8_normalize(encoded.dictionary, form="NFC")
    if pc.any(pc.match_substring_regex(text, pattern=_NEEDS_REWRITE)).as_py():
        text = pc.replace_substring_regex(text, pattern=_SPACE_CLASS, replacement=" ")
    text = pc.utf8_trim(text, characters=" ")
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return text.take(encoded.indices)


def _text(value: str | None) -> tuple[str | None]:
    return (clean_text(value),)


def _record_id(value: str | None) -> tuple[str]:
    text = clean_text(value)
    if text is None:
        raise ValueParseError(
            "record_id", value or "", "record_id is empty", "any non-empty text"
        )
    return (text,)


def _sex(value: str | None) -> tuple[str]:
    return (parse_sex(value).value,)


_NO_AGE: tuple[None, None, None, None] = (None, None, None, None)


def _age(
    value: str | None,
) -> tuple[float | None, float | None, bool | None, str | None]:
    age = parse_age(value)
    if age is None:
        return _NO_AGE
    return (age.low, age.high, age.approximate, age.text or None)


def _birth_year(value: str | None) -> tuple[int | None]:
    number = parse_number(value)
    if number is None:
        return (None,)
    if isinstance(number, float) and not number.is_integer():
        raise ValueParseError(
            "birth year", value, "a birth year must be a whole year", "1985, ١٩٨٥"
        )
    year = int(number)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueParseError(
            "birth year",
            value,
            f"a birth year must be between {MIN_YEAR} and {MAX_YEAR}",
            "1985, ١٩٨٥",
        )
    return (year,)


_NO_DATE: tuple[None, None, None, None] = (None, None, None, None)


def _date(dayfirst: bool) -> Converter:
    def convert(
        value: str | None,
    ) -> tuple[str | None, date | None, date | None, str | None]:
        parsed = parse_partial_date(value, dayfirst=dayfirst)
        if parsed is None:
            return _NO_DATE
        return (parsed.iso(), parsed.start(), parsed.end(), parsed.precision)

    return convert


def converters(*, dayfirst: bool = True) -> dict[str, Converter]:
    """Converter per canonical field (dates read day-first unless told otherwise)."""
    return {
        "record_id": _record_id,
        "name": _text,
        "given_name": _text,
        "father_name": _text,
        "grandfather_name": _text,
        "family_name": _text,
        "sex": _sex,
        "age": _age,
        "birth_year": _birth_year,
        "date_of_death": _date(dayfirst),
        "place_of_death": _text,
        "incident_id": _text,
        "perpetrator": _text,
        "notes": _text,
    }


#: Default converters (day-first dates).
CONVERTERS = converters()
