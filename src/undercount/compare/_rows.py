"""Building one gap row: documented, acknowledged, named, estimated, derived.

See :mod:`undercount.compare._gap` for the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from undercount.compare._figures import Figure, Provenance
from undercount.compare._inputs import Estimated, NamedVictims
from undercount.compare._report import GapRow, IncidentGap
from undercount.compare._scope import (
    NOT_ATTRIBUTABLE,
    PeriodUnit,
    RowScope,
    ack_fit,
    orphan_fits,
    without_overlaps,
)
from undercount.compare._statement import write_statement
from undercount.compare._strata import in_scope, row_estimate
from undercount.incidents import (
    AcknowledgmentRecord,
    GradedIncident,
    GradingRules,
    Vocabulary,
)

__all__ = ["build_row", "incident_gaps"]

_ORPHAN = "its incident is not in the project (date and place unknown)"


# ---------------------------------------------------------------- helpers
def _incident_provenance(g: GradedIncident) -> Provenance:
    span = g.cluster.killed_span()
    figures = []
    for source, items in sorted(g.cluster.figures_by_source().items()):
        for incident_id, low, high in items:
            shown = (
                "?"
                if low is None and high is None
                else (
                    f"{low}"
                    if low == high
                    else f"at least {low}"
                    if high is None
                    else f"up to {high}"
                    if low is None
                    else f"{low}-{high}"
                )
            )
            figures.append(f"{source}:{incident_id} {shown}")
    killed = (
        "no figure"
        if span is None
        else f"{span.low}-{span.high}" + ("+" if span.high_open else "")
    )
    refs = [ref for r in g.cluster.records for ref in r.incident.source_refs]
    return Provenance(
        "incident",
        g.cluster.cluster_id,
        f"grade {g.grade}; killed {killed} ({'; '.join(figures)})",
        "; ".join(dict.fromkeys(refs)) or None,
    )


def _ack_provenance(ack: AcknowledgmentRecord, detail: str = "") -> Provenance:
    a = ack.acknowledgment
    scope = (
        f"incident {a.incident_id}"
        if ack.is_incident
        else f"{a.period_start}..{a.period_end}"
        + (f" in {ack.place}" if ack.place else "")
    )
    text = f"{a.belligerent} acknowledged {a.deaths_acknowledged} ({scope})"
    return Provenance(
        "acknowledgment",
        ack.ack_id,
        text + (f"; {detail}" if detail else ""),
        a.document,
    )


def _documented(
    name: str, label: str, incidents: Sequence[GradedIncident], grades: str
) -> Figure | None:
    spans = [(g, g.cluster.killed_span()) for g in incidents]
    spans = [(g, s) for g, s in spans if s is not None]
    if not spans:
        return None
    low = sum(s.low for _, s in spans if s is not None)
    high = sum(s.high for _, s in spans if s is not None)
    no_low = sum(1 for _, s in spans if s is not None and not s.low_reported)
    derivation = (
        f"sum over {len(spans)} incident(s) graded {grades} of each incident's "
        "lowest stated lower bound and highest stated figure"
        + (
            f"; {no_low} incident(s) gave only 'up to' figures and add 0 to the low end"
            if no_low
            else ""
        )
    )
    return Figure(
        name,
        label,
        "range",
        low=low,
        high=high,
        derivation=derivation,
        sources=tuple(_incident_provenance(g) for g, _ in spans),
        high_open=any(s.high_open for _, s in spans if s is not None),
    )


def _derived(
    name: str,
    label: str,
    left: Figure,
    right: Figure,
    op: str,
) -> Figure | None:
    """``left - right`` or ``left / right`` where ``right`` is a count."""
    r = right.value
    if r is None or (op == "/" and r == 0):
        return None

    def f(x: float | None) -> float | None:
        if x is None:
            return None
        return x - r if op == "-" else x / r

    src = (
        Provenance("figure", left.name, left.label),
        Provenance("figure", right.name, right.label),
    )
    derivation = f"{left.name} {op} {right.name}"
    if left.kind == "count":
        return Figure(
            name,
            label,
            "count",
            value=f(left.value),
            derivation=derivation,
            sources=src,
        )
    if left.kind == "range":
        return Figure(
            name,
            label,
            "range",
            low=f(left.low),
            high=f(left.high),
            derivation=derivation + " (each end of the range)",
            sources=src,
            high_open=left.high_open,
        )
    return Figure(
        name,
        label,
        "estimate",
        value=f(left.value),
        low=f(left.low),
        high=f(left.high),
        level=left.level,
        derivation=derivation + " (estimate and interval ends)",
        sources=src,
    )


# ---------------------------------------------------------------- rows
def build_row(
    row: RowScope,
    row_place_id: str | None,
    incidents: list[GradedIncident],
    period_acks: list[AcknowledgmentRecord],
    named: NamedVictims | None,
    estimated: Estimated | None,
    rules: GradingRules,
    vocab: Vocabulary,
    discounted: int,
    period_unit: PeriodUnit = "month",
    orphan_acks: Sequence[AcknowledgmentRecord] = (),
) -> GapRow:
    figures: dict[str, Figure] = {}
    notes: list[str] = []
    grades = " or ".join(rules.documented_grades)
    documented = [g for g in incidents if g.grade in rules.documented_grades]
    others = [g for g in incidents if g.grade not in rules.documented_grades]
    fig = _documented(
        "documented",
        f"deaths documented in incidents graded {grades}",
        documented,
        grades,
    )
    if fig:
        figures["documented"] = fig
    other_grades = " or ".join(sorted({g.grade for g in others}))
    fig = _documented(
        "also_alleged",
        f"deaths alleged in incidents graded {other_grades}",
        others,
        other_grades,
    )
    if fig:
        figures["also_alleged"] = fig
    # Acknowledged
    fits = [f for a in period_acks if (f := ack_fit(a, row, row_place_id, vocab))]
    inside = [f for f in fits if f.fits]
    wider = [f for f in fits if not f.fits]
    kept, dropped = without_overlaps(inside, vocab)
    for fit, why in dropped:
        notes.append(f"acknowledgment {fit.ack.ack_id} {why}")
    incident_acks = [
        a
        for g in incidents
        for a in g.acknowledgments
        if row.belligerent is None
        or vocab.belligerent_family(a.acknowledgment.belligerent) == row.belligerent
    ]
    orphans = [a for a in orphan_acks if orphan_fits(a, row, vocab)]
    if orphans:
        figures["acknowledged_unmatched"] = Figure(
            "acknowledged_unmatched",
            "deaths acknowledged for incidents not in the project",
            "count",
            value=sum(a.acknowledgment.deaths_acknowledged for a in orphans),
            derivation=f"sum of {len(orphans)} incident acknowledgment(s) whose "
            "incident is not in the project (date and place unknown)"
            + ("; not added to the period statement" if kept else ""),
            sources=tuple(_ack_provenance(a, _ORPHAN) for a in orphans),
        )
    if kept:
        value = sum(f.ack.acknowledgment.deaths_acknowledged for f in kept)
        contained = [
            _ack_provenance(
                a,
                "incident acknowledgment, taken as part of the "
                "period statement (not added)",
            )
            for a in incident_acks
        ]
        figures["acknowledged"] = Figure(
            "acknowledged",
            "deaths acknowledged",
            "count",
            value=value,
            derivation=f"sum of {len(kept)} period acknowledgment(s) lying inside "
            "this scope",
            sources=tuple(_ack_provenance(f.ack, f.why) for f in kept)
            + tuple(contained),
        )
        status = "acknowledged"
    elif incident_acks or orphans:
        value = sum(
            a.acknowledgment.deaths_acknowledged for a in [*incident_acks, *orphans]
        )
        figures["acknowledged"] = Figure(
            "acknowledged",
            "deaths acknowledged for individual incidents",
            "count",
            value=value,
            derivation=f"sum of {len(incident_acks) + len(orphans)} incident "
            "acknowledgment(s) in this scope"
            + (
                f", {len(orphans)} of them for incidents not in the project"
                if orphans
                else ""
            )
            + "; no period statement lies inside it",
            sources=tuple(_ack_provenance(a) for a in incident_acks)
            + tuple(_ack_provenance(a, _ORPHAN) for a in orphans),
        )
        status = "acknowledged for individual incidents only"
    unplaced = [f for f in wider if f.kind == "no-place"]
    wider = [f for f in wider if f.kind != "no-place"]
    if not (kept or incident_acks or orphans):
        status = (
            "not broken down"
            if wider
            else NOT_ATTRIBUTABLE
            if unplaced
            else "not acknowledged"
        )
    if wider and not kept:
        first = wider[0]
        figures["acknowledged_wider"] = Figure(
            "acknowledged_wider",
            "deaths acknowledged for a wider scope",
            "count",
            value=first.ack.acknowledgment.deaths_acknowledged,
            derivation=f"a statement that {first.why}; it cannot be split to this row",
            sources=(_ack_provenance(first.ack, first.why),),
        )
    if unplaced:
        distinct, _ = without_overlaps(unplaced, vocab)
        figures["acknowledged_unattributed"] = Figure(
            "acknowledged_unattributed",
            f"deaths acknowledged without a place ({NOT_ATTRIBUTABLE})",
            "count",
            value=sum(f.ack.acknowledgment.deaths_acknowledged for f in distinct),
            derivation=f"{len(distinct)} period acknowledgment(s) naming no place; "
            "counted only in the all-places row, never spread over places",
            sources=tuple(_ack_provenance(f.ack, f.why) for f in distinct),
        )
    if named is not None and in_scope(named.scope, row):
        figures["named"] = Figure(
            "named",
            named.description,
            "count",
            value=named.count,
            derivation="count of distinct people after record linkage",
            sources=(Provenance("named-victims", named.origin, named.description),),
        )
    no_estimate = False
    if estimated is not None:
        est_figure, est_note = row_estimate(
            estimated, row, row_place_id, period_unit, vocab
        )
        if est_figure is not None:
            figures["estimated"] = est_figure
        elif est_note is not None:
            notes.append(est_note)
            no_estimate = True
    ack = figures.get("acknowledged")
    if ack is not None:
        for key in ("documented", "named", "estimated"):
            left = figures.get(key)
            if left is None:
                continue
            for op, word in (("-", "difference"), ("/", "ratio")):
                derived = _derived(
                    f"{word}:{key}/acknowledged"
                    if op == "/"
                    else f"{word}:{key}-acknowledged",
                    f"{key} {'minus' if op == '-' else 'divided by'} acknowledged",
                    left,
                    ack,
                    op,
                )
                if derived is not None:
                    figures[derived.name] = derived
                elif op == "/":
                    notes.append(f"ratio {key}/acknowledged undefined: 0 acknowledged")
    if "estimated" in figures and "named" in figures:
        derived = _derived(
            "difference:estimated-named",
            "estimated deaths on no list",
            figures["estimated"],
            figures["named"],
            "-",
        )
        if derived is not None:
            figures[derived.name] = derived
    if discounted and row == RowScope():
        notes.append(f"{discounted} discounted incident(s) left out")
    per_incident = tuple(_incident_gap(g, row, vocab) for g in incidents)
    counted = [f.ack for f in kept] if kept else [*incident_acks, *orphans]
    who = sorted({a.acknowledgment.belligerent for a in counted})
    wider_who = sorted({f.ack.acknowledgment.belligerent for f in wider})
    unplaced_who = sorted({f.ack.acknowledgment.belligerent for f in unplaced})
    statement, used = write_statement(
        row,
        figures,
        status,
        per_incident,
        grades,
        who=who,
        wider_who=wider_who,
        unplaced_who=unplaced_who,
        orphan_who=sorted({a.acknowledgment.belligerent for a in orphans}),
        no_estimate=no_estimate,
    )
    return GapRow(row, figures, status, statement, used, per_incident, tuple(notes))


def _incident_gap(g: GradedIncident, row: RowScope, vocab: Vocabulary) -> IncidentGap:
    acks = [
        a
        for a in g.acknowledgments
        if row.belligerent is None
        or vocab.belligerent_family(a.acknowledgment.belligerent) == row.belligerent
    ]
    documented = _documented("documented", "deaths documented", [g], g.grade)
    if acks:
        fig: Figure | None = Figure(
            "acknowledged",
            "deaths acknowledged",
            "count",
            value=sum(a.acknowledgment.deaths_acknowledged for a in acks),
            derivation="sum of the incident's acknowledgments",
            sources=tuple(_ack_provenance(a) for a in acks),
        )
        status = "acknowledged"
    else:
        fig, status = None, "not acknowledged"
    return IncidentGap(
        g.cluster.cluster_id, g.grade, g.cluster.keys, documented, fig, status
    )


def incident_gaps(
    graded: Iterable[GradedIncident], vocabulary: Vocabulary | None = None
) -> list[IncidentGap]:
    """Per incident: documented deaths and acknowledgment ("not acknowledged" when
    none, never zero)."""
    vocab = vocabulary or Vocabulary()
    return [
        _incident_gap(g, RowScope(), vocab) for g in graded if g.grade != "discounted"
    ]
