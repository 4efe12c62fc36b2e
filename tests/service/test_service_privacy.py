"""Viewers never see a victim's personal fields; the report is served safely."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from service_helpers import ADMIN, ServiceEnv

from undercount.service.permissions import ROUTE_ACTIONS, allowed
from undercount.service.privacy import PERSONAL_FIELDS, is_personal, strip_personal


def test_personal_fields_cover_names_birth_and_notes() -> None:
    for field in (
        "name",
        "given_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "birth_year",
        "date_of_birth",
        "notes",
        "original",
    ):
        assert field in PERSONAL_FIELDS
    assert is_personal("name_display_l") and is_personal("record_id_r")
    assert not is_personal("source") and not is_personal("observed")


def test_strip_personal_at_any_depth() -> None:
    value = {
        "source": "morgue",
        "name": "x",
        "rows": [{"given_name": "y", "age_group": "18-39", "notes": "z"}],
        "pair": {"name_display_l": "a", "match_probability": 0.5},
    }
    assert strip_personal(value) == {
        "source": "morgue",
        "rows": [{"age_group": "18-39"}],
        "pair": {"match_probability": 0.5},
    }


def _properties(schema: dict, node: Any, seen: set[str]) -> set[str]:
    """Every property name reachable from ``node`` (following $ref)."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                found |= _properties(
                    schema, schema["components"]["schemas"][name], seen
                )
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found |= set(value)
            found |= _properties(schema, value, seen)
    elif isinstance(node, list):
        for value in node:
            found |= _properties(schema, value, seen)
    return found


def test_viewer_routes_have_no_personal_field_in_their_schema(
    service_env: ServiceEnv,
) -> None:
    schema = service_env.app.openapi()
    for (method, path), action in ROUTE_ACTIONS.items():
        if not allowed("viewer", action) or not path.startswith("/api/"):
            continue
        responses = schema["paths"][path][method.lower()]["responses"]
        ok_schema = responses.get("200") or responses.get("202") or {}
        names = _properties(schema, ok_schema, set())
        personal = {n for n in names if is_personal(n)}
        assert not personal, f"{method} {path} exposes {personal}"


def _all_names(env: ServiceEnv) -> set[str]:
    names = set()
    for frame in env.frames.values():
        for column in ("given_name", "family_name", "father_name", "name"):
            if column in frame.columns:
                names |= {str(v) for v in frame[column].dropna() if len(str(v)) >= 4}
    return names


def test_viewer_sees_no_name_from_the_lists(linked_env: ServiceEnv) -> None:
    env = linked_env
    # an estimate exists, so that its route returns data
    job = env.client.post(
        "/api/estimates", json={"method": "chapman"}, headers=env.headers("analyst")
    ).json()["data"]
    env.wait(job["job_id"])
    names = _all_names(env)
    assert len(names) > 50
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names)))
    viewer = env.headers("viewer")
    checked = 0
    for (method, path), action in ROUTE_ACTIONS.items():
        if method != "GET" or not allowed("viewer", action):
            continue
        url = path.format(
            source="morgue",
            run_id=env.client.get("/api/linkage/runs", headers=viewer).json()["data"][
                0
            ]["run_id"],
            estimate_id=job["job_id"],
            name="report.html",
            job_id=job["job_id"],
            username="viewer",
            cluster_id="IC-0123456789",
        )
        response = env.client.get(url, headers=viewer)
        if response.status_code == 200:
            checked += 1
            found = pattern.search(response.text)
            assert found is None, f"{url} shows {found.group(0)!r}"
    assert checked >= 8
    # and the same routes do show names to those who need them
    pair = env.client.get("/api/review/next", headers=env.headers("reviewer")).json()[
        "data"
    ]["pair"]
    assert pair["left"]["name"]


def _write_report(folder, public: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(
        json.dumps({"title": "Mosul test", "public": public}), encoding="utf-8"
    )
    (folder / "report.html").write_text(
        "<!doctype html><title>r</title><p>report</p>", encoding="utf-8"
    )


@pytest.mark.parametrize("public", [False, True])
def test_report_is_served_to_whom_it_may_be(service_env: ServiceEnv, public: bool):
    env = service_env
    folder = env.project / "out"
    for name in ("results.json", "report.html"):
        (folder / name).unlink(missing_ok=True)
    none = env.client.get("/api/report", headers=env.headers("viewer")).json()["data"]
    assert none == {"available": False, "public": None, "title": None, "files": []}
    assert (
        env.client.get(
            "/api/report/files/report.html", headers=env.headers(ADMIN)
        ).status_code
        == 404
    )
    _write_report(folder, public)
    analyst = env.client.get("/api/report", headers=env.headers("analyst")).json()
    assert analyst["data"]["available"] is True
    assert analyst["data"]["public"] is public
    assert {f["file"] for f in analyst["data"]["files"]} == {
        "report.html",
        "results.json",
    }
    html = env.client.get(
        "/api/report/files/report.html", headers=env.headers("analyst")
    )
    assert html.status_code == 200
    csp = html.headers["content-security-policy"]
    assert "sandbox" in csp and "script-src" not in csp
    viewer = env.client.get(
        "/api/report/files/report.html", headers=env.headers("viewer")
    )
    listing = env.client.get("/api/report", headers=env.headers("viewer")).json()
    if public:
        assert viewer.status_code == 200
        assert listing["data"]["files"]
    else:
        assert viewer.status_code == 403
        assert listing["data"]["files"] == []
    bad = env.client.get(
        "/api/report/files/undercount.duckdb", headers=env.headers(ADMIN)
    )
    assert bad.status_code == 422
    traversal = env.client.get(
        "/api/report/files/..%2Fundercount.toml", headers=env.headers(ADMIN)
    )
    assert traversal.status_code in (404, 422)


def test_report_run_writes_a_public_report_without_names(linked_env: ServiceEnv):
    env = linked_env
    response = env.client.post(
        "/api/report/runs", json={"public": True}, headers=env.headers("analyst")
    )
    assert response.status_code == 202, response.text
    job = env.wait(response.json()["data"]["job_id"], timeout=180)
    assert job["status"] == "done", job
    assert "report.html" in job["result"]["files"]
    status = env.client.get("/api/report", headers=env.headers("viewer")).json()
    assert status["data"]["public"] is True
    html = env.client.get(
        "/api/report/files/report.html", headers=env.headers("viewer")
    )
    assert html.status_code == 200
    names = _all_names(env)
    found = [n for n in names if n in html.text]
    assert not found, found[:5]
