"""Candidate pairs: reports close enough in time and space to be one event.

Comparing every pair of 100,000 reports is 5 billion comparisons; blocking keeps
only pairs that *could* match under the settings, and never loses one of them.

Records fall into tiers by how long their date window is (a week or less, a
month, a year, longer or undated) and how large their location radius is (city
scale, district, governorate, unbounded or no location). For each pair of tiers,
records are put in buckets of day numbers and latitude/longitude cells sized
from the *coarser* tier (bucket width = longest window + date window + 1; cell =
sum of the two largest radii + slack), so that any two records that can match
lie in the same or adjacent buckets; the 3 x 3 x 3 neighbourhood is looked up
with a sorted-key search. Candidates are then checked exactly (date windows
within ``date_window_days``; distance within the sum of radii plus slack, or the
same named place) and same-source pairs dropped when a source reports each event
once. Everything is vectorised with numpy and processed in chunks.
"""

from __future__ import annotations

import math
from itertools import combinations_with_replacement, product

import numpy as np
import numpy.typing as npt

from undercount.incidents._prepare import Ints, Prepared, haversine_km
from undercount.incidents._settings import MatchSettings

__all__ = ["candidate_pairs"]

_SPANS = (7, 31, 366, math.inf)
_RADII = (10.0, 50.0, 200.0, math.inf)
_CHUNK = 20_000
_SHIFT = 1 << 11


def _tiers(prep: Prepared) -> Ints:
    span = np.where(prep.first >= 0, prep.last - prep.first, np.iinfo(np.int64).max)
    t = np.searchsorted(np.asarray(_SPANS[:-1], dtype=np.float64), span, "left")
    s = np.searchsorted(np.asarray(_RADII[:-1]), prep.radius, "left")
    tiers: Ints = (t * len(_RADII) + s).astype(np.int64)
    return tiers


_TIME = 1 << 21  # day ordinals (about 740,000 for 2025) fit below this


def _cells(prep: Prepared, idx: Ints, cell: float, max_lat: float) -> tuple[Ints, Ints]:
    """Latitude/longitude cell numbers of ``idx`` (zeros when ``cell`` is unbounded)."""
    if math.isinf(cell):
        zeros = np.zeros(len(idx), dtype=np.int64)
        return zeros, zeros
    dlat = cell / 110.574
    dlon = cell / (111.320 * max(math.cos(math.radians(max_lat)), 0.05))
    ky = np.floor(prep.lat[idx] / dlat).astype(np.int64)
    kx = np.floor(prep.lon[idx] / dlon).astype(np.int64)
    return ky, kx


def _cell_code(ky: Ints, kx: Ints) -> Ints:
    code: Ints = (ky + _SHIFT) * (2 * _SHIFT) + (kx + _SHIFT)
    return code


def _exact(
    prep: Prepared, ia: Ints, ib: Ints, settings: MatchSettings
) -> npt.NDArray[np.bool_]:
    w = settings.date_window_days
    dated = (prep.first[ia] >= 0) & (prep.first[ib] >= 0)
    in_time = (prep.first[ib] <= prep.last[ia] + w) & (
        prep.first[ia] <= prep.last[ib] + w
    )
    ok = ~dated | in_time
    located = ~np.isnan(prep.lat[ia]) & ~np.isnan(prep.lat[ib])
    tolerance = prep.radius[ia] + prep.radius[ib] + settings.distance_slack_km
    same_place = (prep.place[ia] >= 0) & (prep.place[ia] == prep.place[ib])
    # The latitude difference alone rules most far pairs out (1 degree is at
    # least 110.5 km); the great-circle distance is computed for the rest only.
    with np.errstate(invalid="ignore"):
        maybe = located & (
            np.abs(prep.lat[ia] - prep.lat[ib]) * 110.5 <= tolerance + 1e-9
        )
    near = np.zeros(len(ia), dtype=bool)
    if maybe.any():
        sa, sb = ia[maybe], ib[maybe]
        dist = haversine_km(prep.lat[sa], prep.lon[sa], prep.lat[sb], prep.lon[sb])
        near[maybe] = dist <= tolerance[maybe]
    ok &= ~located | near | same_place
    if settings.one_record_per_source:
        ok &= prep.source[ia] != prep.source[ib]
    result: npt.NDArray[np.bool_] = ok
    return result


