"""Which writing system a name is in.

The linker treats Arabic-script and Latin-script names differently (different
normalisation, and a cross-script key to compare them), so every name is first
classified. Only letters count: digits, punctuation and spaces are neutral.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

Script = Literal["arabic", "latin", "mixed", "unknown"]

# Unicode blocks that hold Arabic-script letters (Arabic, Arabic Supplement,
# Arabic Extended-A/B, presentation forms A and B).
_ARABIC_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def is_arabic_block(char: str) -> bool:
    """True for any character in an Arabic-script Unicode block (letters and marks)."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _ARABIC_RANGES)


@lru_cache(maxsize=4096)
def char_script(char: str) -> Literal["arabic", "latin", "other", "none"]:
    """Classify one character.

    Parameters
    ----------
    char : str
        A single character.

    Returns
    -------
    str
        ``"arabic"`` for an Arabic-script letter, ``"latin"`` for a Latin letter
        (with or without accents, including ʿ/ʾ transliteration marks), ``"other"``
        for a letter of any other script, ``"none"`` for anything that is not a
        letter (digits, punctuation, spaces, combining marks).
    """
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _ARABIC_RANGES):
        return "arabic" if unicodedata.category(char).startswith("L") else "none"
    category = unicodedata.category(char)
    if not category.startswith("L"):
        return "none"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0x02B0 <= code <= 0x02FF:
        # Basic Latin, Latin-1, Latin Extended-A/B, Extended Additional, and the
        # modifier letters used as ayn/hamza marks (ʿ ʾ ʻ ʼ).
        return "latin"
    if 0x0250 <= code <= 0x02AF or 0x2C60 <= code <= 0x2C7F or 0xA720 <= code <= 0xA7FF:
        return "latin"
    return "other"


def detect_script(text: str) -> Script:
    """Say which script the letters of ``text`` are written in.

    Parameters
    ----------
    text : str
        Any text, typically a full name.

    Returns
    -------
    {"arabic", "latin", "mixed", "unknown"}
        ``"arabic"`` or ``"latin"`` when every letter is of that script,
        ``"mixed"`` when both occur, ``"unknown"`` when there are no letters
        (empty, digits only) or when a letter of another script (Cyrillic,
        Syriac, ...) occurs without Arabic or Latin ones.

    Examples
    --------
    >>> detect_script("محمد يونس")
    'arabic'
    >>> detect_script("Mohammed al-Hayali")
    'latin'
    >>> detect_script("محمد Younis")
    'mixed'
    >>> detect_script("123")
    'unknown'
    """
    seen_arabic = seen_latin = False
    for char in text:
        kind = char_script(char)
        if kind == "arabic":
            seen_arabic = True
        elif kind == "latin":
            seen_latin = True
        if seen_arabic and seen_latin:
            return "mixed"
    if seen_arabic:
        return "arabic"
    if seen_latin:
        return "latin"
    return "unknown"
