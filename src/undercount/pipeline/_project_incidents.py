"""A project's incidents as every command sees them: those in the project store.

``undercount run``, ``undercount gap`` and ``undercount incidents ...`` must give one
project one set of figures, so they read one thing: the project store. Reports
imported with ``undercount incidents import``, acknowledgments imported from CSV,
reviewer decisions (``undercount incidents review``) and incidents accepted from
narrative reports (``undercount extract review``) are all there. Files listed in
``[incidents] files`` and ``[incidents] acknowledgments`` of ``undercount.toml`` are
imported into the store first, once per file content (an import of the same
SHA-256 is found and not repeated), so the config and the command line converge.
``[[acknowledgments]]`` declared in ``undercount.toml`` count too, once each, beside
the imported ones.

The list-based figures of the gap (distinct named victims after linkage, the MSE
estimate with its interval and strata) come from the project's latest run, which
:func:`write_latest_run` keeps in ``.undercount/latest_run.json``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.pipeline._config import PipelineConfig
from undercount.project import Project

__all__ = [
    "LATEST_RUN",
    "ProjectIncidentData",
    "compare_inputs",
    "grade_project_incidents",
    "latest_run_inputs",
    "load_project_incidents",
    "run_inputs",
    "write_latest_run",
]

LATEST_RUN = Path(".undercount") / "latest_run.json"
"""The latest run's figures for ``undercount gap`` (relative to the project)."""


@dataclass
class ProjectIncidentData:
    """Reports, acknowledgments and decisions of a project, with their origin.

    Attributes
    ----------
    records
        Current incident reports of every source in the store.
    acknowledgments
        ``[[acknowledgments]]`` of ``undercount.toml`` (ids ``undercount.toml:N``),
        then the acknowledgments in the store.
    decisions
        Reviewer decisions on incident matches.
    settings
        The ``[incidents]`` table.
    files
        One row per current import in the store (file name, SHA-256, counts).
    synced
        What importing the config-listed files did (``imported``/``unchanged``).
    """

    records: list[Any]
    acknowledgments: list[Any]
    decisions: list[Any]
    settings: Any
    files: list[dict[str, Any]] = field(default_factory=list)
    synced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No report and no acknowledgment at all."""
        return not self.records and not self.acknowledgments


def _config_path(project: Project, key: str, value: str) -> Path:
    path = Path(value)
    if not path.is_absolute():
        path = project.root / path
    if not path.is_file():
        raise UserInputError(
            f"undercount.toml: {key} = {value!r}: no such file ({str(path)!r}); "
            "fix the path or remove the entry"
        )
    return path


def _import(
    incidents: Any, key: str, source: str, path: Path, fmt: str | None
) -> dict[str, Any]:
    """Import one config-listed file; a file that cannot be read is refused with
    a one-line error naming the config key and the file (nothing is dropped
    silently; rows that break a rule are quarantined by the incidents stage)."""
    try:
        summary: dict[str, Any] = incidents.import_file(source, path, format=fmt)
    except UserInputError as exc:
        raise UserInputError(f"undercount.toml: {key}: {exc}") from None
    except (OSError, ValueError, UnicodeError) as exc:
        raise UserInputError(
            f"undercount.toml: {key}: cannot read {str(path)!r} "
            f"({type(exc).__name__}: {exc}); fix the file or remove the entry"
        ) from None
    return {
        "key": key,
        "source": source,
        "file": path.name,
        "status": summary.get("status"),
    }


def _sync(project: Project, incidents: Any, settings: Any) -> list[dict[str, Any]]:
    done = []
    for source, value in settings.files.items():
        key = f"incidents.files.{source}"
        path = _config_path(project, key, value)
        done.append(_import(incidents, key, source, path, None))
    for index, value in enumerate(settings.acknowledgments):
        key = f"incidents.acknowledgments[{index}]"
        path = _config_path(project, key, value)
        source = Path(value).as_posix()
        done.append(_import(incidents, key, source, path, "acknowledgments"))
    return done


def _current_files(incidents: Any) -> list[dict[str, Any]]:
    """The current import of every (source, kind), as rows for ``results.json``."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in incidents.tables.imports():
        latest[(row["source"], row["kind"])] = row
    return [
        {
            "source": row["source"],
            "kind": row["kind"],
            "format": row["format"],
            "file": Path(str(row["file_path"])).name,
            "sha256": row["file_sha256"],
            "rows_in": row["rows_in"],
            "accepted": row["accepted"],
            "quarantined": row["quarantined"],
        }
        for _, row in sorted(latest.items())
    ]


def _declared(config: PipelineConfig) -> list[Any]:
    from undercount.incidents import AcknowledgmentRecord

    return [
        AcknowledgmentRecord(f"undercount.toml:{n}", ack, ack.place, n, {})
        for n, ack in enumerate(config.acknowledgments, start=1)
    ]


