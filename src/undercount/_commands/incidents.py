"""``undercount incidents import|match|grade|list|review|quarantine``.

Incident reports (UCDP GED, ACLED or any table), acknowledgments, reviewer
decisions and results live in the project store. ``--demo`` runs ``match``,
``grade`` and ``list`` on the west Mosul table shipped with undercount instead
of a project. ``--json`` prints one JSON object.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from undercount.cli import app
from undercount.errors import UserInputError

incidents_app = typer.Typer(
    name="incidents",
    help="Incident reports: import, match across sources, grade, list, review.",
    no_args_is_help=True,
)
app.add_typer(incidents_app, name="incidents")

_ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project", "-p", help="Project directory (default: here).", show_default=False
    ),
]
_JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
_DemoOption = Annotated[
    bool, typer.Option("--demo", help="Use the shipped west Mosul incident table.")
]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))


class _Context:
    """Reports, acknowledgments, decisions and settings from a project or the demo."""

    def __init__(self, project_dir: Path | None, demo: bool) -> None:
        from undercount.incidents import (
            IncidentsConfig,
            ProjectIncidents,
            mosul_acknowledgments,
            mosul_decisions,
            mosul_incidents,
        )

        self.store: Any = None
        self.project: ProjectIncidents | None = None
        if demo:
            self.records = list(mosul_incidents().records)
            self.acks = list(mosul_acknowledgments().records)
            self.decisions = mosul_decisions()
            self.config = IncidentsConfig()
            return
        from undercount.project import find_project
        from undercount.store import Store

        project = find_project(project_dir)
        if not project.store_path.is_file():
            raise UserInputError(
                f"the project in {str(project.root)!r} has no store; run "
                "'undercount init' first"
            )
        self.config = IncidentsConfig.from_project_extra(
            project.config.model_extra, str(project.config_path)
        )
        self.store = Store.open(project.store_path)
        self.project = ProjectIncidents(self.store, self.config)
        self.records = self.project.records()
        self.acks = self.project.acknowledgments()
        self.decisions = self.project.decisions()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def match(self) -> Any:
        from undercount.incidents import match_incidents

        if not self.records:
            raise UserInputError(
                "no incident reports in this project; import some with "
                "'undercount incidents import SOURCE FILE' (or use --demo)"
            )
        return match_incidents(self.records, self.config.matching, self.decisions)

    def grade(self, rules_file: Path | None) -> tuple[Any, list[Any], Any]:
        from undercount.incidents import GradingRules, grade_clusters

        rules = (
            GradingRules.from_toml(rules_file) if rules_file else self.config.grading
        )
        result = self.match()
        graded = grade_clusters(
            result.clusters,
            rules,
            acknowledgments=self.acks,
            decisions=result.decisions,
        )
        return result, graded, rules


def _killed(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "-"
    if high is None:
        return f">= {low:,}"
    if low is None:
        return f"<= {high:,}"
    return f"{low:,}" if low == high else f"{low:,}-{high:,}"


def _with_extra_columns(config: Any, source: str, policy: str) -> Any:
    """``config`` (an ``IncidentsConfig``) with ``extra_columns = policy`` for
    ``source``: ``--extra-columns`` overrides the source's setting, as in
    ``undercount import``."""
    from undercount.incidents import IncidentSourceConfig

    if policy not in ("keep", "error"):
        raise UserInputError(
            f"--extra-columns must be 'keep' or 'error', got {policy!r}; "
            "e.g. --extra-columns keep"
        )
    current = config.sources.get(source) or IncidentSourceConfig()
    sources = {
        **config.sources,
        source: current.model_copy(update={"extra_columns": policy}),
    }
    return config.model_copy(update={"sources": sources})


@incidents_app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="Source name (e.g. airwars, acled).")],
    file: Annotated[Path, typer.Argument(help="CSV/TSV/XLSX/JSON file.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="ucdp-ged, acled, generic or acknowledgments "
            "(default: detected from the header).",
        ),
    ] = None,
    extra_columns: Annotated[
        str | None,
        typer.Option(
            "--extra-columns",
            help="'keep' unknown columns in each row's original only, or 'error' "
            "(default: the source's extra_columns setting, else error).",
        ),
    ] = None,
    as_json: _JsonOption = False,
    project: _ProjectOption = None,
) -> None:
    """Import an incident file (or acknowledgments) into the project.

    Bad rows are quarantined with file, line, column and reason;
    rows_in == accepted + quarantined.
    """
    ctx = _Context(project, demo=False)
    try:
        assert ctx.project is not None
        if extra_columns is not None:
            ctx.project.config = _with_extra_columns(
                ctx.project.config, source, extra_columns
            )
        summary = ctx.project.import_file(source, file, format=format)
    finally:
        ctx.close()
    if as_json:
        _echo_json(summary)
        return
    out = _out()
    verb = (
        "already imported (unchanged)"
        if summary["status"] == "unchanged"
        else "imported"
    )
    out.print(f"{summary['source']}: {summary['file']} {verb} as {summary['format']}")
    out.print(
        f"  rows in {summary['rows_in']:,} = accepted {summary['accepted']:,} + "
        f"quarantined {summary['quarantined']:,}"
    )
    if summary["quarantined"]:
        out.print("  see: undercount incidents quarantine")


@incidents_app.command("quarantine")
def quarantine(as_json: _JsonOption = False, project: _ProjectOption = None) -> None:
    """List quarantined incident rows with their reasons."""
    ctx = _Context(project, demo=False)
    try:
        assert ctx.project is not None
        rows = ctx.project.tables.quarantine()
    finally:
        ctx.close()
    if as_json:
        _echo_json({"quarantine": rows})
        return
    table = Table("import", "file", "line", "column", "reason")
    for r in rows:
        table.add_row(
            str(r["import_id"]), r["file"], str(r["line"]), r["field"], r["reason"]
        )
    _out().print(table)


@incidents_app.command("match")
def match(
    explain: Annotated[
        list[str] | None,
        typer.Option(
            "--explain", help="Explain a pair: --explain KEY_A --explain KEY_B."
        ),
    ] = None,
    as_json: _JsonOption = False,
    demo: _DemoOption = False,
    project: _ProjectOption = None,
) -> None:
    """Match reports across sources into incident clusters (every merge explained)."""
    ctx = _Context(project, demo)
    try:
        result = ctx.match()
        if ctx.project is not None:
            ctx.project.save_match(result)
    finally:
        ctx.close()
    if explain:
        if len(explain) != 2:
            raise UserInputError("--explain needs two report keys (give it twice)")
        data = result.explain(explain[0], explain[1])
        if as_json:
            _echo_json(data)
        else:
            _out().print_json(json.dumps(data, default=str))
        return
    multi = [c for c in result.clusters if len(c.records) > 1]
    if as_json:
        _echo_json(
            {
                **result.summary(),
                "clusters": [c.summary() for c in multi],
                "blocked": [link.to_dict() for link in result.blocked],
            }
        )
        return
    out = _out()
    s = result.summary()
    out.print(
        f"{s['reports']} reports -> {s['clusters']} incidents "
        f"({s['multi_source_clusters']} reported by several sources); "
        f"{s['candidate_pairs']} candidate pairs, {s['links']} links, "
        f"{s['blocked']} refused"
    )
    for cluster in multi:
        out.print(f"\n[bold]{cluster.cluster_id}[/] {', '.join(cluster.keys)}")
        for link in cluster.links:
            score = "reviewer" if link.origin == "reviewer" else f"{link.score:.1f}"
            out.print(f"  {link.key_a} + {link.key_b} [{score}]")
            for reason in link.reasons:
                out.print(f"    - {reason}")
    for link in result.blocked:
        out.print(
            f"\nnot merged: {link.key_a} + {link.key_b} ({link.score:.1f}): {link.note}"
        )


@incidents_app.command("grade")
def grade(
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules", help="TOML file of grading rules (default: [incidents.grading])."
        ),
    ] = None,
    as_json: _JsonOption = False,
    demo: _DemoOption = False,
    project: _ProjectOption = None,
) -> None:
    """Grade incident clusters: confirmed, fair, contested, weak, discounted."""
    ctx = _Context(project, demo)
    try:
        _, graded, used = ctx.grade(rules)
        if ctx.project is not None:
            ctx.project.save_grades(graded, used)
    finally:
        ctx.close()
    counts: dict[str, int] = {}
    for g in graded:
        counts[g.grade] = counts.get(g.grade, 0) + 1
    if as_json:
        _echo_json({"grades": counts, "incidents": [g.to_dict() for g in graded]})
        return
    out = _out()
    out.print(", ".join(f"{n} {grade}" for grade, n in sorted(counts.items())))
    for g in graded:
        out.print(f"{g.grade:<10} {g.cluster.cluster_id} {', '.join(g.cluster.keys)}")
        for reason in g.reasons:
            out.print(f"           - {reason}")


@incidents_app.command("list")
def list_(
    grade: Annotated[
        str | None, typer.Option("--grade", help="Only incidents of this grade.")
    ] = None,
    as_json: _JsonOption = False,
    demo: _DemoOption = False,
    project: _ProjectOption = None,
) -> None:
    """List incidents: date, place, each source's figures, grade, acknowledgment."""
    ctx = _Context(project, demo)
    try:
        _, graded, _ = ctx.grade(None)
    finally:
        ctx.close()
    if grade:
        graded = [g for g in graded if g.grade == grade]
    graded.sort(key=lambda g: (g.cluster.window() or (None, None))[0] or 0)
    if as_json:
        _echo_json({"incidents": [g.to_dict() for g in graded]})
        return
    table = Table(
        "incident", "dates", "place", "reports (killed)", "grade", "acknowledged"
    )
    for g in graded:
        c = g.cluster
        window = c.window()
        dates = (
            "-"
            if window is None
            else (
                window[0].isoformat()
                if window[0] == window[1]
                else f"{window[0]}..{window[1]}"
            )
        )
        place = c.place()
        reports = "\n".join(
            f"{r.key}: {_killed(r.incident.killed_min, r.incident.killed_max)}"
            for r in c.records
        )
        ack = "not acknowledged" if g.acknowledged is None else f"{g.acknowledged:,}"
        table.add_row(
            c.cluster_id, dates, place[1] if place else "-", reports, g.grade, ack
        )
    _out().print(table)


@incidents_app.command("review")
def review(
    kind: Annotated[
        str, typer.Argument(help="must-link, cannot-link, revoke, discount, restore.")
    ],
    key_a: Annotated[str, typer.Argument(help="Report key source:incident_id.")],
    key_b: Annotated[
        str | None, typer.Argument(help="Second key (pair decisions).")
    ] = None,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decides.")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why (required).")] = "",
    project: _ProjectOption = None,
) -> None:
    """Record a reviewer decision (append-only; the latest per pair wins)."""
    from undercount.incidents import ReviewDecision

    decision = ReviewDecision.make(kind, key_a, key_b, reviewer=reviewer, reason=reason)
    ctx = _Context(project, demo=False)
    try:
        assert ctx.project is not None
        number = ctx.project.decide(decision)
    finally:
        ctx.close()
    _out().print(
        f"decision {number}: {kind} {key_a}{' ' + key_b if key_b else ''} "
        f"by {reviewer} ({reason})"
    )
