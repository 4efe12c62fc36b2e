"""``undercount run``: the CLI face of the pipeline (contract in DESIGN.md)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from undercount.cli import _register_commands, app
from undercount.project import init_project


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    _register_commands()
    return CliRunner().invoke(app, list(args))


def test_run_public_writes_the_three_outputs(make_project, tmp_path: Path) -> None:
    project = make_project()
    out = tmp_path / "public"
    result = _invoke(
        "run", "--project", str(project.root), "--out", str(out), "--public"
    )
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.pdf", "results.json"):
        assert (out / name).is_file(), name
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["public"] is True
    assert "[public version]" in result.output
    assert "documented:" in result.output and "estimated:" in result.output


def test_run_without_lists_is_a_one_line_error(tmp_path: Path) -> None:
    project = init_project(tmp_path / "empty")
    _register_commands()
    from undercount.errors import UserInputError

    try:
        CliRunner().invoke(
            app, ["run", "--project", str(project.root)], catch_exceptions=False
        )
    except UserInputError as exc:
        message = str(exc)
    else:  # pragma: no cover - the command must refuse
        raise AssertionError("undercount run accepted a project without lists")
    assert "at least two" in message and "undercount import" in message
    assert "\n" not in message
