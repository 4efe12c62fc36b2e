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

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from undercount.errors import UserInputError
from undercount.project import Project
from undercount.service._middleware import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
)
from undercount.service._ratelimit import LoginLimiter
from undercount.service.database import Database
from undercount.service.deps import Services, authorize
from undercount.service.envelope import ErrorEnvelope, install_error_handlers
from undercount.service.jobs import JobManager
from undercount.service.ops.linkage import LinkageRuns
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
