"""Grading incident clusters by how well they are sourced and attributed.

The grades follow the scale civilian-harm monitors use (Airwars' definitions,
paraphrased):

- **confirmed**: a belligerent has acknowledged civilian deaths in the event;
- **fair**: reported by two or more credible sources, with a plausible
  attribution (a named belligerent, active there and then when such windows are
  configured);
- **contested**: competing claims of responsibility (several belligerents alleged,
  or sources naming different ones);
- **weak**: a single source (or too little to say more);
- **discounted**: shown to be false or not civilian harm (a reviewer's decision,
  or a source's own assessment such as an Airwars "discounted").

Rules are evaluated in :attr:`GradingRules.order`; the first that applies gives
the grade, and the reasons of every rule that applied are kept (a confirmed
incident may also be contested). Rules are configurable (``[incidents.grading]``
in ``undercount.toml``, or a TOML file of their own).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from undercount.errors import UserInputError
from undercount.incidents._acknowledgments import AcknowledgmentRecord
from undercount.incidents._clusters import IncidentCluster
from undercount.incidents._decisions import (
    DecisionState,
    ReviewDecision,
    resolve_decisions,
)
from undercount.incidents._reading import read_text_file
from undercount.incidents._vocab import Vocabulary
from undercount.model import PartialDate, parse_partial_date

__all__ = [
    "GRADES",
    "ActiveWindow",
    "Grade",
    "GradedIncident",
    "GradingRules",
    "grade_clusters",
]

Grade = Literal["confirmed", "fair", "contested", "weak", "discounted"]
#: Every grade, strongest evidence of civilian harm first.
GRADES: tuple[Grade, ...] = ("confirmed", "fair", "contested", "weak", "discounted")
_DEFAULT_ORDER: tuple[Grade, ...] = (
    "discounted",
    "confirmed",
    "contested",
    "fair",
    "weak",
)
_DEFAULT_DOCUMENTED: tuple[Grade, ...] = ("confirmed", "fair")


class ActiveWindow(BaseModel):
    """A belligerent known to be active in a period (and optionally places)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    belligerent: str
    start: str
    end: str
    places: list[str] = Field(default_factory=list)
    """Gazetteer place ids or names; empty: anywhere."""

    @field_validator("start", "end")
    @classmethod
    def _date(cls, value: str) -> str:
        if parse_partial_date(value) is None:
            raise ValueError(f"not a date: {value!r}")
        return value

    def dates(self) -> tuple[PartialDate, PartialDate]:
        """The window's bounds."""
        start, end = parse_partial_date(self.start), parse_partial_date(self.end)
        assert start is not None and end is not None
        return start, end


