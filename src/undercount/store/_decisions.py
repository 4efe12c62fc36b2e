"""Reviewers' decisions in the project store: the one source of truth.

:class:`StoreDecisionRepository` is the store's implementation of
:class:`undercount.link.DecisionRepository`: the web service's review page writes
through it, ``undercount run`` reads through it. A JSON-lines decisions file
(``[linkage] decisions`` in ``undercount.toml``) is an extra way in: the pipeline
imports it with :func:`import_decisions`, which adds only the decisions the store
does not hold yet, so re-importing the same (or a grown) file is harmless and
removing a line from the file never removes a decision from the store.

Every write is one transaction together with its audit entry (``review.decide`` or
``review.import``) naming the actor. The table is append-only: the latest decision
per pair is in force (:func:`undercount.link.latest_decisions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from undercount.store import _audit
from undercount.store._migrations_decisions import LEGACY_SERVICE_TABLE

if TYPE_CHECKING:
    from undercount.link import ReviewDecision
    from undercount.store._store import Store

__all__ = [
    "StoreDecisionRepository",
    "StoredDecision",
    "add_decision",
    "import_decisions",
    "stored_decisions",
]

_COLUMNS = (
    "decision_id",
    "source_l",
    "record_id_l",
    "source_r",
    "record_id_r",
    "verdict",
    "reviewer",
    "decided_at",
    "note",
    "run_id",
    "origin",
    "recorded_at",
    "recorded_by",
)
_LEGACY_COLUMNS = _COLUMNS[:10]


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """One row of ``review_decisions``: the decision and how it reached the store.

    ``decided_at`` and ``recorded_at`` are naive UTC datetimes (as stored).
    """

    decision_id: int
    source_l: str
    record_id_l: str
    source_r: str
    record_id_r: str
    verdict: str
    reviewer: str
    decided_at: datetime
    note: str
    run_id: str | None
    origin: str
    recorded_at: datetime
    recorded_by: str

    def to_review(self) -> ReviewDecision:
        """The decision as :class:`undercount.link.ReviewDecision` (UTC-aware)."""
        from undercount.link import ReviewDecision

        return ReviewDecision.make(
            (self.source_l, self.record_id_l),
            (self.source_r, self.record_id_r),
            self.verdict,
            self.reviewer,
            note=self.note,
            decided_at=self.decided_at.replace(tzinfo=UTC),
        )

    def public(self) -> dict[str, Any]:
        """The fields of the service's ``DecisionPublic`` (and ``origin``)."""
        return {name: getattr(self, name) for name in (*_LEGACY_COLUMNS, "origin")}


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _identity(
    decision: ReviewDecision,
) -> tuple[tuple[tuple[str, str], tuple[str, str]], str, str, datetime, str]:
    """What makes two decisions the same one (pair, verdict, who, when, note)."""
    return (
        decision.key,
        decision.verdict.value,
        decision.reviewer,
        _naive_utc(decision.decided_at),
        decision.note,
    )


def stored_decisions(store: Store) -> list[StoredDecision]:
    """Every decision in the store, oldest first.

    A store not yet at schema version 4 (opened read-only, so not migrated) is read
    from the web service's old table when it has one.
    """
    backend = store.backend
    if backend.table_exists("review_decisions"):
        rows = backend.fetchall(
            f"SELECT {', '.join(_COLUMNS)} FROM review_decisions ORDER BY decision_id"
        )
        return [StoredDecision(*row) for row in rows]
    legacy = backend.fetchall(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'service' AND table_name = 'review_decisions'"
    )
    if not legacy[0][0]:
        return []
    rows = backend.fetchall(
        f"SELECT {', '.join(_LEGACY_COLUMNS)} FROM {LEGACY_SERVICE_TABLE} "
        "ORDER BY decision_id"
    )
    # Old rows arrived through the service: recorded when decided, by the reviewer.
    return [StoredDecision(*[*row, "service", row[7], row[6]]) for row in rows]


