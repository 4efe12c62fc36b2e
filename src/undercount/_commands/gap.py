"""``undercount gap``: acknowledged vs documented vs estimated deaths.

Reads what the project store holds, exactly as ``undercount run`` does: incident
reports, acknowledgments (imported, and ``[[acknowledgments]]`` of
``undercount.toml``) and decisions, after importing the files listed in
``[incidents]`` (or, with ``--demo``, the shipped west Mosul table); matches and
grades them, and prints for the total and each scope of
``--by period,place,belligerent`` the figures and a plain-language statement.
Named victims and the estimate come by default from the project's latest
``undercount run`` (distinct people after linkage; the headline estimate with its
interval and strata); ``--named N``, ``--captures captures.csv`` or
``--clusters clusters.csv`` and ``--estimate`` override them
(``--estimate``: the JSON printed by ``undercount estimate --json``; with
``--strata``, each period/place row uses its own stratum's estimate, and
``--estimate-strata month=period,district=place`` says which stratum column is
which dimension when the names do not). ``--json``
prints one object with every figure and its provenance.
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


def _named(
    named: int | None, captures: Path | None, clusters: Path | None, demo: bool
) -> Any:
    from undercount.compare import NamedVictims
    from undercount.model import CaptureTable

    given = [x for x in (named, captures, clusters) if x is not None]
    if len(given) > 1:
        raise UserInputError("give one of --named, --captures or --clusters")
    if named is not None:
        return NamedVictims(named, "--named")
    if captures is not None:
        return NamedVictims.from_capture_table(
            CaptureTable.read_csv(captures), str(captures)
        )
    if clusters is not None:
        return NamedVictims.from_clusters_csv(clusters)
    if demo:
        from undercount.incidents import published_figures

        fig = published_figures()["ap-morgue-names"]
        return NamedVictims(
            fig.low,
            f"{fig.publisher}, {fig.published}: {fig.url}",
            "names on the Mosul morgue list (one list, not linked lists)",
        )
    return None


def _strata_dimensions(text: str) -> dict[str, str] | None:
    """``month=period,district=place`` -> ``{"month": "period", ...}``."""
    pairs: dict[str, str] = {}
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        column, sep, dimension = item.partition("=")
        if not sep or not column.strip() or not dimension.strip():
            raise UserInputError(
                f"--estimate-strata takes COLUMN=DIMENSION pairs, got {item!r}; "
                "e.g. --estimate-strata month=period,district=place"
            )
        pairs[column.strip()] = dimension.strip()
    return pairs or None


def _demo_graded(rules: Path | None) -> tuple[Any, Any, Any]:
    from undercount._commands.incidents import _Context

    ctx = _Context(None, True)
    try:
        _, graded, used_rules = ctx.grade(rules)
        return graded, ctx.acks, used_rules
    finally:
        ctx.close()


def _project_graded(
    project_dir: Path | None, rules_file: Path | None
) -> tuple[Any, Any, Any, Any, Any, list[str]]:
    """Graded incidents, acknowledgments and rules from the project store (as
    ``undercount run`` reads them), with the latest run's figures."""
    from undercount.incidents import GradingRules
    from undercount.pipeline import (
        grade_project_incidents,
        latest_run_inputs,
        load_project_incidents,
        pipeline_config,
    )
    from undercount.project import find_project

    found = find_project(project_dir)
    if not found.store_path.is_file():
        raise UserInputError(
            f"the project in {str(found.root)!r} has no store; run "
            "'undercount init' first"
        )
    config = pipeline_config(found.config.model_extra)
    data = load_project_incidents(found, config)
    rules = GradingRules.from_toml(rules_file) if rules_file else None
    graded, used_rules = grade_project_incidents(data, rules)
    run_named, run_estimated, _ = latest_run_inputs(found)
    declared = len(config.acknowledgments)
    sources = [
        f"incidents: {len(data.records)} reports and "
        f"{len(data.acknowledgments) - declared} acknowledgments in the project "
        f"store, {declared} acknowledgments declared in undercount.toml"
    ]
    sources += [f"{s['key']}: {s['file']} ({s['status']})" for s in data.synced]
    return graded, data.acknowledgments, used_rules, run_named, run_estimated, sources