def load_project_incidents(
    project: Project, config: PipelineConfig, *, sync: bool = True
) -> ProjectIncidentData:
    """Import the config-listed incident files (``sync``), then read the store.

    Raises
    ------
    UserInputError
        When a config-listed file is missing or cannot be read (the message
        names the key and the file).
    """
    from undercount.incidents import ProjectIncidents
    from undercount.store import Store

    settings = config.incidents
    if not project.store_path.is_file():
        return ProjectIncidentData([], _declared(config), [], settings)
    # like the linkage decisions: the store is opened for writing only when there
    # are config-listed files to import
    writes = sync and bool(settings.files or settings.acknowledgments)
    with Store.open(project.store_path, read_only=not writes) as store:
        incidents = ProjectIncidents(store, settings)
        synced = _sync(project, incidents, settings) if writes else []
        records = incidents.records()
        acks = incidents.acknowledgments()
        decisions = incidents.decisions()
        files = _current_files(incidents)
    return ProjectIncidentData(
        records, _declared(config) + acks, decisions, settings, files, synced
    )


def grade_project_incidents(
    data: ProjectIncidentData, rules: Any = None
) -> tuple[list[Any], Any]:
    """Match and grade the reports (``rules``: default ``[incidents.grading]``).

    Returns the graded incidents and the rules used.
    """
    from undercount.incidents import grade_clusters, match_incidents

    rules = rules if rules is not None else data.settings.grading
    if not data.records:
        return [], rules
    matched = match_incidents(data.records, data.settings.matching, data.decisions)
    graded = grade_clusters(
        matched.clusters,
        rules,
        acknowledgments=data.acknowledgments,
        decisions=matched.decisions,
    )
    return list(graded), rules


def run_inputs(analysis: dict[str, Any], results_file: str) -> dict[str, Any]:
    """The list-based figures of a run's analysis, for the gap.

    ``named``: distinct people after linkage (the headline's documented count);
    ``estimate``: the headline estimate with its interval, and the strata of the
    same method's stratified fit, in the form :meth:`Estimated.from_json` reads.
    """
    headline = analysis["headline"]
    where = (
        f"linked lists of this project (undercount run, analysis {analysis['id']!r})"
    )
    out: dict[str, Any] = {
        "results": results_file,
        "analysis": analysis["id"],
        "title": analysis.get("title"),
        "named": {
            "count": int(headline["documented"]),
            "origin": where,
            "description": "distinct people on the project's linked lists",
        },
        "estimate": None,
    }
    estimated = headline.get("estimated")
    if estimated and "estimate" in estimated:
        estimate: dict[str, Any] = {
            key: estimated[key] for key in ("estimate", "lower", "upper", "level")
        }
        estimate["method"] = estimated["method"]
        estimate["observed"] = int(headline["documented"])
        estimate["origin"] = where
        stratified = next(
            (
                s
                for s in analysis.get("stratified_estimates") or []
                if s.get("method") == estimated["method"] and s.get("strata")
            ),
            None,
        )
        if stratified is not None:
            estimate["strata"] = [
                {
                    k: s[k]
                    for k in (
                        "stratum",
                        "observed",
                        "estimated",
                        "estimate",
                        "lower",
                        "upper",
                        "reason",
                    )
                    if k in s
                }
                for s in stratified["strata"]
            ]
        out["estimate"] = estimate
    return out


def write_latest_run(project: Project, inputs: dict[str, Any]) -> Path:
    """Keep a run's gap inputs in ``.undercount/latest_run.json``."""
    path = project.root / LATEST_RUN
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(inputs, ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def compare_inputs(path: Path, origin: str | None = None) -> tuple[Any, Any]:
    """``(NamedVictims, Estimated)`` from a latest-run file (either may be ``None``).

    ``origin`` replaces the origin the run recorded (e.g. to name the file).

    Raises
    ------
    UserInputError
        When the file cannot be read.
    """
    from undercount.compare import Estimated, NamedVictims

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserInputError(
            f"cannot read the latest run's figures {str(path)!r} ({exc}); "
            "run 'undercount run' again"
        ) from None
    named_data = data.get("named")
    named = (
        NamedVictims(
            int(named_data["count"]),
            origin or named_data["origin"],
            named_data["description"],
        )
        if named_data
        else None
    )
    estimated = None
    if data.get("estimate"):
        estimated = Estimated.from_json(path)
        estimated = dataclasses.replace(
            estimated, origin=origin or data["estimate"]["origin"]
        )
    return named, estimated


def latest_run_inputs(project: Project) -> tuple[Any, Any, Path | None]:
    """The latest run's ``(NamedVictims, Estimated, file)``; ``None`` s before a run."""
    path = project.root / LATEST_RUN
    if not path.is_file():
        return None, None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        results = str(data.get("results") or "results.json")
        origin = f"latest undercount run ({results}, analysis {data['analysis']!r})"
    except (OSError, ValueError, KeyError, TypeError):
        origin = None
    named, estimated = compare_inputs(path, origin)
    return named, estimated, path
