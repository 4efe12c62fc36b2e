"""Who is speaking: parse a subject phrase into name, role and organisation.

Used for quotations ("X said:") and reported speech ("X refutes claims that").
The phrase is the grammatical subject before a speech verb, e.g. "U.S Military
Lieutenant General Stephen Townsend, who is in charge of the military campaign
against ISIS" or "Amnesty International's Iraq Expert and main researcher,
(who spent weeks ...)". Rules, in order: a titled name ("Lieutenant General
Stephen Townsend"); "Name, role at Org,"; "Org's role"; "Org role Name"; an
organisation alone; a pronoun (resolved by the caller to the last speaker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from undercount.ingest.narrative._lexicon import ACTORS, ORGANISATIONS, find_terms

SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stated|states|explained|explains"
    r"|wrote|writes|warned|warns|noted|notes|insisted|insists|claimed|claims"
    r"|argued|argues|asserted|asserts|declared|declares|recalled|recalls|described"
    r"|describes|refuted|refutes|denied|denies|responded|responds|replied|replies"
    r"|continued|urged|urges|concluded|concludes|commented|reported|reports"
    r"|is\s+reporting|was\s+reporting|has\s+reported|have\s+reported|accused|accuses"
    r"|alleged|alleges|estimated|estimates|documented|found|find|acknowledged"
    r"|acknowledges|admitted|admits|confirmed|confirms|maintained|maintains"
    r"|made\s+the\s+statement|in\s+a\s+statement|according\s+to|in\s+the\s+words\s+of"
    r"|rejected|rejects|dismissed|dismisses)\b",
    re.IGNORECASE,
)
_TITLE = (
    r"(?:(?:Lieutenant|Lietenant|Lt\.?|Major|Maj\.?|Brigadier|Brig\.?|General|Gen\.?"
    r"|Colonel|Col\.?|Lieutenant\s+Colonel|Captain|Capt\.?|Sergeant|Sgt\.?|Admiral"
    r"|Adm\.?|Commander|Cmdr\.?|President|Prime\s+Minister|Minister|Governor|Mayor"
    r"|Sheikh|Shaikh|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Professor|Prof\.?|Spokesman"
    r"|Spokeswoman|Spokesperson|Secretary|Ambassador|Senator|Sen\.?|Rep\.?|Chief"
    r"|Director|Defense\s+Secretary|Defence\s+Secretary|Special\s+Rapporteur"
    r"|Army|Air\s+Force|Marine|Staff|Sgt|Imam|Father|Judge|Deputy)\s+)+"
)
_NAME = (
    r"[A-Z][a-z\u00c0-\u024f'\u2019-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|abu\s+|de\s+"
    r"|van\s+|von\s+)?[A-Z][a-z\u00c0-\u024f'\u2019-]+){0,3}"
)
_TITLED = re.compile(rf"(?P<title>{_TITLE})(?P<name>{_NAME})")
_NAME_ROLE = re.compile(
    r"^(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z'\u2019-]+){1,3}),\s+"
    r"(?P<role>.{3,200})$"
)
_ROLE_NAME = re.compile(
    r"^(?P<role>.{3,80}?)\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z]"
    r"[a-z'\u2019-]+){1,2})$"
)
_POSSESSIVE = re.compile(r"['\u2019]s\s+(?P<role>[^,(]+)")
_PRONOUN = re.compile(
    r"^(?:he|she|they|I|we|the\s+(?:official|researcher|spokes"
    r"(?:man|woman|person)|commander|general|witness|resident))$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:and|but|so|however|meanwhile|moreover|also|then|instead|yet|while"
    r"|in\s+response|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday))[,\s]+)+",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "In",
        "On",
        "At",
        "For",
        "But",
        "And",
        "When",
        "While",
        "After",
        "Before",
        "During",
        "Since",
        "Iraqi",
        "Syrian",
        "US",
        "American",
        "Coalition",
    ]
)
_WITNESS = re.compile(
    r"\b(?:resident|witness|survivor|father|mother|son|daughter|brother|sister"
    r"|man|woman|farmer|teacher|shopkeeper|displaced|neighbou?r|relative)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"^(?:the|a|an)\s+(?:\w+\s+){0,3}(?:report|statement|agency|mission|office"
    r"|organi[sz]ation|ministry|monitor|group|military|army|coalition|police"
    r"|government|spokes(?:man|woman|person)|official|source|UN|committee)s?$",
    re.IGNORECASE,
)
_OFFICIAL = re.compile(
    r"\b(?:General|Gen\.|Colonel|Col\.|Lieutenant|Lt\.|Major|Commander|spokes(?:man"
    r"|woman|person)|minister|ministry|official|officer|commander|military"
    r"|Pentagon|government|army|governor|mayor)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A parsed speaker: label for display plus name, role and organisation."""

    label: str
    name: str | None
    role: str | None
    organisation: str | None
    org_type: str | None
    start: int
    end: int
    pronoun: bool = False


_MAX_RAW_PHRASE = 1000


def _clean(phrase: str) -> str:
    phrase = re.sub(r"\([^)]*\)?", " ", phrase)
    phrase = re.sub(r",\s*(?:aged\s+)?\d{1,3}\b(?:,)?", "", phrase)  # ages: "Ali, 45,"
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-\u2014\u2013")
    return _LEADING.sub("", phrase).strip(" ,")


