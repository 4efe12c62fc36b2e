"""Same inputs, settings and seeds -> the same results.json, byte for byte."""

from __future__ import annotations

from pathlib import Path

from undercount.pipeline import RESULTS_SCHEMA, run_project


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
