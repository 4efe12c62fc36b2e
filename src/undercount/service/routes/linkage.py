"""``/api/linkage/runs``: link the project's current lists (a background job).

A run applies every review decision recorded so far; its summary has counts only
(records, pairs, people, pairs left to review), never a record.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.jobs import Job, JobContext
from undercount.service.ops.linkage import linkage_job
from undercount.service.schemas import JobPublic, LinkageRunCreate, LinkageRunPublic

router = APIRouter(prefix="/api/linkage/runs", tags=["linkage"])

RunIdPath = Path(pattern=r"^[0-9a-f]{16}$")


def run_public(job: Job) -> dict[str, Any]:
    """A linkage job as :class:`LinkageRunPublic` (counts only)."""
    result = job.result or {}
    return {
        "run_id": job.job_id,
        "status": job.status,
        "created_by": job.created_by,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "lists": result.get("lists", []),
        "records": result.get("records"),
        "pairs": result.get("pairs"),
        "people": result.get("people"),
        "to_review": result.get("to_review"),
        "threshold": result.get("threshold", job.params.get("threshold")),
        "error": job.error,
    }


@router.get("", response_model=ListEnvelope[LinkageRunPublic])
async def read_runs(
    services: ServicesDep,
    principal: PrincipalDep,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    """Linkage runs, newest first."""
    jobs, total = await services.jobs.list("linkage", limit=limit, offset=offset)
    return ok_list([run_public(j) for j in jobs], count=total)


@router.post("", response_model=Envelope[JobPublic], status_code=202)
async def start_run(
    body: LinkageRunCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Start a linkage run; poll ``/api/jobs/{job_id}`` (the job id is the run id)."""
    overrides = body.model_dump(exclude_none=True)

    def make(context: JobContext) -> dict[str, Any]:
        return linkage_job(
            services.db,
            services.runs,
            services.project_root,
            context.job_id,
            overrides,
        )(context)

    job = await services.jobs.submit("linkage", overrides, principal.username, make)
    return ok(job.public())


@router.get("/{run_id}", response_model=Envelope[LinkageRunPublic])
async def read_run(
    services: ServicesDep, principal: PrincipalDep, run_id: str = RunIdPath
) -> dict[str, Any]:
    """One linkage run."""
    job = await services.jobs.get(run_id)
    if job is None or job.kind != "linkage":
        raise ApiError(404, f"no linkage run {run_id!r}")
    return ok(run_public(job))
