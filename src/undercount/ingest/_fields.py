"""Cell converters per canonical field, with the model's own semantics.

The model decides what a valid cell is: :meth:`VictimRecord.from_raw
<undercount.model.VictimRecord.from_raw>` (15 µs a row) is the reference. Calling it
per row would cap imports near 60,000 rows/s, so the importer converts each
*distinct* cell of a column once (:class:`~undercount.ingest._validate.BatchValidator`
memoises) with a converter that delegates to the model:

- parsed fields (sex, age, birth year, date of death) go through ``from_raw`` on a
  one-field row, so values and refusal reasons are exactly the model's;
- free-text fields get :func:`undercount.model.parse_text` semantics from
  :func:`parse_text_array` (Arrow cleaning; ``parse_text`` itself only for values
  that might be "unknown" markers);
- ``record_id`` (unique per row, so memoising would not help) is cleaned by Arrow
  with the same rule as the model (NFC, single spaces, trimmed).

The only rule that spans fields, "birth year not after the date of death", is
checked per batch by the validator; rows that fail anything are re-read with
``from_raw`` to take the model's reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from undercount.model import (
    AgeRange,
    PartialDate,
    RecordValidationError,
    Sex,
    VictimRecord,
    parse_text,
)

__all__ = [
    "OUTPUTS",
    "PARSED_FIELDS",
    "TEXT_FIELDS",
    "Converter",
    "FieldError",
    "clean_text_array",
    "converters",
    "parse_text_array",
]

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

#: Free-text fields (cleaned; "unknown" markers become missing; never refused).
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

#: Fields read by a parser that may refuse the cell.
PARSED_FIELDS = frozenset({"sex", "age", "birth_year", "date_of_death"})

# Exactly the characters for which str.isspace() is true, as an RE2 class.
_SPACE_CLASS = (
    r"[\t\n\x{0B}\x{0C}\r\x{1C}-\x{1F} \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}"
    r"\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]+"
)
_NEEDS_REWRITE = _SPACE_CLASS.replace(" ", "").removesuffix("+") + "|  "


class FieldError(ValueError):
    """A cell the model refuses; ``str()`` is the model's reason."""


def _clean_distinct(text: pa.Array) -> pa.Array:
    text = pc.utf8_normalize(text, form="NFC")
    if pc.any(pc.match_substring_regex(text, pattern=_NEEDS_REWRITE)).as_py():
        text = pc.replace_substring_regex(text, pattern=_SPACE_CLASS, replacement=" ")
    text = pc.utf8_trim(text, characters=" ")
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def clean_text_array(values: pa.Array) -> pa.Array:
    """NFC, single spaces, trimmed, blank -> null, on a whole Arrow string array.

    The same rule as the model's cell cleaning (``" ".join(text.split())`` after
    NFC), vectorised: used for ``record_id``, whose values are all distinct.
    """
    encoded = values.dictionary_encode()
    return _clean_distinct(encoded.dictionary).take(encoded.indices)


def _marker_vocabulary() -> tuple[set[str], Callable[[str], str]] | None:
    """Tokens of the model's "unknown" markers (folded) and its fold function."""
    try:
        from undercount.model._fields import _NAME_UNKNOWN
        from undercount.model._text import UNKNOWN_MARKERS, fold
    except ImportError:  # pragma: no cover - the model changed its internals
        return None
    vocabulary = {""}
    for marker in (*UNKNOWN_MARKERS, *_NAME_UNKNOWN):
        vocabulary.update(marker.split(" "))
    return vocabulary, fold


_VOCABULARY = _marker_vocabulary()
_TOKEN_FOLDS: dict[str, bool] = {}
_TOKEN_SAFE = r"^[\x{20}-\x{7E}\x{0600}-\x{06FF}]*$"


