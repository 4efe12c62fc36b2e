"""The web service's tables: users, sessions, review decisions, jobs.

They live in their own DuckDB schema (``service``) with their own version table, so
that the service can evolve its tables without renumbering the store's migrations,
and a store that never served the web API carries none of them. The service applies
them when it opens a project (:func:`migrate_service`); the store itself does not
(yet) call this module.

The service writes them through :meth:`undercount.store.Store.audited`, which groups
a change with its audit-log entry in one transaction, so that no write of the
service is ever committed without its entry (who, when, what).

Version 2 drops ``service.review_decisions``: review decisions moved to the store's
own ``review_decisions`` table (store schema version 4, which copied them), the one
place both the service and ``undercount run`` read them.

Never edit a migration that has been released; append a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from undercount.store import _audit
from undercount.store._backend import Backend
from undercount.store._migration import Migration
from undercount.store._schema import StoreVersionError

__all__ = [
    "SERVICE_MIGRATIONS",
    "SERVICE_SCHEMA",
    "SERVICE_SCHEMA_VERSION",
    "migrate_service",
    "service_schema_version",
]

#: DuckDB schema holding the service's tables.
SERVICE_SCHEMA = "service"

_V1 = (
    """
    CREATE TABLE service.users (
        username             VARCHAR PRIMARY KEY,
        password_hash        VARCHAR NOT NULL,
        role                 VARCHAR NOT NULL,
        active               BOOLEAN NOT NULL,
        created_at           TIMESTAMP NOT NULL,
        created_by           VARCHAR NOT NULL,
        password_changed_at  TIMESTAMP NOT NULL,
        CHECK (role IN ('admin', 'analyst', 'reviewer', 'viewer'))
    )
    """,
    """
    CREATE TABLE service.sessions (
        token_hash   VARCHAR PRIMARY KEY,
        username     VARCHAR NOT NULL,
        kind         VARCHAR NOT NULL,
        csrf_token   VARCHAR NOT NULL,
        created_at   TIMESTAMP NOT NULL,
        expires_at   TIMESTAMP NOT NULL,
        CHECK (kind IN ('cookie', 'bearer'))
    )
    """,
    """
    CREATE TABLE service.review_decisions (
        decision_id  BIGINT PRIMARY KEY,
        source_l     VARCHAR NOT NULL,
        record_id_l  VARCHAR NOT NULL,
        source_r     VARCHAR NOT NULL,
        record_id_r  VARCHAR NOT NULL,
        verdict      VARCHAR NOT NULL,
        reviewer     VARCHAR NOT NULL,
        decided_at   TIMESTAMP NOT NULL,
        note         VARCHAR NOT NULL,
        run_id       VARCHAR,
        CHECK (verdict IN ('same', 'different', 'unsure'))
    )
    """,
    """
    CREATE TABLE service.jobs (
        job_id       VARCHAR PRIMARY KEY,
        kind         VARCHAR NOT NULL,
        status       VARCHAR NOT NULL,
        created_by   VARCHAR NOT NULL,
        created_at   TIMESTAMP NOT NULL,
        started_at   TIMESTAMP,
        finished_at  TIMESTAMP,
        params       JSON NOT NULL,
        result       JSON,
        error        VARCHAR
    )
    """,
)


def _apply_v1(backend: Backend) -> None:
    for statement in _V1:
        backend.execute(statement)


def _apply_v2(backend: Backend) -> None:
    # The store's version 4 (applied when the store was opened, before this) copied
    # every row to review_decisions; re-check so that no decision can be lost.
    missing = backend.fetchall(
        "SELECT count(*) FROM service.review_decisions s WHERE NOT EXISTS "
        "(SELECT 1 FROM review_decisions d WHERE d.decision_id = s.decision_id)"
    )
    if missing[0][0]:
        raise StoreVersionError(
            f"{missing[0][0]} review decisions of the service are not in the store's "
            "review_decisions table; keep this store and report the problem"
        )
    backend.execute("DROP TABLE service.review_decisions")


SERVICE_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "service: users, sessions, review decisions, jobs", _apply_v1),
    Migration(2, "service: review decisions moved to the store", _apply_v2),
)

#: The service schema version this code writes.
SERVICE_SCHEMA_VERSION = SERVICE_MIGRATIONS[-1].version


def _schema_exists(backend: Backend) -> bool:
    rows = backend.fetchall(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = ? AND table_name = 'schema_version'",
        [SERVICE_SCHEMA],
    )
    return bool(rows[0][0])


def service_schema_version(backend: Backend) -> int:
    """Version of the service tables in this store; 0 when there are none."""
    if not _schema_exists(backend):
        return 0
    rows = backend.fetchall("SELECT max(version) FROM service.schema_version")
    return int(rows[0][0] or 0)


def migrate_service(backend: Backend, *, actor: str | None = None) -> list[int]:
    """Create or upgrade the service tables; return the versions applied.

    Each migration runs in one transaction with its version row and an audit entry.

    Raises
    ------
    StoreVersionError
        When the service tables are newer than this code.
    """
    version = service_schema_version(backend)
    if version > SERVICE_SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store's service tables have version {version} but this undercount "
            f"only knows versions up to {SERVICE_SCHEMA_VERSION}; upgrade undercount"
        )
    applied: list[int] = []
    for migration in SERVICE_MIGRATIONS:
        if migration.version <= version:
            continue
        with backend.transaction():
            if migration.version == 1:
                backend.execute(f"CREATE SCHEMA IF NOT EXISTS {SERVICE_SCHEMA}")
                backend.execute(
                    "CREATE TABLE service.schema_version (version INTEGER PRIMARY "
                    "KEY, applied_at TIMESTAMP NOT NULL, description VARCHAR NOT NULL)"
                )
            migration.apply(backend)
            backend.execute(
                "INSERT INTO service.schema_version VALUES (?, ?, ?)",
                [
                    migration.version,
                    datetime.now(UTC).replace(tzinfo=None),
                    migration.description,
                ],
            )
            _audit.append(
                backend,
                "service.migrate",
                {"from": version, "to": migration.version},
                actor,
            )
        version = migration.version
        applied.append(migration.version)
    return applied
