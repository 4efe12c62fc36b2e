"""Normalisation of Latin-script (transliterated) names.

English, French and Turkish-influenced spellings of one Arabic name differ in case,
accents, ayn/hamza marks (ʿ ʾ '), hyphens, the form of the article (al-, el-, Al,
ul-, and the sun-letter forms ash-, ad-, at-, ar-, as-, az-, an-), and in how the
compounds "Abd al-X", "Abu X", "X al-Din" and "X Allah" are split.
:func:`normalise_latin` gives one spelling for all of those; it does not touch
the vowel and consonant spellings themselves (Mohammed / Muhammad stay
different here: that is the job of the cross-script key).

Accents and letters outside ASCII are romanised with :mod:`anyascii`, which also
covers Turkish (ş ı ğ), Nordic and Slavic letters and other scripts (Cyrillic,
Greek, Syriac), so a name in any of them still yields Latin letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from undercount.names._script import is_arabic_block

__all__ = ["LATIN_MARKERS", "latin_tokens", "normalise_latin"]

# Ayn/hamza marks and apostrophes: deleted (Sa'id -> said), not turned into spaces.
_MARKS = "'`´‘’ʿʾʻʼˈ′\u02bd\u02be\u02bf"
_MARK_TABLE = {ord(c): None for c in _MARKS}
# Everything but word characters, spaces and Arabic-block characters (left for the
# Arabic normaliser) becomes a space.
_NON_WORD = re.compile(
    r"[^\w\s\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]|_"
)

#: Kinship markers after normalisation.
LATIN_MARKERS = frozenset({"bin", "bint"})
_MARKER_MAP = {
    "bin": "bin",
    "ibn": "bin",
    "ben": "bin",
    "bn": "bin",
    "ebn": "bin",
    "bint": "bint",
    "binti": "bint",
    "bent": "bint",
}

_L_ARTICLES = frozenset({"al", "el", "il", "ul"})
# Sun-letter assimilations: the article takes the first consonant of the next word.
_SUN_ARTICLE = re.compile(r"^[aeiu](th|dh|sh|zh|[tdrszn])$")

_ABD_PREFIXES = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdil", "abdol", "abdoul", "abdu", "abdou"}
    | {f"abd{v}{c}" for v in "aeiou" for c in "rsnztd"}
)
_ABU = frozenset({"abu", "abou", "abo", "aboo"})
_UMM = frozenset({"umm", "um", "om", "omm", "oum"})
_ALLAH = frozenset({"allah", "alla", "ullah", "ulla", "ollah", "olla", "illah", "llah"})
_DIN = frozenset({"din", "deen", "dine", "dinn", "dyn"})

# Words that can start, end or mark a compound (shorter words are checked anyway).
_SPECIAL = (
    _ABD_PREFIXES
    | _ABU
    | _UMM
    | _ALLAH
    | _DIN
    | frozenset(_MARKER_MAP)
    | {"uddin", "eddin", "eddine", "addin", "aldin", "eldin", "abul"}
)

_GLUED_ALLAH = re.compile(r"^abd[aeiou]{0,2}l{1,2}[aeiou]h?$")
_GLUED_ABD_L = re.compile(r"^abd[aeiou]{0,2}l(?P<rest>[a-z]{3,})$")
_GLUED_ABD_SUN = re.compile(
    r"^abd[aeiou]{1,2}(?P<c>[bcdfghjkmnpqrstvxz])(?P=c)(?P<rest>[a-z]{2,})$"
)
_GLUED_ABD = re.compile(r"^abd[aeiou]{0,2}(?P<rest>[bcdfghjkmnpqrstvwxyz][a-z]{3,})$")
_GLUED_DIN = re.compile(r"^(?P<head>[a-z]{2,}?)(?:[aeiou][ld]|l)d(?:i|ee|ea|ie|y)ne?$")


@lru_cache(maxsize=8192)
def _romanise_char(char: str) -> str:
    """Romanise one non-ASCII, non-Arabic character with anyascii."""
    if is_arabic_block(char):
        return char
    if char in _MARKS:
        return ""
    if unicodedata.category(char)[0] not in "LMN":
        return " "  # symbols and emoji are not names
    return anyascii(char)


def _clean(text: str) -> str:
    """Character-level normalisation: romanise, casefold, drop marks, punctuation."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(c if c.isascii() else _romanise_char(c) for c in text)
    text = text.casefold().translate(_MARK_TABLE)
    return _NON_WORD.sub(" ", text)


