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
- an incident acknowledgment whose incident is not in the project (resolved
  here, not at import, since the incident may be imported later) counts only in
  rows over all periods and places, for its belligerent: with the incident
  acknowledgments when no period statement lies inside the row, else beside the
  statement as *acknowledged for incidents not in the project* (not added: its
  date is unknown); it is always listed in the report's notes;
- differences and ratios are computed only against a number: documented
  differences are ranges (documented low..high minus the acknowledged count);
  estimate differences carry the estimate's interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from undercount.compare._inputs import Estimated, NamedVictims
from undercount.compare._report import GapReport, GapRow, IncidentGap
from undercount.compare._rows import build_row, incident_gaps
from undercount.compare._scope import (
    NOT_ATTRIBUTABLE,
    Dimension,
    PeriodUnit,
    RowScope,
    ack_place_id,
    incident_keys,
    period_bounds,
    period_of,
    unmatched_incident_acks,
)
from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    GradedIncident,
    GradingRules,
    Vocabulary,
    place_key,
)
from undercount.incidents._places import default_resolver

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
    acknowledgments = list(acknowledgments)
    period_acks = [a for a in acknowledgments if not a.is_incident]
    orphans = unmatched_incident_acks(acknowledgments, graded)
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
            period_unit,
            orphans,
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
            for a in [*period_acks, *orphans]:
                ack_family = vocab.belligerent_family(a.acknowledgment.belligerent)
                if ack_family and not any(s.belligerent == ack_family for s in groups):
                    groups[RowScope(None, None, ack_family)] = (None, [])
        if "place" in by:
            _add_ack_places(groups, period_acks, by, period_unit, vocab)
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
                    period_unit,
                    orphans,
                )
            )
    notes = []
    if "place" in by:
        for a in period_acks:
            if not (a.acknowledgment.place or a.place):
                notes.append(
                    f"acknowledgment {a.ack_id} ({a.acknowledgment.belligerent}, "
                    f"{a.acknowledgment.deaths_acknowledged} deaths) names no place: "
                    f"{NOT_ATTRIBUTABLE}; counted in the all-places row only"
                )
    for a in orphans:
        ack = a.acknowledgment
        notes.append(
            f"acknowledgment {a.ack_id} ({ack.belligerent}, "
            f"{ack.deaths_acknowledged} deaths) names incident {ack.incident_id!r}, "
            "which is not in the project: its date and place are unknown, so it "
            "counts only over all periods and places; import the incident's "
            "source (or correct incident_id) to place it"
        )
    return GapReport(
        tuple(rows),
        tuple(by),
        period_unit,
        tuple(rules.documented_grades),
        {"discounted": discounted},
        tuple(notes),
    )


def _add_ack_places(
    groups: dict[RowScope, tuple[str | None, list[GradedIncident]]],
    period_acks: Sequence[AcknowledgmentRecord],
    by: Sequence[str],
    period_unit: PeriodUnit,
    vocab: Vocabulary,
) -> None:
    """A row for each place a period acknowledgment names and no incident has, so
    that a per-place acknowledgment is shown against the (absent) documented
    count of its place rather than only in the total."""
    resolver = default_resolver()
    for a in period_acks:
        ack = a.acknowledgment
        name = ack.place or a.place
        if not name or ack.period_start is None or ack.period_end is None:
            continue
        place_id = ack_place_id(a, resolver)
        if any(
            (place_id is not None and pid == place_id)
            or (scope.place is not None and place_key(scope.place) == place_key(name))
            for scope, (pid, _) in groups.items()
        ):
            continue
        period = None
        if "period" in by:
            period = period_of(
                (ack.period_start.start(), ack.period_end.end()), period_unit
            )
            if period_bounds(period) is None:
                continue  # spans several periods: shown in the total only
        family = (
            vocab.belligerent_family(ack.belligerent) if "belligerent" in by else None
        )
        groups.setdefault(RowScope(period, name, family), (place_id, []))
