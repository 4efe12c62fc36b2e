"""docs/service.md documents every setting, action, route and role (Datasette-style
docs-coverage test), and the settings' environment parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_helpers import ServiceEnv

from undercount.errors import UserInputError
from undercount.service.permissions import (
    ACTIONS,
    PUBLIC_ROUTES,
    ROLE_ACTIONS,
    ROUTE_ACTIONS,
    Role,
)
from undercount.service.settings import ENV_PREFIX, ServiceSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "service.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_setting_is_documented(doc: str) -> None:
    for name in ServiceSettings.model_fields:
        assert f"`{ENV_PREFIX}{name.upper()}`" in doc, name


def test_every_route_is_documented(doc: str) -> None:
    for method, path in set(ROUTE_ACTIONS) | set(PUBLIC_ROUTES):
        if path.startswith("/api/"):
            assert f"| {method} | `{path}` |" in doc, (method, path)
        else:
            assert f"`{method} {path}`" in doc, (method, path)


def test_the_roles_table_matches_the_code(doc: str) -> None:
    roles = [Role.ADMIN, Role.ANALYST, Role.REVIEWER, Role.VIEWER]
    for action in ACTIONS:
        marks = " | ".join(
            "yes" if action in ROLE_ACTIONS[role] else "—" for role in roles
        )
        line = next(
            (ln for ln in doc.splitlines() if ln.startswith(f"| `{action}` |")), None
        )
        assert line is not None, action
        assert line.endswith(f"| {marks} |"), line


def test_settings_from_the_environment() -> None:
    settings = ServiceSettings.from_env(
        {
            "UNDERCOUNT_SERVICE_MAX_UPLOAD_MB": "2",
            "UNDERCOUNT_SERVICE_BLIND_REVIEW": "true",
            "PATH": "/bin",
        }
    )
    assert settings.max_upload_bytes == 2 * 1024 * 1024
    assert settings.blind_review is True
    with pytest.raises(UserInputError, match="UNDERCOUNT_SERVICE_MAX_UPLOD_MB"):
        ServiceSettings.from_env({"UNDERCOUNT_SERVICE_MAX_UPLOD_MB": "2"})
    with pytest.raises(UserInputError, match="UNDERCOUNT_SERVICE_SESSION_HOURS"):
        ServiceSettings.from_env({"UNDERCOUNT_SERVICE_SESSION_HOURS": "-1"})


def test_openapi_declares_how_to_authenticate(service_env: ServiceEnv) -> None:
    schema = service_env.app.openapi()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http"}
    assert schemes["bearerToken"]["scheme"] == "bearer"
    assert schemes["sessionCookie"]["in"] == "cookie"
    assert schemes["sessionCookie"]["name"] == "undercount_session"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if (method.upper(), path) in PUBLIC_ROUTES:
                assert operation["security"] == [], (method, path)
            else:
                assert operation["security"] == [
                    {"bearerToken": []},
                    {"sessionCookie": []},
                ], (method, path)
