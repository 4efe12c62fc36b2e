"""Normalisation of Arabic-script names.

The same name reaches us written many ways: with or without harakat, with tatweel
stretching, with any of four alef forms, with ة or ه at the end, with Persian or
Kurdish keyboard letters (ی, ک, ە) in place of the Arabic ones, with the compound
"عبد الله" written apart or joined. :func:`normalise_arabic` maps all of these to one
form so that two spellings of one name compare equal as strings.

Decisions (recorded in ``docs/names.md``):

- Diacritics are taken from :data:`pyarabic.araby.DIACRITICS` (harakat, shadda, sukun,
  dagger alef, Quranic marks) and removed with one ``str.translate`` table, which is
  several times faster than calling pyarabic's stripping functions per name.
- ``أ إ آ ٱ`` -> ``ا``; ``ؤ`` -> ``و``; ``ئ`` -> ``ي``; standalone ``ء`` is kept,
  because it separates names (علاء Alaa, علا Ola); ``ة`` -> ``ه``; ``ى`` -> ``ي``.
- Persian/Kurdish shapes of Arabic letters are unified (``ک`` -> ``ك``; ``ی ې ێ`` ->
  ``ي``; ``ە ھ ۀ`` -> ``ه``; ``ڕ`` -> ``ر``; ``ڵ`` -> ``ل``; ``ۆ ۇ ۉ ۋ`` -> ``و``).
  The letters for sounds Arabic lacks (``پ چ ژ ڤ گ``) are kept: they are different
  letters, and Iraqi spellings use them for dialect sounds (گ for g, چ for ch). The
  cross-script key maps them to its consonant classes instead.
- Arabic-Indic and Persian digits become ASCII digits; punctuation becomes a space.
- Compounds become one token: ``عبد X`` -> ``عبدX``, ``ابو X`` -> ``ابوX``,
  ``ام X`` -> ``امX``, ``آل X`` -> ``الX``, ``X الله`` -> ``Xالله``,
  ``X الدين`` -> ``Xالدين``. The kinship markers ``ابن``/``بن`` become ``بن``;
  ``بنت`` stays. Markers stay separate tokens.

Letters of other scripts pass through unchanged (see :func:`normalise_latin`).
"""

from __future__ import annotations

import re
import unicodedata

from pyarabic import araby

__all__ = ["ARABIC_MARKERS", "arabic_tokens", "normalise_arabic"]

_DELETE = (
    "".join(araby.DIACRITICS)
    + araby.TATWEEL
    # zero-width and bidi controls that copy-paste leaves inside names
    + "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\ufeff"
)

_LETTERS = {
    "ا": "أإآٱٲٳٵ",
    "و": "ؤٶۆۇۈۉۊۋ",
    "ي": "ئٸۓىیېێۍےۑ",
    "ه": "ةۀۃەھہۂ",
    "ك": "کڪ",
    "ر": "ڕڑ",
    "ل": "ڵ",
    "ت": "ٹ",
    "د": "ڈ",
    "ء": "ٴ",
}

_DIGITS = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}

_TABLE: dict[int, str | None] = {ord(c): None for c in _DELETE}
for _target, _sources in _LETTERS.items():
    for _source in _sources:
        _TABLE[ord(_source)] = _target
for _source, _target in _DIGITS.items():
    _TABLE[ord(_source)] = _target
# Arabic punctuation that Python's \w would keep.
for _punct in "،؛؟٪٫٬۔":
    _TABLE[ord(_punct)] = " "

_NON_WORD = re.compile(r"[^\w\s]|_")

#: Kinship markers (son of / daughter of) after normalisation.
ARABIC_MARKERS = frozenset({"بن", "بنت"})

_PREFIXES = frozenset({"عبد", "ابو", "ام", "ال", "عبدال", "ابوال"})
_SUFFIXES = frozenset({"الله", "الدين"})
_MARKER_MAP = {"ابن": "بن"}


def _clean(text: str) -> str:
    """Letter-level normalisation: NFKC, diacritics, letter variants, digits."""
    # NFKC turns presentation forms and ligatures (ﷲ, ﻻ) into plain letters.
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    return _NON_WORD.sub(" ", text)


def join_arabic_compounds(tokens: list[str]) -> list[str]:
    """Join the parts of compound names into one token.

    Parameters
    ----------
    tokens : list of str
        Letter-normalised tokens, in order.

    Returns
    -------
    list of str
        Tokens with ``عبد``/``ابو``/``ام``/``ال`` glued to the following token,
        ``الله``/``الدين`` glued to the preceding one, and ``ابن`` written ``بن``.
    """
    out: list[str] = []
    for raw in tokens:
        token = _MARKER_MAP.get(raw, raw)
        glue_left = out and out[-1] in _PREFIXES
        glue_right = token in _SUFFIXES and out and out[-1] not in ARABIC_MARKERS
        if glue_left or glue_right:
            out[-1] += token
        else:
            out.append(token)
    return out


def arabic_tokens(text: str) -> list[str]:
    """Normalise ``text`` as Arabic script and split it into name tokens."""
    return join_arabic_compounds(_clean(text).split())


def normalise_arabic(text: str) -> str:
    """Normalise an Arabic-script name to one canonical spelling.

    Parameters
    ----------
    text : str
        A name (or any text) in Arabic script; letters of other scripts are kept.

    Returns
    -------
    str
        The name without diacritics or tatweel, with letter variants unified,
        compounds joined, punctuation removed and single spaces between tokens.
        Applying the function again changes nothing.

    Examples
    --------
    >>> normalise_arabic("مُحَمَّد يـونس ذَنّون الحَيّالي")
    'محمد يونس ذنون الحيالي'
    >>> normalise_arabic("عبد الله")
    'عبدالله'
    >>> normalise_arabic("فاطمة بنت عليّ")
    'فاطمه بنت علي'
    """
    return " ".join(arabic_tokens(text))
