"""Background jobs: outcomes kept, user errors shown, internal errors hidden,
unfinished jobs marked interrupted after a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.project import init_project
from undercount.service.database import Database
from undercount.service.jobs import JobContext, JobManager


@pytest.fixture
def db(tmp_path: Path):
    with Database(init_project(tmp_path / "p").store_path) as database:
        yield database


def _run(manager: JobManager, fn, kind: str = "estimate"):
    job = asyncio.run(manager.submit(kind, {"x": 1}, "amal", fn))
    return manager.wait(job.job_id, timeout=30)


def test_result_progress_and_audit(db: Database) -> None:
    manager = JobManager(db)
    seen = []

    def work(context: JobContext) -> dict:
        context.progress(0.5, "half way")
        seen.append(manager._live_copy(context.job_id).progress)
        return {"answer": 42}

    try:
        job = _run(manager, work)
    finally:
        manager.shutdown()
    assert seen == [0.5]
    assert job.status == "done" and job.result == {"answer": 42}
    assert job.progress == 1.0 and job.created_by == "amal"
    actions = [(e.action, e.actor) for e in db.read_sync(lambda s: s.audit_log())]
    assert ("estimate.start", "amal") in actions
    assert ("estimate.done", "amal") in actions


def test_user_errors_are_shown_with_paths_hidden(db: Database) -> None:
    manager = JobManager(db)

    def work(context: JobContext) -> dict:
        context.hide("/srv/secret/uploads/x1/list.csv", "list.csv")
        raise UserInputError("/srv/secret/uploads/x1/list.csv line 3: bad header")

    try:
        job = _run(manager, work)
    finally:
        manager.shutdown()
    assert job.status == "failed"
    assert job.error == "list.csv line 3: bad header"


def test_internal_errors_are_not_shown(db: Database) -> None:
    manager = JobManager(db)

    def work(context: JobContext) -> dict:
        raise RuntimeError("duckdb internals at /srv/secret")

    try:
        job = _run(manager, work)
    finally:
        manager.shutdown()
    assert job.status == "failed"
    assert "secret" not in job.error and "internal error" in job.error


def test_unfinished_jobs_are_interrupted_on_restart(db: Database) -> None:
    db.write_sync(
        lambda s: s.backend.execute(
            "INSERT INTO service.jobs VALUES ('00000000000000aa', 'linkage', "
            "'running', 'amal', now()::TIMESTAMP, NULL, NULL, '{}', NULL, NULL)"
        )
    )
    manager = JobManager(db)
    try:
        assert manager.recover() == 1
        job = asyncio.run(manager.get("00000000000000aa"))
    finally:
        manager.shutdown()
    assert job is not None and job.status == "interrupted"
    assert db.read_sync(lambda s: s.audit_log(action="job.interrupted"))
