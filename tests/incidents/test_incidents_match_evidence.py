"""Evidence refinements and clustering guards of incident matching: date points by
window length, weapon kinds, identical figures, graded distance of exact points,
ambiguous partners and contradicting members of a chain."""

from __future__ import annotations

import datetime

from incidents_match_cases import rec

from undercount.incidents import MatchSettings, match_incidents

MOSUL = (36.34, 43.12)


def points(a, b, feature):
    link = match_incidents([a, b], MatchSettings(threshold=-99)).links[0]
    return link.parts[feature]


def test_date_points_weaken_with_window_length() -> None:
    day = rec("a", "1", "2017-03-17")
    week = rec(
        "b",
        "1",
        "2017-03",
        first=datetime.date(2017, 3, 14),
        last=datetime.date(2017, 3, 20),
    )
    month = rec("b", "2", "2017-03")
    year = rec("b", "3", "2017")
    assert points(day, rec("b", "0", "2017-03-17"), "date") == 2.0
    assert points(day, week, "date") == 1.0
    assert points(day, month, "date") == 0.5
    assert points(day, year, "date") == 0.0


def test_weapons_of_one_kind_do_not_count_against() -> None:
    air = rec("a", "1", "2017-03-17", weapon="airstrike")
    assert points(air, rec("b", "1", "2017-03-17", weapon="artillery"), "weapon") == 0
    assert points(air, rec("b", "2", "2017-03-17", weapon="shooting"), "weapon") == -1.5
    car = rec("a", "2", "2017-03-17", weapon="car bomb")
    assert points(car, rec("b", "3", "2017-03-17", weapon="IED"), "weapon") == 0


def test_identical_figures_count_more_than_overlapping_ranges() -> None:
    a = rec("a", "1", "2017-03-17", killed=(12, 12))
    assert points(a, rec("b", "1", "2017-03-17", killed=(12, 12)), "casualties") == 2.5
    assert points(a, rec("b", "2", "2017-03-17", killed=(10, 14)), "casualties") == 2.0
    # "up to 12" is a band, not the same figure
    assert (
        points(a, rec("b", "3", "2017-03-17", killed=(None, 12)), "casualties") == 2.0
    )


def test_exact_points_graded_by_distance() -> None:
    a = rec("a", "1", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1], precision="exact")

    def at(dlat: float, iid: str):
        return rec("b", iid, "2017-03-17", lat=MOSUL[0] + dlat, lon=MOSUL[1],
                   precision="exact")  # fmt: skip

    assert points(a, at(0.002, "1"), "location") == 2.0  # about 0.2 km
    assert points(a, at(0.012, "2"), "location") == 1.5  # about 1.3 km
    assert points(a, at(0.030, "3"), "location") == -1.5  # about 3.3 km


def test_chain_cannot_join_contradicting_reports() -> None:
    """B (near, no figure) fits A and C equally; A and C are exact points 3 km
    apart with 20 and 200 dead: the chain A-B-C must not make them one event."""
    a = rec("a", "1", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1], precision="exact",
            killed=(20, 20), weapon="airstrike")  # fmt: skip
    c = rec("c", "1", "2017-03-17", lat=MOSUL[0] + 0.03, lon=MOSUL[1],
            precision="exact", killed=(200, 200), weapon="airstrike")  # fmt: skip
    b = rec("b", "1", "2017-03-17", lat=MOSUL[0] + 0.015, lon=MOSUL[1],
            precision="near", weapon="airstrike")  # fmt: skip
    assert points(a, c, "casualties") + points(a, c, "location") < -3
    result = match_incidents([a, b, c])
    assert max(len(cl.keys) for cl in result.clusters) == 2
    refused = [
        link for link in result.blocked if "would be in one group" in (link.note or "")
    ]
    assert refused and "a:1" in refused[0].note and "c:1" in refused[0].note
    off = match_incidents([a, b, c], MatchSettings(min_member_score=None))
    assert max(len(cl.keys) for cl in off.clusters) == 3


def test_ambiguous_partners_are_left_to_a_reviewer() -> None:
    """Two reports of source b fit a equally well: a is linked to neither (a
    reviewer chooses), and says why; with only one of them, a is linked."""
    a = rec("a", "1", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1], precision="near",
            killed=(20, 20), weapon="airstrike")  # fmt: skip
    b1 = rec("b", "1", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1] + 0.01,
             precision="near", killed=(20, 20), weapon="airstrike")  # fmt: skip
    b2 = rec("b", "2", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1] - 0.01,
             precision="near", killed=(20, 20), weapon="airstrike")  # fmt: skip
    result = match_incidents([a, b1, b2])
    assert all(len(cl.keys) == 1 for cl in result.clusters)
    assert all("ambiguous" in (link.note or "") for link in result.blocked)
    assert len(match_incidents([a, b1]).clusters) == 1


def test_a_report_without_location_needs_more_evidence() -> None:
    located = rec("a", "1", "2017-03-17", lat=MOSUL[0], lon=MOSUL[1],
                  precision="near", killed=(20, 20), weapon="airstrike")  # fmt: skip
    nowhere = rec("b", "1", "2017-03-17", killed=(20, 20), weapon="airstrike")
    assert points(located, nowhere, "location") == -1.0
    link = match_incidents([located, nowhere]).links[0]
    assert any("no location known for b:1" in r for r in link.reasons)
    # same day +2, same figure +2.5, same weapon +1, nowhere -1: still one event
    assert len(match_incidents([located, nowhere]).clusters) == 1
    vague = rec("b", "2", "2017-03-17", killed=(18, 25))
    assert len(match_incidents([located, vague]).clusters) == 2
