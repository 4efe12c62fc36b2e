"""Stage orchestration: a project from imported lists to a publishable report.

:func:`run_project` reads the current lists from the project store, links them
(Splink), builds capture tables (with strata), fits several estimators side by side
(stratified where configured), sets the estimate beside the acknowledged and
documented counts, and writes ``results.json``, ``report.html`` and ``report.pdf``.
Each stage is cached by the hash of its inputs and settings
(:class:`StageCache`), so a re-run repeats only what changed, and ``results.json``
records every figure with the versions, settings, seeds and input hashes behind it.
See docs/report.md.
"""

from __future__ import annotations

from undercount.model import PERSONAL_FIELDS
from undercount.pipeline._analysis import analyse_table, captures_section, gap_section
from undercount.pipeline._cache import StageCache, StageEvent
from undercount.pipeline._config import (
    DEFAULT_METHODS,
    EstimateConfig,
    PipelineConfig,
    ReportConfig,
    pipeline_config,
)
from undercount.pipeline._declare import DataDeclaration, declare_data, declared_data
from undercount.pipeline._estimates import METHOD_LABELS, fit_method
from undercount.pipeline._incidents import incidents_section
from undercount.pipeline._inputs import ProjectLists, read_project_lists
from undercount.pipeline._project import analyse_project
from undercount.pipeline._project_incidents import (
    LATEST_RUN,
    ProjectIncidentData,
    grade_project_incidents,
    latest_run_inputs,
    load_project_incidents,
)
from undercount.pipeline._results import (
    RESULTS_SCHEMA,
    assemble_results,
    software_versions,
    write_results,
)
from undercount.pipeline._run import (
    CACHE_DIR,
    PipelineResult,
    analyse_capture_table,
    project_cache,
    run_project,
    write_outputs,
)

__all__ = [
    "CACHE_DIR",
    "DEFAULT_METHODS",
    "LATEST_RUN",
    "METHOD_LABELS",
    "PERSONAL_FIELDS",
    "RESULTS_SCHEMA",
    "DataDeclaration",
    "EstimateConfig",
    "PipelineConfig",
    "PipelineResult",
    "ProjectIncidentData",
    "ProjectLists",
    "ReportConfig",
    "StageCache",
    "StageEvent",
    "analyse_capture_table",
    "analyse_project",
    "analyse_table",
    "assemble_results",
    "captures_section",
    "declare_data",
    "declared_data",
    "fit_method",
    "gap_section",
    "grade_project_incidents",
    "incidents_section",
    "latest_run_inputs",
    "load_project_incidents",
    "pipeline_config",
    "project_cache",
    "read_project_lists",
    "run_project",
    "software_versions",
    "write_outputs",
    "write_results",
]
