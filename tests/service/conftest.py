"""Fixtures for the service tests (helpers in ``service_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from service_helpers import (
    ADMIN,
    ROLES,
    ServiceEnv,
    add_users,
    make_project,
    simulated_lists,
    token,
)

from undercount.service import ServiceSettings, create_app


@pytest.fixture(scope="module")
def service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceEnv]:
    """One app per test module, with users of every role and two lists on disk."""
    root = tmp_path_factory.mktemp("service")
    project = make_project(root)
    lists = simulated_lists(root / "lists")
    frames = {k: pd.read_csv(p, dtype=str) for k, p in lists.items()}
    settings = ServiceSettings(max_upload_mb=1)
    app = create_app(project, settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        admin = token(client, ADMIN)
        add_users(client, {"Authorization": f"Bearer {admin}"})
        tokens = {"admin": admin} | {r: token(client, r) for r in ROLES[1:]}
        yield ServiceEnv(client, app, project, lists, frames, tokens)


@pytest.fixture(scope="module")
def linked_env(service_env: ServiceEnv) -> ServiceEnv:
    """:func:`service_env` with both lists imported and one linkage run done."""
    env = service_env
    for source, path in env.lists.items():
        job = env.upload("analyst", source, path).json()["data"]
        assert env.wait(job["job_id"])["status"] == "done"
    response = env.client.post(
        "/api/linkage/runs", json={}, headers=env.headers("analyst")
    )
    assert response.status_code == 202, response.text
    done = env.wait(response.json()["data"]["job_id"], timeout=120)
    assert done["status"] == "done", done
    return env