def subject_before(text: str, start: int, verb_start: int) -> tuple[int, int] | None:
    """The subject span of a speech verb: the clause that ends at ``verb_start``.

    Walks back over commas: a segment that is a relative clause ("who is in charge
    of ...") or a parenthesis belongs to the noun phrase before it.
    """
    while verb_start > start and text[verb_start - 1] in " ,":
        verb_start -= 1
    region = text[start:verb_start]
    cut = start
    for m in re.finditer(
        r"[;\u2014]|,(?!\s*(?:\(|who\b|which\b|whose\b|a\s|an\s"
        r"|the\s))",
        region,
    ):
        cut = start + m.end()
    # A comma before "who ..." only counts if that comma does not start the subject.
    while cut < verb_start and text[cut] in " ,":
        cut += 1
    if verb_start - cut < 2:
        return None
    return cut, verb_start


def parse_speaker(text: str, start: int, end: int) -> Speaker | None:
    """Parse ``text[start:end]`` (a subject phrase) into a :class:`Speaker`.

    Phrases longer than ``_MAX_RAW_PHRASE`` characters are not speakers (the
    cleaned phrase must be at most 250); refusing them before cleaning keeps a
    run-on line with thousands of quotes linear.
    """
    if end - start > _MAX_RAW_PHRASE:
        return None
    raw = text[start:end]
    phrase = _clean(raw)
    if not phrase or len(phrase) > 250:
        return None
    offset = start + max(raw.find(phrase[:20]), 0)
    if _PRONOUN.match(phrase):
        return Speaker(
            phrase, None, None, None, None, offset, offset + len(phrase), pronoun=True
        )
    orgs = find_terms(phrase, ORGANISATIONS)
    actors = find_terms(phrase, ACTORS)
    organisation = org_type = None
    if orgs:
        organisation = phrase[orgs[0].start : orgs[0].end]
        org_type = _ORG_TYPES.get(orgs[0].entry_id, orgs[0].group)
    elif actors:
        organisation = phrase[actors[0].start : actors[0].end]
        org_type = "official"
    relative = re.search(r",?\s*(?P<rel>\b(?:who|which)\b\s+.+)$", phrase)
    core = phrase[: relative.start()] if relative else phrase
    titled = _TITLED.search(core)
    if titled and titled.group("name").split()[0] not in _NOT_NAMES:
        name = titled.group("name").strip()
        title = re.sub(r"\s+", " ", titled.group("title")).strip()
        before = core[: titled.start()].strip(" ,")
        role_parts = [part for part in (before, title) if part]
        appositive = core[titled.end() :].strip(" ,")
        role = " ".join(role_parts)
        for extra in (appositive, relative.group("rel").strip() if relative else ""):
            if extra:
                role = f"{role}, {extra}" if role else extra
        label = f"{title} {name}"
        n_start = text.find(titled.group().strip(), start, end)
        n_start = n_start if n_start >= 0 else offset
        return Speaker(
            label,
            name,
            role or None,
            organisation,
            org_type,
            n_start,
            n_start + len(titled.group().strip()),
        )

    def named(m: re.Match[str]) -> Speaker:
        """A "Name, role" or "role Name" speaker."""
        name = m.group("name")
        n_start = text.find(name, start, end)
        return Speaker(
            name,
            name,
            m.group("role").strip(),
            organisation,
            org_type,
            n_start,
            n_start + len(name),
        )

    m = _NAME_ROLE.match(core)
    if m and m.group("name").split()[0] not in _NOT_NAMES and not orgs_in(m, "name"):
        return named(m)
    possessive = _POSSESSIVE.search(core) if organisation else None
    if possessive:
        role = possessive.group("role").strip()
        return Speaker(
            f"{organisation}'s {role}",
            None,
            role,
            organisation,
            org_type,
            offset,
            offset + len(core),
        )
    if organisation and core.endswith(organisation):
        org_role = core[: -len(organisation)].strip(" ,") or None
        return Speaker(
            organisation,
            None,
            org_role,
            organisation,
            org_type,
            offset,
            offset + len(core),
        )
    bare_name = re.fullmatch(_NAME, core) and 1 <= len(core.split()) <= 4
    if bare_name and core.split()[0] not in _NOT_NAMES:
        return Speaker(core, core, None, None, None, offset, offset + len(core))
    m = _ROLE_NAME.match(core)
    if (
        m
        and m.group("name").split()[0] not in _NOT_NAMES
        and not orgs_in(m, "name")
        and not re.search(r"\b(?:of|in|from|the|at|near|to)$", m.group("role"))
    ):
        return named(m)
    words = core.split()
    descriptive = bool(
        _WITNESS.search(core) or _OFFICIAL.search(core) or _INSTITUTION.match(core)
    )
    if organisation or (1 <= len(words) <= 12 and (core[:1].isupper() or descriptive)):
        label = core if len(words) <= 12 else (organisation or core)
        desc: str | None = None if label == organisation else label
        return Speaker(
            label, None, desc, organisation, org_type, offset, offset + len(core)
        )
    return None


def orgs_in(m: re.Match[str], group: str) -> bool:
    """Whether the named group of ``m`` is an organisation or actor, not a person."""
    value = m.group(group)
    return bool(find_terms(value, ORGANISATIONS) or find_terms(value, ACTORS))


def speaker_type(speaker: Speaker | None) -> str:
    """Classify a speaker as official, ngo, un, media, witness, other or unknown."""
    if speaker is None:
        return "unknown"
    if speaker.org_type in ("ngo", "monitor"):
        return "ngo"
    if speaker.org_type in ("un", "media"):
        return speaker.org_type
    description = " ".join(p for p in (speaker.role, speaker.label) if p)
    if speaker.org_type == "official" or _OFFICIAL.search(description):
        return "official"
    if _WITNESS.search(description):
        return "witness"
    return "other"


_ORG_TYPES = {"airwars": "monitor", "sohr": "monitor", "snhr": "monitor"}
