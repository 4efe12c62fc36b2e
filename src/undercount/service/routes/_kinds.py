"""Routes over the jobs of one kind (linkage runs, estimates): list and read one.

A linkage run and an estimate are background jobs seen through their own public
shape; listing them (newest first, paged) and reading one (404 when the id is not a
job of that kind) is the same code for both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Path, Query

from undercount.service.deps import ServicesDep
from undercount.service.envelope import ApiError, ok, ok_list
from undercount.service.jobs import Job

__all__ = ["job_id_path", "limit_query", "list_kind", "offset_query", "read_kind"]


# Factories, not shared objects: FastAPI records the parameter's name in the object
# it is given, so one object used by two routes would rename the first one's.
def job_id_path() -> Any:
    """A path parameter holding a job id (16 hex digits)."""
    return Path(pattern=r"^[0-9a-f]{16}$")


def limit_query() -> Any:
    """``limit``: at most this many items (1 to 500, default 50)."""
    return Query(50, ge=1, le=500)


def offset_query() -> Any:
    """``offset``: skip this many items."""
    return Query(0, ge=0, le=1_000_000_000)


async def list_kind(
    services: ServicesDep,
    kind: str,
    public: Callable[[Job], dict[str, Any]],
    *,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """The jobs of ``kind``, newest first, one page, as ``public`` shapes them."""
    jobs, total = await services.jobs.list(kind, limit=limit, offset=offset)
    return ok_list([public(j) for j in jobs], count=total)


async def read_kind(
    services: ServicesDep,
    kind: str,
    job_id: str,
    public: Callable[[Job], dict[str, Any]],
    *,
    what: str,
) -> dict[str, Any]:
    """One job of ``kind`` as ``public`` shapes it; 404 ``no {what} {id}``."""
    job = await services.jobs.get(job_id)
    if job is None or job.kind != kind:
        raise ApiError(404, f"no {what} {job_id!r}")
    return ok(public(job))
