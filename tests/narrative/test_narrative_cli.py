"""``undercount extract``: tables by default, one JSON object with --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "undercount", "extract", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_json_output_is_one_object(tmp_path: Path) -> None:
    proposals = tmp_path / "proposals.json"
    done = _run(str(SEED), "--json", "--report-date", "2017-07-20",
                "--proposals", str(proposals))  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["source"]["report_date"] == "2017-07-20"
    assert payload["counts"]["quotation"] == 5
    assert "text" not in payload
    assert payload["proposals_added"] == len(payload["records"]) > 0
    assert {r["status"] for r in payload["records"]} == {"proposed"}
    stored = json.loads(proposals.read_text(encoding="utf-8"))
    assert len(stored["records"]) == payload["proposals_added"]


def test_human_output_names_speakers_and_figures() -> None:
    done = _run(str(SEED))
    assert done.returncode == 0, done.stderr
    for expected in (
        "Casualty statements",
        "between 15 and a hundred civilians",
        "Lieutenant General Stephen Townsend",
        "Amnesty International's Iraq Expert",
        "Proposed incidents",
    ):
        assert expected in done.stdout


def test_bad_report_date_is_a_one_line_error() -> None:
    done = _run(str(SEED), "--report-date", "July 2017")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "YYYY-MM-DD" in done.stderr


def test_human_output_caps_long_tables_and_points_to_json(tmp_path: Path) -> None:
    # 30 copies of the seed report give more casualty statements and claims than
    # the terminal tables show; the cap is announced, --json keeps everything.
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8") * 30, encoding="utf-8")
    done = _run(str(big))
    assert done.returncode == 0, done.stderr
    assert "casualty statements: showing 200 of" in done.stdout
    assert "use --json for all" in done.stdout
    full = json.loads(_run(str(big), "--json").stdout)
    assert full["counts"]["casualty"] > 200
