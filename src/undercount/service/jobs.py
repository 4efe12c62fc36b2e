"""Background jobs: imports, linkage runs and estimates, with progress to poll.

A job is created by a route (recorded in ``service.jobs`` with its audit entry),
runs on a small thread pool, reports progress in memory while it runs, and writes
its result or error back to the table when it ends. Progress is therefore lost on a
restart, but the outcome is not; jobs that were queued or running when the service
stopped are marked ``interrupted`` on the next start.

Error messages shown to users come from :class:`~undercount.errors.UserInputError`
only; anything else is logged and reported as an internal error.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from undercount.errors import UserInputError
from undercount.service.database import Database
from undercount.store import Store

__all__ = ["Job", "JobContext", "JobManager"]

log = logging.getLogger("undercount.service.jobs")

_COLUMNS = (
    "job_id, kind, status, created_by, created_at, started_at, finished_at, "
    "params, result, error"
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Job:
    """A job's state (a snapshot; poll again for news)."""

    job_id: str
    kind: str
    status: str
    created_by: str
    created_at: datetime
    params: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    progress: float | None = None
    message: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def public(self) -> dict[str, Any]:
        """JSON-ready fields of :class:`~undercount.service.schemas.JobPublic`."""
        return {
            "job_id": self.job_id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "message": self.message,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "params": self.params,
            "result": self.result,
            "error": self.error,
        }


def _job(row: tuple[Any, ...]) -> Job:
    return Job(
        job_id=row[0],
        kind=row[1],
        status=row[2],
        created_by=row[3],
        created_at=row[4],
        started_at=row[5],
        finished_at=row[6],
        params=json.loads(row[7]) if row[7] else {},
        result=json.loads(row[8]) if row[8] else None,
        error=row[9],
        progress=1.0 if row[2] == "done" else None,
    )


class JobContext:
    """What a running job may do: report progress, hide strings from its errors."""

    def __init__(self, manager: JobManager, job_id: str) -> None:
        self._manager = manager
        self.job_id = job_id
        self._scrub: dict[str, str] = {}

    def progress(self, fraction: float | None, message: str | None = None) -> None:
        """Report progress (``fraction`` in 0..1, or ``None`` when unknown)."""
        if fraction is not None:
            fraction = min(max(float(fraction), 0.0), 1.0)
        self._manager._update(self.job_id, progress=fraction, message=message)

    def hide(self, text: str, shown_as: str) -> None:
        """Show ``shown_as`` instead of ``text`` in error messages (e.g. paths)."""
        if text:
            self._scrub[text] = shown_as

    def scrub(self, message: str) -> str:
        """``message`` with every hidden string replaced."""
        for text, shown in self._scrub.items():
            message = message.replace(text, shown)
        return message


JobFunction = Callable[[JobContext], dict[str, Any]]


