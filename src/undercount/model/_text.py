"""Text normalisation shared by the value parsers (not a public API).

The parsers compare cell contents with small vocabularies (month names, sex words,
age words, "unknown" markers). Before comparing, both sides go through
:func:`fold`, which removes the differences that carry no meaning in a cell:
letter case, Arabic diacritics and tatweel, alef/hamza, yeh and teh-marbuta
variants, Persian letter forms, bidirectional marks and Unicode compatibility forms.
"""

from __future__ import annotations

import re
import unicodedata

from undercount.model._digits import digits_to_ascii

__all__ = ["clean_spaces", "fold", "is_unknown_marker"]

# Characters deleted outright: harakat (U+064B..U+065F), superscript alef (U+0670),
# tatweel (U+0640), bidi marks and zero-width characters, BOM.
_DELETE = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670\u0640"
    + "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    + "\u2066\u2067\u2068\u2069\ufeff"
)

_LETTER_FOLDS: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",  # alef wasla
    "ى": "ي",  # alef maqsura written for final yeh (Egyptian usage)
    "ی": "ي",  # Persian yeh
    "ې": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",  # teh marbuta, often typed as heh
    "ک": "ك",  # Persian keheh
    "ڪ": "ك",
    "ھ": "ه",  # Urdu heh doachashmee
    "ہ": "ه",
}

# Punctuation that Arabic text uses in place of Latin equivalents.
_PUNCT_FOLDS: dict[str, str] = {
    "،": ",",  # ARABIC COMMA
    "؛": ";",
    "؍": "/",  # ARABIC DATE SEPARATOR
    "٫": ".",  # ARABIC DECIMAL SEPARATOR
    "٬": ",",  # ARABIC THOUSANDS SEPARATOR
    "۔": ".",  # ARABIC FULL STOP (Urdu)
    "؟": "?",
    "٪": "%",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u2044": "/",
    "\u2215": "/",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
}

_TABLE: dict[int, str | None] = {ord(c): None for c in _DELETE}
_TABLE.update({ord(k): v for k, v in _LETTER_FOLDS.items()})
_TABLE.update({ord(k): v for k, v in _PUNCT_FOLDS.items()})

_SPACES = re.compile(r"\s+")


def clean_spaces(text: str) -> str:
    """Collapse runs of white space to one space and strip both ends."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Normalise ``text`` for comparison with a vocabulary.

    NFKC (which also maps Arabic presentation forms to base letters), ASCII digits,
    case folding, Arabic letter and punctuation folds (see module docstring), single
    spaces, no leading or trailing white space.
    """
    text = unicodedata.normalize("NFKC", text)
    text = digits_to_ascii(text).translate(_TABLE).casefold()
    return clean_spaces(text)


_UNKNOWN_WORDS = (
    "",
    "?",
    "??",
    "???",
    "-",
    "--",
    "---",
    ".",
    "..",
    "...",
    "_",
    "/",
    "unknown",
    "unk",
    "unk.",
    "not known",
    "n/a",
    "n.a.",
    "n.a",
    "na",
    "n/k",
    "nk",
    "none",
    "null",
    "nil",
    "nan",
    "nat",
    "<na>",
    "not available",
    "not stated",
    "not recorded",
    "unspecified",
    "undetermined",
    "غير معروف",
    "غير معروفة",
    "غير معلوم",
    "غير محدد",
    "غير محددة",
    "غير متوفر",
    "غير متوفرة",
    "غير مذكور",
    "غير مذكورة",
    "مجهول",
    "مجهولة",
    "لا يوجد",
    "لا يعرف",
    "لا اعرف",
    "لا نعرف",
    "لا توجد معلومات",
    "نامعلوم",  # Persian "unknown"
    "نامشخص",
)

UNKNOWN_MARKERS: frozenset[str] = frozenset(fold(w) for w in _UNKNOWN_WORDS)
"""Folded cell contents that mean "not known" for every kind of value."""


def is_unknown_marker(folded: str) -> bool:
    """Whether an already :func:`fold`-ed cell says the value is not known."""
    return folded in UNKNOWN_MARKERS
