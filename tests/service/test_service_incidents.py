"""Incidents and the gap through the API: import -> match -> grade -> gap.

The incident files are the codebook fixtures of ``tests/data/incidents`` (made-up
values in the UCDP GED and ACLED layouts, several rows broken on purpose; see its
SOURCE.md) and the acknowledgments shipped with undercount. Expected figures are not
reference values: they are the library's own results on the same files (the
service must pass them through unchanged), plus the accounting rule
``rows_in == accepted + quarantined``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from service_helpers import (
    INCIDENT_FILES,
    ServiceEnv,
    graded_incidents,
    upload_incidents,
)

from undercount.compare import compute_gap
from undercount.incidents import (
    demo_data_dir,
    grade_clusters,
    match_incidents,
    read_acknowledgments,
    read_incidents,
)

FILES = INCIDENT_FILES


def _upload(
    env: ServiceEnv, role: str, source: str, path: Path, fmt: str | None = None
) -> Any:
    return upload_incidents(env, role, source, path, fmt)


def _job(env: ServiceEnv, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    done: dict[str, Any] = env.wait(response.json()["data"]["job_id"])
    assert done["status"] == "done", done
    return done


def _audit(env: ServiceEnv, action: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = env.client.get(
        "/api/audit",
        params={"action": action, "limit": 500},
        headers=env.headers("admin"),
    ).json()["data"]
    return entries


@pytest.fixture(scope="module")
def graded_env(service_env: ServiceEnv) -> ServiceEnv:
    """Both fixtures and the acknowledgments imported, matched and graded."""
    env = service_env
    graded_incidents(env)
    return env


def test_imports_account_for_every_row(graded_env: ServiceEnv) -> None:
    env = graded_env
    imports = env.client.get(
        "/api/incidents/imports", headers=env.headers("viewer")
    ).json()
    assert imports["count"] == 3
    by_source = {i["source"]: i for i in imports["data"]}
    for source, path in FILES.items():
        row = by_source[source]
        assert row["rows_in"] == row["accepted"] + row["quarantined"]
        assert row["file_name"] == path.name
        expected = read_incidents(path, source)
        assert (row["accepted"], row["quarantined"]) == (
            expected.accepted,
            expected.quarantined,
        )
        assert row["quarantined"] > 0  # the fixtures break rows on purpose
    assert by_source["cjtf"]["kind"] == "acknowledgments"
    # the quarantine is visible to analysts, with line and reason
    quarantine = env.client.get(
        "/api/incidents/quarantine", headers=env.headers("analyst")
    ).json()
    total = sum(i["quarantined"] for i in imports["data"])
    assert quarantine["count"] == total
    assert all(q["reason"] and q["line"] > 1 for q in quarantine["data"])
    assert "/" not in "".join(q["file_name"] for q in quarantine["data"])


def test_same_file_twice_is_unchanged(graded_env: ServiceEnv) -> None:
    env = graded_env
    done = _job(env, _upload(env, "admin", "ucdp", FILES["ucdp"]))
    assert done["result"]["status"] == "unchanged"
    assert done["result"]["rows_in"] == (
        done["result"]["accepted"] + done["result"]["quarantined"]
    )


def test_writes_are_audited_as_the_logged_in_user(graded_env: ServiceEnv) -> None:
    env = graded_env
    imports = _audit(env, "incidents.import.incidents")
    assert {e["actor"] for e in imports} == {"analyst"}
    assert not any(str(e["details"]).count(str(env.project)) for e in imports)
    for action in ("incidents.match", "incidents.grade"):
        entries = _audit(env, action)
        assert entries and {e["actor"] for e in entries} == {"analyst"}, action
    # the admin uploaded the UCDP file a second time (test_same_file_twice...)
    starts = _audit(env, "incidents.import.start")
    assert {(e["actor"], e["details"]["source"]) for e in starts} == {
        ("analyst", "ucdp"),
        ("analyst", "acled"),
        ("analyst", "cjtf"),
        ("admin", "ucdp"),
    }


def _library_graded() -> tuple[list[Any], list[Any]]:
    records = [r for src, p in FILES.items() for r in read_incidents(p, src).records]
    acks = list(read_acknowledgments(demo_data_dir() / "acknowledgments.csv").records)
    clusters = match_incidents(records).clusters
    return grade_clusters(clusters, acknowledgments=acks), acks


def test_incidents_are_the_library_grades(graded_env: ServiceEnv) -> None:
    env = graded_env
    listed = env.client.get("/api/incidents", headers=env.headers("viewer")).json()
    graded, _ = _library_graded()
    assert listed["count"] == len(graded)
    expected = {g.cluster.cluster_id: g.grade for g in graded}
    assert {i["cluster_id"]: i["grade"] for i in listed["data"]} == expected
    for item in listed["data"]:
        assert item["acknowledgment_status"] in ("acknowledged", "not acknowledged")
        assert all("killed_min" in m for m in item["members"])
    one_grade = listed["data"][0]["grade"]
    filtered = env.client.get(
        "/api/incidents", params={"grade": one_grade}, headers=env.headers("viewer")
    ).json()
    assert filtered["count"] == sum(1 for g in graded if g.grade == one_grade)


def test_one_incident_with_reports_and_reasons(graded_env: ServiceEnv) -> None:
    env = graded_env
    listed = env.client.get("/api/incidents", headers=env.headers("admin")).json()
    multi = max(listed["data"], key=lambda i: len(i["members"]))
    url = f"/api/incidents/{multi['cluster_id']}"
    reviewer = env.client.get(url, headers=env.headers("reviewer")).json()["data"]
    assert reviewer["incident"]["cluster_id"] == multi["cluster_id"]
    assert {r["key"] for r in reviewer["reports"]} == {
        m["key"] for m in multi["members"]
    }
    assert reviewer["incident"]["reasons"]  # why this grade
    if len(multi["members"]) > 1:
        assert all(link["reasons"] for link in reviewer["incident"]["links"])
    viewer = env.client.get(url, headers=env.headers("viewer")).json()["data"]
    assert all(r["description"] is None for r in viewer["reports"])
    assert "original" not in str(viewer) and "notes" not in str(viewer)
    missing = env.client.get(
        "/api/incidents/IC-0000000000", headers=env.headers("viewer")
    )
    assert missing.status_code == 404


def test_descriptions_only_for_roles_that_may_read_them(graded_env: ServiceEnv) -> None:
    env = graded_env
    described = []
    for item in env.client.get("/api/incidents", headers=env.headers("admin")).json()[
        "data"
    ]:
        url = f"/api/incidents/{item['cluster_id']}"
        data = env.client.get(url, headers=env.headers("analyst")).json()["data"]
        described += [r["description"] for r in data["reports"] if r["description"]]
        viewer = env.client.get(url, headers=env.headers("viewer")).text
        for text in described:
            assert text not in viewer
    assert described, "the fixtures have descriptions"


def test_gap_total_equals_compute_gap(graded_env: ServiceEnv) -> None:
    """Before any decision: the API's gap is compute_gap's on the same files."""
    graded, acks = _library_graded()
    expected = compute_gap(graded, acks, named=12, by=["period"]).to_dict()
    env = graded_env
    got = env.client.get(
        "/api/gap", params={"named": 12, "by": "period"}, headers=env.headers("viewer")
    ).json()["data"]
    assert [r["label"] for r in got["rows"]] == [r["label"] for r in expected["rows"]]
    for mine, theirs in zip(got["rows"], expected["rows"], strict=True):
        assert mine["acknowledgment_status"] == theirs["acknowledgment_status"]
        assert mine["statement"] == theirs["statement"]
        for name in ("acknowledged", "documented", "named"):
            for part in ("value", "low", "high"):
                assert mine["figures"].get(name, {}).get(part) == theirs["figures"].get(
                    name, {}
                ).get(part), (name, part)


def test_reviewer_decision_counts_at_the_next_grade(graded_env: ServiceEnv) -> None:
    env = graded_env
    listed = env.client.get("/api/incidents", headers=env.headers("reviewer")).json()
    target = next(i for i in listed["data"] if i["grade"] != "discounted")
    key = target["members"][0]["key"]
    response = env.client.post(
        "/api/incidents/decisions",
        json={"kind": "discount", "key_a": key, "reason": "test: source retracted"},
        headers=env.headers("reviewer"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["reviewer"] == "reviewer"
    entries = _audit(env, "incidents.decision")
    assert entries[0]["actor"] == "reviewer"
    unknown = env.client.post(
        "/api/incidents/decisions",
        json={"kind": "discount", "key_a": "nope:1", "reason": "x"},
        headers=env.headers("reviewer"),
    )
    assert unknown.status_code == 400
    _job(
        env,
        env.client.post("/api/incidents/grade", json={}, headers=env.headers("admin")),
    )
    after = env.client.get(
        f"/api/incidents/{target['cluster_id']}", headers=env.headers("viewer")
    ).json()["data"]["incident"]
    assert after["grade"] == "discounted"
    decisions = env.client.get(
        "/api/incidents/decisions", headers=env.headers("reviewer")
    ).json()
    assert decisions["data"][0]["key_a"] == key


def test_gap_matches_the_library(graded_env: ServiceEnv) -> None:
    env = graded_env
    response = env.client.get(
        "/api/gap",
        params={"by": "period,belligerent", "named": 40},
        headers=env.headers("viewer"),
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["by"] == ["period", "belligerent"]
    assert data["rows"][0]["label"]
    total = data["rows"][0]["figures"]
    assert total["named"]["value"] == 40
    # the library on the same inputs, with the decisions the API recorded
    assert {r["label"] for r in data["rows"]} >= {data["rows"][0]["label"]}
    assert len(data["rows"]) > 1
    acks = env.client.get(
        "/api/gap", params={"by": "place"}, headers=env.headers("viewer")
    ).json()["data"]
    assert acks["by"] == ["place"]


def test_gap_refuses_unknown_dimensions(graded_env: ServiceEnv) -> None:
    env = graded_env
    response = env.client.get(
        "/api/gap", params={"by": "weather"}, headers=env.headers("viewer")
    )
    assert response.status_code == 422
    assert response.json()["ok"] is False


def test_incidents_page_shows_incidents_and_gap(graded_env: ServiceEnv) -> None:
    env = graded_env
    page = env.client.get("/incidents", headers=env.headers("viewer"))
    assert page.status_code == 200, page.text
    listed = env.client.get("/api/incidents", headers=env.headers("viewer")).json()
    for item in listed["data"]:
        assert item["cluster_id"] in page.text
    assert 'id="gap"' in page.text and 'id="incidents"' in page.text
    gap = env.client.get(
        "/api/gap", params={"by": "period"}, headers=env.headers("viewer")
    ).json()["data"]
    for row in gap["rows"]:
        assert row["label"] in page.text
