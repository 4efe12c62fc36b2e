"""The report written by ``undercount run``: which files exist, and whether public.

The service does not build reports (the pipeline does); it serves the files found
in the report folder. A report is public when its ``results.json`` says
``"public": true`` (``undercount run --public``): only such a report is shown to
viewers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

__all__ = ["REPORT_FILES", "report_status"]

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
