"""Victims' personal fields: the one list every public output is filtered with.

A personal field names, dates or describes one person (or is the raw row that
does): the name fields of :class:`~undercount.model.VictimRecord` and the forms
linkage makes of them, birth and age, free-text notes, the original row, the cell
value a quarantine entry quotes, and the identifier a list gives a body. Views that
list individual records (review examples, reviewer decisions naming records,
decision conflicts) are personal as a whole.

Used by the web service (viewers never receive these keys), by the report's
public mode (:func:`undercount.report.redact`) and by the pipeline.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

__all__ = ["PERSONAL_FIELDS", "PERSONAL_VIEWS", "is_personal", "strip_personal"]

PERSONAL_VIEWS: Final[frozenset[str]] = frozenset(
    {"review_examples", "decisions", "decision_conflicts"}
)
"""Keys whose whole value lists individual records."""

PERSONAL_FIELDS: Final[frozenset[str]] = frozenset(
    {
        # names, in every form the store and linkage use
        "name",
        "given_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "name_display",
        "name_tokens",
        "full_name",
        # birth and age
        "date_of_birth",
        "birth_date",
        "birth_year",
        "age",
        "age_text",
        # free text and raw rows (``value``: the cell a quarantine entry quotes)
        "notes",
        "original",
        "value",
        # identifiers in the source list (a morgue number identifies a body)
        "record_id",
        *PERSONAL_VIEWS,
    }
)
"""Keys never shown to viewers or written to public outputs."""

_SIDES = ("_l", "_r")


def is_personal(key: str) -> bool:
    """Whether ``key`` (also with a ``_l`` / ``_r`` pair suffix) is personal."""
    if key in PERSONAL_FIELDS:
        return True
    return any(key.endswith(s) and key[: -len(s)] in PERSONAL_FIELDS for s in _SIDES)


def strip_personal(value: Any, *, keep: Collection[str] = ()) -> Any:
    """A copy of ``value`` (JSON-like) without any personal key, at any depth.

    ``keep`` names keys that a document's own schema uses for something that is
    not personal (``results.json`` has ``notes`` of acknowledgments and ``value``
    of gap figures); :data:`PERSONAL_VIEWS` are removed whatever ``keep`` says.
    """
    if isinstance(value, dict):
        return {
            k: strip_personal(v, keep=keep)
            for k, v in value.items()
            if not (
                isinstance(k, str)
                and is_personal(k)
                and (k in PERSONAL_VIEWS or k not in keep)
            )
        }
    if isinstance(value, list | tuple):
        return [strip_personal(v, keep=keep) for v in value]
    return value
