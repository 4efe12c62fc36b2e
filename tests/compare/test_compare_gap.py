"""The gap: arithmetic, "not acknowledged" (never zero), scopes and provenance."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from compare_gap_cases import RECORDS, graded

from undercount.compare import (
    Estimated,
    NamedVictims,
    Scope,
    compute_gap,
    incident_gaps,
)
from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    grade_clusters,
    match_incidents,
)
from undercount.model import Acknowledgment, CaptureTable


def ack(
    ack_id, deaths, *, incident=None, period=None, belligerent="CJTF-OIR", place=None
):
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
        place=place,
    )


def test_not_acknowledged_is_never_zero() -> None:
    report = compute_gap(graded(), ())
    total = report.total
    assert "acknowledged" not in total.figures
    assert total.acknowledgment_status == "not acknowledged"
    assert "not as zero" in total.statement
    assert not any(k.startswith(("ratio:", "difference:")) for k in total.figures)
    for gap in incident_gaps(graded()):
        assert gap.acknowledged is None and gap.status == "not acknowledged"


def test_documented_range_and_grades() -> None:
    total = compute_gap(graded(), ()).total
    documented = total.figures["documented"]
    assert (documented.low, documented.high) == (105, 150)
    assert {s.ref for s in documented.sources} == {
        c.cluster.cluster_id for c in graded() if c.grade == "fair"
    }
    also = total.figures["also_alleged"]
    assert (also.low, also.high, also.high_open) == (163, 163, True)


def test_difference_and_ratio_with_intervals() -> None:
    acks = [ack("p", 50, period=("2017-03", "2017-04"))]
    est = Estimated(1000.0, 900.0, 1200.0, 0.95, "chapman", 300, "test")
    total = compute_gap(graded(acks), acks, named=300, estimated=est).total
    f = total.figures
    assert f["acknowledged"].value == 50
    d, r = f["difference:documented-acknowledged"], f["ratio:documented/acknowledged"]
    assert (d.low, d.high) == (55, 100)
    assert (r.low, r.high) == pytest.approx((2.1, 3.0))
    e = f["difference:estimated-acknowledged"]
    assert (e.value, e.low, e.high, e.level) == (950, 850, 1150, 0.95)
    q = f["ratio:estimated/acknowledged"]
    assert (q.value, q.low, q.high) == pytest.approx((20, 18, 24))
    assert f["ratio:named/acknowledged"].value == 6
    u = f["difference:estimated-named"]
    assert (u.value, u.low, u.high) == (700, 600, 900)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)


def test_every_number_in_the_statement_traces_to_a_figure() -> None:
    acks = [ack("p", 50, period=("2017-03", "2017-04")), ack("i", 27, incident="a:1")]
    est = Estimated(1000.0, 900.0, 1200.0, 0.95, "lcmcr", 300, "test")
    report = compute_gap(
        graded(acks),
        acks,
        named=NamedVictims(300, "lists"),
        estimated=est,
        by=["period", "belligerent"],
    )
    for row in report.rows:
        allowed = set(_numbers(row.scope.label()))
        for name in row.statement_figures:
            figure = row.figures[name]
            for decimals in (0, 1):
                allowed |= set(_numbers(figure.text(decimals)))
        assert row.statement_figures, row.scope
        for token in _numbers(row.statement):
            assert token in allowed, (token, row.statement)
        for figure in row.figures.values():
            assert figure.derivation and figure.sources, figure.name


def test_period_statement_is_not_split_into_months() -> None:
    acks = [
        ack("p", 326, period=("2016-10", "2017-07"), place="Mosul"),
        ack("i", 27, incident="a:1"),
    ]
    report = compute_gap(graded(acks), acks, by=["period"])
    rows = {r.scope.period: r for r in report.rows}
    assert rows[None].figures["acknowledged"].value == 326
    march = rows["2017-03"]
    assert march.acknowledgment_status == "acknowledged for individual incidents only"
    assert march.figures["acknowledged"].value == 27
    assert march.figures["acknowledged_wider"].value == 326
    april = rows["2017-04"]
    assert april.acknowledgment_status == "not broken down"
    assert "acknowledged" not in april.figures


def test_overlapping_statements_are_not_added_twice() -> None:
    acks = [
        ack("year", 300, period=("2017-01", "2017-12")),
        ack("march", 40, period=("2017-03", "2017-03")),
    ]
    total = compute_gap(graded(acks), acks).total
    assert total.figures["acknowledged"].value == 300
    assert any("march" in n and "overlaps" in n for n in total.notes)
    by_month = {
        r.scope.period: r for r in compute_gap(graded(acks), acks, by=["period"]).rows
    }
    assert by_month["2017-03"].figures["acknowledged"].value == 40


def test_lists_and_estimate_only_in_rows_they_cover() -> None:
    acks = [ack("p", 50, period=("2017-03", "2017-04"))]
    est = Estimated(1000.0, 900.0, 1200.0, 0.95, "chapman", 300, "test")
    report = compute_gap(
        graded(acks), acks, named=300, estimated=est, by=["belligerent"]
    )
    rows = {r.scope.belligerent: r for r in report.rows}
    assert "estimated" in rows[None].figures
    assert "estimated" not in rows["coalition"].figures
    assert "named" not in rows["isis"].figures
    assert rows["coalition"].figures["acknowledged"].value == 50
    assert rows["isis"].acknowledgment_status == "not acknowledged"
    scoped = Estimated(
        1000.0, 900.0, 1200.0, 0.95, "chapman", 300, "t", Scope(belligerent="coalition")
    )
    rows = {
        r.scope.belligerent: r
        for r in compute_gap(
            graded(acks), acks, estimated=scoped, by=["belligerent"]
        ).rows
    }
    assert "estimated" in rows["coalition"].figures
    assert "estimated" not in rows[None].figures


def test_zero_acknowledged_has_no_ratio() -> None:
    acks = [ack("p", 0, period=("2017-03", "2017-04"))]
    total = compute_gap(graded(acks), acks).total
    assert total.figures["acknowledged"].value == 0
    assert "ratio:documented/acknowledged" not in total.figures
    assert any("undefined" in n for n in total.notes)


def test_discounted_incidents_are_left_out_and_counted() -> None:
    from undercount.incidents import ReviewDecision

    decision = ReviewDecision("discount", "a:3", None, "r", "combatants", "2024")
    clusters = match_incidents(RECORDS).clusters
    report = compute_gap(grade_clusters(clusters, decisions=[decision]), ())
    assert report.excluded == {"discounted": 1}
    assert "also_alleged" not in report.total.figures


def test_estimate_inputs() -> None:
    from undercount.estimate import Chapman

    table = CaptureTable.from_frame(
        pd.DataFrame({"a": [1, 0, 1], "b": [0, 1, 1], "count": [60, 40, 30]})
    )
    result = Chapman().fit(table)
    est = Estimated.from_result(result, level=0.9)
    low, high = result.interval(0.9)
    assert (est.estimate, est.lower, est.upper, est.level) == (
        result.estimate,
        low,
        high,
        0.9,
    )
    named = NamedVictims.from_capture_table(table)
    assert named.count == 130


def test_named_from_clusters_and_estimate_from_json(tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.csv"
    clusters.write_text(
        "source,record_id,cluster_id\na,1,c1\nb,7,c1\nb,8,c2\n", encoding="utf-8"
    )
    assert NamedVictims.from_clusters_csv(clusters).count == 2
    path = tmp_path / "est.json"
    path.write_text(
        json.dumps(
            {
                "method": "lcmcr",
                "estimate": 12.0,
                "lower": 10.0,
                "upper": 15.0,
                "level": 0.95,
                "observed": 9,
            }
        )
    )
    assert Estimated.from_json(path).upper == 15.0
    path.write_text(json.dumps({"estimate": 12.0}))
    with pytest.raises(UserInputError, match="lacks lower"):
        Estimated.from_json(path)
    with pytest.raises(UserInputError, match="outside its interval"):
        Estimated(20.0, 10.0, 15.0, 0.95, "x", None, "t")


def test_unknown_dimension() -> None:
    with pytest.raises(UserInputError, match="cannot break down by colour"):
        compute_gap(graded(), (), by=["colour"])


def test_json_is_serialisable() -> None:
    acks = [ack("p", 50, period=("2017-03", "2017-04"))]
    report = compute_gap(graded(acks), acks, by=["place"])
    data = json.loads(json.dumps(report.to_dict()))
    assert (
        data["rows"][0]["figures"]["acknowledged"]["sources"][0]["document"] == "doc p"
    )
    assert {r["scope"]["place"] for r in data["rows"]} >= {"Zanjili", "al-Shifa"}
