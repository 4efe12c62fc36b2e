"""Readers: CSV fast/careful paths agree, chunking does not matter, encodings, JSON."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import undercount.ingest._csv as csv_module
from undercount.errors import UserInputError
from undercount.ingest import detect_encoding, open_reader
from undercount.ingest._csv import CsvReader, sniff_delimiter


def _read(path: Path, *, fast: bool = True) -> tuple[object, ...]:
    reader = CsvReader(path, encoding="utf-8", delimiter=None, file_format="csv")
    if not fast:
        reader._fast = lambda lines, batch: False  # type: ignore[method-assign]
    reader.set_multiline_forbidden(frozenset({0, 1}))
    rows: list[tuple[int, tuple[object, ...]]] = []
    problems: list[tuple[int, str]] = []
    blank = 0
    for batch in reader.batches(3):
        columns, lines = batch.columns(len(reader.header))
        values = [c.to_pylist() for c in columns]
        rows += list(zip(lines, zip(*values, strict=True), strict=True))
        problems += [(p.line, repr(p.original)) for p in batch.problems]
        blank += batch.blank_lines
    reader.close()
    return tuple(reader.header), sorted(rows), sorted(problems), blank


_PIECES = [
    "1,a,b", '2,"q,r",s', "", ",,", "3,x", "4,y,z,", '5,"open,q',
    '6,"multi\nline",t', '7,a"b,c', "8,d,e,f", " , ,", "9,\u00a0,x", '10,"",""',
    "11,علي,ذكر", "12,\t,\t",
]  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(st.sampled_from(_PIECES), max_size=25),
    eol=st.sampled_from(["\n", "\r\n"]),
    final_eol=st.booleans(),
    chunk=st.sampled_from([1, 3, 8, 40, 1 << 18]),
)
def test_fast_and_careful_paths_agree_for_any_chunking(
    tmp_path: Path, lines: list[str], eol: str, final_eol: bool, chunk: int
) -> None:
    path = tmp_path / "r.csv"
    text = eol.join(["id,name,notes", *lines]) + (eol if final_eol else "")
    path.write_text(text, encoding="utf-8", newline="")
    old_chunk, old_max = csv_module.CHUNK_CHARS, csv_module.MAX_RECORD_LINES
    try:
        csv_module.MAX_RECORD_LINES = 4
        csv_module.CHUNK_CHARS = 1 << 18
        reference = _read(path, fast=False)
        csv_module.CHUNK_CHARS = chunk
        assert _read(path) == reference
    finally:
        csv_module.CHUNK_CHARS, csv_module.MAX_RECORD_LINES = old_chunk, old_max


def test_every_row_is_accounted_for(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = [rng.choice(_PIECES) for _ in range(2000)]
    path = tmp_path / "r.csv"
    path.write_text("\n".join(["id,name,notes", *lines]) + "\n", encoding="utf-8")
    _header, rows, problems, blank = _read(path)
    physical = 1 + sum(1 + line.count("\n") for line in lines)
    # Every physical line is the start of a row, a problem, blank, the header,
    # or a continuation line of a multi-line record.
    starts = {line for line, _ in rows} | {line for line, _ in problems}  # type: ignore[misc]
    assert len(starts) == len(rows) + len(problems)  # type: ignore[arg-type]
    assert len(starts) + blank + 1 <= physical


def test_fast_path_is_used_for_clean_chunks(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    body = "".join(f"{i},name {i},note\n" for i in range(5000))
    path.write_text("id,name,notes\n" + body, encoding="utf-8")
    reader = CsvReader(path, encoding="utf-8", delimiter=None, file_format="csv")
    total = sum(batch.n_rows for batch in reader.batches(1000))
    assert total == 5000 and reader.fast_rows > 4000


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"a;b",c', ","), ("abc", ",")],
)
def test_sniff_delimiter(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("علي,حسن".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "علي".encode(), "utf-8-sig"),
        ("علي,حسن\n".encode("utf-16"), "utf-16"),
        ("id,name\n1,Ali\n".encode("utf-16-le"), "utf-16-le"),
        ("id,name\n1,Ali\n".encode("utf-16-be"), "utf-16-be"),
        ("الرقم,الاسم\n1,علي حسن\n2,فاطمة\n".encode("cp1256"), "cp1256"),
        (b"id,name\n1,Ali\n", "utf-8"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data, at_eof=True, where="x").encoding == encoding


def test_utf8_cut_mid_character_is_still_utf8() -> None:
    data = ("x" * 10 + "علي").encode()[:-1]
    assert detect_encoding(data, at_eof=False, where="x").encoding == "utf-8"


def test_binary_is_refused() -> None:
    with pytest.raises(UserInputError, match="does not look like a text file"):
        detect_encoding(bytes(range(32)) * 20, at_eof=True, where="x")


def test_configured_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("record_id,name\n1,José\n".encode("latin-1"))
    reader = open_reader(path, encoding="latin-1")
    assert reader.encoding == "latin-1"
    (batch,) = list(reader.batches(10))
    columns, _ = batch.columns(2)
    assert columns[1].to_pylist() == ["José"]


def test_undecodable_bytes_after_the_sample_quarantine_the_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "late.csv"
    head = "record_id,name\n" + "".join(f"{i},n{i}\n" for i in range(150_000))
    path.write_bytes(head.encode() + b"999,caf\xe9\n1000,ok\n")
    reader = open_reader(path)
    assert reader.encoding == "utf-8"
    problems = [p for b in reader.batches(50_000) for p in b.problems]
    assert [p.line for p in problems] == [150_002]
    assert problems[0].original["name"] == "caf\\xe9"


def test_json_array_streams_and_reports_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        '[\n {"record_id": 1, "name": "A"},\n {"record_id": 2, "name": null,'
        ' "extra": true},\n 5\n]\n',
        encoding="utf-8",
    )
    reader = open_reader(path)
    assert reader.header == ["record_id", "name", "extra"]
    (batch,) = list(reader.batches(10))
    columns, lines = batch.columns(3)
    assert lines == [2, 3]
    assert columns[0].to_pylist() == ["1", "2"]
    assert columns[1].to_pylist() == ["A", None]
    assert columns[2].to_pylist() == [None, "true"]
    assert [p.line for p in batch.problems] == [4]
