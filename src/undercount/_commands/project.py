"""Project commands: ``init``, ``import``, ``status``, ``quarantine``, ``export``.

Contract (DESIGN.md): ``undercount init [DIR]`` creates ``undercount.toml`` and the
DuckDB store; the other commands work on the project in the current directory (or a
parent), or ``--project DIR``. ``undercount import SOURCE FILE --json`` prints one
JSON object with ``source``, ``file_sha256``, ``rows_in``, ``accepted`` and
``quarantined`` (``rows_in == accepted + quarantined``). A file that cannot be read
at all is a one-line ``error: ...`` and a non-zero exit, without traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from undercount.cli import app
from undercount.errors import UserInputError
from undercount.project import Project, SourceConfig, find_project, init_project

_ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="Project directory (default: the current directory or a parent).",
        show_default=False,
    ),
]
_JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _open(project_dir: Path | None, *, read_only: bool = False) -> tuple[Project, Any]:
    """The project and its store (``read_only``: for commands that only read)."""
    from undercount.store import Store

    project = find_project(project_dir)
    if not project.store_path.is_file():
        raise UserInputError(
            f"the project in {str(project.root)!r} has no store "
            f"({project.store_path.name}); it was removed or never created; "
            "restore it from a backup, or run 'undercount init' in a new directory"
        )
    return project, Store.open(project.store_path, read_only=read_only)


# -- init -----------------------------------------------------------------------------


@app.command("init")
def init(
    directory: Annotated[
        Path, typer.Argument(help="Directory of the new project (created if needed).")
    ] = Path("."),
    name: Annotated[
        str | None, typer.Option(help="Project name (default: the directory name).")
    ] = None,
) -> None:
    """Create a project: undercount.toml (commented example) and the DuckDB store.

    Example: ``undercount init mosul && cd mosul && undercount import morgue
    lists/morgue.csv``
    """
    project = init_project(directory, name=name)
    out = _out()
    out.print(f"Created project {project.config.project.name!r} in {project.root}")
    out.print(f"  {project.config_path.name}  configuration (sources, column mappings)")
    out.print(
        f"  {project.store_path.name}  the store (records, quarantine, audit log)"
    )
    out.print(
        "Next: undercount import SOURCE FILE   (e.g. undercount import morgue x.csv)"
    )


# -- import ---------------------------------------------------------------------------


class _ProgressBar:
    """A rich progress bar on stderr that appears only once an import is slow."""

    def __init__(self, label: str, *, delay: float = 2.0) -> None:
        self._label = label
        self._delay = delay
        self._start = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int, rows: int) -> None:
        if self._progress is None:
            if time.monotonic() - self._start < self._delay:
                return
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[rows]:>12,} rows"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=total, rows=0)
        self._progress.update(self._task, completed=done, total=total, rows=rows)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _merge_config(
    project: Project,
    source: str,
    *,
    encoding: str | None,
    file_format: str | None,
    delimiter: str | None,
    sheet: str | None,
    extra_columns: str | None,
) -> SourceConfig:
    base = project.config.source(source)
    overrides: dict[str, Any] = {
        key: value
        for key, value in {
            "encoding": encoding,
            "format": file_format,
            "delimiter": delimiter,
            "sheet": sheet,
            "extra_columns": extra_columns,
        }.items()
        if value is not None
    }
    if not overrides:
        return base
    from pydantic import ValidationError

    try:
        return SourceConfig.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UserInputError(
            f"--{str(first['loc'][0]).replace('_', '-')}: "
            f"{str(first['msg']).removeprefix('Value error, ')}"
        ) from None


@app.command("import")
def import_(
    source: Annotated[
        str,
        typer.Argument(
            help="Source name, e.g. 'morgue' (a sources table in the config)."
        ),
    ],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The list (CSV, TSV, XLSX, JSON, JSONL, Parquet); default: the "
            "source's 'file' in undercount.toml.",
            show_default=False,
        ),
    ] = None,
    as_json: _JsonOption = False,
    encoding: Annotated[
        str | None,
        typer.Option(help="Text encoding: utf-8, utf-16, cp1256... (default: detect)."),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, tsv, xlsx, json, jsonl or parquet (default: extension).",
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV field delimiter (default: sniffed).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX worksheet name.")] = None,
    extra_columns: Annotated[
        str | None,
        typer.Option(
            "--extra-columns",
            help="'keep' unmapped columns in the original row only, or 'error'.",
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr (default: when stderr is a terminal).",
            show_default=False,
        ),
    ] = None,
    project_dir: _ProjectOption = None,
) -> None:
    """Import a list as the next version of SOURCE: validate, quarantine, store.

    Every row is accepted or quarantined with a reason naming the file,
    line and column: rows_in == accepted + quarantined. Blank lines are
    not rows. The import is atomic; importing the same file again with
    the same settings changes nothing.

    Examples: ``undercount import morgue lists/morgue.csv`` ;
    ``undercount import ngo ngo.xlsx --json`` ;
    ``undercount import media media.csv --encoding cp1256 --extra-columns keep``
    """
    from undercount.ingest import import_file

    project, store = _open(project_dir)
    with store:
        config = _merge_config(
            project,
            source,
            encoding=encoding,
            file_format=file_format,
            delimiter=delimiter,
            sheet=sheet,
            extra_columns=extra_columns,
        )
        if file is None:
            if config.file is None:
                raise UserInputError(
                    f"no FILE given and [sources.{source}] in undercount.toml has no "
                    f"'file'; run 'undercount import {source} PATH'"
                )
            file = project.root / config.file
        show = (
            progress if progress is not None else (sys.stderr.isatty() and not as_json)
        )
        bar = _ProgressBar(f"importing {file.name}") if show else None
        try:
            result = import_file(store, source, file, config, progress=bar)
        except KeyboardInterrupt:
            raise UserInputError(
                "interrupted; nothing was imported (the store is unchanged)"
            ) from None
        finally:
            if bar is not None:
                bar.close()
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    out = _out()
    if result.status == "unchanged":
        out.print(
            f"{source}: {file} is unchanged (same SHA-256 and settings as import "
            f"{result.import_id}, version {result.version}); nothing imported"
        )
        return
    out.print(
        f"{source}: imported {file} as version {result.version} "
        f"(import {result.import_id}, {result.format}"
        + (f", {result.encoding}" if result.encoding else "")
        + f", {result.seconds:.1f} s)"
    )
    out.print(f"  rows in      {result.rows_in:>10,}")
    out.print(f"  accepted     {result.accepted:>10,}")
    hint = (
        f"   see: undercount quarantine list --source {source}"
        if result.quarantined
        else ""
    )
    out.print(f"  quarantined  {result.quarantined:>10,}{hint}")
    if result.blank_lines:
        out.print(f"  blank lines  {result.blank_lines:>10,}   (not rows; skipped)")
    out.print(f"  sha256       {result.file_sha256}")


# -- status ---------------------------------------------------------------------------


@app.command("status")
def status(as_json: _JsonOption = False, project_dir: _ProjectOption = None) -> None:
    """Per source: current version, records, quarantined rows, last import.

    Example: ``undercount status`` (or ``undercount status --json``)
    """
    project, store = _open(project_dir, read_only=True)
    with store:
        rows = store.source_status()
    if as_json:
        payload = [
            {
                "source": s.name,
                "version": s.current_version,
                "versions": s.versions,
                "records": s.records,
                "quarantined": s.quarantined,
                "last_import": None
                if s.last_import is None
                else {
                    "import_id": s.last_import.import_id,
                    "file": s.last_import.file_path,
                    "file_sha256": s.last_import.file_sha256,
                    "finished_at": s.last_import.finished_at.isoformat(),
                    "rows_in": s.last_import.rows_in,
                    "accepted": s.last_import.accepted,
                    "quarantined": s.last_import.quarantined,
                },
            }
            for s in rows
        ]
        typer.echo(json.dumps({"project": str(project.root), "sources": payload}))
        return
    out = _out()
    out.print(f"Project {project.config.project.name!r} ({project.root})")
    if not rows:
        out.print("No sources yet. Import one: undercount import SOURCE FILE")
        return
    table = Table(show_edge=False, header_style="bold")
    columns = ("source", "version", "records", "quarantined", "imported (UTC)", "file")
    for column in columns:
        table.add_column(
            column, justify="left" if column in ("source", "file") else "right"
        )
    for s in rows:
        last = s.last_import
        table.add_row(
            s.name,
            f"{s.current_version} of {s.versions}" if s.current_version else "-",
            f"{s.records:,}",
            f"{s.quarantined:,}",
            f"{last.finished_at:%Y-%m-%d %H:%M}" if last else "-",
            Path(last.file_path).name if last else "-",
        )
    out.print(table)


# -- quarantine -----------------------------------------------------------------------

quarantine_app = typer.Typer(
    name="quarantine",
    help="Rows that were not accepted, with the reason (current versions).",
    no_args_is_help=True,
)
app.add_typer(quarantine_app)


@quarantine_app.command("list")
def quarantine_list(
    source: Annotated[
        str | None, typer.Option(help="Only this source.", show_default=False)
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    as_json: _JsonOption = False,
    project_dir: _ProjectOption = None,
) -> None:
    """List quarantined rows: source, line, column and reason.

    Example: ``undercount quarantine list --source morgue --limit 20``
    """
    _project, store = _open(project_dir, read_only=True)
    with store:
        entries: list[Any] = []
        total = 0
        for entry in store.quarantine(source):
            total += 1
            if len(entries) < limit:
                entries.append(entry)
    if as_json:
        payload = {
            "total": total,
            "shown": len(entries),
            "rows": [
                {
                    "source": e.source,
                    "version": e.version,
                    "import_id": e.import_id,
                    "file": e.file,
                    "line": e.line,
                    "field": e.field,
                    "reason": e.reason,
                    "errors": e.errors,
                    "original": e.original,
                }
                for e in entries
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    out = _out()
    if not total:
        out.print("No quarantined rows.")
        return
    for e in entries:
        out.print(f"{e.source} v{e.version}: {e.reason}")
    if total > len(entries):
        out.print(
            f"... {total - len(entries):,} more; 'undercount quarantine export "
            "--out FILE.csv' writes them all"
        )


@quarantine_app.command("export")
def quarantine_export(
    out_file: Annotated[
        Path, typer.Option("--out", help="Output file: .csv or .parquet.")
    ],
    source: Annotated[
        str | None, typer.Option(help="Only this source.", show_default=False)
    ] = None,
    project_dir: _ProjectOption = None,
) -> None:
    """Write every quarantined row (with reason and original row) to a file.

    Example: ``undercount quarantine export --out quarantine.csv``
    """
    from undercount.store import export_quarantine

    _project, store = _open(project_dir)
    with store:
        result = export_quarantine(store, out_file, source=source)
    _out().print(f"wrote {result.rows:,} quarantined rows to {result.path}")


# -- export ---------------------------------------------------------------------------


@app.command("export")
def export(
    out_file: Annotated[
        Path, typer.Option("--out", help="Output file: .csv or .parquet.")
    ],
    source: Annotated[
        str | None, typer.Option(help="Only this source.", show_default=False)
    ] = None,
    original: Annotated[
        bool, typer.Option("--original", help="Add the original row (JSON) column.")
    ] = False,
    project_dir: _ProjectOption = None,
) -> None:
    """Export accepted records (current version of each source) to CSV or Parquet.

    In CSV, text cells starting with = + - @ (or tab/CR) get a leading
    apostrophe so spreadsheets cannot run them as formulas; plain numbers
    such as -3 are kept.

    Example: ``undercount export --out records.csv``
    """
    from undercount.store import export_records

    _project, store = _open(project_dir)
    with store:
        result = export_records(store, out_file, source=source, original=original)
    _out().print(
        f"wrote {result.rows:,} records to {result.path} (sha256 {result.sha256})"
    )
