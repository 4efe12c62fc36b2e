"""Header aliases and location-precision words for generic incident tables.

Headers are compared after :func:`undercount.ingest.header_key` (case, spacing and
Arabic spelling insensitive).
"""

from __future__ import annotations

from undercount.ingest import header_key
from undercount.model import LocationPrecision

__all__ = ["ALIASES", "PRECISION_WORDS"]

_ALIASES_RAW: dict[str, tuple[str, ...]] = {
    "source": ("source", "publisher", "reported by", "reporting source", "monitor"),
    "incident_id": (
        "incident_id",
        "incident id",
        "incident code",
        "incident",
        "event_id",
        "event id",
        "id",
        "code",
        "ref",
        "reference code",
    ),
    "date": (
        "date",
        "incident date",
        "event date",
        "date_start",
        "start date",
        "start_date",
        "التاريخ",
    ),
    "date_end": ("date_end", "end date", "end_date", "date to"),
    "place": (
        "place",
        "location",
        "neighbourhood",
        "neighborhood",
        "area",
        "town",
        "village",
        "where",
        "المكان",
        "المنطقة",
    ),
    "place_context": (
        "place_context",
        "city",
        "district",
        "governorate",
        "province",
        "country",
        "admin1",
        "admin2",
        "admin3",
    ),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "location_precision": (
        "location_precision",
        "location precision",
        "geolocation accuracy",
        "precision",
    ),
    "belligerents": (
        "belligerents",
        "belligerent",
        "suspected belligerent",
        "suspected belligerents",
        "perpetrator",
        "perpetrators",
        "attacker",
        "suspected attacker",
        "alleged perpetrator",
    ),
    "parties": (
        "parties",
        "parties to the fighting",
        "warring parties",
        "sides",
    ),
    "weapon": (
        "weapon",
        "weapons",
        "munition",
        "means",
        "strike type",
        "cause of death",
    ),
    "killed": ("killed", "deaths", "dead", "fatalities", "civilians killed"),
    "killed_min": (
        "killed_min",
        "min killed",
        "deaths_min",
        "killed low",
        "civilians killed min",
        "minimum killed",
    ),
    "killed_max": (
        "killed_max",
        "max killed",
        "deaths_max",
        "killed high",
        "civilians killed max",
        "maximum killed",
    ),
    "injured": ("injured", "wounded", "civilians injured"),
    "injured_min": ("injured_min", "min injured", "wounded_min"),
    "injured_max": ("injured_max", "max injured", "wounded_max"),
    "children_killed": ("children_killed", "children killed", "child deaths"),
    "women_killed": ("women_killed", "women killed"),
    "description": ("description", "summary", "notes", "details"),
    "source_refs": (
        "source_refs",
        "source url",
        "source_url",
        "url",
        "link",
        "references",
        "reference",
        "document",
    ),
    "document_sha256": ("document_sha256", "sha256", "document sha256"),
    "assessment": ("assessment", "grading", "grade", "status", "source assessment"),
}

ALIASES: dict[str, str] = {
    header_key(alias): field for field, names in _ALIASES_RAW.items() for alias in names
}

PRECISION_WORDS: dict[str, LocationPrecision] = {
    "exact": "exact",
    "exact location": "exact",
    "street": "exact",
    "within 1m": "exact",
    "within 100m": "exact",
    "building": "exact",
    "near": "near",
    "neighbourhood": "near",
    "neighborhood": "near",
    "neighbourhood/area": "near",
    "area": "near",
    "village": "near",
    "town": "near",
    "city": "near",
    "district": "district",
    "subdistrict": "district",
    "sub-district": "district",
    "governorate": "governorate",
    "province": "governorate",
    "region": "governorate",
    "country": "country",
}
