"""UCDP Georeferenced Event Dataset (GED) CSV exports -> incident records.

Column names, codes and semantics follow the UCDP GED Codebook (Högbladh, "UCDP
GED Codebook version 23.1", Department of Peace and Conflict Research, Uppsala
University; the 49-column layout is unchanged since version 19.1). What is read:

========================  =========================================================
GED column                incident field
========================  =========================================================
``id``                    ``incident_id`` (required, unique in the file)
``date_start/date_end``   date window; ``date`` is the finest partial date holding
                          both (``date_prec`` 1 = the day; 2-3 = a span of up to a
                          week; 4 = the month; 5 = the year)
``latitude/longitude``    coordinates; ``where_prec`` 1 exact, 2 near (within
                          about 25 km), 3 district (ADM2 centroid), 4 governorate
                          (ADM1 centroid), 5 governorate scale (a region larger
                          than ADM1, or between two places), 6 country centroid,
                          7 water or airspace (country scale)
``where_coordinates``     ``place``; ``adm_2``, ``adm_1``, ``country`` its context
``side_a``/``side_b``     one-sided violence (``type_of_violence`` 3):
                          ``side_a`` is the perpetrator (``belligerents``), and
                          ``side_b`` (civilians) are victims. State-based (1) and
                          non-state (2) violence: both sides are ``parties`` to
                          the fighting, not alleged perpetrators (GED does not
                          attribute the deaths to one side), so a single GED
                          report of a battle is unattributed, never contested
``deaths_civilians``      ``killed_min``
``deaths_unknown``        added to it for ``killed_max`` (deaths of unknown status
                          may be civilians; nothing else is added)
``source_article``        ``source_refs`` (split on ``;``)
========================  =========================================================

Checks (a failing row is quarantined with every reason): precision codes in range,
``date_start <= date_end`` within one year, coordinates valid, counts whole and
non-negative, ``low <= best <= high``, and ``best`` equal to ``deaths_a + deaths_b +
deaths_civilians + deaths_unknown`` as the codebook defines it.
"""

from __future__ import annotations

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

__all__ = ["GED_COLUMNS", "GED_REQUIRED", "read_ucdp_ged"]

#: The GED CSV layout (49 columns), in file order, as in the codebook.
GED_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)

#: Columns without which a file is not read as GED.
GED_REQUIRED: tuple[str, ...] = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_prec",
    "latitude",
    "longitude",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)

GED = Codebook(
    "ucdp-ged",
    "a UCDP GED",
    GED_COLUMNS,
    GED_REQUIRED,
    "id",
    ("adm_2", "adm_1", "country"),
)

_WHERE_PREC: dict[int, LocationPrecision] = {
    1: "exact",
    2: "near",
    3: "district",
    4: "governorate",
    5: "governorate",
    6: "country",
    7: "country",
}
_VIOLENCE = {
    1: "state-based conflict",
    2: "non-state conflict",
    3: "one-sided violence",
}


def _row_record(
    reader: RowReader, source: str, file: str, resolver: PlaceResolver | None
) -> IncidentRecord | QuarantinedRow:
    event_id = reader.text("id")
    if event_id is None:
        reader.refuse("id", "an event id is required")
    violence = reader.code("type_of_violence", range(1, 4))
    date_prec = reader.code("date_prec", range(1, 6))
    where_prec = reader.code("where_prec", range(1, 8))
    start = reader.day("date_start")
    end = reader.day("date_end")
    lat, lon = reader.coordinates("latitude", "longitude")
    counts = {
        name: reader.count(name, required=name in GED_REQUIRED)
        for name in (
            "deaths_a",
            "deaths_b",
            "deaths_civilians",
            "deaths_unknown",
            "best",
            "high",
            "low",
        )
    }
    if start and end:
        if start > end:
            reader.refuse("date_end", f"date_end {end} is before date_start {start}")
        elif start.year != end.year:
            reader.refuse("date_end", "date_start and date_end are in different years")
        elif date_prec == 1 and start != end:
            reader.refuse("date_prec", "date_prec 1 (exact day) but dates differ")
    low, best, high = counts["low"], counts["best"], counts["high"]
    if (
        low is not None
        and best is not None
        and high is not None
        and not low <= best <= high
    ):
        reader.refuse("best", f"low <= best <= high fails ({low}, {best}, {high})")
    parts = [
        counts[k]
        for k in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
    ]
    if best is not None and all(p is not None for p in parts):
        total = sum(p for p in parts if p is not None)
        if total != best:
            reader.refuse(
                "best",
                f"best ({best}) is not the sum of the deaths_* columns ({total})",
            )
    if reader.problems or event_id is None or start is None or end is None:
        return reader.quarantine(file)
    sides = tuple(s for s in (reader.text("side_a"), reader.text("side_b")) if s)
    # one-sided violence: side_a is the perpetrator, side_b the civilians; in
    # state-based and non-state violence the sides are the parties fighting,
    # and GED does not say which of them killed the civilians
    alleged = sides[:1] if violence == 3 else ()
    parties = () if violence == 3 else sides
    civilians, unknown = counts["deaths_civilians"], counts["deaths_unknown"]
    description = "; ".join(
        x
        for x in (
            reader.text("dyad_name") or reader.text("conflict_name"),
            _VIOLENCE.get(violence or 0),
            reader.text("where_description"),
        )
        if x
    )
    fields = {
        "source": source,
        "incident_id": event_id,
        "date": covering_date(start, end),
        "place": reader.text("where_coordinates"),
        "latitude": lat,
        "longitude": lon,
        "location_precision": _WHERE_PREC.get(where_prec or 0)
        if lat is not None
        else None,
        "belligerents": alleged,
        "parties": parties,
        "killed_min": civilians,
        "killed_max": None if civilians is None else civilians + (unknown or 0),
        "description": description or None,
        "source_refs": split_refs(reader.text("source_article")),
    }
    return finish_record(
        reader, GED, fields, first=start, last=end, file=file, resolver=resolver
    )


def read_ucdp_ged(
    path: Path,
    *,
    source: str = "ucdp-ged",
    file_sha256: str = "",
    resolver: PlaceResolver | None = None,
    encoding: str | None = None,
) -> IncidentImport:
    """Read a UCDP GED CSV export (see the module docstring for the mapping).

    Parameters
    ----------
    path
        The CSV file (the codebook's column names; extra columns are kept in
        each record's ``original``).
    source
        Source name of every record.
    file_sha256
        The file's SHA-256 if already computed (else computed here).

    Returns
    -------
    IncidentImport
        Records and quarantined rows; ``rows_in == accepted + quarantined``.

    Raises
    ------
    UserInputError
        When the file cannot be read or lacks the required GED columns.
    """
    return read_export(
        path,
        GED,
        _row_record,
        source=source,
        file_sha256=file_sha256,
        resolver=resolver,
        encoding=encoding,
    )
