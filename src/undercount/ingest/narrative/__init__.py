"""Narrative reports: turn news and NGO text into reviewable claims and incidents.

Rules and a shipped gazetteer, offline and on the CPU. ``extract(path)`` reads a
plain-text, HTML or PDF report and returns an :class:`Extraction`: mentions
(casualty statements with intervals, times, places, actors, organisations,
weapons, Arabic-script terms, quotations with speakers), each with a character
span into ``Extraction.text`` and a confidence, plus proposed incidents and
claims with status ``"proposed"`` for a reviewer. ``proposal_records`` turns
those into rows for the project store; :class:`ProposalSink` is the seam, and
:class:`JsonProposalFile` a JSON-file sink.

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
    proposal_records,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "MAX_BYTES",
    "Actor",
    "ArabicTerm",
    "Casualty",
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
    "TimeMention",
    "Weapon",
    "apply_review",
    "extract",
    "extract_text",
    "load_gazetteer",
    "parse_report_date",
    "proposal_records",
    "read_document",
]
