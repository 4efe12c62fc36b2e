"""Which casualty statements make one proposed incident.

Three rules refine the paragraph grouping of :mod:`._incidents`:

- *Personal loss is no incident.* "had lost a family member" tells of a
  witness's (or interviewees') bereavement; the statement stays a casualty
  mention but does not propose an incident of its own.
- *One paragraph, several events.* A paragraph is split at a sentence whose
  figures come with a weapon, a date or a place that the sentences before it
  did not name ("An airstrike on al-Jadida killed 105 ... On 20 March a mortar
  round in Zanjili killed three children"). Sentences without figures stay
  with the group before them.
- *A headline and its body are one aggregate.* A headline figure ("Thousands
  More Dead") merges into the first later aggregate incident with an
  overlapping figure for the same outcome and a compatible place, instead of
  standing as a second battle-wide incident.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from undercount.ingest.narrative._model import (
    Actor,
    Casualty,
    Place,
    TimeMention,
    Weapon,
)
from undercount.ingest.narrative._text import Segment, sentences

_LOST = re.compile(r"\blost\b", re.IGNORECASE)
_HEADLINE_MAX_CHARS = 200
_HEADLINE_END = (".", "!", "?", ":", ";", "\u201d", '"', "\u2019", ")")


def is_personal_loss(casualty: Casualty) -> bool:
    """A bereavement statement ("had lost a family member"), not an event."""
    return casualty.victims == "family_members" and bool(_LOST.search(casualty.text))


def is_headline(text: str) -> bool:
    """A short line without closing punctuation (a title or headline)."""
    line = text.strip()
    return 0 < len(line) <= _HEADLINE_MAX_CHARS and not line.endswith(_HEADLINE_END)


@dataclass
class Group:
    """Mentions that make one proposed incident, with the span they cover."""

    start: int
    end: int
    key: str  # what the proposal id is derived from
    headline: bool = False
    casualties: list[Casualty] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    weapons: list[Weapon] = field(default_factory=list)


_M = TypeVar("_M", Casualty, Place, TimeMention, Actor, Weapon)


def _within(mentions: Sequence[_M], start: int, end: int) -> list[_M]:
    return [m for m in mentions if start <= m.start < end]


def _context(group: Group) -> tuple[set[str], set[str], set[str]]:
    weapons = {w.weapon_id for w in group.weapons}
    dates = {t.value for t in group.times if t.value and t.time_kind != "duration"}
    places = {p.place_id for p in group.places} | {
        p.parent_id for p in group.places if p.parent_id
    }
    return weapons, dates, places


def _distinct(new: Group, current: Group) -> bool:
    """Does ``new`` name a weapon, date or place unrelated to ``current``'s?"""
    new_w, new_d, _ = _context(new)
    cur_w, cur_d, cur_p = _context(current)
    if new_w and cur_w and not new_w & cur_w:
        return True
    if new_d and cur_d and not new_d & cur_d:
        return True
    new_places = {p.place_id for p in new.places}
    new_related = new_places | {p.parent_id for p in new.places if p.parent_id}
    return bool(new_places and cur_p and not new_related & cur_p)


def split_paragraph(
    text: str,
    para: Segment,
    casualties: list[Casualty],
    places: list[Place],
    times: list[TimeMention],
    actors: list[Actor],
    weapons: list[Weapon],
) -> list[Group]:
    """The paragraph's mentions in one group per distinct event (see module doc)."""
    whole = Group(para.start, para.end, f"{para.start}:{para.end}")
    whole.headline = is_headline(para.text)
    whole.casualties, whole.places, whole.times = casualties, places, times
    whole.actors, whole.weapons = actors, weapons
    sents = sentences(text, para.start, para.end)
    with_figures = [s for s in sents if _within(casualties, s.start, s.end)]
    if len(with_figures) < 2:
        return [whole]
    groups: list[Group] = []
    for sent in sents:
        piece = Group(sent.start, sent.end, "")
        piece.casualties = _within(casualties, sent.start, sent.end)
        piece.places = _within(places, sent.start, sent.end)
        piece.times = _within(times, sent.start, sent.end)
        piece.actors = _within(actors, sent.start, sent.end)
        piece.weapons = _within(weapons, sent.start, sent.end)
        current = groups[-1] if groups else None
        starts_new = current is None or (
            piece.casualties and current.casualties and _distinct(piece, current)
        )
        if starts_new:
            groups.append(piece)
        else:
            assert current is not None
            current.end = piece.end
            current.casualties += piece.casualties
            current.places += piece.places
            current.times += piece.times
            current.actors += piece.actors
            current.weapons += piece.weapons
    if len(groups) == 1:
        return [whole]
    groups[0].start = para.start
    groups[-1].end = para.end
    for index, group in enumerate(groups):
        # The first keeps the paragraph's key: an unsplit paragraph's id is stable.
        group.key = whole.key if index == 0 else f"{group.start}:{group.end}"
    return groups
