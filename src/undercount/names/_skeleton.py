"""Per-token consonant skeletons: the alphabet the cross-script key is written in.

Arabic script writes consonants and long vowels but not short vowels; Latin
transliterations write every vowel, each in several ways (Mohammed, Muhammad).
The only thing both scripts reliably share is the consonant sequence, so a token
is reduced to its *consonant classes*: letters whose transliterations overlap are
one class (ذ ث ز ظ / dh th z -> ``z``; ق ك / q k -> ``k``; ج / j g dj -> ``j``).
Vowel letters (ا و ي ع ء; a e i o u) are dropped, except و/ي and w/y at the start
of a token, where they are consonants (Younis, Walid). Doubled classes collapse
(shadda is invisible in Arabic, doubling optional in Latin) and a final ``h`` is
dropped (ta marbuta -> Fatima/Fatimah).

Key alphabet: ``b t z d j h x s c k g f l m n r w y`` where ``c`` is sh (ش) and
``x`` is kh (خ), ``g`` is gh (غ). A token with no consonant at all (Aya) keys to
``a``. The class tables were tuned on the training split of the Wikidata name
pairs (see ``docs/names.md``).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["arabic_skeleton", "latin_skeleton", "skeleton"]

# ---------------------------------------------------------------- Arabic letters
_ARABIC_CLASS: dict[str, str] = {
    "ب": "b",
    "پ": "b",
    "ت": "t",
    "ط": "t",
    "ث": "z",
    "ذ": "z",
    "ز": "z",
    "ظ": "z",
    "ض": "d",
    "د": "d",
    "ج": "j",
    "ژ": "j",
    "ح": "h",
    "ه": "h",
    "خ": "x",
    "ر": "r",
    "س": "s",
    "ص": "s",
    "ش": "c",
    "چ": "c",
    "غ": "g",
    "ف": "f",
    "ڤ": "f",
    "ق": "k",
    "ك": "k",
    "گ": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "و": "",
    "ي": "",
    "ا": "",
    "ء": "",
    "ع": "",
}
_ARABIC_INITIAL = {"و": "w", "ي": "y"}

# ----------------------------------------------------------------- Latin letters
_LATIN_GRAPHEMES = re.compile(r"sch|tch|sh|ch|kh|gh|th|dh|zh|ph|dj|ck|[a-z]")
_LATIN_CLASS: dict[str, str] = {
    "sch": "c",
    "tch": "c",
    "sh": "c",
    "ch": "c",
    "kh": "x",
    "gh": "g",
    "th": "z",
    "dh": "z",
    "zh": "j",
    "ph": "f",
    "dj": "j",
    "ck": "k",
    "a": "",
    "e": "",
    "i": "",
    "o": "",
    "u": "",
    "y": "",
    "w": "",
    "b": "b",
    "p": "b",
    "t": "t",
    "d": "d",
    "z": "z",
    "j": "j",
    "g": "j",
    "h": "h",
    "k": "k",
    "q": "k",
    "c": "k",
    "s": "s",
    "x": "ks",
    "f": "f",
    "v": "f",
    "l": "l",
    "m": "m",
    "n": "n",
    "r": "r",
}
_LATIN_INITIAL = {"w": "w", "y": "y"}
_SOFT_C = re.compile(r"c(?=[eiy])")


def _finish(classes: list[str]) -> str:
    """Collapse repeated classes, drop a final ``h``; ``a`` for a vowel-only token."""
    out: list[str] = []
    for symbol in "".join(classes):
        if not out or out[-1] != symbol:
            out.append(symbol)
    if len(out) > 1 and out[-1] == "h":
        out.pop()
    return "".join(out) or "a"


@lru_cache(maxsize=1 << 17)
def arabic_skeleton(token: str) -> str:
    """Consonant skeleton of one normalised Arabic-script token.

    Letters outside the table (other scripts, digits) are ignored.
    """
    classes = [_ARABIC_INITIAL.get(token[0], "")] if token else []
    start = 1 if classes and classes[0] else 0
    classes.extend(_ARABIC_CLASS.get(char, "") for char in token[start:])
    return _finish(classes)


@lru_cache(maxsize=1 << 17)
def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one normalised (lower-case ASCII) Latin token."""
    token = _SOFT_C.sub("s", token)
    graphemes = _LATIN_GRAPHEMES.findall(token)
    classes: list[str] = []
    for index, grapheme in enumerate(graphemes):
        if index == 0 and grapheme in _LATIN_INITIAL:
            classes.append(_LATIN_INITIAL[grapheme])
        else:
            classes.append(_LATIN_CLASS.get(grapheme, ""))
    return _finish(classes)


def skeleton(token: str) -> str:
    """Skeleton of a token in either script (chosen by its first character)."""
    if not token:
        return "a"
    if "\u0600" <= token[0] <= "\u06ff":
        return arabic_skeleton(token)
    return latin_skeleton(token)
