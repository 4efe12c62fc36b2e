"""Schema of the narrative tables (owned by the narrative-extraction stage).

Tables:

* ``narrative_documents``: one row per distinct document read by ``undercount
  extract`` (keyed by its SHA-256; the first file name seen is kept), with the
  normalised text itself so that a reviewer can be shown every proposal's words in
  context. The text is public reporting but stays in the project's own store.
* ``narrative_proposals``: candidate records drawn from a document (incidents,
  claims, casualty statements, quotations), each with its span, the quoted words,
  a confidence, a JSON payload and the reviewer's decision (``proposed``,
  ``accepted``, ``corrected`` or ``rejected``). An accepted or corrected incident
  proposal records the incident key it became in the incident tables.

They are version 3 of the store's schema (:data:`NARRATIVE_MIGRATIONS`, listed in
``store/_schema.py``). Never edit a released migration; append a new one.
"""

from __future__ import annotations

from undercount.store._backend import Backend
from undercount.store._migration import Migration

__all__ = [
    "NARRATIVE_MIGRATIONS",
    "NARRATIVE_TABLES",
    "PROPOSAL_KINDS",
    "PROPOSAL_STATUSES",
]

#: What a proposal may propose.
PROPOSAL_KINDS = ("incident", "claim", "casualty", "quotation")
#: A proposal's review status.
PROPOSAL_STATUSES = ("proposed", "accepted", "corrected", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


_DDL = (
    """
    CREATE TABLE narrative_documents (
        document_id   BIGINT PRIMARY KEY,
        file_name     VARCHAR NOT NULL,
        sha256        VARCHAR NOT NULL UNIQUE,
        media_type    VARCHAR NOT NULL,
        n_chars       BIGINT NOT NULL,
        report_date   VARCHAR,
        title         VARCHAR,
        incident_source VARCHAR NOT NULL UNIQUE,
        extractor_version VARCHAR NOT NULL,
        extracted_at  TIMESTAMP NOT NULL,
        actor         VARCHAR NOT NULL,
        text          VARCHAR NOT NULL,
        CHECK (n_chars = length(text))
    )
    """,
    f"""
    CREATE TABLE narrative_proposals (
        proposal_id   VARCHAR PRIMARY KEY,
        document_id   BIGINT NOT NULL,
        kind          VARCHAR NOT NULL,
        summary       VARCHAR NOT NULL,
        payload       JSON NOT NULL,
        span_start    BIGINT NOT NULL,
        span_end      BIGINT NOT NULL,
        quoted_text   VARCHAR NOT NULL,
        confidence    DOUBLE NOT NULL,
        extractor_version VARCHAR NOT NULL,
        proposed_at   TIMESTAMP NOT NULL,
        status        VARCHAR NOT NULL,
        reviewer      VARCHAR,
        reviewed_at   TIMESTAMP,
        note          VARCHAR,
        corrections   JSON NOT NULL,
        incident_key  VARCHAR,
        CHECK ({_in("kind", PROPOSAL_KINDS)}),
        CHECK ({_in("status", PROPOSAL_STATUSES)}),
        CHECK (0 <= span_start AND span_start <= span_end),
        CHECK (0 <= confidence AND confidence <= 1),
        CHECK ((status = 'proposed') = (reviewer IS NULL))
    )
    """,
)

#: Tables created by this module.
NARRATIVE_TABLES = ("narrative_documents", "narrative_proposals")


def _apply(backend: Backend) -> None:
    for statement in _DDL:
        backend.execute(statement)


#: The narrative steps of ``store._schema.MIGRATIONS``.
NARRATIVE_MIGRATIONS: tuple[Migration, ...] = (
    Migration(3, "narrative documents and reviewable proposals", _apply),
)
