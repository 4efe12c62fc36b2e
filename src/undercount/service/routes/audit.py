"""``/api/audit``: the store's append-only audit log (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ListEnvelope, ok_list
from undercount.service.schemas import AuditEntryPublic
from undercount.store import AuditEntry, Store

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("", response_model=ListEnvelope[AuditEntryPublic])
async def read_audit(
    services: ServicesDep,
    principal: PrincipalDep,
    action: str | None = Query(None, max_length=64),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    """Audit entries, newest first (optionally one action)."""

    def read(store: Store) -> list[AuditEntry]:
        return store.audit_log(action=action)

    entries = await services.db.read(read)
    newest = list(reversed(entries))[offset : offset + limit]
    return ok_list(
        [
            {
                "id": e.id,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "details": e.details,
                "entry_hash": e.entry_hash,
            }
            for e in newest
        ],
        count=len(entries),
    )
