"""Cleaning a header row: trimmed names, placeholders for blanks, no duplicates."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from undercount.errors import UserInputError

__all__ = ["clean_header"]

_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\ufeff\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e",
    )
)


def clean_header(cells: Sequence[object], *, where: str) -> list[str]:
    """Column names from a header row.

    Names are NFC-normalised and trimmed, with byte-order marks and bidirectional
    control characters removed (spreadsheets add them around Arabic text). A blank
    name becomes ``column_N`` (1-based position) so its cells are not lost; trailing
    blank names are dropped (spreadsheets pad rows). Two columns with the same name
    are an error, because a row could not be stored as one JSON object.

    Raises
    ------
    UserInputError
        On duplicate names or when no column has a name.
    """
    names = [
        unicodedata.normalize("NFC", str(c) if c is not None else "")
        .translate(_INVISIBLE)
        .strip()
        for c in cells
    ]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise UserInputError(
            f"{where}: the header row is empty; the first row must name the columns"
        )
    out = [name or f"column_{i + 1}" for i, name in enumerate(names)]
    seen: dict[str, int] = {}
    for i, name in enumerate(out):
        if name in seen:
            raise UserInputError(
                f"{where}: column {name!r} appears twice in the header (columns "
                f"{seen[name] + 1} and {i + 1}); rename one of them"
            )
        seen[name] = i
    return out
