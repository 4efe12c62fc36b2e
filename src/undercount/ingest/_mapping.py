"""Which file column feeds which canonical field.

Resolution, in order:

1. ``[sources.NAME.columns]`` in ``undercount.toml``: ``"file header" = "field"`` (or
   ``"keep"``). A configured header that is not in the file is an error (the file's
   layout changed; a silent miss would drop a field).
2. Known aliases (:mod:`._aliases`), English and Arabic, case/spacing-insensitive.
   Two columns claiming the same field is an error naming both.
3. Every other column is *unknown*: an error by default (a misspelt header would
   otherwise lose its data without anyone noticing), or kept in ``original`` only
   when ``extra_columns = "keep"``.

A list needs a ``record_id`` column and at least one name column (``name`` or a
name part); otherwise the error lists the columns found.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from undercount.errors import UserInputError
from undercount.ingest._aliases import header_key, lookup_alias
from undercount.project import CANONICAL_FIELDS, KEEP

__all__ = ["NAME_FIELDS", "ColumnMap", "resolve_columns"]

NAME_FIELDS = ("name", "given_name", "father_name", "grandfather_name", "family_name")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """The resolved mapping for one file.

    Attributes
    ----------
    header
        Column names as read.
    fields
        Canonical field -> column index.
    kept
        Indices of columns kept only in ``original``.
    """

    header: list[str]
    fields: dict[str, int]
    kept: list[int]

    def column(self, field: str) -> str:
        """File header feeding ``field``."""
        return self.header[self.fields[field]]

    def describe(self) -> dict[str, str]:
        """``{file header: canonical field or "keep"}``, in file order."""
        by_index = {i: f for f, i in self.fields.items()}
        return {h: by_index.get(i, KEEP) for i, h in enumerate(self.header)}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _shown(header: list[str], limit: int = 12) -> str:
    """Column names for a one-line message (long names and long lists cut)."""
    names = [repr(h if len(h) <= 60 else h[:57] + "...") for h in header[:limit]]
    more = f" and {len(header) - limit} more" if len(header) > limit else ""
    return ", ".join(names) + more


def resolve_columns(
    header: list[str],
    configured: dict[str, str],
    *,
    extra_columns: str,
    source: str,
    where: str,
) -> ColumnMap:
    """Map a file's header to canonical fields (see module docstring).

    Raises
    ------
    UserInputError
        For configured columns missing from the file, two columns claiming one
        field, unknown columns (unless kept) and missing required columns.
    """
    exact = {_norm(h): i for i, h in enumerate(header)}
    loose = {header_key(h): i for i, h in enumerate(header)}
    fields: dict[str, int] = {}
    kept: list[int] = []
    assigned: set[int] = set()
    for name, target in configured.items():
        index = exact.get(_norm(name))
        if index is None:
            index = loose.get(header_key(name))
        if index is None:
            raise UserInputError(
                f"{where}: [sources.{source}.columns] maps {name!r}, but the file has "
                f"no such column; columns found: {_shown(header)}"
            )
        assigned.add(index)
        if target == KEEP:
            kept.append(index)
        else:
            fields[target] = index
    for index, name in enumerate(header):
        if index in assigned:
            continue
        field = lookup_alias(name)
        if field is None:
            continue
        if field in fields:
            raise UserInputError(
                f"{where}: columns {header[fields[field]]!r} and {name!r} both look "
                f"like {field!r}; map one of them in [sources.{source}.columns] "
                f'(e.g. "{name}" = "keep")'
            )
        fields[field] = index
        assigned.add(index)
    unknown = [h for i, h in enumerate(header) if i not in assigned]
    if unknown and extra_columns != KEEP:
        raise UserInputError(
            f"{where}: unknown column(s) {_shown(unknown)}; map each to a canonical "
            f"field in [sources.{source}.columns] (fields: "
            f'{", ".join(CANONICAL_FIELDS)}) or to "keep", or set extra_columns = '
            '"keep" (or pass --extra-columns keep) to keep them in the original row '
            "only"
        )
    kept.extend(i for i, h in enumerate(header) if i not in assigned)
    missing = [] if "record_id" in fields else ["record_id"]
    if not any(f in fields for f in NAME_FIELDS):
        missing.append("a name column (name, or given_name/father_name/family_name)")
    if missing:
        raise UserInputError(
            f"{where}: missing required column(s): {'; '.join(missing)}; columns "
            f"found: {_shown(header)}; map them in [sources.{source}.columns]"
        )
    return ColumnMap(header=list(header), fields=fields, kept=sorted(kept))
