"""``/api/users``: accounts and roles (admins only).

There is no delete: a user who leaves is deactivated, so the audit log keeps
pointing at a known account. The last active admin cannot be demoted or
deactivated (nobody could manage users any more).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from undercount.service._accounts import (
    User,
    count_users,
    create_user,
    get_user,
    hash_password,
    list_users,
    update_user,
)
from undercount.service.deps import PrincipalDep, ServicesDep
from undercount.service.envelope import ApiError, Envelope, ListEnvelope, ok, ok_list
from undercount.service.permissions import Role
from undercount.service.schemas import (
    USERNAME_PATTERN,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from undercount.service.settings import ServiceSettings
from undercount.store import Store

router = APIRouter(prefix="/api/users", tags=["users"])

UsernamePath = Path(pattern=USERNAME_PATTERN, max_length=64)


def _public(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role,
        "active": user.active,
        "created_at": user.created_at,
        "created_by": user.created_by,
    }


def check_password(password: str, settings: ServiceSettings) -> None:
    """Refuse passwords shorter than the configured minimum (422)."""
    if len(password) < settings.min_password_length:
        raise ApiError(
            422,
            f"a password needs at least {settings.min_password_length} characters "
            f"(got {len(password)}); a few unrelated words make a good one",
            errors=[
                {"loc": ["body", "password"], "msg": "too short", "type": "too_short"}
            ],
        )


@router.get("", response_model=ListEnvelope[UserPublic])
async def read_users(services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Every user and role."""
    users = await services.db.read(list_users)
    return ok_list([_public(u) for u in users])


@router.post("", response_model=Envelope[UserPublic], status_code=201)
async def create(
    body: UserCreate, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Create a user with a role."""
    check_password(body.password, services.settings)
    hashed = await run_in_threadpool(hash_password, body.password)

    def insert(store: Store) -> User:
        if get_user(store, body.username) is not None:
            raise ApiError(409, f"a user called {body.username!r} already exists")
        return create_user(
            store, body.username, hashed, body.role, actor=principal.username
        )

    return ok(_public(await services.db.write(insert)))


@router.get("/{username}", response_model=Envelope[UserPublic])
async def read_user(
    services: ServicesDep, principal: PrincipalDep, username: str = UsernamePath
) -> dict[str, Any]:
    """One user."""
    user = await services.db.read(lambda store: get_user(store, username))
    if user is None:
        raise ApiError(404, f"no user called {username!r}")
    return ok(_public(user))


@router.patch("/{username}", response_model=Envelope[UserPublic])
async def update(
    body: UserUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    username: str = UsernamePath,
) -> dict[str, Any]:
    """Change a user's role, password or active flag."""
    hashed = None
    if body.password is not None:
        check_password(body.password, services.settings)
        hashed = await run_in_threadpool(hash_password, body.password)

    def change(store: Store) -> User:
        user = get_user(store, username)
        if user is None:
            raise ApiError(404, f"no user called {username!r}")
        loses_admin = (
            user.role is Role.ADMIN
            and user.active
            and (
                (body.role is not None and body.role is not Role.ADMIN)
                or body.active is False
            )
        )
        if loses_admin and count_users(store, role=Role.ADMIN) <= 1:
            raise ApiError(
                409, "this is the last active admin; make another admin first"
            )
        return update_user(
            store,
            username,
            actor=principal.username,
            role=body.role,
            password_hash=hashed,
            active=body.active,
        )

    return ok(_public(await services.db.write(change)))
