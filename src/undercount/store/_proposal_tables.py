"""Typed access to the narrative tables of a project store (SQL stays here).

The narrative stage hands over plain values (documents and proposals as dicts) and
gets :class:`DocumentRow` and :class:`ProposalRow` back. Every write is one
transaction together with its audit-log entry, with the actor the caller gives:

* :meth:`ProposalTables.save_extraction` adds a document (once per SHA-256) and
  those of its proposals whose ids are new. Proposals already stored, and so every
  review decision, are left untouched: re-extracting a document never duplicates
  a proposal nor loses a decision.
* :meth:`ProposalTables.set_review` records a reviewer's decision on one proposal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from undercount.store import _audit
from undercount.store._store import Store

__all__ = ["DocumentRow", "ProposalRow", "ProposalTables"]

_DOCUMENT_COLUMNS = (
    "document_id",
    "file_name",
    "sha256",
    "media_type",
    "n_chars",
    "report_date",
    "title",
    "incident_source",
    "extractor_version",
    "extracted_at",
    "actor",
)
_PROPOSAL_COLUMNS = (
    "proposal_id",
    "document_id",
    "kind",
    "summary",
    "payload",
    "span_start",
    "span_end",
    "quoted_text",
    "confidence",
    "extractor_version",
    "proposed_at",
    "status",
    "reviewer",
    "reviewed_at",
    "note",
    "corrections",
    "incident_key",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One stored document (without its text; see :meth:`ProposalTables.text`).

    ``incident_source`` is the source name its accepted incidents carry in the
    incident tables.
    """

    document_id: int
    file_name: str
    sha256: str
    media_type: str
    n_chars: int
    report_date: str | None
    title: str | None
    incident_source: str
    extractor_version: str
    extracted_at: datetime
    actor: str


