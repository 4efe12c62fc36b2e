"""``/api/settings``: the service's settings (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import Envelope, ok

router = APIRouter(prefix="/api/settings", tags=["settings"])


@router.get("", response_model=Envelope[dict[str, Any]])
async def read_settings(
    services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Every setting and its value (none is secret)."""
    return ok(services.settings.public_dict())
