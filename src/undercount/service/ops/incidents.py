"""Incidents: the service's side of ``undercount.incidents`` (and the gap's inputs).

Incident files (UCDP GED, ACLED, any table, or acknowledgments) are read by the
library's readers and stored with the store's incident tables, each import in one
transaction with its audit entry naming the logged-in user. Match and grade runs
are the library's :func:`~undercount.incidents.match_incidents` and
:func:`~undercount.incidents.grade_clusters` on the project's current reports,
acknowledgments and decisions (what ``undercount incidents match|grade`` do), saved
as runs. The gap is :func:`undercount.compare.compute_gap` on the same inputs.

This module turns results into the API's shapes; whether free-text descriptions
are included is the caller's decision (see ``routes/incidents.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    GradedIncident,
    GradingRules,
    IncidentsConfig,
    MatchResult,
    ProjectIncidents,
    grade_clusters,
    match_incidents,
)
from undercount.project import Project
from undercount.service.database import Database
from undercount.service.jobs import JobContext, JobFunction
from undercount.service.ops.common import jsonable
from undercount.service.ops.uploads import StoredUpload
from undercount.store import Store

__all__ = [
    "FORMATS",
    "IncidentInputs",
    "grade_job",
    "import_job",
    "import_row_public",
    "incident_config",
    "load_inputs",
    "match_job",
    "report_public",
]

#: Formats an incident upload may declare (``None``: detected from the header).
FORMATS = ("ucdp-ged", "acled", "generic", "acknowledgments")


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def incident_config(project_root: Path) -> IncidentsConfig:
    """The ``[incidents]`` settings of the project's ``undercount.toml``."""
    project = Project.load(project_root)
    return IncidentsConfig.from_project_extra(
        project.config.model_extra, project.config_path.name
    )


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the project (never the server's absolute path)."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return path.name


def _import(
    store: Store,
    config: IncidentsConfig,
    source: str,
    path: Path,
    shown_path: str,
    fmt: str | None,
    actor: str,
) -> dict[str, Any]:
    """Read and store one incident (or acknowledgment) file; its counts.

    The store records ``shown_path`` (relative to the project), never the
    server's absolute upload path.
    """
    return ProjectIncidents(store, config).import_file(
        source, path, format=fmt, actor=actor, file_label=shown_path
    )


def import_job(
    db: Database,
    project_root: Path,
    source: str,
    upload: StoredUpload,
    fmt: str | None,
    actor: str,
) -> JobFunction:
    """The job importing an uploaded incident or acknowledgment file as ``source``."""

    def run(context: JobContext) -> dict[str, Any]:
        context.hide(str(upload.path), upload.original_name)
        context.hide(str(upload.path.parent), "uploads")
        config = incident_config(project_root)
        context.progress(0.0, "reading and validating")
        shown = _relative(upload.path, project_root)
        out = db.write_sync(
            lambda store: _import(store, config, source, upload.path, shown, fmt, actor)
        )
        out["file"] = upload.original_name
        return {
            key: out.get(key)
            for key in (
                "source",
                "file",
                "file_sha256",
                "kind",
                "format",
                "rows_in",
                "accepted",
                "quarantined",
                "import_id",
                "status",
            )
        }

    return run


@dataclass(frozen=True)
class IncidentInputs:
    """The project's current reports, acknowledgments, decisions and settings."""

    project: ProjectIncidents
    config: IncidentsConfig
    records: list[Any]
    acknowledgments: list[AcknowledgmentRecord]
    decisions: list[Any]

    def match(self) -> MatchResult:
        """Match the current reports (refused when there are none)."""
        if not self.records:
            raise UserInputError(
                "no incident reports in this project; upload some with "
                "POST /api/incidents/imports first"
            )
        return match_incidents(self.records, self.config.matching, self.decisions)

    def grade(self) -> tuple[MatchResult, list[GradedIncident], GradingRules]:
        """Match, then grade the clusters with the project's grading rules."""
        result = self.match()
        rules = self.config.grading
        graded = grade_clusters(
            result.clusters,
            rules,
            acknowledgments=self.acknowledgments,
            decisions=result.decisions,
        )
        return result, graded, rules


def load_inputs(store: Store, config: IncidentsConfig) -> IncidentInputs:
    """Read the incident inputs from ``store`` (any connection)."""
    project = ProjectIncidents(store, config)
    return IncidentInputs(
        project,
        config,
        project.records(),
        project.acknowledgments(),
        project.decisions(),
    )


def match_job(db: Database, project_root: Path, actor: str) -> JobFunction:
    """The job matching the current reports and saving the run (audited)."""

    def run(context: JobContext) -> dict[str, Any]:
        config = incident_config(project_root)
        context.progress(0.05, "reading reports")
        inputs = db.read_sync(lambda store: load_inputs(store, config))
        context.progress(0.2, "matching reports across sources")
        result = inputs.match()
        run_id = db.write_sync(
            lambda store: ProjectIncidents(store, config).save_match(result, actor)
        )
        return {"run_id": run_id, "summary": jsonable(result.summary())}

    return run


def grade_job(db: Database, project_root: Path, actor: str) -> JobFunction:
    """The job matching and grading the current reports and saving both runs."""

    def run(context: JobContext) -> dict[str, Any]:
        config = incident_config(project_root)
        context.progress(0.05, "reading reports")
        inputs = db.read_sync(lambda store: load_inputs(store, config))
        context.progress(0.2, "matching and grading")
        result, graded, rules = inputs.grade()

        def save(store: Store) -> tuple[int, int]:
            project = ProjectIncidents(store, config)
            return (
                project.save_match(result, actor),
                project.save_grades(graded, rules, actor),
            )

        match_id, grade_id = db.write_sync(save)
        counts: dict[str, int] = {}
        for g in graded:
            counts[g.grade] = counts.get(g.grade, 0) + 1
        return {
            "run_id": grade_id,
            "match_run_id": match_id,
            "summary": {"clusters": len(graded), "grades": counts},
        }

    return run


def report_public(row: dict[str, Any], *, descriptions: bool) -> dict[str, Any]:
    """A stored report as :class:`IncidentReportPublic` (no raw row).

    ``descriptions`` says whether the caller may read the reports' free text.
    """
    incident = dict(row["incident"])
    out: dict[str, Any] = jsonable(
        {
            "key": row["key"],
            "source": row["source"],
            "line": row["line"],
            "incident_id": incident.get("incident_id"),
            "date": incident.get("date"),
            "first_day": row.get("first_day"),
            "last_day": row.get("last_day"),
            "place": incident.get("place"),
            "place_context": row.get("place_context"),
            "latitude": incident.get("latitude"),
            "longitude": incident.get("longitude"),
            "location_precision": incident.get("location_precision"),
            "belligerents": list(incident.get("belligerents") or []),
            "weapon": incident.get("weapon"),
            "killed_min": incident.get("killed_min"),
            "killed_max": incident.get("killed_max"),
            "injured_min": incident.get("injured_min"),
            "injured_max": incident.get("injured_max"),
            "children_killed": incident.get("children_killed"),
            "women_killed": incident.get("women_killed"),
            "source_refs": list(incident.get("source_refs") or []),
            "assessment": row.get("assessment"),
            "description": incident.get("description") if descriptions else None,
        }
    )
    return out


def import_row_public(row: dict[str, Any]) -> dict[str, Any]:
    """A stored import as :class:`IncidentImportPublic` (file name only)."""
    out = {k: v for k, v in row.items() if k != "file_path"}
    return {**out, "file_name": _basename(str(row["file_path"]))}