@dataclass(frozen=True, slots=True)
class ProposalRow:
    """One stored proposal with its review state."""

    proposal_id: str
    document_id: int
    kind: str
    summary: str
    payload: dict[str, Any]
    span_start: int
    span_end: int
    quoted_text: str
    confidence: float
    extractor_version: str
    proposed_at: datetime
    status: str
    reviewer: str | None
    reviewed_at: datetime | None
    note: str | None
    corrections: dict[str, Any]
    incident_key: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (timestamps as ISO text)."""
        out = {name: getattr(self, name) for name in _PROPOSAL_COLUMNS}
        for name in ("proposed_at", "reviewed_at"):
            if out[name] is not None:
                out[name] = out[name].isoformat(timespec="seconds")
        return out


def _proposal(row: Sequence[Any]) -> ProposalRow:
    values = dict(zip(_PROPOSAL_COLUMNS, row, strict=True))
    values["payload"] = json.loads(values["payload"])
    values["corrections"] = json.loads(values["corrections"])
    return ProposalRow(**values)


class ProposalTables:
    """The narrative documents and proposals of ``store`` (schema version 3 on)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.backend = store.backend

    # -- documents -------------------------------------------------------------------
    def document(
        self, *, sha256: str | None = None, document_id: int | None = None
    ) -> DocumentRow | None:
        """The document with this SHA-256 (or id), if stored."""
        column, value = (
            ("sha256", sha256) if sha256 is not None else ("document_id", document_id)
        )
        rows = self.backend.fetchall(
            f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM narrative_documents "
            f"WHERE {column} = ?",
            [value],
        )
        return DocumentRow(*rows[0]) if rows else None

    def documents(self) -> list[DocumentRow]:
        """Every stored document, oldest first."""
        rows = self.backend.fetchall(
            f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM narrative_documents "
            "ORDER BY document_id"
        )
        return [DocumentRow(*r) for r in rows]

    def text(self, document_id: int) -> str:
        """The normalised text of a document (every span indexes it)."""
        rows = self.backend.fetchall(
            "SELECT text FROM narrative_documents WHERE document_id = ?", [document_id]
        )
        if not rows:
            raise KeyError(document_id)
        return str(rows[0][0])

    # -- proposals -------------------------------------------------------------------
    def save_extraction(
        self,
        document: Mapping[str, Any],
        proposals: Sequence[Mapping[str, Any]],
        *,
        actor: str,
    ) -> tuple[int, int]:
        """Store a document (if new) and its new proposals, with one audit entry.

        Parameters
        ----------
        document
            ``file_name``, ``sha256``, ``media_type``, ``text``, ``report_date``,
            ``title``, ``incident_source``, ``extractor_version``.
        proposals
            ``proposal_id``, ``kind``, ``summary``, ``payload`` (a dict),
            ``span_start``, ``span_end``, ``quoted_text``, ``confidence``,
            ``extractor_version``.
        actor
            Who extracted (recorded in the document row and the audit log).

        Returns
        -------
        tuple of int
            The document id and how many proposals were new.
        """
        with self.backend.transaction():
            rows = self.backend.fetchall(
                "SELECT document_id FROM narrative_documents WHERE sha256 = ?",
                [document["sha256"]],
            )
            new_document = not rows
            if new_document:
                document_id = self._next_document_id()
                self.backend.execute(
                    "INSERT INTO narrative_documents VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        document_id,
                        document["file_name"],
                        document["sha256"],
                        document["media_type"],
                        len(document["text"]),
                        document.get("report_date"),
                        document.get("title"),
                        document["incident_source"],
                        document["extractor_version"],
                        _now(),
                        actor,
                        document["text"],
                    ],
                )
            else:
                document_id = int(rows[0][0])
            known = {
                r[0]
                for r in self.backend.fetchall(
                    "SELECT proposal_id FROM narrative_proposals WHERE document_id = ?",
                    [document_id],
                )
            }
            fresh = [p for p in proposals if p["proposal_id"] not in known]
            fresh = list({p["proposal_id"]: p for p in fresh}.values())
            self._insert_proposals(document_id, fresh)
            _audit.append(
                self.backend,
                "narrative.extract",
                {
                    "document_id": document_id,
                    "file_name": document["file_name"],
                    "sha256": document["sha256"],
                    "new_document": new_document,
                    "proposals_offered": len(proposals),
                    "proposals_added": len(fresh),
                },
                actor,
            )
        return document_id, len(fresh)

    def _insert_proposals(
        self, document_id: int, proposals: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert new proposals in bulk (Arrow; no per-row statements)."""
        if not proposals:
            return
        import pyarrow as pa

        now = _now()
        data = pa.table(
            {
                "proposal_id": [p["proposal_id"] for p in proposals],
                "kind": [p["kind"] for p in proposals],
                "summary": [p["summary"] for p in proposals],
                "payload": [_json(p["payload"]) for p in proposals],
                "span_start": pa.array(
                    [p["span_start"] for p in proposals], pa.int64()
                ),
                "span_end": pa.array([p["span_end"] for p in proposals], pa.int64()),
                "quoted_text": [p["quoted_text"] for p in proposals],
                "confidence": pa.array(
                    [float(p["confidence"]) for p in proposals], pa.float64()
                ),
                "extractor_version": [p["extractor_version"] for p in proposals],
            }
        )
        constants = {
            "document_id": str(int(document_id)),
            "proposed_at": f"TIMESTAMP '{now.isoformat(sep=' ')}'",
            "status": "'proposed'",
            "reviewer": "NULL",
            "reviewed_at": "NULL",
            "note": "NULL",
            "corrections": "'{}'",
            "incident_key": "NULL",
        }
        select = [constants.get(column, f'"{column}"') for column in _PROPOSAL_COLUMNS]
        self.backend.insert_arrow(
            "narrative_proposals", _PROPOSAL_COLUMNS, select, data
        )

    def _next_document_id(self) -> int:
        rows = self.backend.fetchall(
            "SELECT coalesce(max(document_id), 0) FROM narrative_documents"
        )
        return int(rows[0][0]) + 1

    def proposal(self, proposal_id: str) -> ProposalRow | None:
        """One proposal by id, if stored."""
        rows = self.backend.fetchall(
            f"SELECT {', '.join(_PROPOSAL_COLUMNS)} FROM narrative_proposals "
            "WHERE proposal_id = ?",
            [proposal_id],
        )
        return _proposal(rows[0]) if rows else None

    def proposals(
        self,
        *,
        document_id: int | None = None,
        kind: str | None = None,
        status: str | None = None,
    ) -> list[ProposalRow]:
        """Proposals, filtered, in document and text order."""
        where: list[str] = []
        params: list[object] = []
        for column, value in (
            ("document_id", document_id),
            ("kind", kind),
            ("status", status),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.backend.fetchall(
            f"SELECT {', '.join(_PROPOSAL_COLUMNS)} FROM narrative_proposals {clause} "
            "ORDER BY document_id, span_start, kind, proposal_id",
            params,
        )
        return [_proposal(r) for r in rows]

    def set_review(
        self,
        proposal_id: str,
        *,
        status: str,
        reviewer: str,
        note: str | None,
        corrections: Mapping[str, Any],
        incident_key: str | None,
        actor: str,
        previous_status: str,
    ) -> ProposalRow:
        """Record a reviewer's decision on one proposal, with its audit entry.

        ``previous_status`` is the status the caller saw: if another process
        changed the proposal meanwhile, nothing is written (``RuntimeError``).
        """
        at = _now()
        with self.backend.transaction():
            rows = self.backend.fetchall(
                "SELECT status FROM narrative_proposals WHERE proposal_id = ?",
                [proposal_id],
            )
            if not rows:
                raise KeyError(proposal_id)
            if rows[0][0] != previous_status:
                raise RuntimeError(
                    f"proposal {proposal_id!r} changed meanwhile "
                    f"({previous_status} -> {rows[0][0]}); review it again"
                )
            self.backend.execute(
                "UPDATE narrative_proposals SET status = ?, reviewer = ?, "
                "reviewed_at = ?, note = ?, corrections = ?, incident_key = ? "
                "WHERE proposal_id = ?",
                [
                    status,
                    reviewer,
                    at,
                    note,
                    _json(dict(corrections)),
                    incident_key,
                    proposal_id,
                ],
            )
            _audit.append(
                self.backend,
                "narrative.review",
                {
                    "proposal_id": proposal_id,
                    "from": previous_status,
                    "to": status,
                    "reviewer": reviewer,
                    "note": note,
                    "corrections": dict(corrections),
                    "incident_key": incident_key,
                },
                actor,
            )
        stored = self.proposal(proposal_id)
        assert stored is not None
        return stored
