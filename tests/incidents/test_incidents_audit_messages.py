"""Messages named in the audit of issue #7: every hint names an option that exists,
and a blank acknowledgment cell gives rule + value + fix, not pydantic's text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from undercount.errors import UserInputError
from undercount.estimate.two_list import two_list_counts
from undercount.incidents import read_acknowledgments
from undercount.model import CaptureTable

ACK_HEADER = "ack_id,belligerent,period_start,period_end,deaths_acknowledged,document"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "undercount", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_blank_belligerent_plain_reason(tmp_path: Path) -> None:
    path = tmp_path / "acks.csv"
    path.write_text(
        f"{ACK_HEADER}\n"
        "a1,,2017-03,2017-03,4,https://example.org/a\n"
        "a2,CJTF-OIR,2017-03,2017-03,4,\n"
        "a3,CJTF-OIR,2017-03,2017-03,4,https://example.org/c\n"
    )
    imp = read_acknowledgments(path, file_sha256="x")
    assert [r.ack_id for r in imp.records] == ["a3"]
    first, second = imp.quarantine
    assert (first.file, first.line, first.field) == ("acks.csv", 2, "belligerent")
    assert "needs the belligerent that made it, got ''" in first.reason
    assert "fill in who acknowledged" in first.reason
    assert "Value should have" not in first.reason + second.reason
    assert (second.line, second.field) == (3, "document")
    assert "needs the document it comes from" in second.reason


def test_ack_unknown_column_hint_names_real_option(tmp_path: Path) -> None:
    path = tmp_path / "acks.csv"
    path.write_text(f"{ACK_HEADER},bogus\na1,CJTF-OIR,2017-03,2017-03,4,doc,1\n")
    with pytest.raises(UserInputError) as info:
        read_acknowledgments(path, file_sha256="x")
    text = str(info.value)
    assert "'bogus'" in text and "acks.csv" in text
    assert "--extra-columns keep" in text
    assert "[incidents.acknowledgments" not in text
    kept = read_acknowledgments(path, file_sha256="x", extra_columns="keep")
    assert kept.records[0].original["bogus"] == "1"


def test_incidents_import_extra_columns_option(tmp_path: Path) -> None:
    assert cli("init", "p", cwd=tmp_path).returncode == 0
    project = tmp_path / "p"
    (project / "inc.csv").write_text(
        "incident_id,date,place,killed,weird\nx1,2017-03-17,Mosul,4,1\n"
    )
    done = cli("incidents", "import", "air", "inc.csv", "-f", "generic", cwd=project)
    assert done.returncode == 2
    assert "'weird'" in done.stderr and "--extra-columns keep" in done.stderr
    done = cli(
        "incidents", "import", "air", "inc.csv", "-f", "generic", "--json",
        "--extra-columns", "keep", cwd=project,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["accepted"] == 1
    done = cli(
        "incidents", "import", "air", "inc.csv", "--extra-columns", "drop",
        cwd=project,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--extra-columns must be 'keep' or 'error', got 'drop'" in done.stderr


def test_two_list_hint_has_no_missing_cli_option() -> None:
    table = CaptureTable.from_frame(
        pd.DataFrame(
            {
                "A": [1, 0, 1, 0],
                "B": [0, 1, 1, 0],
                "C": [0, 0, 0, 1],
                "count": [5, 4, 2, 3],
            }
        ),
        count_column="count",
    )
    with pytest.raises(UserInputError) as info:
        two_list_counts(table)
    text = str(info.value)
    assert "pass lists=(A, B) to use" not in text
    assert 'in Python pass lists=("A", "B")' in text
    assert "capture table of just those two lists" in text
    assert two_list_counts(table, ["A", "B"]).m == 2


def test_acknowledgments_import_extra_columns_keep(tmp_path: Path) -> None:
    assert cli("init", "p", cwd=tmp_path).returncode == 0
    project = tmp_path / "p"
    (project / "acks.csv").write_text(
        f"{ACK_HEADER},bogus\na1,CJTF-OIR,2017-03,2017-03,4,doc,1\n"
    )
    args = ("incidents", "import", "cjtf", "acks.csv", "-f", "acknowledgments")
    done = cli(*args, cwd=project)
    assert done.returncode == 2 and "--extra-columns keep" in done.stderr
    done = cli(*args, "--extra-columns", "keep", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["accepted"] == 1