class JobManager:
    """Runs jobs on a thread pool and records them in ``service.jobs``."""

    def __init__(self, db: Database, workers: int = 1) -> None:
        self._db = db
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="undercount-job")
        self._live: dict[str, Job] = {}
        self._lock = threading.Lock()

    def recover(self) -> int:
        """Mark jobs left queued or running by a stopped service as interrupted."""

        def mark(store: Store) -> int:
            rows = store.backend.fetchall(
                "SELECT job_id FROM service.jobs WHERE status IN ('queued', 'running')"
            )
            if not rows:
                return 0
            ids = [r[0] for r in rows]
            with store.audited(
                "job.interrupted", {"jobs": ids}, actor="undercount-service"
            ):
                store.backend.execute(
                    "UPDATE service.jobs SET status = 'interrupted', finished_at = ? "
                    "WHERE status IN ('queued', 'running')",
                    [_now()],
                )
            return len(ids)

        return self._db.write_sync(mark)

    def shutdown(self) -> None:
        """Wait for running jobs to end (queued ones are cancelled)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- submitting -------------------------------------------------------------------

    async def submit(
        self, kind: str, params: dict[str, Any], actor: str, fn: JobFunction
    ) -> Job:
        """Record a new job (with its audit entry) and queue it."""
        job = Job(
            job_id=secrets.token_hex(8),
            kind=kind,
            status="queued",
            created_by=actor,
            created_at=_now(),
            params=params,
        )

        def insert(store: Store) -> None:
            with store.audited(
                f"{kind}.start", {"job_id": job.job_id, **params}, actor=actor
            ):
                store.backend.execute(
                    "INSERT INTO service.jobs VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, "
                    "NULL, NULL)",
                    [
                        job.job_id,
                        kind,
                        "queued",
                        actor,
                        job.created_at,
                        json.dumps(params, ensure_ascii=False, default=str),
                    ],
                )

        await self._db.write(insert)
        with self._lock:
            self._live[job.job_id] = job
        self._pool.submit(self._run, job, fn)
        return job

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = replace(self._live[job_id], **changes)
            self._live[job_id] = job
            return job

    def _run(self, job: Job, fn: JobFunction) -> None:
        started = self._update(job.job_id, status="running", started_at=_now())
        self._db.write_sync(
            lambda store: store.backend.execute(
                "UPDATE service.jobs SET status = 'running', started_at = ? "
                "WHERE job_id = ?",
                [started.started_at, job.job_id],
            )
        )
        context = JobContext(self, job.job_id)
        result: dict[str, Any] | None = None
        error: str | None = None
        try:
            result = fn(context)
        except UserInputError as exc:
            error = context.scrub(str(exc))
        except Exception:
            log.exception("job %s (%s) failed", job.job_id, job.kind)
            error = "internal error while running the job (see the server log)"
        status = "failed" if error is not None else "done"
        finished = _now()

        def finish(store: Store) -> None:
            details: dict[str, Any] = {"job_id": job.job_id, "status": status}
            if error is not None:
                details["error"] = error
            with store.audited(f"{job.kind}.{status}", details, actor=job.created_by):
                store.backend.execute(
                    "UPDATE service.jobs SET status = ?, finished_at = ?, result = ?, "
                    "error = ? WHERE job_id = ?",
                    [
                        status,
                        finished,
                        None
                        if result is None
                        else json.dumps(result, ensure_ascii=False, default=str),
                        error,
                        job.job_id,
                    ],
                )

        try:
            self._db.write_sync(finish)
        finally:
            with self._lock:
                self._live.pop(job.job_id, None)

    # -- reading ----------------------------------------------------------------------

    def _live_copy(self, job_id: str) -> Job | None:
        with self._lock:
            return self._live.get(job_id)

    async def get(self, job_id: str) -> Job | None:
        """The job's current state, or ``None`` when there is no such job."""
        live = self._live_copy(job_id)
        if live is not None:
            return live
        rows = await self._db.read(
            lambda store: store.backend.fetchall(
                f"SELECT {_COLUMNS} FROM service.jobs WHERE job_id = ?", [job_id]
            )
        )
        return _job(rows[0]) if rows else None

    async def list(
        self, kind: str | None = None, *, limit: int = 100, offset: int = 0
    ) -> tuple[list[Job], int]:
        """Jobs, newest first, and how many there are in all."""
        where = " WHERE kind = ?" if kind else ""
        params: list[object] = [kind] if kind else []

        def query(store: Store) -> tuple[list[tuple[Any, ...]], int]:
            total = store.backend.fetchall(
                f"SELECT count(*) FROM service.jobs{where}", params
            )[0][0]
            rows = store.backend.fetchall(
                f"SELECT {_COLUMNS} FROM service.jobs{where} "
                "ORDER BY created_at DESC, job_id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            return rows, int(total)

        rows, total = await self._db.read(query)
        jobs = []
        for row in rows:
            stored = _job(row)
            jobs.append(self._live_copy(stored.job_id) or stored)
        return jobs, total

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until a job is no longer live (tests and the CLI); its final state."""
        import time

        deadline = time.monotonic() + timeout
        while self._live_copy(job_id) is not None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still running after {timeout} s")
            time.sleep(0.02)
        rows = self._db.read_sync(
            lambda store: store.backend.fetchall(
                f"SELECT {_COLUMNS} FROM service.jobs WHERE job_id = ?", [job_id]
            )
        )
        return _job(rows[0]) if rows else None
