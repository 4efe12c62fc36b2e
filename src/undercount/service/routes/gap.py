"""``/api/gap``: acknowledged vs documented vs named vs estimated deaths.

The gap is :func:`undercount.compare.compute_gap` on the project's current
incident reports, acknowledgments and decisions, matched and graded with the
project's settings (as ``undercount gap`` does), answered in the JSON of
``undercount gap --json``. Named victims and the estimate come from an estimate
the service ran (``estimate_id``, default: the latest finished one): its
``observed`` people are the distinct people on the linked lists, its interval the
estimate; ``named`` overrides the count.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from undercount.compare import Estimated, NamedVictims, compute_gap
from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ok
from undercount.service.jobs import Job
from undercount.service.ops.common import jsonable
from undercount.service.ops.incidents import incident_config, load_inputs
from undercount.service.privacy import strip_personal

router = APIRouter(prefix="/api/gap", tags=["gap"])

DIMENSIONS = ("period", "place", "belligerent")
#: Keys of the gap's own JSON that share a name with a personal field.
GAP_OWN_KEYS = ("notes", "value")


def _dimensions(by: str) -> list[str]:
    dims = [d.strip() for d in by.split(",") if d.strip()]
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown or len(set(dims)) != len(dims):
        raise ApiError(
            422,
            f"'by' takes a comma-separated list of {', '.join(DIMENSIONS)} (each "
            f"once); got {by[:100]!r}",
            errors=[{"loc": ["query", "by"], "msg": "unknown or repeated dimension"}],
        )
    return dims


async def _estimate(services: ServicesDep, estimate_id: str | None) -> Job | None:
    if estimate_id is not None:
        job = await services.jobs.get(estimate_id)
        if job is None or job.kind != "estimate" or job.status != "done":
            raise ApiError(404, f"no finished estimate {estimate_id!r}")
        return job
    jobs, _ = await services.jobs.list("estimate", limit=50, offset=0)
    return next((j for j in jobs if j.status == "done" and j.result), None)


def _inputs_from(
    job: Job | None, named: int | None
) -> tuple[NamedVictims | None, Estimated | None]:
    figures = ((job.result or {}).get("figures") or {}) if job else {}
    estimated = None
    if job is not None and all(k in figures for k in ("estimate", "lower", "upper")):
        try:
            estimated = Estimated(
                float(figures["estimate"]),
                float(figures["lower"]),
                float(figures["upper"]),
                float(figures.get("level", 0.95)),
                str(figures.get("method", "?")),
                figures.get("observed"),
                f"service estimate {job.job_id}",
            )
        except (TypeError, ValueError):
            estimated = None
    count = None
    if named is not None:
        count = NamedVictims(named, "given ('named' parameter)")
    elif job is not None and isinstance(figures.get("observed"), int):
        count = NamedVictims(figures["observed"], f"service estimate {job.job_id}")
    return count, estimated


@router.get("", response_model=Envelope[dict[str, Any]])
async def read_gap(
    services: ServicesDep,
    principal: PrincipalDep,
    by: str = Query(
        "",
        max_length=64,
        description="comma-separated: period, place, belligerent (or empty: total)",
    ),
    period_unit: Literal["month", "quarter", "year"] = "month",
    named: int | None = Query(
        None, ge=0, le=1_000_000_000, description="distinct named victims"
    ),
    estimate_id: str | None = Query(
        None,
        pattern=r"^[0-9a-f]{16}$",
        description="a finished estimate (default: the latest)",
    ),
) -> dict[str, Any]:
    """The gap table (``undercount gap --json``): total row, then one per scope."""
    return ok(
        await gap_data(
            services,
            _dimensions(by),
            period_unit=period_unit,
            named=named,
            estimate_id=estimate_id,
        )
    )


async def gap_data(
    services: ServicesDep,
    dims: list[str],
    *,
    period_unit: Literal["month", "quarter", "year"] = "month",
    named: int | None = None,
    estimate_id: str | None = None,
) -> dict[str, Any]:
    """The gap as ``undercount gap --json`` prints it (also used by the web page).

    Raises
    ------
    ApiError
        409 when the project has no incident report; 404 for an unknown estimate.
    """
    job = await _estimate(services, estimate_id)
    count, estimated = _inputs_from(job, named)
    config = incident_config(services.project_root)
    inputs = await services.db.read(lambda store: load_inputs(store, config))
    if not inputs.records:
        raise ApiError(
            409,
            "no incident reports in this project; upload some with "
            "POST /api/incidents/imports first",
        )

    def compute() -> dict[str, Any]:
        _, graded, rules = inputs.grade()
        report = compute_gap(
            graded,
            inputs.acknowledgments,
            named=count,
            estimated=estimated,
            by=dims,
            period_unit=period_unit,
            rules=rules,
        )
        data: dict[str, Any] = strip_personal(
            jsonable(report.to_dict()), keep=GAP_OWN_KEYS
        )
        return data

    return await run_in_threadpool(compute)
