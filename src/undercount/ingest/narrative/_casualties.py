"""Casualty statements: a quantity, who it counts, and what happened to them.

The rules look at each quantity phrase (see :mod:`._quantities`) and ask two
questions of its clause: *who* (a victim noun right after it: "of civilians",
"children") and *what happened* (an outcome word right after the victims, "were
killed", or right before the quantity, "killed and injured thousands"). A
quantity with neither is not a casualty figure ("nine-month", "one house") and is
dropped. When the outcome is only elsewhere in the sentence the statement is kept
with a lower confidence. Unquantified statements ("civilians were trapped") are
kept with a low confidence and ``quantity_kind="unspecified"``.
"""

from __future__ import annotations

import re

from undercount.ingest.narrative._model import Casualty, Outcome, VictimGroup
from undercount.ingest.narrative._quantities import QUANTITY, Quantity, parse_quantity
from undercount.ingest.narrative._text import Segment, sentence_at

_ADJ = (
    r"(?:(?:innocent|unarmed|ordinary|local|other|young|elderly|trapped|fleeing"
    r"|displaced|unidentified|more|Iraqi|Syrian|Kurdish|Yazidi|Yezidi|Arab|Christian"
    r"|Sunni|Shia|Turkmen|Shabak|Mosul|Raqqa|civilian|innocent|male|female"
    r"|additional|further)\s+)*"
)
_NOUNS: dict[str, VictimGroup] = {
    "civilians": "civilians", "civilian": "civilians",
    "non-combatants": "civilians", "noncombatants": "civilians",
    "people": "people", "persons": "people", "residents": "people",
    "inhabitants": "people", "villagers": "people", "individuals": "people",
    "victims": "people", "bodies": "people", "refugees": "people",
    "idps": "people", "worshippers": "people", "students": "people",
    "patients": "people", "others": "people",
    "children": "children", "kids": "children", "boys": "children",
    "girls": "children", "babies": "children", "infants": "children",
    "minors": "children", "child": "children",
    "women": "women", "men": "men", "families": "families",
    "family members": "family_members", "members of his family": "family_members",
    "members of her family": "family_members", "relatives": "family_members",
    "fighters": "combatants", "militants": "combatants", "soldiers": "combatants",
    "troops": "combatants", "combatants": "combatants", "policemen": "combatants",
}  # fmt: skip
_NOUN_RE = "|".join(sorted((re.escape(n) for n in _NOUNS), key=len, reverse=True))
_VICTIMS = re.compile(
    rf"\s*(?:of\s+(?:them|whom)\s+|(?:of\s+)?(?:the\s+|these\s+|those\s+)?)?"
    rf"(?P<v>{_ADJ}(?P<noun>{_NOUN_RE}))\b",
    re.IGNORECASE,
)

