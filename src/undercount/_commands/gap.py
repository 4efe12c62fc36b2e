"""``undercount gap``: acknowledged vs documented vs estimated deaths.

Reads the project's incident reports, acknowledgments and decisions (or, with
``--demo``, the shipped west Mosul table), matches and grades them, and prints
for the total and each scope of ``--by period,place,belligerent`` the figures and
a plain-language statement. Named victims come from ``--named N``,
``--captures captures.csv`` or ``--clusters clusters.csv``; the estimate from
``--estimate`` (the JSON printed by ``undercount estimate --json``; with
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
    from undercount._commands.incidents import _Context
    from undercount.compare import Estimated, compute_gap

    dims = [d.strip() for d in by.split(",") if d.strip()]
    if period_unit not in ("month", "quarter", "year"):
        raise UserInputError(
            f"--period-unit must be month, quarter or year, got {period_unit!r}"
        )
    ctx = _Context(project, demo)
    try:
        _, graded, used_rules = ctx.grade(rules)
        acks = ctx.acks
    finally:
        ctx.close()
    report = compute_gap(
        graded,
        acks,
        named=_named(named, captures, clusters, demo),
        estimated=Estimated.from_json(
            estimate, dimensions=_strata_dimensions(estimate_strata)
        )
        if estimate
        else None,
        by=dims,
        period_unit=period_unit,  # type: ignore[arg-type]
        rules=used_rules,
    )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return
    out = Console(highlight=False, soft_wrap=True)
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
