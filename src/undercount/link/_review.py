"""Clerical review: the uncertain pairs a person should look at, and their decisions.

A reviewer looks at a pair and says *same*, *different* or *unsure*, with who, when
and a note. Decisions are kept append-only (the latest per pair wins; earlier ones
stay as history), so re-running linkage never loses one. On the next clustering a
*same* is a must-link and a *different* a cannot-link; *unsure* changes nothing.

Storage is behind :class:`DecisionRepository`: an in-memory and a JSON-lines file
implementation here; the project store provides its own later.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from undercount.errors import UserInputError

RecordKey = tuple[str, str]
"""``(source, record_id)``."""
PairKey = tuple[RecordKey, RecordKey]
"""Two record keys, the smaller first."""


class Verdict(StrEnum):
    """A reviewer's verdict on a pair."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


def pair_key(a: RecordKey, b: RecordKey) -> PairKey:
    """The order-free key of a pair of records."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """One reviewer's verdict on one pair of records.

    Attributes
    ----------
    left, right
        The two records, as ``(source, record_id)``.
    verdict
        same / different / unsure.
    reviewer
        Who decided (a user name).
    decided_at
        When (timezone-aware UTC datetime).
    note
        Free text: why.
    """

    left: RecordKey
    right: RecordKey
    verdict: Verdict
    reviewer: str
    decided_at: dt.datetime
    note: str = ""

    @property
    def key(self) -> PairKey:
        """The order-free pair key."""
        return pair_key(self.left, self.right)

    @classmethod
    def make(
        cls,
        left: RecordKey,
        right: RecordKey,
        verdict: Verdict | str,
        reviewer: str,
        *,
        note: str = "",
        decided_at: dt.datetime | None = None,
    ) -> ReviewDecision:
        """Validate and build a decision (``decided_at`` defaults to now, UTC)."""
        try:
            verdict = Verdict(verdict)
        except ValueError:
            raise UserInputError(
                f"review verdict must be one of {[v.value for v in Verdict]!r}, "
                f"got {verdict!r}"
            ) from None
        if not reviewer.strip():
            raise UserInputError("a review decision needs the reviewer's name")
        if tuple(left) == tuple(right):
            raise UserInputError(
                f"a review decision needs two records, got {left!r} twice"
            )
        when = decided_at or dt.datetime.now(dt.UTC)
        return cls(
            (str(left[0]), str(left[1])),
            (str(right[0]), str(right[1])),
            verdict,
            reviewer.strip(),
            when,
            note,
        )

    def to_dict(self) -> dict[str, str]:
        """JSON-ready dict."""
        data = asdict(self)
        return {
            "source_l": self.left[0],
            "record_id_l": self.left[1],
            "source_r": self.right[0],
            "record_id_r": self.right[1],
            "verdict": self.verdict.value,
            "reviewer": data["reviewer"],
            "decided_at": self.decided_at.isoformat(),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> ReviewDecision:
        """Inverse of :meth:`to_dict`."""
        return cls.make(
            (data["source_l"], data["record_id_l"]),
            (data["source_r"], data["record_id_r"]),
            data["verdict"],
            data["reviewer"],
            note=data.get("note", ""),
            decided_at=dt.datetime.fromisoformat(data["decided_at"]),
        )


def latest_decisions(
    decisions: Iterable[ReviewDecision],
) -> dict[PairKey, ReviewDecision]:
    """The decision in force per pair: the latest by time (ties: the later given)."""
    latest: dict[PairKey, ReviewDecision] = {}
    for decision in decisions:
        current = latest.get(decision.key)
        if current is None or decision.decided_at >= current.decided_at:
            latest[decision.key] = decision
    return latest


@runtime_checkable
class DecisionRepository(Protocol):
    """Where review decisions live (append-only)."""

    def add(self, decision: ReviewDecision) -> None:
        """Store one more decision (never overwrite an earlier one)."""
        ...

    def all(self) -> list[ReviewDecision]:
        """Every decision ever stored, oldest first."""
        ...


class InMemoryDecisionRepository:
    """Decisions kept in a list (tests, notebooks)."""

    def __init__(self, decisions: Iterable[ReviewDecision] = ()) -> None:
        self._decisions = list(decisions)

    def add(self, decision: ReviewDecision) -> None:
        """Append a decision."""
        self._decisions.append(decision)

    def all(self) -> list[ReviewDecision]:
        """Every decision, oldest first."""
        return list(self._decisions)


class JsonFileDecisionRepository:
    """Decisions in a JSON-lines file, one decision per line, appended."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def add(self, decision: ReviewDecision) -> None:
        """Append a decision to the file (created if missing)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")

    def all(self) -> list[ReviewDecision]:
        """Every decision in the file, in file order."""
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(
            self.path.read_text(encoding="utf-8").splitlines(), 1
        ):
            if not line.strip():
                continue
            try:
                out.append(ReviewDecision.from_dict(json.loads(line)))
            except (ValueError, KeyError) as exc:
                raise UserInputError(
                    f"{self.path}: line {number}: not a review decision ({exc})"
                ) from None
        return out


SCORE_COLUMNS = ("match_weight", "match_probability")


def review_queue(
    pairs: pd.DataFrame,
    band: tuple[float, float],
    *,
    decisions: Sequence[ReviewDecision] = (),
    blind: bool = False,
    records: pd.DataFrame | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Pairs whose match probability lies in ``band`` and that nobody decided yet.

    Pairs above the band that the given-name veto kept apart are queued too.

    Most uncertain first (closest to 0.5). With ``blind=True`` the scores and
    comparison levels are dropped and the order is shuffled with ``seed`` (the order
    would betray the score). ``records`` (the linkage table) adds each side's name,
    date, age, sex and place for the reviewer.
    """
    low, high = band
    in_band = (pairs["match_probability"] >= low) & (pairs["match_probability"] <= high)
    if "vetoed" in pairs.columns:
        in_band |= pairs["vetoed"].astype(bool) & (pairs["match_probability"] > high)
    inside = pairs[in_band]
    decided = set(latest_decisions(decisions))
    keys = [
        pair_key((a, b), (c, d))
        for a, b, c, d in inside[
            ["source_l", "record_id_l", "source_r", "record_id_r"]
        ].itertuples(index=False)
    ]
    undecided = np.array([k not in decided for k in keys], dtype=bool)
    queue = inside.loc[undecided].copy()
    if blind:
        order = np.random.default_rng(seed).permutation(len(queue))
        queue = queue.iloc[order]
        queue = queue.drop(
            columns=[
                c for c in queue.columns if c in SCORE_COLUMNS or c.startswith("gamma_")
            ]
            + ["blocking_rule"],
            errors="ignore",
        )
    else:
        closeness = (queue["match_probability"] - 0.5).abs()
        queue = (
            queue.assign(_c=closeness)
            .sort_values("_c", kind="stable")
            .drop(columns="_c")
        )
    if records is not None:
        shown = records.rename(
            columns={"unique_id": "record_id", "source_dataset": "source"}
        )
        show_cols = [
            c
            for c in (
                "name_display",
                "date_display",
                "age_low",
                "age_high",
                "sex",
                "place_key",
            )
            if c in shown.columns
        ]
        for side in ("l", "r"):
            side_cols = shown[["source", "record_id", *show_cols]].rename(
                columns={c: f"{c}_{side}" for c in ["source", "record_id", *show_cols]}
            )
            queue = queue.merge(
                side_cols, on=[f"source_{side}", f"record_id_{side}"], how="left"
            )
    return queue.reset_index(drop=True)
