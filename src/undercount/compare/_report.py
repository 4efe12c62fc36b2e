"""Result types of the gap: per-incident gaps, rows, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from undercount.compare._figures import Figure
from undercount.compare._scope import RowScope

__all__ = ["GapReport", "GapRow", "IncidentGap"]


@dataclass(frozen=True)
class IncidentGap:
    """One incident: documented deaths beside what was acknowledged for it.

    ``acknowledged`` is ``None`` (shown "not acknowledged") when no belligerent
    acknowledged the incident; it is never 0 for lack of a statement.
    """

    cluster_id: str
    grade: str
    keys: tuple[str, ...]
    documented: Figure | None
    acknowledged: Figure | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "cluster_id": self.cluster_id,
            "grade": self.grade,
            "reports": list(self.keys),
            "documented": self.documented.to_dict() if self.documented else None,
            "acknowledged": self.acknowledged.to_dict() if self.acknowledged else None,
            "status": self.status,
        }


@dataclass(frozen=True)
class GapRow:
    """The gap for one scope.

    Attributes
    ----------
    scope
        Period, place, belligerent (``None`` = all).
    figures
        Every figure of the row by name (``acknowledged``, ``documented``,
        ``also_alleged``, ``named``, ``estimated``, ``difference:...``,
        ``ratio:...``, ``acknowledged_wider``, ``acknowledged_unattributed``).
    acknowledgment_status
        ``acknowledged``, ``acknowledged for individual incidents only``,
        ``not acknowledged``, ``not broken down`` (only a statement for a longer
        period or wider area exists) or ``not attributable to a place`` (a place
        row whose only statements name no place).
    statement
        Plain-language summary; each number in it is one of ``figures``.
    statement_figures
        Names of the figures the statement quotes, in order.
    incidents
        The incidents of the row, each with its own acknowledgment status.
    notes
        Caveats (overlaps not added, discounted incidents left out...).
    """

    scope: RowScope
    figures: dict[str, Figure]
    acknowledgment_status: str
    statement: str
    statement_figures: tuple[str, ...]
    incidents: tuple[IncidentGap, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "scope": self.scope.to_dict(),
            "label": self.scope.label(),
            "acknowledgment_status": self.acknowledgment_status,
            "statement": self.statement,
            "statement_figures": list(self.statement_figures),
            "figures": {k: f.to_dict() for k, f in self.figures.items()},
            "incidents": [i.to_dict() for i in self.incidents],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class GapReport:
    """The gap table: the total row, then one row per scope asked for."""

    rows: tuple[GapRow, ...]
    by: tuple[str, ...]
    period_unit: str
    documented_grades: tuple[str, ...]
    excluded: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """Report-wide caveats (acknowledgments not attributable to a place...)."""

    @property
    def total(self) -> GapRow:
        """The row for all periods, places and belligerents."""
        return self.rows[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``undercount gap --json``)."""
        return {
            "by": list(self.by),
            "period_unit": self.period_unit,
            "documented_grades": list(self.documented_grades),
            "excluded": dict(self.excluded),
            "notes": list(self.notes),
            "rows": [r.to_dict() for r in self.rows],
        }
