"""Incident records as column arrays, the form blocking and scoring work on.

One numpy array per attribute (day numbers, coordinates, radii, casualty bounds,
place codes, bit masks of belligerent families and weapon categories) so that
candidate generation and scoring run over millions of pairs without a Python
object per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from undercount.incidents._record import IncidentRecord
from undercount.incidents._settings import MatchSettings
from undercount.incidents._vocab import UNKNOWN, Vocabulary

__all__ = ["Prepared", "prepare"]

_NEIGHBOURHOOD_LEVELS = frozenset({"neighbourhood", "landmark"})

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Prepared:
    """Column arrays over ``records`` (index ``i`` is ``records[i]``).

    Missing values: day numbers ``-1`` (no date), coordinates ``nan``, radius
    ``inf`` (no location or unbounded precision), casualty bounds ``nan``, codes
    ``-1``. ``bel_mask``/``weapon_mask`` are bit sets over ``families`` and
    ``categories``; ``gazetteer_point`` marks points taken from the gazetteer
    (the report gave a place name only); ``weapon_kind_mask`` is a bit set over
    the categories' kinds (air and artillery are one kind).
    """

    records: Sequence[IncidentRecord]
    first: Ints
    last: Ints
    lat: Floats
    lon: Floats
    radius: Floats
    place: Ints
    fine_place: npt.NDArray[np.bool_]
    gazetteer_point: npt.NDArray[np.bool_]
    source: Ints
    lo: Floats
    hi: Floats
    bel_mask: Ints
    weapon_mask: Ints
    weapon_kind_mask: Ints
    descriptions: list[str]
    families: list[str]
    categories: list[str]
    places: list[str]
    sources: list[str]
    texts: dict[tuple[str, int], str] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Per-record texts of explanations, made once (a record is explained in
    many pairs)."""

    def __len__(self) -> int:
        return len(self.records)


def _codes(values: list[str | None]) -> tuple[Ints, list[str]]:
    table: dict[str, int] = {}
    out = np.full(len(values), -1, dtype=np.int64)
    for i, value in enumerate(values):
        if value is not None:
            out[i] = table.setdefault(value, len(table))
    return out, list(table)


def _mask(sets: list[frozenset[str]], limit: int = 62) -> tuple[Ints, list[str]]:
    table: dict[str, int] = {}
    out = np.zeros(len(sets), dtype=np.int64)
    for i, items in enumerate(sets):
        bits = 0
        for item in sorted(items):
            code = table.setdefault(item, len(table))
            # Beyond 62 distinct families, the rest share the last bit: still
            # "known", compared coarsely (documented limit).
            bits |= 1 << min(code, limit)
        out[i] = bits
    return out, list(table)


def _casualty_band(low: int | None, high: int | None) -> tuple[float, float]:
    """The band of deaths a report is compared on (a matching heuristic only).

    A range is itself. A one-sided report is read as a claim of that magnitude:
    "up to N" as N/2..N and "at least N" as N..2N, so that "up to 150" is not
    taken to agree with "29" merely because 29 is below 150. Never used as a
    figure: clusters report what the sources said.
    """
    if low is None and high is None:
        return float("nan"), float("nan")
    if low is None:
        return float(high) / 2, float(high)  # type: ignore[arg-type]
    if high is None:
        return float(low), 2.0 * low
    return float(low), float(high)


def prepare(
    records: Sequence[IncidentRecord],
    settings: MatchSettings,
    vocabulary: Vocabulary | None = None,
) -> Prepared:
    """Column arrays for ``records`` under ``settings``."""
    vocab = vocabulary or Vocabulary(
        settings.belligerent_aliases, settings.weapon_aliases
    )
    n = len(records)
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    radius = np.full(n, np.inf)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    fine = np.zeros(n, dtype=bool)
    gazetteer = np.zeros(n, dtype=bool)
    places: list[str | None] = []
    sources: list[str | None] = []
    bels: list[frozenset[str]] = []
    weapons: list[frozenset[str]] = []
    kinds: list[frozenset[str]] = []
    descriptions: list[str] = []
    cache_bel: dict[tuple[str, ...], frozenset[str]] = {}
    cache_weapon: dict[str | None, frozenset[str]] = {}
    for i, record in enumerate(records):
        inc = record.incident
        if record.first_day is not None and record.last_day is not None:
            first[i] = record.first_day.toordinal()
            last[i] = record.last_day.toordinal()
        if record.latitude is not None and record.longitude is not None:
            lat[i], lon[i] = record.latitude, record.longitude
            radius[i] = settings.radius(record.location_precision)
            gazetteer[i] = inc.latitude is None
        lo[i], hi[i] = _casualty_band(inc.killed_min, inc.killed_max)
        place = record.place
        places.append(place.place_id if place else None)
        fine[i] = bool(place and place.level in _NEIGHBOURHOOD_LEVELS)
        sources.append(inc.source)
        if inc.belligerents not in cache_bel:
            families = vocab.belligerent_families(inc.belligerents) - {UNKNOWN}
            cache_bel[inc.belligerents] = families
        bels.append(cache_bel[inc.belligerents])
        if inc.weapon not in cache_weapon:
            cache_weapon[inc.weapon] = vocab.weapon_categories(inc.weapon)
        weapons.append(cache_weapon[inc.weapon])
        kinds.append(vocab.weapon_kinds(cache_weapon[inc.weapon]))
        descriptions.append(inc.description or "")
    place_codes, place_names = _codes(places)
    source_codes, source_names = _codes(sources)
    bel_mask, family_names = _mask(bels)
    weapon_mask, categories = _mask(weapons)
    kind_mask, _ = _mask(kinds)
    return Prepared(
        records=records,
        first=first,
        last=last,
        lat=lat,
        lon=lon,
        radius=radius,
        place=place_codes,
        fine_place=fine,
        gazetteer_point=gazetteer,
        source=source_codes,
        lo=lo,
        hi=hi,
        bel_mask=bel_mask,
        weapon_mask=weapon_mask,
        weapon_kind_mask=kind_mask,
        descriptions=descriptions,
        families=family_names,
        categories=categories,
        places=place_names,
        sources=source_names,
    )


def haversine_km(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> Floats:
    """Great-circle distance in km (``nan`` where a coordinate is missing)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    result: Floats = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result
