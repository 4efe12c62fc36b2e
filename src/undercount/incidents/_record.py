"""One source's report of one incident, prepared for matching; and import results.

:class:`IncidentRecord` wraps the validated :class:`~undercount.model.Incident`
with what matching needs and the model does not carry: the window of days the
event may fall in (a UCDP ``date_prec`` of 3 or an ACLED ``time_precision`` of 2
widen a day into a week), the gazetteer place the name resolved to, the source's
own assessment (e.g. an Airwars grading) and the original row, kept verbatim.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from undercount.incidents._places import PlaceHit, PlaceResolver, default_resolver
from undercount.model import Incident, LocationPrecision

__all__ = ["IncidentImport", "IncidentRecord", "QuarantinedRow", "make_record"]


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An incident as one source reported it, with matching context.

    Attributes
    ----------
    incident
        The validated report (figures exactly as the source gave them).
    first_day, last_day
        Earliest and latest day the event may have happened (inclusive);
        ``None`` when the report has no date.
    place
        The gazetteer place the reported place name resolved to, if any.
    assessment
        The source's own status for the event, if it gives one (e.g. an
        Airwars grading, "discounted"); used by the grading rules.
    line
        Line (or sheet row) of the source file; ``None`` for records built in code.
    original
        The source row as read (column -> cell text), never altered.
    place_context
        Other location text of the report used to resolve ``place``.
    """

    incident: Incident
    first_day: datetime.date | None
    last_day: datetime.date | None
    place: PlaceHit | None = None
    assessment: str | None = None
    line: int | None = None
    original: Mapping[str, Any] = field(default_factory=dict)
    place_context: str | None = None

    @property
    def key(self) -> str:
        """``"source:incident_id"``: unique across sources."""
        return f"{self.incident.source}:{self.incident.incident_id}"

    @property
    def source(self) -> str:
        """The reporting source."""
        return self.incident.source

    @property
    def latitude(self) -> float | None:
        """Reported latitude, else the resolved place's point."""
        if self.incident.latitude is not None:
            return self.incident.latitude
        return self.place.latitude if self.place else None

    @property
    def longitude(self) -> float | None:
        """Reported longitude, else the resolved place's point."""
        if self.incident.longitude is not None:
            return self.incident.longitude
        return self.place.longitude if self.place else None

    @property
    def location_precision(self) -> LocationPrecision | None:
        """Precision of :attr:`latitude`/:attr:`longitude` (reported or derived)."""
        if self.incident.latitude is not None:
            return self.incident.location_precision
        return self.place.location_precision if self.place else None

    @property
    def location_origin(self) -> str | None:
        """``"reported"``, ``"gazetteer"`` or ``None`` (no location)."""
        if self.incident.latitude is not None:
            return "reported"
        if self.place is not None and self.place.latitude is not None:
            return "gazetteer"
        return None

    def killed_bounds(self) -> tuple[int, float] | None:
        """``(low, high)`` deaths as a range for comparison: an "up to N" report
        (only ``killed_max``) is ``(0, N)``, an "at least N" report (only
        ``killed_min``) is ``(N, inf)``; ``None`` when no figure is given."""
        low, high = self.incident.killed_min, self.incident.killed_max
        if low is None and high is None:
            return None
        return (low or 0, float("inf") if high is None else float(high))

    def figures(self) -> list[int]:
        """Every death figure the source gave (min and max), for reporting."""
        return [
            v
            for v in (self.incident.killed_min, self.incident.killed_max)
            if v is not None
        ]


def make_record(
    incident: Incident,
    *,
    last_day: datetime.date | None = None,
    first_day: datetime.date | None = None,
    place_context: str | None = None,
    assessment: str | None = None,
    line: int | None = None,
    original: Mapping[str, Any] | None = None,
    resolver: PlaceResolver | None = None,
) -> IncidentRecord:
    """Wrap ``incident`` for matching.

    Parameters
    ----------
    incident
        The validated report.
    first_day, last_day
        Override the date window (default: the interval of ``incident.date``);
        e.g. UCDP's ``date_start``..``date_end``.
    place_context
        Other location text of the report (admin units, country) used to choose
        between homonymous places.
    resolver
        Place resolver (default: the shipped gazetteer).
    """
    date = incident.date
    first = first_day if first_day is not None else (date.start() if date else None)
    last = last_day if last_day is not None else (date.end() if date else None)
    if first is not None and last is not None and first > last:
        raise ValueError(f"the date window starts ({first}) after it ends ({last})")
    resolver = resolver or default_resolver()
    place = resolver.resolve(incident.place, place_context) if incident.place else None
    return IncidentRecord(
        incident=incident,
        first_day=first,
        last_day=last,
        place=place,
        assessment=assessment,
        line=line,
        original=dict(original or {}),
        place_context=place_context,
    )


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """A row that could not become an incident: where and why.

    ``field`` is the column at fault (a header name) or ``"(row)"``.
    """

    file: str
    line: int
    field: str
    reason: str
    original: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "original": dict(self.original),
        }


class ImportCounts:
    """``rows_in``, ``accepted`` and ``quarantined`` of an import with
    ``records`` and ``quarantine`` (``rows_in == accepted + quarantined``)."""

    __slots__ = ()
    records: tuple[Any, ...]
    quarantine: tuple[QuarantinedRow, ...]

    @property
    def rows_in(self) -> int:
        """Data rows read (accepted + quarantined)."""
        return len(self.records) + len(self.quarantine)

    @property
    def accepted(self) -> int:
        """Rows that were accepted."""
        return len(self.records)

    @property
    def quarantined(self) -> int:
        """Rows set aside with a reason."""
        return len(self.quarantine)


@dataclass(frozen=True, slots=True)
class IncidentImport(ImportCounts):
    """What reading one incident file produced; ``rows_in == accepted + quarantined``.

    Attributes
    ----------
    source
        Source name given to every record.
    file, file_sha256
        The file read and its SHA-256.
    format
        ``ucdp-ged``, ``acled`` or ``generic``.
    records, quarantine
        Accepted records and quarantined rows, in file order.
    columns
        File header -> field it fed (or ``"keep"``).
    """

    source: str
    file: str
    file_sha256: str
    format: str
    records: tuple[IncidentRecord, ...]
    quarantine: tuple[QuarantinedRow, ...]
    columns: Mapping[str, str]

    def summary(self) -> dict[str, Any]:
        """The counts, as printed by ``undercount incidents import --json``."""
        return {
            "source": self.source,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "format": self.format,
            "rows_in": self.rows_in,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
        }
