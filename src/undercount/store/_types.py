"""Typed rows returned by the store (frozen, slotted dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "AuditEntry",
    "ImportInfo",
    "QuarantineEntry",
    "SourceStatus",
    "SourceVersion",
]


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One committed import of one file into one source.

    ``rows_in == accepted + quarantined`` always holds (checked in code and by a
    CHECK constraint). ``blank_lines`` counts lines that are not rows (empty lines,
    or lines whose cells are all empty) and are therefore not in ``rows_in``.
    """

    import_id: int
    source: str
    version: int
    file_path: str
    file_sha256: str
    file_size: int
    settings_sha256: str
    format: str
    encoding: str | None
    rows_in: int
    accepted: int
    quarantined: int
    blank_lines: int
    started_at: datetime
    finished_at: datetime
    status: str
    actor: str


@dataclass(frozen=True, slots=True)
class SourceVersion:
    """A version of a source: the records of one import of one file."""

    source: str
    version: int
    import_id: int
    file_sha256: str
    settings_sha256: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """Summary of one source: its current version and what it holds."""

    name: str
    title: str | None
    versions: int
    current_version: int | None
    records: int
    quarantined: int
    last_import: ImportInfo | None


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """One input row that was not accepted, with why and the row as read.

    ``field`` names the failing column(s) as they appear in the file; ``errors``
    lists every failing field with its canonical name, value and reason.
    """

    import_id: int
    source: str
    version: int
    file: str
    line: int
    field: str
    reason: str
    errors: list[dict[str, Any]]
    original: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the append-only audit log (hash-chained)."""

    id: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]
    prev_hash: str
    entry_hash: str
