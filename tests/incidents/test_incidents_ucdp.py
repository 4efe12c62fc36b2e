"""UCDP GED importer on a codebook-exact fixture (tests/data/incidents/SOURCE.md)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import (
    GED_COLUMNS,
    detect_format,
    read_incidents,
    read_ucdp_ged,
)

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "incidents"
    / "ucdp_ged_codebook_fixture.csv"
)


@pytest.fixture(scope="module")
def ged():
    return read_ucdp_ged(FIXTURE, source="ucdp-ged")


def test_header_is_the_49_codebook_columns() -> None:
    with FIXTURE.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == GED_COLUMNS
    assert len(GED_COLUMNS) == 49
    assert detect_format(FIXTURE) == "ucdp-ged"


def test_row_accounting(ged) -> None:
    assert ged.rows_in == 11 == ged.accepted + ged.quarantined
    assert (ged.accepted, ged.quarantined) == (6, 5)
    assert ged.format == "ucdp-ged"
    assert len(ged.file_sha256) == 64


def test_date_precision_codes_map_to_windows(ged) -> None:
    by_id = {r.incident.incident_id: r for r in ged.records}
    d = datetime.date
    # date_prec 1: the day
    assert str(by_id["900001"].incident.date) == "2017-03-17"
    assert (by_id["900001"].first_day, by_id["900001"].last_day) == (
        d(2017, 3, 17),
    ) * 2
    # date_prec 2: a span of days -> exact window, month as the partial date
    assert str(by_id["900002"].incident.date) == "2017-06"
    assert (by_id["900002"].first_day, by_id["900002"].last_day) == (
        d(2017, 6, 1),
        d(2017, 6, 3),
    )
    # date_prec 3: a week
    assert (by_id["900003"].first_day, by_id["900003"].last_day) == (
        d(2017, 5, 21),
        d(2017, 5, 27),
    )
    # date_prec 4: the month
    assert by_id["900004"].incident.date.precision == "month"
    # date_prec 5: the year
    assert by_id["900005"].incident.date.precision == "year"
    assert by_id["900005"].last_day == d(2017, 12, 31)


def test_where_precision_codes(ged) -> None:
    precision = {
        r.incident.incident_id: r.incident.location_precision for r in ged.records
    }
    assert precision == {
        "900001": "exact",  # where_prec 1
        "900002": "near",  # 2
        "900003": "district",  # 3 (ADM2 centroid)
        "900004": "governorate",  # 4 (ADM1 centroid)
        "900005": "country",  # 6 (country centroid)
        "900006": "governorate",  # 5 (larger than ADM1)
    }


def test_deaths_and_sides(ged) -> None:
    by_id = {r.incident.incident_id: r.incident for r in ged.records}
    # deaths_civilians 105, deaths_unknown 0 -> 105..105; the sides of a
    # state-based dyad are parties to the fighting, not alleged perpetrators
    assert (by_id["900001"].killed_min, by_id["900001"].killed_max) == (105, 105)
    assert by_id["900001"].belligerents == ()
    assert by_id["900001"].parties == ("Government of Iraq", "IS")
    # one-sided violence: side_a is the perpetrator; civilians are victims
    assert by_id["900002"].belligerents == ("IS",)
    # deaths_unknown may be civilians: added to the maximum only (40 + 5)
    assert (by_id["900003"].killed_min, by_id["900003"].killed_max) == (40, 45)
    assert by_id["900001"].source_refs == ("Reuters 2017-05-25", "AFP 2017-05-25")
    # the original row is kept verbatim, extra GED columns included
    assert ged.records[0].original["best"] == "107"
    assert ged.records[0].original["code_status"] == "Clear"


def test_place_resolved_with_context(ged) -> None:
    by_id = {r.incident.incident_id: r for r in ged.records}
    assert by_id["900001"].place.place_id == "IQ-mosul-mosul-al-jadida"
    assert by_id["900002"].place.place_id == "IQ-mosul-al-shifa"


def test_quarantine_reasons_name_line_and_column(ged) -> None:
    q = {row.line: row for row in ged.quarantine}
    assert set(q) == {8, 9, 10, 11, 12}
    assert q[8].field == "best" and "low <= best <= high" in q[8].reason
    assert q[9].field == "best" and "not the sum" in q[9].reason
    assert (
        q[10].field == "date_prec" and "date_end" in q[10].reason
    )  # every reason kept
    assert q[11].field == "id" and "duplicate" in q[11].reason
    assert "negative" in q[12].reason and "latitude" in q[12].reason
    assert all(row.file == FIXTURE.name for row in ged.quarantine)


def test_missing_columns_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text("id,date_start,best\n1,2017-01-01,3\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="not a UCDP GED export"):
        read_ucdp_ged(path)


def test_read_incidents_dispatches(tmp_path: Path) -> None:
    result = read_incidents(FIXTURE, "ged")
    assert result.format == "ucdp-ged"
    assert {r.source for r in result.records} == {"ged"}
