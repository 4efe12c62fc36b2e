"""Reviewing stored proposals; accepted incident proposals become incident reports.

A reviewer ``accept``\\ s, ``correct``\\ s (``FIELD=VALUE`` edits) or ``reject``\\ s
one proposal at a time (:func:`review_proposal`). For incident proposals the
decision reaches the incident tables through :func:`sync_incidents`: the accepted
and corrected incident proposals of a document are written as one import of the
document's source (format ``narrative``), whose reports carry the document's
file name and SHA-256 and the quoted words as ``source_refs``. Rejecting an
accepted proposal writes a new import without it, so the next ``undercount
incidents match`` no longer sees it (and accepting it again brings it back):
every decision is reversible and the audit log keeps them all.

Transitions: ``accept`` from proposed or rejected (a rejected proposal keeps its
earlier corrections and comes back as corrected); ``correct`` from any status
(corrections add to earlier ones); ``reject`` from proposed, accepted or
corrected. Accepting an accepted proposal or rejecting a rejected one is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ValidationError

from undercount.errors import UserInputError
from undercount.ingest.narrative._model import Casualty, ProposedClaim, Quotation
from undercount.ingest.narrative._to_incident import (
    IncidentRow,
    incident_from_proposal,
)
from undercount.store import DocumentRow, ProposalRow, ProposalTables, Store
from undercount.store._audit import default_actor

__all__ = [
    "Decision",
    "get_proposal",
    "list_proposals",
    "review_proposal",
    "sync_incidents",
]

Decision = Literal["accept", "correct", "reject"]
_LIST_FIELDS = frozenset({"responds_to", "contradicts", "outcomes"})
_MODELS: dict[str, Any] = {
    "claim": ProposedClaim,
    "casualty": Casualty,
    "quotation": Quotation,
}


def list_proposals(
    store: Store,
    *,
    status: str | None = None,
    kind: str | None = None,
    document_id: int | None = None,
) -> list[ProposalRow]:
    """Stored proposals (all, or of one status, kind or document)."""
    return ProposalTables(store).proposals(
        status=status, kind=kind, document_id=document_id
    )


def get_proposal(store: Store, proposal_id: str) -> ProposalRow:
    """One stored proposal.

    Raises
    ------
    UserInputError
        When the project has no proposal with this id.
    """
    row = ProposalTables(store).proposal(proposal_id)
    if row is None:
        raise UserInputError(
            f"no proposal {proposal_id!r} in this project; list them with "
            "'undercount extract review'"
        )
    return row


def _document(tables: ProposalTables, row: ProposalRow) -> DocumentRow:
    document = tables.document(document_id=row.document_id)
    assert document is not None, row.document_id
    return document


def _as_incident(
    document: DocumentRow, row: ProposalRow, corrections: Mapping[str, Any]
) -> IncidentRow:
    return incident_from_proposal(
        source=document.incident_source,
        proposal_id=row.proposal_id,
        payload=row.payload,
        corrections=corrections,
        file_name=document.file_name,
        sha256=document.sha256,
        span=(row.span_start, row.span_end),
        quoted_text=row.quoted_text,
    )


def _check_other(row: ProposalRow, corrections: Mapping[str, Any]) -> None:
    """Validate corrections of a claim, casualty or quotation against its model."""
    model = _MODELS[row.kind]
    fixed = {"kind", "mention_id"}
    unknown = sorted(set(corrections) - set(row.payload) | set(corrections) & fixed)
    if unknown:
        raise UserInputError(
            f"cannot correct {', '.join(map(repr, unknown))} on a {row.kind} "
            f"proposal; correctable fields: "
            f"{', '.join(sorted(set(row.payload) - fixed))}"
        )
    values = {k: v for k, v in row.payload.items() if k != "mention_id"}
    for name, value in corrections.items():
        if name in _LIST_FIELDS and isinstance(value, str):
            value = [p.strip() for p in value.split(";") if p.strip()]
        values[name] = None if value in ("", "none", "null") else value
    base: dict[str, Any] = {
        "id": row.proposal_id,
        "start": row.span_start,
        "end": row.span_end,
        "confidence": row.confidence,
    }
    base["evidence" if row.kind == "claim" else "text"] = row.quoted_text
    try:
        model.model_validate({**values, **base})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UserInputError(
            f"correction {field}={first.get('input')!r} is not valid for a "
            f"{row.kind}: {first['msg']}"
        ) from None


def _next_status(row: ProposalRow, decision: Decision, corrected: bool) -> str:
    if decision == "accept":
        if row.status in ("accepted", "corrected"):
            raise UserInputError(
                f"proposal {row.proposal_id!r} is already {row.status} (by "
                f"{row.reviewer}); to change it, correct or reject it"
            )
        return "corrected" if corrected else "accepted"
    if decision == "reject":
        if row.status == "rejected":
            raise UserInputError(
                f"proposal {row.proposal_id!r} is already rejected (by "
                f"{row.reviewer}); accept it to undo the rejection"
            )
        return "rejected"
    return "corrected"


def review_proposal(
    store: Store,
    proposal_id: str,
    decision: Decision,
    *,
    reviewer: str | None = None,
    note: str | None = None,
    corrections: Mapping[str, Any] | None = None,
    actor: str | None = None,
) -> ProposalRow:
    """Accept, correct or reject one stored proposal; returns it as stored.

    Parameters
    ----------
    store
        The open project store.
    proposal_id
        Id of the proposal (see :func:`list_proposals`).
    decision
        ``accept``, ``correct`` (needs ``corrections``) or ``reject``.
    reviewer
        Who decides (default: the actor).
    note
        Why; kept with the decision.
    corrections
        ``FIELD: VALUE`` edits. For incidents, fields of an incident table
        (:data:`INCIDENT_EDIT_FIELDS`); for claims, casualties and quotations,
        fields of their payload. Validated before anything is written.
    actor
        Who is acting, for the audit log (default ``$UNDERCOUNT_ACTOR`` or the
        OS user).

    Raises
    ------
    UserInputError
        Unknown id, an impossible transition (accepting twice), an empty or
        invalid correction.
    """
    if decision not in ("accept", "correct", "reject"):
        raise UserInputError(
            f"a decision is accept, correct or reject; got {decision!r}"
        )
    actor = actor or default_actor()
    reviewer = reviewer or actor
    tables = ProposalTables(store)
    row = get_proposal(store, proposal_id)
    edits = dict(corrections or {})
    if decision == "correct" and not edits:
        raise UserInputError(
            "a correction needs FIELD=VALUE edits (e.g. killed=105); to accept as "
            "proposed use accept"
        )
    if decision != "correct" and edits:
        raise UserInputError(
            f"only a correction takes FIELD=VALUE edits, not {decision}"
        )
    merged = {**row.corrections, **edits}
    status = _next_status(row, decision, corrected=bool(merged))
    incident_key = None
    if row.kind == "incident":
        document = _document(tables, row)
        built = _as_incident(document, row, merged)  # validates before writing
        if status != "rejected":
            incident_key = built.key
    elif edits:
        _check_other(row, merged)
    try:
        stored = tables.set_review(
            proposal_id,
            status=status,
            reviewer=reviewer,
            note=note,
            corrections=merged,
            incident_key=incident_key,
            actor=actor,
            previous_status=row.status,
        )
    except RuntimeError as exc:
        raise UserInputError(str(exc)) from None
    if row.kind == "incident":
        sync_incidents(store, row.document_id, actor=actor)
    return stored


def sync_incidents(
    store: Store, document_id: int, *, actor: str | None = None
) -> int | None:
    """Bring a document's incident reports in line with its reviewed proposals.

    The reports of the document's source are replaced (by a new import through
    :func:`undercount.incidents.import_incident_records`, format ``narrative``)
    when they differ from its accepted and corrected incident proposals;
    idempotent. When none is left accepted, an empty import of the source is
    written (``import_incident_records`` refuses empty imports), so the source
    has no current reports. Returns the new import's id, or ``None`` when
    nothing changed.
    """
    from undercount.incidents import import_incident_records, make_record
    from undercount.store._incident_tables import IncidentTables

    tables = ProposalTables(store)
    document = tables.document(document_id=document_id)
    if document is None:
        raise UserInputError(f"no narrative document {document_id} in this project")
    wanted = sorted(
        (
            _as_incident(document, row, row.corrections)
            for status in ("accepted", "corrected")
            for row in tables.proposals(
                document_id=document_id, kind="incident", status=status
            )
        ),
        key=lambda r: r.key,
    )
    incidents = IncidentTables(store)
    current = sorted(
        (c["key"], c["incident"], c["first_day"], c["last_day"], c["place_context"])
        for c in incidents.current_records()
        if c["source"] == document.incident_source
    )
    target = [
        (
            r.key,
            r.incident.model_dump(mode="json"),
            r.first_day,
            r.last_day,
            r.place_context,
        )
        for r in wanted
    ]
    if current == target:
        return None
    actor = actor or default_actor()
    if not wanted:
        return incidents.save_import(
            source=document.incident_source,
            kind="incidents",
            format="narrative",
            file_path=document.file_name,
            file_sha256=document.sha256,
            records=(),
            actor=actor,
        )
    records = [
        make_record(
            r.incident,
            first_day=r.first_day,
            last_day=r.last_day,
            place_context=r.place_context,
            original={
                "proposal_id": r.incident.incident_id,
                "document": document.file_name,
                "sha256": document.sha256,
            },
        )
        for r in wanted
    ]
    summary = import_incident_records(
        store,
        document.incident_source,
        records,
        kind="narrative",
        actor=actor,
        replace=True,
    )
    return int(summary["import_id"])
