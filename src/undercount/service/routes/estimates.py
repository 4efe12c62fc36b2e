"""``/api/estimates``: run an estimator on the project's capture table; results.

The capture table is that of a linkage run (default: the latest finished one)
re-clustered with the current review decisions. Estimation runs as a background job;
the estimate's id is its job id.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok
from undercount.service.jobs import Job
from undercount.service.ops.estimates import build_estimator, estimate_job, methods
from undercount.service.ops.linkage import latest_run_id
from undercount.service.routes._kinds import (
    job_id_path,
    limit_query,
    list_kind,
    offset_query,
    read_kind,
)
from undercount.service.schemas import (
    EstimateCreate,
    EstimatePublic,
    JobPublic,
    MethodsPublic,
)
from undercount.store import Store

router = APIRouter(prefix="/api/estimates", tags=["estimates"])


def estimate_public(job: Job) -> dict[str, Any]:
    """An estimation job as :class:`EstimatePublic`."""
    result = job.result or {}
    return {
        "estimate_id": job.job_id,
        "status": job.status,
        "method": job.params.get("method", ""),
        "run_id": job.params.get("run_id"),
        "created_by": job.created_by,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "result": result.get("figures"),
        "error": job.error,
    }


@router.get("/methods", response_model=Envelope[MethodsPublic])
async def read_methods(principal: PrincipalDep) -> dict[str, Any]:
    """Estimation methods available by name."""
    return ok({"methods": await run_in_threadpool(methods)})


@router.get("", response_model=ListEnvelope[EstimatePublic])
async def read_estimates(
    services: ServicesDep,
    principal: PrincipalDep,
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Estimates, newest first."""
    return await list_kind(
        services, "estimate", estimate_public, limit=limit, offset=offset
    )


@router.post("", response_model=Envelope[JobPublic], status_code=202)
async def run_estimate(
    body: EstimateCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Start an estimate; poll ``/api/jobs/{job_id}`` or ``/api/estimates/{id}``."""
    known = await run_in_threadpool(methods)
    if body.method not in known:
        raise ApiError(
            422,
            f"unknown method {body.method!r}; choose one of {known!r}",
            errors=[{"loc": ["body", "method"], "msg": "unknown method"}],
        )
    await run_in_threadpool(build_estimator, body.method, dict(body.options))

    def find_run(store: Store) -> str | None:
        if body.run_id is None:
            return latest_run_id(store)
        rows = store.backend.fetchall(
            "SELECT job_id FROM service.jobs WHERE job_id = ? AND kind = 'linkage' "
            "AND status = 'done'",
            [body.run_id],
        )
        return str(rows[0][0]) if rows else None

    run_id = await services.db.read(find_run)
    if run_id is None:
        raise ApiError(
            409,
            "no finished linkage run to estimate from; run linkage first"
            if body.run_id is None
            else f"no finished linkage run {body.run_id!r}",
        )
    params = {
        "method": body.method,
        "level": body.level,
        "options": dict(body.options),
        "run_id": run_id,
    }
    job = await services.jobs.submit(
        "estimate",
        params,
        principal.username,
        estimate_job(
            services.db,
            services.runs,
            run_id,
            body.method,
            dict(body.options),
            body.level,
        ),
    )
    return ok(job.public())


@router.get("/{estimate_id}", response_model=Envelope[EstimatePublic])
async def read_estimate(
    services: ServicesDep, principal: PrincipalDep, estimate_id: str = job_id_path()
) -> dict[str, Any]:
    """One estimate and, once done, its figures."""
    return await read_kind(
        services, "estimate", estimate_id, estimate_public, what="estimate"
    )
