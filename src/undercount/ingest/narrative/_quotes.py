"""Quotations and their attribution, across sentences and paragraphs.

Quote marks are paired inside each paragraph (curly double, straight double,
guillemets, and curly single quotes that are not apostrophes). A quote left open
at the end of a paragraph, or a paragraph that only *closes* a quote, continues
the previous quotation (the English convention for multi-paragraph quotes).

Attribution, first rule that applies wins:

1. ``same_sentence``: a speech verb in the same sentence, after the quote
   ("..., said X") or before it ("X made the statement that ... '...'").
2. ``introduced``: the previous paragraph ends with a colon after a speech verb
   ("X refuted the claims of ... and said:").
3. ``continuation``: the quote continues a quote of the previous paragraph.
4. ``nearby``: the last named speaker within the two previous paragraphs.
Pronouns ("he said") resolve to the last speaker. Quotes of fewer than three
words without a speech verb are scare quotes and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from undercount.ingest.narrative._model import Quotation
from undercount.ingest.narrative._speakers import (
    SPEECH_VERB,
    Speaker,
    parse_speaker,
    subject_before,
)
from undercount.ingest.narrative._text import (
    Segment,
    paragraphs,
    sentence_at,
)

_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb", '"': '"', "\u2018": "\u2019"}
_VERBS_AFTER = (
    r"said|says|added|adds|told|explained|wrote|warned|stated|insisted|recalled"
    r"|noted|continued|argued|asked"
)
_WHO = r"(?:[^.;:!?\u201c\"]|\.(?=\s+[A-Z]))"
_AFTER_VERB = re.compile(
    rf"\s*[,.]?\s*(?:(?P<verb1>{_VERBS_AFTER}|according\s+to)\s+(?P<who1>\S)"
    rf"|(?P<who2>{_WHO}{{2,120}}?)\s+(?P<verb2>{_VERBS_AFTER})\b)",
)
_REFUTES = re.compile(
    r"\b(?:refut\w*|reject\w*|disput\w*|den(?:y|ies|ied)|contradict\w*|respond\w*"
    r"|answer\w*)\s+(?:to\s+)?(?:the\s+)?claims?\s+(?:of|by|made\s+by)\s+(?:the\s+)?"
    r"(?P<target>[^,.:;]+?)(?=\s+and\b|[,.:;]|$)",
    re.IGNORECASE,
)


_VERB_WINDOW = 400
"""How far before a quote (in characters) a speech verb introducing it is sought."""


@dataclass
class QuoteContext:
    """Attribution details a claim needs beyond the Quotation itself."""

    speaker: Speaker | None
    responds_to_label: str | None


@dataclass
class _Part:
    start: int
    end: int
    opened_at_start: bool
    open_to_end: bool
    closed_only: bool


def _pair_quotes(text: str, para: Segment) -> list[_Part]:
    parts: list[_Part] = []
    open_at: int | None = None
    close_char = ""
    i = para.start
    while i < para.end:
        ch = text[i]
        if open_at is None:
            if ch in _OPEN and (ch != "\u2018" or _single_opens(text, i)):
                open_at, close_char = i, _OPEN[ch]
            elif ch in "\u201d\u00bb" and not parts and i > para.start:
                parts.append(_Part(para.start, i, True, False, True))
        elif ch == close_char and (ch != "\u2019" or _single_closes(text, i)):
            parts.append(_Part(open_at + 1, i, open_at == para.start, False, False))
            open_at = None
        i += 1
    if open_at is not None and para.end - open_at > 1:
        parts.append(_Part(open_at + 1, para.end, open_at == para.start, True, False))
    return parts


def _single_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([\u2014") and not after.isspace()


def _single_closes(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalpha()


def find_quotations(
    text: str, sents: list[Segment]
) -> list[tuple[Quotation, QuoteContext]]:
    """Find quotations with speakers (ids are assigned here as ``quote-N``)."""
    out: list[tuple[Quotation, QuoteContext]] = []
    last_speaker: Speaker | None = None
    previous: tuple[Quotation, _Part, Segment, QuoteContext] | None = None
    paras = paragraphs(text)
    for p_index, para in enumerate(paras):
        for part in _pair_quotes(text, para):
            content = text[part.start : part.end]
            stripped = content.strip()
            if not stripped:
                continue
            lead = len(content) - len(content.lstrip())
            q_start, q_end = part.start + lead, part.start + lead + len(stripped)
            sentence = sentence_at(sents, max(q_start - 1, para.start))
            speaker, how, target = _attribute(
                text, para, part, sentence, paras, p_index, sents
            )
            continues = None
            if (
                speaker is None
                and previous is not None
                and (part.closed_only or part.opened_at_start)
            ):
                prev_q, prev_part, prev_para, prev_ctx = previous
                adjacent = prev_para.end <= para.start and (
                    prev_part.open_to_end or prev_q.end >= prev_para.end - 2
                )
                if adjacent and paras[p_index - 1] is prev_para:
                    speaker, how = prev_ctx.speaker, "continuation"
                    continues = prev_q.id
                    target = prev_ctx.responds_to_label
            if speaker is not None and speaker.pronoun:
                speaker = last_speaker
            if speaker is None and how == "none" and len(stripped.split()) < 3:
                continue  # a scare quote such as "winning"
            if speaker is None and len(stripped.split()) >= 3:
                speaker = _nearby(last_speaker, previous, para, paras, p_index)
                how = "nearby" if speaker is not None else "none"
            confidence = {
                "same_sentence": 0.85,
                "introduced": 0.85,
                "continuation": 0.75,
                "nearby": 0.45,
                "none": 0.4,
            }[how]
            quote = Quotation(
                id=f"quote-{len(out) + 1}",
                start=q_start,
                end=q_end,
                text=stripped,
                confidence=confidence,
                speaker=speaker.label if speaker else None,
                speaker_name=speaker.name if speaker else None,
                speaker_role=speaker.role if speaker else None,
                speaker_organisation=speaker.organisation if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                attribution=how,
                continues=continues,
            )
            context = QuoteContext(speaker, target)
            out.append((quote, context))
            previous = (quote, part, para, context)
            if speaker is not None:
                last_speaker = speaker
    return out


def _attribute(
    text: str,
    para: Segment,
    part: _Part,
    sentence: Segment | None,
    paras: list[Segment],
    p_index: int,
    sents: list[Segment],
) -> tuple[Speaker | None, str, str | None]:
    """Apply the same-sentence and introduced rules; ``(None, "none", None)``.

    Every search is bounded (the sentence containing a point is found by
    bisection in ``sents``; a speech verb is looked for at most
    ``_VERB_WINDOW`` characters before the quote), so a paragraph with
    thousands of quotes stays linear.
    """
    if not part.closed_only and part.end < para.end:
        after = _AFTER_VERB.match(text, part.end + 1, para.end)
        if after:
            if after.group("who1"):
                w_start = after.start("who1")
                bound = sentence_at(sents, w_start)
                who_end = bound.end if bound else para.end
                while who_end > w_start and text[who_end - 1] in '.!?\u201d" ':
                    who_end -= 1
            else:
                w_start, who_end = after.start("who2"), after.end("who2")
            speaker = parse_speaker(text, w_start, who_end)
            if speaker is not None:
                return speaker, "same_sentence", None
    if sentence is not None and not part.opened_at_start:
        region_end = part.start - 1
        s_start = max(sentence.start, region_end - _VERB_WINDOW)
        verb = SPEECH_VERB.search(text, s_start, region_end)
        if verb is not None:
            words = verb.group().lower()
            if words == "in the words of":
                speaker = parse_speaker(text, verb.end(), region_end)
            else:
                span = subject_before(text, s_start, verb.start())
                speaker = parse_speaker(text, *span) if span else None
            if speaker is not None:
                return speaker, "same_sentence", _target(text, s_start, region_end)
    if part.opened_at_start and p_index > 0:
        prev = paras[p_index - 1]
        intro = text[prev.start : prev.end].rstrip()
        if intro.endswith(":"):
            last = sentence_at(sents, prev.start + len(intro) - 1) or prev
            intro_verb = SPEECH_VERB.search(text, last.start, last.end)
            if intro_verb is not None:
                span = subject_before(text, last.start, intro_verb.start())
                speaker = parse_speaker(text, *span) if span else None
                if speaker is not None:
                    return speaker, "introduced", _target(text, last.start, last.end)
    return None, "none", None


def _target(text: str, start: int, end: int) -> str | None:
    m = _REFUTES.search(text, start, end)
    return m.group("target").strip() if m else None


def _nearby(
    last_speaker: Speaker | None,
    previous: tuple[Quotation, _Part, Segment, QuoteContext] | None,
    para: Segment,
    paras: list[Segment],
    p_index: int,
) -> Speaker | None:
    """The last speaker, if their quote was in this or the two previous paragraphs."""
    if last_speaker is None or previous is None:
        return None
    window = paras[max(0, p_index - 2) : p_index + 1]
    prev_para = previous[2]
    return last_speaker if any(p is prev_para for p in window) else None
