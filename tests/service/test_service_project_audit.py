"""The audit log names the logged-in user and no server path; the project declares
what its data are (and the report labels them so)."""

from __future__ import annotations

import tomllib

from service_helpers import ServiceEnv

from undercount.store import Store


def _audit(env: ServiceEnv, action: str) -> list[dict]:  # type: ignore[type-arg]
    response = env.client.get(
        "/api/audit",
        params={"action": action, "limit": 1000},
        headers=env.headers("admin"),
    )
    assert response.status_code == 200, response.text
    entries: list[dict] = response.json()["data"]  # type: ignore[type-arg]
    return entries


def test_store_writes_are_audited_as_the_logged_in_user(linked_env: ServiceEnv) -> None:
    env = linked_env
    # the lists were uploaded by the analyst (see conftest.linked_env)
    assert {e["actor"] for e in _audit(env, "source.create")} == {"analyst"}
    assert {e["actor"] for e in _audit(env, "import")} == {"analyst"}
    response = env.client.get("/api/quarantine/export", headers=env.headers("analyst"))
    assert response.status_code == 200
    export = _audit(env, "export")[0]
    assert export["actor"] == "analyst"
    assert not export["details"]["path"].startswith("/")
    pair = env.client.get("/api/review/next", headers=env.headers("reviewer")).json()[
        "data"
    ]["pair"]
    assert pair is not None, "the linkage run left nothing to review"
    body = {
        "source_l": pair["left"]["source"],
        "record_id_l": pair["left"]["record_id"],
        "source_r": pair["right"]["source"],
        "record_id_r": pair["right"]["record_id"],
        "verdict": "different",
        "note": "different fathers",
    }
    response = env.client.post(
        "/api/review/decisions", json=body, headers=env.headers("reviewer")
    )
    assert response.status_code == 201, response.text
    assert _audit(env, "review.decide")[0]["actor"] == "reviewer"
    decisions = env.client.get(
        "/api/review/decisions", headers=env.headers("reviewer")
    ).json()["data"]
    assert decisions[0]["reviewer"] == "reviewer"
    # the decision is in the store's own table, where 'undercount run' reads it
    read = env.app.state.services.db.read_sync
    stored = read(lambda store: store.decisions())
    assert stored[-1].origin == "service" and stored[-1].verdict == "different"
    # no entry shows the server's folders
    everything = env.client.get(
        "/api/audit", params={"limit": 1000}, headers=env.headers("admin")
    ).text
    assert str(env.project) not in everything
    assert str(env.project.parent) not in everything


def test_service_reads_through_a_read_only_connection(service_env: ServiceEnv) -> None:
    read = service_env.app.state.services.db.read_sync
    assert read(lambda store: store.read_only) is True

    def write(store: Store) -> None:
        store.append_audit("test", {})

    try:
        read(write)
    except Exception as exc:
        assert "read-only" in str(exc)
    else:
        raise AssertionError("the read connection accepted a write")


def test_project_data_declaration(service_env: ServiceEnv) -> None:
    env = service_env
    config = env.project / "undercount.toml"
    before = config.read_text(encoding="utf-8")
    for role in ("admin", "analyst", "reviewer", "viewer"):
        response = env.client.get("/api/project", headers=env.headers(role))
        assert response.status_code == 200
        assert response.json()["data"]["data"] == "undeclared"
    refused = env.client.put(
        "/api/project", json={"data": "real"}, headers=env.headers("analyst")
    )
    assert refused.status_code == 403
    bad = env.client.put(
        "/api/project", json={"data": "probably"}, headers=env.headers("admin")
    )
    assert bad.status_code == 422
    assert config.read_text(encoding="utf-8") == before
    done = env.client.put(
        "/api/project", json={"data": "real"}, headers=env.headers("admin")
    )
    assert done.status_code == 200, done.text
    assert done.json()["data"]["data"] == "real"
    text = config.read_text(encoding="utf-8")
    assert tomllib.loads(text)["report"]["data"] == "real"
    assert text.startswith(before.rstrip("\n"))  # the rest of the file is kept
    entry = _audit(env, "project.declare")[0]
    assert entry["actor"] == "admin"
    assert entry["details"] == {"data": "real", "previous": "undeclared"}
    env.client.put(
        "/api/project", json={"data": "simulated"}, headers=env.headers("admin")
    )
    assert tomllib.loads(config.read_text(encoding="utf-8"))["report"] == {
        "data": "simulated"
    }
    env.client.put(
        "/api/project", json={"data": "undeclared"}, headers=env.headers("admin")
    )
    assert "data" not in tomllib.loads(config.read_text(encoding="utf-8")).get(
        "report", {}
    )
    page = env.client.get("/", headers=env.headers("viewer")).text
    assert "data provenance not declared" in page
    assert 'id="project-form"' not in page
    assert 'id="project-form"' in env.client.get("/", headers=env.headers("admin")).text