class GradingRules(BaseModel):
    """The configurable rule set (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order: list[Grade] = Field(default_factory=lambda: list(_DEFAULT_ORDER))
    """Rules in evaluation order; the last is the fallback."""
    credible_sources: list[str] | None = None
    """Only these sources count as credible (``None``: every source)."""
    not_credible_sources: list[str] = Field(default_factory=list)
    """Sources never counted as credible (e.g. a party's own media)."""
    min_sources_fair: int = Field(2, ge=1)
    contested_when: Literal["multiple_belligerents", "disjoint_sources"] = (
        "multiple_belligerents"
    )
    """``multiple_belligerents``: two or more belligerents alleged in all (as
    Airwars grades); ``disjoint_sources``: two sources name belligerents with
    none in common."""
    discount_assessments: list[str] = Field(
        default_factory=lambda: ["discounted", "false", "not civilian harm"]
    )
    """Source assessments that discount an incident."""
    active_belligerents: list[ActiveWindow] = Field(default_factory=list)
    """When given, an attribution is plausible only for a belligerent active then."""
    documented_grades: list[Grade] = Field(
        default_factory=lambda: list(_DEFAULT_DOCUMENTED)
    )
    """Grades whose incidents count in documented totals (compare stage)."""
    belligerent_aliases: dict[str, str] = Field(default_factory=dict)

    @field_validator("order")
    @classmethod
    def _order(cls, value: list[Grade]) -> list[Grade]:
        if len(set(value)) != len(value) or not value:
            raise ValueError(f"order must list grades once each, got {value}")
        return value

    @classmethod
    def from_toml(cls, path: Path) -> GradingRules:
        """Rules from a TOML file (top level, or an ``[incidents.grading]`` table)."""
        text = read_text_file(path, "grading rules")
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise UserInputError(
                f"grading rules must be TOML, but {path} is not: {exc}; fix the "
                "file (see docs/incidents.md for an example)"
            ) from None
        section = data.get("incidents")
        if isinstance(section, dict) and "grading" in section:
            if not isinstance(section["grading"], dict):
                raise UserInputError(
                    f"{path}: [incidents.grading] must be a table of rules, got "
                    f"{section['grading']!r}; write it as [incidents.grading]"
                )
            data = section["grading"]
        return cls.from_mapping(data, where=str(path))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, where: str) -> GradingRules:
        """Validate a mapping; errors name the key and the fix."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            raise UserInputError(
                f"{where}: invalid grading rule at {loc}: {first['msg']}"
            ) from None

    def is_credible(self, source: str) -> bool:
        """Whether ``source`` counts as credible."""
        if source in self.not_credible_sources:
            return False
        return self.credible_sources is None or source in self.credible_sources


@dataclass(frozen=True)
class GradedIncident:
    """A cluster with its grade, the reasons, and its acknowledgments.

    Attributes
    ----------
    grade
        The grade given by the first applicable rule.
    reasons
        Why that rule applied.
    also
        Other rules that applied too, with their reasons (``"contested: ..."``).
    acknowledgments
        Incident-level acknowledgments naming a member report; empty means
        *not acknowledged* (never zero).
    """

    cluster: IncidentCluster
    grade: Grade
    reasons: tuple[str, ...]
    also: tuple[str, ...]
    acknowledgments: tuple[AcknowledgmentRecord, ...]

    @property
    def acknowledged(self) -> int | None:
        """Deaths acknowledged for this incident; ``None`` when none was."""
        if not self.acknowledgments:
            return None
        return sum(a.acknowledgment.deaths_acknowledged for a in self.acknowledgments)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (cluster summary, grade, reasons, acknowledgments)."""
        return {
            **self.cluster.summary(),
            "grade": self.grade,
            "reasons": list(self.reasons),
            "also": list(self.also),
            "acknowledged": self.acknowledged,
            "acknowledgment_status": "acknowledged"
            if self.acknowledgments
            else "not acknowledged",
            "acknowledgments": [
                {
                    "ack_id": a.ack_id,
                    "belligerent": a.acknowledgment.belligerent,
                    "deaths": a.acknowledgment.deaths_acknowledged,
                    "document": a.acknowledgment.document,
                }
                for a in self.acknowledgments
            ],
        }


def _discounted(
    cluster: IncidentCluster, rules: GradingRules, state: DecisionState
) -> list[str]:
    reasons = []
    markers = {m.casefold() for m in rules.discount_assessments}
    for record in cluster.records:
        decision = state.discounted.get(record.key)
        if decision is not None:
            reasons.append(
                f"reviewer {decision.reviewer} discounted {record.key}: "
                f"{decision.reason}"
            )
        if record.assessment and record.assessment.casefold() in markers:
            reasons.append(
                f"{record.source} assesses {record.key} as {record.assessment!r}"
            )
    return reasons


def _confirmed(
    acks: Sequence[AcknowledgmentRecord], cluster: IncidentCluster, vocab: Vocabulary
) -> list[str]:
    alleged = cluster.alleged_belligerents()
    reasons = []
    for ack in acks:
        a = ack.acknowledgment
        if a.deaths_acknowledged <= 0:
            continue
        family = vocab.belligerent_family(a.belligerent)
        note = (
            ""
            if not alleged or family in alleged
            else (f"; note: no source alleged {a.belligerent}")
        )
        reasons.append(
            f"{a.belligerent} acknowledged {a.deaths_acknowledged} civilian "
            f"deaths ({a.document}){note}"
        )
    return reasons


def _contested(cluster: IncidentCluster, rules: GradingRules) -> list[str]:
    by_source = cluster.belligerents_by_source()
    alleged = cluster.alleged_belligerents()
    if rules.contested_when == "multiple_belligerents":
        if len(alleged) < 2:
            return []
        parts = []
        for family in sorted(alleged):
            who = sorted(s for s, fams in by_source.items() if family in fams)
            parts.append(f"{family} ({', '.join(who)})")
        return ["competing attributions: " + "; ".join(parts)]
    named = {s: f for s, f in by_source.items() if f}
    for a in sorted(named):
        for b in sorted(named):
            if a < b and not named[a] & named[b]:
                return [
                    f"{a} alleges {', '.join(sorted(named[a]))} but {b} alleges "
                    f"{', '.join(sorted(named[b]))}"
                ]
    return []


