"""``/api/report``: the report written by ``undercount run`` (when there is one),
and running the pipeline to write it (a background job).

Viewers may only read a public report (``undercount run --public``: no personal
field, small cells suppressed). The HTML report is served with a sandboxing
Content-Security-Policy: it is self-contained, needs no script and no network.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ok
from undercount.service.ops.report import REPORT_FILES, report_job, report_status
from undercount.service.permissions import Role
from undercount.service.schemas import JobPublic, ReportPublic, ReportRunCreate

router = APIRouter(prefix="/api/report", tags=["report"])

REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; sandbox"
)


@router.get("", response_model=Envelope[ReportPublic])
async def read_report(services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Whether a report exists, whether it is public, and its files."""
    status = await run_in_threadpool(report_status, services.report_dir)
    if principal.user.role is Role.VIEWER and not status["public"]:
        status = {**status, "files": []}
    return ok(status)


@router.get(
    "/files/{name}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "the report file",
        }
    },
)
async def read_report_file(
    name: Literal["report.html", "report.pdf", "results.json"],
    services: ServicesDep,
    principal: PrincipalDep,
) -> FileResponse:
    """One file of the report (viewers: only of a public report)."""
    status = await run_in_threadpool(report_status, services.report_dir)
    if not any(f["file"] == name for f in status["files"]):
        raise ApiError(404, f"there is no {name}; run 'undercount run' first")
    if principal.user.role is Role.VIEWER and not status["public"]:
        raise ApiError(
            403, "viewers may only read a public report (undercount run --public)"
        )
    headers = {"Content-Security-Policy": REPORT_CSP}
    return FileResponse(
        services.report_dir / name,
        media_type=REPORT_FILES[name],
        headers=headers,
        content_disposition_type="inline" if name != "results.json" else "attachment",
        filename=name,
    )


@router.post("/runs", response_model=Envelope[JobPublic], status_code=202)
async def run_report(
    body: ReportRunCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Run the whole pipeline (``undercount run``) and write the report."""
    job = await services.jobs.submit(
        "report",
        body.model_dump(),
        principal.username,
        report_job(
            services.project_root,
            services.report_dir,
            public=body.public,
            pdf=body.pdf,
        ),
    )
    return ok(job.public())
