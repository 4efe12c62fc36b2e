"""Claims: what a speaker asserts about conduct or harm, classified by rules.

Claims come from three places: each sentence of a quotation (``quoted``), the
clause after a speech verb outside quotes ("Amnesty is reporting that ...",
``reported_speech``), and headline-style accusations ("X Accuses Y of War
Crimes"). Each claim gets a type, a topic and a stance:

============== ================= =====================
type           topic             stance
============== ================= =====================
precision      weapon_precision  defends_conduct
imprecision    weapon_precision  criticises_conduct
denial         legality          defends_conduct
accusation     legality          criticises_conduct
casualty_figure civilian_harm    criticises_conduct
harm_account   civilian_harm     criticises_conduct
call_to_action conduct           neutral
============== ================= =====================

A precision word inside "claims that ..." is the speaker reporting someone
else's claim in order to dispute it, so it counts as ``imprecision``. Claims on
the same topic with opposite stances by different speakers are linked as
``contradicts``; a quote introduced by "refuted the claims of X" is linked to
X's claims as ``responds_to``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from functools import lru_cache

from rapidfuzz import fuzz

from undercount.ingest.narrative._model import (
    Casualty,
    ClaimType,
    ProposedClaim,
    Quotation,
    Stance,
)
from undercount.ingest.narrative._quotes import QuoteContext
from undercount.ingest.narrative._speakers import (
    SPEECH_VERB,
    Speaker,
    parse_speaker,
    speaker_type,
    subject_before,
)
from undercount.ingest.narrative._text import Segment, sentences

_RULES: list[tuple[ClaimType, re.Pattern[str]]] = [
    ("denial", re.compile(
        r"\b(?:refut\w*|den(?:y|ies|ied)|reject\w*|dismiss\w*)\s+(?:the\s+)?"
        r"(?:claims?|allegations?|reports?|accusations?)|\bno\s+evidence\b"
        r"|not\s+responsible|false\s+(?:claims|reports)|\bdenied\b", re.I)),
    ("imprecision", re.compile(
        r"\bimprecise|\bindiscriminate|cannot\s+be\s+(?:precisely\s+)?targeted"
        r"|not\s+(?:be\s+)?precise|\binaccurate|\bunguided|wide[\s-]area\s+effects"
        r"|disproportionate|claims?\s+that\s+[^.]*\bprecise", re.I)),
    ("precision", re.compile(
        r"\b(?:most\s+)?precise\b|\bprecision\b|\baccurate(?:ly)?\b|\bpinpoint"
        r"|\bsurgical|(?:all|every)\s+(?:feasible\s+)?precautions"
        r"|carefully\s+(?:targeted|planned|vetted)", re.I)),
    ("accusation", re.compile(
        r"war\s+crimes?|violat\w*\s+(?:of\s+)?international\s+(?:humanitarian\s+)?law"
        r"|\bunlawful|crimes\s+against\s+humanity|\baccus\w+|obligations\s+under"
        r"\s+international|broke\s+international\s+law", re.I)),
    ("harm_account", re.compile(
        r"\bkill\w*|\binjur\w*|\bwound\w*|\bharm\b|casualt\w+|\btrapped\b|shrapnel"
        r"|lost\s+a\s+family|\bdead\b|\bdeaths?\b|flattened|destroy\w*|\bruins\b",
        re.I)),
    ("call_to_action", re.compile(
        r"\bcall(?:s|ed)?\s+on\b|\burge[sd]?\b|\bmust\b|\bshould\b|\bneed\s+to\b"
        r"|\bdemand\w*", re.I)),
]  # fmt: skip
_TOPIC = {
    "precision": "weapon_precision",
    "imprecision": "weapon_precision",
    "denial": "legality",
    "accusation": "legality",
    "casualty_figure": "civilian_harm",
    "harm_account": "civilian_harm",
    "call_to_action": "conduct",
}
_STANCE: dict[str, Stance] = {
    "precision": "defends_conduct",
    "denial": "defends_conduct",
    "imprecision": "criticises_conduct",
    "accusation": "criticises_conduct",
    "casualty_figure": "criticises_conduct",
    "harm_account": "criticises_conduct",
    "call_to_action": "neutral",
}
_THAT_CLAUSE = re.compile(r"\s+(?:claims?\s+)?that\s+", re.I)
_ACCUSES = re.compile(r"\b(?:Accuses|Accused|accuses|accused)\s+(?P<rest>.+)$")


def classify(sentence: str, has_figure: bool = False) -> ClaimType | None:
    """The claim type of one sentence, or ``None`` if it asserts nothing we track."""
    for claim_type, pattern in _RULES:
        if claim_type == "harm_account" and has_figure:
            return "casualty_figure"
        if pattern.search(sentence):
            return claim_type
    return "casualty_figure" if has_figure else None


def _claim_id(source_sha: str, start: int, end: int, claim_type: str) -> str:
    digest = hashlib.sha1(f"{source_sha}:{start}:{end}:{claim_type}".encode())
    return f"claim-{digest.hexdigest()[:12]}"


def _build(
    sha: str,
    text: str,
    seg: Segment,
    claim_type: ClaimType,
    speaker: Speaker | None,
    reported: str,
    quote: Quotation | None,
    confidence: float,
) -> ProposedClaim:
    return ProposedClaim(
        id=_claim_id(sha, seg.start, seg.end, claim_type),
        start=seg.start,
        end=seg.end,
        evidence=text[seg.start : seg.end],
        confidence=confidence,
        claim_type=claim_type,
        topic=_TOPIC[claim_type],
        stance=_STANCE[claim_type],
        speaker=speaker.label if speaker else None,
        speaker_role=speaker.role if speaker else None,
        speaker_organisation=speaker.organisation if speaker else None,
        speaker_type=speaker_type(speaker),
        reported=reported,
        quotation_id=quote.id if quote else None,
    )


def find_claims(
    sha: str,
    text: str,
    sents: list[Segment],
    quotes: list[tuple[Quotation, QuoteContext]],
    casualties: list[Casualty],
) -> list[ProposedClaim]:
    """Claims from quotations and reported speech, linked to each other."""
    claims: list[ProposedClaim] = []
    targets: dict[str, str] = {}
    quote_starts = [q.start for q, _ in quotes]  # quotes come in text order
    figure_starts = sorted(c.start for c in casualties)
    for quote, context in quotes:
        for seg in sentences(text, quote.start, quote.end):
            first = bisect.bisect_left(figure_starts, seg.start)
            figure = first < len(figure_starts) and figure_starts[first] < seg.end
            claim_type = classify(seg.text, figure)
            if claim_type is None:
                continue
            claim = _build(
                sha,
                text,
                seg,
                claim_type,
                context.speaker,
                "quoted",
                quote,
                round(min(quote.confidence, 0.8), 2),
            )
            claims.append(claim)
            if context.responds_to_label:
                targets[claim.id] = context.responds_to_label
    for sent in sents:
        # the first quote that overlaps the sentence (quotes do not overlap)
        index = max(bisect.bisect_right(quote_starts, sent.start) - 1, 0)
        first_inside: int | None = None
        for q, _ in quotes[index : index + 3]:
            if q.start < sent.end and sent.start < q.end:
                first_inside = q.start
                break
        if first_inside is not None and first_inside <= sent.start + 1:
            continue  # the sentence is itself quoted
        end = first_inside - 1 if first_inside is not None else sent.end
        claims.extend(
            _reported(sha, text, Segment(sent.start, end, text[sent.start : end]))
        )
    return _link(claims, targets)


def _reported(sha: str, text: str, sent: Segment) -> list[ProposedClaim]:
    """Reported speech: 'SUBJECT <speech verb> (claims) that CLAUSE'."""
    out: list[ProposedClaim] = []
    accuse = _ACCUSES.search(sent.text)
    for verb in SPEECH_VERB.finditer(text, sent.start, sent.end):
        that = _THAT_CLAUSE.match(text, verb.end())
        if that is None and not (
            accuse and accuse.start() + sent.start == verb.start()
        ):
            continue
        span = subject_before(text, sent.start, verb.start())
        speaker = parse_speaker(text, *span) if span else None
        if speaker is None or speaker.pronoun:
            continue
        clause_start = that.end() if that else verb.end()
        seg = Segment(clause_start, sent.end, text[clause_start : sent.end])
        verb_word = verb.group().lower()
        claim_type = classify(seg.text)
        if re.match(r"refut|den|reject|dismiss", verb_word):
            claim_type = "denial"
        elif re.match(r"accus|alleg", verb_word) and claim_type is None:
            claim_type = "accusation"
        if claim_type is None:
            continue
        out.append(
            _build(sha, text, seg, claim_type, speaker, "reported_speech", None, 0.6)
        )
        break
    return out


_MAX_LINKS = 20
"""At most this many linked claims per claim (the nearest in the text)."""


@lru_cache(maxsize=4096)
def _same_speaker(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return fuzz.token_set_ratio(a.lower(), b.lower()) >= 85


def _nearest(
    claim: ProposedClaim, pool: list[ProposedClaim], starts: list[int]
) -> list[ProposedClaim]:
    """Up to ``_MAX_LINKS`` claims of ``pool`` (sorted by start) nearest ``claim``."""
    at = bisect.bisect_left(starts, claim.start)
    lo, hi = max(0, at - _MAX_LINKS), min(len(pool), at + _MAX_LINKS)
    window = sorted(pool[lo:hi], key=lambda o: (abs(o.start - claim.start), o.start))
    return window[: 2 * _MAX_LINKS]


def _link(claims: list[ProposedClaim], targets: dict[str, str]) -> list[ProposedClaim]:
    """Fill ``contradicts`` and ``responds_to`` (bounded, nearest first)."""
    opposite_of = {"defends_conduct": "criticises_conduct",
                   "criticises_conduct": "defends_conduct"}  # fmt: skip
    pools: dict[tuple[str, str], list[ProposedClaim]] = {}
    for claim in sorted(claims, key=lambda c: c.start):
        pools.setdefault((claim.topic, claim.stance), []).append(claim)
    starts = {key: [c.start for c in pool] for key, pool in pools.items()}
    by_speaker: dict[tuple[str | None, str | None], list[ProposedClaim]] = {}
    for claim in sorted(claims, key=lambda c: c.start):
        by_speaker.setdefault((claim.speaker, claim.speaker_role), []).append(claim)
    # For each "refuted the claims of X" label, X's claims in text order (built
    # once per label, then bisected: linear in the number of claims).
    targeted: dict[str, tuple[list[ProposedClaim], list[int]]] = {}
    linked: list[ProposedClaim] = []
    for claim in claims:
        opposite: tuple[str, ...] = ()
        if claim.stance in opposite_of:
            key = (claim.topic, opposite_of[claim.stance])
            candidates = _nearest(claim, pools.get(key, []), starts.get(key, []))
            opposite = tuple(
                other.id
                for other in candidates
                if not _same_speaker(other.speaker, claim.speaker)
            )[:_MAX_LINKS]
        responds: tuple[str, ...] = ()
        label = targets.get(claim.id)
        if label:
            if label not in targeted:
                pool = sorted(
                    (
                        other
                        for (speaker, role), group in by_speaker.items()
                        if _matches_target(label, speaker, role)
                        for other in group
                    ),
                    key=lambda o: o.start,
                )
                targeted[label] = (pool, [o.start for o in pool])
            pool, pool_starts = targeted[label]
            at = bisect.bisect_left(pool_starts, claim.start)
            responds = tuple(o.id for o in pool[max(0, at - _MAX_LINKS) : at])
        linked.append(
            claim.model_copy(update={"contradicts": opposite, "responds_to": responds})
        )
    return linked


@lru_cache(maxsize=4096)
def _matches_target(label: str, speaker: str | None, role: str | None) -> bool:
    """Does 'the Lietenant General' refer to this speaker?"""
    names = " ".join(p for p in (speaker, role) if p).lower()
    words = [w for w in re.findall(r"\w+", label.lower()) if w not in ("the", "of")]
    if not words or not names:
        return False
    return all(fuzz.partial_ratio(w, names) >= 80 for w in words)
