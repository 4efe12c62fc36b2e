"""``/api/quarantine``: rows that were not accepted, why, and the rows as read.

Quarantined rows hold personal fields (the row as read), so only admins and
analysts see them; the CSV export escapes formula-like cells.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ListEnvelope, ok_list
from undercount.service.ops.imports import export_quarantine_csv, quarantine_page
from undercount.service.routes.sources import SOURCE_PATTERN
from undercount.service.schemas import QuarantinePublic

router = APIRouter(prefix="/api/quarantine", tags=["quarantine"])

SourceQuery = Query(None, pattern=SOURCE_PATTERN, max_length=64)


@router.get("", response_model=ListEnvelope[QuarantinePublic])
async def read_quarantine(
    services: ServicesDep,
    principal: PrincipalDep,
    source: str | None = SourceQuery,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    """Quarantined rows of the current versions (of one source), one page."""
    rows, total = await services.db.read(
        lambda store: quarantine_page(store, source, limit=limit, offset=offset)
    )
    return ok_list(rows, count=total)


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV file"}},
)
async def export(
    services: ServicesDep,
    principal: PrincipalDep,
    source: str | None = SourceQuery,
) -> FileResponse:
    """Download the quarantine as CSV (UTF-8 with BOM, formulas escaped)."""
    path = await services.db.write(
        lambda store: export_quarantine_csv(
            store, source, services.data_dir / "exports", actor=principal.username
        )
    )
    name = f"quarantine-{source or 'all'}.csv"
    return FileResponse(
        path,
        media_type="text/csv; charset=utf-8",
        filename=name,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
