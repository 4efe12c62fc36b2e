"""``undercount estimate`` end to end: JSON contract, human output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from undercount.cli import _register_commands, app

MSE_DIR = Path(__file__).resolve().parents[1] / "data" / "mse"
_register_commands()


@dataclass
class _Outcome:
    returncode: int
    stdout: str
    stderr: str


def _run(*args: str) -> _Outcome:
    """Run ``undercount estimate`` in-process (fast); see the subprocess test below."""
    result = CliRunner().invoke(app, ["estimate", *args])
    return _Outcome(result.exit_code, result.stdout, result.stderr)


def _json(*args: str) -> dict[str, object]:
    result = _run(*args, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert isinstance(record, dict)
    return record


def test_chapman_json_contract() -> None:
    record = _json(
        str(MSE_DIR / "seber1982_p107_two_list_from_example.csv"), "--method", "chapman"
    )
    for key in (
        "method",
        "lists",
        "observed",
        "estimate",
        "lower",
        "upper",
        "level",
        "diagnostics",
    ):
        assert key in record
    assert record["method"] == "chapman"
    assert record["observed"] == 1202
    assert record["estimate"] == pytest.approx(2382.8, abs=0.05)


def test_loglinear_selection_names_the_model() -> None:
    record = _json(
        str(MSE_DIR / "Rcapture_HIV.csv"), "--method", "loglinear", "--level", "0.95"
    )
    diagnostics = record["diagnostics"]
    assert isinstance(diagnostics, dict)
    assert diagnostics["model"] == "[1,2,3,4]"
    assert diagnostics["selected_by"] == "BIC"
    # closedpCI.t(HIV, m="Mt"): [9531.7, 13114.1] (REFERENCE.md)
    assert record["lower"] == pytest.approx(9531.7, abs=0.05)
    assert record["upper"] == pytest.approx(13114.1, abs=0.05)


def test_loglinear_model_option() -> None:
    record = _json(
        str(MSE_DIR / "Rcapture_HIV.csv"),
        "--method",
        "loglinear",
        "--model",
        "[12,3,4]",
    )
    # closedpCI.t(HIV, mX = ~ . + c1:c2): Poisson 12318.5, interval [10266, 14992.3]
    assert record["estimate"] == pytest.approx(12318.5, abs=0.05)
    assert record["upper"] == pytest.approx(14992.3, abs=0.05)


def test_human_output_shows_estimate_and_model_table() -> None:
    result = _run(str(MSE_DIR / "Rcapture_HIV.csv"), "--method", "loglinear")
    assert result.returncode == 0, result.stderr
    assert "11,124.6" in result.stdout
    assert "[12,3,4]" in result.stdout  # the model table


def test_stratified_json_has_strata(tmp_path: Path) -> None:
    rows = ["A,B,C,region,count"]
    for region, scale in (("north", 1), ("south", 2)):
        for pattern, count in (
            ("1,0,0", 40),
            ("0,1,0", 30),
            ("0,0,1", 20),
            ("1,1,0", 12),
            ("1,0,1", 9),
            ("0,1,1", 7),
            ("1,1,1", 3),
        ):
            rows.append(f"{pattern},{region},{count * scale}")
    path = tmp_path / "strata.csv"
    path.write_text("\n".join(rows) + "\n")
    record = _json(
        str(path), "--method", "loglinear", "--model", "Mt", "--strata", "region"
    )
    strata = record["strata"]
    assert isinstance(strata, list) and len(strata) == 2
    assert record["estimate"] == pytest.approx(sum(s["estimate"] for s in strata))


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,2,5\n0,1,3\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "undercount",
            "estimate",
            str(bad),
            "--method",
            "chapman",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "row 2" in result.stderr and "'B'" in result.stderr


def test_zero_overlap_and_unknown_method_fail_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "apart.csv"
    path.write_text("A,B,count\n1,0,5\n0,1,3\n")
    result = _run(str(path), "--method", "chapman")
    assert result.returncode == 2 and "share nobody" in result.stderr
    result = _run(str(path), "--method", "nonsense")
    assert result.returncode == 2 and "unknown method" in result.stderr
    result = _run(str(path), "--method", "chapman", "--model", "Mt")
    assert result.returncode == 2 and "--model" in result.stderr
