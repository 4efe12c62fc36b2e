"""``/api/sources``: the project's lists, their imports, and uploading a new version.

An upload is the raw file as the request body (``Content-Type:
application/octet-stream``) with its name in ``?filename=``; it is streamed to disk
under the size limit and imported by a background job (poll ``/api/jobs/{id}``;
its result has ``rows_in``, ``accepted`` and ``quarantined``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.ops.imports import import_job, import_public, source_public
from undercount.service.ops.uploads import receive_request_body
from undercount.service.schemas import ImportPublic, JobPublic, SourcePublic
from undercount.store import SourceStatus, Store

router = APIRouter(prefix="/api/sources", tags=["sources"])

SOURCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
SourcePath = Path(pattern=SOURCE_PATTERN, max_length=64)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
    }
}


@router.get("", response_model=ListEnvelope[SourcePublic])
async def read_sources(
    services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Every source with its current version's record and quarantine counts."""
    statuses = await services.db.read(lambda store: store.source_status())
    return ok_list([source_public(s) for s in statuses])


async def _status(services: ServicesDep, source: str) -> SourceStatus:
    def find(store: Store) -> SourceStatus | None:
        return next((s for s in store.source_status() if s.name == source), None)

    status = await services.db.read(find)
    if status is None:
        raise ApiError(404, f"no source called {source!r}; upload a list first")
    return status


@router.get("/{source}", response_model=Envelope[SourcePublic])
async def read_source(
    services: ServicesDep, principal: PrincipalDep, source: str = SourcePath
) -> dict[str, Any]:
    """One source."""
    return ok(source_public(await _status(services, source)))


@router.get("/{source}/imports", response_model=ListEnvelope[ImportPublic])
async def read_imports(
    services: ServicesDep, principal: PrincipalDep, source: str = SourcePath
) -> dict[str, Any]:
    """Every import of the source, oldest first (rows in, accepted, quarantined)."""
    await _status(services, source)
    imports = await services.db.read(lambda store: store.imports(source))
    return ok_list([import_public(i) for i in imports])


@router.post(
    "/{source}/imports",
    response_model=Envelope[JobPublic],
    status_code=202,
    openapi_extra=_UPLOAD_BODY,
)
async def upload(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    source: str = SourcePath,
    filename: str = Query(min_length=1, max_length=255),
) -> dict[str, Any]:
    """Upload a list (the file is the body) and import it as the next version."""
    stored = await receive_request_body(
        request,
        services.data_dir / "uploads" / source,
        filename,
        limit=services.settings.max_upload_bytes,
    )
    job = await services.jobs.submit(
        "import",
        {
            "source": source,
            "file": stored.original_name,
            "size": stored.size,
            "sha256": stored.sha256,
        },
        principal.username,
        import_job(
            services.db, services.project_root, source, stored, principal.username
        ),
    )
    return ok(job.public())
