"""The store's versioned schema: ordered migrations and the code that applies them.

Each :class:`Migration` moves the schema from ``version - 1`` to ``version``; it is
applied inside one transaction together with its row in ``schema_version``, so a
failure leaves the previous version intact. A store whose version is newer than the
last migration this code knows is refused (old code must not write to a schema it
does not understand).

Never edit a migration that has been released; append a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from undercount.errors import UserInputError
from undercount.store._backend import Backend
from undercount.store._migration import Migration
from undercount.store._migrations_decisions import DECISION_MIGRATIONS
from undercount.store._migrations_incidents import INCIDENT_MIGRATIONS
from undercount.store._migrations_narrative import NARRATIVE_MIGRATIONS

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "StoreVersionError", "migrate"]


class StoreVersionError(UserInputError):
    """The store was written by a newer undercount (or is not an undercount store)."""


_V1 = (
    """
    CREATE TABLE sources (
        name        VARCHAR PRIMARY KEY,
        title       VARCHAR,
        created_at  TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE imports (
        import_id        BIGINT PRIMARY KEY,
        source           VARCHAR NOT NULL,
        version          INTEGER NOT NULL,
        file_path        VARCHAR NOT NULL,
        file_sha256      VARCHAR NOT NULL,
        file_size        BIGINT NOT NULL,
        settings_sha256  VARCHAR NOT NULL,
        settings         JSON NOT NULL,
        format           VARCHAR NOT NULL,
        encoding         VARCHAR,
        rows_in          BIGINT NOT NULL,
        accepted         BIGINT NOT NULL,
        quarantined      BIGINT NOT NULL,
        blank_lines      BIGINT NOT NULL,
        started_at       TIMESTAMP NOT NULL,
        finished_at      TIMESTAMP NOT NULL,
        status           VARCHAR NOT NULL,
        actor            VARCHAR NOT NULL,
        CHECK (rows_in = accepted + quarantined),
        CHECK (rows_in >= 0 AND accepted >= 0 AND quarantined >= 0)
    )
    """,
    """
    CREATE TABLE source_versions (
        source           VARCHAR NOT NULL,
        version          INTEGER NOT NULL,
        import_id        BIGINT NOT NULL,
        file_sha256      VARCHAR NOT NULL,
        settings_sha256  VARCHAR NOT NULL,
        created_at       TIMESTAMP NOT NULL,
        PRIMARY KEY (source, version)
    )
    """,
    """
    CREATE TABLE records (
        import_id         BIGINT NOT NULL,
        source            VARCHAR NOT NULL,
        version           INTEGER NOT NULL,
        line              BIGINT NOT NULL,
        record_id         VARCHAR NOT NULL,
        name              VARCHAR,
        given_name        VARCHAR,
        father_name       VARCHAR,
        grandfather_name  VARCHAR,
        family_name       VARCHAR,
        sex               VARCHAR NOT NULL,
        age_low           DOUBLE,
        age_high          DOUBLE,
        age_approx        BOOLEAN,
        age_text          VARCHAR,
        birth_year        INTEGER,
        date_of_death     VARCHAR,
        date_start        DATE,
        date_end          DATE,
        date_precision    VARCHAR,
        place_of_death    VARCHAR,
        incident_id       VARCHAR,
        perpetrator       VARCHAR,
        notes             VARCHAR,
        original          JSON NOT NULL
    )
    """,
    """
    CREATE TABLE quarantine (
        import_id  BIGINT NOT NULL,
        source     VARCHAR NOT NULL,
        version    INTEGER NOT NULL,
        file       VARCHAR NOT NULL,
        line       BIGINT NOT NULL,
        field      VARCHAR NOT NULL,
        reason     VARCHAR NOT NULL,
        errors     JSON NOT NULL,
        original   JSON NOT NULL
    )
    """,
    """
    CREATE TABLE audit_log (
        id          BIGINT PRIMARY KEY,
        logged_at   TIMESTAMP NOT NULL,
        actor       VARCHAR NOT NULL,
        action      VARCHAR NOT NULL,
        details     JSON NOT NULL,
        prev_hash   VARCHAR NOT NULL,
        entry_hash  VARCHAR NOT NULL
    )
    """,
)


def _apply_v1(backend: Backend) -> None:
    for statement in _V1:
        backend.execute(statement)


def _ordered(migrations: tuple[Migration, ...]) -> tuple[Migration, ...]:
    """The migrations sorted by version; refuses repeated versions (a coding error)."""
    ordered = tuple(sorted(migrations, key=lambda m: m.version))
    versions = [m.version for m in ordered]
    if len(set(versions)) != len(versions) or versions[0] != 1:
        raise RuntimeError(
            f"store migrations must have distinct versions from 1: {versions}"
        )
    return ordered


#: Every step of the store's schema, in order. Stages that own tables (incidents,
#: narrative proposals, review decisions) define their steps in their own
#: ``_migrations_*`` module; this list is where they become part of the store.
MIGRATIONS: tuple[Migration, ...] = _ordered(
    (
        Migration(
            1,
            "sources, versions, imports, records, quarantine, audit log",
            _apply_v1,
        ),
        *INCIDENT_MIGRATIONS,
        *NARRATIVE_MIGRATIONS,
        *DECISION_MIGRATIONS,
    )
)

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


def current_version(backend: Backend) -> int:
    """Schema version of the store; 0 for an empty database.

    Raises
    ------
    StoreVersionError
        When the database holds tables but no ``schema_version`` (not ours).
    """
    if not backend.table_exists("schema_version"):
        tables = backend.fetchall(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
        )
        if tables[0][0]:
            raise StoreVersionError(
                "the database has tables but no schema_version table, so it is not an "
                "undercount store; point --project at an undercount project"
            )
        return 0
    rows = backend.fetchall("SELECT max(version) FROM schema_version")
    return int(rows[0][0] or 0)


def migrate(backend: Backend, *, target: int | None = None) -> list[int]:
    """Apply every migration after the store's version, up to ``target`` (default: all).

    Returns
    -------
    list of int
        The versions applied (empty when the store was current).

    Raises
    ------
    StoreVersionError
        When the store is newer than this code (upgrade undercount to open it).
    """
    version = current_version(backend)
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store has schema version {version} but this undercount only knows "
            f"versions up to {SCHEMA_VERSION}; upgrade undercount to open it"
        )
    target = SCHEMA_VERSION if target is None else target
    applied: list[int] = []
    for migration in MIGRATIONS:
        if version < migration.version <= target:
            with backend.transaction():
                if not backend.table_exists("schema_version"):
                    backend.execute(
                        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMP NOT NULL, description VARCHAR NOT NULL)"
                    )
                migration.apply(backend)
                backend.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [
                        migration.version,
                        datetime.now(UTC).replace(tzinfo=None),
                        migration.description,
                    ],
                )
            applied.append(migration.version)
    return applied
