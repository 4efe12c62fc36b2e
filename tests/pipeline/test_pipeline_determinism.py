"""Same inputs, settings and seeds -> the same results.json, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from undercount.pipeline import RESULTS_SCHEMA, run_project


def _differences(x: Any, y: Any, path: str = "") -> list[str]:
    """Paths at which two JSON documents differ (for a readable failure)."""
    if isinstance(x, dict) and isinstance(y, dict):
        out: list[str] = []
        for key in sorted(set(x) | set(y)):
            out += _differences(x.get(key), y.get(key), f"{path}/{key}")
        return out
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        out = []
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            out += _differences(u, v, f"{path}[{i}]")
        return out
    return [] if x == y else [f"{path}: {str(x)[:80]} != {str(y)[:80]}"]


def test_results_json_is_identical_when_rerun_without_cache(
    make_project, tmp_path: Path
) -> None:
    one = make_project("one")
    two = make_project("two")  # another folder: no path may leak into the results
    first = run_project(one.root, tmp_path / "a", pdf=False, use_cache=False)
    second = run_project(two.root, tmp_path / "b", pdf=False, use_cache=False)
    assert {e.status for e in [*first.stages, *second.stages]} == {"uncached"}
    a = (tmp_path / "a" / "results.json").read_bytes()
    b = (tmp_path / "b" / "results.json").read_bytes()
    assert _differences(first.results, second.results) == []
    assert a == b
    assert str(tmp_path).encode() not in a


def test_results_json_records_versions_settings_seeds_and_hashes(
    make_project, tmp_path: Path
) -> None:
    result = run_project(make_project().root, tmp_path / "out", pdf=False)
    results = result.results
    assert results["schema"] == RESULTS_SCHEMA
    assert results["undercount_version"]
    assert {"python", "numpy", "splink", "duckdb"} <= set(results["software"])
    analysis = results["analyses"][0]
    assert analysis["seeds"] == {"linkage": 0, "estimate": 11}
    for source in analysis["inputs"]["lists"]:
        assert len(source["sha256"]) == 64 and len(source["file_sha256"]) == 64
    assert analysis["settings"]["linkage"]["threshold"] == 0.9
    for record in analysis["estimates"]:
        assert len(record["stage_key"]) == 64
        assert "estimate" in record or "error" in record
        if record["method"] == "lcmcr":
            assert record["seed"] == 11
            assert "seconds" not in record["diagnostics"]  # timings would differ
    assert len(analysis["captures"]["sha256"]) == 64
