"""An acknowledgment of an incident that is not in the project is never silently
dropped (issue #7, finding 2): resolved at gap time, counted over all periods and
places for its belligerent, listed in the notes."""

from __future__ import annotations

import re

from compare_gap_cases import graded

from undercount.compare import compute_gap
from undercount.compare._scope import unmatched_incident_acks
from undercount.incidents import AcknowledgmentRecord
from undercount.model import Acknowledgment, PartialDate


def ack(ack_id, deaths, *, incident=None, period=None, belligerent="CJTF-OIR"):
    start, end = period or (None, None)
    return AcknowledgmentRecord(
        ack_id,
        Acknowledgment(
            belligerent=belligerent,
            incident_id=incident,
            period_start=start,
            period_end=end,
            deaths_acknowledged=deaths,
            document=f"doc {ack_id}",
        ),
    )


ORPHAN = ack("orphan", 4, incident="nosuch:1")
MATCHED = ack("matched", 10, incident="a:1")  # report a:1 (al-Jadida, March)


def test_unmatched_is_resolved_against_reports() -> None:
    g = graded([MATCHED, ORPHAN])
    assert unmatched_incident_acks([MATCHED, ORPHAN], g) == [ORPHAN]
    # a bare incident id that a report has is matched too
    bare = ack("bare", 3, incident="2")
    assert unmatched_incident_acks([bare], graded([bare])) == []


def test_orphan_counts_in_total_and_is_noted() -> None:
    acks = [MATCHED, ORPHAN]
    report = compute_gap(graded(acks), acks)
    total = report.total
    assert total.figures["acknowledged"].value == 14  # 10 + 4
    refs = [s.ref for s in total.figures["acknowledged"].sources]
    assert refs == ["matched", "orphan"]
    assert total.figures["acknowledged_unmatched"].value == 4
    assert "Of these, 4 are for incident(s) not in this project" in total.statement
    (note,) = report.notes
    assert "orphan" in note and "'nosuch:1'" in note and "not in the project" in note
    # without the orphan the total was 10: the 4 deaths do not vanish
    assert (
        compute_gap(graded([MATCHED]), [MATCHED]).total.figures["acknowledged"].value
        == 10
    )


def test_orphan_alone_is_not_not_acknowledged() -> None:
    report = compute_gap(graded([ORPHAN]), [ORPHAN])
    total = report.total
    assert total.acknowledgment_status == "acknowledged for individual incidents only"
    assert total.figures["acknowledged"].value == 4


def test_orphan_rows_by_belligerent_and_period() -> None:
    other = ack("isf", 2, incident="nosuch:2", belligerent="Iraqi Security Forces")
    acks = [ORPHAN, other]
    report = compute_gap(graded(acks), acks, by=["belligerent"])
    shown = {
        r.scope.belligerent: (
            r.acknowledgment_status,
            r.figures["acknowledged"].value if "acknowledged" in r.figures else None,
        )
        for r in report.rows
    }
    individual = "acknowledged for individual incidents only"
    assert shown == {
        None: (individual, 6),
        "coalition": (individual, 4),
        # a row of its own, though no incident in the project is alleged
        # against Iraqi forces
        "iraqi-forces": (individual, 2),
        "isis": ("not acknowledged", None),
    }
    by_period = compute_gap(graded(acks), acks, by=["period"])
    for row in by_period.rows[1:]:
        assert "acknowledged_unmatched" not in row.figures  # date unknown
    assert by_period.total.figures["acknowledged"].value == 6
    assert len(by_period.notes) == 2


def test_orphan_beside_a_period_statement_is_shown_not_added() -> None:
    period = ack(
        "monthly",
        326,
        period=(PartialDate(2016, 10), PartialDate(2017, 7)),
    )
    acks = [period, ORPHAN]
    total = compute_gap(graded(acks), acks).total
    assert total.figures["acknowledged"].value == 326
    assert total.figures["acknowledged_unmatched"].value == 4
    assert "not added to the period statement" in total.statement
    numbers = set(re.findall(r"\d+", total.statement))
    assert {"326", "4"} <= numbers
