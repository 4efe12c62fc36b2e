"""Generic incident tables through the column mapping (CSV and XLSX)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import IncidentSourceConfig, read_generic


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_aliases_per_row_source_and_windows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        (
            "Incident Code,Source,Date,End date,Location,Lat,Lon,Location precision,"
            "Perpetrator,Weapon,Killed,Injured,URL\n"
            "A1,airwars,2017-03-17,,Mosul al-Jadida,36.33,43.10,neighbourhood,"
            "US-led Coalition,airstrike,105,25,https://example.org/a1\n"
            "A2,ohchr,2017-05,,Zanjilly,,,,,airstrike,,,\n"
            "A3,,2017-05-21,2017-05-25,West Mosul,,,,ISIL|Iraqi forces,,7,,\n"
        ),
    )
    result = read_generic(path, source="mixed")
    assert (result.rows_in, result.accepted, result.quarantined) == (3, 3, 0)
    a1, a2, a3 = result.records
    assert a1.key == "airwars:A1" and a2.key == "ohchr:A2" and a3.key == "mixed:A3"
    assert a1.incident.location_precision == "near"
    assert (a1.incident.killed_min, a1.incident.killed_max) == (105, 105)
    assert (a1.incident.injured_min, a1.incident.injured_max) == (25, 25)
    assert a2.incident.date.precision == "month"
    assert (a2.first_day, a2.last_day) == (
        datetime.date(2017, 5, 1),
        datetime.date(2017, 5, 31),
    )
    assert (a3.first_day, a3.last_day) == (
        datetime.date(2017, 5, 21),
        datetime.date(2017, 5, 25),
    )
    assert a3.incident.belligerents == ("ISIL", "Iraqi forces")
    assert result.columns["Killed"] == "killed"


def test_configured_mapping_and_keep(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ref,when,n dead,comment\nx1,2017-03-04,3,hello\n")
    config = IncidentSourceConfig(
        columns={
            "ref": "incident_id",
            "when": "date",
            "n dead": "killed_max",
            "comment": "keep",
        }
    )
    result = read_generic(path, source="s", config=config)
    assert result.records[0].incident.killed_max == 3
    assert result.records[0].incident.killed_min is None
    assert result.records[0].original["comment"] == "hello"


def test_unknown_column_is_an_error_unless_kept(tmp_path: Path) -> None:
    path = _csv(tmp_path, "incident_id,date,mystery\n1,2017,?\n")
    with pytest.raises(UserInputError, match="unknown column"):
        read_generic(path, source="s")
    kept = read_generic(
        path, source="s", config=IncidentSourceConfig(extra_columns="keep")
    )
    assert kept.accepted == 1


def test_bad_rows_are_quarantined_with_reasons(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        (
            "incident_id,source,date,latitude,longitude,location_precision,killed_min,killed_max\n"
            "1,s,2017-03-17,36.3,43.1,,1,2\n"  # coordinates without precision
            "2,s,2017-03-18,36.3,43.1,exact,9,3\n"  # min > max (model check)
            "3,s,not a date,,,,1,1\n"  # bad date
            "4,bad source!,2017-03-19,,,,,\n"  # invalid source name
            "5,s,2017-03-20,36.3,43.1,street,2,2\n"  # fine
            "5,s,2017-03-21,,,,2,2\n"  # duplicate key
        ),
    )
    result = read_generic(path, source="s")
    assert result.rows_in == 6 == result.accepted + result.quarantined
    assert result.accepted == 1
    reasons = {q.line: (q.field, q.reason) for q in result.quarantine}
    assert "location_precision" in reasons[2][1]
    assert "greater than" in reasons[3][1]
    assert reasons[4][0] == "date"
    assert reasons[5][0] == "source"
    assert "duplicate" in reasons[7][1]


def test_default_precision_and_date_end_before_date(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "incident_id,date,date_end,latitude,longitude\n"
        "1,2017-03-17,,36.3,43.1\n2,2017-03-17,2017-03-01,,\n",
    )
    config = IncidentSourceConfig(default_location_precision="near")
    result = read_generic(path, source="s", config=config)
    assert result.records[0].incident.location_precision == "near"
    assert "before" in result.quarantine[0].reason


def test_xlsx(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["incident_id", "date", "place", "killed"])
    sheet.append(["x", datetime.date(2017, 6, 13), "Al Shafaa, Mosul", 35])
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = read_generic(path, source="book")
    assert result.accepted == 1
    record = result.records[0]
    assert str(record.incident.date) == "2017-06-13"
    assert record.incident.killed_max == 35
    assert record.place.place_id == "IQ-mosul-al-shifa"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError):
        read_generic(tmp_path / "missing.csv", source="s")
    empty = _csv(tmp_path, "incident_id,date\n")
    with pytest.raises(UserInputError, match="no data rows"):
        read_generic(empty, source="s")
