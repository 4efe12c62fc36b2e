"""Field types shared by the record models (annotated pydantic types)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from undercount.model._numbers import parse_number
from undercount.model._text import (
    UNKNOWN_MARKERS,
    clean_spaces,
    fold,
    is_unknown_marker,
)

__all__ = [
    "SOURCE_NAME_PATTERN",
    "Count",
    "Latitude",
    "Longitude",
    "NonEmptyText",
    "OptionalText",
    "RequiredCount",
    "Sha256",
    "SourceName",
    "clean_cell",
    "make_source_name",
    "parse_text",
]

SOURCE_NAME_PATTERN = re.compile(r"[^\W_][\w.-]{0,63}")
"""A source name: a letter or digit, then up to 63 letters, digits, ``_ . -``.

Letters may be of any script (file stems of Arabic lists are valid names); spaces
and other punctuation are not, because names become column names of capture tables.
"""

_NAME_UNKNOWN = frozenset(
    fold(w)
    for w in (
        "unidentified", "unidentified body", "unidentified person", "unnamed",
        "no name", "مجهول الهوية", "مجهولة الهوية", "جثة مجهولة",
        "جثة مجهولة الهوية", "بدون اسم", "بلا اسم",
    )
)  # fmt: skip


# Cells longer than every marker (with slack for tatweel and spaces) skip the check.
_LONGEST_MARKER = 2 * max(len(m) for m in (*UNKNOWN_MARKERS, *_NAME_UNKNOWN)) + 8


def parse_text(value: object) -> str | None:
    """Clean a free-text cell: NFC, single spaces, trimmed.

    Returns ``None`` for a blank cell, an "unknown" marker (``unknown``, ``-``,
    ``غير معروف``...) or a name cell saying the person is unidentified (``مجهول
    الهوية``): such values must not look like a shared name to record linkage.
    Integral floats from typed files lose their ``.0``; NaN is blank.
    """
    text = clean_cell(value)
    if text is None or len(text) > _LONGEST_MARKER:
        return text
    folded = fold(text)
    if is_unknown_marker(folded) or folded in _NAME_UNKNOWN:
        return None
    return text


def clean_cell(value: object) -> str | None:
    """NFC, single spaces, trimmed; ``None`` when nothing is left. Integral floats
    from typed files lose their ``.0`` and NaN is blank. No "unknown" handling."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        value = str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = clean_spaces(text)
    return text or None


def _required_text(value: object) -> object:
    return clean_cell(value) or ""


def _check_source_name(value: str) -> str:
    if not SOURCE_NAME_PATTERN.fullmatch(value):
        raise ValueError(
            f"source name must be a letter or digit followed by up to 63 letters, "
            f"digits, '_', '.' or '-', got {value!r}; try {make_source_name(value)!r}"
        )
    return value


def make_source_name(text: str) -> str:
    """A valid source name derived from ``text`` (e.g. a file stem).

    Runs of characters that are not allowed become ``_``; the result is trimmed to
    64 characters. Raises :class:`ValueError` if nothing usable is left.

    Examples
    --------
    >>> make_source_name("IBC Mosul (2017)")
    'IBC_Mosul_2017'
    """
    name = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", text.strip()))
    name = name.strip("_.-")[:64].rstrip("_.-")
    if not name or not SOURCE_NAME_PATTERN.fullmatch(name):
        raise ValueError(f"cannot make a source name from {text!r}")
    return name


SourceName = Annotated[str, AfterValidator(_check_source_name)]
"""A validated source (list) name."""

OptionalText = Annotated[str | None, BeforeValidator(parse_text)]
"""Free text; blank and "unknown" become ``None`` (see :func:`parse_text`)."""

NonEmptyText = Annotated[str, BeforeValidator(_required_text), Field(min_length=1)]
"""Text that must not be blank after cleaning."""

Sha256 = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    Field(pattern=r"^[0-9a-f]{64}$"),
]
"""A SHA-256 digest as 64 lowercase hexadecimal characters."""


def _read_count(value: object) -> object:
    """Cell text or a number -> int; leaves other values to pydantic's checks."""
    if isinstance(value, str | float | bool) or value is None:
        number = parse_number(value)
        if isinstance(number, float):
            if not number.is_integer():
                raise ValueError(f"a count must be a whole number, got {value!r}")
            return int(number)
        return number
    return value


def _read_float(value: object) -> object:
    return parse_number(value) if isinstance(value, str) else value


Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_read_count)]
"""A non-negative count; text is read with :func:`parse_number` (``"١٬٢٣٤"``)."""

RequiredCount = Annotated[int, BeforeValidator(_read_count), Field(ge=0)]
"""Like :data:`Count`, but required."""

Latitude = Annotated[
    Annotated[float, Field(ge=-90, le=90)] | None, BeforeValidator(_read_float)
]
"""WGS 84 latitude in degrees; text is read with :func:`parse_number`."""

Longitude = Annotated[
    Annotated[float, Field(ge=-180, le=180)] | None, BeforeValidator(_read_float)
]
"""WGS 84 longitude in degrees; text is read with :func:`parse_number`."""
