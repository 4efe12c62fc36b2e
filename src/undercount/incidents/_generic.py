"""Any incident table (CSV, TSV, XLSX, JSON) through a column mapping.

Resolution of the header follows the foundation's rules for victim lists
(:mod:`undercount.ingest`): configured ``{"file header": "field"}`` first (a
configured header missing from the file is an error), then known aliases compared
by :func:`undercount.ingest.header_key` (case, spacing and Arabic spelling
insensitive), then unknown columns are an error unless ``extra_columns = "keep"``.
Unlike a victim list, several columns may feed ``belligerents``, ``parties``,
``source_refs`` and ``place_context`` (their values are combined). ``belligerents``
are alleged perpetrators; ``parties`` are the sides of a battle whose deaths the
source attributes to none of them (never graded as competing attributions).

Conventions, so that nothing is invented:

- ``killed`` (one figure) sets both bounds; ``killed_min``/``killed_max`` set one
  each ("at least 163" is ``killed_min`` only; "up to 130" ``killed_max`` only).
- ``date`` may be a year, a month or a day; ``date_end`` closes a window (the
  event happened some day between ``date`` and ``date_end``).
- coordinates need a ``location_precision`` (``exact``, ``near``, ``district``,
  ``governorate``, ``country``, or a level word such as "neighbourhood" or
  "city"), per row or as ``default_location_precision``; without one the row is
  quarantined rather than given a precision nobody stated.
- a ``source`` column names the reporting source per row (one file may collect
  several publishers' reports); otherwise every row gets the import's source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from undercount.incidents._generic_aliases import ALIASES, PRECISION_WORDS
from undercount.incidents._places import PlaceResolver
from undercount.incidents._reading import (
    RowReader,
    collect_records,
    read_rows,
    validation_problems,
)
from undercount.incidents._record import (
    IncidentImport,
    IncidentRecord,
    QuarantinedRow,
    make_record,
)
from undercount.ingest import header_key, resolve_columns
from undercount.model import Incident, LocationPrecision

__all__ = ["INCIDENT_FIELDS", "IncidentSourceConfig", "read_generic"]

#: Fields a generic incident table can feed.
INCIDENT_FIELDS: tuple[str, ...] = (
    "source",
    "incident_id",
    "date",
    "date_end",
    "place",
    "place_context",
    "latitude",
    "longitude",
    "location_precision",
    "belligerents",
    "parties",
    "weapon",
    "killed",
    "killed_min",
    "killed_max",
    "injured",
    "injured_min",
    "injured_max",
    "children_killed",
    "women_killed",
    "description",
    "source_refs",
    "document_sha256",
    "assessment",
)

#: Fields that several columns may feed.
MULTI_FIELDS = frozenset({"belligerents", "parties", "source_refs", "place_context"})

KEEP = "keep"


class IncidentSourceConfig(BaseModel):
    """How to read one generic incident table (``[incidents.sources.NAME]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["csv", "tsv", "xlsx", "json", "jsonl", "parquet"] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    """File header -> incident field (see :data:`INCIDENT_FIELDS`) or ``"keep"``."""
    extra_columns: Literal["error", "keep"] = "error"
    dayfirst: bool = True
    default_location_precision: LocationPrecision | None = None
    """Precision for coordinates in rows that give none (default: quarantine)."""

    @field_validator("columns")
    @classmethod
    def _targets(cls, value: dict[str, str]) -> dict[str, str]:
        used: dict[str, str] = {}
        for header, target in value.items():
            if target != KEEP and target not in INCIDENT_FIELDS:
                raise ValueError(
                    f"column {header!r} is mapped to {target!r}, which is not an "
                    f"incident field; use one of {', '.join(INCIDENT_FIELDS)} or 'keep'"
                )
            if target in used and target not in MULTI_FIELDS and target != KEEP:
                raise ValueError(
                    f"columns {used[target]!r} and {header!r} are both mapped to "
                    f"{target!r}; map only one of them"
                )
            used[target] = header
        return value


def resolve_incident_columns(
    header: list[str], config: IncidentSourceConfig, *, source: str, where: str
) -> dict[str, list[str]]:
    """``{field: [headers]}`` for a generic incident file (see module docstring).

    The resolution is the ingest stage's
    (:func:`undercount.ingest.resolve_columns`), with the incident aliases and
    fields; several columns may feed :data:`MULTI_FIELDS`.

    Raises
    ------
    UserInputError
        Configured headers missing from the file, two columns claiming a
        single-valued field, unknown columns (unless kept), no ``incident_id``.
    """
    resolved = resolve_columns(
        header,
        config.columns,
        extra_columns=config.extra_columns,
        source=source,
        where=where,
        alias=lambda name: ALIASES.get(header_key(name)),
        field_names=INCIDENT_FIELDS,
        required=("incident_id",),
        multi_fields=MULTI_FIELDS,
        section="incidents.sources",
    )
    return {field: resolved.columns(field) for field in resolved.fields}


def _split(value: str | None, seps: str = ";|") -> list[str]:
    if not value:
        return []
    parts = [value]
    for sep in seps:
        parts = [p for part in parts for p in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _row_record(
    reader: RowReader,
    fields: dict[str, list[str]],
    source: str,
    config: IncidentSourceConfig,
    file: str,
    resolver: PlaceResolver | None,
) -> IncidentRecord | QuarantinedRow:
    def one(field: str) -> str | None:
        headers = fields.get(field)
        return headers[0] if headers else None

    def text(field: str) -> str | None:
        header = one(field)
        return reader.text(header) if header else None

    def count(field: str) -> int | None:
        header = one(field)
        return reader.count(header) if header else None

    incident_id = text("incident_id")
    if incident_id is None:
        reader.refuse(one("incident_id") or "incident_id", "an incident id is required")
    date_header, end_header = one("date"), one("date_end")
    date = (
        reader.partial_date(date_header, dayfirst=config.dayfirst)
        if date_header
        else None
    )
    date_end = (
        reader.partial_date(end_header, dayfirst=config.dayfirst)
        if end_header
        else None
    )
    if date_end is not None and date is None:
        reader.refuse(end_header or "date_end", "date_end without a date")
    if date is not None and date_end is not None and date_end.end() < date.start():
        reader.refuse(end_header or "date_end", f"{date_end} is before {date}")
    lat_header, lon_header = one("latitude"), one("longitude")
    lat, lon = (None, None)
    if lat_header and lon_header:
        lat, lon = reader.coordinates(lat_header, lon_header)
    elif lat_header or lon_header:
        reader.refuse(
            lat_header or lon_header or "latitude",
            "a latitude column needs a longitude column and vice versa",
        )
    precision: LocationPrecision | None = None
    word = text("location_precision")
    if word is not None:
        precision = PRECISION_WORDS.get(word.strip().lower())
        if precision is None:
            reader.refuse(
                one("location_precision") or "location_precision",
                f"unknown precision {word!r}; use exact, near, district, "
                "governorate or country",
            )
    elif lat is not None:
        precision = config.default_location_precision
        if precision is None:
            reader.refuse(
                lat_header or "latitude",
                "coordinates without a location_precision (add the column "
                "or set default_location_precision)",
            )
    killed = count("killed")
    killed_min, killed_max = count("killed_min"), count("killed_max")
    injured = count("injured")
    injured_min, injured_max = count("injured_min"), count("injured_max")
    row_source = text("source") or source
    if reader.problems or incident_id is None:
        return reader.quarantine(file)
    belligerents = [
        b for h in fields.get("belligerents", []) for b in _split(reader.text(h))
    ]
    parties = [p for h in fields.get("parties", []) for p in _split(reader.text(h))]
    refs = [
        r for h in fields.get("source_refs", []) for r in _split(reader.text(h), ";| ")
    ]
    context = ", ".join(
        x for h in fields.get("place_context", []) if (x := reader.text(h))
    )
    try:
        incident = Incident(
            source=row_source,
            incident_id=incident_id,
            date=date,
            place=text("place"),
            latitude=lat,
            longitude=lon,
            location_precision=precision if lat is not None else None,
            belligerents=tuple(belligerents),
            parties=tuple(parties),
            weapon=text("weapon"),
            killed_min=killed_min if killed_min is not None else killed,
            killed_max=killed_max if killed_max is not None else killed,
            injured_min=injured_min if injured_min is not None else injured,
            injured_max=injured_max if injured_max is not None else injured,
            children_killed=count("children_killed"),
            women_killed=count("women_killed"),
            description=text("description"),
            source_refs=tuple(refs),
            document_sha256=text("document_sha256"),
        )
    except ValidationError as exc:
        validation_problems(reader, exc)
        return reader.quarantine(file)
    return make_record(
        incident,
        first_day=date.start() if date else None,
        last_day=(date_end or date).end() if date else None,
        place_context=context or None,
        assessment=text("assessment"),
        line=reader.row.line,
        original=reader.row.cells,
        resolver=resolver,
    )


def read_generic(
    path: Path,
    *,
    source: str,
    config: IncidentSourceConfig | None = None,
    file_sha256: str = "",
    resolver: PlaceResolver | None = None,
) -> IncidentImport:
    """Read an incident table through the column mapping (module docstring).

    Returns
    -------
    IncidentImport
        Records and quarantined rows; ``rows_in == accepted + quarantined``.

    Raises
    ------
    UserInputError
        When the file cannot be read or its columns cannot be mapped.
    """
    from undercount.ingest import file_sha256 as sha

    config = config or IncidentSourceConfig()
    header, items = read_rows(
        path,
        file_format=config.format,
        encoding=config.encoding,
        delimiter=config.delimiter,
        sheet=config.sheet,
    )
    fields = resolve_incident_columns(header, config, source=source, where=str(path))
    columns = {header_key(h): h for h in header}
    records, quarantine = collect_records(
        items,
        columns,
        path.name,
        lambda reader: _row_record(reader, fields, source, config, path.name, resolver),
        id_column=fields["incident_id"][0],
    )
    mapping = dict.fromkeys(header, KEEP)
    for field, headers in fields.items():
        for h in headers:
            mapping[h] = field
    return IncidentImport(
        source,
        str(path),
        file_sha256 or sha(path),
        "generic",
        tuple(records),
        tuple(quarantine),
        mapping,
    )
