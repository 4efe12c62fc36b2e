"""Matching reports across sources: constructed cases with a known answer."""

from __future__ import annotations

import datetime
import random

import pytest
from incidents_match_cases import rec

from undercount.errors import UserInputError
from undercount.incidents import (
    MatchSettings,
    ReviewDecision,
    make_record,
    match_incidents,
)
from undercount.model import Incident, PartialDate


def clusters_of(result) -> set[frozenset[str]]:
    return {frozenset(c.keys) for c in result.clusters}


def test_same_event_with_different_date_precision() -> None:
    day = rec(
        "airwars",
        "1",
        "2017-03-17",
        place="Mosul al-Jadida",
        killed=(105, 141),
        weapon="airstrike",
        belligerents=("US-led Coalition",),
    )
    month = rec(
        "ibc",
        "9",
        "2017-03",
        place="al-Jadidah, Mosul",
        killed=(120, 150),
        weapon="air strike",
        belligerents=("Coalition",),
    )
    result = match_incidents([day, month])
    assert clusters_of(result) == {frozenset({"airwars:1", "ibc:9"})}
    reasons = " ".join(result.links[0].reasons)
    assert "2017-03" in reasons and "same place" in reasons


def test_nearby_coordinates_merge() -> None:
    a = rec(
        "a",
        "1",
        "2017-06-13",
        lat=36.351678,
        lon=43.118042,
        precision="exact",
        killed=(35, 35),
        weapon="airstrike",
    )
    b = rec(
        "b",
        "2",
        "2017-06-13",
        lat=36.3535,
        lon=43.1200,
        precision="exact",
        killed=(11, 35),
        weapon="airstrike",
    )  # about 260 m away
    result = match_incidents([a, b])
    assert len(result.clusters) == 1
    assert result.links[0].parts["location"] > 0


def test_different_spellings_of_the_place_merge() -> None:
    a = rec(
        "airwars",
        "CI738",
        "2017-05-30",
        place="Zanjili, Mosul",
        killed=(None, 200),
        weapon="airstrikes",
    )
    b = rec(
        "ohchr",
        "z",
        "2017-05-31",
        place="Zanjilly, western Mosul",
        killed=(50, 80),
        weapon="airstrike",
    )
    c = rec(
        "local",
        "s",
        "2017-05-31",
        place="Al-Shafaa, Mosul",
        killed=(50, 60),
        weapon="airstrike",
    )  # other neighbourhood, same day
    result = match_incidents([a, b, c])
    assert clusters_of(result) == {
        frozenset({"airwars:CI738", "ohchr:z"}),
        frozenset({"local:s"}),
    }


def test_different_neighbourhoods_same_day_stay_apart() -> None:
    a = rec(
        "a",
        "1",
        "2017-03-14",
        place="Bab Sinjar, Mosul",
        killed=(26, 26),
        weapon="airstrike",
    )
    b = rec(
        "b",
        "1",
        "2017-03-14",
        place="Mosul al-Jadida",
        killed=(26, 29),
        weapon="airstrike",
    )
    result = match_incidents([a, b])
    assert len(result.clusters) == 2
    explained = result.explain("a:1", "b:1")
    assert explained["same_cluster"] is False
    assert any("places" in r for r in explained["reasons"])


def test_far_apart_dates_are_not_candidates() -> None:
    a = rec("a", "1", "2017-03-13", place="New Mosul", killed=(29, 29))
    b = rec("b", "1", "2017-03-17", place="Mosul al-Jadida", killed=(29, 29))
    result = match_incidents([a, b])
    assert result.n_candidates == 0 and len(result.clusters) == 2
    why = result.explain("a:1", "b:1")
    assert why["candidates"] is False and "days apart" in why["why_not_candidates"]


def test_casualty_figures_far_apart_do_not_merge() -> None:
    a = rec("a", "1", "2017-03-17", place="Mosul al-Jadida", killed=(2, 2))
    b = rec("b", "1", "2017-03-17", place="Mosul al-Jadida", killed=(200, 300))
    assert len(match_incidents([a, b]).clusters) == 2


def test_one_report_per_source_and_reviewer_override() -> None:
    a = rec(
        "airwars", "CI550", "2017-03-17", place="Mosul al-Jadida", killed=(105, 141)
    )
    b = rec(
        "airwars", "CI551", "2017-03-17", place="Mosul al-Jadida", killed=(125, 370)
    )
    c = rec("cnn", "x", "2017-03-17", place="al-Jadidah", killed=(141, 141))
    # CNN fits both Airwars events about equally: the matcher does not choose.
    result = match_incidents([a, b, c])
    assert len(result.clusters) == 3
    ambiguous = [link for link in result.blocked if "ambiguous" in (link.note or "")]
    assert {(link.key_a, link.key_b) for link in ambiguous} == {
        ("airwars:CI550", "cnn:x"),
        ("airwars:CI551", "cnn:x"),
    }
    # Without the ambiguity guard, the best link wins and the source constraint
    # keeps the second Airwars event out.
    result = match_incidents([a, b, c], MatchSettings(ambiguity_margin=None))
    assert len(result.clusters) == 2
    assert any(
        "one report per event and source" in (link.note or "")
        for link in result.blocked
    )
    must = ReviewDecision.make(
        "must-link",
        "airwars:CI550",
        "airwars:CI551",
        reviewer="r",
        reason="same strike",
    )
    merged = match_incidents([a, b, c], decisions=[must])
    assert len(merged.clusters) == 1
    assert any(link.origin == "reviewer" for link in merged.links)


