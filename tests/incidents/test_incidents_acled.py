"""ACLED importer on a codebook-exact fixture (tests/data/incidents/SOURCE.md)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import ACLED_COLUMNS, detect_format, read_acled

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "incidents"
    / "acled_codebook_fixture.csv"
)


@pytest.fixture(scope="module")
def acled():
    return read_acled(FIXTURE)


def test_header_is_the_2023_export_layout() -> None:
    with FIXTURE.open(encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == ACLED_COLUMNS
    assert len(ACLED_COLUMNS) == 31
    assert detect_format(FIXTURE) == "acled"


def test_row_accounting(acled) -> None:
    assert acled.rows_in == 6 == acled.accepted + acled.quarantined
    assert (acled.accepted, acled.quarantined) == (3, 3)


def test_time_precision_codes(acled) -> None:
    by_id = {r.incident.incident_id: r for r in acled.records}
    d = datetime.date
    # 1: the day (ISO event_date)
    assert (by_id["IRQ90001"].first_day, by_id["IRQ90001"].last_day) == (
        d(2017, 3, 17),
    ) * 2
    # 2: a day in the week around the coded date ("1 June 2017" form read too)
    assert (by_id["IRQ90002"].first_day, by_id["IRQ90002"].last_day) == (
        d(2017, 5, 29),
        d(2017, 6, 4),
    )
    # 3: some day of that month (15/04/2017 coded -> April)
    assert str(by_id["IRQ90003"].incident.date) == "2017-04"
    assert (by_id["IRQ90003"].first_day, by_id["IRQ90003"].last_day) == (
        d(2017, 4, 1),
        d(2017, 4, 30),
    )


def test_geo_precision_codes(acled) -> None:
    precision = {
        r.incident.incident_id: r.incident.location_precision for r in acled.records
    }
    assert precision == {
        "IRQ90001": "near",
        "IRQ90002": "district",
        "IRQ90003": "governorate",
    }


def test_actors_and_fatalities(acled) -> None:
    by_id = {r.incident.incident_id: r.incident for r in acled.records}
    # civilians (inter code 7) are victims, not parties
    assert by_id["IRQ90001"].belligerents == (
        "Military Forces of the United States (2017-2021)",
    )
    assert by_id["IRQ90001"].weapon == "Air/drone strike"
    # civilian targeting: fatalities are civilians (both bounds)
    assert (by_id["IRQ90002"].killed_min, by_id["IRQ90002"].killed_max) == (163, 163)
    # no civilian targeting: ACLED counts every death, so only "up to"
    assert (by_id["IRQ90003"].killed_min, by_id["IRQ90003"].killed_max) == (None, 9)
    assert by_id["IRQ90001"].source_refs == ("Reuters", "Amnesty International")


def test_quarantine(acled) -> None:
    q = {row.line: row for row in acled.quarantine}
    assert q[5].field == "time_precision"
    assert "a date is required" in q[6].reason and "not a number" in q[6].reason
    assert q[7].field == "year" and "differs" in q[7].reason


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date\nX1,2017-01-01\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="not an ACLED export"):
        read_acled(path)
