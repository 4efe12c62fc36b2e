"""``/api/project``: the project's name and what its data are declared to be.

The declaration (``[report] data`` in ``undercount.toml``: ``real``, ``simulated``
or not declared) decides how the report labels the data; it is never assumed
real. Everyone may read it; admins may change it, which rewrites that one line of
``undercount.toml`` (:func:`undercount.pipeline.declare_data`) and is audited as
``project.declare`` with the user's name. The next report run uses it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from undercount.project import Project
from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import Envelope, ok
from undercount.service.schemas import ProjectPublic, ProjectUpdate
from undercount.store import Store

router = APIRouter(prefix="/api/project", tags=["project"])


def project_public(services: ServicesDep) -> dict[str, Any]:
    """The project as :class:`ProjectPublic` (read from ``undercount.toml``)."""
    from undercount.pipeline import declared_data

    project = Project.load(services.project_root)
    return {
        "title": project.config.project.name,
        "description": project.config.project.description,
        "data": declared_data(project.config_path),
    }


@router.get("", response_model=Envelope[ProjectPublic])
async def read_project(
    services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """The project's name and its data declaration."""
    return ok(await run_in_threadpool(project_public, services))


@router.put("", response_model=Envelope[ProjectPublic])
async def update_project(
    body: ProjectUpdate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Declare the project's data real, simulated, or not declared (admins)."""
    from undercount.pipeline import declare_data, declared_data

    wanted = None if body.data == "undeclared" else body.data
    config_path = Project.load(services.project_root).config_path

    def write(store: Store) -> None:
        # On the write thread: one change of undercount.toml at a time; a failed
        # change rolls its audit entry back.
        details = {"data": body.data, "previous": declared_data(config_path)}
        with store.audited("project.declare", details, actor=principal.username):
            declare_data(services.project_root, wanted)

    await services.db.write(write)
    return ok(await run_in_threadpool(project_public, services))
