"""The extraction pipeline: text in, :class:`Extraction` out.

Order matters where rules compete for the same words: places are found before
times (so the Mosul neighbourhood "17 Tammuz" is not read as 17 July), and an
Arabic-script run that is a gazetteer place is not reported again as an
``ArabicTerm``. Mention ids are assigned per kind in text order (``cas-1``,
``place-3``...), so they are stable for the same text and rules.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

from undercount.errors import UserInputError
from undercount.ingest.narrative._casualties import find_casualties
from undercount.ingest.narrative._claims import find_claims
from undercount.ingest.narrative._document import MAX_BYTES, Format, read_document
from undercount.ingest.narrative._gazetteer import load_gazetteer
from undercount.ingest.narrative._incidents import find_incidents
from undercount.ingest.narrative._lexicon import (
    ACTORS,
    ORGANISATIONS,
    WEAPONS,
    find_terms,
)
from undercount.ingest.narrative._model import (
    Actor,
    ArabicTerm,
    Casualty,
    DocumentInfo,
    Extraction,
    Organisation,
    Place,
    TimeMention,
    Weapon,
)
from undercount.ingest.narrative._quotes import find_quotations
from undercount.ingest.narrative._text import normalise_text, sentences

EXTRACTOR_VERSION = "narrative-rules/2"
"""Changes whenever rules or lexicons change what is extracted."""

_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")
_ID_PREFIX = {
    "casualty": "cas",
    "time": "time",
    "place": "place",
    "actor": "actor",
    "organisation": "org",
    "weapon": "weapon",
    "arabic": "ar",
}


def parse_report_date(value: str | date | None) -> date | None:
    """Parse ``YYYY-MM-DD`` (or pass a date through); ``None`` stays ``None``.

    Raises
    ------
    UserInputError
        If the string is not an ISO calendar date.
    """
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise UserInputError(
            f"report date must be YYYY-MM-DD, got {value!r}; e.g. --report-date "
            "2017-07-11"
        ) from None


def extract(
    source: str | Path | bytes,
    *,
    report_date: str | date | None = None,
    name: str | None = None,
    fmt: Format | None = None,
    max_bytes: int = MAX_BYTES,
) -> Extraction:
    """Extract mentions and proposals from a report file.

    Parameters
    ----------
    source
        Path to a plain-text, HTML or PDF file, or the file's bytes.
    report_date
        Publication date used to resolve "last week", "on 17 March" and
        durations; for HTML the page's own date is used when this is ``None``.
    name
        Display name of the source (defaults to the file name).
    fmt
        Force ``"text"``, ``"html"`` or ``"pdf"`` instead of sniffing.
    max_bytes
        Size limit (default 20 MiB).

    Returns
    -------
    Extraction
        Mentions with spans into ``Extraction.text`` and proposals with status
        ``"proposed"``.

    Raises
    ------
    UserInputError
        For unreadable input (see :func:`read_document`) or a bad report date.
    """
    label = name or (Path(source).name if not isinstance(source, bytes) else "<bytes>")
    doc = read_document(
        source,
        name=name or (str(source) if not isinstance(source, bytes) else "<bytes>"),
        fmt=fmt,
        max_bytes=max_bytes,
    )
    when = parse_report_date(report_date)
    if when is None and doc.date:
        try:
            when = date.fromisoformat(doc.date[:10])
        except ValueError:
            when = None
    info = DocumentInfo(
        name=label,
        sha256=doc.sha256,
        format=doc.format,
        encoding=doc.encoding,
        title=doc.title,
        report_date=when.isoformat() if when else None,
        n_bytes=doc.n_bytes,
        n_chars=len(doc.text),
        n_pages=doc.n_pages,
    )
    return _run(doc.text, info, when, doc.warnings)


def extract_text(
    text: str, *, report_date: str | date | None = None, name: str = "<text>"
) -> Extraction:
    """Extract from a string already in memory (normalised first; spans index it).

    Never raises on odd text: empty or symbol-only input gives an empty result.
    """
    normalised = normalise_text(text)
    when = parse_report_date(report_date)
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    info = DocumentInfo(
        name=name,
        sha256=sha,
        format="text",
        encoding="utf-8",
        report_date=when.isoformat() if when else None,
        n_bytes=len(text.encode("utf-8", "surrogatepass")),
        n_chars=len(normalised),
    )
    return _run(normalised, info, when, ())


def _run(
    text: str, info: DocumentInfo, when: date | None, notes: tuple[str, ...]
) -> Extraction:
    sents = sentences(text)
    places = _places(text)
    place_spans = bytearray(len(text))  # 1 where a place was found
    for place in places:
        place_spans[place.start : place.end] = b"\x01" * (place.end - place.start)
    times = [
        t
        for t in _numbered(find_times_safe(text, when), "time")
        if not any(place_spans[t.start : t.end])
    ]
    actors = _term_mentions(text, ACTORS, "actor")
    orgs = _term_mentions(text, ORGANISATIONS, "organisation")
    weapons = _term_mentions(text, WEAPONS, "weapon")
    casualties: list[Casualty] = _numbered(find_casualties(text, sents), "casualty")
    arabic = _numbered(_arabic_terms(text, place_spans), "arabic")
    quotes = find_quotations(text, sents)
    claims = find_claims(info.sha256, text, sents, quotes, casualties)
    incidents = find_incidents(
        info.sha256, text, casualties, places, times, actors, weapons
    )
    mentions: list[Any] = [
        *casualties, *times, *places, *actors, *orgs, *weapons, *arabic,
        *(q for q, _ in quotes),
    ]  # fmt: skip
    mentions.sort(key=lambda m: (m.start, m.end))
    return Extraction(
        extractor_version=EXTRACTOR_VERSION,
        source=info,
        text=text,
        mentions=tuple(mentions),
        incidents=tuple(incidents),
        claims=tuple(claims),
        warnings=notes,
    )


def find_times_safe(text: str, when: date | None) -> list[TimeMention]:
    """Time mentions (a thin wrapper so the import stays lazy-free and typed)."""
    from undercount.ingest.narrative._time import find_times

    return find_times(text, when)


def _arabic_terms(text: str, place_spans: bytearray) -> list[ArabicTerm]:
    """Runs of Arabic-script words (joined by single spaces) outside places."""
    words = [
        m
        for m in _ARABIC_WORD.finditer(text)
        if not any(place_spans[m.start() : m.end()])
    ]
    runs: list[list[re.Match[str]]] = []
    for word in words:
        if runs and text[runs[-1][-1].end() : word.start()] == " ":
            runs[-1].append(word)
        else:
            runs.append([word])
    return [
        ArabicTerm(
            id="",
            start=run[0].start(),
            end=run[-1].end(),
            text=text[run[0].start() : run[-1].end()],
            confidence=0.5,
        )
        for run in runs
    ]


def _places(text: str) -> list[Place]:
    gazetteer = load_gazetteer()
    found = [
        Place(
            id="",
            start=m.start,
            end=m.end,
            text=text[m.start : m.end],
            confidence=m.confidence,
            place_id=m.entry.id,
            name=m.entry.name,
            level=m.entry.level,
            country=m.entry.country,
            parent_id=m.entry.parent,
            lat=m.entry.lat,
            lon=m.entry.lon,
            script="arabic" if m.script == "arabic" else "latin",
        )
        for m in gazetteer.find(text)
    ]
    return _numbered(found, "place")


#: Lexicon mentions: model, field of the entry id, field of the entry group.
_TERM_MODELS: dict[str, tuple[type[Actor | Organisation | Weapon], str, str]] = {
    "actor": (Actor, "actor_id", "group"),
    "organisation": (Organisation, "org_id", "org_type"),
    "weapon": (Weapon, "weapon_id", "category"),
}


def _term_mentions(
    text: str, lexicon: tuple[tuple[str, str, str, str, int], ...], kind: str
) -> list[Any]:
    """Numbered mentions of one lexicon's terms (actors, organisations, weapons).

    Confidence 0.85, except "US"/"United States" as an actor (0.6: often the
    country or its government rather than its forces).
    """
    model, id_field, group_field = _TERM_MODELS[kind]
    found = [
        model(
            id="",
            start=h.start,
            end=h.end,
            text=text[h.start : h.end],
            confidence=0.6
            if (kind, h.entry_id) == ("actor", "united_states")
            else 0.85,
            name=h.name,
            **{id_field: h.entry_id, group_field: h.group},
        )
        for h in find_terms(text, lexicon)
    ]
    return _numbered(found, kind)


def _numbered(items: list[Any], kind: str) -> list[Any]:
    items = sorted(items, key=lambda m: (m.start, m.end))
    prefix = _ID_PREFIX[kind]
    return [
        m.model_copy(update={"id": f"{prefix}-{i}"}) for i, m in enumerate(items, 1)
    ]
