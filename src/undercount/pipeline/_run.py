"""``run_project``: the whole pipeline over a project, outputs written to a folder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from undercount.model import Acknowledgment, CaptureTable
from undercount.pipeline._analysis import Progress, analyse_table
from undercount.pipeline._cache import StageCache, StageEvent
from undercount.pipeline._config import EstimateConfig, pipeline_config
from undercount.pipeline._hashing import to_jsonable
from undercount.pipeline._incidents import lay_out_incidents
from undercount.pipeline._project import analyse_project
from undercount.pipeline._project_incidents import (
    ProjectIncidentData,
    compare_inputs,
    grade_project_incidents,
    load_project_incidents,
    run_inputs,
    write_latest_run,
)
from undercount.pipeline._results import assemble_results, write_results
from undercount.project import Project, find_project

__all__ = [
    "CACHE_DIR",
    "PipelineResult",
    "analyse_capture_table",
    "project_cache",
    "run_project",
    "write_outputs",
]

CACHE_DIR = Path(".undercount") / "cache"
"""Stage cache folder, relative to the project directory."""


@dataclass(frozen=True)
class PipelineResult:
    """What a pipeline run produced.

    Attributes
    ----------
    results
        The ``results.json`` document.
    files
        ``{"results": path, "html": path, "pdf": path or None}``.
    stages
        What happened to each stage (computed or read from the cache), in order.
    pdf_message
        Why no PDF was written, when none was (``None`` when it was).
    """

    results: dict[str, Any]
    files: dict[str, Path | None]
    stages: tuple[StageEvent, ...] = ()
    pdf_message: str | None = None

    @property
    def stage_status(self) -> dict[str, str]:
        """``{stage: "computed" | "cached" | "uncached"}`` (last event per stage)."""
        return {event.stage: event.status for event in self.stages}

    def headlines(self) -> list[dict[str, Any]]:
        """One headline per analysis: title, documented, estimate, acknowledged."""
        return [
            {"id": a["id"], "title": a["title"], **a["headline"]}
            for a in self.results["analyses"]
        ]


def project_cache(project: Project, *, enabled: bool = True) -> StageCache:
    """The stage cache of ``project`` (disabled: every stage is recomputed)."""
    from importlib import metadata

    try:
        version = metadata.version("undercount")
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    return StageCache(project.root / CACHE_DIR if enabled else None, salt=version)


def analyse_capture_table(
    table: CaptureTable,
    config: EstimateConfig,
    cache: StageCache,
    *,
    analysis_id: str,
    title: str,
    description: str | None = None,
    simulated: bool = False,
    data: Literal["real", "simulated"] | None = None,
    provenance: dict[str, Any] | None = None,
    reference: dict[str, Any] | None = None,
    acknowledgments: Sequence[Acknowledgment] = (),
    progress: Progress | None = None,
) -> dict[str, Any]:
    """An analysis that starts from a capture table (no record linkage).

    ``provenance`` describes where the table comes from; ``reference`` holds a
    published estimate to set beside ours (``estimate``, ``lower``, ``upper``,
    ``level``, ``citation``). ``data`` declares what the data are (``real`` or
    ``simulated``; ``simulated=True`` is the same as ``data="simulated"``);
    undeclared, the report says so and does not call them real.
    """
    kind = "simulated" if simulated else (data or "undeclared")
    analysis: dict[str, Any] = {
        "id": analysis_id,
        "title": title,
        "description": description,
        "simulated": kind == "simulated",
        "data": kind,
        "kind": "capture table",
        "inputs": provenance or {},
        "settings": {"estimate": config.model_dump()},
        "seeds": {"estimate": config.seed},
    }
    analysis.update(
        analyse_table(
            table, config, cache, acknowledgments=acknowledgments, progress=progress
        )
    )
    if reference is not None:
        analysis["reference"] = _compare_reference(analysis, reference)
    return analysis


def _compare_reference(
    analysis: dict[str, Any], reference: dict[str, Any]
) -> dict[str, Any]:
    """Our estimates beside a published one: difference and interval overlap."""
    out = dict(reference)
    rows = []
    for record in analysis["estimates"]:
        if "estimate" not in record:
            continue
        rows.append(
            {
                "method": record["method"],
                "estimate": record["estimate"],
                "difference": round(record["estimate"] - reference["estimate"], 1),
                "relative_difference": round(
                    (record["estimate"] - reference["estimate"])
                    / reference["estimate"],
                    4,
                ),
                "covers_published": bool(
                    record["lower"] <= reference["estimate"] <= record["upper"]
                ),
            }
        )
    out["comparison"] = rows
    return out


def write_outputs(
    results: dict[str, Any], out_dir: Path, *, pdf: bool = True
) -> tuple[dict[str, Path | None], str | None]:
    """Write ``results.json``, ``report.html`` and (if possible) ``report.pdf``."""
    from undercount.report import write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = write_results(results, out_dir / "results.json")
    files = write_report(results, out_dir, pdf=pdf)
    return (
        {"results": results_path, "html": files.html, "pdf": files.pdf},
        files.pdf_message,
    )


def _shown_path(project: Project, path: Path) -> str:
    """``path`` relative to the project when inside it (as users type it)."""
    try:
        return path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def _project_incidents_section(
    data: ProjectIncidentData, latest: Path, title: str
) -> dict[str, Any]:
    """Incidents, grades and the gap from what is in the project store."""
    from undercount.compare import compute_gap

    graded, rules = grade_project_incidents(data)
    named, estimated = compare_inputs(latest)
    try:
        report = compute_gap(
            graded, data.acknowledgments, named=named, estimated=estimated, rules=rules
        )
        gap: dict[str, Any] | None = dict(to_jsonable(report.to_dict()))
    except Exception as exc:  # never lose the rest of the report to the gap
        gap = {"error": f"{type(exc).__name__}: {exc}"}
    return lay_out_incidents(
        data.records,
        data.acknowledgments,
        graded,
        gap=gap,
        files=data.files,
        title=title,
    )


def _same_acknowledged(
    analysis: dict[str, Any], incidents: dict[str, Any], data: ProjectIncidentData
) -> None:
    """Quote the gap's total acknowledged figure in the headline too.

    The compare stage counts each acknowledgment once (an incident acknowledgment
    inside a period statement of the same belligerent is part of it, not added);
    the headline must say the same number.
    """
    from undercount.pipeline._analysis import gap_section

    rows = (incidents.get("gap") or {}).get("rows") or []
    figure = rows[0]["figures"].get("acknowledged") if rows else None
    if not figure or figure.get("value") is None:
        return
    total = int(figure["value"])
    headline = analysis["headline"]
    if headline.get("acknowledged") == total:
        return
    method = analysis.get("headline_method")
    estimate = next(
        (e for e in analysis["estimates"] if e["method"] == method and "estimate" in e),
        None,
    )
    analysis["headline"] = gap_section(
        headline["documented"],
        estimate,
        [r.acknowledgment for r in data.acknowledgments],
        acknowledged_total=total,
    )
    analysis["headline"]["acknowledged_derivation"] = figure.get("derivation")


def run_project(
    project_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    public: bool = False,
    *,
    pdf: bool = True,
    use_cache: bool = True,
    truth: pd.DataFrame | None = None,
    simulated: bool = False,
    extra_analyses: Sequence[dict[str, Any]] = (),
    progress: Progress | None = None,
) -> PipelineResult:
    """Run the whole pipeline over a project and write its outputs.

    Parameters
    ----------
    project_dir
        The project (a folder with ``undercount.toml``); default: the current
        directory or a parent.
    out_dir
        Output folder; default ``<project>/out``.
    public
        Leave every personal field out and suppress small cells
        (``[report] small_cells``, default 5) in ``results.json`` and the reports.
    pdf
        Also write ``report.pdf`` (skipped with a message if no PDF engine works).
    use_cache
        Reuse stage outputs whose inputs did not change (``<project>/.undercount``).
    truth, simulated
        For simulated lists: the true links (see :func:`analyse_project`).
    extra_analyses
        Further analyses (e.g. from :func:`analyse_capture_table`) for the report.
    progress
        Called with a message as each stage starts.

    Returns
    -------
    PipelineResult
    """
    from undercount.report import redact

    project = (
        find_project(None) if project_dir is None else find_project(Path(project_dir))
    )
    config = pipeline_config(project.config.model_extra)
    cache = project_cache(project, enabled=use_cache)
    if progress:
        progress("incidents: importing the files listed in undercount.toml")
    incident_data = load_project_incidents(project, config)
    # the headline's acknowledged figure counts every acknowledgment, once each:
    # those declared in undercount.toml and those imported into the store
    config_in_force = config.model_copy(
        update={
            "acknowledgments": tuple(
                r.acknowledgment for r in incident_data.acknowledgments
            )
        }
    )
    analysis = analyse_project(
        project,
        config_in_force,
        cache,
        truth=truth,
        simulated=simulated,
        public=public,
        progress=progress,
    )
    title = config.report.title or project.config.project.name
    out = Path(out_dir) if out_dir is not None else project.root / "out"
    latest = write_latest_run(
        project, run_inputs(analysis, _shown_path(project, out / "results.json"))
    )
    incidents = None
    if not incident_data.empty:
        if progress:
            progress("incidents: match, grade and compare")
        incidents = _project_incidents_section(incident_data, latest, title)
        incidents["data"] = config.report.provenance
        _same_acknowledged(analysis, incidents, incident_data)
    results = assemble_results(
        [analysis, *extra_analyses],
        title=title,
        public=public,
        small_cells=config.report.small_cells,
        incidents=incidents,
    )
    if public:
        results = redact(results, config.report.small_cells)
    if progress:
        progress("writing results.json and the report")
    files, message = write_outputs(results, out, pdf=pdf)
    return PipelineResult(
        results=results, files=files, stages=tuple(cache.events), pdf_message=message
    )
