"""Points for each piece of evidence that two reports describe one event.

:func:`score_pairs` computes, for arrays of candidate pairs, one array of points
per feature (date, location, casualties, weapon, belligerent, text) and their
sum; :func:`explain_pair` turns one pair's points into sentences that name the
values compared, so every merge says why it was made.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from undercount.incidents._prepare import Floats, Ints, Prepared, haversine_km
from undercount.incidents._settings import MatchSettings

__all__ = ["FEATURES", "PairScores", "explain_pair", "score_pairs"]

#: The features scored, in the order reasons are listed.
FEATURES = ("date", "location", "casualties", "weapon", "belligerent", "text")


@dataclass(frozen=True)
class PairScores:
    """Per-feature points for pairs ``(i[k], j[k])`` and their total."""

    i: Ints
    j: Ints
    parts: dict[str, Floats]
    total: Floats
    text_ratio: Floats
    distance_km: Floats

    def __len__(self) -> int:
        return len(self.i)


def _date_points(p: Prepared, i: Ints, j: Ints, s: MatchSettings) -> Floats:
    w = s.weights
    dated = (p.first[i] >= 0) & (p.first[j] >= 0)
    single = (p.first[i] == p.last[i]) & (p.first[j] == p.last[j])
    same_day = dated & single & (p.first[i] == p.first[j])
    overlap = dated & (p.first[i] <= p.last[j]) & (p.first[j] <= p.last[i])
    gap = np.maximum(p.first[j] - p.last[i], p.first[i] - p.last[j])
    longest = np.maximum(p.last[i] - p.first[i], p.last[j] - p.first[j]) + 1
    out = np.zeros(len(i))
    out[dated & (gap >= 2)] = w.date_apart
    out[dated & (gap == 1)] = w.date_adjacent
    # Sharing a day is weaker evidence the longer the window that holds it.
    out[overlap & (longest > 31)] = w.date_overlap_long
    out[overlap & (longest <= 31)] = w.date_overlap_month
    out[overlap & (longest <= 7)] = w.date_overlap
    out[same_day] = w.same_day
    return out


def _location_points(
    p: Prepared, i: Ints, j: Ints, s: MatchSettings
) -> tuple[Floats, Floats]:
    w = s.weights
    dist = haversine_km(p.lat[i], p.lon[i], p.lat[j], p.lon[j])
    tolerance = p.radius[i] + p.radius[j] + s.distance_slack_km
    coarse = np.maximum(p.radius[i], p.radius[j])
    exact_r = s.radius("exact")
    near_r = s.radius("near")
    coords = np.zeros(len(i))
    with np.errstate(invalid="ignore"):
        # Two points both taken from the gazetteer (place names only) are not
        # evidence of their own: the place names are compared instead.
        reported = ~(p.gazetteer_point[i] & p.gazetteer_point[j])
        coords[(dist <= tolerance) & (coarse <= near_r) & reported] = w.coords_within
        both_exact = coarse <= exact_r
        near = both_exact & (dist <= p.radius[i] + p.radius[j])
        coords[near] = w.coords_within + w.coords_near
        coords[both_exact & (dist > p.radius[i] + p.radius[j])] = w.coords_apart
        coords[(dist <= s.close_km) & both_exact] = w.coords_close
    named = (p.place[i] >= 0) & (p.place[j] >= 0)
    same = named & (p.place[i] == p.place[j])
    conflict = named & ~same & p.fine_place[i] & p.fine_place[j]
    place = np.zeros(len(i))
    place[same] = w.same_place
    place[conflict] = w.place_conflict
    cap = max(w.same_place, w.coords_close) + w.coords_within
    total: Floats = np.minimum(coords + place, cap)
    if w.location_unknown:
        unknown_i = np.isnan(p.lat[i]) & (p.place[i] < 0)
        unknown_j = np.isnan(p.lat[j]) & (p.place[j] < 0)
        total[unknown_i | unknown_j] += w.location_unknown
    return total, dist


def _casualty_points(p: Prepared, i: Ints, j: Ints, s: MatchSettings) -> Floats:
    w = s.weights
    known = ~np.isnan(p.lo[i]) & ~np.isnan(p.lo[j])
    overlap = known & (p.lo[i] <= p.hi[j]) & (p.lo[j] <= p.hi[i])
    top = np.maximum(p.lo[i], p.lo[j])
    bottom = np.maximum(np.minimum(p.hi[i], p.hi[j]), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = top / bottom
    out = np.zeros(len(i))
    apart = known & ~overlap
    out[apart & (ratio > 4)] = w.casualties_far
    out[apart & (ratio <= 4)] = w.casualties_apart
    out[apart & (ratio <= 2)] = w.casualties_close
    out[overlap] = w.casualties_overlap
    out[overlap & (top < s.small_count)] = w.casualties_overlap_small
    # One and the same figure from both (not a band built from "up to"/"at least").
    single = (p.lo[i] == p.hi[i]) & (p.lo[j] == p.hi[j])
    equal = known & single & (p.lo[i] == p.lo[j]) & (p.lo[i] >= 2)
    out[equal] += w.casualties_equal
    return out


def _mask_points(a: Ints, b: Ints, same: float, differ: float) -> Floats:
    both = (a != 0) & (b != 0)
    common = (a & b) != 0
    out = np.zeros(len(a))
    out[both & ~common] = differ
    out[both & common] = same
    return out


def _text_ratios(p: Prepared, i: Ints, j: Ints) -> Floats:
    ratios = np.full(len(i), np.nan)
    if len(i) == 0:
        return ratios
    has = np.array([bool(d) for d in p.descriptions], dtype=bool)
    both = np.flatnonzero(has[i] & has[j])
    if len(both):
        left = [p.descriptions[k] for k in i[both]]
        right = [p.descriptions[k] for k in j[both]]
        scores = process.cpdist(
            left, right, scorer=fuzz.token_set_ratio, processor=str.lower
        )
        ratios[both] = np.asarray(scores, dtype=np.float64)
    return ratios


def score_pairs(
    prep: Prepared,
    i: Ints,
    j: Ints,
    settings: MatchSettings,
    *,
    text: bool | npt.NDArray[np.bool_] = True,
) -> PairScores:
    """Points per feature and in total for pairs ``(i[k], j[k])``.

    Text similarity is computed only where ``text`` is true (or for every pair
    when ``True``): callers skip it for pairs that cannot reach the threshold.
    """
    w = settings.weights
    parts: dict[str, Floats] = {
        "date": _date_points(prep, i, j, settings),
    }
    location, dist = _location_points(prep, i, j, settings)
    parts["location"] = location
    parts["casualties"] = _casualty_points(prep, i, j, settings)
    weapon = _mask_points(
        prep.weapon_mask[i], prep.weapon_mask[j], w.weapon_same, w.weapon_differ
    )
    wi, wj = prep.weapon_mask[i], prep.weapon_mask[j]
    related = (
        (wi != 0)
        & (wj != 0)
        & ((wi & wj) == 0)
        & ((prep.weapon_kind_mask[i] & prep.weapon_kind_mask[j]) != 0)
    )
    weapon[related] = w.weapon_related
    parts["weapon"] = weapon
    parts["belligerent"] = _mask_points(
        prep.bel_mask[i], prep.bel_mask[j], w.belligerent_same, w.belligerent_differ
    )
    subtotal = sum(parts.values(), np.zeros(len(i)))
    ratios = np.full(len(i), np.nan)
    wanted = (
        np.ones(len(i), dtype=bool)
        if text is True
        else (np.zeros(len(i), dtype=bool) if text is False else np.asarray(text))
    )
    reachable = subtotal + max(w.text_similar, 0.0) >= settings.threshold
    chosen = np.flatnonzero(wanted & reachable)
    if len(chosen):
        ratios[chosen] = _text_ratios(prep, i[chosen], j[chosen])
    text_points = np.zeros(len(i))
    with np.errstate(invalid="ignore"):
        text_points[ratios >= settings.text_related_at] = w.text_related
        text_points[ratios >= settings.text_similar_at] = w.text_similar
    parts["text"] = text_points
    total = subtotal + text_points
    return PairScores(i, j, parts, total, ratios, dist)


# ----------------------------------------------------------------- explanation
def _day(ordinal: int) -> str:
    return datetime.date.fromordinal(int(ordinal)).isoformat()


def _cached(
    kind: str, make: Callable[[Prepared, int], str]
) -> Callable[[Prepared, int], str]:
    """``make``, remembered per record in ``Prepared.texts``."""

    def get(p: Prepared, k: int) -> str:
        text = p.texts.get((kind, k))
        if text is None:
            text = p.texts[(kind, k)] = make(p, k)
        return text

    return get


def _window_text(p: Prepared, k: int) -> str:
    if p.first[k] < 0:
        return "no date"
    date = p.records[k].incident.date
    first, last = _day(p.first[k]), _day(p.last[k])
    window = first if first == last else f"{first}..{last}"
    shown = str(date) if date is not None else window
    return shown if shown == window else f"{shown} ({window})"


def _range_text(p: Prepared, k: int) -> str:
    inc = p.records[k].incident
    lo, hi = inc.killed_min, inc.killed_max
    if lo is None and hi is None:
        return "no figure"
    if hi is None:
        return f"at least {lo}"
    if lo is None:
        return f"up to {hi}"
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def _bits(mask: int, names: list[str]) -> str:
    return ", ".join(n for b, n in enumerate(names) if mask >> b & 1) or "none"


def _place_text(p: Prepared, k: int) -> str:
    record = p.records[k]
    reported = record.incident.place or "?"
    if record.place is None:
        return repr(reported)
    return f"{reported!r} = {record.place.name}"


_window = _cached("window", _window_text)
_range = _cached("range", _range_text)
_place = _cached("place", _place_text)


def explain_pair(scores: PairScores, k: int, prep: Prepared) -> list[str]:
    """Sentences explaining pair ``k`` of ``scores``: each feature that scored,
    the values compared and the points (``+2.0``)."""
    a, b = int(scores.i[k]), int(scores.j[k])
    p = prep
    out: list[str] = []

    def add(feature: str, text: str) -> None:
        points = float(scores.parts[feature][k])
        if points:
            out.append(f"{text} ({points:+.1f})")

    date_text = (
        f"same day {_window(p, a)}"
        if p.first[a] == p.last[a] == p.first[b] == p.last[b] >= 0
        else f"dates {_window(p, a)} and {_window(p, b)}"
    )
    add("date", date_text)
    dist = scores.distance_km[k]
    pieces = []
    if not np.isnan(dist):
        origins = {p.records[a].location_origin, p.records[b].location_origin}
        note = (
            " (a gazetteer point: place level only)" if "gazetteer" in origins else ""
        )
        pieces.append(f"{dist:.1f} km apart{note}")
    if p.place[a] >= 0 or p.place[b] >= 0:
        same = p.place[a] == p.place[b] >= 0
        verb = "same place" if same else "places"
        pieces.append(f"{verb} {_place(p, a)} / {_place(p, b)}")
    unknown = [
        p.records[k].key for k in (a, b) if np.isnan(p.lat[k]) and p.place[k] < 0
    ]
    if unknown:
        pieces.append(f"no location known for {' and '.join(unknown)}")
    add("location", "; ".join(pieces) or "location")
    add("casualties", f"killed {_range(p, a)} vs {_range(p, b)}")
    add(
        "weapon",
        f"weapons {_bits(int(p.weapon_mask[a]), p.categories)} vs "
        f"{_bits(int(p.weapon_mask[b]), p.categories)}",
    )
    add(
        "belligerent",
        f"alleged {_bits(int(p.bel_mask[a]), p.families)} vs "
        f"{_bits(int(p.bel_mask[b]), p.families)}",
    )
    ratio = scores.text_ratio[k]
    if not np.isnan(ratio):
        add("text", f"descriptions {ratio:.0f}/100 alike")
    return out
