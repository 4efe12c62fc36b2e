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

Other tables with their own fields (incident reports, see
:mod:`undercount.incidents`) reuse the same resolution by passing their alias
lookup, field names, required fields and configuration section; fields in
``multi_fields`` may be fed by several columns (``ColumnMap.also``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

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
    also
        Further columns feeding a multi-valued field (after ``fields[field]``).
    """

    header: list[str]
    fields: dict[str, int]
    kept: list[int]
    also: dict[str, list[int]] = field(default_factory=dict)

    def column(self, field: str) -> str:
        """File header feeding ``field``."""
        return self.header[self.fields[field]]

    def columns(self, field: str) -> list[str]:
        """Every file header feeding ``field`` (empty when none does)."""
        if field not in self.fields:
            return []
        return [self.header[i] for i in [self.fields[field], *self.also.get(field, [])]]

    def describe(self) -> dict[str, str]:
        """``{file header: canonical field or "keep"}``, in file order."""
        by_index = {i: f for f, i in self.fields.items()}
        by_index.update({i: f for f, extra in self.also.items() for i in extra})
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
    alias: Callable[[str], str | None] = lookup_alias,
    field_names: Sequence[str] = CANONICAL_FIELDS,
    required: Sequence[str] | None = None,
    multi_fields: Collection[str] = (),
    section: str = "sources",
) -> ColumnMap:
    """Map a file's header to canonical fields (see module docstring).

    Parameters
    ----------
    header, configured, extra_columns, source, where
        The file's header, ``{header: field or "keep"}`` from the configuration,
        the unknown-column policy, the source name and the file (for messages).
    alias
        Header -> field lookup for unconfigured columns (default: victim lists).
    field_names
        Fields named in the unknown-column message.
    required
        Fields that must be present; ``None`` is the victim-list rule
        (``record_id`` and a name column).
    multi_fields
        Fields several columns may feed (their extra columns go to ``also``).
    section
        Configuration table named in messages (``[{section}.{source}.columns]``).

    Raises
    ------
    UserInputError
        For configured columns missing from the file, two columns claiming one
        field, unknown columns (unless kept) and missing required columns.
    """
    table = f"[{section}.{source}.columns]"
    exact = {_norm(h): i for i, h in enumerate(header)}
    loose = {header_key(h): i for i, h in enumerate(header)}
    fields: dict[str, int] = {}
    also: dict[str, list[int]] = {}
    kept: list[int] = []
    assigned: set[int] = set()
    for name, target in configured.items():
        index = exact.get(_norm(name))
        if index is None:
            index = loose.get(header_key(name))
        if index is None:
            raise UserInputError(
                f"{where}: {table} maps {name!r}, but the file has "
                f"no such column; columns found: {_shown(header)}"
            )
        assigned.add(index)
        if target == KEEP:
            kept.append(index)
        elif target in fields and target in multi_fields:
            also.setdefault(target, []).append(index)
        else:
            fields[target] = index
    for index, name in enumerate(header):
        if index in assigned:
            continue
        found = alias(name)
        if found is None:
            continue
        if found in fields and found in multi_fields:
            also.setdefault(found, []).append(index)
        elif found in fields:
            raise UserInputError(
                f"{where}: columns {header[fields[found]]!r} and {name!r} both look "
                f"like {found!r}; map one of them in {table} "
                f'(e.g. "{name}" = "keep")'
            )
        else:
            fields[found] = index
        assigned.add(index)
    unknown = [h for i, h in enumerate(header) if i not in assigned]
    if unknown and extra_columns != KEEP:
        raise UserInputError(
            f"{where}: unknown column(s) {_shown(unknown)}; map each to a canonical "
            f"field in {table} (fields: "
            f'{", ".join(field_names)}) or to "keep", or set extra_columns = '
            '"keep" (or pass --extra-columns keep) to keep them in the original row '
            "only"
        )
    kept.extend(i for i, h in enumerate(header) if i not in assigned)
    if required is None:
        missing = [] if "record_id" in fields else ["record_id"]
        if not any(f in fields for f in NAME_FIELDS):
            missing.append(
                "a name column (name, or given_name/father_name/family_name)"
            )
    else:
        missing = [f for f in required if f not in fields]
    if missing:
        raise UserInputError(
            f"{where}: missing required column(s): {'; '.join(missing)}; columns "
            f"found: {_shown(header)}; map them in {table}"
        )
    return ColumnMap(header=list(header), fields=fields, kept=sorted(kept), also=also)
