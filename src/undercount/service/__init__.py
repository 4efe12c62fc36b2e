"""Stage: service — the web API and pages over one project (see docs/service.md).

:func:`create_app` builds the FastAPI application for a project folder; routes live
in ``service/routes/`` (one router per resource), the permission table in
:mod:`~undercount.service.permissions`, the personal-field list in
:mod:`~undercount.service.privacy`. ``undercount serve`` runs it with uvicorn.
"""

from __future__ import annotations

from undercount.service.app import create_app
from undercount.service.permissions import ROLE_ACTIONS, ROUTE_ACTIONS, Role
from undercount.service.privacy import PERSONAL_FIELDS, strip_personal
from undercount.service.settings import ServiceSettings

__all__ = [
    "PERSONAL_FIELDS",
    "ROLE_ACTIONS",
    "ROUTE_ACTIONS",
    "Role",
    "ServiceSettings",
    "create_app",
    "strip_personal",
]
