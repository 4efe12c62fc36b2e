"""Every file in tests/data/bad: a clean one-line error or no row lost; no crash."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.ingest import import_file
from undercount.project import init_project
from undercount.store import Store

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
FILES = sorted(p for p in BAD.iterdir() if p.is_file())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "undercount.duckdb") as s:
        yield s


def _check(store: Store, path: Path) -> None:
    before = store.backend.fetchall("SELECT count(*) FROM records")[0][0]
    try:
        result = import_file(store, "bad", path)
    except UserInputError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        after = store.backend.fetchall("SELECT count(*) FROM records")[0][0]
        assert after == before  # nothing partial
        return
    assert result.rows_in == result.accepted + result.quarantined
    stored = store.backend.fetchall(
        "SELECT count(*) FROM records WHERE import_id = ?", [result.import_id]
    )[0][0]
    quarantined = store.backend.fetchall(
        "SELECT count(*) FROM quarantine WHERE import_id = ?", [result.import_id]
    )[0][0]
    assert (stored, quarantined) == (result.accepted, result.quarantined)


def test_there_are_many_bad_files() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bad_file_never_crashes(store: Store, path: Path) -> None:
    _check(store, path)


def test_huge_field(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge_field.csv"
    path.write_text(
        "record_id,name,notes\n1,Ali," + "x" * (3 << 20) + "\n2,Omar,ok\n",
        encoding="utf-8",
    )
    result = import_file(store, "huge", path)
    assert (result.rows_in, result.accepted, result.quarantined) == (2, 1, 1)
    (entry,) = store.quarantine("huge")
    assert entry.line == 2 and "field larger than field limit" in entry.reason


@pytest.mark.parametrize(
    "name", ["binary_garbage.csv", "empty.csv", "truncated.xlsx", "invalid.json"]
)
def test_cli_error_is_one_line(tmp_path: Path, name: str) -> None:
    init_project(tmp_path / "p")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "undercount",
            "import",
            "bad",
            str(BAD / name),
            "--json",
            "--project",
            str(tmp_path / "p"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    assert "Traceback" not in run.stderr


def test_cli_json_on_partly_bad_file(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "undercount",
            "import",
            "bad",
            str(BAD / "jsonl_garbage.jsonl"),
            "--json",
            "--project",
            str(tmp_path / "p"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(run.stdout)
    assert (payload["rows_in"], payload["accepted"], payload["quarantined"]) == (
        4,
        2,
        2,
    )