def _plausible(
    cluster: IncidentCluster, rules: GradingRules, credible: list[str]
) -> tuple[bool, str]:
    by_source = cluster.belligerents_by_source()
    alleged = set().union(*(by_source.get(s, frozenset()) for s in credible))
    if not alleged:
        parties = cluster.parties()
        if parties:
            return False, (
                "no credible source attributes the deaths (parties to the "
                f"fighting, not perpetrators: {', '.join(sorted(parties))})"
            )
        return False, "no credible source names a belligerent"
    if not rules.active_belligerents:
        return True, f"attributed to {', '.join(sorted(alleged))}"
    window = cluster.window()
    place = cluster.place()
    vocab = Vocabulary(rules.belligerent_aliases)
    for active in rules.active_belligerents:
        family = vocab.belligerent_family(active.belligerent)
        if family not in alleged:
            continue
        start, end = active.dates()
        if window and (window[1] < start.start() or window[0] > end.end()):
            continue
        if (
            active.places
            and place
            and not (place[0] in active.places or place[1] in active.places)
        ):
            continue
        return True, (
            f"attributed to {family}, active {active.start}..{active.end}"
            f"{' in ' + ', '.join(active.places) if active.places else ''}"
        )
    return False, (
        f"alleged {', '.join(sorted(alleged))} but none is configured as "
        "active at that time and place"
    )


def _grade_one(
    cluster: IncidentCluster,
    rules: GradingRules,
    state: DecisionState,
    acks: Sequence[AcknowledgmentRecord],
    vocab: Vocabulary,
) -> GradedIncident:
    credible = [s for s in cluster.sources if rules.is_credible(s)]
    plausible, why = _plausible(cluster, rules, credible)
    applies: dict[str, list[str]] = {
        "discounted": _discounted(cluster, rules, state),
        "confirmed": _confirmed(acks, cluster, vocab),
        "contested": _contested(cluster, rules),
    }
    if len(credible) >= rules.min_sources_fair and plausible:
        applies["fair"] = [
            f"{len(credible)} credible sources ({', '.join(credible)}); {why}"
        ]
    else:
        applies["fair"] = []
    if len(cluster.sources) == 1:
        applies["weak"] = [f"a single source ({cluster.sources[0]})"]
    else:
        detail = (
            f"only {len(credible)} credible source(s) ({', '.join(credible)})"
            if len(credible) < rules.min_sources_fair
            else why
        )
        applies["weak"] = [f"{len(cluster.sources)} sources, but {detail}"]
    grade: Grade = rules.order[-1]
    for candidate in rules.order:
        if applies.get(candidate):
            grade = candidate
            break
    reasons = tuple(applies.get(grade) or ["no other rule applied"])
    also = tuple(
        f"{g}: {r}"
        for g in rules.order
        if g != grade
        for r in applies.get(g, [])
        if g != "weak"
    )
    return GradedIncident(cluster, grade, reasons, also, tuple(acks))


def grade_clusters(
    clusters: Iterable[IncidentCluster],
    rules: GradingRules | None = None,
    *,
    acknowledgments: Iterable[AcknowledgmentRecord] = (),
    decisions: DecisionState | Iterable[ReviewDecision] = (),
) -> list[GradedIncident]:
    """Grade every cluster (see the module docstring).

    Parameters
    ----------
    clusters
        From :func:`match_incidents`.
    rules
        The rule set (defaults: :class:`GradingRules`).
    acknowledgments
        Incident-level acknowledgments are attached to the cluster holding the
        report they name (``source:incident_id`` or a bare id); period ones are
        ignored here (the compare stage uses them).
    decisions
        Reviewer decisions (``discount``/``restore`` are used here).
    """
    rules = rules or GradingRules()
    state = (
        decisions
        if isinstance(decisions, DecisionState)
        else resolve_decisions(decisions)
    )
    vocab = Vocabulary(rules.belligerent_aliases)
    incident_acks = [a for a in acknowledgments if a.is_incident]
    out = []
    for cluster in clusters:
        acks = [
            a
            for a in incident_acks
            if any(a.matches(r.key, r.incident.incident_id) for r in cluster.records)
        ]
        out.append(_grade_one(cluster, rules, state, acks, vocab))
    return out
