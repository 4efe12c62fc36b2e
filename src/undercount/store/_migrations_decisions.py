"""Schema of the reviewers' decisions: version 4 of the store.

Review decisions (*same*, *different*, *unsure* on a pair of records) used to live
in two places: a JSON-lines file named by ``[linkage] decisions`` in
``undercount.toml`` (read by ``undercount run``) and the web service's
``service.review_decisions`` table. From version 4 the store's ``review_decisions``
table is the one place they live; the file is imported into it
(:meth:`undercount.store.Store.import_decisions`), and this migration copies any
decisions the service had recorded, so upgrading loses none.

The table is append-only (the store offers no update or delete): the latest decision
per pair is in force, earlier ones stay as history. ``origin`` says how a decision
arrived (``service``, ``file:NAME``, ``api``); ``recorded_at`` / ``recorded_by`` say
when and by whom it was written to the store (``reviewer`` / ``decided_at`` are the
decision's own who and when, which a file may carry from elsewhere).
"""

from __future__ import annotations

from undercount.store._backend import Backend
from undercount.store._migration import Migration

__all__ = ["DECISION_MIGRATIONS", "LEGACY_SERVICE_TABLE"]

#: Where the web service kept decisions before store version 4.
LEGACY_SERVICE_TABLE = "service.review_decisions"

_CREATE = """
    CREATE TABLE review_decisions (
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
        origin       VARCHAR NOT NULL,
        recorded_at  TIMESTAMP NOT NULL,
        recorded_by  VARCHAR NOT NULL,
        CHECK (verdict IN ('same', 'different', 'unsure'))
    )
"""

_COPY_LEGACY = f"""
    INSERT INTO review_decisions
    SELECT decision_id, source_l, record_id_l, source_r, record_id_r, verdict,
           reviewer, decided_at, note, run_id, 'service', decided_at, reviewer
    FROM {LEGACY_SERVICE_TABLE}
"""


def _legacy_table_exists(backend: Backend) -> bool:
    rows = backend.fetchall(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'service' AND table_name = 'review_decisions'"
    )
    return bool(rows[0][0])


def _apply_v4(backend: Backend) -> None:
    backend.execute(_CREATE)
    if _legacy_table_exists(backend):
        backend.execute(_COPY_LEGACY)


DECISION_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        4,
        "review decisions in the store (copied from service.review_decisions)",
        _apply_v4,
    ),
)
