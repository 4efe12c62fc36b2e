"""Stage caching: a re-run does only what changed."""

from __future__ import annotations

import json
from pathlib import Path

from undercount.ingest import import_file
from undercount.pipeline import run_project
from undercount.store import Store


def _figures(results: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(results["analyses"], sort_keys=True)


def test_rerun_reads_every_stage_from_the_cache(make_project, tmp_path: Path) -> None:
    project = make_project()
    first = run_project(project.root, tmp_path / "out1", pdf=False)
    assert first.stages, "no stage ran"
    assert {e.status for e in first.stages} == {"computed"}
    second = run_project(project.root, tmp_path / "out2", pdf=False)
    assert {e.status for e in second.stages} == {"cached"}
    assert [e.key for e in second.stages] == [e.key for e in first.stages]
    assert _figures(second.results) == _figures(first.results)


def test_changed_estimator_option_recomputes_only_that_estimate(
    make_project, tmp_path: Path
) -> None:
    project = make_project()
    first = run_project(project.root, tmp_path / "out1", pdf=False)
    config = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(
        config.replace("thinning = 5", "thinning = 6"), encoding="utf-8"
    )
    second = run_project(project.root, tmp_path / "out2", pdf=False)
    status = second.stage_status
    assert status["estimate-lcmcr"] == "computed"
    others = {stage: s for stage, s in status.items() if stage != "estimate-lcmcr"}
    assert set(others.values()) == {"cached"}, others
    assert "linkage" in others
    lcmcr = {
        run.results["analyses"][0]["estimates"][2]["options"]["thinning"]
        for run in (first, second)
    }
    assert lcmcr == {5, 6}


def test_changed_list_relinks(make_project, tmp_path: Path) -> None:
    project = make_project()
    run_project(project.root, tmp_path / "out1", pdf=False)
    source = tmp_path / "ngo_v2.csv"
    lines = (
        (Path(__file__).parents[2] / "src/undercount/data/demo/ngo.csv")
        .read_text(encoding="utf-8")
        .splitlines(keepends=True)
    )
    source.write_text("".join(lines[:-20]), encoding="utf-8")  # 20 records fewer
    with Store.open(project.store_path) as store:
        import_file(store, "ngo", source, project.config.source("ngo"))
    again = run_project(project.root, tmp_path / "out2", pdf=False)
    assert again.stage_status["linkage"] == "computed"
    ngo = next(
        p
        for p in again.results["analyses"][0]["inputs"]["lists"]
        if p["source"] == "ngo"
    )
    assert ngo["version"] == 2
