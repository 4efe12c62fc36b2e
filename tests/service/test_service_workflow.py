"""Linkage runs, the review queue and decisions, estimates: the analyst's path.

The expected estimate is not a reference value: it is checked against the library
itself (the same capture table fitted directly), because the service must only
pass the library's result through.
"""

from __future__ import annotations

import pytest
from service_helpers import ADMIN, ServiceEnv

from undercount.captures import capture_table
from undercount.estimate import get_method


def test_linkage_run_summary_has_counts_only(linked_env: ServiceEnv) -> None:
    env = linked_env
    runs = env.client.get("/api/linkage/runs", headers=env.headers("viewer")).json()
    assert runs["count"] >= 1
    run = runs["data"][0]
    assert run["status"] == "done"
    assert run["lists"] == ["morgue", "ngo"]
    total = sum(len(f) for f in env.frames.values())
    assert 0 < run["records"] <= total
    assert 0 < run["people"] <= run["records"]
    assert run["to_review"] > 0
    one = env.client.get(
        f"/api/linkage/runs/{run['run_id']}", headers=env.headers("viewer")
    ).json()["data"]
    assert one == run
    missing = env.client.get(
        "/api/linkage/runs/0123456789abcdef", headers=env.headers("viewer")
    )
    assert missing.status_code == 404


def test_review_next_shows_a_pair_side_by_side(linked_env: ServiceEnv) -> None:
    env = linked_env
    data = env.client.get("/api/review/next", headers=env.headers("reviewer")).json()[
        "data"
    ]
    assert data["blind"] is False and data["remaining"] > 0
    pair = data["pair"]
    for side in ("left", "right"):
        assert pair[side]["source"] in ("morgue", "ngo")
        assert pair[side]["record_id"]
        assert pair[side]["name"]
    assert 0.0 <= pair["match_probability"] <= 1.0
    blind = env.client.get(
        "/api/review/next", params={"blind": True}, headers=env.headers("reviewer")
    ).json()["data"]
    assert blind["blind"] is True
    assert "match_probability" not in str(blind["pair"]) or (
        blind["pair"]["match_probability"] is None
    )
    assert blind["pair"]["match_weight"] is None
    assert blind["remaining"] == data["remaining"]


