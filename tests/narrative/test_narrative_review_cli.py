"""``undercount extract FILE --project`` -> ``extract review`` -> incidents and gap.

End to end on the motivating report (tests/data/narrative/mosul-report.txt, see
SOURCE.md): its second paragraph says "Thousands of civilians were killed during
this nine-month battle", which the extractor reads as [2,000, 9,999] killed
(docs/extract.md, vague quantities); accepted, it is one incident of the
project, and ``gap`` counts it among the weaker grades ("also alleged").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"
BATTLE = "incident-493ce1235086"  # "Thousands of civilians were killed ..."


def _process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "undercount", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", "UNDERCOUNT_ACTOR": "tester"},
    )


def _run(*args: str, cwd: Path) -> tuple[int, str]:
    """In process (fast); a command that fails runs again as a real process so
    that its exit code and one-line error are those of ``main()``."""
    from typer.testing import CliRunner

    from undercount.cli import _register_commands, app

    _register_commands()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            app, list(args), env={"COLUMNS": "200", "UNDERCOUNT_ACTOR": "tester"}
        )
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        done = _process(*args, cwd=cwd)
        return done.returncode, done.stdout + done.stderr
    return result.exit_code, result.stdout


def test_extract_accept_list_gap(tmp_path: Path) -> None:
    code, _ = _run("init", "proj", cwd=tmp_path)
    assert code == 0
    project = tmp_path / "proj"
    code, out = _run("extract", str(SEED), "--json", "--project", str(project),
                     cwd=tmp_path)  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    # 3 incidents (the headline folded into the battle; no personal-loss incident)
    # + 14 claims + 9 casualty statements + 5 quotations
    assert data["store"]["proposals_added"] == data["store"]["proposals"] == 31
    assert "records" in data and "mentions" in data  # the --json contract holds
    # again: nothing new, nothing lost
    code, out = _run("extract", str(SEED), "--json", "-p", str(project), cwd=tmp_path)
    assert json.loads(out)["store"]["proposals_added"] == 0

    code, out = _run("extract", "review", "--document", "1", "--json", cwd=project)
    assert len(json.loads(out)["proposals"]) == 31
    code, out = _run("extract", "review", "--document", "2", "--json", cwd=project)
    assert json.loads(out)["proposals"] == []
    code, out = _run("extract", "review", "--kind", "incident", "--json", cwd=project)
    rows = json.loads(out)["proposals"]
    assert code == 0 and len(rows) == 3
    assert {r["status"] for r in rows} == {"proposed"}
    assert BATTLE in {r["proposal_id"] for r in rows}

    code, out = _run("incidents", "list", "--json", cwd=project)
    assert code != 0 and "no incident reports" in out  # nothing accepted yet

    code, out = _run("extract", "review", "accept", BATTLE, "--note", "Amnesty",
                     cwd=project)  # fmt: skip
    assert code == 0, out
    assert f"narrative-mosul-report-8549e22f:{BATTLE}" in out

    code, out = _run("incidents", "list", "--json", cwd=project)
    assert code == 0, out
    (incident,) = json.loads(out)["incidents"]
    text = json.dumps(incident)
    assert f"narrative-mosul-report-8549e22f:{BATTLE}" in text
    assert "2000" in text.replace(",", "")

    code, out = _run("gap", "--json", cwd=project)
    assert code == 0, out
    (total,) = [r for r in json.loads(out)["rows"] if r["label"] == "all"]
    alleged = total["figures"]["also_alleged"]
    assert (alleged["low"], alleged["high"]) == (2000, 9999)
    # its provenance is the document and the quoted words
    (cited,) = alleged["sources"]
    assert "mosul-report.txt (sha256 8549e22f" in cited["document"]
    assert "Thousands of civilians were killed" in cited["document"]

    # rejecting takes it out of the next match; the decision is kept
    code, out = _run("extract", "review", "reject", BATTLE, "--note", "aggregate",
                     cwd=project)  # fmt: skip
    assert code == 0, out
    code, out = _run("incidents", "list", "--json", cwd=project)
    assert "no incident reports" in out
    code, out = _run("extract", "review", "show", BATTLE, "--json", cwd=project)
    shown = json.loads(out)
    assert shown["status"] == "rejected" and shown["note"] == "aggregate"
    assert shown["reviewer"] == "tester"


def test_bad_review_input_gives_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run("init", "proj", cwd=tmp_path)[0] == 0
    project = tmp_path / "proj"
    assert _run("extract", str(SEED), "--project", str(project), cwd=tmp_path)[0] == 0
    assert _run("extract", "review", "accept", BATTLE, cwd=project)[0] == 0
    cases = [
        (("accept", "incident-000000000000"), "no proposal 'incident-000000000000'"),
        (("accept", BATTLE), "already accepted"),
        (("correct", BATTLE, "colour=red"), "cannot correct 'colour'"),
        (("correct", BATTLE, "killed_min=20000"), "killed_min (20000) is greater"),
        (("correct", BATTLE, "killed"), "FIELD=VALUE"),
        (("approve", BATTLE), "unknown review action 'approve'"),
        (("accept",), "needs a proposal id"),
    ]
    from typer.testing import CliRunner

    from undercount.cli import app
    from undercount.errors import UserInputError

    monkeypatch.chdir(project)
    for args, message in cases:  # in process: the error raised ...
        result = CliRunner().invoke(app, ["extract", "review", *args])
        assert isinstance(result.exception, UserInputError), (args, result.stdout)
        assert message in str(result.exception), args
    # ... and as the user sees it: one line, exit code 2, no traceback
    done = _process("extract", "review", "correct", BATTLE, "colour=red", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot correct 'colour'")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
