"""Rows of a gap table: which incidents and acknowledgments fall in which scope.

A row is a (period, place, belligerent) scope; ``None`` means "all". Incidents go
to the period their date window lies in (at the chosen unit; a window spanning
several units goes to "dates span several ..." rather than being guessed into
one), to the place most of their reports name, and to every belligerent alleged
(so belligerent rows may overlap; the total row never double counts).

Period acknowledgments apply to a row only when they lie inside it: a statement
for October 2016 - July 2017 is not split into months or neighbourhoods; such a
row says the figure is *not broken down* instead of showing zero. By place, an
acknowledgment counts in the row of the place it names (the same gazetteer
place, after alias normalisation); one for a wider area (the city of a
neighbourhood row) is *not broken down*; one that names no place counts only in
the all-places row and is *not attributable to a place* in every place row;
one for another place is unrelated to the row. Overlapping
statements of one belligerent are not added up: the widest is kept and the
others are noted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from undercount.incidents import AcknowledgmentRecord, GradedIncident, Vocabulary
from undercount.incidents._places import PlaceResolver, default_resolver, place_key

__all__ = [
    "NOT_ATTRIBUTABLE",
    "Dimension",
    "PeriodUnit",
    "RowScope",
    "ack_fit",
    "ack_place_id",
    "incident_keys",
    "orphan_fits",
    "unmatched_incident_acks",
]

Dimension = Literal["period", "place", "belligerent"]
PeriodUnit = Literal["month", "quarter", "year"]
UNATTRIBUTED = "unattributed"
#: Prefix of the belligerent row of a battle's unattributed deaths.
PARTIES_PREFIX = "parties: "
NO_PLACE = "place unknown"
#: Status of a place row whose only acknowledgments name no place.
NOT_ATTRIBUTABLE = "not attributable to a place"


@dataclass(frozen=True, slots=True)
class RowScope:
    """One row's scope; ``None`` along a dimension means all of it."""

    period: str | None = None
    place: str | None = None
    belligerent: str | None = None

    def label(self) -> str:
        """``"2017-03, al-Shifa, coalition"`` or ``"all"``."""
        parts = [p for p in (self.period, self.place, self.belligerent) if p]
        return ", ".join(parts) or "all"

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form."""
        return {
            "period": self.period,
            "place": self.place,
            "belligerent": self.belligerent,
        }


def period_of(
    window: tuple[datetime.date, datetime.date] | None, unit: PeriodUnit
) -> str:
    """The period label a date window falls in at ``unit``."""
    if window is None:
        return "date unknown"
    first, last = window

    def key(day: datetime.date) -> str:
        if unit == "year":
            return f"{day.year}"
        if unit == "quarter":
            return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        return f"{day.year}-{day.month:02d}"

    return key(first) if key(first) == key(last) else f"dates span several {unit}s"


def period_bounds(label: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of a period label (``None`` for non-period labels)."""
    try:
        if "-Q" in label:
            year, q = label.split("-Q")
            start = datetime.date(int(year), 3 * (int(q) - 1) + 1, 1)
            end_month = start.month + 2
        elif "-" in label:
            year, month = label.split("-")
            start = datetime.date(int(year), int(month), 1)
            end_month = start.month
        else:
            start = datetime.date(int(label), 1, 1)
            end_month = 12
    except ValueError:
        return None
    following = datetime.date(start.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def unattributed_label(parties: frozenset[str]) -> str:
    """The belligerent row of an incident no source attributes: ``unattributed``,
    or ``parties: a vs b`` when the sources name the parties to the fighting
    (a battle's deaths belong to neither party's row, and to no row twice)."""
    if not parties:
        return UNATTRIBUTED
    return f"{PARTIES_PREFIX}{' vs '.join(sorted(parties))}"


def incident_keys(
    graded: GradedIncident, unit: PeriodUnit
) -> tuple[str, tuple[str, str | None], tuple[str, ...]]:
    """``(period, (place name, place id), belligerent families)`` of an incident."""
    cluster = graded.cluster
    place = cluster.place()
    families = tuple(sorted(cluster.alleged_belligerents())) or (
        unattributed_label(cluster.parties()),
    )
    return (
        period_of(cluster.window(), unit),
        (place[1], place[0]) if place else (NO_PLACE, None),
        families,
    )


def unmatched_incident_acks(
    acknowledgments: Iterable[AcknowledgmentRecord],
    graded: Iterable[GradedIncident],
) -> list[AcknowledgmentRecord]:
    """Incident acknowledgments whose incident is not in the project.

    An acknowledgment names its incident by report key (``source:id``) or bare
    id; when no report of any graded incident (discounted ones included) has
    it, the incident was never imported (or was imported under another id).
    Such an acknowledgment is resolved here, at gap time, not refused at
    import: its incident may be imported later.
    """
    keys: set[str] = set()
    for g in graded:
        for r in g.cluster.records:
            keys.add(r.key)
            keys.add(r.incident.incident_id)
    return [
        a
        for a in acknowledgments
        if a.is_incident and a.acknowledgment.incident_id not in keys
    ]


def orphan_fits(ack: AcknowledgmentRecord, row: RowScope, vocab: Vocabulary) -> bool:
    """Whether an acknowledgment of an incident not in the project counts in
    ``row``: its date and place are unknown, so only in a row over all periods
    and places, for its own belligerent (or all)."""
    if row.period is not None or row.place is not None:
        return False
    family = vocab.belligerent_family(ack.acknowledgment.belligerent)
    return row.belligerent is None or family == row.belligerent


@dataclass(frozen=True, slots=True)
class AckFit:
    """How a period acknowledgment relates to a row.

    ``fits``: it counts in the row. Otherwise ``kind`` says why not: ``period``
    (it covers a longer period), ``place`` (a wider area) or ``no-place`` (it
    names no place, so it cannot be attributed to one).
    """

    ack: AcknowledgmentRecord
    fits: bool
    why: str
    kind: str = "inside"


def ack_place_id(
    ack: AcknowledgmentRecord, resolver: PlaceResolver | None = None
) -> str | None:
    """The gazetteer id of the place an acknowledgment names (``None``: none or
    unknown to the gazetteer)."""
    place = ack.acknowledgment.place or ack.place
    if not place:
        return None
    hit = (resolver or default_resolver()).resolve(place)
    return hit.place_id if hit is not None else None


def _place_fit(
    ack: AcknowledgmentRecord,
    row: RowScope,
    row_place_id: str | None,
    span: str,
    resolver: PlaceResolver,
) -> AckFit | None:
    """The place side of :func:`ack_fit` for a place row."""
    place = ack.acknowledgment.place or ack.place
    if not place:
        return AckFit(
            ack,
            False,
            f"covers {span} and names no place: {NOT_ATTRIBUTABLE}",
            "no-place",
        )
    ack_id = ack_place_id(ack, resolver)
    if ack_id is not None and row_place_id is not None:
        if ack_id == row_place_id:
            return AckFit(ack, True, f"covers {span} in {place}")
        if ack_id in resolver.ancestors(row_place_id):
            return AckFit(
                ack,
                False,
                f"covers {span} in {place}, not broken down by place",
                "place",
            )
        return None
    if row.place is not None and place_key(place) == place_key(row.place):
        return AckFit(ack, True, f"covers {span} in {place}")
    return None


def ack_fit(
    ack: AcknowledgmentRecord,
    row: RowScope,
    row_place_id: str | None,
    vocab: Vocabulary,
    resolver: PlaceResolver | None = None,
) -> AckFit | None:
    """Whether a period acknowledgment counts in ``row`` (``fits``), is wider than
    it or cannot be attributed to its place (``fits`` false, with why), or is
    unrelated (``None``)."""
    a = ack.acknowledgment
    if a.period_start is None or a.period_end is None:
        return None
    family = vocab.belligerent_family(a.belligerent)
    if row.belligerent is not None and family != row.belligerent:
        return None
    first, last = a.period_start.start(), a.period_end.end()
    span = f"{a.period_start}..{a.period_end}"
    wider: AckFit | None = None
    if row.period is not None:
        bounds = period_bounds(row.period)
        if bounds is None:
            return None
        if last < bounds[0] or first > bounds[1]:
            return None
        if not (bounds[0] <= first and last <= bounds[1]):
            wider = AckFit(
                ack, False, f"covers {span}, not broken down by {row.period}", "period"
            )
    place = a.place or ack.place
    if row.place is not None:
        fit = _place_fit(ack, row, row_place_id, span, resolver or default_resolver())
        if fit is None:
            return None
        if not fit.fits or wider is None:
            return fit
    return wider or AckFit(
        ack, True, f"covers {span}" + (f" in {place}" if place else "")
    )


def without_overlaps(
    fits: list[AckFit], vocab: Vocabulary
) -> tuple[list[AckFit], list[tuple[AckFit, str]]]:
    """Keep, per belligerent, non-overlapping statements (widest first)."""

    def span(f: AckFit) -> tuple[datetime.date, datetime.date]:
        a = f.ack.acknowledgment
        assert a.period_start is not None and a.period_end is not None
        return a.period_start.start(), a.period_end.end()

    kept: list[AckFit] = []
    dropped: list[tuple[AckFit, str]] = []
    order = sorted(fits, key=lambda f: (-(span(f)[1] - span(f)[0]).days, f.ack.ack_id))
    for fit in order:
        family = vocab.belligerent_family(fit.ack.acknowledgment.belligerent)
        first, last = span(fit)
        clash = next(
            (
                k
                for k in kept
                if vocab.belligerent_family(k.ack.acknowledgment.belligerent) == family
                and not (last < span(k)[0] or first > span(k)[1])
            ),
            None,
        )
        if clash is None:
            kept.append(fit)
        else:
            dropped.append((fit, f"overlaps {clash.ack.ack_id}; not added twice"))
    return kept, dropped
