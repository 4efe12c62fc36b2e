"""``undercount run [--out DIR] [--public]``: the whole pipeline over a project.

Contract (DESIGN.md, stable): writes ``report.html``, ``report.pdf`` and
``results.json`` to DIR (default ``out/`` in the project). ``--public`` leaves every
personal field out of the outputs and suppresses small cells. Stages whose inputs
did not change are read from the project's cache (``.undercount/cache``);
``--no-cache`` recomputes everything.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from undercount.cli import app


@app.command("run")
def run(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Output folder (default: out/ in the project).",
            show_default=False,
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Leave every personal field out and suppress small cells "
            "([report] small_cells, default 5).",
        ),
    ] = False,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            help="Project directory (default: the current directory or a parent).",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")
    ] = True,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache", help="Reuse stages whose inputs did not change."
        ),
    ] = True,
) -> None:
    """Link the project's lists, estimate, compare and write the report.

    Example: ``undercount run --public --out public/``
    """
    from undercount._commands.demo import headline_lines
    from undercount.pipeline import run_project

    started = time.perf_counter()

    def say(message: str) -> None:
        typer.echo(f"  ... {message}", err=True)

    result = run_project(
        project, out, public=public, pdf=pdf, use_cache=cache, progress=say
    )
    for line in headline_lines(result.results):
        typer.echo(line)
    for name in ("html", "pdf", "results"):
        path = result.files.get(name)
        if path is not None:
            typer.echo(f"wrote {path}")
    if result.pdf_message and pdf:
        typer.echo(f"note: {result.pdf_message}", err=True)
    cached = sum(1 for e in result.stages if e.status == "cached")
    typer.echo(
        f"done in {time.perf_counter() - started:.1f} s "
        f"({cached} of {len(result.stages)} stages reused from the cache)"
        + (" [public version]" if public else "")
    )
