"""Candidate incidents: casualty statements grouped with their context.

One proposed incident per paragraph that holds at least one casualty statement
about killing, injury, displacement, entrapment or disappearance. The incident
takes the places, times, actors and weapons named in the same paragraph; when the
paragraph names no place it borrows the document's most specific frequent place
(at a lower confidence), because reports usually state the city once. An
incident is an ``aggregate`` (a battle, a campaign) when its time is a duration
or a figure reaches the thousands, otherwise an ``event``. Reviewers merge,
split, correct or reject these; nothing here decides that two reports describe
the same event (that is the incidents stage's job).
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import TypeVar

from undercount.ingest.narrative._incident_groups import (
    Group,
    is_personal_loss,
    split_paragraph,
)
from undercount.ingest.narrative._model import (
    Actor,
    Casualty,
    Figure,
    Place,
    ProposedIncident,
    TimeMention,
    Weapon,
)
from undercount.ingest.narrative._text import Segment, paragraphs

M = TypeVar("M", Casualty, Place, TimeMention, Actor, Weapon)

_SPECIFICITY = {
    "landmark": 0,
    "neighbourhood": 1,
    "area": 2,
    "city": 3,
    "subdistrict": 4,
    "district": 5,
    "governorate": 6,
    "country": 7,
}


def _by_paragraph(mentions: Sequence[M], paras: list[Segment]) -> list[list[M]]:
    """Mentions grouped by the paragraph their start falls in (one pass, bisect)."""
    starts = [p.start for p in paras]
    groups: list[list[M]] = [[] for _ in paras]
    for mention in mentions:
        index = bisect.bisect_right(starts, mention.start) - 1
        if index >= 0 and mention.start < paras[index].end:
            groups[index].append(mention)
    return groups


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def find_incidents(
    sha: str,
    text: str,
    casualties: list[Casualty],
    places: list[Place],
    times: list[TimeMention],
    actors: list[Actor],
    weapons: list[Weapon],
) -> list[ProposedIncident]:
    """Group casualty statements by paragraph into proposed incidents."""
    fallback = _document_place(places)
    paras = paragraphs(text)
    zipped = zip(
        paras,
        _by_paragraph(casualties, paras),
        _by_paragraph(places, paras),
        _by_paragraph(times, paras),
        _by_paragraph(actors, paras),
        _by_paragraph(weapons, paras),
        strict=True,
    )
    groups: list[Group] = []
    for para, para_casualties, *context in zipped:
        figures_here = [
            c
            for c in para_casualties
            if c.outcomes and c.confidence >= 0.4 and not is_personal_loss(c)
        ]
        if figures_here:
            groups.extend(split_paragraph(text, para, figures_here, *context))
    out = [
        incident
        for group in groups
        if (incident := _proposal(sha, text, group, fallback)) is not None
    ]
    return _merge_headlines(out, groups)


def _proposal(
    sha: str, text: str, group: Group, fallback: Place | None
) -> ProposedIncident | None:
    """The proposed incident of one group of mentions."""
    figures_here = group.casualties
    if not figures_here:
        return None
    para_places, para_times = group.places, group.times
    para_actors, para_weapons = group.actors, group.weapons
    confidence = max(c.confidence for c in figures_here)
    if not para_places and fallback is not None:
        para_places = [fallback]
        confidence *= 0.85
    figures = tuple(
        Figure(
            outcome=outcome,
            victims=c.victims,
            low=c.low,
            high=c.high,
            phrase=c.text,
            mention_id=c.id,
        )
        for c in figures_here
        for outcome in c.outcomes
    )
    starts = [t.period_start for t in para_times if t.period_start]
    ends = [t.period_end for t in para_times if t.period_end]
    aggregate = any(t.time_kind == "duration" for t in para_times) or any(
        (c.low or 0) >= 1000 for c in figures_here
    )
    place_names = _unique([p.name for p in para_places])
    mention_ids = _unique(
        [m.id for m in [*figures_here, *para_places, *para_times]]
        + [m.id for m in [*para_actors, *para_weapons]]
    )
    start = min(c.start for c in figures_here)
    end = max(c.end for c in figures_here)
    sentence_start = text.rfind("\n", 0, start) + 1
    evidence_start = max(group.start, sentence_start)
    evidence_end = max(end, group.end)
    digest = hashlib.sha1(f"{sha}:{group.key}:incident".encode())
    return ProposedIncident(
        id=f"incident-{digest.hexdigest()[:12]}",
        start=evidence_start,
        end=evidence_end,
        evidence=text[evidence_start:evidence_end],
        confidence=round(confidence, 2),
        scope="aggregate" if aggregate else "event",
        summary=_summary(figures, place_names, para_times),
        figures=figures,
        place_ids=_unique([p.place_id for p in para_places]),
        place_names=place_names,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        actor_ids=_unique([a.actor_id for a in para_actors]),
        weapon_ids=_unique([w.weapon_id for w in para_weapons]),
        mention_ids=mention_ids,
    )


def _overlaps(a: Figure, b: Figure) -> bool:
    a_low, b_low = a.low or 0, b.low or 0
    a_high = a.high if a.high is not None else float("inf")
    b_high = b.high if b.high is not None else float("inf")
    return a.outcome == b.outcome and a_low <= b_high and b_low <= a_high


def _places_compatible(a: ProposedIncident, b: ProposedIncident) -> bool:
    return (
        not a.place_ids or not b.place_ids or bool(set(a.place_ids) & set(b.place_ids))
    )


_HEADLINE_REACH = 5
"""A headline is matched with one of the next few incidents only (stays linear)."""


def _merge_headlines(
    incidents: list[ProposedIncident], groups: list[Group]
) -> list[ProposedIncident]:
    """Fold each headline aggregate into the body incident that states it again."""
    headline = [g.headline for g in groups if g.casualties]
    out = list(incidents)
    dropped: set[int] = set()
    for k, head in enumerate(incidents):
        if not headline[k] or head.scope != "aggregate":
            continue
        for index in range(k + 1, min(len(out), k + 1 + _HEADLINE_REACH)):
            body = out[index]
            if (
                headline[index]
                or body.scope != "aggregate"
                or not _places_compatible(head, body)
                or not any(_overlaps(h, f) for h in head.figures for f in body.figures)
            ):
                continue
            extra = tuple(
                h
                for h in head.figures
                if not any(f.outcome == h.outcome for f in body.figures)
            )
            out[index] = body.model_copy(
                update={
                    "figures": body.figures + extra,
                    "confidence": max(body.confidence, head.confidence),
                    "mention_ids": _unique([*head.mention_ids, *body.mention_ids]),
                    "summary": body.summary + " (also in the headline)",
                }
            )
            dropped.add(k)
            break
    return [incident for k, incident in enumerate(out) if k not in dropped]


def _document_place(places: list[Place]) -> Place | None:
    """The most specific of the document's most frequent places."""
    if not places:
        return None
    counts = Counter(p.place_id for p in places if p.level != "country")
    if not counts:
        return None
    top = max(counts.values())
    frequent = [p for p in places if counts.get(p.place_id) == top]
    return min(frequent, key=lambda p: _SPECIFICITY.get(p.level, 9))


def _interval(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "?"
    if high is None:
        return f">={low:,}"
    if low == high:
        return f"{low:,}"
    return f"{low if low is not None else 0:,}-{high:,}"


def _summary(
    figures: tuple[Figure, ...], places: tuple[str, ...], times: list[TimeMention]
) -> str:
    parts = [
        f"{f.outcome} {_interval(f.low, f.high)} {f.victims.replace('_', ' ')}"
        for f in figures
    ]
    where = f" in {', '.join(places)}" if places else ""
    when = ""
    if times:
        when = f" ({', '.join(t.text for t in times)})"
    return "; ".join(parts) + where + when
