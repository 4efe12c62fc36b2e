"""Proposals as storable records, the ``ProposalSink`` seam and reviews.

The project store is built elsewhere; this module gives it a clean seam:

* :func:`proposal_records` flattens an :class:`Extraction` into
  :class:`ProposalRecord` rows (one per proposed incident or claim) with the
  source hash, the evidence span and a JSON ``payload``: what a table needs.
* :class:`ProposalSink` is the protocol a store implements (``write`` returns how
  many records were new). :class:`JsonProposalFile` implements it on a JSON file
  now; a DuckDB sink can implement the same protocol later.
* :func:`apply_review` records a reviewer's decision: ``accept`` ->
  ``accepted``, ``correct`` -> ``corrected`` (with the changed fields kept next
  to the original payload), ``reject`` -> ``rejected``.

Writing the same extraction twice adds nothing: record ids are deterministic and
a record a reviewer has already decided is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from undercount.errors import UserInputError
from undercount.ingest.narrative._model import (
    Casualty,
    Extraction,
    ProposedClaim,
    ProposedIncident,
    Quotation,
    ReviewStatus,
)

_DECISION_STATUS: dict[str, ReviewStatus] = {
    "accept": "accepted",
    "correct": "corrected",
    "reject": "rejected",
}


class ProposalRecord(BaseModel):
    """One proposal ready to store: flat columns plus a JSON payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proposal_id: str
    proposal_type: Literal["incident", "claim", "casualty", "quotation"]
    status: ReviewStatus = "proposed"
    source_name: str
    source_sha256: str
    extractor_version: str
    span_start: int
    span_end: int
    evidence: str
    summary: str
    confidence: float
    payload: dict[str, Any]
    reviewer: str | None = None
    review_note: str | None = None
    corrections: dict[str, Any] = Field(default_factory=dict)


