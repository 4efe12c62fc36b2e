"""The application factory: :func:`create_app` (project folder + settings -> FastAPI).

On start the app opens the project store through :class:`Database` (applying the
store's and the service's migrations), marks jobs a previous run left unfinished as
interrupted, and on stop waits for running jobs and closes the store.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from undercount.errors import UserInputError
from undercount.project import Project
from undercount.service._middleware import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
)
from undercount.service._ratelimit import LoginLimiter
from undercount.service.database import Database
from undercount.service.deps import SESSION_COOKIE, Services, authorize
from undercount.service.envelope import ErrorEnvelope, install_error_handlers
from undercount.service.jobs import JobManager
from undercount.service.ops.linkage import LinkageRuns
from undercount.service.permissions import PUBLIC_ROUTES
from undercount.service.routes import ROUTERS
from undercount.service.settings import ServiceSettings

__all__ = ["create_app"]

_UPLOAD_PATH = re.compile(r"^/api/(sources/[^/]+/imports|incidents/imports)$")

_ERRORS = {
    status: {"model": ErrorEnvelope, "description": text}
    for status, text in (
        (401, "not logged in"),
        (403, "the role may not do this (or the CSRF token is missing)"),
        (422, "invalid request"),
    )
}


#: How a client authenticates: ``securitySchemes`` of the OpenAPI schema.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "a token from POST /api/auth/token, sent as "
        "'Authorization: Bearer TOKEN' (expires after SESSION_HOURS)",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "the cookie set by POST /api/auth/login; writes also need "
        "the X-CSRF-Token header",
    },
}


def _openapi_with_security(app: FastAPI) -> dict[str, Any]:
    """The schema with the two ways to log in, required by every non-public route.

    Public routes (health, login) say ``security: []``; every other operation
    accepts either the bearer token or the session cookie.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
    )
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    required: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            public = (method.upper(), path) in PUBLIC_ROUTES
            operation["security"] = [] if public else required
    app.openapi_schema = schema
    return schema


def _version() -> str:
    try:
        return metadata.version("undercount")
    except metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "0"


def create_app(
    project_dir: Path | str, settings: ServiceSettings | None = None
) -> FastAPI:
    """The web service of the project in ``project_dir``.

    Parameters
    ----------
    project_dir
        A project folder (``undercount.toml`` and ``undercount.duckdb``).
    settings
        Service settings (default: :class:`ServiceSettings` defaults; ``undercount
        serve`` reads them from the environment).

    Raises
    ------
    UserInputError
        When the folder holds no project or the project has no store.
    """
    project = Project.load(Path(project_dir))
    if not project.store_path.is_file():
        raise UserInputError(
            f"the project in {str(project.root)!r} has no store "
            f"({project.store_path.name}); create it with 'undercount init'"
        )
    settings = settings or ServiceSettings()
    data_dir = settings.data_dir or project.root / ".undercount" / "service"
    report_dir = settings.report_dir or project.root / "out"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = Database(project.store_path).open()
        jobs = JobManager(db, settings.job_workers)
        try:
            jobs.recover()
            app.state.services = Services(
                project_root=project.root,
                settings=settings,
                db=db,
                jobs=jobs,
                runs=LinkageRuns(data_dir / "linkage"),
                limiter=LoginLimiter(
                    settings.login_max_failures_per_user,
                    settings.login_max_failures_per_ip,
                    settings.login_window_seconds,
                ),
                data_dir=data_dir,
                report_dir=report_dir,
            )
            yield
        finally:
            jobs.shutdown()
            db.close()

    app = FastAPI(
        title="undercount",
        summary="Lists of the dead -> linked people -> estimated toll.",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(authorize)],
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    app.openapi = lambda: _openapi_with_security(app)  # type: ignore[method-assign]
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(
        "/static",
        StaticFiles(directory=Path(__file__).parent / "static"),
        name="static",
    )
    app.add_middleware(
        BodyLimitMiddleware,
        exempt=lambda method, path: (
            method == "POST" and _UPLOAD_PATH.match(path) is not None
        ),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app
