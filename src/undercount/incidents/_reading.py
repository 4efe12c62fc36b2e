"""Rows of an incident file, and typed cell readers that collect problems.

Files are opened with the foundation's readers (:func:`undercount.ingest.
open_reader`: CSV/TSV/XLSX/JSON, encoding detection, ragged rows and broken quotes
turned into row problems), so an incident file is read exactly like a victim list.
:class:`RowReader` reads one row's cells into dates, counts and coordinates and
records every refusal as ``(column, reason)``: a row with any refusal is
quarantined whole, with every reason, and nothing is guessed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.incidents._record import IncidentRecord, QuarantinedRow
from undercount.ingest import header_key, open_reader
from undercount.model import PartialDate, parse_number, parse_partial_date, parse_text

__all__ = [
    "RawRow",
    "RowReader",
    "collect_records",
    "covering_date",
    "read_rows",
    "read_text_file",
    "require_columns",
]

#: Rows per batch read from the file.
_BATCH = 50_000

_ISO_TIMESTAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row: its line and its cells keyed by header."""

    line: int
    cells: dict[str, str | None]


def read_text_file(path: Path, what: str) -> str:
    """The text of a small UTF-8 file (rules, estimates), or one-line error.

    A file that is missing, unreadable or not UTF-8 text (a binary file, a
    spreadsheet passed by mistake) raises :class:`UserInputError` naming the
    file, the line and byte at fault, and the fix; never a traceback.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be, in words (``"grading rules"``).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserInputError(
            f"cannot read {what} {path}: {exc.strerror or exc}; check the path"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserInputError(
            f"{what} must be UTF-8 text, but {path} is not (byte "
            f"0x{data[exc.start]:02x} on line {line}); pass the {what} file "
            "itself, saved as UTF-8"
        ) from None


def read_rows(
    path: Path,
    *,
    file_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> tuple[list[str], list[RawRow | QuarantinedRow]]:
    """Header and rows of ``path`` in file order; unreadable rows are quarantined.

    Raises
    ------
    UserInputError
        When the file cannot be read at all (missing, empty, binary, no header).
    """
    reader = open_reader(
        path,
        file_format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
    )
    header = list(reader.header)
    items: list[RawRow | QuarantinedRow] = []
    try:
        for batch in reader.batches(_BATCH):
            arrays, lines = batch.columns(len(header))
            columns = [a.to_pylist() for a in arrays]
            for i, line in enumerate(lines):
                cells = {h: columns[k][i] for k, h in enumerate(header)}
                items.append(RawRow(line, cells))
            for problem in batch.problems:
                items.append(
                    QuarantinedRow(
                        path.name,
                        problem.line,
                        problem.field,
                        problem.reason,
                        problem.original,
                    )
                )
    finally:
        reader.close()
    items.sort(key=lambda item: item.line)
    if not items:
        raise UserInputError(f"{path} has a header but no data rows; nothing to import")
    return header, items


def require_columns(
    header: list[str], required: tuple[str, ...], *, what: str, where: str
) -> dict[str, str]:
    """Map each codebook column name to the file's header (case/spacing-insensitive).

    Returns
    -------
    dict
        ``{codebook name: header in the file}`` for every name found.

    Raises
    ------
    UserInputError
        Naming the missing columns, when any of ``required`` is absent.
    """
    by_key = {header_key(h): h for h in header}
    missing = [name for name in required if header_key(name) not in by_key]
    if missing:
        shown = ", ".join(repr(h) for h in header[:12])
        raise UserInputError(
            f"{where} is not {what} export: missing column(s) {', '.join(missing)}; "
            f"columns found: {shown}; export it again with the standard columns, or "
            "import it with --format generic and a column mapping"
        )
    return {header_key(h): h for h in header}


@dataclass
class RowReader:
    """Typed access to one row's cells; refusals are collected, not raised.

    Parameters
    ----------
    row
        The row.
    columns
        ``{header_key(name): header}`` of the file (see :func:`require_columns`).
    """

    row: RawRow
    columns: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The file's header for codebook column ``name`` (``None`` if absent)."""
        return self.columns.get(header_key(name))

    def raw(self, name: str) -> str | None:
        """The cell as read (``None`` when blank or the column is absent)."""
        header = self.header(name)
        if header is None:
            return None
        value = self.row.cells.get(header)
        return value if value is not None and value.strip() else None

    def refuse(self, name: str, reason: str) -> None:
        """Record a problem with column ``name``."""
        self.problems.append((self.header(name) or name, reason))

    def text(self, name: str) -> str | None:
        """Cleaned text (``None`` for blank and "unknown" markers)."""
        return parse_text(self.raw(name))

    def count(self, name: str, *, required: bool = False) -> int | None:
        """A non-negative whole number."""
        raw = self.raw(name)
        if raw is None:
            if required:
                self.refuse(name, "a count is required here")
            return None
        try:
            value = parse_number(raw)
        except ValueError as exc:
            self.refuse(name, str(exc))
            return None
        if value is None:
            if required:
                self.refuse(name, "a count is required here")
            return None
        if isinstance(value, float) and not value.is_integer():
            self.refuse(name, f"a count must be a whole number, got {raw!r}")
            return None
        if value < 0:
            self.refuse(name, f"a count cannot be negative, got {raw!r}")
            return None
        return int(value)

    def number(self, name: str) -> float | None:
        """A real number (coordinates)."""
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            value = parse_number(raw)
        except ValueError as exc:
            self.refuse(name, str(exc))
            return None
        return None if value is None else float(value)

    def coordinates(
        self, lat_name: str, lon_name: str
    ) -> tuple[float | None, float | None]:
        """Latitude and longitude in range, both or neither."""
        lat, lon = self.number(lat_name), self.number(lon_name)
        if lat is not None and not -90 <= lat <= 90:
            self.refuse(lat_name, f"latitude must be within -90..90, got {lat}")
            lat = None
        if lon is not None and not -180 <= lon <= 180:
            self.refuse(lon_name, f"longitude must be within -180..180, got {lon}")
            lon = None
        if (lat is None) != (lon is None) and not self.problems:
            self.refuse(
                lat_name, "latitude and longitude go together: give both or neither"
            )
        return lat, lon

    def code(self, name: str, allowed: range, *, required: bool = True) -> int | None:
        """An integer code within ``allowed`` (precision codes)."""
        value = self.count(name, required=required)
        if value is not None and value not in allowed:
            self.refuse(
                name,
                f"code must be {allowed.start}-{allowed.stop - 1}, got {value}",
            )
            return None
        return value

    def day(self, name: str, *, required: bool = True) -> datetime.date | None:
        """A calendar day (ISO date, optionally with a time, or a day-precision
        date in any form :func:`parse_partial_date` reads)."""
        raw = self.raw(name)
        if raw is None:
            if required:
                self.refuse(name, "a date is required here")
            return None
        match = _ISO_TIMESTAMP.match(raw.strip())
        text = match.group(1) if match else raw
        try:
            parsed = parse_partial_date(text)
        except ValueError as exc:
            self.refuse(name, str(exc))
            return None
        if parsed is None or parsed.precision != "day":
            self.refuse(name, f"a full date (day, month, year) is needed, got {raw!r}")
            return None
        return parsed.start()

    def partial_date(
        self, name: str, *, dayfirst: bool = True, required: bool = False
    ) -> PartialDate | None:
        """A date at year, month or day precision."""
        raw = self.raw(name)
        if raw is None:
            if required:
                self.refuse(name, "a date is required here")
            return None
        match = _ISO_TIMESTAMP.match(raw.strip())
        text = match.group(1) if match else raw
        try:
            return parse_partial_date(text, dayfirst=dayfirst)
        except ValueError as exc:
            self.refuse(name, str(exc))
            return None

    def quarantine(self, file: str) -> QuarantinedRow:
        """This row as quarantined: the first column at fault, every reason."""
        first = self.problems[0][0]
        reasons = "; ".join(f"{col}: {why}" for col, why in self.problems)
        return QuarantinedRow(file, self.row.line, first, reasons, dict(self.row.cells))


