"""Joining scored pairs into groups, under constraints and guards.

Pairs reaching the threshold are merged strongest first (single link), after a
reviewer's must-links. A merge is refused, and kept with its reason, when

- a reviewer separated two of the reports (cannot-link);
- it would put two reports of one source together (a source reports an event
  once; ``one_record_per_source``);
- it is *ambiguous*: one of the two reports fits two reports of the other's
  source about equally well (within ``ambiguity_margin`` points), so which event
  it describes is a reviewer's choice, not the matcher's;
- it would join reports that contradict each other (``min_member_score``): every
  pair of members of the merged group must be a candidate pair scoring at least
  that much, so that a chain A-B-C does not join A and C when their dates,
  places or figures rule that out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from undercount.incidents._clusters import Link
from undercount.incidents._decisions import DecisionState
from undercount.incidents._prepare import Floats, Ints, Prepared
from undercount.incidents._record import IncidentRecord
from undercount.incidents._scoring import PairScores, explain_pair
from undercount.incidents._settings import MatchSettings

__all__ = ["Components", "link_pairs"]


class Components:
    """Union-find over record indices with per-component sources and members."""

    def __init__(self, records: Sequence[IncidentRecord]) -> None:
        self.parent = list(range(len(records)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(records))}
        self.sources: dict[int, set[str]] = {
            i: {r.source} for i, r in enumerate(records)
        }

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.sources[ra] |= self.sources.pop(rb)


class _PairScores:
    """Total points of candidate pairs, looked up by record indices."""

    def __init__(self, n: int, i: Ints, j: Ints, total: Floats) -> None:
        self.n = n
        codes = np.minimum(i, j) * n + np.maximum(i, j)
        if len(codes) > 1 and bool(np.any(codes[1:] < codes[:-1])):
            order = np.argsort(codes, kind="stable")
            codes, total = codes[order], total[order]
        self.codes = codes
        self.total = total

    def get(self, a: int, b: int) -> float | None:
        """The pair's points, or ``None`` when it was not a candidate."""
        code = min(a, b) * self.n + max(a, b)
        k = int(np.searchsorted(self.codes, code))
        if k < len(self.codes) and int(self.codes[k]) == code:
            return float(self.total[k])
        return None


@dataclass(frozen=True, slots=True)
class _Rivals:
    """A report with several partners of one source scoring about equally."""

    report: int
    partners: tuple[int, ...]
    message: str


def _ambiguous(
    prep: Prepared, i: Ints, j: Ints, total: Floats, settings: MatchSettings
) -> dict[int, list[_Rivals]]:
    """Pairs (positions in ``i``/``j``) above the threshold that may be
    ambiguous: one of their reports has another partner of the same source
    scoring within ``ambiguity_margin`` of the best (which event is it?). Whether
    they still are is decided at merge time (:func:`_still_ambiguous`): rivals
    already grouped together, e.g. by a reviewer, are no longer a choice."""
    margin = settings.ambiguity_margin
    above = np.flatnonzero(total >= settings.threshold)
    if margin is None or len(above) == 0:
        return {}
    # Each pair seen from both ends: (report, partner's source) groups.
    own = np.concatenate([i[above], j[above]])
    other = np.concatenate([j[above], i[above]])
    pos = np.concatenate([above, above])
    points = total[pos]
    group = own * (len(prep.sources) + 1) + prep.source[other]
    order = np.lexsort((-points, group))
    group, points, pos, own, other = (
        group[order],
        points[order],
        pos[order],
        own[order],
        other[order],
    )
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    multi = starts[sizes > 1]
    out: dict[int, list[_Rivals]] = {}
    for start, size in zip(multi.tolist(), sizes[sizes > 1].tolist(), strict=True):
        best = points[start]
        rivals = [k for k in range(start, start + size) if points[k] >= best - margin]
        if len(rivals) < 2:
            continue
        who = prep.records[int(own[start])].key
        names = ", ".join(
            f"{prep.records[int(other[k])].key} ({points[k]:.1f})" for k in rivals
        )
        entry = _Rivals(
            int(own[start]),
            tuple(int(other[k]) for k in rivals),
            f"ambiguous: {who} fits {names} about equally well "
            f"(within {margin:g} points); a reviewer should choose",
        )
        for k in rivals:
            out.setdefault(int(pos[k]), []).append(entry)
    return out


