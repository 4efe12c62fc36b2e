"""Acknowledgments by place, and per-stratum estimates in period/place rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from compare_gap_cases import graded

from undercount.compare import Estimated, compute_gap
from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    read_acknowledgments,
)
from undercount.model import Acknowledgment, CaptureTable


def period_ack(ack_id, deaths, period, place=None, belligerent="CJTF-OIR"):
    return AcknowledgmentRecord(
        ack_id,
        Acknowledgment(
            belligerent=belligerent,
            period_start=period[0],
            period_end=period[1],
            place=place,
            deaths_acknowledged=deaths,
            document=f"doc {ack_id}",
        ),
        place,
    )


def by_place(report):
    return {r.scope.place: r for r in report.rows}


def test_place_acknowledgment_counts_in_its_place_row_only() -> None:
    acks = [
        period_ack("jadida", 105, ("2017-03", "2017-03"), "Mosul al-Jadida"),
        period_ack("zanjili", 4, ("2017-04", "2017-04"), "Zanjili"),
    ]
    rows = by_place(compute_gap(graded(acks), acks, by=["place"]))
    assert rows[None].figures["acknowledged"].value == 109
    jadida = rows["Mosul al-Jadida"]
    assert jadida.figures["acknowledged"].value == 105
    # documented 100-120 (the lowest lower bound and highest figure of the two
    # reports) minus 105 acknowledged
    diff = jadida.figures["difference:documented-acknowledged"]
    assert (diff.low, diff.high) == (-5, 15)
    assert [s.ref for s in jadida.figures["acknowledged"].sources] == ["jadida"]
    assert rows["Zanjili"].figures["acknowledged"].value == 4
    shifa = rows["al-Shifa"]
    assert shifa.acknowledgment_status == "not acknowledged"
    assert "acknowledged_wider" not in shifa.figures


def test_acknowledgment_without_place_is_not_attributable() -> None:
    acks = [period_ack("all", 326, ("2016-10", "2017-07"))]
    report = compute_gap(graded(acks), acks, by=["place"])
    rows = by_place(report)
    assert rows[None].figures["acknowledged"].value == 326
    for place in ("Mosul al-Jadida", "Zanjili", "al-Shifa"):
        row = rows[place]
        assert "acknowledged" not in row.figures
        assert row.acknowledgment_status == "not attributable to a place"
        assert row.figures["acknowledged_unattributed"].value == 326
        assert "not attributable to a place" in row.statement
    assert any("all" in n and "not attributable" in n for n in report.notes)
    # never spread: the place rows add nothing up to 326
    assert (
        sum(
            r.figures["acknowledged"].value
            for r in report.rows[1:]
            if "acknowledged" in r.figures
        )
        == 0
    )


def test_city_statement_is_not_broken_down_by_neighbourhood() -> None:
    acks = [period_ack("mosul", 326, ("2016-10", "2017-07"), "Mosul")]
    rows = by_place(compute_gap(graded(acks), acks, by=["place"]))
    row = rows["Mosul al-Jadida"]
    assert row.acknowledgment_status == "not broken down"
    assert row.figures["acknowledged_wider"].value == 326
    assert "acknowledged_unattributed" not in row.figures


def test_acknowledged_place_without_incidents_gets_a_row() -> None:
    acks = [period_ack("tammuz", 7, ("2017-05", "2017-05"), "17 Tammuz")]
    rows = by_place(compute_gap(graded(acks), acks, by=["place"]))
    row = next(r for p, r in rows.items() if p and "Tammuz" in p)
    assert row.figures["acknowledged"].value == 7
    assert "documented" not in row.figures


def test_reader_normalises_place_with_incident_aliases(tmp_path: Path) -> None:
    path = tmp_path / "acks.csv"
    path.write_text(
        "ack_id,belligerent,period_start,period_end,deaths_acknowledged,place,document\n"
        'x,CJTF-OIR,2017-03,2017-03,9,"Al-Shafaa, Mosul",doc\n'
        "y,CJTF-OIR,2017-03,2017-03,2,Nowhere-in-particular,doc\n"
        "z,CJTF-OIR,2017-03,2017-03,1,,doc\n",
        encoding="utf-8",
    )
    records = read_acknowledgments(path).records
    assert [r.acknowledgment.place for r in records] == [
        "al-Shifa",
        "Nowhere-in-particular",
        None,
    ]
    assert records[0].place == "al-Shifa"
    assert records[0].original["place"] == "Al-Shafaa, Mosul"


# ---------------------------------------------------------------- strata
def stratified(strata):
    """An Estimated whose strata are by month, with given per-stratum figures."""
    from undercount.compare._inputs import _stratum

    return Estimated(
        1000.0,
        900.0,
        1200.0,
        0.95,
        "lcmcr",
        300,
        "est.json",
        strata=tuple(_stratum({"month": m}, None, 10, *fig) for m, fig in strata),
    )


def test_period_rows_use_their_stratum_estimate() -> None:
    est = stratified(
        [("2017-03", (400.0, 350.0, 480.0)), ("2017-04", (90.0, 70.0, 130.0))]
    )
    rows = {
        r.scope.period: r
        for r in compute_gap(graded(), (), estimated=est, by=["period"]).rows
    }
    assert rows[None].figures["estimated"].value == 1000
    march = rows["2017-03"].figures["estimated"]
    assert (march.value, march.low, march.high) == (400, 350, 480)
    assert "month=2017-03" in march.sources[0].detail
    april = rows["2017-04"].figures["estimated"]
    assert (april.value, april.low, april.high) == (90, 70, 130)
    june = rows["2017-06"]
    assert "estimated" not in june.figures
    assert any("no stratum of the estimate covers 2017-06" in n for n in june.notes)
    assert "no estimate for this scope" in june.statement


def test_unestimated_stratum_says_so_and_overall_is_not_used() -> None:
    from undercount.compare._inputs import _stratum

    est = Estimated(
        1000.0,
        900.0,
        1200.0,
        0.95,
        "lcmcr",
        300,
        "e",
        strata=(
            _stratum({"month": "2017-03"}, None, 12, reason="lists never overlap"),
        ),
    )
    row = {
        r.scope.period: r
        for r in compute_gap(graded(), (), estimated=est, by=["period"]).rows
    }["2017-03"]
    assert "estimated" not in row.figures
    assert any(
        "not estimated (lists never overlap)" in n and "12" in n for n in row.notes
    )


def test_strata_by_month_do_not_fill_place_rows() -> None:
    est = stratified([("2017-03", (400.0, 350.0, 480.0))])
    rows = by_place(compute_gap(graded(), (), estimated=est, by=["place"]))
    for place, row in rows.items():
        if place is not None:
            assert "estimated" not in row.figures
            assert any("strata are by period" in n for n in row.notes)


def test_unstratified_estimate_is_not_put_in_period_rows() -> None:
    est = Estimated(1000.0, 900.0, 1200.0, 0.95, "chapman", 300, "t")
    rows = compute_gap(graded(), (), estimated=est, by=["period"]).rows
    assert "estimated" in rows[0].figures
    for row in rows[1:]:
        assert "estimated" not in row.figures
        assert any("not stratified" in n for n in row.notes)


def test_stratified_result_and_json_roundtrip(tmp_path: Path) -> None:
    from undercount.estimate import Chapman, fit_stratified

    frame = pd.DataFrame(
        {
            "a": [1, 0, 1, 1, 0, 1],
            "b": [0, 1, 1, 0, 1, 1],
            "month": ["2017-03"] * 3 + ["2017-04"] * 3,
            "count": [60, 40, 30, 20, 25, 15],
        }
    )
    table = CaptureTable.from_frame(frame, strata=["month"])
    result = fit_stratified(Chapman(), table)
    est = Estimated.from_result(result)
    assert est.strata_dimensions() == {"period"}
    march = next(s for s in est.strata if s.scope.period == "2017-03")
    inner = result.strata[0].result
    assert inner is not None and march.estimate == pytest.approx(inner.estimate)
    path = tmp_path / "est.json"
    path.write_text(json.dumps(result.to_dict()), encoding="utf-8")
    again = Estimated.from_json(path)
    assert [s.estimate for s in again.strata] == pytest.approx(
        [s.estimate for s in est.strata]
    )
    row = {
        r.scope.period: r
        for r in compute_gap(graded(), (), estimated=again, by=["period"]).rows
    }["2017-03"]
    assert row.figures["estimated"].value == pytest.approx(march.estimate)
    renamed = Estimated.from_json(path, dimensions={"month": "place"})
    assert renamed.strata_dimensions() == {"place"}
    with pytest.raises(UserInputError, match="period, place or belligerent"):
        Estimated.from_json(path, dimensions={"month": "colour"})


def test_statement_numbers_are_figures_with_places_and_strata() -> None:
    acks = [
        period_ack("all", 326, ("2016-10", "2017-07")),
        period_ack("jadida", 105, ("2017-03", "2017-03"), "al-Jadida"),
    ]
    est = stratified([("2017-03", (400.0, 350.0, 480.0))])
    report = compute_gap(graded(acks), acks, estimated=est, by=["period", "place"])
    for row in report.rows:
        allowed = set(re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", row.scope.label()))
        for name in row.statement_figures:
            for decimals in (0, 1):
                allowed |= set(
                    re.findall(
                        r"\d+(?:,\d{3})*(?:\.\d+)?", row.figures[name].text(decimals)
                    )
                )
        for token in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", row.statement):
            assert token in allowed, (token, row.statement)
