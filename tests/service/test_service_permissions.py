"""Every route x every role: the permission table is complete and enforced.

Write routes are called with invalid bodies, so that an allowed role gets past
authorisation and stops at validation (422) without changing anything, while a
refused role gets 403 before the body is looked at.
"""

from __future__ import annotations

import itertools

import pytest
from fastapi.routing import APIRoute
from service_helpers import PASSWORDS, ROLES, ServiceEnv

from undercount.service.permissions import (
    ACTIONS,
    PUBLIC_ROUTES,
    ROLE_ACTIONS,
    ROUTE_ACTIONS,
    Role,
    allowed,
)
from undercount.service.routes import ROUTERS

# A concrete request for every route template: (url, JSON body or None).
SAMPLES: dict[tuple[str, str], tuple[str, object]] = {
    ("GET", "/api/auth/me"): ("/api/auth/me", None),
    ("POST", "/api/auth/logout"): ("/api/auth/logout", {}),
    ("GET", "/api/users"): ("/api/users", None),
    ("POST", "/api/users"): ("/api/users", {}),
    ("GET", "/api/users/{username}"): ("/api/users/viewer", None),
    ("PATCH", "/api/users/{username}"): ("/api/users/viewer", {"role": "nope"}),
    ("GET", "/api/audit"): ("/api/audit", None),
    ("GET", "/api/settings"): ("/api/settings", None),
    ("GET", "/api/project"): ("/api/project", None),
    ("PUT", "/api/project"): ("/api/project", {"data": "maybe"}),
    ("GET", "/api/sources"): ("/api/sources", None),
    ("GET", "/api/sources/{source}"): ("/api/sources/morgue", None),
    ("GET", "/api/sources/{source}/imports"): ("/api/sources/morgue/imports", None),
    ("POST", "/api/sources/{source}/imports"): ("/api/sources/morgue/imports", None),
    ("GET", "/api/quarantine"): ("/api/quarantine", None),
    ("GET", "/api/quarantine/export"): ("/api/quarantine/export", None),
    ("GET", "/api/jobs"): ("/api/jobs", None),
    ("GET", "/api/jobs/{job_id}"): ("/api/jobs/0123456789abcdef", None),
    ("GET", "/api/linkage/runs"): ("/api/linkage/runs", None),
    ("POST", "/api/linkage/runs"): ("/api/linkage/runs", {"threshold": 5}),
    ("GET", "/api/linkage/runs/{run_id}"): ("/api/linkage/runs/0123456789abcdef", None),
    ("GET", "/api/review/next"): ("/api/review/next", None),
    ("GET", "/api/review/decisions"): ("/api/review/decisions", None),
    ("POST", "/api/review/decisions"): ("/api/review/decisions", {}),
    ("GET", "/api/estimates/methods"): ("/api/estimates/methods", None),
    ("GET", "/api/estimates"): ("/api/estimates", None),
    ("POST", "/api/estimates"): ("/api/estimates", {}),
    ("GET", "/api/estimates/{estimate_id}"): ("/api/estimates/0123456789abcdef", None),
    ("GET", "/api/report"): ("/api/report", None),
    ("GET", "/api/report/files/{name}"): ("/api/report/files/report.html", None),
    ("POST", "/api/report/runs"): ("/api/report/runs", {"public": "perhaps"}),
    ("GET", "/api/incidents"): ("/api/incidents", None),
    ("GET", "/api/incidents/imports"): ("/api/incidents/imports", None),
    ("POST", "/api/incidents/imports"): ("/api/incidents/imports", None),
    ("GET", "/api/incidents/quarantine"): ("/api/incidents/quarantine", None),
    ("POST", "/api/incidents/match"): ("/api/incidents/match", {"nope": 1}),
    ("POST", "/api/incidents/grade"): ("/api/incidents/grade", {"nope": 1}),
    ("GET", "/api/incidents/decisions"): ("/api/incidents/decisions", None),
    ("POST", "/api/incidents/decisions"): ("/api/incidents/decisions", {}),
    ("GET", "/api/incidents/{cluster_id}"): ("/api/incidents/IC-0123456789", None),
    ("GET", "/api/gap"): ("/api/gap", None),
    ("GET", "/"): ("/", None),
    ("GET", "/quarantine"): ("/quarantine", None),
    ("GET", "/review"): ("/review", None),
    ("GET", "/incidents"): ("/incidents", None),
}


def _declared_routes() -> set[tuple[str, str]]:
    routes = set()
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            routes.update((method, route.path) for method in route.methods)
    return routes


