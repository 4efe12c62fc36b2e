"""Source, VictimRecord (incl. from_raw's collated errors), Incident, Acknowledgment."""

from __future__ import annotations

import datetime
import math
import pickle

import pytest
from pydantic import ValidationError

from undercount.errors import UserInputError
from undercount.model import (
    VICTIM_COLUMNS,
    Acknowledgment,
    AgeRange,
    Incident,
    PartialDate,
    RecordValidationError,
    Sex,
    Source,
    VictimRecord,
    make_source_name,
    parse_text,
)

SHA = "ab" * 32


# ---------------------------------------------------------------------- Source
def test_source_fields_and_label() -> None:
    source = Source(
        name="iraq_body_count",
        title="Iraq Body Count, Mosul 2016-17",
        organisation="IBC",
        language="en",
        script="Latn",
    )
    assert source.kind == "victim_list" and source.label.startswith("Iraq")
    assert Source(name="morgue.2017-v2").label == "morgue.2017-v2"
    assert Source(name="مشرحة_نينوى").name == "مشرحة_نينوى"  # Arabic file stems


@pytest.mark.parametrize("name", ["", "a b", "_x", "-x", "x/y", "a" * 65, "x;drop"])
def test_source_name_rejected(name: str) -> None:
    with pytest.raises(ValidationError):
        Source(name=name)


def test_source_other_validation() -> None:
    with pytest.raises(ValidationError):
        Source(name="x", kind="rumours")
    with pytest.raises(ValidationError):
        Source(name="x", language="Arabic!")
    with pytest.raises(ValidationError):
        Source(name="x", script="arabic")
    with pytest.raises(ValidationError):
        Source(name="x", unexpected=1)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Source(name="x").name = "y"  # type: ignore[misc]


def test_make_source_name() -> None:
    assert make_source_name("IBC Mosul (2017)") == "IBC_Mosul_2017"
    assert make_source_name("  morgue list.v2 ") == "morgue_list.v2"
    assert make_source_name("قائمة الموصل") == "قائمة_الموصل"
    with pytest.raises(ValueError):
        make_source_name(" () ")


def test_parse_text() -> None:
    assert parse_text("  أحمد   محمد ") == "أحمد محمد"
    assert parse_text("e\u0301") == "é"  # NFC
    for blank in (
        None,
        "",
        "  ",
        "-",
        "unknown",
        "غير معروف",
        "مجهول الهوية",
        math.nan,
    ):
        assert parse_text(blank) is None
    assert parse_text(17.0) == "17" and parse_text(17) == "17"


# ---------------------------------------------------------------- VictimRecord
ROW = {
    "record_id": " M-0017 ",
    "name": "أحمد  محمد علي",
    "sex": "ذكر",
    "age": "حوالي ٣٠",
    "birth_year": "",
    "date_of_death": "١٧ آذار ٢٠١٧",
    "place_of_death": "الموصل القديمة",
    "incident_id": None,
    "perpetrator": "unknown",
    "notes": "شهادة الجيران",
}


def test_from_raw_parses_every_column() -> None:
    record = VictimRecord.from_raw("morgue", ROW)
    assert record.source == "morgue" and record.record_id == "M-0017"
    assert record.name == "أحمد محمد علي"
    assert record.sex is Sex.MALE
    assert record.age == AgeRange(27.0, 33.0, True, "حوالي ٣٠")
    assert record.birth_year is None
    assert record.date_of_death == PartialDate(2017, 3, 17)
    assert record.perpetrator is None  # "unknown" stays unknown
    assert record.incident_id is None
    assert record.full_name() == "أحمد محمد علي" and record.has_name


def test_from_raw_equals_validated_model() -> None:
    record = VictimRecord.from_raw("morgue", ROW)
    assert VictimRecord.model_validate(record.model_dump()) == record
    assert VictimRecord.model_validate_json(record.model_dump_json()) == record
    assert record.model_dump(mode="json")["date_of_death"] == "2017-03-17"
    assert record.model_dump(mode="json")["sex"] == "M"


def test_from_raw_minimal_row_keeps_unknowns() -> None:
    record = VictimRecord.from_raw("ngo", {"record_id": "7"})
    assert record.sex is Sex.UNKNOWN and record.age is None
    assert record.date_of_death is None and not record.has_name
    assert record.full_name() is None and record.age_range() is None