def _join(
    prep: Prepared,
    a: Ints,
    b: Ints,
    same: bool,
    span_b: int | None,
    cell: float,
    max_lat: float,
    settings: MatchSettings,
) -> list[tuple[Ints, Ints]]:
    """Pairs of ``a`` x ``b`` in neighbouring cells whose date windows can meet.

    ``b`` is sorted by (cell, first day); for each record of ``a`` and each of the
    9 neighbouring cells, the records of ``b`` whose first day lies in
    ``[first_a - window - span_b, last_a + window]`` form one contiguous run, found
    by binary search. ``span_b`` is ``None`` when ``b`` has undated or very long
    windows (then every day matches).
    """
    w = settings.date_window_days
    by, bx = _cells(prep, b, cell, max_lat)
    timed = span_b is not None
    bt = np.maximum(prep.first[b], 0) if timed else np.zeros(len(b), dtype=np.int64)
    bcode = _cell_code(by, bx) * _TIME + bt
    order = np.argsort(bcode, kind="stable")
    bsorted = bcode[order]
    offsets = (0,) if math.isinf(cell) else (-1, 0, 1)
    out: list[tuple[Ints, Ints]] = []
    for start in range(0, len(a), _CHUNK):
        chunk = a[start : start + _CHUNK]
        ay, ax = _cells(prep, chunk, cell, max_lat)
        if timed:
            dated = prep.first[chunk] >= 0
            assert span_b is not None
            lo_t = np.where(dated, prep.first[chunk] - w - span_b, 0)
            hi_t = np.where(dated, prep.last[chunk] + w, _TIME - 1)
            lo_t = np.clip(lo_t, 0, _TIME - 1)
            hi_t = np.clip(hi_t, 0, _TIME - 1)
        else:
            lo_t = np.zeros(len(chunk), dtype=np.int64)
            hi_t = np.zeros(len(chunk), dtype=np.int64)
        for dy, dx in product(offsets, offsets):
            base = _cell_code(ay + dy, ax + dx) * _TIME
            lo = np.searchsorted(bsorted, base + lo_t, "left")
            hi = np.searchsorted(bsorted, base + hi_t, "right")
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                continue
            ia = np.repeat(chunk, counts)
            ends = np.cumsum(counts)
            pos = np.arange(total) - np.repeat(ends - counts, counts)
            ib = b[order[np.repeat(lo, counts) + pos]]
            keep = ia < ib if same else np.ones(total, dtype=bool)
            ia, ib = ia[keep], ib[keep]
            if len(ia) == 0:
                continue
            exact = _exact(prep, ia, ib, settings)
            out.append((ia[exact], ib[exact]))
    return out


def candidate_pairs(prep: Prepared, settings: MatchSettings) -> tuple[Ints, Ints]:
    """All pairs ``(i, j)``, ``i < j``, that pass the exact candidate checks.

    Returns
    -------
    tuple of arrays
        Row indices into ``prep.records``, sorted by ``(i, j)``, each pair once.
    """
    n = len(prep)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    tiers = _tiers(prep)
    present = sorted(set(tiers.tolist()))
    located = ~np.isnan(prep.lat)
    max_lat = float(np.nanmax(np.abs(prep.lat))) if located.any() else 0.0
    parts: list[tuple[Ints, Ints]] = []
    members = {g: np.flatnonzero(tiers == g) for g in present}
    for ga, gb in combinations_with_replacement(present, 2):
        ta, sa = divmod(ga, len(_RADII))
        tb, sb = divmod(gb, len(_RADII))
        cell = _RADII[sa] + _RADII[sb] + settings.distance_slack_km
        a, b = members[ga], members[gb]
        # The smaller side is chunked and searched in the larger (fewer probes).
        if ga != gb and len(a) > len(b):
            a, b = b, a
            tb = ta
        span_b = None if math.isinf(_SPANS[tb]) else int(_SPANS[tb])
        parts += _join(prep, a, b, ga == gb, span_b, cell, max_lat, settings)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    ia = np.concatenate([p[0] for p in parts])
    ib = np.concatenate([p[1] for p in parts])
    lo, hi = np.minimum(ia, ib), np.maximum(ia, ib)
    # Sort and drop repeats (a plain sort: np.unique's hashing is many times
    # slower on tens of millions of codes).
    pairs = np.sort(lo * n + hi, kind="stable")
    if len(pairs) > 1:
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    first: Ints = pairs // n
    second: Ints = pairs % n
    return first, second
