"""Script-aware tokenisation shared by the keys and the name-structure parser.

A name may mix scripts ("محمد Younis"), so each token is normalised by the rules of
its own script in one pass: the Arabic letter table and the Latin romanisation are
applied together, then compounds are joined by the Latin and the Arabic rules
(each only touches tokens of its script). Titles and "unknown" placeholders are
recognised here too, because both the keys and :func:`split_name` drop them.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

from undercount.names._arabic import (
    _TABLE as _ARABIC_TABLE,
)
from undercount.names._arabic import (
    join_arabic_compounds,
)
from undercount.names._latin import (
    _MARK_TABLE,
    _MARKS,
    join_latin_compounds,
)
from undercount.names._script import is_arabic_block

__all__ = ["TITLES", "UNKNOWN_WORDS", "name_tokens", "normalise_name", "strip_titles"]

_TABLE = {**_ARABIC_TABLE, **_MARK_TABLE}
# For keys, alef maqsura stays distinct: final ى is a vowel (Musa), final ي is i.
_KEY_TABLE = {**_TABLE, ord("ى"): "ى"}

#: Honorifics and descriptions that accompany a name but are not part of it
#: (after normalisation). Dropped wherever they occur.
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


_DROP = TITLES | UNKNOWN_WORDS


class _CharTable(dict[int, "str | None"]):
    """``str.translate`` table for both scripts, filled lazily one character at a time.

    Each character is looked up once (NFKC, Arabic letter table, anyascii for other
    letters, case folding, punctuation to space) and the result is memoised, so a
    name is cleaned by a single ``str.translate`` call in C.
    """

    def __init__(self, arabic: dict[int, str | None]) -> None:
        super().__init__()
        self._arabic = arabic

    def __missing__(self, code: int) -> str | None:
        value = "".join(self._one(c) for c in unicodedata.normalize("NFKC", chr(code)))
        self[code] = value if value else None
        return value if value else None

    def _one(self, char: str) -> str:
        code = ord(char)
        if code in self._arabic:
            return self._arabic[code] or ""
        if char in _MARKS:
            return ""
        if char.isascii():
            if char.isalnum():
                return char.lower()
            return char if char.isspace() else " "
        if is_arabic_block(char):
            category = unicodedata.category(char)
            if category[0] in "LN":
                return char
            return "" if category[0] == "M" else " "
        if unicodedata.category(char)[0] in "LMN":
            romanised = anyascii(char).casefold()
            return "".join(self._one(c) for c in romanised if c.isascii())
        return " "


_CLEAN = _CharTable(_TABLE)
_CLEAN_KEY = _CharTable(_KEY_TABLE)


def name_tokens(text: str, *, for_key: bool = False) -> list[str]:
    """Tokens of ``text``, each normalised by the rules of its own script.

    Parameters
    ----------
    text : str
        A name in Arabic script, Latin script, or both.
    for_key : bool, default False
        Keep ى distinct from ي (the keys read a final ى as the vowel a).

    Returns
    -------
    list of str
        Normalised tokens (titles and placeholders still included), in order.
    """
    tokens = text.translate(_CLEAN_KEY if for_key else _CLEAN).split()
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


#: Titles that are also Mosul family names (laqab) when written last with the article.
LAQAB_TITLES = frozenset(
    {
        "الملا", "الشيخ", "السيد",
        "mulla", "mullah", "sheikh", "shaikh", "shaykh", "sayyid", "sayyed",
    }
)  # fmt: skip


def _is_laqab(token: str, kept: list[str]) -> bool:
    """``token`` (the last one) is a family name: a laqab title with its article."""
    if token not in LAQAB_TITLES:
        return False
    return token.startswith("ال") or bool(kept and kept[-1] == "al")


def strip_titles(tokens: list[str]) -> list[str]:
    """Drop titles, placeholder words and digit-only tokens wherever they occur.

    Titles are dropped in the middle of a name too: in "محمد الحاج علي" the title
    belongs to the father (Mohammed son of Hajj Ali). A Latin article before a
    title goes with it ("al-Hajj Ahmed" -> ahmed). Exception: a name that *ends*
    in al-Mulla, al-Sheikh or al-Sayyid with the article (الملا, الشيخ, السيد) ends
    in a family name (a laqab: titles precede names, they do not follow them), which
    is kept.
    """
    if _DROP.isdisjoint(tokens) and not any(t.isdigit() for t in tokens):
        return tokens
    kept: list[str] = []
    last = len(tokens) - 1
    for position, token in enumerate(tokens):
        if position == last and _is_laqab(token, kept):
            kept.append(token)
            continue
        if token in _DROP or token.isdigit():
            if token in TITLES and kept and kept[-1] == "al":
                kept.pop()
            continue
        kept.append(token)
    return kept
