"""Fixtures for the pipeline tests: a small project made from the bundled SIMULATED
demo lists (undercount/data/demo, see its SOURCE.md), with fast estimator settings."""

from __future__ import annotations

from pathlib import Path

import pytest

FAST_CONFIG = """\
[project]
name = "pipeline test project (SIMULATED lists)"

[sources.morgue.columns]
"الاسم" = "given_name"

[linkage]
threshold = 0.9
seed = 0

[estimate]
methods = ["loglinear", "chao", "lcmcr"]
headline = "loglinear"
seed = 11
strata = ["month"]
stratified_methods = ["loglinear"]
sensitivity_method = "chao"
thresholds = [0.8, 0.9, 0.95]

[estimate.options.lcmcr]
burnin = 300
samples = 200
thinning = 5

[report]
simulated = true
"""


@pytest.fixture
def fast_config() -> str:
    """The ``undercount.toml`` text of the test projects."""
    return FAST_CONFIG


@pytest.fixture
def make_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: a fresh project with the demo lists imported and ``FAST_CONFIG``."""
    from undercount._commands.demo import create_demo_project

    def make(name: str = "project", config: str = FAST_CONFIG):  # type: ignore[no-untyped-def]
        return create_demo_project(tmp_path / name, config=config)

    return make
