"""``undercount incidents ...`` and ``undercount gap`` end to end (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from undercount.incidents import demo_data_dir

DATA = Path(__file__).resolve().parents[1] / "data" / "incidents"


def subprocess_run(
    *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A real process: for exit codes and the one-line error of ``main()``."""
    return subprocess.run(
        [sys.executable, "-m", "undercount", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
    )


class _Done:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run(*args: str, cwd: Path | None = None) -> _Done:
    """In process (fast); commands that fail are run as a subprocess instead."""
    from typer.testing import CliRunner

    from undercount.cli import _register_commands, app

    _register_commands()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        done = subprocess_run(*args, cwd=cwd)
        return _Done(done.returncode, done.stdout, done.stderr)
    return _Done(result.exit_code, result.stdout, "")


def test_project_workflow(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p")).returncode == 0
    p = tmp_path / "p"
    done = run(
        "incidents",
        "import",
        "ged",
        str(DATA / "ucdp_ged_codebook_fixture.csv"),
        "--json",
        cwd=p,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["rows_in"] == summary["accepted"] + summary["quarantined"] == 11
    assert summary["format"] == "ucdp-ged" and len(summary["file_sha256"]) == 64
    for name, path in (
        ("mosul", demo_data_dir() / "mosul_incidents.csv"),
        ("acks", demo_data_dir() / "acknowledgments.csv"),
    ):
        assert run("incidents", "import", name, str(path), cwd=p).returncode == 0
    done = run(
        "incidents",
        "review",
        "cannot-link",
        "airwars:CI746",
        "ohchr:2017-06-08-shifa-0601",
        "--reviewer",
        "t",
        "--reason",
        "agg",
        cwd=p,
    )
    assert done.returncode == 0, done.stderr
    done = run("incidents", "match", "--json", cwd=p)
    data = json.loads(done.stdout)
    assert data["reports"] == 27
    assert all(len(c["members"]) > 1 for c in data["clusters"])
    done = run("incidents", "list", "--json", cwd=p)
    incidents = json.loads(done.stdout)["incidents"]
    assert {i["acknowledgment_status"] for i in incidents} == {
        "acknowledged",
        "not acknowledged",
    }
    done = run("incidents", "quarantine", "--json", cwd=p)
    assert len(json.loads(done.stdout)["quarantine"]) == 5
    done = run("gap", "--by", "belligerent", "--named", "9606", "--json", cwd=p)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert rows[0]["figures"]["named"]["value"] == 9606


def test_bad_file_is_one_line_error(tmp_path: Path) -> None:
    run("init", str(tmp_path / "p"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    done = run("incidents", "import", "x", str(bad), cwd=tmp_path / "p")
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr
    done = run(
        "incidents",
        "review",
        "must-link",
        "a:1",
        "b:2",
        "--reviewer",
        "r",
        "--reason",
        "x",
        cwd=tmp_path / "p",
    )
    assert done.returncode == 2 and "no report" in done.stderr


def test_demo_commands() -> None:
    done = run("incidents", "grade", "--demo", "--json")
    grades = json.loads(done.stdout)["grades"]
    assert set(grades) == {"confirmed", "contested", "weak"}
    done = run(
        "incidents",
        "match",
        "--demo",
        "--explain",
        "airwars:CI550",
        "--explain",
        "cnn:2017-03-30-jadidah",
        "--json",
    )
    explained = json.loads(done.stdout)
    assert explained["same_cluster"] is True
    assert any("same day" in r for r in explained["link"]["reasons"])
    done = run("incidents", "list", "--demo")
    assert "not acknowledged" in done.stdout and "IC-" in done.stdout


def test_gap_demo_json_and_table(tmp_path: Path) -> None:
    estimate = tmp_path / "est.json"
    estimate.write_text(
        json.dumps(
            {
                "method": "chapman",
                "lists": ["a", "b"],
                "observed": 9606,
                "estimate": 10500.0,
                "lower": 10100.0,
                "upper": 11000.0,
                "level": 0.95,
            }
        ),
        encoding="utf-8",
    )
    done = run(
        "gap",
        "--demo",
        "--by",
        "period,belligerent",
        "--estimate",
        str(estimate),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    total = report["rows"][0]
    assert total["figures"]["acknowledged"]["value"] == 326
    assert total["figures"]["estimated"]["value"] == 10500
    assert total["figures"]["named"]["value"] == 9606
    assert report["by"] == ["period", "belligerent"]
    statuses = {r["acknowledgment_status"] for r in report["rows"]}
    assert "not broken down" in statuses or "not acknowledged" in statuses
    done = run("gap", "--demo")
    assert "CJTF-OIR acknowledged 326" in done.stdout
    done = run("gap", "--demo", "--by", "colour")
    assert done.returncode == 2 and "cannot break down by colour" in done.stderr
