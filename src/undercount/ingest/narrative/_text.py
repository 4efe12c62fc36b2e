"""Text normalisation, paragraphs and sentences for narrative extraction.

Every character offset the extractor reports points into the *normalised* text
returned by :func:`normalise_text`, so normalisation happens exactly once, before any
rule runs. Normalisation is conservative: it unifies line endings and Unicode
compatibility forms (so ligatures from PDFs and Arabic presentation forms become
ordinary letters), removes invisible format characters and re-joins hard-wrapped
lines, but keeps quotation marks, dashes and Arabic script as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible characters that only get in the way of matching (zero-width space and
# joiners, word joiner, BOM, soft hyphen, bidi marks and embeddings).
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_BLANKS = re.compile(r"\n{3,}")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_TERMINAL = (".", "!", "?", ":", '"', "\u201d", "\u2019", ")", "]")


def normalise_text(raw: str, *, unwrap: bool | None = None) -> str:
    """Return the canonical form of ``raw`` that all spans index into.

    Parameters
    ----------
    raw
        Decoded text (from a text file, an HTML extractor or a PDF text layer).
    unwrap
        Join hard-wrapped lines inside paragraphs. ``None`` (default) decides from
        the line-length profile; PDF text always passes ``True``.

    Returns
    -------
    str
        Text with ``\\n`` line ends, single spaces, at most one blank line between
        paragraphs, no invisible format characters, NFKC letters.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    # NFKC would turn an ellipsis into three full stops; keep it one character.
    text = "\u2026".join(unicodedata.normalize("NFKC", p) for p in text.split("\u2026"))
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    if unwrap is None:
        unwrap = _looks_hard_wrapped(lines)
    if unwrap:
        text = _HYPHEN_BREAK.sub("", text)
        blocks = re.split(r"\n{2,}", text)
        text = "\n\n".join(_unwrap_block(block) for block in blocks)
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip()


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Guess whether single newlines are line wraps rather than paragraph ends."""
    body = [line for line in lines if line]
    if len(body) < 4:
        return False
    lengths = sorted(len(line) for line in body)
    median = lengths[len(lengths) // 2]
    open_ends = sum(1 for line in body if not line.endswith(_TERMINAL))
    return 40 <= median <= 100 and open_ends / len(body) > 0.5


def _unwrap_block(block: str) -> str:
    """Join the lines of one paragraph block, keeping list-like short lines apart."""
    out: list[str] = []
    for line in block.split("\n"):
        if out and out[-1] and line and not out[-1].endswith(_TERMINAL):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Segment:
    """A paragraph or sentence: its offsets into the normalised text and its text."""

    start: int
    end: int
    text: str


_PARAGRAPH = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Segment]:
    """Split normalised text into paragraphs (each non-empty line is one)."""
    return [Segment(m.start(), m.end(), m.group()) for m in _PARAGRAPH.finditer(text)]


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "cpl",
        "brig",
        "adm",
        "cmdr",
        "rep",
        "sen",
        "gov",
        "st",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "fig",
        "al",
    ]
)
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s+|$)")


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Split ``text[start:end]`` into sentences with absolute offsets.

    A rule-based splitter: a sentence ends at ``.``, ``!``, ``?`` or an ellipsis
    (plus closing quotes or brackets) followed by white space, unless the full stop
    belongs to a known abbreviation (``Lt.``, ``U.S.``) or an initial (``J.``) or
    the next word starts in lower case. Newlines always end a sentence.
    """
    stop = len(text) if end is None else end
    out: list[Segment] = []
    for para in _PARAGRAPH.finditer(text, start, stop):
        p_start, p_end = para.start(), min(para.end(), stop)
        cursor = p_start
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            if not _is_real_end(text, m.start(), m.end(), p_end):
                continue
            out.append(Segment(cursor, m.end(), text[cursor : m.end()]))
            cursor = m.end()
            while cursor < p_end and text[cursor] == " ":
                cursor += 1
        if cursor < p_end:
            out.append(Segment(cursor, p_end, text[cursor:p_end]))
    return out


_NEXT_CHAR = re.compile(r"\s*(\S)")
_WORD_LOOKBACK = 12
_DIGITS = re.compile(r"\d+")


def _is_real_end(text: str, dot: int, after: int, limit: int) -> bool:
    """Decide whether the punctuation at ``dot`` ends a sentence."""
    nxt = _NEXT_CHAR.match(text, after, limit)
    first = nxt.group(1) if nxt else ""
    if text[dot] == ".":
        # Only the few characters before the dot matter (abbreviations are
        # short); looking further would make a long run without spaces
        # quadratic.
        word_start = dot
        floor = max(0, dot - _WORD_LOOKBACK)
        while word_start > floor and not text[word_start - 1].isspace():
            word_start -= 1
        truncated = word_start > 0 and not text[word_start - 1].isspace()
        word = text[word_start:dot].lower().lstrip("(\"'\u201c\u2018")
        if not truncated and (
            word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        ):
            return False
        if first.isdigit() and _DIGITS.fullmatch(word):
            return False
    if not first:
        return True
    return not first.islower()


def sentence_at(sents: list[Segment], offset: int) -> Segment | None:
    """Return the sentence containing ``offset`` (binary search)."""
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        seg = sents[mid]
        if offset < seg.start:
            hi = mid - 1
        elif offset >= seg.end:
            lo = mid + 1
        else:
            return seg
    return None


def has_arabic(text: str) -> bool:
    """Whether ``text`` contains a letter of the Arabic script."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)
