"""``undercount demo [--out DIR]``: the bundled SIMULATED lists through the importer.

Interim version (issue 2): it creates a project (in DIR, or a temporary directory
that is removed afterwards), imports the bundled demo lists and prints a summary.
When the later stages land, the whole pipeline replaces it (DESIGN.md: the demo
writes ``report.html`` and ``results.json``); it lives in its own module for that.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from undercount.cli import app
from undercount.errors import UserInputError

#: Demo files and the source name each is imported as, in import order.
DEMO_FILES = (
    ("morgue", "morgue.csv"),
    ("hospital", "hospital.csv"),
    ("ngo", "ngo.csv"),
    ("media", "media.jsonl"),
)


def run_demo(directory: Path) -> list[dict[str, object]]:
    """Create a project in ``directory`` and import every demo list into it.

    Returns one summary dict per source (``source``, ``file``, ``rows_in``,
    ``accepted``, ``quarantined``).
    """
    from undercount.ingest import import_file
    from undercount.project import init_project
    from undercount.store import Store

    project = init_project(directory, name="undercount demo (simulated data)")
    data = resources.files("undercount.data.demo")
    summary: list[dict[str, object]] = []
    with Store.open(project.store_path) as store:
        for source, name in DEMO_FILES:
            with resources.as_file(data / name) as path:
                result = import_file(store, source, path)
            summary.append(
                {
                    "source": source,
                    "file": name,
                    "rows_in": result.rows_in,
                    "accepted": result.accepted,
                    "quarantined": result.quarantined,
                }
            )
    return summary


@app.command("demo")
def demo(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Keep the demo project in this (new) directory; default: a "
            "temporary directory, removed afterwards.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run undercount on the bundled SIMULATED lists and print a summary.

    Example: ``undercount demo`` or ``undercount demo --out demo-project``
    """
    console = Console(highlight=False)
    if out is not None:
        if out.exists() and any(out.iterdir()):
            raise UserInputError(
                f"{str(out)!r} is not empty; give a new directory to --out"
            )
        summary = run_demo(out)
        where = f"project kept in {out.resolve()}"
    else:
        with tempfile.TemporaryDirectory(prefix="undercount-demo-") as tmp:
            summary = run_demo(Path(tmp) / "demo")
        where = "temporary project removed; use --out DIR to keep it"
    console.print("undercount demo: four SIMULATED lists of the dead (not real people)")
    table = Table(show_edge=False, header_style="bold")
    for column in ("source", "file", "rows in", "accepted", "quarantined"):
        table.add_column(
            column, justify="left" if column in ("source", "file") else "right"
        )
    for row in summary:
        table.add_row(
            str(row["source"]),
            str(row["file"]),
            f"{row['rows_in']:,}",
            f"{row['accepted']:,}",
            f"{row['quarantined']:,}",
        )
    totals = [
        sum(int(str(r[k])) for r in summary)
        for k in ("rows_in", "accepted", "quarantined")
    ]
    table.add_row("total", "", *(f"{t:,}" for t in totals), style="bold")
    console.print(table)
    console.print(f"({where}; linkage and estimation join the demo as they land)")
