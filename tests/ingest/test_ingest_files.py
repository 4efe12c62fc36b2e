"""Importing the messy files of tests/data/ingest (expected counts: see SOURCE.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.ingest import import_file
from undercount.project import SourceConfig
from undercount.store import Store

INGEST = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "undercount.duckdb") as s:
        yield s


# (file, rows_in, accepted, quarantined, blank lines, encoding) — from make_files.py
EXPECTED = [
    ("mixed_scripts.csv", 40, 38, 2, 0, "utf-8"),
    ("bom_utf8.csv", 25, 25, 0, 0, "utf-8-sig"),
    ("utf16.csv", 25, 25, 0, 0, "utf-16"),
    ("utf16.tsv", 25, 25, 0, 0, "utf-16"),
    ("cp1256.csv", 25, 25, 0, 0, "cp1256"),
    ("broken_quotes.csv", 11, 7, 4, 0, "utf-8"),
    ("ragged_blank.csv", 6, 4, 2, 3, "utf-8"),
    ("semicolons_duplicates.csv", 6, 4, 2, 0, "utf-8"),
    ("list.xlsx", 30, 29, 1, 0, None),
    ("list.json", 30, 29, 1, 0, "utf-8"),
    ("list.jsonl", 30, 29, 1, 0, "utf-8"),
    ("list.parquet", 30, 29, 1, 0, None),
    ("formulas.csv", 3, 3, 0, 0, "utf-8"),
]


@pytest.mark.parametrize(
    ("name", "rows_in", "accepted", "quarantined", "blank", "encoding"), EXPECTED
)
def test_counts(
    store: Store,
    name: str,
    rows_in: int,
    accepted: int,
    quarantined: int,
    blank: int,
    encoding: str | None,
) -> None:
    result = import_file(store, "src", INGEST / name)
    assert (result.rows_in, result.accepted, result.quarantined) == (
        rows_in,
        accepted,
        quarantined,
    )
    assert result.rows_in == result.accepted + result.quarantined
    assert result.blank_lines == blank
    assert result.encoding == encoding
    assert store.record_count("src") == accepted
    assert len(list(store.quarantine("src"))) == quarantined


def _records(store: Store, source: str) -> dict[str, dict[str, object]]:
    return {r["record_id"]: r for r in store.records(source).read_all().to_pylist()}


def test_encodings_give_identical_records(store: Store) -> None:
    names = ["bom_utf8.csv", "utf16.csv", "utf16.tsv", "cp1256.csv"]
    tables = []
    for i, name in enumerate(names):
        import_file(store, f"s{i}", INGEST / name)
        rows = _records(store, f"s{i}")
        tables.append(
            {k: (v["name"], v["sex"], v["date_of_death"]) for k, v in rows.items()}
        )
    assert all(t == tables[0] for t in tables)
    first = next(iter(tables[0].values()))
    assert first[1] in ("M", "F")
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(first[0]))  # Arabic survived


def test_arabic_digits_months_and_approximate_ages(store: Store) -> None:
    import_file(store, "mixed", INGEST / "mixed_scripts.csv")
    rows = _records(store, "mixed")
    # Row 1 (i=0) has Arabic-Indic digits (make_files.py: i % 3 == 0).
    one = rows["1"]
    original = json.loads(str(one["original"]))
    assert any("٠" <= ch <= "٩" for ch in original["تاريخ الوفاة"])
    assert one["date_precision"] == "day"
    assert one["age_low"] == one["age_high"]
    # Row 2 (i=1) has "آذار 2017": month precision, March.
    two = rows["2"]
    assert (two["date_of_death"], two["date_precision"]) == ("2017-03", "month")
    # Row 3 (i=2) has "حوالي N": an approximate interval.
    three = rows["3"]
    assert three["age_approx"] is True
    assert float(str(three["age_low"])) < float(str(three["age_high"]))


def test_quarantine_names_file_line_and_column(store: Store) -> None:
    import_file(store, "mixed", INGEST / "mixed_scripts.csv")
    entries = {e.line: e for e in store.quarantine("mixed")}
    assert sorted(entries) == [12, 30]
    age = entries[12]
    assert age.field == "العمر"
    assert age.reason.startswith("mixed_scripts.csv line 12: column 'العمر' (age):")
    assert age.original["العمر"] == "كبير جدا"  # the row as read, unaltered
    assert age.errors[0]["field"] == "age"
    assert "date_of_death" in entries[30].reason


def test_broken_quotes_resync_lines(store: Store) -> None:
    import_file(store, "q", INGEST / "broken_quotes.csv")
    lines = sorted(e.line for e in store.quarantine("q"))
    assert lines == [4, 7, 12, 13]
    rows = _records(store, "q")
    assert rows["8"]["notes"] == "shelling, body found later"  # NFC + single spaces
    assert rows["9"]["name"] == 'Ahmed "Abu Ali" Hassan'
    raw = {e.line: e.original for e in store.quarantine("q")}
    assert raw[4] == {"__raw__": '3,"Zainab Ahmed,F,'}


def test_ragged_rows_keep_every_cell(store: Store) -> None:
    import_file(store, "r", INGEST / "ragged_blank.csv")
    entries = {e.line: e for e in store.quarantine("r")}
    assert entries[5].original == {"record_id": "2", "name": "Omar Ali", "sex": "M"}
    assert entries[6].original["__extra__"] == ["extra", "cells"]
    assert "7 fields but the header has 5" in entries[6].reason
    assert sorted(_records(store, "r")) == ["1", "4", "5", "6"]


def test_duplicates_quarantine_later_rows(store: Store) -> None:
    import_file(store, "d", INGEST / "semicolons_duplicates.csv")
    entries = {e.line: e.reason for e in store.quarantine("d")}
    assert "first used on line 3" in entries[5]
    assert "first used on line 2" in entries[7]
    assert _records(store, "d")["1"]["name"] == "Ali"  # the first one is kept


def test_typed_formats_agree(store: Store) -> None:
    seen = []
    for i, name in enumerate(["list.xlsx", "list.json", "list.jsonl", "list.parquet"]):
        import_file(store, f"t{i}", INGEST / name)
        rows = _records(store, f"t{i}")
        seen.append(
            {
                k: (v["name"], v["sex"], v["age_low"], v["date_of_death"])
                for k, v in rows.items()
            }
        )
    assert all(s == seen[0] for s in seen)
    assert seen[0]["9"][1] == "unknown"  # "?" is an unknown marker, not an error


def test_lines_per_format(store: Store) -> None:
    # The bad row is the 5th data row: XLSX sheet row 6 (header row 1), Parquet row
    # 5, JSON Lines line 5, pretty-printed JSON array: the object starts on line 34.
    expected = {"list.xlsx": 6, "list.parquet": 5, "list.jsonl": 5, "list.json": 34}
    for i, (name, line) in enumerate(expected.items()):
        import_file(store, f"f{i}", INGEST / name)
        (entry,) = store.quarantine(f"f{i}")
        assert entry.line == line, name


def test_unknown_columns_error_then_mapping(store: Store) -> None:
    path = INGEST / "needs_mapping.csv"
    with pytest.raises(UserInputError, match="unknown column") as info:
        import_file(store, "m", path)
    assert "'رقم الجثة'" in str(info.value)
    assert "\n" not in str(info.value)
    config = SourceConfig(
        columns={"رقم الجثة": "record_id", "العمر التقريبي": "age", "المحلة": "keep"}
    )
    result = import_file(store, "m", path, config)
    assert (result.rows_in, result.accepted) == (4, 4)
    rows = _records(store, "m")
    assert rows["M-3"]["name"] is None  # "مجهول الهوية": unidentified, not a name
    assert rows["M-4"]["age_high"] is not None  # "child" is an age interval
    assert json.loads(str(rows["M-1"]["original"]))["المحلة"] == "الزنجيلي"


def test_extra_columns_keep(store: Store) -> None:
    config = SourceConfig(
        columns={"رقم الجثة": "record_id", "العمر التقريبي": "age"},
        extra_columns="keep",
    )
    result = import_file(store, "k", INGEST / "needs_mapping.csv", config)
    assert result.columns["المحلة"] == "keep"
