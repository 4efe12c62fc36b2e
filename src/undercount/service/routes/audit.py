"""``/api/audit``: the store's append-only audit log (admins only).

Entries are shown as stored, except that an absolute path in their details (older
entries, or ones written by code outside the service) is shown relative to the
project folder, or as its file name when it lies outside: the API never shows the
server's folders. The store keeps the entry unchanged (its hash chain covers it).
"""

from __future__ import annotations

import ntpath
import posixpath
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Query

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ListEnvelope, ok_list
from undercount.service.schemas import AuditEntryPublic
from undercount.store import AuditEntry, Store

router = APIRouter(prefix="/api/audit", tags=["audit"])


def hide_server_paths(value: Any, root: PurePath) -> Any:
    """``value`` (JSON-like) with absolute paths made relative to ``root`` (or
    reduced to their last part)."""
    if isinstance(value, dict):
        return {k: hide_server_paths(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [hide_server_paths(v, root) for v in value]
    if isinstance(value, str) and (posixpath.isabs(value) or ntpath.isabs(value)):
        path = PurePath(value)
        if path == root:
            return "."
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
        return path.name
    return value


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
                "details": hide_server_paths(e.details, services.project_root),
                "entry_hash": e.entry_hash,
            }
            for e in newest
        ],
        count=len(entries),
    )
