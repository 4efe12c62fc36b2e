"""Reviewer decisions: must-link, cannot-link, revoke, discount, restore.

Automatic matching proposes; a reviewer disposes. Decisions are an append-only
log (kept in the project store, or a CSV file): the latest decision about a pair
or a report wins, ``revoke`` withdraws the pair's previous decision and
``restore`` withdraws a ``discount``, so every decision is reversible and the
history stays readable. Each decision names its reviewer and reason.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from undercount.errors import UserInputError
from undercount.incidents._reading import read_text_file

__all__ = [
    "DECISION_KINDS",
    "DecisionState",
    "ReviewDecision",
    "read_decisions",
    "resolve_decisions",
    "write_decisions",
]

DecisionKind = Literal["must-link", "cannot-link", "revoke", "discount", "restore"]
DECISION_KINDS: tuple[str, ...] = (
    "must-link",
    "cannot-link",
    "revoke",
    "discount",
    "restore",
)
_PAIR_KINDS = {"must-link", "cannot-link", "revoke"}
_COLUMNS = ("kind", "key_a", "key_b", "reviewer", "reason", "decided_at")


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """One reviewer decision.

    Attributes
    ----------
    kind
        ``must-link`` / ``cannot-link`` / ``revoke`` (a pair of reports),
        ``discount`` / ``restore`` (one report; applies to its cluster).
    key_a, key_b
        Report keys ``source:incident_id`` (``key_b`` only for pair decisions).
    reviewer, reason
        Who decided and why (both required).
    decided_at
        ISO 8601 timestamp (UTC); orders the log.
    """

    kind: str
    key_a: str
    key_b: str | None
    reviewer: str
    reason: str
    decided_at: str

    def __post_init__(self) -> None:
        if self.kind not in DECISION_KINDS:
            raise UserInputError(
                f"unknown decision {self.kind!r}; use one of "
                f"{', '.join(DECISION_KINDS)}"
            )
        if self.kind in _PAIR_KINDS and not self.key_b:
            raise UserInputError(f"a {self.kind} decision needs two report keys")
        if self.kind in _PAIR_KINDS and self.key_a == self.key_b:
            raise UserInputError(f"a {self.kind} decision needs two different reports")
        if self.kind not in _PAIR_KINDS and self.key_b:
            raise UserInputError(f"a {self.kind} decision names one report, not two")
        if not self.reviewer.strip() or not self.reason.strip():
            raise UserInputError(
                "a decision needs a reviewer and a reason (--reviewer, --reason)"
            )

    @classmethod
    def make(
        cls,
        kind: str,
        key_a: str,
        key_b: str | None = None,
        *,
        reviewer: str,
        reason: str,
        decided_at: datetime.datetime | None = None,
    ) -> ReviewDecision:
        """A decision stamped now (UTC) unless ``decided_at`` is given."""
        when = decided_at or datetime.datetime.now(datetime.UTC)
        return cls(
            kind, key_a, key_b, reviewer, reason, when.isoformat(timespec="seconds")
        )

    def to_row(self) -> dict[str, str | None]:
        """The decision as a row (store table, API answer): its fields by name."""
        return {column: getattr(self, column) for column in _COLUMNS}

    @property
    def pair(self) -> tuple[str, str] | None:
        """The unordered pair as a sorted tuple (pair decisions only)."""
        if self.key_b is None:
            return None
        a, b = sorted((self.key_a, self.key_b))
        return a, b


@dataclass(frozen=True)
class DecisionState:
    """The decisions in force after replaying the log."""

    must_link: dict[tuple[str, str], ReviewDecision]
    cannot_link: dict[tuple[str, str], ReviewDecision]
    discounted: dict[str, ReviewDecision]


def resolve_decisions(decisions: Iterable[ReviewDecision]) -> DecisionState:
    """Replay the log in time order; the latest decision per pair/report wins."""
    must: dict[tuple[str, str], ReviewDecision] = {}
    cannot: dict[tuple[str, str], ReviewDecision] = {}
    discounted: dict[str, ReviewDecision] = {}
    for decision in sorted(decisions, key=lambda d: d.decided_at):
        pair = decision.pair
        if pair is not None:
            must.pop(pair, None)
            cannot.pop(pair, None)
            if decision.kind == "must-link":
                must[pair] = decision
            elif decision.kind == "cannot-link":
                cannot[pair] = decision
        elif decision.kind == "discount":
            discounted[decision.key_a] = decision
        else:
            discounted.pop(decision.key_a, None)
    return DecisionState(must, cannot, discounted)


def read_decisions(path: Path) -> list[ReviewDecision]:
    """Read a decisions CSV (``kind,key_a,key_b,reviewer,reason,decided_at``)."""
    if not path.exists():
        return []
    text = read_text_file(path, "reviewer decisions")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    decisions: list[ReviewDecision] = []
    try:
        if reader.fieldnames is None or set(_COLUMNS) - set(reader.fieldnames):
            raise UserInputError(
                f"{path} is not a decisions file; expected columns "
                f"{', '.join(_COLUMNS)}"
            )
        for row in reader:
            cells = {c: (row.get(c) or "") for c in _COLUMNS}
            try:
                decisions.append(
                    ReviewDecision(
                        cells["kind"],
                        cells["key_a"],
                        cells["key_b"] or None,
                        cells["reviewer"],
                        cells["reason"],
                        cells["decided_at"],
                    )
                )
            except UserInputError as exc:
                raise UserInputError(f"{path} line {reader.line_num}: {exc}") from None
    except csv.Error as exc:
        raise UserInputError(
            f"a decisions file must be CSV, but {path} line {reader.line_num} is "
            f"not: {exc}; fix or re-export the file"
        ) from None
    return decisions


def write_decisions(path: Path, decisions: Iterable[ReviewDecision]) -> None:
    """Write (overwrite) a decisions CSV in log order."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(_COLUMNS)
        for d in decisions:
            writer.writerow(
                [d.kind, d.key_a, d.key_b or "", d.reviewer, d.reason, d.decided_at]
            )