_OUTCOME_WORDS: list[tuple[Outcome, str]] = [
    ("killed", r"killed|killing|kills?|died|dead|deaths?|fatalities|slain|massacred"
     r"|executed|murdered|lost\s+their\s+lives|perished|death\s+toll|bodies"),
    ("injured", r"injured|injuring|injuries|wounded|wounding|hurt|maimed"
     r"|full\s+of\s+shrapnel|shrapnel\s+wounds"),
    ("casualties", r"casualties"),
    ("displaced", r"displaced|displacing|displacement|forced\s+to\s+flee|fled|fleeing"
     r"|forced\s+(?:out\s+)?from\s+(?:their|his|her)\s+homes|made\s+homeless"
     r"|homeless|become\s+refugees|became\s+refugees|evacuated|uprooted"
     r"|forcibly\s+(?:moved|transferred|relocated|displaced)|moved|expelled"),
    ("trapped", r"trapped|trapping|besieged|(?:used|held)\s+as\s+human\s+shields"
     r"|human\s+shields|under\s+siege"),
    ("missing", r"missing|disappeared|unaccounted\s+for|abducted|kidnapped"),
    ("harmed", r"harmed|harm"),
]  # fmt: skip
_OUTCOME_ANY = "|".join(f"(?:{pattern})" for _, pattern in _OUTCOME_WORDS)
_OUTCOME_TOKEN = re.compile(rf"\b(?:{_OUTCOME_ANY})\b", re.IGNORECASE)
_AUX = (
    r"(?:(?:were|was|have|has|had|are|is|been|being|be|got|reportedly|also|all"
    r"|later|still|now|remain|remained|remains|who|that|allegedly|either|or|and"
    r"|believed|thought|feared|to|have|left|being)\s+)*"
)
# Outcome right after the victims (or the bare quantity): "were killed".
_OUTCOME_AFTER = re.compile(
    rf"(?P<gap>(?:\s*,?\s*[\w'\u2019-]+){{0,6}}?)\s*,?\s*{_AUX}"
    rf"(?P<out>(?:{_OUTCOME_ANY})(?:\s*(?:,|and|or|and/or)\s*(?:{_OUTCOME_ANY}))*)\b",
    re.IGNORECASE,
)
_OUTCOME_AFTER_BARE = re.compile(
    rf"\s+{_AUX}(?P<out>(?:{_OUTCOME_ANY})(?:\s*(?:,|and|or)\s*(?:{_OUTCOME_ANY}))*)\b",
    re.IGNORECASE,
)
_ACTIVE = (
    r"killed|killing|kill|kills|injured|injuring|injure|wounded|wounding|wound"
    r"|displaced|displacing|displace|trapped|trapping|trap|moved|forced|evacuated"
    r"|expelled|abducted|kidnapped|claimed\s+the\s+lives\s+of|left|leaving"
    r"|deaths\s+of|death\s+of|killing\s+of|displacement\s+of"
    r"|death\s+toll\s+(?:of|at|to|rose\s+to|reached|has\s+risen\s+to|stands\s+at"
    r"|stood\s+at|of\s+at\s+least)|lives\s+of|harmed|harming"
)
# Outcome right before the quantity: "killed and injured thousands".
_OUTCOME_BEFORE = re.compile(
    rf"(?P<out>\b(?:{_ACTIVE})(?:\s*(?:,|and|or)\s*(?:{_ACTIVE}))*)"
    r"\s+(?:(?:the|as|many|an|estimated|at|least|more|than|some|nearly|almost"
    r"|over|up|to|a|total|of)\s+)*$",
    re.IGNORECASE,
)
_NOUN_OUTCOME = re.compile(
    r"\s+(?:of\s+(?:the|these|those)\s+)?(?:civilian\s+)?(?P<out>deaths|fatalities|casualties|dead|wounded|injured"
    r"|injuries|killed)\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"[\s-]*(?:years?|months?|weeks?|days?|hours?|minutes?|km|kilomet(?:re|er)s?"
    r"|miles?|met(?:re|er)s?|%|per\s*cent|percent|dollars|kg|tons?|tonnes|times"
    r"|am|pm|GMT)\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_YEAR_CONTEXT = re.compile(
    rf"(?:{_MONTHS}|in|since|of|by|until|from|early|late|mid)\s*$"
)
_LOST = re.compile(
    r"\blost\s+(?P<q>a|one|two|three|four|five|\d+)\s+"
    r"(?P<v>family\s+members?|relatives?|sons?|daughters?|children|loved\s+ones?)\b",
    re.IGNORECASE,
)
# A quantity that only says where victims came from ("29 people from two families")
# or that counts a subgroup ("19 civilians, including seven children").
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_SUBGROUP_BEFORE = re.compile(
    r"\b(?:including|among\s+them|of\s+whom|mostly|incl\.)\s+$", re.IGNORECASE
)
_UNQUANTIFIED_ACTIVE = re.compile(
    r"\b(?P<out>(?:killing|killed|wounding|wounded|injuring|injured)(?:\s+(?:and|or)\s+"
    r"(?:killing|killed|wounding|wounded|injuring|injured))?)\s+(?:the\s+)?"
    r"(?P<v>(?P<noun>civilians|people|children|women|residents))\b",
    re.IGNORECASE,
)
_UNQUANTIFIED_REDUCED = re.compile(
    r"\b(?P<v>(?P<noun>civilians|people|families|residents))\s+(?P<out>trapped|killed"
    r"|wounded|injured|displaced)\s+(?:in|by|during|inside|under)\b",
    re.IGNORECASE,
)
_UNQUANTIFIED = re.compile(
    rf"\b(?P<v>{_ADJ}(?P<noun>civilians|people|children|women|families|residents))"
    rf"\s+(?:who\s+|that\s+)?(?:were|had\s+been|have\s+been|are|was|remain|remained)"
    r"\s+(?:\w+\s+)?(?P<out>killed|injured|wounded|trapped|displaced|missing"
    r"|full\s+of\s+shrapnel|forced\s+to\s+flee|besieged)\b",
    re.IGNORECASE,
)


def outcomes_in(phrase: str) -> tuple[Outcome, ...]:
    """Return the outcomes named in ``phrase``, in order, without repeats."""
    found: list[Outcome] = []
    for token in _OUTCOME_TOKEN.finditer(phrase):
        word = token.group().lower()
        for outcome, pattern in _OUTCOME_WORDS:
            if re.fullmatch(pattern, word, re.IGNORECASE) and outcome not in found:
                found.append(outcome)
                break
    for active, outcome in (
        (r"kill|claimed\s+the\s+lives|lives\s+of|death", "killed"),
        (r"injur|wound", "injured"),
        (r"displac|forced|expelled|moved|evacuated", "displaced"),
        (r"trap", "trapped"),
        (r"abduct|kidnap", "missing"),
        (r"harm", "harmed"),
    ):
        if re.search(active, phrase, re.IGNORECASE) and outcome not in found:
            found.append(outcome)
    return tuple(found)


def find_casualties(text: str, sents: list[Segment]) -> list[Casualty]:
    """Find casualty statements in normalised ``text`` (ids are assigned later)."""
    out: list[Casualty] = []
    quantities = [
        (m, q) for m in QUANTITY.finditer(text) if (q := parse_quantity(m)) is not None
    ]
    outer: Casualty | None = None
    for index, (_match, quantity) in enumerate(quantities):
        sentence = sentence_at(sents, quantity.start)
        if sentence is None:
            continue
        before = text[max(sentence.start, quantity.start - 20) : quantity.start]
        nested = outer is not None and outer.start <= quantity.start < outer.end
        if nested and _FROM_BEFORE.search(before):
            continue
        limit = sentence.end
        for next_index in range(index + 1, len(quantities)):
            following = quantities[next_index][1]
            if following.start >= limit:
                break  # later figures cannot narrow the limit
            ahead = text[max(0, following.start - 20) : following.start]
            if not (_FROM_BEFORE.search(ahead) or _SUBGROUP_BEFORE.search(ahead)):
                limit = min(limit, following.start)
                break
        found = _statement(text, quantity, sentence, limit)
        subgroup = nested and _SUBGROUP_BEFORE.search(before)
        if found is None and subgroup and outer is not None:
            found = _subgroup(text, quantity, outer, sentence.end)
        if found is not None:
            out.append(found)
            if outer is None or found.end > outer.end:
                outer = found
    out.extend(_lost_relatives(text))
    covered = bytearray(len(text))  # 1 where a statement was already found
    for found_statement in out:
        covered[found_statement.start : found_statement.end] = b"\x01" * (
            found_statement.end - found_statement.start
        )
    unquantified = [
        *_UNQUANTIFIED.finditer(text),
        *_UNQUANTIFIED_ACTIVE.finditer(text),
        *_UNQUANTIFIED_REDUCED.finditer(text),
    ]
    for m in sorted(unquantified, key=lambda m: m.start()):
        if any(covered[m.start() : m.end()]):
            continue
        covered[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        end = max(m.end("out"), m.end("v"))
        out.append(
            Casualty(
                id="",
                start=m.start(),
                end=end,
                text=text[m.start() : end],
                confidence=0.35,
                quantity_text="",
                quantity_kind="unspecified",
                low=None,
                high=None,
                outcomes=outcomes_in(m.group("out")),
                victims=_NOUNS.get(m.group("noun").lower(), "people"),
                victims_text=m.group("v"),
            )
        )
    return out


def _statement(
    text: str, q: Quantity, sentence: Segment, limit: int
) -> Casualty | None:
    """Build the casualty statement around quantity ``q``, or ``None``."""
    if _is_year_or_unit(text, q):
        return None
    start, end = q.start, q.end
    victims: VictimGroup = "unspecified"
    victims_text: str | None = None
    outcomes: tuple[Outcome, ...] = ()
    confidence = 0.0
    vm = _VICTIMS.match(text, q.end, limit)
    after_from = q.end
    if vm:
        victims = _NOUNS.get(vm.group("noun").lower(), "people")
        victims_text = vm.group("v")
        end = vm.end()
        after_from = vm.end()
    noun = _NOUN_OUTCOME.match(text, after_from, limit)
    before = _OUTCOME_BEFORE.search(text[max(sentence.start, q.start - 60) : q.start])
    if noun:
        outcomes = outcomes_in(noun.group("out"))
        end = noun.end()
        victims = "civilians" if "civilian" in noun.group().lower() else victims
        victims = "people" if victims == "unspecified" else victims
        confidence = 0.85
    elif before:
        outcomes = outcomes_in(before.group("out"))
        start = (
            q.start
            - (len(text[max(sentence.start, q.start - 60) : q.start]))
            + (before.start("out"))
        )
        confidence = 0.85 if vm else 0.6
    else:
        pattern = _OUTCOME_AFTER if vm else _OUTCOME_AFTER_BARE
        am = pattern.match(text, after_from, limit)
        if am and not re.search(r"[.;:!?]", am.group()):
            outcomes = outcomes_in(am.group("out"))
            end = am.end()
            confidence = 0.9 if vm else 0.75
    if not outcomes and vm:
        nearest = _nearest_outcome(text, sentence, q.start)
        if nearest:
            outcomes = nearest
            confidence = 0.55
    if not outcomes:
        return None
    if q.kind == "vague":
        confidence -= 0.05
    if victims == "unspecified" and not vm:
        victims = "people" if outcomes[0] in ("displaced",) else "unspecified"
    return Casualty(
        id="",
        start=start,
        end=end,
        text=text[start:end],
        confidence=round(max(confidence, 0.1), 2),
        quantity_text=q.text,
        quantity_kind=q.kind,
        low=q.low,
        high=q.high,
        outcomes=outcomes,
        victims=victims,
        victims_text=victims_text,
        relative=q.relative,
    )


def _subgroup(text: str, q: Quantity, outer: Casualty, limit: int) -> Casualty | None:
    """'including seven children': a subgroup sharing the outer statement's outcome."""
    vm = _VICTIMS.match(text, q.end, limit)
    if vm is None:
        return None
    return Casualty(
        id="",
        start=q.start,
        end=vm.end(),
        text=text[q.start : vm.end()],
        confidence=round(max(outer.confidence - 0.1, 0.1), 2),
        quantity_text=q.text,
        quantity_kind=q.kind,
        low=q.low,
        high=q.high,
        outcomes=outer.outcomes,
        victims=_NOUNS.get(vm.group("noun").lower(), "people"),
        victims_text=vm.group("v"),
        relative=q.relative,
    )


_OUTCOME_WINDOW = 600


def _nearest_outcome(
    text: str, sentence: Segment, position: int
) -> tuple[Outcome, ...]:
    """The outcome word nearest to ``position`` in the sentence, if any.

    Only ``_OUTCOME_WINDOW`` characters either side are searched, so a run-on
    "sentence" (a long line without full stops) stays linear.
    """
    best: tuple[int, str] | None = None
    lo = max(sentence.start, position - _OUTCOME_WINDOW)
    hi = min(sentence.end, position + _OUTCOME_WINDOW)
    for m in _OUTCOME_TOKEN.finditer(text, lo, hi):
        if m.group().lower() in ("harm", "moved", "left", "fled", "fleeing"):
            continue
        distance = abs(m.start() - position)
        if best is None or distance < best[0]:
            best = (distance, m.group())
    return outcomes_in(best[1]) if best else ()


def _is_year_or_unit(text: str, q: Quantity) -> bool:
    """A year ("in 2017"), a measure ("9 km", "three days") or a percentage."""
    if _UNIT_AFTER.match(text, q.end):
        return True
    if q.value is not None and q.kind == "exact" and 1900 <= q.value <= 2100:
        bare = q.text.strip()
        if bare.isdigit() and (
            _YEAR_CONTEXT.search(text[max(0, q.start - 12) : q.start])
            or not _VICTIMS.match(text, q.end)
        ):
            return True
    prev = text[max(0, q.start - 1) : q.start]
    return prev in ("/", ":")


def _lost_relatives(text: str) -> list[Casualty]:
    """'had lost a family member': a death reported by a relative."""
    out: list[Casualty] = []
    for m in _LOST.finditer(text):
        word = m.group("q").lower()
        value = 1 if word in ("a", "one") else _SMALL_WORDS.get(word)
        if value is None and word.isdigit():
            value = int(word)
        out.append(
            Casualty(
                id="",
                start=m.start(),
                end=m.end(),
                text=m.group(),
                confidence=0.5,
                quantity_text=m.group("q"),
                quantity_kind="exact",
                low=value,
                high=value,
                outcomes=("killed",),
                victims="family_members",
                victims_text=m.group("v"),
            )
        )
    return out


_SMALL_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}
