"""``/api/health``: is the service up (no login needed)."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from fastapi import APIRouter

from undercount.service.deps import ServicesDep
from undercount.service.envelope import Envelope, ok
from undercount.service.schemas import HealthPublic
from undercount.store import Store, service_schema_version

router = APIRouter(prefix="/api", tags=["health"])


def _version() -> str:
    try:
        return metadata.version("undercount")
    except metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


@router.get("/health", response_model=Envelope[HealthPublic])
async def health(services: ServicesDep) -> dict[str, Any]:
    """The service answers, and which schema versions its store has."""

    def versions(store: Store) -> tuple[int, int]:
        return store.schema_version, service_schema_version(store.backend)

    schema, service_schema = await services.db.read(versions)
    return ok(
        {
            "status": "ok",
            "version": _version(),
            "schema_version": schema,
            "service_schema_version": service_schema,
        }
    )
