"""Users and sessions in the store's ``service`` tables (SQL for accounts lives here).

Passwords are hashed with Argon2id (argon2-cffi's defaults, which follow RFC 9106's
second recommended option). Session tokens are 256-bit random values; only their
SHA-256 is stored, so a copy of the database does not let anyone log in. Every
change is written together with its audit entry (:meth:`Store.audited`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from undercount.service.permissions import Role
from undercount.store import Store

__all__ = [
    "SessionRow",
    "User",
    "count_users",
    "create_session",
    "create_user",
    "delete_session",
    "get_user",
    "hash_password",
    "list_users",
    "lookup_session",
    "update_user",
    "verify_password",
]

_HASHER = PasswordHasher()
# Verified against when the user does not exist, so that the answer takes as long
# as for a real user (no user-name probing by timing).
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class User:
    """A user of the service."""

    username: str
    role: Role
    active: bool
    created_at: datetime
    created_by: str
    password_hash: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A live login: the user, its CSRF token and when it expires."""

    user: User
    kind: Literal["cookie", "bearer"]
    csrf_token: str
    expires_at: datetime


def hash_password(password: str) -> str:
    """Argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is the password of ``user`` (constant work either way)."""
    try:
        return _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


_USER_COLUMNS = "username, role, active, created_at, created_by, password_hash"


def _user(row: tuple[object, ...]) -> User:
    return User(
        username=str(row[0]),
        role=Role(str(row[1])),
        active=bool(row[2]),
        created_at=row[3],  # type: ignore[arg-type]
        created_by=str(row[4]),
        password_hash=str(row[5]),
    )


def count_users(store: Store, *, role: Role | None = None) -> int:
    """Number of active users (optionally of one role)."""
    sql = "SELECT count(*) FROM service.users WHERE active"
    params: list[object] = []
    if role is not None:
        sql += " AND role = ?"
        params.append(role.value)
    return int(store.backend.fetchall(sql, params)[0][0])


def get_user(store: Store, username: str) -> User | None:
    """The user called ``username``, or ``None``."""
    rows = store.backend.fetchall(
        f"SELECT {_USER_COLUMNS} FROM service.users WHERE username = ?", [username]
    )
    return _user(rows[0]) if rows else None


def list_users(store: Store) -> list[User]:
    """Every user, by name."""
    rows = store.backend.fetchall(
        f"SELECT {_USER_COLUMNS} FROM service.users ORDER BY username"
    )
    return [_user(r) for r in rows]


def create_user(
    store: Store, username: str, password_hash: str, role: Role, *, actor: str
) -> User:
    """Insert a user (the caller checked that the name is free)."""
    now = _now()
    with store.audited(
        "user.create", {"username": username, "role": role.value}, actor=actor
    ):
        store.backend.execute(
            "INSERT INTO service.users VALUES (?, ?, ?, true, ?, ?, ?)",
            [username, password_hash, role.value, now, actor, now],
        )
    user = get_user(store, username)
    assert user is not None
    return user


def update_user(
    store: Store,
    username: str,
    *,
    actor: str,
    role: Role | None = None,
    password_hash: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's role, password or active flag.

    A new password or deactivation ends the user's sessions.
    """
    changes: dict[str, object] = {}
    if role is not None:
        changes["role"] = role.value
    if active is not None:
        changes["active"] = active
    details: dict[str, object] = {"username": username, **changes}
    if password_hash is not None:
        details["password_changed"] = True
    with store.audited("user.update", details, actor=actor):
        for column, value in changes.items():
            store.backend.execute(
                f"UPDATE service.users SET {column} = ? WHERE username = ?",
                [value, username],
            )
        if password_hash is not None:
            store.backend.execute(
                "UPDATE service.users SET password_hash = ?, password_changed_at = ? "
                "WHERE username = ?",
                [password_hash, _now(), username],
            )
        if password_hash is not None or active is False:
            store.backend.execute(
                "DELETE FROM service.sessions WHERE username = ?", [username]
            )
    user = get_user(store, username)
    assert user is not None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(
    store: Store,
    user: User,
    kind: Literal["cookie", "bearer"],
    lifetime: timedelta,
    *,
    client: str,
) -> tuple[str, SessionRow]:
    """Start a login; returns the token (shown once) and the session.

    Expired sessions of every user are removed on the way.
    """
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    expires = now + lifetime
    with store.audited(
        "auth.login",
        {"username": user.username, "kind": kind, "client": client},
        actor=user.username,
    ):
        store.backend.execute(
            "DELETE FROM service.sessions WHERE expires_at <= ?", [now]
        )
        store.backend.execute(
            "INSERT INTO service.sessions VALUES (?, ?, ?, ?, ?, ?)",
            [_token_hash(token), user.username, kind, csrf, now, expires],
        )
    return token, SessionRow(user, kind, csrf, expires)


def lookup_session(store: Store, token: str) -> SessionRow | None:
    """The live session of ``token`` for an active user, or ``None``."""
    rows = store.backend.fetchall(
        "SELECT s.kind, s.csrf_token, s.expires_at, "
        + ", ".join(f"u.{c.strip()}" for c in _USER_COLUMNS.split(","))
        + " FROM service.sessions s JOIN service.users u USING (username) "
        "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active",
        [_token_hash(token), _now()],
    )
    if not rows:
        return None
    kind, csrf, expires, *user_row = rows[0]
    return SessionRow(_user(tuple(user_row)), kind, csrf, expires)


def delete_session(store: Store, token: str, *, actor: str) -> None:
    """End a login (log out)."""
    with store.audited("auth.logout", {"username": actor}, actor=actor):
        store.backend.execute(
            "DELETE FROM service.sessions WHERE token_hash = ?", [_token_hash(token)]
        )