def test_from_raw_typed_cells() -> None:
    record = VictimRecord.from_raw(
        "xlsx_list",
        {"record_id": 17.0, "age": 34.0, "birth_year": 1983.0,
         "date_of_death": datetime.datetime(2017, 3, 17), "name": math.nan},
    )  # fmt: skip
    assert record.record_id == "17" and record.birth_year == 1983
    assert record.age == AgeRange(34.0, 34.0, False, "34") and record.name is None
    assert record.date_of_death == PartialDate(2017, 3, 17)


def test_from_raw_dayfirst() -> None:
    row = {"record_id": "1", "date_of_death": "03/04/2017"}
    assert VictimRecord.from_raw("x", row).date_of_death == PartialDate(2017, 4, 3)
    us = VictimRecord.from_raw("x", row, dayfirst=False)
    assert us.date_of_death == PartialDate(2017, 3, 4)


def test_from_raw_collates_every_failing_field() -> None:
    row = {
        "record_id": "  ",
        "name": "Fatima",
        "sex": "yes",
        "age": "-4",
        "birth_year": "85",
        "date_of_death": "17/03/17",
        "colour": "blue",
    }
    with pytest.raises(RecordValidationError) as info:
        VictimRecord.from_raw("bad source!", row)
    fields = [field for field, _ in info.value.field_errors]
    assert fields == [
        "source", "record_id", "sex", "age", "birth_year", "date_of_death", "colour"
    ]  # fmt: skip
    reasons = dict(info.value.field_errors)
    assert "two-digit" in reasons["date_of_death"]
    assert "'yes'" in reasons["sex"]
    assert "negative" in reasons["age"]
    assert "6 invalid" not in str(info.value) and "7 invalid field(s)" in str(
        info.value
    )
    assert isinstance(info.value, ValueError) and isinstance(info.value, UserInputError)
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.field_errors == info.value.field_errors


def test_from_raw_ignore_extra_and_cross_field() -> None:
    row = {"record_id": "1", "colour": "blue"}
    assert VictimRecord.from_raw("x", row, ignore_extra=True).record_id == "1"
    with pytest.raises(RecordValidationError) as info:
        VictimRecord.from_raw(
            "x", {"record_id": "9", "birth_year": "2018", "date_of_death": "2017-05"}
        )
    assert info.value.field_errors[0][0] == "birth_year"
    assert info.value.record_id == "9" and "record '9'" in str(info.value)


def test_direct_construction_runs_parsers_and_checks() -> None:
    record = VictimRecord(
        source="x",
        record_id="1",
        sex="female",
        age="30s",
        date_of_death="آذار 2017",
        birth_year="1980",
        name="",
    )
    assert record.sex is Sex.FEMALE and record.age == AgeRange(30.0, 39.0, False, "30s")
    assert record.date_of_death == PartialDate(2017, 3) and record.name is None
    assert record.age_range() == record.age
    assert (
        VictimRecord(source="x", record_id="1", age="", date_of_death="?").age is None
    )
    for bad in (
        {"record_id": ""},
        {"record_id": "1", "birth_year": 2020, "date_of_death": "2017"},
        {"record_id": "1", "birth_year": 1700},
        {"record_id": "1", "sex": "x?"},
        {"record_id": "1", "shoe_size": 9},
    ):
        with pytest.raises(ValidationError):
            VictimRecord(source="x", **bad)


def test_age_range_from_birth_year() -> None:
    record = VictimRecord(
        source="x", record_id="1", birth_year=1980, date_of_death=PartialDate(2017, 3)
    )
    assert record.age_range() == AgeRange(36.0, 37.0, False, "born 1980")
    parts = VictimRecord(
        source="x", record_id="2", given_name="Ali", family_name="Hasan"
    )
    assert parts.full_name() == "Ali Hasan"


def test_columns_match_the_model() -> None:
    assert set(VICTIM_COLUMNS) | {"source"} == set(VictimRecord.model_fields)
    schema = VictimRecord.model_json_schema()
    assert set(schema["properties"]) == set(VictimRecord.model_fields)


