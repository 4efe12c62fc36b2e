"""Typed dependencies: the service's parts, and who is calling (authorisation).

:func:`authorize` runs on every route (it is an app-wide dependency): it looks the
route up in :data:`~undercount.service.permissions.ROUTE_ACTIONS`, finds the caller
from the bearer token or the session cookie, refuses with 401 / 403 (pages: a
redirect to /login), and for cookie-authenticated writes checks the CSRF token
header. Routes ask for the caller with ``principal: PrincipalDep``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request

from undercount.service._accounts import SessionRow, User, lookup_session
from undercount.service._ratelimit import LoginLimiter
from undercount.service.database import Database
from undercount.service.envelope import ApiError, LoginRequired
from undercount.service.jobs import JobManager
from undercount.service.ops.linkage import LinkageRuns
from undercount.service.permissions import PUBLIC_ROUTES, action_for, allowed
from undercount.service.settings import ServiceSettings

__all__ = [
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Principal",
    "PrincipalDep",
    "Services",
    "ServicesDep",
    "authorize",
]

SESSION_COOKIE = "undercount_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Services:
    """Everything the routes use, made once by the app at start."""

    project_root: Path
    settings: ServiceSettings
    db: Database
    jobs: JobManager
    runs: LinkageRuns
    limiter: LoginLimiter
    data_dir: Path
    report_dir: Path


def get_services(request: Request) -> Services:
    """The app's :class:`Services`."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, how they authenticated, and their session."""

    user: User
    session: SessionRow
    token: str
    via: Literal["cookie", "bearer"]

    @property
    def username(self) -> str:
        """The caller's user name (the audit log's actor)."""
        return self.user.username


def route_key(request: Request) -> tuple[str, str]:
    """``(method, path template)`` of the route serving ``request``."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    method = "GET" if request.method == "HEAD" else request.method
    return method, path


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def authenticate(request: Request, services: Services) -> Principal | None:
    """The caller, from ``Authorization: Bearer`` or the session cookie."""
    token = _bearer(request)
    via: Literal["cookie", "bearer"] = "bearer"
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        via = "cookie"
    if not token or len(token) > 256:
        return None
    session = await services.db.read(lambda store: lookup_session(store, token))
    if session is None or session.kind != via:
        return None
    return Principal(session.user, session, token, via)


async def authorize(request: Request, services: ServicesDep) -> Principal | None:
    """Authenticate and authorise the request (see the module docstring)."""
    key = route_key(request)
    if key in PUBLIC_ROUTES:
        return None
    page = not key[1].startswith("/api/")
    principal = await authenticate(request, services)
    if principal is None:
        if page:
            raise LoginRequired()
        raise ApiError(
            401,
            "authentication required: log in (POST /api/auth/login) or send "
            "'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    action = action_for(*key)
    if action is None or not allowed(principal.user.role, action):
        raise ApiError(
            403,
            f"the role {principal.user.role.value!r} may not "
            f"{action or 'use this route'}; ask an administrator",
        )
    if principal.via == "cookie" and request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent, principal.session.csrf_token):
            raise ApiError(
                403,
                f"missing or wrong {CSRF_HEADER} header (send the csrf_token of "
                "the login with every write)",
            )
    return principal


async def current_principal(
    principal: Annotated[Principal | None, Depends(authorize)],
) -> Principal:
    """The caller (only for routes that need a login)."""
    if principal is None:  # a public route asked for a principal: a coding error
        raise ApiError(401, "authentication required")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
