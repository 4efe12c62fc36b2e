"""One router per resource (FastAPI template); :data:`ROUTERS` in mounting order."""

from __future__ import annotations

from fastapi import APIRouter

from undercount.service.routes import (
    audit,
    auth,
    estimates,
    gap,
    health,
    incidents,
    jobs,
    linkage,
    pages,
    project,
    quarantine,
    report,
    review,
    settings,
    sources,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    users.router,
    audit.router,
    settings.router,
    project.router,
    sources.router,
    quarantine.router,
    jobs.router,
    linkage.router,
    review.router,
    estimates.router,
    report.router,
    incidents.router,
    gap.router,
    pages.router,
)

__all__ = ["ROUTERS"]
