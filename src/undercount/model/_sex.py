"""Sex as recorded by a source: male, female or unknown (see :func:`parse_sex`)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from undercount.model._text import fold, is_unknown_marker
from undercount.model.errors import ValueParseError

__all__ = ["SEX_FORMS", "Sex", "parse_sex"]

SEX_FORMS = "M, F, male, female, man, woman, boy, girl, ذكر, أنثى, unknown"
"""The accepted forms, as shown in error messages."""


class Sex(StrEnum):
    """Recorded sex; the values are the canonical column values ``M``, ``F``,
    ``unknown`` (so ``Sex("M") is Sex.MALE`` and ``str(Sex.MALE) == "M"``)."""

    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "unknown"


_WORDS: dict[Sex, tuple[str, ...]] = {
    Sex.MALE: (
        "m", "m.", "male", "males", "man", "men", "boy", "mr", "mr.", "masculine",
        "ذكر", "رجل", "ولد", "صبي", "شاب", "مذكر", "زلمة", "زلمه",
    ),
    Sex.FEMALE: (
        "f", "f.", "female", "females", "woman", "women", "girl", "mrs", "mrs.",
        "ms", "ms.", "miss", "feminine",
        "أنثى", "انثى", "انثي", "امرأة", "إمرأة", "امراة", "مرأة", "مراة",
        "بنت", "فتاة", "طفلة", "شابة", "سيدة", "مؤنث", "نساء",
    ),
    Sex.UNKNOWN: (
        "u", "x", "unknown", "not known", "غير معروف", "غير معروفة", "غير محدد",
        "مجهول", "مجهولة", "?",
    ),
}  # fmt: skip

SEX_WORDS: dict[str, Sex] = {
    fold(w): sex for sex, words in _WORDS.items() for w in words
}
"""Folded word -> :class:`Sex`."""


def parse_sex(text: str | None) -> Sex:
    """Read a sex cell in English or Arabic.

    Parameters
    ----------
    text
        The cell. Case, Arabic spelling variants (hamza, teh marbuta, alef
        maqsura) and diacritics are ignored.

    Returns
    -------
    Sex
        ``Sex.MALE`` for m, male, man, boy, ذكر, رجل, ولد, صبي...; ``Sex.FEMALE`` for
        f, female, woman, girl, أنثى/انثى, امرأة, بنت, فتاة...; ``Sex.UNKNOWN`` for
        blank cells and "unknown" markers (unknown stays unknown).

    Raises
    ------
    ValueParseError
        For any other value: a sex column holding something else usually means a
        shifted column, which must be seen rather than read as "unknown".
    """
    if text is None:
        return Sex.UNKNOWN
    if isinstance(text, Sex):
        return text
    if not isinstance(text, str):
        raise ValueParseError("sex", text, "expected text", SEX_FORMS)
    return _parse_text(text)


@lru_cache(maxsize=1024)
def _parse_text(text: str) -> Sex:
    folded = fold(text)
    if is_unknown_marker(folded):
        return Sex.UNKNOWN
    sex = SEX_WORDS.get(folded)
    if sex is None:
        raise ValueParseError("sex", text, "not a recognised sex", SEX_FORMS)
    return sex