def _still_ambiguous(
    comps: Components, a: int, b: int, entries: list[_Rivals]
) -> str | None:
    """The message of the first rival set not yet settled by earlier merges."""
    for entry in entries:
        partner = b if entry.report == a else a
        group = comps.find(partner)
        if any(comps.find(p) != group for p in entry.partners):
            return entry.message
    return None


def _conflict(
    comps: Components,
    a: int,
    b: int,
    pairs: _PairScores,
    records: Sequence[IncidentRecord],
    floor: float | None,
) -> str | None:
    """Why the groups of ``a`` and ``b`` cannot be one event, judged on every
    pair of their members (a chain must not join reports that contradict)."""
    if floor is None:
        return None
    ra, rb = comps.find(a), comps.find(b)
    for x in comps.members[ra]:
        for y in comps.members[rb]:
            if (x, y) == (a, b) or (x, y) == (b, a):
                continue
            points = pairs.get(x, y)
            if points is None:
                return (
                    f"{records[x].key} and {records[y].key} would be in one group "
                    "but are too far apart in time or place to be one event"
                )
            if points < floor:
                return (
                    f"{records[x].key} and {records[y].key} would be in one group "
                    f"but their evidence is against it ({points:.1f} points)"
                )
    return None


def _blocker(
    comps: Components,
    a: int,
    b: int,
    cannot: dict[int, set[int]],
    records: Sequence[IncidentRecord],
    *,
    check_sources: bool,
) -> str | None:
    ra, rb = comps.find(a), comps.find(b)
    if ra == rb:
        return None
    small, other = (
        (ra, rb) if len(comps.members[ra]) <= len(comps.members[rb]) else (rb, ra)
    )
    for i in comps.members[small]:
        for j in cannot.get(i, ()):
            if comps.find(j) == other:
                return (
                    f"a reviewer decided {records[i].key} and {records[j].key} "
                    "are different events (cannot-link)"
                )
    if check_sources:
        shared = comps.sources[ra] & comps.sources[rb]
        if shared:
            names = ", ".join(sorted(shared))
            return (
                f"both groups already hold a report from {names} "
                "(one report per event and source)"
            )
    return None


def link_pairs(
    records: Sequence[IncidentRecord],
    prep: Prepared,
    ci: Ints,
    cj: Ints,
    scores: PairScores,
    settings: MatchSettings,
    state: DecisionState,
    index: Mapping[str, int],
) -> tuple[Components, list[Link], list[Link]]:
    """Reviewer must-links first, then scored pairs strongest first, each merge
    checked against the constraints and guards (module docstring).

    Returns the groups, the accepted links and the refused ones (with why).
    """
    cannot: dict[int, set[int]] = {}
    for a_key, b_key in state.cannot_link:
        a, b = index[a_key], index[b_key]
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)
    comps = Components(records)
    accepted: list[Link] = []
    blocked: list[Link] = []
    for (a_key, b_key), decision in sorted(state.must_link.items()):
        a, b = index[a_key], index[b_key]
        why = _blocker(comps, a, b, cannot, records, check_sources=False)
        link = Link(
            a_key,
            b_key,
            float("nan"),
            {},
            (f"reviewer {decision.reviewer}: {decision.reason}",),
            origin="reviewer",
            accepted=why is None,
            note=why,
        )
        (accepted if why is None else blocked).append(link)
        if why is None:
            comps.union(a, b)
    order = np.flatnonzero(scores.total >= settings.threshold)
    order = order[np.lexsort((cj[order], ci[order], -scores.total[order]))]
    ambiguous = _ambiguous(prep, ci, cj, scores.total, settings)
    lookup = _PairScores(len(records), ci, cj, scores.total)
    for k in order.tolist():
        a, b = int(ci[k]), int(cj[k])
        if comps.find(a) == comps.find(b):
            continue
        why = _blocker(
            comps, a, b, cannot, records, check_sources=settings.one_record_per_source
        )
        if why is None and k in ambiguous:
            why = _still_ambiguous(comps, a, b, ambiguous[k])
        if why is None:
            why = _conflict(comps, a, b, lookup, records, settings.min_member_score)
        key_a, key_b = sorted((records[a].key, records[b].key))
        link = Link(
            key_a,
            key_b,
            float(scores.total[k]),
            {f: float(v[k]) for f, v in scores.parts.items()},
            tuple(explain_pair(scores, k, prep)),
            accepted=why is None,
            note=why,
        )
        if why is None:
            comps.union(a, b)
            accepted.append(link)
        else:
            blocked.append(link)
    return comps, accepted, blocked
