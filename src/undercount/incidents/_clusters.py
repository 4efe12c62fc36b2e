"""Incident clusters: the reports of one event, each source's figures kept.

A cluster never averages: it lists every member report with its own figures,
and derives only spans (``reported_range``: lowest and highest death figure any
source gave) and sets (sources, places, alleged belligerents by source). Its
:class:`Link` records say which evidence joined which reports.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from undercount.incidents._record import IncidentRecord
from undercount.incidents._vocab import UNKNOWN, Vocabulary

__all__ = ["IncidentCluster", "KilledSpan", "Link", "cluster_id_for"]


@dataclass(frozen=True, slots=True)
class KilledSpan:
    """Documented deaths of one incident for totals (see
    :meth:`IncidentCluster.killed_span`)."""

    low: int
    high: int
    low_reported: bool
    high_open: bool


@dataclass(frozen=True, slots=True)
class Link:
    """Why two reports were (or were not) joined.

    Attributes
    ----------
    key_a, key_b
        Report keys, ``key_a < key_b``.
    score
        Total points (``nan`` for a reviewer's link).
    parts
        Points per feature.
    reasons
        Sentences naming the values compared.
    origin
        ``"score"`` (automatic) or ``"reviewer"`` (a must-link decision).
    accepted
        Whether it joined the two clusters; ``False`` with ``note`` when a
        constraint blocked it.
    """

    key_a: str
    key_b: str
    score: float
    parts: Mapping[str, float]
    reasons: tuple[str, ...]
    origin: str = "score"
    accepted: bool = True
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key_a": self.key_a,
            "key_b": self.key_b,
            "score": None if self.score != self.score else round(self.score, 3),
            "parts": {k: v for k, v in self.parts.items() if v},
            "reasons": list(self.reasons),
            "origin": self.origin,
            "accepted": self.accepted,
            "note": self.note,
        }


def cluster_id_for(keys: Sequence[str]) -> str:
    """A stable id from the member keys (same members -> same id)."""
    digest = hashlib.sha1("\n".join(sorted(keys)).encode("utf-8")).hexdigest()
    return f"IC-{digest[:10]}"


@dataclass(frozen=True)
class IncidentCluster:
    """The reports judged to describe one event.

    Attributes
    ----------
    cluster_id
        Stable id derived from the member keys.
    records
        Member reports, sorted by key.
    links
        Accepted links between members (a spanning set: why they are together).
    """

    cluster_id: str
    records: tuple[IncidentRecord, ...]
    links: tuple[Link, ...] = ()
    _vocab: Vocabulary = field(default_factory=Vocabulary, repr=False, compare=False)

    @property
    def keys(self) -> tuple[str, ...]:
        """Member report keys."""
        return tuple(r.key for r in self.records)

    @property
    def sources(self) -> tuple[str, ...]:
        """Distinct reporting sources, sorted."""
        return tuple(sorted({r.source for r in self.records}))

    def figures_by_source(self) -> dict[str, list[tuple[str, int | None, int | None]]]:
        """``{source: [(incident_id, killed_min, killed_max), ...]}`` as reported."""
        out: dict[str, list[tuple[str, int | None, int | None]]] = {}
        for r in self.records:
            out.setdefault(r.source, []).append(
                (r.incident.incident_id, r.incident.killed_min, r.incident.killed_max)
            )
        return out

    def reported_range(self) -> tuple[int, int] | None:
        """Lowest and highest death figure any member reported (``None``: none).

        Not an estimate: the span of what sources said. "At least 163" and
        "up to 200" contribute 163 and 200.
        """
        figures = [v for r in self.records for v in r.figures()]
        return (min(figures), max(figures)) if figures else None

    def killed_span(self) -> KilledSpan | None:
        """Documented deaths as ``(low, high)`` for totals (``None``: no figure).

        ``low`` is the lowest *lower bound* any source stated (``killed_min``), or
        0 when every source gave only an "up to" figure (``low_reported`` false);
        ``high`` the highest figure stated, open-ended (``high_open``) when no
        source gave an upper bound. Conservative both ways; never averaged.
        """
        mins = [
            r.incident.killed_min
            for r in self.records
            if r.incident.killed_min is not None
        ]
        maxes = [
            r.incident.killed_max
            for r in self.records
            if r.incident.killed_max is not None
        ]
        if not mins and not maxes:
            return None
        low = min(mins) if mins else 0
        high = max([*mins, *maxes])
        return KilledSpan(low, high, bool(mins), not maxes)

    def window(self) -> tuple[datetime.date, datetime.date] | None:
        """Days the event can fall in: the intersection of the members' windows
        when they share days, else their union (reports disagree)."""
        spans = [
            (r.first_day, r.last_day)
            for r in self.records
            if r.first_day is not None and r.last_day is not None
        ]
        if not spans:
            return None
        first = max(s[0] for s in spans if s[0] is not None)
        last = min(s[1] for s in spans if s[1] is not None)
        if first <= last:
            return first, last
        return (
            min(s[0] for s in spans if s[0] is not None),
            max(s[1] for s in spans if s[1] is not None),
        )

    def place(self) -> tuple[str, str] | None:
        """``(place_id, name)`` most members resolved to (most specific on ties)."""
        hits = [r.place for r in self.records if r.place is not None]
        if not hits:
            return None
        counts = Counter(h.place_id for h in hits)
        levels = {"landmark": 0, "neighbourhood": 0, "area": 1, "city": 2}
        best = min(
            hits,
            key=lambda h: (-counts[h.place_id], levels.get(h.level, 3), h.place_id),
        )
        return best.place_id, best.name

    def place_names(self) -> tuple[str, ...]:
        """Place names as the sources wrote them."""
        return tuple(
            sorted({r.incident.place for r in self.records if r.incident.place})
        )

    def belligerents_by_source(self) -> dict[str, frozenset[str]]:
        """Alleged belligerent families per source (unknown parties left out)."""
        out: dict[str, set[str]] = {}
        for r in self.records:
            families = self._vocab.belligerent_families(r.incident.belligerents)
            out.setdefault(r.source, set()).update(families - {UNKNOWN})
        return {k: frozenset(v) for k, v in out.items()}

    def alleged_belligerents(self) -> frozenset[str]:
        """Every belligerent family any source alleged."""
        out: set[str] = set()
        for families in self.belligerents_by_source().values():
            out |= families
        return frozenset(out)

    def parties(self) -> frozenset[str]:
        """Families of the parties to the fighting that sources name without
        attributing the deaths to any of them (see ``Incident.parties``)."""
        out: set[str] = set()
        for r in self.records:
            out |= self._vocab.belligerent_families(r.incident.parties)
        return frozenset(out - {UNKNOWN})

    def summary(self) -> dict[str, Any]:
        """JSON-ready description: members with their own figures, spans, links."""
        window = self.window()
        place = self.place()
        rng = self.reported_range()
        span = self.killed_span()
        return {
            "cluster_id": self.cluster_id,
            "sources": list(self.sources),
            "window": [window[0].isoformat(), window[1].isoformat()]
            if window
            else None,
            "place": place[1] if place else None,
            "place_id": place[0] if place else None,
            "reported_killed": list(rng) if rng else None,
            "documented_killed": [span.low, span.high] if span else None,
            "alleged": sorted(self.alleged_belligerents()),
            "parties": sorted(self.parties()),
            "members": [
                {
                    "key": r.key,
                    "date": str(r.incident.date) if r.incident.date else None,
                    "place": r.incident.place,
                    "killed_min": r.incident.killed_min,
                    "killed_max": r.incident.killed_max,
                    "belligerents": list(r.incident.belligerents),
                    "parties": list(r.incident.parties),
                    "weapon": r.incident.weapon,
                    "source_refs": list(r.incident.source_refs),
                }
                for r in self.records
            ],
            "links": [link.to_dict() for link in self.links],
        }
