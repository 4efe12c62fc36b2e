"""A :class:`ProposalSink` that keeps proposals in the project store.

``undercount extract FILE --project DIR`` uses it: the document (file name,
SHA-256, media type, length, normalised text) is stored once per SHA-256, and the
proposals (incidents, claims, casualty statements, quotations) with status
``proposed``. Writing the same extraction again adds nothing and leaves every
review decision as it was (ids are deterministic; stored proposals are never
overwritten).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from undercount.errors import UserInputError
from undercount.ingest.narrative._model import Extraction
from undercount.ingest.narrative._records import (
    ProposalRecord,
    mention_records,
    proposal_records,
)
from undercount.ingest.narrative._to_incident import document_source
from undercount.store import ProposalTables, Store
from undercount.store._audit import default_actor

__all__ = ["StoreProposalSink", "store_extraction"]

_MEDIA_TYPES = {"text": "text/plain", "html": "text/html", "pdf": "application/pdf"}


def _document(extraction: Extraction) -> dict[str, Any]:
    src = extraction.source
    return {
        "file_name": src.name,
        "sha256": src.sha256,
        "media_type": _MEDIA_TYPES.get(src.format, src.format),
        "text": extraction.text,
        "report_date": src.report_date,
        "title": src.title,
        "incident_source": document_source(src.name, src.sha256),
        "extractor_version": extraction.extractor_version,
    }


def _row(record: ProposalRecord) -> dict[str, Any]:
    return {
        "proposal_id": record.proposal_id,
        "kind": record.proposal_type,
        "summary": record.summary,
        "payload": record.payload,
        "span_start": record.span_start,
        "span_end": record.span_end,
        "quoted_text": record.evidence,
        "confidence": record.confidence,
        "extractor_version": record.extractor_version,
    }


class StoreProposalSink:
    """:class:`ProposalSink` over the narrative tables of an open project store.

    Parameters
    ----------
    store
        The open project store.
    extraction
        The extraction the records come from: its document (and text) is stored
        with them. Every record written must come from this document.
    actor
        Who extracted (audit log); default ``$UNDERCOUNT_ACTOR`` or the OS user.
    """

    def __init__(
        self, store: Store, extraction: Extraction, *, actor: str | None = None
    ) -> None:
        self.tables = ProposalTables(store)
        self.extraction = extraction
        self.actor = actor or default_actor()
        self.document_id: int | None = None

    def write(self, records: Sequence[ProposalRecord]) -> int:
        """Store the document and the records that are new; return how many were."""
        sha = self.extraction.source.sha256
        foreign = sorted({r.source_sha256 for r in records} - {sha})
        if foreign:
            raise UserInputError(
                f"these proposals come from another document (sha256 {foreign[0]}) "
                f"than the sink's ({sha}); use one sink per document"
            )
        self.document_id, added = self.tables.save_extraction(
            _document(self.extraction),
            [_row(r) for r in records],
            actor=self.actor,
        )
        return added


def store_extraction(
    store: Store, extraction: Extraction, *, actor: str | None = None
) -> tuple[int, int]:
    """Store ``extraction``'s document and every proposal (incidents, claims,
    casualty statements, quotations); returns ``(document_id, new proposals)``."""
    sink = StoreProposalSink(store, extraction, actor=actor)
    added = sink.write([*proposal_records(extraction), *mention_records(extraction)])
    assert sink.document_id is not None
    return sink.document_id, added
