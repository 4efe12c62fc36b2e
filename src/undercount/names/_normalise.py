"""Script-aware tokenisation shared by the keys and the name-structure parser.

A name may mix scripts ("محمد Younis"), so each token is normalised by the rules of
its own script in one pass: the Arabic letter table and the Latin romanisation are
applied together, then compounds are joined by the Latin and the Arabic rules
(each only touches tokens of its script). Titles and "unknown" placeholders are
recognised here too, because both the keys and :func:`split_name` drop them.
"""

from __future__ import annotations

import re
import unicodedata

from undercount.names._arabic import (
    _NON_WORD as _ARABIC_NON_WORD,
)
from undercount.names._arabic import (
    _TABLE as _ARABIC_TABLE,
)
from undercount.names._arabic import (
    join_arabic_compounds,
)
from undercount.names._latin import (
    _MARK_TABLE,
    _romanise_char,
    join_latin_compounds,
)

__all__ = ["TITLES", "UNKNOWN_WORDS", "name_tokens", "normalise_name", "strip_titles"]

_TABLE = {**_ARABIC_TABLE, **_MARK_TABLE}
_NON_WORD = _ARABIC_NON_WORD
del _ARABIC_NON_WORD
_DIGITS = re.compile(r"^\d+$")

#: Honorifics and descriptions that precede a name but are not part of it
#: (after normalisation). Dropped only at the start of a name.
TITLES = frozenset(
    {
        # Latin
        "hajji", "haji", "hajj", "hadji", "hajja", "hajjah", "haja", "hajia",
        "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "shekh", "sayyid",
        "sayyed", "seyyed", "seyed", "syed", "sayyida", "sayyidah", "mr", "mrs",
        "ms", "miss", "dr", "doctor", "eng", "engineer", "prof", "professor",
        "imam", "mullah", "mulla", "ustadh", "ustad", "martyr", "shahid",
        "shaheed", "late",
        # Arabic (normalised: ة -> ه)
        "الحاج", "الحاجه", "حاج", "حاجه", "حجي", "الحجي", "الشيخ", "شيخ",
        "السيد", "السيده", "الدكتور", "الدكتوره", "دكتور", "د", "المهندس",
        "المهندسه", "م", "الاستاذ", "الاستاذه", "استاذ", "الشهيد", "الشهيده",
        "شهيد", "شهيده", "المرحوم", "المرحومه", "الملا", "ملا", "المواطن",
        "المواطنه", "الامام",
    }
)  # fmt: skip

#: Placeholders for a missing name; dropped wherever they occur.
UNKNOWN_WORDS = frozenset(
    {
        "unknown", "unidentified", "unnamed", "anonymous", "nn", "na", "nil",
        "none", "null", "male", "female", "boy", "girl", "child", "baby",
        "infant", "body", "corpse", "victim",
        "مجهول", "مجهوله", "مجهولين", "الهويه", "هويه", "طفل", "طفله", "الطفل",
        "الطفله", "رضيع", "رضيعه", "الرضيع", "الرضيعه", "جثه", "الجثه", "ذكر",
        "انثى", "انثي",
    }
)  # fmt: skip


def _clean(text: str) -> str:
    """Character-level pass for both scripts at once."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(c if c.isascii() else _romanise_char(c) for c in text)
    text = text.casefold().translate(_TABLE)
    return _NON_WORD.sub(" ", text)


def name_tokens(text: str) -> list[str]:
    """Tokens of ``text``, each normalised by the rules of its own script.

    Parameters
    ----------
    text : str
        A name in Arabic script, Latin script, or both.

    Returns
    -------
    list of str
        Normalised tokens (titles and placeholders still included), in order.
    """
    tokens = _clean(text).split()
    if any(t.isascii() for t in tokens):
        tokens = join_latin_compounds(tokens)
    if not all(t.isascii() for t in tokens):
        tokens = join_arabic_compounds(tokens)
    return tokens


def normalise_name(text: str) -> str:
    """Normalise a name in either script (or both) to one spelling.

    Arabic-script tokens get :func:`normalise_arabic`'s rules, the others
    :func:`normalise_latin`'s. Idempotent.

    Examples
    --------
    >>> normalise_name("محمّد Younis al-Hayali")
    'محمد younis al hayali'
    """
    return " ".join(name_tokens(text))


def strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading titles, placeholder words anywhere, and digit-only tokens.

    A Latin article before a leading title goes with it ("al-Hajj Ahmed" -> ahmed).
    """
    start = 0
    while start < len(tokens):
        if tokens[start] in TITLES:
            start += 1
        elif (
            tokens[start] == "al"
            and start + 1 < len(tokens)
            and tokens[start + 1] in TITLES
        ):
            start += 2
        else:
            break
    return [
        t for t in tokens[start:] if t not in UNKNOWN_WORDS and not _DIGITS.match(t)
    ]
