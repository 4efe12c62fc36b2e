"""End-to-end CLI: init, import --json, status, quarantine, export, demo, errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from undercount.cli import main

INGEST = Path(__file__).resolve().parents[1] / "data" / "ingest"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``undercount ARGS`` in-process through the real entry point."""
    old = sys.argv
    sys.argv = ["undercount", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = cli(capsys, "init", str(tmp_path / "proj"))
    assert code == 0 and "Created project" in out
    return tmp_path / "proj"


def test_init_writes_config_and_store(project: Path) -> None:
    text = (project / "undercount.toml").read_text(encoding="utf-8")
    assert "[project]" in text and "# [sources.morgue]" in text
    assert (project / "undercount.duckdb").is_file()


def test_init_refuses_existing_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "init", str(project))
    assert code != 0 and err.startswith("error: ") and "already holds a project" in err


def test_import_json_contract(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "import", "mixed", str(INGEST / "mixed_scripts.csv"), "--json",
        "--project", str(project),
    )  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)  # exactly one JSON object on stdout
    assert {"source", "file_sha256", "rows_in", "accepted", "quarantined"} <= set(
        payload
    )
    assert payload["rows_in"] == payload["accepted"] + payload["quarantined"] == 40
    assert payload["status"] == "imported" and len(payload["file_sha256"]) == 64
    code, out, _ = cli(
        capsys, "import", "mixed", str(INGEST / "mixed_scripts.csv"), "--json",
        "--project", str(project),
    )  # fmt: skip
    assert json.loads(out)["status"] == "unchanged"


def test_human_output_and_status(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        capsys, "import", "ragged", str(INGEST / "ragged_blank.csv"), "-p", str(project)
    )
    assert code == 0
    assert "rows in" in out and "quarantined" in out and "blank lines" in out
    code, out, _ = cli(capsys, "status", "--json", "-p", str(project))
    (source,) = json.loads(out)["sources"]
    assert (source["source"], source["records"], source["quarantined"]) == (
        "ragged",
        4,
        2,
    )
    code, out, _ = cli(capsys, "status", "-p", str(project))
    assert "ragged" in out and "ragged_blank.csv" in out


def test_quarantine_list_and_export(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "import", "q", str(INGEST / "broken_quotes.csv"), "-p", str(project))
    code, out, _ = cli(capsys, "quarantine", "list", "-p", str(project))
    assert code == 0 and "broken_quotes.csv line 4" in out
    code, out, _ = cli(capsys, "quarantine", "list", "--json", "-p", str(project))
    assert json.loads(out)["total"] == 4
    target = tmp_path / "q.csv"
    code, _, _ = cli(
        capsys, "quarantine", "export", "--out", str(target), "-p", str(project)
    )
    assert code == 0
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["line"]) for r in rows] == [4, 7, 12, 13]
    assert json.loads(rows[0]["original"]) == {"__raw__": '3,"Zainab Ahmed,F,'}


def test_export_escapes_formulas(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "import", "f", str(INGEST / "formulas.csv"), "-p", str(project))
    target = tmp_path / "out.csv"
    code, out, _ = cli(capsys, "export", "--out", str(target), "-p", str(project))
    assert code == 0 and "wrote 3 records" in out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheets
    with target.open(encoding="utf-8-sig") as fh:
        rows = {r["record_id"]: r for r in csv.DictReader(fh)}
    assert rows["1"]["name"] == '\'=HYPERLINK("http://x")'
    assert rows["1"]["place_of_death"] == "'@SUM(A1)"
    assert rows["1"]["notes"] == "-3"  # a plain number is not a formula
    assert rows["2"]["name"] == "'+Ali"
    assert rows["2"]["place_of_death"] == "'-2+3"
    assert rows["2"]["notes"] == "+964"
    for row in rows.values():
        for value in row.values():
            risky = value[:1] in ("=", "+", "-", "@", "\t", "\r")
            number = value.lstrip("+-").replace(".", "").isdigit()
            assert not risky or number, value


def test_export_parquet_is_not_escaped(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, "import", "f", str(INGEST / "formulas.csv"), "-p", str(project))
    target = tmp_path / "out.parquet"
    code, _, _ = cli(
        capsys, "export", "--out", str(target), "--original", "-p", str(project)
    )
    assert code == 0
    table = pq.read_table(target)
    assert '=HYPERLINK("http://x")' in table.column("name").to_pylist()
    assert "original" in table.column_names


def test_export_unknown_extension_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "export", "--out", "x.xls", "-p", str(project))
    assert code != 0 and err.startswith("error: ") and "'.csv' or '.parquet'" in err


def test_no_project_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "status")
    assert code != 0 and "undercount init" in err and err.count("\n") == 1


def test_project_found_from_cwd(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "lists").mkdir()
    monkeypatch.chdir(project / "lists")
    code, out, _ = cli(capsys, "status")
    assert code == 0 and "No sources yet" in out


def test_configured_source_file_and_mapping(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "undercount.toml").write_text(
        f"""
[sources.morgue]
file = "{(INGEST / "needs_mapping.csv").as_posix()}"
extra_columns = "keep"
[sources.morgue.columns]
"رقم الجثة" = "record_id"
"العمر التقريبي" = "age"
""",
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "import", "morgue", "--json", "-p", str(project))
    assert code == 0, err
    assert json.loads(out)["accepted"] == 4


@pytest.mark.parametrize(
    "command",
    [
        ["init"], ["import"], ["status"], ["export"],
        ["quarantine", "list"], ["quarantine", "export"],
    ],
)  # fmt: skip
def test_help_has_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, *command, "--help")
    assert code == 0 and "Example" in out and "undercount" in out


def test_bundled_demo_lists_import(tmp_path: Path) -> None:
    """The SIMULATED demo lists import with their planted dirty rows quarantined."""
    from importlib import resources

    from undercount.ingest import import_file
    from undercount.store import Store

    data = resources.files("undercount.data.demo")
    # Planted dirty rows: src/undercount/data/demo/SOURCE.md.
    planted = {"morgue.csv": 3, "hospital.csv": 2, "ngo.csv": 2, "media.jsonl": 2}
    with Store.create(tmp_path / "undercount.duckdb") as store:
        for name, dirty in planted.items():
            with resources.as_file(data / name) as path:
                result = import_file(store, Path(name).stem, path)
            assert result.quarantined == dirty, name
            assert result.rows_in == result.accepted + result.quarantined


def test_subprocess_entry_point(tmp_path: Path) -> None:
    """The real console entry: exit codes and stdout/stderr separation."""
    run = subprocess.run(
        [sys.executable, "-m", "undercount", "init", str(tmp_path / "p")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "undercount", "import", "utf16",
         str(INGEST / "utf16.csv"), "--json", "--project", str(tmp_path / "p")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    payload = json.loads(run.stdout)
    assert (payload["rows_in"], payload["encoding"]) == (25, "utf-16")
    assert run.stderr == ""  # no progress bar when not a terminal


def test_progress_bar_appears_only_after_the_delay() -> None:
    from undercount._commands.project import _ProgressBar

    quiet = _ProgressBar("importing", delay=3600)
    quiet(10, 100, 1000)
    assert quiet._progress is None  # a fast import shows nothing
    shown = _ProgressBar("importing", delay=0)
    shown(10, 100, 1000)
    shown(100, 100, 10_000)
    assert shown._progress is not None
    task = shown._progress.tasks[0]
    assert (task.completed, task.total, task.fields["rows"]) == (100, 100, 10_000)
    shown.close()
