"""Sources, imports and quarantine: the service's side of ``undercount.ingest``.

The import itself is :func:`undercount.ingest.import_file`, run as a background job
on the write thread (it is one store transaction). This module only turns the
library's results into the API's public shapes and runs the quarantine export.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from undercount.ingest import import_file
from undercount.project import Project
from undercount.service.database import Database
from undercount.service.jobs import JobContext, JobFunction
from undercount.service.ops.uploads import StoredUpload
from undercount.store import ImportInfo, SourceStatus, Store, export_quarantine

__all__ = [
    "export_quarantine_csv",
    "import_job",
    "import_public",
    "quarantine_page",
    "source_public",
]


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def import_public(info: ImportInfo) -> dict[str, Any]:
    """An import as :class:`~undercount.service.schemas.ImportPublic` (no path)."""
    return {
        "import_id": info.import_id,
        "source": info.source,
        "version": info.version,
        "file_name": _basename(info.file_path),
        "file_sha256": info.file_sha256,
        "file_size": info.file_size,
        "format": info.format,
        "encoding": info.encoding,
        "rows_in": info.rows_in,
        "accepted": info.accepted,
        "quarantined": info.quarantined,
        "blank_lines": info.blank_lines,
        "status": info.status,
        "started_at": info.started_at,
        "finished_at": info.finished_at,
        "actor": info.actor,
    }


def source_public(status: SourceStatus) -> dict[str, Any]:
    """A source as :class:`~undercount.service.schemas.SourcePublic`."""
    return {
        "source": status.name,
        "title": status.title,
        "versions": status.versions,
        "current_version": status.current_version,
        "records": status.records,
        "quarantined": status.quarantined,
        "last_import": import_public(status.last_import)
        if status.last_import
        else None,
    }


def import_job(
    db: Database, project_root: Path, source: str, upload: StoredUpload, actor: str
) -> JobFunction:
    """The job importing ``upload`` as the next version of ``source``."""

    def run(context: JobContext) -> dict[str, Any]:
        context.hide(str(upload.path), upload.original_name)
        context.hide(str(upload.path.parent), "uploads")
        config = Project.load(project_root).config.source(source)
        context.progress(0.0, "reading and validating")

        def progress(done: int, total: int, rows: int) -> None:
            context.progress(done / total if total else None, f"{rows:,} rows read")

        result = db.write_sync(
            lambda store: import_file(
                store, source, upload.path, config, progress=progress, actor=actor
            )
        )
        out = result.to_json()
        out["file"] = upload.original_name
        return {
            key: out[key]
            for key in (
                "source",
                "file",
                "file_sha256",
                "rows_in",
                "accepted",
                "quarantined",
                "blank_lines",
                "import_id",
                "version",
                "status",
                "format",
                "encoding",
            )
        }

    return run


def quarantine_page(
    store: Store, source: str | None, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Quarantined rows of the current versions (one page) and their total."""
    entries = store.quarantine(source)
    total = sum(
        s.quarantined for s in store.source_status() if source in (None, s.name)
    )
    page = itertools.islice(entries, offset, offset + limit)
    return [
        {
            "import_id": e.import_id,
            "source": e.source,
            "version": e.version,
            "file_name": _basename(e.file),
            "line": e.line,
            "field": e.field,
            "reason": e.reason,
            "errors": e.errors,
            "original": e.original,
        }
        for e in page
    ], total


def export_quarantine_csv(
    store: Store, source: str | None, folder: Path, *, actor: str
) -> Path:
    """Write the quarantine (formula-escaped CSV) to a new file in ``folder``.

    Runs on the write thread: the export and the download are both audited as
    ``actor``; the export's entry records the file's path relative to the project
    (or only its name), never the server's absolute path.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the caller deletes it
        dir=folder, prefix="quarantine-", suffix=".csv", delete=False
    )
    handle.close()
    target = Path(handle.name)
    result = export_quarantine(store, target, source=source, actor=actor)
    store.append_audit(
        "quarantine.download",
        {"source": source, "rows": result.rows, "sha256": result.sha256},
        actor=actor,
    )
    return target
