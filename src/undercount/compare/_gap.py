"""The gap: acknowledged vs documented vs estimated, per scope, with provenance.

:func:`compute_gap` takes graded incidents (from :mod:`undercount.incidents`),
acknowledgments, and optionally the distinct named victims of the linked lists
and an MSE estimate, and returns a :class:`GapReport`: one :class:`GapRow` per
scope (the total first, then each period/place/belligerent combination asked
for), each holding :class:`~undercount.compare.Figure` objects (acknowledged,
documented, named, estimated, and their differences and ratios) and a statement
written from those figures only.

Rules (docs/incidents.md):

- *documented* sums, over incidents graded in ``rules.documented_grades``
  (default confirmed and fair), each incident's lowest stated lower bound and
  highest stated figure; other non-discounted incidents are shown separately as
  *also alleged*; discounted ones are left out and counted;
- *acknowledged* is the sum of the period statements that lie inside the row
  (one per belligerent when they overlap), else the sum of incident
  acknowledgments in the row; with neither, the row says *not acknowledged* (or
  *not broken down* when a wider statement exists) and shows no number;
- differences and ratios are computed only against a number: documented
  differences are ranges (documented low..high minus the acknowledged count);
  estimate differences carry the estimate's interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from undercount.compare._inputs import Estimated, NamedVictims
from undercount.compare._report import GapReport, GapRow, IncidentGap
from undercount.compare._rows import build_row, incident_gaps
from undercount.compare._scope import Dimension, PeriodUnit, RowScope, incident_keys
from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    GradedIncident,
    GradingRules,
    Vocabulary,
)

__all__ = ["GapReport", "GapRow", "IncidentGap", "compute_gap", "incident_gaps"]

DIMENSIONS: tuple[Dimension, ...] = ("period", "place", "belligerent")


def compute_gap(
    graded: Iterable[GradedIncident],
    acknowledgments: Iterable[AcknowledgmentRecord] = (),
    *,
    named: NamedVictims | int | None = None,
    estimated: Estimated | None = None,
    by: Sequence[str] = (),
    period_unit: PeriodUnit = "month",
    rules: GradingRules | None = None,
) -> GapReport:
    """The gap between acknowledged, documented and estimated deaths.

    Parameters
    ----------
    graded
        Graded incidents (:func:`undercount.incidents.grade_clusters`).
    acknowledgments
        All acknowledgments; incident ones are already attached to ``graded``
        (used per row), period ones are placed by :mod:`._scope`.
    named
        Distinct named victims on the linked lists (or a plain count, taken as
        covering everything).
    estimated
        The MSE estimate with its interval.
    by
        Dimensions to break down by: any of ``period``, ``place``, ``belligerent``.
    period_unit
        ``month``, ``quarter`` or ``year``.
    rules
        Grading rules (for ``documented_grades``).

    Returns
    -------
    GapReport
        The total row first, then one row per combination present.
    """
    rules = rules or GradingRules()
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise UserInputError(
            f"cannot break down by {', '.join(unknown)}; use any of "
            f"{', '.join(DIMENSIONS)} (e.g. --by period,belligerent)"
        )
    if isinstance(named, int):
        named = NamedVictims(named, "given")
    vocab = Vocabulary(rules.belligerent_aliases)
    graded = list(graded)
    discounted = sum(1 for g in graded if g.grade == "discounted")
    kept = [g for g in graded if g.grade != "discounted"]
    period_acks = [a for a in acknowledgments if not a.is_incident]
    keyed = [(g, incident_keys(g, period_unit)) for g in kept]
    rows = [
        build_row(
            RowScope(),
            None,
            kept,
            period_acks,
            named,
            estimated,
            rules,
            vocab,
            discounted,
        )
    ]
    if by:
        groups: dict[RowScope, tuple[str | None, list[GradedIncident]]] = {}
        for g, (period, (place, place_id), families) in keyed:
            for family in families:
                scope = RowScope(
                    period if "period" in by else None,
                    place if "place" in by else None,
                    family if "belligerent" in by else None,
                )
                entry = groups.setdefault(
                    scope, (place_id if "place" in by else None, [])
                )
                if g not in entry[1]:
                    entry[1].append(g)
        if set(by) == {"belligerent"}:
            for a in period_acks:
                ack_family = vocab.belligerent_family(a.acknowledgment.belligerent)
                if ack_family and not any(s.belligerent == ack_family for s in groups):
                    groups[RowScope(None, None, ack_family)] = (None, [])
        for scope in sorted(
            groups, key=lambda s: (s.period or "", s.place or "", s.belligerent or "")
        ):
            place_id, members = groups[scope]
            rows.append(
                build_row(
                    scope,
                    place_id,
                    members,
                    period_acks,
                    named,
                    estimated,
                    rules,
                    vocab,
                    0,
                )
            )
    return GapReport(
        tuple(rows),
        tuple(by),
        period_unit,
        tuple(rules.documented_grades),
        {"discounted": discounted},
    )
