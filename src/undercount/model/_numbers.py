"""Reading counts and other numbers from cells (see :func:`parse_number`)."""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache

from undercount.model._text import fold, is_unknown_marker
from undercount.model.errors import ValueParseError

__all__ = ["NUMBER_FORMS", "parse_number"]

NUMBER_FORMS = "12, 1234, 1,234, 1 234, 12.5, ١٢٣٤, ١٬٢٣٤, ١٢٫٥"
"""The accepted forms, as shown in error messages."""

# After folding: Arabic thousands separator -> ",", Arabic decimal separator -> ".",
# non-breaking and thin spaces -> " ". Groups of three after the first group must
# all use the same separator; the decimal part is optional.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")


def parse_number(text: str | int | float | None) -> int | float | None:
    """Read a number from a cell, refusing anything that would need a guess.

    Parameters
    ----------
    text
        The cell: text with ASCII, Arabic-Indic (``٠-٩``) or Persian (``۰-۹``)
        digits, or an int/float from a typed file format.

    Returns
    -------
    int, float or None
        An ``int`` when the text has no decimal part, a ``float`` when it has one;
        ``None`` for blank cells, "unknown" markers and NaN.

    Raises
    ------
    ValueParseError
        For text that is not a number, ambiguous separators (``1,5``: decimal
        comma or a thousands group?), inconsistent grouping (``12,34``),
        exponents, infinities and booleans. Nothing is truncated silently.

    Notes
    -----
    Thousands separators: ``,``, the Arabic ``٬`` and spaces (including
    non-breaking); decimal separators: ``.`` and the Arabic ``٫``.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueParseError("number", text, "a true/false value", NUMBER_FORMS)
    if isinstance(text, numbers.Integral):  # int and numpy integers
        return int(text)
    if isinstance(text, numbers.Real):  # float and numpy floats
        value = float(text)
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise ValueParseError("number", text, "not finite", NUMBER_FORMS)
        return value
    if not isinstance(text, str):
        raise ValueParseError("number", text, "expected text", NUMBER_FORMS)
    return _parse_text(text)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> int | float | None:
    folded = fold(text)
    if is_unknown_marker(folded):
        return None
    if _PLAIN.fullmatch(folded):
        cleaned = folded
    elif _GROUPED.fullmatch(folded):
        cleaned = folded.replace(",", "").replace(" ", "")
    else:
        raise ValueParseError("number", text, "not a number", NUMBER_FORMS)
    if "." in cleaned:
        return float(cleaned)
    return int(cleaned)