def _is_article(token: str, following: str | None) -> bool:
    """True when ``token`` is an Arabic article before the word ``following``."""
    if following is None:
        return False
    if token in _L_ARTICLES:
        return True
    if len(token) > 3 or token[0] not in "aeiu":
        return False
    match = _SUN_ARTICLE.match(token)
    return bool(match and following.startswith(match.group(1)))


def _glued_abd(token: str) -> str:
    """Rewrite a one-word Abd-compound (Abdurrahman, Abdelkader) as ``abdul...``."""
    if not token.startswith("abd") or len(token) < 6:
        return token
    if _GLUED_ALLAH.match(token):
        return "abdullah"
    for pattern in (_GLUED_ABD_SUN, _GLUED_ABD_L, _GLUED_ABD):
        match = pattern.match(token)
        if match:
            rest = match.group("rest")
            if pattern is _GLUED_ABD_SUN:
                rest = match.group("c") + rest
            return "abdul" + rest
    return token


@lru_cache(maxsize=1 << 16)
def _one_word(token: str) -> str:
    """Rewrite glued Abd- and -din compounds in a single token."""
    return _glued_din(_glued_abd(token))


def _glued_din(token: str) -> str:
    """Rewrite Nureddin / Salahuddin / Nuraldin as ``...aldin``."""
    match = _GLUED_DIN.match(token)
    if match and len(match.group("head")) >= 2:
        return match.group("head") + "aldin"
    return token


def join_latin_compounds(tokens: list[str]) -> list[str]:
    """Unify articles and markers and join compound names into one token.

    Parameters
    ----------
    tokens : list of str
        Lower-case ASCII tokens, in order.

    Returns
    -------
    list of str
        Tokens where every article is ``al`` (kept as its own token), every
        kinship marker is ``bin``/``bint``, and ``abdul<X>``, ``abu<X>``,
        ``umm<X>``, ``<X>allah``, ``<X>aldin`` are single tokens.
    """
    if not any(len(t) <= 4 or t in _SPECIAL for t in tokens):
        return [_one_word(t) for t in tokens]  # fast path: nothing to join
    # Pass 1: articles and markers.
    words: list[str] = []
    for index, raw in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if raw == "abul" and following is not None:
            words.extend(("abu", "al"))
        elif _is_article(raw, following):
            words.append("al")
        else:
            words.append(_MARKER_MAP.get(raw, raw))
    # Pass 2: compounds.
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        rest = words[index + 1 :]
        if word in _ABD_PREFIXES and rest:
            skip = 1 if rest[0] == "al" and len(rest) > 1 else 0
            head = rest[skip]
            if head in _ALLAH:
                out.append("abdullah")
            else:
                out.append("abdul" + _glued_abd(head).removeprefix("abdul"))
            index += 2 + skip
            continue
        if (word in _ABU or word in _UMM) and rest:
            stem = "abu" if word in _ABU else "umm"
            if rest[0] == "al" and len(rest) > 1:
                out.append(stem + "al" + rest[1])
                index += 3
            else:
                out.append(stem + rest[0])
                index += 2
            continue
        if out and out[-1] not in LATIN_MARKERS:
            if word in _ALLAH:
                out[-1] += "allah"
                index += 1
                continue
            if word == "al" and rest and rest[0] in _DIN:
                out[-1] += "aldin"
                index += 2
                continue
            if word in {"uddin", "eddin", "eddine", "addin", "aldin", "eldin"}:
                out[-1] += "aldin"
                index += 1
                continue
        out.append(_one_word(word))
        index += 1
    return out


def latin_tokens(text: str) -> list[str]:
    """Normalise ``text`` as a Latin-script name and split it into tokens."""
    return join_latin_compounds(_clean(text).split())


def normalise_latin(text: str) -> str:
    """Normalise a transliterated name to one canonical Latin spelling.

    Parameters
    ----------
    text : str
        A name in Latin script (accents and ʿ/ʾ marks allowed). Arabic-script
        letters are passed through unchanged.

    Returns
    -------
    str
        Lower-case ASCII tokens separated by single spaces, with articles written
        ``al``, markers ``bin``/``bint``, and compounds joined. Applying the
        function again changes nothing.

    Examples
    --------
    >>> normalise_latin("Mohammed Younis Thanoon al-Hayali")
    'mohammed younis thanoon al hayali'
    >>> normalise_latin("ʿAbd ar-Raḥmān ibn ʿAlī ash-Shammarī")
    'abdulrahman bin ali al shammari'
    >>> normalise_latin("Nour El-Din")
    'nouraldin'
    """
    return " ".join(latin_tokens(text))
