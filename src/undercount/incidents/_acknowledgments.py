"""Belligerents' acknowledgments of civilian deaths, imported with their documents.

An acknowledgment covers either one incident (``incident_id``: the key
``source:incident_id`` of a report, or a bare incident id) or a period
(``period_start``..``period_end``), optionally limited to a place (``place``,
normalised with the incident place aliases: a name the gazetteer knows is stored
under the gazetteer's name, so "Al-Shafaa" and "al-Shifa" are one place; other
names are kept as written). Every acknowledgment names the
document it comes from; a row without one is quarantined, because an
acknowledgment nobody can check is not evidence.

Columns (aliases in parentheses): ``ack_id`` (id), ``belligerent`` (acknowledged
by), ``period_start`` (from), ``period_end`` (to), ``incident_id`` (incident),
``deaths_acknowledged`` (deaths, acknowledged), ``document`` (source, url),
``document_sha256``, ``place`` (scope place), ``notes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from undercount.errors import UserInputError
from undercount.incidents._places import PlaceResolver, default_resolver
from undercount.incidents._reading import RowReader, read_rows, validation_problems
from undercount.incidents._record import ImportCounts, QuarantinedRow
from undercount.ingest import header_key, resolve_columns
from undercount.model import Acknowledgment

__all__ = [
    "ACK_COLUMNS",
    "AcknowledgmentImport",
    "AcknowledgmentRecord",
    "normalise_place",
    "read_acknowledgments",
]

_ALIASES: dict[str, tuple[str, ...]] = {
    "ack_id": ("ack_id", "acknowledgment_id", "id"),
    "belligerent": ("belligerent", "acknowledged by", "acknowledged_by", "party"),
    "period_start": ("period_start", "from", "start", "period from"),
    "period_end": ("period_end", "to", "end", "period to"),
    "incident_id": ("incident_id", "incident", "incident key"),
    "deaths_acknowledged": (
        "deaths_acknowledged",
        "deaths",
        "acknowledged",
        "civilian deaths acknowledged",
        "deaths conceded",
    ),
    "document": ("document", "source document", "url", "statement"),
    "document_sha256": ("document_sha256", "sha256"),
    "place": ("place", "scope place", "area"),
    "notes": ("notes", "note", "caveats"),
}

#: Cells that must not be blank: what they hold, and the fix.
_REQUIRED_TEXT: dict[str, tuple[str, str]] = {
    "belligerent": (
        "the belligerent that made it",
        "fill in who acknowledged the deaths (e.g. CJTF-OIR)",
    ),
    "document": (
        "the document it comes from",
        "fill in the statement's title, URL or file name",
    ),
}

#: Every column an acknowledgments file may have.
ACK_COLUMNS: tuple[str, ...] = tuple(_ALIASES)
_BY_KEY = {header_key(a): f for f, names in _ALIASES.items() for a in names}


@dataclass(frozen=True, slots=True)
class AcknowledgmentRecord:
    """An acknowledgment with its scope and origin.

    Attributes
    ----------
    ack_id
        Identifier (the file's ``ack_id``, else ``"<file stem>:<line>"``).
    acknowledgment
        The validated statement.
    place
        Place the period acknowledgment is limited to (``None``: no place
        named); the same as ``acknowledgment.place``.
    line, original
        Where it was read, and the row as read.
    """

    ack_id: str
    acknowledgment: Acknowledgment
    place: str | None = None
    line: int | None = None
    original: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_incident(self) -> bool:
        """Whether it acknowledges one incident (rather than a period)."""
        return self.acknowledgment.incident_id is not None and (
            self.acknowledgment.period_start is None
        )

    def matches(self, key: str, incident_id: str) -> bool:
        """Whether it names the report ``key`` (``source:id``) or its bare id."""
        target = self.acknowledgment.incident_id
        return target is not None and target in (key, incident_id)


@dataclass(frozen=True, slots=True)
class AcknowledgmentImport(ImportCounts):
    """Acknowledgments read from one file; ``rows_in == accepted + quarantined``."""

    file: str
    file_sha256: str
    records: tuple[AcknowledgmentRecord, ...]
    quarantine: tuple[QuarantinedRow, ...]

    def summary(self, source: str = "acknowledgments") -> dict[str, Any]:
        """The counts, as printed by ``undercount incidents import --json``."""
        return {
            "source": source,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "format": "acknowledgments",
            "rows_in": self.rows_in,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
        }


def looks_like_acknowledgments(header: list[str]) -> bool:
    """Whether a header has the columns of an acknowledgments file."""
    fields = {_BY_KEY.get(header_key(h)) for h in header}
    return {"belligerent", "deaths_acknowledged", "document"} <= fields


def normalise_place(
    text: str | None, resolver: PlaceResolver | None = None
) -> str | None:
    """The gazetteer's name for a place text, or the text as written (trimmed).

    The same alias normalisation as incident reports get, so an acknowledgment
    for "Al-Shafaa, Mosul" and reports from "al-Shifa" name one place.
    """
    if text is None or not text.strip():
        return None
    hit = (resolver or default_resolver()).resolve(text)
    return hit.name if hit is not None else text.strip()


def read_acknowledgments(
    path: Path,
    *,
    file_sha256: str = "",
    resolver: PlaceResolver | None = None,
    extra_columns: str = "error",
) -> AcknowledgmentImport:
    """Read an acknowledgments CSV/XLSX (columns in the module docstring).

    Unknown columns are an error unless ``extra_columns="keep"`` (then they
    stay in each row's ``original`` only).

    Raises
    ------
    UserInputError
        When the file cannot be read, has unknown columns, or lacks
        ``belligerent``, ``deaths_acknowledged`` or ``document``.
    """
    from undercount.ingest import file_sha256 as sha

    header, items = read_rows(path)
    unknown = [h for h in header if _BY_KEY.get(header_key(h)) is None]
    if unknown and extra_columns != "keep":
        raise UserInputError(
            f"{path}: an acknowledgments file has only the columns "
            f"{', '.join(ACK_COLUMNS)} (or their aliases); unknown column(s) "
            f"{', '.join(repr(h) for h in unknown)}; rename or remove them, or "
            "pass --extra-columns keep to keep them in each row's original only"
        )
    resolved = resolve_columns(
        header,
        {},
        extra_columns=extra_columns,
        source="acknowledgments",
        where=str(path),
        alias=lambda name: _BY_KEY.get(header_key(name)),
        field_names=ACK_COLUMNS,
        required=("belligerent", "deaths_acknowledged", "document"),
        section="incidents",
    )
    fields = {name: resolved.column(name) for name in resolved.fields}
    columns = {header_key(h): h for h in header}
    records: list[AcknowledgmentRecord] = []
    quarantine: list[QuarantinedRow] = []
    seen: dict[str, int] = {}
    for item in items:
        if isinstance(item, QuarantinedRow):
            quarantine.append(item)
            continue
        reader = RowReader(item, columns)

        def get(name: str, reader: RowReader = reader) -> str | None:
            return reader.text(fields[name]) if name in fields else None

        start = (
            reader.partial_date(fields["period_start"])
            if "period_start" in fields
            else None
        )
        end = (
            reader.partial_date(fields["period_end"])
            if "period_end" in fields
            else None
        )
        deaths = reader.count(fields["deaths_acknowledged"], required=True)
        for name, fix in _REQUIRED_TEXT.items():
            if not get(name):
                reader.refuse(
                    fields[name],
                    f"an acknowledgment needs {fix[0]}, got "
                    f"{item.cells.get(fields[name]) or ''!r}; {fix[1]}",
                )
        ack_id = get("ack_id") or f"{path.stem}:{item.line}"
        if ack_id in seen:
            reader.refuse(
                fields.get("ack_id", "ack_id"),
                f"duplicate ack_id (first on line {seen[ack_id]})",
            )
        place = normalise_place(get("place"), resolver)
        if not reader.problems:
            try:
                ack = Acknowledgment(
                    belligerent=get("belligerent") or "",
                    period_start=start,
                    period_end=end,
                    incident_id=get("incident_id"),
                    place=place,
                    deaths_acknowledged=deaths,
                    document=get("document") or "",
                    document_sha256=get("document_sha256"),
                    notes=get("notes"),
                )
            except ValidationError as exc:
                validation_problems(reader, exc)
        if reader.problems:
            quarantine.append(reader.quarantine(path.name))
            continue
        seen[ack_id] = item.line
        records.append(
            AcknowledgmentRecord(ack_id, ack, place, item.line, dict(item.cells))
        )
    return AcknowledgmentImport(
        str(path), file_sha256 or sha(path), tuple(records), tuple(quarantine)
    )