def _might_be_markers(texts: pa.Array) -> np.ndarray:
    """Which distinct values ``parse_text`` might turn into None (a superset).

    ``parse_text`` (7-13 µs a value) returns None for blank cells and for cells
    that fold to an "unknown" marker. For text made only of printable ASCII and
    Arabic-block characters, folding works token by token (no character there folds
    to or across a space), so a cell can fold to a marker only if each of its
    space-separated tokens folds to a token of some marker. Tokens repeat heavily
    in names: each distinct token is folded once (memoised), and the per-value test
    is done with numpy. Any other value is a candidate; if the model's marker
    vocabulary cannot be found, every value is (exact, only slower).
    """
    n = len(texts)
    if _VOCABULARY is None or n == 0:
        return np.ones(n, dtype=bool)
    vocabulary, fold = _VOCABULARY
    safe = pc.fill_null(pc.match_substring_regex(texts, pattern=_TOKEN_SAFE), True)
    tokens = pc.split_pattern(pc.fill_null(texts, ""), pattern=" ")
    flat = tokens.flatten().dictionary_encode()
    memo = _TOKEN_FOLDS
    if len(memo) > 500_000:
        memo.clear()
    flags = []
    for token in flat.dictionary.to_pylist():
        known = memo.get(token)
        if known is None:
            known = memo[token] = fold(token) in vocabulary
        flags.append(known)
    foreign = ~np.asarray(flags, dtype=bool)[flat.indices.to_numpy()]
    offsets = tokens.offsets.to_numpy()
    foreign_per_value = np.add.reduceat(foreign.astype(np.int32), offsets[:-1])
    result: np.ndarray = (foreign_per_value == 0) | ~safe.to_numpy(zero_copy_only=False)
    return result


def parse_text_array(values: pa.Array) -> pa.Array:
    """:func:`undercount.model.parse_text` on a whole Arrow string array.

    Every distinct value is cleaned by Arrow (as :func:`clean_text_array`); only the
    values that might be "unknown" markers (see :func:`_might_be_markers`) are passed
    to ``parse_text`` itself. The result equals ``[parse_text(v) for v in values]``.
    """
    encoded = values.dictionary_encode()
    distinct = encoded.dictionary
    cleaned = _clean_distinct(distinct)
    candidates = _might_be_markers(distinct) & cleaned.is_valid().to_numpy(
        zero_copy_only=False
    )
    positions = np.flatnonzero(candidates)
    if len(positions):
        exact = pa.array(
            [parse_text(distinct[int(i)].as_py()) for i in positions], pa.string()
        )
        cleaned = pc.replace_with_mask(cleaned, pa.array(candidates), exact)
    return cleaned.take(encoded.indices)


def _text(value: str | None) -> tuple[str | None]:
    return (parse_text(value),)


def _outputs(field: str, value: Any) -> tuple[Any, ...]:
    if field == "sex":
        return (Sex(value).value,)
    if field == "age":
        if value is None:
            return (None, None, None, None)
        age: AgeRange = value
        return (age.low, age.high, age.approximate, age.text or None)
    if field == "date_of_death":
        if value is None:
            return (None, None, None, None)
        date: PartialDate = value
        return (date.iso(), date.start(), date.end(), date.precision)
    return (value,)


def _parsed(field: str, source: str, dayfirst: bool) -> Converter:
    def convert(value: str | None) -> tuple[Any, ...]:
        try:
            record = VictimRecord.from_raw(
                source, {"record_id": "-", field: value}, dayfirst=dayfirst
            )
        except RecordValidationError as exc:
            reasons = [why for name, why in exc.field_errors if name == field]
            raise FieldError("; ".join(reasons) or str(exc)) from None
        return _outputs(field, getattr(record, field))

    return convert


def converters(source: str, *, dayfirst: bool = True) -> dict[str, Converter]:
    """Converter per canonical field except ``record_id`` (see module docstring)."""
    table: dict[str, Converter] = dict.fromkeys(TEXT_FIELDS, _text)
    for field in PARSED_FIELDS:
        table[field] = _parsed(field, source, dayfirst)
    return table
