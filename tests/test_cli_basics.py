"""The CLI starts, lists its commands and reports versions."""

from __future__ import annotations

import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "undercount", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_lists_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "version" in result.stdout


def test_version_names_package_and_libraries() -> None:
    result = _run("version")
    assert result.returncode == 0
    assert result.stdout.startswith("undercount 0.")
    assert "duckdb" in result.stdout
