"""What the readers of codebook exports (UCDP GED, ACLED) share.

Both formats name their columns in a published codebook: the reader checks the
required columns, builds one record per row through a format-specific function,
quarantines rows that fail, and keeps every other column in ``original``. This
module holds that common path, so that each format module states only how its
codes map to an :class:`~undercount.model.Incident`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from undercount.incidents._places import PlaceResolver
from undercount.incidents._reading import (
    RowReader,
    collect_records,
    read_rows,
    require_columns,
    validation_problems,
)
from undercount.incidents._record import (
    IncidentImport,
    IncidentRecord,
    QuarantinedRow,
    make_record,
)
from undercount.model import Incident

__all__ = ["Codebook", "RowBuilder", "finish_record", "read_export", "split_refs"]

#: ``(reader, source, file name, resolver) -> record or quarantined row``.
RowBuilder = Callable[
    [RowReader, str, str, PlaceResolver | None], IncidentRecord | QuarantinedRow
]


@dataclass(frozen=True, slots=True)
class Codebook:
    """A codebook export format.

    Attributes
    ----------
    name
        Format name (``ucdp-ged``, ``acled``).
    what
        How messages name a file of it ("a UCDP GED").
    columns
        Every column of the layout (others are kept in ``original`` only).
    required
        Columns without which a file is not read.
    id_column
        The event id column (named in duplicate-row reasons).
    context_columns
        Administrative-unit columns that give a place name its context.
    """

    name: str
    what: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    id_column: str
    context_columns: tuple[str, ...]


def split_refs(text: str | None) -> tuple[str, ...]:
    """Source references of a ``;``-separated cell (blanks dropped)."""
    return tuple(r.strip() for r in (text or "").split(";") if r.strip())


def finish_record(
    reader: RowReader,
    codebook: Codebook,
    fields: Mapping[str, Any],
    *,
    first: datetime.date | None,
    last: datetime.date | None,
    file: str,
    resolver: PlaceResolver | None,
) -> IncidentRecord | QuarantinedRow:
    """Validate ``fields`` as an :class:`Incident` and wrap it for matching; a row
    the model refuses is quarantined with every reason."""
    try:
        incident = Incident(**fields)
    except ValidationError as exc:
        validation_problems(reader, exc)
        return reader.quarantine(file)
    context = ", ".join(
        x for x in (reader.text(c) for c in codebook.context_columns) if x
    )
    return make_record(
        incident,
        first_day=first,
        last_day=last,
        place_context=context,
        line=reader.row.line,
        original=reader.row.cells,
        resolver=resolver,
    )


def read_export(
    path: Path,
    codebook: Codebook,
    build: RowBuilder,
    *,
    source: str,
    file_sha256: str = "",
    resolver: PlaceResolver | None = None,
    encoding: str | None = None,
) -> IncidentImport:
    """Read a codebook export: required columns, one record per row, quarantine.

    Raises
    ------
    UserInputError
        When the file cannot be read or lacks a required column.
    """
    from undercount.ingest import file_sha256 as sha

    header, items = read_rows(path, encoding=encoding)
    columns = require_columns(
        header, codebook.required, what=codebook.what, where=str(path)
    )
    records, quarantine = collect_records(
        items,
        columns,
        path.name,
        lambda reader: build(reader, source, path.name, resolver),
        id_column=codebook.id_column,
    )
    return IncidentImport(
        source,
        str(path),
        file_sha256 or sha(path),
        codebook.name,
        tuple(records),
        tuple(quarantine),
        _mapping(header, codebook.columns),
    )


def _mapping(header: Sequence[str], columns: Sequence[str]) -> dict[str, str]:
    known = set(columns)
    return {h: (h if h in known else "keep") for h in header}