def test_decisions_shrink_the_queue_and_are_audited(linked_env: ServiceEnv) -> None:
    env = linked_env
    headers = env.headers("reviewer")
    before = env.client.get("/api/review/next", headers=headers).json()["data"]
    pair = before["pair"]
    body = {
        "source_l": pair["left"]["source"],
        "record_id_l": pair["left"]["record_id"],
        "source_r": pair["right"]["source"],
        "record_id_r": pair["right"]["record_id"],
        "verdict": "same",
        "note": "same father and grandfather; date differs by a day",
    }
    response = env.client.post("/api/review/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    decision = response.json()["data"]
    assert decision["reviewer"] == "reviewer" and decision["verdict"] == "same"
    assert decision["run_id"] == before["run_id"]
    after = env.client.get("/api/review/next", headers=headers).json()["data"]
    assert after["remaining"] == before["remaining"] - 1
    history = env.client.get("/api/review/decisions", headers=headers).json()
    assert history["data"][0]["decision_id"] == decision["decision_id"]
    audit = env.client.get(
        "/api/audit", params={"action": "review.decide"}, headers=env.headers(ADMIN)
    ).json()["data"]
    assert audit[0]["actor"] == "reviewer"
    assert audit[0]["details"]["verdict"] == "same"
    # a second opinion is appended, never overwrites
    body["verdict"] = "unsure"
    env.client.post("/api/review/decisions", json=body, headers=env.headers("analyst"))
    history = env.client.get("/api/review/decisions", headers=headers).json()
    assert [d["verdict"] for d in history["data"][:2]] == ["unsure", "same"]


def test_decision_refusals(linked_env: ServiceEnv) -> None:
    env = linked_env
    headers = env.headers("reviewer")
    base = {
        "source_l": "morgue",
        "record_id_l": "no-such-record",
        "source_r": "ngo",
        "record_id_r": "nor-this",
        "verdict": "same",
    }
    assert (
        env.client.post("/api/review/decisions", json=base, headers=headers).status_code
        == 404
    )
    bad = {**base, "verdict": "maybe"}
    assert (
        env.client.post("/api/review/decisions", json=bad, headers=headers).status_code
        == 422
    )
    long_note = {**base, "note": "x" * 2001}
    assert (
        env.client.post(
            "/api/review/decisions", json=long_note, headers=headers
        ).status_code
        == 422
    )


def test_estimate_runs_the_library_method(linked_env: ServiceEnv) -> None:
    env = linked_env
    methods = env.client.get(
        "/api/estimates/methods", headers=env.headers("viewer")
    ).json()["data"]["methods"]
    assert {"chapman", "lincoln-petersen"} <= set(methods)
    response = env.client.post(
        "/api/estimates",
        json={"method": "chapman", "level": 0.9},
        headers=env.headers("analyst"),
    )
    assert response.status_code == 202, response.text
    job = env.wait(response.json()["data"]["job_id"])
    assert job["status"] == "done", job
    estimate = env.client.get(
        f"/api/estimates/{job['job_id']}", headers=env.headers("viewer")
    ).json()["data"]
    figures = estimate["result"]
    assert figures["method"] == "chapman" and figures["level"] == 0.9
    assert figures["lower"] <= figures["estimate"] <= figures["upper"]
    assert figures["observed"] <= figures["estimate"]
    # the same figures as the library gives on the run's capture table
    services = env.app.state.services
    run = services.runs.load(estimate["run_id"])
    from undercount.store import StoreDecisionRepository

    decisions = services.db.read_sync(lambda s: StoreDecisionRepository(s).all())
    table = capture_table(run.clusters(decisions), run.lists)
    direct = get_method("chapman")().fit(table).to_dict(0.9)
    assert figures["estimate"] == pytest.approx(direct["estimate"])
    assert figures["observed"] == direct["observed"]
    listed = env.client.get("/api/estimates", headers=env.headers("viewer")).json()
    assert listed["data"][0]["estimate_id"] == job["job_id"]


def test_estimate_refusals(linked_env: ServiceEnv) -> None:
    env = linked_env
    headers = env.headers("analyst")
    unknown = env.client.post(
        "/api/estimates", json={"method": "guess"}, headers=headers
    )
    assert unknown.status_code == 422
    assert "chapman" in unknown.json()["error"]
    bad_option = env.client.post(
        "/api/estimates",
        json={"method": "chapman", "options": {"no_such_option": 1}},
        headers=headers,
    )
    assert bad_option.status_code == 400
    bad_level = env.client.post(
        "/api/estimates", json={"method": "chapman", "level": 1.5}, headers=headers
    )
    assert bad_level.status_code == 422
    no_run = env.client.post(
        "/api/estimates",
        json={"method": "chapman", "run_id": "0123456789abcdef"},
        headers=headers,
    )
    assert no_run.status_code == 409


def test_jobs_list_and_progress(linked_env: ServiceEnv) -> None:
    env = linked_env
    jobs = env.client.get("/api/jobs", headers=env.headers("reviewer")).json()
    kinds = {j["kind"] for j in jobs["data"]}
    assert {"import", "linkage"} <= kinds
    done = [j for j in jobs["data"] if j["status"] == "done"]
    assert all(j["progress"] == 1.0 and j["finished_at"] for j in done)
    only = env.client.get(
        "/api/jobs", params={"kind": "linkage"}, headers=env.headers("reviewer")
    ).json()
    assert {j["kind"] for j in only["data"]} == {"linkage"}


def test_pages_render_for_the_roles(linked_env: ServiceEnv) -> None:
    env = linked_env
    index = env.client.get("/", headers=env.headers("analyst"))
    assert index.status_code == 200
    assert 'id="upload-form"' in index.text and 'id="linkage-form"' in index.text
    viewer = env.client.get("/", headers=env.headers("viewer"))
    assert 'id="upload-form"' not in viewer.text
    assert 'href="/review"' not in viewer.text
    review = env.client.get("/review", headers=env.headers("reviewer"))
    assert review.status_code == 200
    assert 'aria-keyshortcuts="s"' in review.text
    assert '<meta name="csrf-token" content="' in review.text
