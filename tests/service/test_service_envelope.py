"""The one JSON envelope: success, list and error shapes, pinned.

Error bodies never echo submitted values and never carry a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import ADMIN, ServiceEnv, make_project

from undercount.errors import UserInputError
from undercount.service import create_app, deps
from undercount.service.envelope import error_body, ok, ok_list

ERROR_KEYS = {"ok", "error", "errors", "status"}


def assert_error(payload: dict, status: int) -> None:
    assert set(payload) == ERROR_KEYS
    assert payload["ok"] is False
    assert payload["status"] == status
    assert isinstance(payload["error"], str) and payload["error"]
    assert isinstance(payload["errors"], list) and payload["errors"]
    for item in payload["errors"]:
        assert set(item) == {"loc", "msg", "type"}


def test_helpers_build_the_shapes() -> None:
    assert ok({"a": 1}) == {"ok": True, "data": {"a": 1}}
    assert ok_list([1, 2]) == {"ok": True, "data": [1, 2], "count": 2}
    assert ok_list([1], count=7) == {"ok": True, "data": [1], "count": 7}
    body = error_body(404, "no such thing")
    assert body == {
        "ok": False,
        "error": "no such thing",
        "errors": [{"loc": [], "msg": "no such thing", "type": "error"}],
        "status": 404,
    }


def test_success_shapes(service_env: ServiceEnv) -> None:
    one = service_env.client.get("/api/health").json()
    assert set(one) == {"ok", "data"} and one["ok"] is True
    many = service_env.client.get(
        "/api/users", headers=service_env.headers(ADMIN)
    ).json()
    assert set(many) == {"ok", "data", "count"}
    assert many["count"] == len(many["data"]) >= 4


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/sources", 401),
        ("GET", "/api/nothing-here", 404),
        ("DELETE", "/api/sources", 405),
        ("GET", "/api/users/nobody", 404),
        ("GET", "/api/jobs/zzz", 422),
        ("GET", "/api/audit?limit=0", 422),
    ],
)
def test_error_shapes(service_env: ServiceEnv, method: str, url: str, status: int):
    headers = {} if status == 401 else service_env.headers(ADMIN)
    response = service_env.client.request(method, url, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert_error(response.json(), status)


def test_validation_errors_do_not_echo_input(service_env: ServiceEnv) -> None:
    secret = "hunter2-but-much-longer"
    response = service_env.client.post(
        "/api/auth/login", json={"username": "", "password": secret, "extra": "x"}
    )
    assert response.status_code == 422
    payload = response.json()
    assert_error(payload, 422)
    assert secret not in response.text
    assert {tuple(e["loc"]) for e in payload["errors"]} >= {("body", "username")}


def test_malformed_json_is_a_clean_422(service_env: ServiceEnv) -> None:
    response = service_env.client.post(
        "/api/users",
        content=b"{not json",
        headers={**service_env.headers(ADMIN), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert_error(response.json(), 422)


def test_user_errors_and_crashes_use_the_envelope(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(make_project(tmp_path))

    @app.get("/api/boom-user")
    async def boom_user() -> None:
        raise UserInputError("the rule, the value 'x', the fix")

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    # make the two test routes public, so that no login is needed
    extra = {("GET", "/api/boom-user"), ("GET", "/api/boom")}
    monkeypatch.setattr(deps, "PUBLIC_ROUTES", deps.PUBLIC_ROUTES | extra)
    with TestClient(app, raise_server_exceptions=False) as client:
        user = client.get("/api/boom-user")
        assert user.status_code == 400
        assert_error(user.json(), 400)
        assert user.json()["error"] == "the rule, the value 'x', the fix"
        crash = client.get("/api/boom")
        assert crash.status_code == 500
        assert_error(crash.json(), 500)
        assert "secret" not in crash.text and "Traceback" not in crash.text


def test_pages_get_html_errors(service_env: ServiceEnv) -> None:
    response = service_env.client.get(
        "/quarantine", headers=service_env.headers("viewer")
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>403</h1>" in response.text


def test_security_headers(service_env: ServiceEnv) -> None:
    response = service_env.client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    static = service_env.client.get("/static/app.js")
    assert static.status_code == 200
    assert static.headers["cache-control"] == "no-cache"


def test_large_json_bodies_are_refused(service_env: ServiceEnv) -> None:
    response = service_env.client.post(
        "/api/auth/login",
        content=b'{"username": "' + b"a" * (2 << 20) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert_error(response.json(), 413)

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(40):
            yield b"a" * 65536

    streamed = service_env.client.post(
        "/api/auth/login",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert_error(streamed.json(), 413)


def test_openapi_documents_the_envelope(service_env: ServiceEnv) -> None:
    schema = service_env.client.get("/openapi.json").json()
    assert schema["info"]["title"] == "undercount"
    assert "ErrorEnvelope" in schema["components"]["schemas"]
    sources = schema["paths"]["/api/sources"]["get"]["responses"]
    assert "401" in sources and "403" in sources
    upload = schema["paths"]["/api/sources/{source}/imports"]["post"]
    assert "application/octet-stream" in upload["requestBody"]["content"]