# -------------------------------------------------------------------- Incident
def test_incident_valid() -> None:
    incident = Incident(
        source="airwaves",
        incident_id="CI-1234",
        date="17 آذار 2017",
        place="al-Jadida, west Mosul",
        latitude=36.35,
        longitude=43.11,
        location_precision="near",
        belligerents=["Coalition", "Iraqi Security Forces"],
        weapon="airstrike",
        killed_min=105,
        killed_max=278,
        children_killed=20,
        women_killed=30,
        source_refs=["https://example.org/report"],
        document_sha256=SHA.upper(),
    )
    assert incident.date == PartialDate(2017, 3, 17)
    assert incident.belligerents == ("Coalition", "Iraqi Security Forces")
    assert incident.document_sha256 == SHA
    assert incident.killed_range == (105, 278)
    assert Incident(source="a", incident_id="1", killed_max=4).killed_range == (4, 4)
    dumped = incident.model_dump(mode="json")
    assert Incident.model_validate(dumped) == incident
    assert isinstance(hash(incident), int)


@pytest.mark.parametrize(
    "bad",
    [
        {"killed_min": 10, "killed_max": 5},
        {"injured_min": 3, "injured_max": 1},
        {"killed_min": -1},
        {"latitude": 36.3},
        {"latitude": 36.3, "longitude": 43.1},  # no location_precision
        {"latitude": 91, "longitude": 43.1, "location_precision": "exact"},
        {"killed_max": 5, "children_killed": 6},
        {"killed_max": 5, "children_killed": 3, "women_killed": 3},
        {"document_sha256": "abc"},
        {"location_precision": "street"},
        {"belligerents": ["", "ISIS"]},
        {"incident_id": " "},
        {"casualties": 3},
    ],
)
def test_incident_invalid(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Incident(source="airwaves", **{"incident_id": "1", **bad})


# -------------------------------------------------------------- Acknowledgment
def test_acknowledgment_period_and_incident() -> None:
    ack = Acknowledgment(
        belligerent="CJTF-OIR",
        period_start="2016-10",
        period_end="2017-07",
        deaths_acknowledged=326,
        document="CJTF-OIR monthly civilian casualty report",
    )
    assert ack.covers(PartialDate(2017, 3, 17)) is True
    assert ack.covers(PartialDate(2018)) is False
    assert ack.covers(PartialDate(2017)) is None  # straddles the end
    single = Acknowledgment(
        belligerent="CJTF-OIR", incident_id="CI-1234", deaths_acknowledged=105,
        document="al-Jadida investigation", document_sha256=SHA,
    )  # fmt: skip
    assert single.covers(PartialDate(2017)) is None
    assert Acknowledgment.model_validate_json(ack.model_dump_json()) == ack


@pytest.mark.parametrize(
    "bad",
    [
        {"period_start": "2017"},
        {},
        {"period_start": "2018", "period_end": "2017"},
        {"incident_id": "1", "deaths_acknowledged": -1},
        {"incident_id": "1", "document": " "},
        {"incident_id": "1", "belligerent": ""},
    ],
)
def test_acknowledgment_invalid(bad: dict[str, object]) -> None:
    base: dict[str, object] = {
        "belligerent": "X",
        "deaths_acknowledged": 1,
        "document": "statement",
    }
    with pytest.raises(ValidationError):
        Acknowledgment(**{**base, **bad})


def test_counts_and_coordinates_read_from_text() -> None:
    incident = Incident(
        source="acled",
        incident_id="IRQ1",
        killed_min="١٢",
        killed_max="1,234",
        injured_max=5.0,
        injured_min="",
        latitude="٣٦٫٣٥",
        longitude="43.1",
        location_precision="district",
    )
    assert (incident.killed_min, incident.killed_max) == (12, 1234)
    assert (incident.injured_min, incident.injured_max) == (None, 5)
    assert (incident.latitude, incident.longitude) == (36.35, 43.1)
    for bad in ("1.5", "-3", "abc", True):
        with pytest.raises(ValidationError):
            Incident(source="a", incident_id="1", killed_min=bad)
    ack = Acknowledgment(
        belligerent="X", incident_id="1", deaths_acknowledged="٣٢٦", document="d"
    )
    assert ack.deaths_acknowledged == 326
    with pytest.raises(ValidationError):
        Acknowledgment(belligerent="X", incident_id="1", document="d")  # type: ignore[call-arg]


@pytest.mark.parametrize("model", [Source, VictimRecord, Incident, Acknowledgment])
def test_json_schemas_build(model: type) -> None:
    """The web service publishes these schemas in /openapi.json."""
    schema = model.model_json_schema()  # type: ignore[attr-defined]
    assert schema["type"] == "object" and schema["additionalProperties"] is False
