"""Fixtures for the report tests: one pipeline run over the bundled SIMULATED demo
lists (undercount/data/demo, see its SOURCE.md), internal and public."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

REPORT_TEST_CONFIG = """\
[project]
name = "report test project (SIMULATED lists)"

[sources.morgue.columns]
"الاسم" = "given_name"

[estimate]
methods = ["lcmcr", "loglinear", "chao"]
seed = 5
strata = ["month"]
stratified_methods = ["loglinear"]
sensitivity_method = "chao"
thresholds = [0.8, 0.9]

[estimate.options.lcmcr]
burnin = 300
samples = 200
thinning = 5

[report]
title = "Report test (SIMULATED)"
simulated = true
small_cells = 5

[[acknowledgments]]
belligerent = "Test belligerent"
period_start = "2017-02"
period_end = "2017-07"
deaths_acknowledged = 50
document = "test statement"
"""


@pytest.fixture(scope="module")
def report_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``{"internal": PipelineResult, "public": PipelineResult, "project": Project}``;
    the PDF is written by the internal run only."""
    from undercount._commands.demo import create_demo_project
    from undercount.pipeline import run_project

    root = tmp_path_factory.mktemp("report")
    project = create_demo_project(root / "project", config=REPORT_TEST_CONFIG)
    internal = run_project(project.root, root / "internal", pdf=True)
    public = run_project(project.root, root / "public", public=True, pdf=False)
    return {"internal": internal, "public": public, "project": project}


@pytest.fixture(scope="module")
def demo_inputs() -> list[Path]:
    """The bundled demo list files (the inputs of ``report_runs``)."""
    folder = resources.files("undercount.data.demo")
    return [
        Path(str(folder / name))
        for name in ("morgue.csv", "hospital.csv", "ngo.csv", "media.jsonl")
    ]
