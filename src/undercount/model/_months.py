"""Month names in English and Arabic, folded for lookup (not a public API).

Arabic has two month-name systems in everyday Gregorian use, and lists from Iraq
mix them:

* the Levantine/Iraqi (Syriac-derived) names used in Iraq, Syria, Lebanon, Jordan
  and Palestine: كانون الثاني، شباط، آذار، نيسان، أيار، حزيران، تموز، آب، أيلول،
  تشرين الأول، تشرين الثاني، كانون الأول; Iraqi registers also abbreviate the
  paired months as ك٢ ت١ ت٢ ك١;
* the transliterated European names used in Egypt and the Gulf: يناير، فبراير،
  مارس، أبريل، مايو، يونيو، يوليو، أغسطس، سبتمبر، أكتوبر، نوفمبر، ديسمبر
  (with the Egyptian يونيه، يوليه);

plus the Maghrebi (French-derived: جانفي، فيفري، أفريل، ماي، جوان، جويلية، أوت)
and Moroccan (غشت، شتنبر، نونبر، دجنبر، يوليوز) forms, which turn up in
international NGO lists. Lookups go through :func:`undercount.model._text.fold`,
so hamza/alef, yeh and teh-marbuta spelling variants and diacritics need no
separate entries.
"""

from __future__ import annotations

import re

from undercount.model._text import fold

__all__ = ["MONTH_NAMES", "MONTH_PATTERN", "month_number"]

_ENGLISH: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "jan."),
    2: ("february", "feb", "feb.", "febr."),
    3: ("march", "mar", "mar."),
    4: ("april", "apr", "apr."),
    5: ("may",),
    6: ("june", "jun", "jun."),
    7: ("july", "jul", "jul."),
    8: ("august", "aug", "aug."),
    9: ("september", "sep", "sep.", "sept", "sept."),
    10: ("october", "oct", "oct."),
    11: ("november", "nov", "nov."),
    12: ("december", "dec", "dec."),
}

_LEVANTINE: dict[int, tuple[str, ...]] = {
    1: ("كانون الثاني", "كانون ثاني", "كانون الثان", "ك2", "ك 2", "كانون 2"),
    2: ("شباط",),
    3: ("آذار", "اذار"),
    4: ("نيسان",),
    5: ("أيار", "ايار"),
    6: ("حزيران",),
    7: ("تموز",),
    8: ("آب", "اب"),
    9: ("أيلول", "ايلول"),
    10: ("تشرين الأول", "تشرين اول", "تشرين الاول", "ت1", "ت 1", "تشرين 1"),
    11: ("تشرين الثاني", "تشرين ثاني", "ت2", "ت 2", "تشرين 2"),
    12: ("كانون الأول", "كانون اول", "ك1", "ك 1", "كانون 1"),
}

_EGYPTIAN_GULF: dict[int, tuple[str, ...]] = {
    1: ("يناير", "ينايير"),
    2: ("فبراير", "فبرابر", "فبرير"),
    3: ("مارس",),
    4: ("أبريل", "ابريل", "إبريل", "ابرل"),
    5: ("مايو", "مايوه"),
    6: ("يونيو", "يونيه", "يونية"),
    7: ("يوليو", "يوليه", "يولية"),
    8: ("أغسطس", "اغسطس", "اغسطوس"),
    9: ("سبتمبر", "سيبتمبر"),
    10: ("أكتوبر", "اكتوبر", "اكتوير"),
    11: ("نوفمبر", "نوڤمبر", "نوفمير"),
    12: ("ديسمبر", "دیسمبر", "دسمبر"),
}

_MAGHREBI: dict[int, tuple[str, ...]] = {
    1: ("جانفي",),
    2: ("فيفري",),
    4: ("أفريل", "افريل"),
    5: ("ماي",),
    6: ("جوان",),
    7: ("جويلية", "جويليه", "يوليوز"),
    8: ("أوت", "اوت", "غشت"),
    9: ("شتنبر",),
    11: ("نونبر",),
    12: ("دجنبر",),
}


def _build() -> dict[str, int]:
    names: dict[str, int] = {}
    for table in (_ENGLISH, _LEVANTINE, _EGYPTIAN_GULF, _MAGHREBI):
        for number, spellings in table.items():
            for spelling in spellings:
                key = fold(spelling)
                if names.setdefault(key, number) != number:  # pragma: no cover
                    raise AssertionError(f"month name {key!r} given two numbers")
    return names


MONTH_NAMES: dict[str, int] = _build()
"""Folded month name -> month number (1-12)."""

# Longest names first so that "كانون الثاني" wins over a shorter prefix. Names end
# at a non-letter: ``\b`` does not work for Arabic names followed by ASCII digits.
MONTH_PATTERN: re.Pattern[str] = re.compile(
    "(?<![^\\W\\d_])("
    + "|".join(
        re.escape(n) + ("(?!\\d)" if n[-1].isdigit() else "")
        for n in sorted(MONTH_NAMES, key=len, reverse=True)
    )
    + ")(?![^\\W\\d_])"
)
"""Matches any folded month name that is not part of a longer word."""


def month_number(folded_name: str) -> int | None:
    """Month number for an already folded month name, or ``None``."""
    return MONTH_NAMES.get(folded_name)
