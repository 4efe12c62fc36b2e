"""Uploading lists, import status, quarantine, upload limits, safe names, audit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from service_helpers import ADMIN, ServiceEnv

from undercount.service.envelope import ApiError
from undercount.service.ops.uploads import safe_filename

DIRTY_CSV = (
    "record_id,name,sex,age,date_of_death,place_of_death\n"
    "d1,Ahmed Ali Hassan,M,34,2017-03-17,al-Jadida\n"
    'd2,=HYPERLINK("http://x"),M,not-an-age,2017-03-17,al-Jadida\n'
    "d3,Fatima Omar Saleh,F,-4,2017-04-02,al-Zanjili\n"
    "d4,Khalid Yusuf Ahmed,M,50,2017-13-40,al-Shifa\n"
    "d5,Maryam Ali Mahmoud,F,28,2017-05-01,al-Shifa\n"
)


def _upload_text(env: ServiceEnv, source: str, name: str, text: str):
    return env.client.post(
        f"/api/sources/{source}/imports",
        params={"filename": name},
        content=text.encode(),
        headers={**env.headers("analyst"), "Content-Type": "application/octet-stream"},
    )


def test_upload_imports_and_reports_counts(service_env: ServiceEnv) -> None:
    env = service_env
    response = env.upload("analyst", "morgue", env.lists["morgue"])
    assert response.status_code == 202
    job = response.json()["data"]
    assert job["kind"] == "import" and job["status"] in ("queued", "running", "done")
    done = env.wait(job["job_id"])
    assert done["status"] == "done", done
    result = done["result"]
    assert result["rows_in"] == result["accepted"] + result["quarantined"]
    assert result["rows_in"] == len(env.frames["morgue"])
    assert result["source"] == "morgue" and result["file"] == "morgue.csv"
    source = env.client.get(
        "/api/sources/morgue", headers=env.headers("viewer")
    ).json()["data"]
    assert source["records"] == result["accepted"]
    assert source["last_import"]["file_name"] == "morgue.csv"
    imports = env.client.get(
        "/api/sources/morgue/imports", headers=env.headers("viewer")
    ).json()
    assert imports["count"] == 1
    assert imports["data"][0]["actor"] == "analyst"
    # the same file again is recognised, not imported twice
    again = env.wait(
        env.upload("analyst", "morgue", env.lists["morgue"]).json()["data"]["job_id"]
    )
    assert again["result"]["status"] == "unchanged"


def test_quarantine_lists_and_exports(service_env: ServiceEnv) -> None:
    env = service_env
    job = _upload_text(env, "dirty", "dirty list.csv", DIRTY_CSV).json()["data"]
    done = env.wait(job["job_id"])
    assert done["status"] == "done", done
    assert done["result"]["rows_in"] == 5
    assert done["result"]["quarantined"] == 3
    page = env.client.get(
        "/api/quarantine", params={"source": "dirty"}, headers=env.headers("analyst")
    ).json()
    assert page["count"] == 3 and len(page["data"]) == 3
    lines = sorted(row["line"] for row in page["data"])
    assert lines == [3, 4, 5]  # header is line 1
    assert all(row["file_name"].endswith(".csv") for row in page["data"])
    assert all("/" not in row["file_name"] for row in page["data"])
    paged = env.client.get(
        "/api/quarantine",
        params={"source": "dirty", "limit": 1, "offset": 1},
        headers=env.headers("analyst"),
    ).json()
    assert paged["count"] == 3 and len(paged["data"]) == 1
    export = env.client.get(
        "/api/quarantine/export",
        params={"source": "dirty"},
        headers=env.headers("analyst"),
    )
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "quarantine-dirty.csv" in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    # no cell would run as a spreadsheet formula
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert any("HYPERLINK" in c for c in cells)  # kept, inside the JSON row
    audit = env.client.get(
        "/api/audit",
        params={"action": "quarantine.download"},
        headers=env.headers(ADMIN),
    ).json()["data"]
    assert audit[0]["actor"] == "analyst" and audit[0]["details"]["rows"] == 3
    # the exported file does not stay on the server
    exports = env.project / ".undercount" / "service" / "exports"
    assert not list(exports.glob("*.csv"))


def test_quarantine_page_renders_rtl_and_escapes(service_env: ServiceEnv) -> None:
    env = service_env
    job = _upload_text(env, "dirty", "dirty.csv", DIRTY_CSV).json()["data"]
    assert env.wait(job["job_id"])["status"] == "done"  # the import is a job
    page = env.client.get(
        "/quarantine", params={"source": "dirty"}, headers=env.headers("analyst")
    )
    assert page.status_code == 200
    assert 'dir="auto"' in page.text
    assert "<script" not in page.text.split("</head>", 1)[1]


def test_upload_size_limit(service_env: ServiceEnv) -> None:
    env = service_env
    big = b"record_id,name\n" + b"x1,aaaa\n" * (1024 * 1024 // 8 + 10)  # > 1 MB
    declared = env.client.post(
        "/api/sources/big/imports",
        params={"filename": "big.csv"},
        content=big,
        headers={**env.headers("analyst"), "Content-Type": "application/octet-stream"},
    )
    assert declared.status_code == 413
    assert declared.json()["status"] == 413

    def chunks():
        for _ in range(20):
            yield b"x" * 65536

    streamed = env.client.post(
        "/api/sources/big/imports",
        params={"filename": "big.csv"},
        content=chunks(),
        headers={**env.headers("analyst"), "Content-Type": "application/octet-stream"},
    )
    assert streamed.status_code == 413
    uploads = env.project / ".undercount" / "service" / "uploads" / "big"
    assert not uploads.exists() or not any(uploads.rglob("*"))


def test_upload_refusals(service_env: ServiceEnv) -> None:
    env = service_env
    assert _upload_text(env, "x", "list.exe", "a").status_code == 415
    assert _upload_text(env, "x", "list.csv", "").status_code == 400
    assert _upload_text(env, "-bad", "list.csv", "a,b\n1,2\n").status_code == 422
    assert _upload_text(env, "..", "list.csv", "a,b\n1,2\n").status_code in (404, 422)
    assert _upload_text(env, "x" * 65, "list.csv", "a,b\n1,2\n").status_code == 422
    assert _upload_text(env, "a/b", "list.csv", "a,b\n1,2\n").status_code == 404


def test_traversal_names_stay_inside(service_env: ServiceEnv) -> None:
    env = service_env
    response = _upload_text(env, "trav", "../../../../tmp/evil.csv", DIRTY_CSV)
    assert response.status_code == 202
    env.wait(response.json()["data"]["job_id"])
    folder = env.project / ".undercount" / "service" / "uploads" / "trav"
    stored = list(folder.glob("*/*"))
    assert len(stored) == 1 and stored[0].name == "evil.csv"
    assert not Path("/tmp/evil.csv").exists()
    assert stored[0].stat().st_mode & 0o077 == 0  # readable by the service only


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("morgue.csv", "morgue.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\x\\list.XLSX", "list.xlsx"),
        (".hidden.csv", "hidden.csv"),
        ("قائمة الضحايا.csv", "list.csv"),
        ("a b;c$(rm).jsonl", "a_b_c_rm.jsonl"),
        ("x" * 300 + ".csv", "x" * 90 + ".csv"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


@pytest.mark.parametrize("given", ["passwd", "x.exe", "x.csv.sh", "", "."])
def test_safe_filename_refuses(given: str) -> None:
    with pytest.raises(ApiError) as info:
        safe_filename(given)
    assert info.value.status == 415


def test_unreadable_file_fails_without_server_paths(service_env: ServiceEnv) -> None:
    env = service_env
    response = env.client.post(
        "/api/sources/garbage/imports",
        params={"filename": "garbage.csv"},
        content=bytes(range(256)) * 40,
        headers={**env.headers("analyst"), "Content-Type": "application/octet-stream"},
    )
    done = env.wait(response.json()["data"]["job_id"])
    assert done["status"] == "failed"
    assert done["error"]
    assert str(env.project) not in done["error"]
    assert ".undercount" not in done["error"]


def test_import_is_audited_with_the_user(service_env: ServiceEnv) -> None:
    env = service_env
    audit = env.client.get("/api/audit", headers=env.headers(ADMIN)).json()["data"]
    actions = {(e["action"], e["actor"]) for e in audit}
    assert ("import.start", "analyst") in actions
    assert ("import", "analyst") in actions  # the store's own entry
    assert ("import.done", "analyst") in actions
    assert all(e["at"] for e in audit)
