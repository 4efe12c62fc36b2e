"""Common header names of victim lists, in English and Arabic, per canonical field.

Headers are compared after :func:`header_key`: Unicode NFKC, case folding, Arabic
spelling variants folded (hamza forms of alef, alef maqsura, teh marbuta, tatweel,
diacritics), and every run of spaces/punctuation turned into one ``_``. So
``"Date of Death"``, ``"date_of_death"`` and ``"DATE-OF-DEATH"`` are the same key, as
are ``"تاريخ الوفاة"`` and ``"تاريخ الوفاه"``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ALIASES", "header_key", "lookup_alias"]

_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel
        **{chr(c): None for c in range(0x064B, 0x0660)},  # harakat
        "\u0670": None,
    }
)
_SEPARATORS = re.compile(r"[\W_]+")


def header_key(header: str) -> str:
    """Comparison key of a header (see module docstring)."""
    text = unicodedata.normalize("NFKC", header).casefold().translate(_ARABIC_FOLDS)
    return _SEPARATORS.sub("_", text).strip("_")


_RAW: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record_id", "record id", "id", "no", "no.", "number", "num", "#", "n°", "№",
        "serial", "serial no", "s/n", "sn", "case id", "case_id", "case no",
        "victim id", "victim_id", "ref", "reference", "entry", "row id",
        "رقم", "الرقم", "ت", "م", "تسلسل", "التسلسل", "الرقم التسلسلي", "رقم السجل",
        "رقم الضحية", "رقم الحالة", "رقم القيد",
    ),
    "name": (
        "name", "full name", "full_name", "fullname", "victim name", "victim",
        "name of victim", "deceased", "deceased name",
        "الاسم", "اسم", "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي", "اسم الضحية",
        "اسم المتوفى", "اسم الشهيد", "اسم القتيل", "الاسم واللقب",
    ),
    "given_name": (
        "given name", "given_name", "first name", "first_name", "firstname",
        "forename", "الاسم الاول", "الاسم الأول", "اسم الشخص",
    ),
    "father_name": (
        "father", "father name", "father's name", "fathers name", "father_name",
        "second name", "اسم الاب", "اسم الأب", "الاب", "الأب",
    ),
    "grandfather_name": (
        "grandfather", "grandfather name", "grandfather's name", "grandfather_name",
        "third name", "اسم الجد", "الجد",
    ),
    "family_name": (
        "family name", "family_name", "surname", "last name", "last_name", "lastname",
        "tribe", "clan", "laqab", "اللقب", "العائلة", "اسم العائلة", "العشيرة",
        "الكنية",
    ),
    "sex": (
        "sex", "gender", "m/f", "الجنس", "النوع", "الجنس (ذكر/انثى)",
    ),
    "age": (
        "age", "age (years)", "age years", "age_years", "age at death", "years",
        "العمر", "السن", "العمر (سنة)", "العمر بالسنوات",
    ),
    "birth_year": (
        "birth year", "birth_year", "year of birth", "year_of_birth", "yob", "born",
        "سنة الولادة", "سنة الميلاد", "المواليد", "التولد", "تولد", "مواليد",
    ),
    "date_of_death": (
        "date of death", "date_of_death", "death date", "death_date", "dod", "died",
        "date died", "date", "date of incident", "incident date", "date of killing",
        "تاريخ الوفاة", "تاريخ الوفاه", "تاريخ الاستشهاد", "تاريخ القتل",
        "التاريخ", "تاريخ الحادث", "تاريخ الحادثة", "تاريخ الوفاة/الاستشهاد",
    ),
    "place_of_death": (
        "place of death", "place_of_death", "death place", "place", "location",
        "place of incident", "مكان الوفاة", "مكان الوفاه", "مكان الاستشهاد", "المكان",
        "مكان الحادث", "مكان الحادثة", "مكان القتل",
    ),
    "incident_id": (
        "incident", "incident id", "incident_id", "event id", "event_id",
        "incident no", "رقم الحادثة", "رقم الحادث", "الحادثة",
    ),
    "perpetrator": (
        "perpetrator", "perpetrators", "responsible", "responsible party", "actor",
        "killed by", "attributed to", "الجهة المسؤولة", "الفاعل", "الجاني",
        "الجهة المنفذة",
    ),
    "notes": (
        "notes", "note", "comment", "comments", "remarks", "remark", "details",
        "description", "ملاحظات", "الملاحظات", "ملاحظة", "تفاصيل",
    ),
}  # fmt: skip


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for field, names in _RAW.items():
        for name in names:
            key = header_key(name) or name.strip()
            if table.get(key, field) != field:
                raise AssertionError(f"alias {name!r} claimed by two fields")
            table[key] = field
    return table


#: Header key -> canonical field.
ALIASES: dict[str, str] = _build()


def lookup_alias(header: str) -> str | None:
    """Canonical field a header stands for, or None when it is not a known alias."""
    key = header_key(header)
    return ALIASES.get(key if key else header.strip())
