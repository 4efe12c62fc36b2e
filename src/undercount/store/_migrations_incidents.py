"""Schema of the incident tables (owned by the incidents stage).

Tables: ``incident_imports`` (one row per file read, with its row accounting),
``incident_records`` (accepted reports: the validated incident as JSON, its date
window, and the original row, never altered), ``incident_quarantine``,
``incident_acknowledgments``, ``incident_decisions`` (the reviewers' append-only
log) and the latest match/grade results (``incident_runs``, ``incident_clusters``,
``incident_links``, ``incident_grades``).

They are version 2 of the store's schema (:data:`INCIDENT_MIGRATIONS`, listed in
``store/_schema.py``), so every store opened by this code has them. The statements
are idempotent (``IF NOT EXISTS``) because stores written before they were a
numbered migration created the same tables on first use.
"""

from __future__ import annotations

from undercount.store._backend import Backend
from undercount.store._migration import Migration

__all__ = ["INCIDENT_MIGRATIONS", "INCIDENT_TABLES"]

_DDL = (
    """
    CREATE TABLE IF NOT EXISTS incident_imports (
        import_id    BIGINT PRIMARY KEY,
        source       VARCHAR NOT NULL,
        kind         VARCHAR NOT NULL,
        format       VARCHAR NOT NULL,
        file_path    VARCHAR NOT NULL,
        file_sha256  VARCHAR NOT NULL,
        rows_in      BIGINT NOT NULL,
        accepted     BIGINT NOT NULL,
        quarantined  BIGINT NOT NULL,
        imported_at  TIMESTAMP NOT NULL,
        actor        VARCHAR NOT NULL,
        CHECK (rows_in = accepted + quarantined)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_records (
        import_id      BIGINT NOT NULL,
        record_key     VARCHAR NOT NULL,
        source         VARCHAR NOT NULL,
        line           BIGINT,
        incident       JSON NOT NULL,
        first_day      DATE,
        last_day       DATE,
        place_context  VARCHAR,
        assessment     VARCHAR,
        original       JSON NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_quarantine (
        import_id  BIGINT NOT NULL,
        file       VARCHAR NOT NULL,
        line       BIGINT NOT NULL,
        field      VARCHAR NOT NULL,
        reason     VARCHAR NOT NULL,
        original   JSON NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_acknowledgments (
        import_id       BIGINT NOT NULL,
        ack_id          VARCHAR NOT NULL,
        line            BIGINT,
        acknowledgment  JSON NOT NULL,
        place           VARCHAR,
        original        JSON NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_decisions (
        decision_id  BIGINT PRIMARY KEY,
        kind         VARCHAR NOT NULL,
        key_a        VARCHAR NOT NULL,
        key_b        VARCHAR,
        reviewer     VARCHAR NOT NULL,
        reason       VARCHAR NOT NULL,
        decided_at   VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_runs (
        run_id      BIGINT PRIMARY KEY,
        kind        VARCHAR NOT NULL,
        created_at  TIMESTAMP NOT NULL,
        settings    JSON NOT NULL,
        summary     JSON NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_clusters (
        run_id      BIGINT NOT NULL,
        cluster_id  VARCHAR NOT NULL,
        record_key  VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_links (
        run_id    BIGINT NOT NULL,
        key_a     VARCHAR NOT NULL,
        key_b     VARCHAR NOT NULL,
        accepted  BOOLEAN NOT NULL,
        link      JSON NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS incident_grades (
        run_id      BIGINT NOT NULL,
        cluster_id  VARCHAR NOT NULL,
        grade       VARCHAR NOT NULL,
        detail      JSON NOT NULL
    )
    """,
)

#: Tables created by this module.
INCIDENT_TABLES = (
    "incident_imports",
    "incident_records",
    "incident_quarantine",
    "incident_acknowledgments",
    "incident_decisions",
    "incident_runs",
    "incident_clusters",
    "incident_links",
    "incident_grades",
)


def _apply(backend: Backend) -> None:
    for statement in _DDL:
        backend.execute(statement)


#: The incident steps of ``store._schema.MIGRATIONS``.
INCIDENT_MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "incident reports, acknowledgments, decisions, match results", _apply),
)
