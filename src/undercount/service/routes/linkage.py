"""``/api/linkage/runs``: link the project's current lists (a background job).

A run applies every review decision recorded so far; its summary has counts only
(records, pairs, people, pairs left to review), never a record.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import Envelope, ListEnvelope, ok
from undercount.service.jobs import Job, JobContext
from undercount.service.ops.linkage import linkage_job
from undercount.service.routes._kinds import (
    job_id_path,
    limit_query,
    list_kind,
    offset_query,
    read_kind,
)
from undercount.service.schemas import JobPublic, LinkageRunCreate, LinkageRunPublic

router = APIRouter(prefix="/api/linkage/runs", tags=["linkage"])


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
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Linkage runs, newest first."""
    return await list_kind(services, "linkage", run_public, limit=limit, offset=offset)


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
    services: ServicesDep, principal: PrincipalDep, run_id: str = job_id_path()
) -> dict[str, Any]:
    """One linkage run."""
    return await read_kind(services, "linkage", run_id, run_public, what="linkage run")
