"""Narrative reports: turn news and NGO text into reviewable claims and incidents.

Rules and a shipped gazetteer, offline and on the CPU. ``extract(path)`` reads a
plain-text, HTML or PDF report and returns an :class:`Extraction`: mentions
(casualty statements with intervals, times, places, actors, organisations,
weapons, Arabic-script terms, quotations with speakers), each with a character
span into ``Extraction.text`` and a confidence, plus proposed incidents and
claims with status ``"proposed"`` for a reviewer. ``proposal_records`` turns
those into rows; :class:`ProposalSink` is the seam, :class:`JsonProposalFile` a
JSON-file sink and :class:`StoreProposalSink` the project store's.
:func:`review_proposal` accepts, corrects or rejects a stored proposal; accepted
incident proposals become incident reports of the document's own source.

Examples
--------
>>> from undercount.ingest.narrative import extract_text
>>> result = extract_text("At least 105 civilians were killed in Mosul al-Jadida.")
>>> [(c.low, c.high, c.outcomes) for c in result.casualties]
[(105, None, ('killed',))]
"""

from __future__ import annotations

from undercount.ingest.narrative._document import MAX_BYTES, read_document
from undercount.ingest.narrative._extract import (
    EXTRACTOR_VERSION,
    extract,
    extract_text,
    parse_report_date,
)
from undercount.ingest.narrative._gazetteer import Gazetteer, load_gazetteer
from undercount.ingest.narrative._model import (
    Actor,
    ArabicTerm,
    Casualty,
    DocumentInfo,
    Extraction,
    Figure,
    Organisation,
    Place,
    ProposedClaim,
    ProposedIncident,
    Quotation,
    TimeMention,
    Weapon,
)
from undercount.ingest.narrative._records import (
    JsonProposalFile,
    ProposalRecord,
    ProposalSink,
    ReviewDecision,
    apply_review,
    mention_records,
    proposal_records,
)
from undercount.ingest.narrative._review import (
    Decision,
    get_proposal,
    list_proposals,
    review_proposal,
    sync_incidents,
)
from undercount.ingest.narrative._store_sink import StoreProposalSink, store_extraction
from undercount.ingest.narrative._to_incident import (
    INCIDENT_EDIT_FIELDS,
    document_source,
    parse_edits,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "INCIDENT_EDIT_FIELDS",
    "MAX_BYTES",
    "Actor",
    "ArabicTerm",
    "Casualty",
    "Decision",
    "DocumentInfo",
    "Extraction",
    "Figure",
    "Gazetteer",
    "JsonProposalFile",
    "Organisation",
    "Place",
    "ProposalRecord",
    "ProposalSink",
    "ProposedClaim",
    "ProposedIncident",
    "Quotation",
    "ReviewDecision",
    "StoreProposalSink",
    "TimeMention",
    "Weapon",
    "apply_review",
    "document_source",
    "extract",
    "extract_text",
    "get_proposal",
    "list_proposals",
    "load_gazetteer",
    "mention_records",
    "parse_edits",
    "parse_report_date",
    "proposal_records",
    "read_document",
    "review_proposal",
    "store_extraction",
    "sync_incidents",
]