def covering_date(first: datetime.date, last: datetime.date) -> PartialDate:
    """The most precise :class:`PartialDate` containing ``first``..``last``.

    A window inside one day is that day; inside one month, the month; else the
    year of ``first`` when both share it (a window across years is refused by
    the callers)."""
    if first == last:
        return PartialDate.from_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return PartialDate(first.year, first.month)
    return PartialDate(first.year)


def iter_rows(items: list[RawRow | QuarantinedRow]) -> Iterator[RawRow]:
    """Only the readable rows."""
    for item in items:
        if isinstance(item, RawRow):
            yield item


def collect_records(
    items: list[RawRow | QuarantinedRow],
    columns: dict[str, str],
    file: str,
    build: Callable[[RowReader], IncidentRecord | QuarantinedRow],
    *,
    id_column: str,
) -> tuple[list[IncidentRecord], list[QuarantinedRow]]:
    """Build a record from every readable row; quarantine the rest.

    A second row with the key (``source:incident_id``) of an earlier one is
    quarantined as a duplicate naming the first line: silently keeping either
    would drop a report.
    """
    records: list[IncidentRecord] = []
    quarantine: list[QuarantinedRow] = []
    seen: dict[str, int] = {}
    for item in items:
        if isinstance(item, QuarantinedRow):
            quarantine.append(item)
            continue
        result = build(RowReader(item, columns))
        if isinstance(result, QuarantinedRow):
            quarantine.append(result)
            continue
        if result.key in seen:
            reader = RowReader(item, columns)
            reader.refuse(
                id_column,
                f"duplicate incident {result.key!r} (first seen "
                f"on line {seen[result.key]})",
            )
            quarantine.append(reader.quarantine(file))
            continue
        seen[result.key] = item.line
        records.append(result)
    return records, quarantine


def validation_problems(reader: RowReader, error: Any) -> None:
    """Record a pydantic ``ValidationError`` of the Incident model on ``reader``."""
    for problem in error.errors():
        loc = problem["loc"]
        reader.refuse(
            str(loc[0]) if loc else "(row)",
            str(problem["msg"]).removeprefix("Value error, "),
        )
