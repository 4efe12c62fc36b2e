"""Victims' personal fields: the one list, and the filter every public output uses.

A personal field names, dates or describes one person (or is the raw row that does).
Viewers and public outputs never receive them: schemas of routes a viewer may call
have no such field (a test checks the OpenAPI schema), and library results passed
through to those routes go through :func:`strip_personal` first.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["PERSONAL_FIELDS", "is_personal", "strip_personal"]

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
        # free text and raw rows
        "notes",
        "original",
        "value",
        # identifiers in the source list (a morgue number identifies a body)
        "record_id",
        # linkage and review views of individual records
        "review_examples",
        "decisions",
        "decision_conflicts",
    }
)
"""Keys never shown to viewers or written to public outputs."""

_SIDES = ("_l", "_r")


def is_personal(key: str) -> bool:
    """Whether ``key`` (also with a ``_l`` / ``_r`` pair suffix) is personal."""
    if key in PERSONAL_FIELDS:
        return True
    return any(key.endswith(s) and key[: -len(s)] in PERSONAL_FIELDS for s in _SIDES)


def strip_personal(value: Any) -> Any:
    """A copy of ``value`` (JSON-like) without any personal key, at any depth."""
    if isinstance(value, dict):
        return {
            k: strip_personal(v)
            for k, v in value.items()
            if not (isinstance(k, str) and is_personal(k))
        }
    if isinstance(value, list | tuple):
        return [strip_personal(v) for v in value]
    return value
