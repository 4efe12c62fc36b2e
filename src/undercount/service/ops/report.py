"""The report written by ``undercount run``: running it, which files exist, and
whether the report is public.

The service does not build reports: :func:`report_job` runs the pipeline
(:func:`undercount.pipeline.run_project`), and the service serves the files found
in the report folder. A report is public when its ``results.json`` says
``"public": true`` (``undercount run --public``): only such a report is shown to
viewers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from undercount.service.jobs import JobContext, JobFunction
from undercount.service.ops.common import jsonable
from undercount.service.privacy import strip_personal

__all__ = ["REPORT_FILES", "report_job", "report_status"]

#: The files the service serves, and their media types.
REPORT_FILES: Final[dict[str, str]] = {
    "report.html": "text/html; charset=utf-8",
    "report.pdf": "application/pdf",
    "results.json": "application/json",
}


def report_status(folder: Path) -> dict[str, Any]:
    """What ``folder`` holds, as :class:`~undercount.service.schemas.ReportPublic`.

    A report without a readable ``results.json`` is treated as not public.
    """
    files = [
        {
            "file": name,
            "size": (folder / name).stat().st_size,
            "url": f"/api/report/files/{name}",
        }
        for name in REPORT_FILES
        if (folder / name).is_file()
    ]
    if not files:
        return {"available": False, "public": None, "title": None, "files": []}
    public = False
    title = None
    try:
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        public = results.get("public") is True
        title = results.get("title") if isinstance(results.get("title"), str) else None
    except (OSError, ValueError, AttributeError):
        pass
    return {"available": True, "public": public, "title": title, "files": files}


def report_job(
    project_root: Path, out_dir: Path, *, public: bool, pdf: bool
) -> JobFunction:
    """The job running :func:`undercount.pipeline.run_project` into ``out_dir``.

    The pipeline reads the lists through its own (read-only) connection to the
    store, links, estimates and writes ``results.json`` and the report.
    """

    def run(context: JobContext) -> dict[str, Any]:
        from undercount.pipeline import run_project

        context.progress(None, "starting the pipeline")
        result = run_project(
            project_root,
            out_dir,
            public,
            pdf=pdf,
            progress=lambda message: context.progress(None, message),
        )
        files = sorted(p.name for p in result.files.values() if p is not None)
        headlines = strip_personal(jsonable(result.headlines()))
        return {
            "public": public,
            "files": files,
            "pdf_message": result.pdf_message,
            "headlines": headlines,
        }

    return run
