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

import hashlib
import re

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
    quoted_spans = [(q.start, q.end) for q, _ in quotes]
    for quote, context in quotes:
        for seg in sentences(text, quote.start, quote.end):
            figure = any(seg.start <= c.start < seg.end for c in casualties)
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
        inside = [s for s, e in quoted_spans if s < sent.end and sent.start < e]
        if inside and min(inside) <= sent.start + 1:
            continue  # the sentence is itself quoted
        end = min(inside) - 1 if inside else sent.end
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


def _same_speaker(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return fuzz.token_set_ratio(a.lower(), b.lower()) >= 85


def _link(claims: list[ProposedClaim], targets: dict[str, str]) -> list[ProposedClaim]:
    linked: list[ProposedClaim] = []
    for claim in claims:
        opposite = tuple(
            other.id
            for other in claims
            if other.topic == claim.topic
            and {other.stance, claim.stance}
            == {"defends_conduct", "criticises_conduct"}
            and not _same_speaker(other.speaker, claim.speaker)
        )
        responds: tuple[str, ...] = ()
        label = targets.get(claim.id)
        if label:
            responds = tuple(
                other.id
                for other in claims
                if other.id != claim.id
                and other.start < claim.start
                and _matches_target(label, other)
            )
        linked.append(
            claim.model_copy(update={"contradicts": opposite, "responds_to": responds})
        )
    return linked


def _matches_target(label: str, claim: ProposedClaim) -> bool:
    """Does 'the Lietenant General' refer to this claim's speaker?"""
    names = " ".join(p for p in (claim.speaker, claim.speaker_role) if p).lower()
    words = [w for w in re.findall(r"\w+", label.lower()) if w not in ("the", "of")]
    if not words or not names:
        return False
    return all(fuzz.partial_ratio(w, names) >= 80 for w in words)