def test_cannot_link_and_revoke() -> None:
    a = rec(
        "a",
        "1",
        "2017-06-01",
        place="al-Shifa",
        killed=(163, None),
        weapon="shooting",
        belligerents=("ISIL",),
    )
    b = rec(
        "b",
        "2",
        "2017-06-02",
        place="al-Shifa",
        killed=(300, None),
        weapon="shooting",
        belligerents=("ISIL",),
    )
    assert len(match_incidents([a, b]).clusters) == 1
    t0 = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    cannot = ReviewDecision.make(
        "cannot-link", "b:2", "a:1", reviewer="r", reason="aggregate", decided_at=t0
    )
    split = match_incidents([a, b], decisions=[cannot])
    assert len(split.clusters) == 2
    assert "cannot-link" in split.blocked[0].note
    revoke = ReviewDecision.make(
        "revoke",
        "a:1",
        "b:2",
        reviewer="r",
        reason="undo",
        decided_at=t0 + datetime.timedelta(hours=1),
    )
    assert len(match_incidents([a, b], decisions=[cannot, revoke]).clusters) == 1


def test_decision_naming_unknown_report_is_refused() -> None:
    a = rec("a", "1", "2017-06-01", place="al-Shifa")
    bad = ReviewDecision.make("cannot-link", "a:1", "zz:9", reviewer="r", reason="x")
    with pytest.raises(UserInputError, match="zz:9"):
        match_incidents([a], decisions=[bad])


def test_nothing_is_averaged_away() -> None:
    a = rec("a", "1", "2017-03-17", place="Mosul al-Jadida", killed=(105, 141))
    b = rec("b", "1", "2017-03-17", place="Mosul al-Jadida", killed=(None, 150))
    c = rec("c", "1", "2017-03-17", place="Mosul al-Jadida", killed=(141, 141))
    cluster = match_incidents([a, b, c]).clusters[0]
    assert cluster.figures_by_source() == {
        "a": [("1", 105, 141)],
        "b": [("1", None, 150)],
        "c": [("1", 141, 141)],
    }
    assert cluster.reported_range() == (105, 150)
    span = cluster.killed_span()
    assert (span.low, span.high, span.high_open) == (105, 150, False)


def test_results_do_not_depend_on_input_order() -> None:
    base = [
        rec("a", "1", "2017-03-17", place="Mosul al-Jadida", killed=(105, 141)),
        rec("b", "1", "2017-03-17", place="al-Jadidah", killed=(141, 141)),
        rec("c", "1", "2017-03-18", place="Old City", killed=(13, 13)),
        rec("d", "1", "2017-03-18", place="Old City, Mosul", killed=(13, 15)),
    ]
    expected = clusters_of(match_incidents(base))
    shuffled = base[:]
    random.Random(4).shuffle(shuffled)
    assert clusters_of(match_incidents(shuffled)) == expected
    ids = {c.cluster_id for c in match_incidents(shuffled).clusters}
    assert ids == {c.cluster_id for c in match_incidents(base).clusters}


def test_settings_change_the_outcome() -> None:
    a = rec("a", "1", "2017-03-13", place="New Mosul", killed=(29, 29))
    b = rec("b", "1", "2017-03-17", place="Mosul al-Jadida", killed=(29, 29))
    wide = MatchSettings(date_window_days=7, threshold=3.0)
    assert match_incidents([a, b], wide).n_candidates == 1


def test_duplicate_keys_refused() -> None:
    a = rec("a", "1", "2017-03-13")
    with pytest.raises(UserInputError, match="two reports have the key"):
        match_incidents([a, a])


def test_coarse_and_undated_reports_are_still_compared() -> None:
    year = rec(
        "a", "1", "2017", place="Zanjili, Mosul", killed=(50, 80), weapon="airstrike"
    )
    day = rec(
        "b", "1", "2017-05-31", place="Zanjilly", killed=(60, 60), weapon="airstrike"
    )
    undated = make_record(
        Incident(
            source="c",
            incident_id="1",
            place="Zanjili",
            killed_min=70,
            killed_max=70,
            weapon="airstrike",
        )
    )
    result = match_incidents([year, day, undated])
    assert result.n_candidates == 3


def test_partial_date_is_respected_not_invented() -> None:
    r = rec("a", "1", "2017-03")
    assert r.incident.date == PartialDate(2017, 3)
    assert (r.first_day, r.last_day) == (
        datetime.date(2017, 3, 1),
        datetime.date(2017, 3, 31),
    )
