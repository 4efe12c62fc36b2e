"""``/api/auth``: log in (cookie or bearer token), log out, who am I.

A cookie login sets an HttpOnly, SameSite=Strict cookie and returns the CSRF token
to send as ``X-CSRF-Token`` on writes; a token login returns a bearer token for
scripts. Both expire after ``session_hours``. Failed attempts are counted per user
name and per client address; past the limits the answer is 429 with Retry-After.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from undercount.service._accounts import (
    create_session,
    delete_session,
    get_user,
    verify_password,
)
from undercount.service.deps import SESSION_COOKIE, PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ok
from undercount.service.schemas import LoginRequest, SessionPublic, TokenPublic
from undercount.store import Store

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _login(
    request: Request,
    body: LoginRequest,
    services: ServicesDep,
    kind: Literal["cookie", "bearer"],
) -> tuple[str, Any]:
    client = _client(request)
    username = body.username.strip().lower()
    wait = services.limiter.retry_after(username, client)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            429,
            f"too many failed logins; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
    user = await services.db.read(lambda store: get_user(store, username))
    good = await run_in_threadpool(verify_password, user, body.password)
    if user is None or not good or not user.active:
        services.limiter.failure(username, client)

        def record(store: Store) -> None:
            details = {"username": username[:64], "client": client}
            with store.audited("auth.failed", details, actor="anonymous"):
                pass

        await services.db.write(record)
        raise ApiError(401, "wrong user name or password")
    services.limiter.success(username)
    lifetime = timedelta(hours=services.settings.session_hours)
    return await services.db.write(
        lambda store: create_session(store, user, kind, lifetime, client=client)
    )


@router.post("/login", response_model=Envelope[SessionPublic])
async def login(
    request: Request, body: LoginRequest, response: Response, services: ServicesDep
) -> dict[str, Any]:
    """Log in with a session cookie; returns the CSRF token for writes."""
    token, session = await _login(request, body, services, "cookie")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(services.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=services.settings.secure_cookies,
        path="/",
    )
    return ok(
        {
            "username": session.user.username,
            "role": session.user.role,
            "expires_at": session.expires_at,
            "csrf_token": session.csrf_token,
        }
    )


@router.post("/token", response_model=Envelope[TokenPublic])
async def token(
    request: Request, body: LoginRequest, services: ServicesDep
) -> dict[str, Any]:
    """Log in for a script: returns a bearer token (shown once)."""
    value, session = await _login(request, body, services, "bearer")
    return ok(
        {
            "token": value,
            "token_type": "bearer",
            "username": session.user.username,
            "role": session.user.role,
            "expires_at": session.expires_at,
        }
    )


@router.post("/logout", response_model=Envelope[dict[str, bool]])
async def logout(
    response: Response, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """End this login (cookie or token)."""
    await services.db.write(
        lambda store: delete_session(store, principal.token, actor=principal.username)
    )
    response.delete_cookie(SESSION_COOKIE, path="/", samesite="strict", httponly=True)
    return ok({"logged_out": True})


@router.get("/me", response_model=Envelope[SessionPublic])
async def me(principal: PrincipalDep) -> dict[str, Any]:
    """The logged-in user, role, expiry and CSRF token."""
    return ok(
        {
            "username": principal.username,
            "role": principal.user.role,
            "expires_at": principal.session.expires_at,
            "csrf_token": principal.session.csrf_token,
        }
    )