class ReviewDecision(BaseModel):
    """A reviewer's verdict on one proposal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proposal_id: str
    decision: Literal["accept", "correct", "reject"]
    reviewer: str
    note: str | None = None
    corrections: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class ProposalSink(Protocol):
    """Where proposals go: a JSON file now, the project store later."""

    def write(self, records: Sequence[ProposalRecord]) -> int:
        """Store ``records``; return how many were new (idempotent by id)."""
        ...


def _claim_summary(claim: ProposedClaim) -> str:
    who = claim.speaker or "unattributed"
    return f"{who}: {claim.claim_type} ({claim.stance}) - {claim.evidence[:120]}"


def proposal_records(extraction: Extraction) -> list[ProposalRecord]:
    """Flatten the proposals of ``extraction`` into storable records."""
    common = {
        "source_name": extraction.source.name,
        "source_sha256": extraction.source.sha256,
        "extractor_version": extraction.extractor_version,
    }
    proposals: list[ProposedIncident | ProposedClaim] = [
        *extraction.incidents,
        *extraction.claims,
    ]
    records: list[ProposalRecord] = []
    for proposal in proposals:
        payload = proposal.model_dump(
            mode="json",
            exclude={"id", "status", "start", "end", "evidence", "confidence",
                     "reviewer", "review_note", "corrections"},
        )  # fmt: skip
        summary = (
            proposal.summary
            if isinstance(proposal, ProposedIncident)
            else _claim_summary(proposal)
        )
        records.append(
            ProposalRecord(
                proposal_id=proposal.id,
                proposal_type=proposal.kind,
                status=proposal.status,
                span_start=proposal.start,
                span_end=proposal.end,
                evidence=proposal.evidence,
                summary=summary,
                confidence=proposal.confidence,
                payload=payload,
                **common,
            )
        )
    return records


_MENTION_KINDS = ("casualty", "quotation")


def _mention_summary(mention: Casualty | Quotation) -> str:
    if isinstance(mention, Casualty):
        low = "?" if mention.low is None else f"{mention.low:,}"
        high = (
            ""
            if mention.high == mention.low
            else ("+" if mention.high is None else f"-{mention.high:,}")
        )
        what = ", ".join(mention.outcomes) or "harmed"
        return f"{what} {low}{high} {mention.victims.replace('_', ' ')}"
    who = mention.speaker or "unattributed"
    return f"{who}: \u201c{mention.text[:120]}\u201d"


def mention_records(
    extraction: Extraction, kinds: Sequence[str] = _MENTION_KINDS
) -> list[ProposalRecord]:
    """Casualty statements and quotations as reviewable records.

    A reviewer can then accept, correct (e.g. a speaker or an interval) or
    reject them like incidents and claims. Ids are deterministic (document
    hash, span and kind), like those of the other proposals.
    """
    sha = extraction.source.sha256
    records: list[ProposalRecord] = []
    for mention in extraction.mentions:
        if mention.kind not in kinds or not isinstance(mention, Casualty | Quotation):
            continue
        digest = hashlib.sha1(
            f"{sha}:{mention.start}:{mention.end}:{mention.kind}".encode()
        ).hexdigest()[:12]
        records.append(
            ProposalRecord(
                proposal_id=f"{mention.kind}-{digest}",
                proposal_type=mention.kind,
                source_name=extraction.source.name,
                source_sha256=sha,
                extractor_version=extraction.extractor_version,
                span_start=mention.start,
                span_end=mention.end,
                evidence=mention.text,
                summary=_mention_summary(mention),
                confidence=mention.confidence,
                payload={
                    "mention_id": mention.id,  # what claims' quotation_id names
                    **mention.model_dump(
                        mode="json",
                        exclude={"id", "start", "end", "text", "confidence"},
                    ),
                },
            )
        )
    return records


def apply_review(record: ProposalRecord, decision: ReviewDecision) -> ProposalRecord:
    """Return ``record`` with the reviewer's decision applied.

    Raises
    ------
    UserInputError
        If the decision is for another proposal, a correction carries no
        corrected fields, or it names fields the payload does not have.
    """
    if decision.proposal_id != record.proposal_id:
        raise UserInputError(
            f"review is for {decision.proposal_id!r} but the record is "
            f"{record.proposal_id!r}; pass the matching record"
        )
    if decision.decision == "correct":
        unknown = sorted(set(decision.corrections) - set(record.payload))
        if not decision.corrections or unknown:
            raise UserInputError(
                "a correction must change existing payload fields; got "
                f"{sorted(decision.corrections)!r} (unknown: {unknown!r}); valid "
                f"fields: {sorted(record.payload)!r}"
            )
    return record.model_copy(
        update={
            "status": _DECISION_STATUS[decision.decision],
            "reviewer": decision.reviewer,
            "review_note": decision.note,
            "corrections": dict(decision.corrections),
        }
    )


class JsonProposalFile:
    """A :class:`ProposalSink` that keeps proposals in one JSON file.

    The file holds ``{"format": "undercount-proposals/1", "records": [...]}``.
    Writes are atomic (temporary file, then rename).
    """

    FORMAT = "undercount-proposals/1"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> list[ProposalRecord]:
        """All stored records (an absent file holds none)."""
        if not self.path.exists():
            return []
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            if document.get("format") != self.FORMAT:
                raise ValueError(f"format is {document.get('format')!r}")
            return [ProposalRecord.model_validate(r) for r in document["records"]]
        except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as e:
            raise UserInputError(
                f"not an undercount proposals file: {str(self.path)!r} ({e}); "
                "choose another path or remove the file"
            ) from None

    def write(self, records: Sequence[ProposalRecord]) -> int:
        """Add new records; keep existing ones (and their reviews) untouched."""
        stored = self.read()
        known = {r.proposal_id for r in stored}
        new = [r for r in records if r.proposal_id not in known]
        if new:
            self._save([*stored, *new])
        return len(new)

    def review(self, decision: ReviewDecision) -> ProposalRecord:
        """Apply a reviewer's decision to the stored record and save it."""
        stored = self.read()
        for index, record in enumerate(stored):
            if record.proposal_id == decision.proposal_id:
                stored[index] = apply_review(record, decision)
                self._save(stored)
                return stored[index]
        raise UserInputError(
            f"no proposal {decision.proposal_id!r} in {str(self.path)!r}; list the "
            "file's proposals to find the id"
        )

    def _save(self, records: Iterable[ProposalRecord]) -> None:
        document = {
            "format": self.FORMAT,
            "records": [r.model_dump(mode="json") for r in records],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