def _provenance(named: Any, estimated: Any) -> list[str]:
    """Where the named and estimated figures come from, in words."""
    hint = "run 'undercount run' or pass --named/--captures/--clusters"
    lines = [f"named: {named.origin}" if named else f"named: none ({hint})"]
    lines.append(
        f"estimated: {estimated.origin}"
        if estimated
        else "estimated: none (run 'undercount run' or pass --estimate)"
    )
    return lines


@app.command("gap")
def gap(
    by: Annotated[
        str,
        typer.Option(
            "--by", help="Break down by period, place, belligerent (comma-separated)."
        ),
    ] = "",
    period_unit: Annotated[
        str, typer.Option("--period-unit", help="month, quarter or year.")
    ] = "month",
    named: Annotated[
        int | None, typer.Option("--named", help="Distinct named victims.")
    ] = None,
    captures: Annotated[
        Path | None,
        typer.Option("--captures", help="Capture table CSV (its observed count)."),
    ] = None,
    clusters: Annotated[
        Path | None,
        typer.Option("--clusters", help="Linkage clusters.csv (distinct cluster_id)."),
    ] = None,
    estimate: Annotated[
        Path | None,
        typer.Option("--estimate", help="JSON of 'undercount estimate --json'."),
    ] = None,
    estimate_strata: Annotated[
        str,
        typer.Option(
            "--estimate-strata",
            help="Stratum column=dimension pairs of a stratified --estimate "
            "(e.g. month=period,neighbourhood=place); names like month, "
            "place, district are recognised without it.",
        ),
    ] = "",
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Grading rules TOML.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
    demo: Annotated[
        bool, typer.Option("--demo", help="Use the shipped west Mosul incident table.")
    ] = False,
    project: Annotated[
        Path | None,
        typer.Option("--project", "-p", help="Project directory.", show_default=False),
    ] = None,
) -> None:
    """Acknowledged vs documented vs estimated civilian deaths, with provenance.

    Example: undercount gap --demo --by period,belligerent
    """
    from undercount.compare import Estimated, compute_gap

    dims = [d.strip() for d in by.split(",") if d.strip()]
    if period_unit not in ("month", "quarter", "year"):
        raise UserInputError(
            f"--period-unit must be month, quarter or year, got {period_unit!r}"
        )
    sources: list[str] = []
    if demo:
        graded, acks, used_rules = _demo_graded(rules)
        run_named, run_estimated = None, None
    else:
        graded, acks, used_rules, run_named, run_estimated, sources = _project_graded(
            project, rules
        )
    named_input = _named(named, captures, clusters, demo) or run_named
    estimated_input = (
        Estimated.from_json(estimate, dimensions=_strata_dimensions(estimate_strata))
        if estimate
        else run_estimated
    )
    if not demo:
        sources += _provenance(named_input, estimated_input)
    report = compute_gap(
        graded,
        acks,
        named=named_input,
        estimated=estimated_input,
        by=dims,
        period_unit=period_unit,  # type: ignore[arg-type]
        rules=used_rules,
    )
    if as_json:
        data = report.to_dict()
        if not demo:
            data["sources"] = sources
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    out = Console(highlight=False, soft_wrap=True)
    for line in sources:
        out.print(f"from: {line}", markup=False)
    table = Table(
        "scope",
        "acknowledged",
        "documented (confirmed/fair)",
        "also alleged",
        "named",
        "estimated",
    )
    for row in report.rows:
        f = row.figures

        def show(name: str, f: dict[str, Any] = f) -> str:
            return f[name].text() if name in f else "-"

        ack = show("acknowledged") if "acknowledged" in f else row.acknowledgment_status
        table.add_row(
            row.scope.label(),
            ack,
            show("documented"),
            show("also_alleged"),
            show("named"),
            show("estimated"),
        )
    out.print(table)
    for note in report.notes:
        out.print(f"note: {note}")
    for row in report.rows:
        out.print(f"\n[bold]{row.scope.label()}[/]: {row.statement}")
        for note in row.notes:
            out.print(f"  note: {note}")