def test_table_covers_exactly_the_routes(service_env: ServiceEnv) -> None:
    declared = _declared_routes()
    assert declared == set(ROUTE_ACTIONS) | set(PUBLIC_ROUTES)
    assert set(SAMPLES) == set(ROUTE_ACTIONS)
    # and the app serves them: every documented operation is a declared route
    schema = service_env.app.openapi()
    documented = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert documented <= declared
    assert {k for k in declared if k[1].startswith("/api/")} == documented


def test_every_action_is_known_and_admin_has_all() -> None:
    assert set(ROUTE_ACTIONS.values()) <= set(ACTIONS)
    assert ROLE_ACTIONS[Role.ADMIN] == frozenset(ACTIONS)
    # roles are nested: each has at most what the one above has
    order = [Role.ADMIN, Role.ANALYST, Role.REVIEWER, Role.VIEWER]
    for upper, lower in itertools.pairwise(order):
        assert ROLE_ACTIONS[lower] <= ROLE_ACTIONS[upper]
    assert not allowed("nobody", "ui")


def _call(env: ServiceEnv, method: str, url: str, body: object, headers: dict):
    return env.client.request(
        method,
        url,
        json=body if method != "GET" else None,
        headers=headers,
        follow_redirects=False,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(ROUTE_ACTIONS))
def test_route_and_role(service_env: ServiceEnv, key: tuple[str, str], role: str):
    method, _ = key
    url, body = SAMPLES[key]
    headers = service_env.headers(role)
    if key == ("POST", "/api/auth/logout"):  # use a throw-away login
        login = service_env.client.post(
            "/api/auth/token", json={"username": role, "password": PASSWORDS[role]}
        )
        headers = {"Authorization": f"Bearer {login.json()['data']['token']}"}
    response = _call(service_env, method, url, body, headers)
    if allowed(role, ROUTE_ACTIONS[key]):
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        assert response.status_code == 403, response.text
        payload = response.json() if url.startswith("/api/") else None
        if payload is not None:
            assert payload["ok"] is False and payload["status"] == 403
            assert role in payload["error"]


@pytest.mark.parametrize("key", sorted(ROUTE_ACTIONS))
def test_route_without_login(service_env: ServiceEnv, key: tuple[str, str]) -> None:
    method, _ = key
    url, body = SAMPLES[key]
    response = _call(service_env, method, url, body, {})
    if url.startswith("/api/"):
        assert response.status_code == 401
        assert response.json()["ok"] is False
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert response.status_code == 303
        assert response.headers["location"] == "/login"


@pytest.mark.parametrize("key", sorted(ROUTE_ACTIONS))
def test_route_with_a_forged_token(service_env: ServiceEnv, key: tuple[str, str]):
    method, _ = key
    url, body = SAMPLES[key]
    response = _call(
        service_env, method, url, body, {"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code in (401, 303)


def test_public_routes_need_no_login(service_env: ServiceEnv) -> None:
    client = service_env.client
    assert client.get("/api/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    # the interactive docs pages load scripts from a CDN: they are switched off
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_cookie_writes_need_the_csrf_token(service_env: ServiceEnv) -> None:
    client = service_env.client
    login = client.post(
        "/api/auth/login",
        json={"username": "analyst", "password": PASSWORDS["analyst"]},
    )
    assert login.status_code == 200
    csrf = login.json()["data"]["csrf_token"]
    try:
        # a read needs no token
        assert client.get("/api/sources").status_code == 200
        # a write without it, or with a wrong one, is refused
        no_token = client.post("/api/linkage/runs", json={"threshold": 5})
        assert no_token.status_code == 403
        assert "X-CSRF-Token" in no_token.json()["error"]
        wrong = client.post(
            "/api/linkage/runs",
            json={"threshold": 5},
            headers={"X-CSRF-Token": "x" * 43},
        )
        assert wrong.status_code == 403
        # with it, the request reaches validation
        right = client.post(
            "/api/linkage/runs",
            json={"threshold": 5},
            headers={"X-CSRF-Token": csrf},
        )
        assert right.status_code == 422
    finally:
        client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
        client.cookies.clear()


def test_a_bearer_token_is_not_accepted_as_a_cookie(service_env: ServiceEnv) -> None:
    client = service_env.client
    client.cookies.set("undercount_session", service_env.tokens["admin"])
    try:
        assert client.get("/api/sources").status_code == 401
    finally:
        client.cookies.clear()