def _insert(
    store: Store,
    decision: ReviewDecision,
    decision_id: int,
    *,
    origin: str,
    run_id: str | None,
    actor: str,
) -> None:
    data = decision.to_dict()
    store.backend.execute(
        "INSERT INTO review_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            decision_id,
            data["source_l"],
            data["record_id_l"],
            data["source_r"],
            data["record_id_r"],
            data["verdict"],
            decision.reviewer,
            _naive_utc(decision.decided_at),
            decision.note,
            run_id,
            origin,
            datetime.now(UTC).replace(tzinfo=None),
            actor,
        ],
    )


def _next_id(store: Store) -> int:
    rows = store.backend.fetchall(
        "SELECT coalesce(max(decision_id), 0) + 1 FROM review_decisions"
    )
    return int(rows[0][0])


def add_decision(
    store: Store,
    decision: ReviewDecision,
    *,
    origin: str = "api",
    run_id: str | None = None,
    actor: str | None = None,
) -> int:
    """Append ``decision`` with its ``review.decide`` audit entry; its id.

    ``actor`` (default: the decision's reviewer) is who the audit log names.
    """
    store.require_writable("record a review decision")
    who = actor or decision.reviewer
    data = decision.to_dict()
    with store.transaction():
        decision_id = _next_id(store)
        _insert(store, decision, decision_id, origin=origin, run_id=run_id, actor=who)
        _audit.append(
            store.backend,
            "review.decide",
            {
                "decision_id": decision_id,
                "run_id": run_id,
                "origin": origin,
                **{
                    k: data[k]
                    for k in ("source_l", "record_id_l", "source_r", "record_id_r")
                },
                "verdict": data["verdict"],
            },
            who,
        )
    return decision_id


def import_decisions(
    store: Store,
    decisions: Iterable[ReviewDecision],
    *,
    origin: str,
    actor: str | None = None,
) -> int:
    """Add the decisions the store does not hold yet; how many were added.

    A decision is already held when one with the same pair, verdict, reviewer,
    time and note is stored (whatever its origin), so importing a file twice adds
    nothing. All additions and one ``review.import`` audit entry form one
    transaction.
    """
    held = {_identity(d.to_review()) for d in stored_decisions(store)}
    new: list[ReviewDecision] = []
    for decision in decisions:
        identity = _identity(decision)
        if identity not in held:
            held.add(identity)
            new.append(decision)
    if not new:
        return 0
    store.require_writable("import review decisions")
    who = actor or _audit.default_actor()
    with store.transaction():
        first = _next_id(store)
        for offset, decision in enumerate(new):
            _insert(
                store, decision, first + offset, origin=origin, run_id=None, actor=who
            )
        _audit.append(
            store.backend,
            "review.import",
            {"origin": origin, "added": len(new), "first_id": first},
            who,
        )
    return len(new)


class StoreDecisionRepository:
    """:class:`undercount.link.DecisionRepository` over the store's decisions.

    Parameters
    ----------
    store
        An open store (writable for :meth:`add`).
    origin
        Recorded with each added decision (``service``, ``api``...).
    run_id
        The linkage run the reviewer was looking at, if any.
    actor
        Who the audit log names for :meth:`add` (default: the decision's reviewer).
    """

    def __init__(
        self,
        store: Store,
        *,
        origin: str = "api",
        run_id: str | None = None,
        actor: str | None = None,
    ) -> None:
        self._store = store
        self._origin = origin
        self._run_id = run_id
        self._actor = actor

    def add(self, decision: ReviewDecision) -> None:
        """Append a decision (never overwriting one) with its audit entry."""
        add_decision(
            self._store,
            decision,
            origin=self._origin,
            run_id=self._run_id,
            actor=self._actor,
        )

    def all(self) -> list[ReviewDecision]:
        """Every decision ever stored, oldest first."""
        return [row.to_review() for row in stored_decisions(self._store)]
