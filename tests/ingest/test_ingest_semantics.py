"""The importer agrees with the model, and maps headers as documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from undercount.errors import UserInputError
from undercount.ingest import import_file, lookup_alias, resolve_columns
from undercount.ingest._fields import clean_text_array, parse_text_array
from undercount.model import RecordValidationError, VictimRecord, parse_text
from undercount.store import Store

INGEST = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "undercount.duckdb") as s:
        yield s


@pytest.mark.parametrize(
    "name",
    ["mixed_scripts.csv", "cp1256.csv", "list.xlsx", "list.json", "ragged_blank.csv"],
)
def test_accepts_exactly_what_from_raw_accepts(store: Store, name: str) -> None:
    """Row by row, the bulk importer and VictimRecord.from_raw agree."""
    result = import_file(store, "s", INGEST / name)
    mapping = result.columns
    accepted = {r["line"]: r for r in store.records("s").read_all().to_pylist()}
    refused = {e.line for e in store.quarantine("s") if e.field != "(row)"}
    for line, row in accepted.items():
        original = json.loads(row["original"])
        raw = {mapping[k]: v for k, v in original.items() if mapping.get(k) != "keep"}
        record = VictimRecord.from_raw("s", raw)
        assert record.record_id == row["record_id"]
        assert record.sex.value == row["sex"]
        assert (record.name or None) == row["name"]
        iso = record.date_of_death.iso() if record.date_of_death else None
        assert iso == row["date_of_death"]
        low = record.age.low if record.age else None
        assert low == row["age_low"], line
    for entry in store.quarantine("s"):
        if entry.line in refused and "duplicate" not in entry.reason:
            raw = {mapping[k]: v for k, v in entry.original.items()}
            with pytest.raises(RecordValidationError):
                VictimRecord.from_raw("s", raw)


_SPECIAL = [
    "غير معروف",
    "مجهول الهوية",
    "UNKNOWN",
    " n/a ",
    "-",
    "محمد علي",
    "Ali  Hassan",
    "غـير معروف",
    "مَجْهُول",
    "no name",
    "?",
    "\u00a0",
    "x\u200bunknown",
]
_TEXT = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(_SPECIAL),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=40))
def test_parse_text_array_equals_parse_text(values: list[str | None]) -> None:
    got = parse_text_array(pa.array(values, pa.string())).to_pylist()
    assert got == [parse_text(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=40))
def test_record_id_cleaning_equals_the_model(values: list[str | None]) -> None:
    got = clean_text_array(pa.array(values, pa.string())).to_pylist()
    for value, cleaned in zip(values, got, strict=True):
        try:
            expected = VictimRecord.from_raw("s", {"record_id": value}).record_id
        except RecordValidationError:
            expected = None
        assert cleaned == expected


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Date of Death", "date_of_death"),
        ("DATE-OF-DEATH", "date_of_death"),
        ("تاريخ الوفاه", "date_of_death"),
        ("الاسم", "name"),
        ("  Full Name ", "name"),
        ("الجنس", "sex"),
        ("العمـر", "age"),
        ("مكان الوفاة", "place_of_death"),
        ("No.", "record_id"),
        ("#", "record_id"),
        ("Gender", "sex"),
        ("اسم الأب", "father_name"),
        ("Sexe", None),
        ("district", None),
    ],
)
def test_aliases(header: str, field: str | None) -> None:
    assert lookup_alias(header) == field


def test_mapping_errors_are_one_line_and_list_columns() -> None:
    with pytest.raises(UserInputError) as info:
        resolve_columns(["id", "sex"], {}, extra_columns="error", source="s", where="f")
    assert "missing required column(s): a name column" in str(info.value)
    assert "columns found: 'id', 'sex'" in str(info.value)
    with pytest.raises(UserInputError, match="both look like 'name'"):
        resolve_columns(
            ["id", "name", "Full Name"],
            {},
            extra_columns="error",
            source="s",
            where="f",
        )
    with pytest.raises(UserInputError, match="has no such column"):
        resolve_columns(
            ["id", "name"],
            {"Nom": "name"},
            extra_columns="error",
            source="s",
            where="f",
        )


def test_configured_mapping_beats_aliases() -> None:
    columns = resolve_columns(
        ["id", "name", "nickname"],
        {"nickname": "name", "name": "keep"},
        extra_columns="error",
        source="s",
        where="f",
    )
    assert columns.fields == {"name": 2, "record_id": 0}
    assert columns.kept == [1]
