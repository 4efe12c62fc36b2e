"""ACLED CSV exports -> incident records.

Column names and codes follow the ACLED Codebook (Armed Conflict Location & Event
Data Project; the 31-column export layout in force since ACLED's column changes of
20 March 2023, which removed ``data_id``, ``event_id_no_cnty`` and ``iso3`` and
added ``disorder_type``, ``civilian_targeting`` and ``tags``; older exports with
those removed columns are read too, the extra columns being kept in ``original``).

============================  ======================================================
ACLED column                  incident field
============================  ======================================================
``event_id_cnty``             ``incident_id`` (required, unique in the file)
``event_date``                ``date``; ``time_precision`` 1 = that day, 2 = some
                              day in the week around it (window of +/- 3 days),
                              3 = some day of that month (month precision)
``latitude/longitude``        coordinates; ``geo_precision`` 1 = the named town's
                              coordinates (``near``), 2 = a town standing for a
                              part of a region (``district``), 3 = a provincial
                              capital or natural location for a larger region
                              (``governorate``)
``location``                  ``place``; ``admin3``..``admin1``, ``country`` context
``actor1``/``actor2``         "Violence against civilians", "Explosions/Remote
                              violence" and civilian-targeting events: ``actor1``
                              (the attacker) is the alleged perpetrator
                              (``belligerents``) and ``actor2`` the target. Battles
                              and other events: both actors are ``parties`` to the
                              fighting, not perpetrators. Civilian actors (``inter``
                              code 7, or a name starting "Civilians") are victims,
                              never parties
``sub_event_type``            ``weapon`` (e.g. "Air/drone strike")
``fatalities``                killed: for events coded as civilian targeting
                              (``civilian_targeting`` = "Civilian targeting", or
                              ``event_type`` "Violence against civilians") both
                              bounds; otherwise only ``killed_max`` (ACLED counts
                              every death, combatants included, so the number of
                              civilians among them is "up to" it)
``notes`` / ``source``        ``description`` / ``source_refs`` (split on ``;``)
============================  ======================================================
"""

from __future__ import annotations

import datetime
from pathlib import Path

from undercount.incidents._codebook import (
    Codebook,
    finish_record,
    read_export,
    split_refs,
)
from undercount.incidents._places import PlaceResolver
from undercount.incidents._reading import RowReader, covering_date
from undercount.incidents._record import IncidentImport, IncidentRecord, QuarantinedRow
from undercount.model import LocationPrecision

__all__ = ["ACLED_COLUMNS", "ACLED_REQUIRED", "read_acled"]

#: The ACLED export layout (since 20 March 2023), in file order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: Columns without which a file is not read as ACLED.
ACLED_REQUIRED: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)

ACLED = Codebook(
    "acled",
    "an ACLED",
    ACLED_COLUMNS,
    ACLED_REQUIRED,
    "event_id_cnty",
    ("admin3", "admin2", "admin1", "country"),
)

_GEO_PREC: dict[int, LocationPrecision] = {1: "near", 2: "district", 3: "governorate"}
#: Days either side of the coded date for ``time_precision`` 2 (a week).
WEEK_HALF_WIDTH = 3


def _is_civilian_actor(name: str | None, inter: str | None) -> bool:
    if name and name.strip().lower().startswith("civilians"):
        return True
    return (inter or "").strip() in {"7", "Civilians"}


#: ACLED event types whose actor1 carries out the attack (lower case).
_ONE_SIDED = frozenset({"violence against civilians", "explosions/remote violence"})


def _row_record(
    reader: RowReader, source: str, file: str, resolver: PlaceResolver | None
) -> IncidentRecord | QuarantinedRow:
    event_id = reader.text("event_id_cnty")
    if event_id is None:
        reader.refuse("event_id_cnty", "an event id is required")
    date = reader.partial_date("event_date", required=True)
    if date is not None and date.precision != "day":
        reader.refuse(
            "event_date", f"ACLED codes a day, got {reader.raw('event_date')!r}"
        )
        date = None
    time_prec = reader.code("time_precision", range(1, 4))
    geo_prec = reader.code("geo_precision", range(1, 4))
    lat, lon = reader.coordinates("latitude", "longitude")
    fatalities = reader.count("fatalities", required=True)
    year = reader.count("year")
    if date is not None and year is not None and year != date.year:
        reader.refuse("year", f"year {year} differs from event_date {date}")
    if reader.problems or event_id is None or date is None:
        return reader.quarantine(file)
    day = date.start()
    if time_prec == 2:
        first = day - datetime.timedelta(days=WEEK_HALF_WIDTH)
        last = day + datetime.timedelta(days=WEEK_HALF_WIDTH)
        summary = covering_date(first, last) if first.year == last.year else date
    elif time_prec == 3:
        summary = date.coarsen("month")
        first, last = summary.start(), summary.end()
    else:
        summary, first, last = date, day, day
    targeting = (reader.text("civilian_targeting") or "").lower()
    on_civilians = targeting.startswith("civilian targeting") or (
        (reader.text("event_type") or "").lower() == "violence against civilians"
    )
    actor1, actor2 = (
        name if name and not _is_civilian_actor(name, reader.raw(inter)) else None
        for name, inter in (
            (reader.text("actor1"), "inter1"),
            (reader.text("actor2"), "inter2"),
        )
    )
    event_type = (reader.text("event_type") or "").casefold()
    if on_civilians or event_type in _ONE_SIDED:
        # actor1 attacks, actor2 is the target: actor1 is the alleged perpetrator
        alleged: tuple[str, ...] = (actor1,) if actor1 else ()
        parties: tuple[str, ...] = ()
    else:
        # battles (and other interactions): both actors are parties to the
        # fighting; ACLED does not say which of them killed whom
        alleged = ()
        parties = tuple(a for a in (actor1, actor2) if a)
    fields = {
        "source": source,
        "incident_id": event_id,
        "date": summary,
        "place": reader.text("location"),
        "latitude": lat,
        "longitude": lon,
        "location_precision": _GEO_PREC.get(geo_prec or 0) if lat is not None else None,
        "belligerents": alleged,
        "parties": parties,
        "weapon": reader.text("sub_event_type"),
        "killed_min": fatalities if on_civilians else None,
        "killed_max": fatalities,
        "description": reader.text("notes"),
        "source_refs": split_refs(reader.text("source")),
    }
    return finish_record(
        reader, ACLED, fields, first=first, last=last, file=file, resolver=resolver
    )


def read_acled(
    path: Path,
    *,
    source: str = "acled",
    file_sha256: str = "",
    resolver: PlaceResolver | None = None,
    encoding: str | None = None,
) -> IncidentImport:
    """Read an ACLED CSV export (see the module docstring for the mapping).

    Returns
    -------
    IncidentImport
        Records and quarantined rows; ``rows_in == accepted + quarantined``.

    Raises
    ------
    UserInputError
        When the file cannot be read or lacks the required ACLED columns.
    """
    return read_export(
        path,
        ACLED,
        _row_record,
        source=source,
        file_sha256=file_sha256,
        resolver=resolver,
        encoding=encoding,
    )
