"""A constructed incident report for the matching tests (keyword fields)."""

from __future__ import annotations

import datetime

from undercount.incidents import make_record
from undercount.model import Incident


def rec(
    source: str,
    iid: str,
    date: str,
    *,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    precision: str | None = None,
    killed: tuple[int | None, int | None] = (None, None),
    weapon: str | None = None,
    belligerents: tuple[str, ...] = (),
    description: str | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
):
    incident = Incident(
        source=source,
        incident_id=iid,
        date=date,
        place=place,
        latitude=lat,
        longitude=lon,
        location_precision=precision if lat is not None else None,
        killed_min=killed[0],
        killed_max=killed[1],
        weapon=weapon,
        belligerents=belligerents,
        description=description,
    )
    return make_record(incident, first_day=first, last_day=last)
