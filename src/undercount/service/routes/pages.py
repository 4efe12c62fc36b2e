"""The web pages: server-rendered Jinja2 templates, plain JavaScript for actions.

Pages show what the API shows (they call the same operations) and act through the
JSON API from ``static/app.js``: nothing is fetched from another site, and there
is no build step. Each page carries the session's CSRF token in a ``<meta>`` tag
for the script's writes.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from undercount.report import DATA_LABELS
from undercount.service.deps import (
    Principal,
    PrincipalDep,
    ServicesDep,
    authenticate,
)
from undercount.service.envelope import ApiError
from undercount.service.ops.estimates import methods
from undercount.service.ops.imports import quarantine_page, source_public
from undercount.service.ops.report import report_status
from undercount.service.permissions import ROLE_ACTIONS
from undercount.service.routes.estimates import estimate_public
from undercount.service.routes.gap import gap_data
from undercount.service.routes.linkage import run_public
from undercount.service.routes.project import project_public
from undercount.service.routes.sources import SOURCE_PATTERN

router = APIRouter(include_in_schema=False)

#: The source-name rule as an HTML ``pattern`` (anchored implicitly; browsers
#: compile it with the ``v`` flag, where ``-`` in a class must be escaped).
SOURCE_HTML_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}"

TEMPLATES = Jinja2Templates(directory=str(FsPath(__file__).parent.parent / "templates"))


def _context(request: Request, principal: Principal, **extra: Any) -> dict[str, Any]:
    return {
        "request": request,
        "user": principal.user,
        "csrf": principal.session.csrf_token,
        "can": ROLE_ACTIONS[principal.user.role],
        **extra,
    }


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, services: ServicesDep) -> Response:
    """The login form (already logged in: the start page)."""
    if await authenticate(request, services) is not None:
        return RedirectResponse("/", status_code=303)
    return TEMPLATES.TemplateResponse(
        request, "login.html", {"request": request, "user": None, "csrf": ""}
    )


@router.get("/", response_class=HTMLResponse)
async def index_page(
    request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Start page: lists, upload, linkage runs, estimates, report."""
    sources = await services.db.read(lambda store: store.source_status())
    runs, _ = await services.jobs.list("linkage", limit=5)
    estimates, _ = await services.jobs.list("estimate", limit=20)
    report = await run_in_threadpool(report_status, services.report_dir)
    project = await run_in_threadpool(project_public, services)
    names = await run_in_threadpool(methods)
    return TEMPLATES.TemplateResponse(
        request,
        "index.html",
        _context(
            request,
            principal,
            sources=[source_public(s) for s in sources],
            runs=[run_public(r) for r in runs],
            estimates=[estimate_public(e) for e in estimates],
            report=report,
            project=project,
            data_labels=DATA_LABELS,
            methods=names,
            max_upload_mb=services.settings.max_upload_mb,
            source_pattern=SOURCE_HTML_PATTERN,
        ),
    )


@router.get("/quarantine", response_class=HTMLResponse)
async def quarantine_view(
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    source: str | None = Query(None, pattern=SOURCE_PATTERN, max_length=64),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> Response:
    """Quarantined rows, 50 a page, with the reason and the row as read."""
    limit = 50
    rows, total = await services.db.read(
        lambda store: quarantine_page(store, source, limit=limit, offset=offset)
    )
    names = await services.db.read(lambda store: store.sources())
    return TEMPLATES.TemplateResponse(
        request,
        "quarantine.html",
        _context(
            request,
            principal,
            rows=rows,
            total=total,
            source=source,
            sources=names,
            offset=offset,
            limit=limit,
        ),
    )


@router.get("/review", response_class=HTMLResponse)
async def review_view(
    request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Review pairs side by side (keys: s same, d different, u unsure)."""
    return TEMPLATES.TemplateResponse(
        request,
        "review.html",
        _context(request, principal, forced_blind=services.settings.blind_review),
    )


@router.get("/incidents", response_class=HTMLResponse)
async def incidents_view(
    request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    """Graded incidents (latest grade run) and the gap by period."""
    from undercount.incidents import ProjectIncidents

    run = await services.db.read(
        lambda store: ProjectIncidents(store).tables.latest_run("grade")
    )
    incidents = [] if run is None else list(run["grades"])
    gap: dict[str, Any] | None = None
    gap_error: str | None = None
    try:
        gap = await gap_data(services, ["period"])
    except ApiError as exc:
        gap_error = exc.error
    return TEMPLATES.TemplateResponse(
        request,
        "incidents.html",
        _context(
            request,
            principal,
            incidents=incidents,
            run=run,
            gap=gap,
            gap_error=gap_error,
        ),
    )
