"""Logins, sessions, users and the failed-login limits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import ADMIN, PASSWORDS, ServiceEnv, make_project, token

from undercount.service import ServiceSettings, create_app
from undercount.service._accounts import create_session, get_user, lookup_session
from undercount.service._ratelimit import LoginLimiter
from undercount.service.database import Database


def test_cookie_login_sets_a_safe_cookie(service_env: ServiceEnv) -> None:
    client = service_env.client
    response = client.post(
        "/api/auth/login",
        json={"username": "reviewer", "password": PASSWORDS["reviewer"]},
    )
    try:
        assert response.status_code == 200
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("undercount_session=")
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert "Max-Age=28800" in cookie  # session_hours = 8
        data = response.json()["data"]
        assert data["username"] == "reviewer" and data["role"] == "reviewer"
        assert len(data["csrf_token"]) >= 40
        # the token itself is never in the body
        value = cookie.split(";")[0].split("=", 1)[1]
        assert value not in response.text
        me = client.get("/api/auth/me")
        assert me.json()["data"]["username"] == "reviewer"
        out = client.post(
            "/api/auth/logout", headers={"X-CSRF-Token": data["csrf_token"]}
        )
        assert out.status_code == 200
        assert 'undercount_session=""' in out.headers["set-cookie"]
        # the old cookie no longer works even if a client keeps sending it
        client.cookies.set("undercount_session", value)
        assert client.get("/api/auth/me").status_code == 401
    finally:
        client.cookies.clear()


def test_bearer_token_logout_ends_it(service_env: ServiceEnv) -> None:
    value = token(service_env.client, "viewer")
    headers = {"Authorization": f"Bearer {value}"}
    assert service_env.client.get("/api/auth/me", headers=headers).status_code == 200
    assert (
        service_env.client.post("/api/auth/logout", headers=headers).status_code == 200
    )
    assert service_env.client.get("/api/auth/me", headers=headers).status_code == 401


def test_wrong_password_is_refused_and_audited(service_env: ServiceEnv) -> None:
    client = service_env.client
    response = client.post(
        "/api/auth/token", json={"username": "viewer", "password": "not-it-at-all"}
    )
    assert response.status_code == 401
    body = response.json()
    assert body == {
        "ok": False,
        "error": "wrong user name or password",
        "errors": [{"loc": [], "msg": "wrong user name or password", "type": "error"}],
        "status": 401,
    }
    unknown = client.post(
        "/api/auth/token", json={"username": "nobody", "password": "whatever-it-is"}
    )
    assert unknown.json()["error"] == body["error"]  # no user-name probing
    audit = client.get(
        "/api/audit",
        params={"action": "auth.failed"},
        headers=service_env.headers(ADMIN),
    ).json()["data"]
    assert {e["details"]["username"] for e in audit} >= {"viewer", "nobody"}
    assert all("password" not in str(e["details"]) for e in audit)


def test_passwords_are_stored_as_argon2id(service_env: ServiceEnv) -> None:
    app = service_env.app
    user = app.state.services.db.read_sync(lambda store: get_user(store, "viewer"))
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORDS["viewer"] not in user.password_hash
    listed = service_env.client.get("/api/users", headers=service_env.headers(ADMIN))
    assert "argon2" not in listed.text and "password" not in listed.text


def test_expired_sessions_are_refused(service_env: ServiceEnv) -> None:
    db = service_env.app.state.services.db
    user = db.read_sync(lambda store: get_user(store, "viewer"))
    value, _ = db.write_sync(
        lambda store: create_session(
            store, user, "bearer", timedelta(seconds=-1), client="test"
        )
    )
    assert db.read_sync(lambda store: lookup_session(store, value)) is None
    response = service_env.client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {value}"}
    )
    assert response.status_code == 401


def test_users_are_managed_by_admins(service_env: ServiceEnv) -> None:
    client = service_env.client
    admin = service_env.headers(ADMIN)
    created = client.post(
        "/api/users",
        json={"username": "dana", "password": "a-long-password-1", "role": "viewer"},
        headers=admin,
    )
    assert created.status_code == 201
    assert created.json()["data"]["created_by"] == ADMIN
    again = client.post(
        "/api/users",
        json={"username": "dana", "password": "a-long-password-1", "role": "viewer"},
        headers=admin,
    )
    assert again.status_code == 409
    short = client.post(
        "/api/users",
        json={"username": "eve", "password": "short", "role": "viewer"},
        headers=admin,
    )
    assert short.status_code == 422
    assert "short" not in short.text.replace("too_short", "").replace("too short", "")
    bad_name = client.post(
        "/api/users",
        json={"username": "../x", "password": "a-long-password-1", "role": "viewer"},
        headers=admin,
    )
    assert bad_name.status_code == 422
    login = client.post(
        "/api/auth/token", json={"username": "dana", "password": "a-long-password-1"}
    )
    dana_headers = {"Authorization": f"Bearer {login.json()['data']['token']}"}
    assert client.get("/api/report", headers=dana_headers).status_code == 200
    promoted = client.patch("/api/users/dana", json={"role": "analyst"}, headers=admin)
    assert promoted.json()["data"]["role"] == "analyst"
    assert client.get("/api/quarantine", headers=dana_headers).status_code == 200
    # deactivating ends the sessions at once
    client.patch("/api/users/dana", json={"active": False}, headers=admin)
    assert client.get("/api/auth/me", headers=dana_headers).status_code == 401
    relogin = client.post(
        "/api/auth/token", json={"username": "dana", "password": "a-long-password-1"}
    )
    assert relogin.status_code == 401
    assert (
        client.patch(
            "/api/users/nobody", json={"active": False}, headers=admin
        ).status_code
        == 404
    )
    actions = [
        e["action"]
        for e in client.get("/api/audit", headers=admin).json()["data"]
        if e["details"].get("username") == "dana"
    ]
    assert {"user.create", "user.update"} <= set(actions)


def test_password_change_ends_sessions(service_env: ServiceEnv) -> None:
    client = service_env.client
    admin = service_env.headers(ADMIN)
    client.post(
        "/api/users",
        json={"username": "frank", "password": "first-password-ok", "role": "viewer"},
        headers=admin,
    )
    login = client.post(
        "/api/auth/token", json={"username": "frank", "password": "first-password-ok"}
    )
    headers = {"Authorization": f"Bearer {login.json()['data']['token']}"}
    client.patch(
        "/api/users/frank", json={"password": "second-password-ok"}, headers=admin
    )
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    assert (
        client.post(
            "/api/auth/token",
            json={"username": "frank", "password": "second-password-ok"},
        ).status_code
        == 200
    )


def test_the_last_admin_stays(service_env: ServiceEnv) -> None:
    client = service_env.client
    admin = service_env.headers(ADMIN)
    demote = client.patch("/api/users/admin", json={"role": "viewer"}, headers=admin)
    assert demote.status_code == 409
    off = client.patch("/api/users/admin", json={"active": False}, headers=admin)
    assert off.status_code == 409
    assert client.get("/api/auth/me", headers=admin).json()["data"]["role"] == "admin"


# -- failed-login limits ----------------------------------------------------------


def test_limiter_counts_per_user_and_per_address() -> None:
    now = [1000.0]
    limiter = LoginLimiter(3, 5, 60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("amal", "10.0.0.1") is None
        limiter.failure("amal", "10.0.0.1")
    wait = limiter.retry_after("amal", "10.0.0.2")
    assert wait == pytest.approx(60.0)
    assert limiter.retry_after("AMAL", "10.0.0.3") is not None  # names fold case
    # two more failures for other names exhaust the address
    limiter.failure("b", "10.0.0.1")
    limiter.failure("c", "10.0.0.1")
    assert limiter.retry_after("d", "10.0.0.1") is not None
    assert limiter.retry_after("d", "10.0.0.9") is None
    now[0] += 61
    assert limiter.retry_after("amal", "10.0.0.1") is None
    limiter.failure("amal", "x")
    limiter.success("amal")
    assert limiter.retry_after("amal", "y") is None


def test_limiter_memory_is_bounded() -> None:
    limiter = LoginLimiter(3, 3, 60, max_keys=10)
    for i in range(100):
        limiter.failure(f"user{i}", f"ip{i}")
    assert len(limiter._failures) <= 10


@pytest.fixture
def strict_client(tmp_path: Path):
    project = make_project(tmp_path)
    settings = ServiceSettings(
        login_max_failures_per_user=3, login_max_failures_per_ip=6
    )
    with TestClient(create_app(project, settings)) as client:
        yield client


def test_login_is_rate_limited_per_user(strict_client: TestClient) -> None:
    for _ in range(3):
        r = strict_client.post(
            "/api/auth/token", json={"username": ADMIN, "password": "guess-guess-1"}
        )
        assert r.status_code == 401
    # now even the right password is refused until the window passes
    r = strict_client.post(
        "/api/auth/token", json={"username": ADMIN, "password": PASSWORDS[ADMIN]}
    )
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert r.json()["ok"] is False and r.json()["status"] == 429


def test_login_is_rate_limited_per_address(strict_client: TestClient) -> None:
    for i in range(6):
        r = strict_client.post(
            "/api/auth/login", json={"username": f"user{i}", "password": "guess-1"}
        )
        assert r.status_code == 401
    r = strict_client.post(
        "/api/auth/login", json={"username": ADMIN, "password": PASSWORDS[ADMIN]}
    )
    assert r.status_code == 429


def test_database_serialises_writes(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    import threading

    with Database(project / "undercount.duckdb") as db:
        names = []

        def where(_store: object) -> str:
            return threading.current_thread().name

        names = [db.write_sync(where) for _ in range(5)]
        assert len(set(names)) == 1 and names[0].startswith("undercount-write")
        # a write function may call write_sync itself without deadlocking
        assert db.write_sync(lambda s: db.write_sync(where)) == names[0]
        assert db.read_sync(where).startswith("undercount-read")
