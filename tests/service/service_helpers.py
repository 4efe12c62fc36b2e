"""Helpers for the service tests: users, projects with simulated lists, a client.

The lists are simulated (``undercount.simulate.records.simulate_mosul_lists``, seeded):
nobody in them is real. They are written as CSV files the way an analyst would
upload them. (A uniquely named module, not conftest.py, so that test modules can
import it whatever other conftest modules are loaded.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI
from fastapi.testclient import TestClient

from undercount._commands.serve import ensure_first_admin
from undercount.project import init_project

ADMIN = "admin"
PASSWORDS = {
    "admin": "admin-password-long-enough",
    "analyst": "analyst-password-long-enough",
    "reviewer": "reviewer-password-long-enough",
    "viewer": "viewer-password-long-enough",
}
ROLES = ("admin", "analyst", "reviewer", "viewer")


@dataclass
class ServiceEnv:
    """A running app (TestClient inside its lifespan) with one user per role."""

    client: TestClient
    app: FastAPI
    project: Path
    lists: dict[str, Path]
    frames: dict[str, pd.DataFrame]
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        """Bearer-token headers of the user with ``role``."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def upload(self, role: str, source: str, path: Path) -> Any:
        """Upload ``path`` as ``source``; the response."""
        return self.client.post(
            f"/api/sources/{source}/imports",
            params={"filename": path.name},
            content=path.read_bytes(),
            headers={**self.headers(role), "Content-Type": "application/octet-stream"},
        )

    def wait(self, job_id: str, role: str = "admin", timeout: float = 60) -> Any:
        """Poll a job until it ends; its final JSON."""
        deadline = time.monotonic() + timeout
        while True:
            data = self.client.get(
                f"/api/jobs/{job_id}", headers=self.headers(role)
            ).json()["data"]
            if data["status"] not in ("queued", "running"):
                return data
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {data['status']}")
            time.sleep(0.05)


def simulated_lists(folder: Path, n_dead: int = 200, seed: int = 7) -> dict[str, Path]:
    """Write the simulated morgue and ngo lists as CSV files; their paths."""
    from undercount.simulate.records import simulate_mosul_lists

    simulated = simulate_mosul_lists(n_dead=n_dead, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("morgue", "ngo"):
        path = folder / f"{name}.csv"
        simulated.lists[name].to_csv(path, index=False)
        paths[name] = path
    return paths


def make_project(root: Path) -> Path:
    """A new project with its first admin."""
    project = init_project(root / "project").root
    ensure_first_admin(
        project / "undercount.duckdb",
        username=ADMIN,
        password=PASSWORDS[ADMIN],
        min_length=12,
        interactive=False,
    )
    return project


def add_users(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Create one user per non-admin role."""
    for role in ROLES[1:]:
        response = client.post(
            "/api/users",
            json={"username": role, "password": PASSWORDS[role], "role": role},
            headers=admin_headers,
        )
        assert response.status_code == 201, response.text


def token(client: TestClient, username: str) -> str:
    """A bearer token for ``username``."""
    response = client.post(
        "/api/auth/token",
        json={"username": username, "password": PASSWORDS[username]},
    )
    assert response.status_code == 200, response.text
    value: str = response.json()["data"]["token"]
    return value


INCIDENT_DATA = Path(__file__).resolve().parents[1] / "data" / "incidents"
INCIDENT_FILES = {
    "ucdp": INCIDENT_DATA / "ucdp_ged_codebook_fixture.csv",
    "acled": INCIDENT_DATA / "acled_codebook_fixture.csv",
}


def upload_incidents(
    env: ServiceEnv, role: str, source: str, path: Path, fmt: str | None = None
) -> Any:
    """Upload an incident (or acknowledgments) file as ``source``; the response."""
    params = {"source": source, "filename": path.name}
    if fmt:
        params["format"] = fmt
    return env.client.post(
        "/api/incidents/imports",
        params=params,
        content=path.read_bytes(),
        headers={**env.headers(role), "Content-Type": "application/octet-stream"},
    )


def graded_incidents(env: ServiceEnv, role: str = "analyst") -> None:
    """Import both incident fixtures and the shipped acknowledgments; match; grade."""
    from undercount.incidents import demo_data_dir

    uploads = [
        upload_incidents(env, role, source, path)
        for source, path in INCIDENT_FILES.items()
    ]
    uploads.append(
        upload_incidents(
            env,
            role,
            "cjtf",
            demo_data_dir() / "acknowledgments.csv",
            "acknowledgments",
        )
    )
    for path in ("/api/incidents/match", "/api/incidents/grade"):
        for response in uploads:
            assert response.status_code == 202, response.text
            done = env.wait(response.json()["data"]["job_id"])
            assert done["status"] == "done", done
        uploads = [env.client.post(path, json={}, headers=env.headers(role))]
    done = env.wait(uploads[0].json()["data"]["job_id"])
    assert done["status"] == "done", done
