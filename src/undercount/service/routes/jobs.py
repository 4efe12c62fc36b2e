"""``/api/jobs``: background jobs (imports, linkage runs, estimates) and progress."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.schemas import JobKind, JobPublic

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

JobIdPath = Path(pattern=r"^[0-9a-f]{16}$")


@router.get("", response_model=ListEnvelope[JobPublic])
async def read_jobs(
    services: ServicesDep,
    principal: PrincipalDep,
    kind: JobKind | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    """Jobs, newest first."""
    jobs, total = await services.jobs.list(kind, limit=limit, offset=offset)
    return ok_list([j.public() for j in jobs], count=total)


@router.get("/{job_id}", response_model=Envelope[JobPublic])
async def read_job(
    services: ServicesDep, principal: PrincipalDep, job_id: str = JobIdPath
) -> dict[str, Any]:
    """One job: status, progress (0-1 when known), result or error."""
    job = await services.jobs.get(job_id)
    if job is None:
        raise ApiError(404, f"no job {job_id!r}")
    return ok(job.public())
