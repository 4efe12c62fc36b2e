"""Real spelling variants of Iraqi names: which must share a key, which must not.

Variant lists come from the spellings found in the Wikidata name pairs
(``../shared/data/arabic_english_name_transliteration``) and common usage in Iraqi
casualty lists; they are the cases the issue names.
"""

from __future__ import annotations

import pytest

from undercount.names import (
    canonical_key,
    canonical_tokens,
    consonant_key,
    detect_script,
    normalise_arabic,
    normalise_latin,
    phonetic_key,
    split_name,
)

SAME_NAME = {
    "mohammed": ["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "محمد",
                 "مُحَمَّد", "Mohamad"],
    "abdullah": ["Abdullah", "Abd Allah", "Abdallah", "عبدالله", "عبد الله", "Abdulla",
                 "Abd-Allah"],
    "hussein": ["Hussein", "Husayn", "Hussain", "Hussien", "Husein", "Hossein", "حسين"],
    "thanoon": ["Thanoon", "Dhanun", "Zanun", "Dhanoon", "ذنون"],
    "jubouri": ["al-Jubouri", "al-Jaburi", "Jubori", "al Juburi", "Aljubouri",
                "El-Jubouri", "الجبوري"],
    "younis": ["Younis", "Yunus", "Younes", "Yunis", "يونس"],
    "fatima": ["Fatima", "Fatimah", "Fatma", "Fatema", "فاطمة", "فاطمه"],
    "aisha": ["Aisha", "Aysha", "Ayesha", "Aicha", "عائشة", "عايشة"],
    "qasim": ["Qasim", "Kasim", "Kassem", "Qassim", "Qasem", "قاسم"],
    "hasan": ["Hassan", "Hasan", "حسن"],
    "abdulrahman": ["Abdul Rahman", "Abd al-Rahman", "Abdurrahman", "Abdelrahman",
                    "Abd ar-Rahman", "عبد الرحمن", "عبدالرحمن"],
    "abubakr": ["Abu Bakr", "Abubakr", "Abou Bakr", "أبو بكر", "ابوبكر"],
    "nouraldin": ["Nour al-Din", "Nureddin", "Nur al-Din", "نور الدين", "نورالدين"],
    "omar": ["Omar", "Umar", "Omer", "عمر"],
    "mahmoud": ["Mahmoud", "Mahmud", "Mahmood", "محمود"],
    "saad": ["Saad", "Sa'ad", "Saʿd", "سعد"],
    "ibrahim": ["Ibrahim", "Ebrahim", "Ibraheem", "إبراهيم", "ابراهيم"],
}  # fmt: skip

# Long vowels written with one Latin letter lose their mark: equal consonants,
# close (Jaro-Winkler >= 0.88) canonical keys.
CLOSE_NAME = {
    "khalid": ["Khalid", "Khaled", "خالد"],
    "yousif": ["Yousif", "Yusuf", "Youssef", "Yousef", "يوسف"],
    "kadhim": ["Kadhim", "Kazim", "Kadim", "Kathim", "Kazem", "كاظم"],
}

DIFFERENT = [
    ("Hasan", "Hussein"),
    ("حسن", "حسين"),
    ("Hassan", "حسين"),
    ("Hasan", "Husni"),
    ("حسين", "حسون"),
    ("Ali", "Alaa"),
    ("علي", "علاء"),
    ("Hamed", "Hameed"),
    ("حامد", "حميد"),
    ("Jamal", "Kamal"),
    ("Saleh", "Salem"),
    ("Mohammed", "Mahmoud"),
    ("Abdullah", "Abdulrahman"),
    ("Fatima", "Fatin"),
    ("Zainab", "Zaid"),
    ("Khalid", "Khalil"),
]


@pytest.mark.parametrize("name", sorted(SAME_NAME))
def test_names_variants_share_canonical_key(name: str) -> None:
    keys = {v: canonical_key(v) for v in SAME_NAME[name]}
    assert len(set(keys.values())) == 1, keys
    assert None not in keys.values()


@pytest.mark.parametrize("name", sorted(SAME_NAME) + sorted(CLOSE_NAME))
def test_names_variants_share_consonant_and_phonetic_key(name: str) -> None:
    variants = SAME_NAME.get(name) or CLOSE_NAME[name]
    assert len({consonant_key(v) for v in variants}) == 1
    assert len({phonetic_key(v) for v in variants}) == 1


@pytest.mark.parametrize("name", sorted(CLOSE_NAME))
def test_names_close_variants_are_close(name: str) -> None:
    from rapidfuzz.distance import JaroWinkler

    *latin, arabic = CLOSE_NAME[name]
    target = canonical_key(arabic)
    assert target is not None
    for variant in latin:
        key = canonical_key(variant)
        assert key is not None
        assert JaroWinkler.similarity(key, target) >= 0.88, (variant, key, target)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_different_names_do_not_collide(a: str, b: str) -> None:
    assert canonical_key(a) != canonical_key(b)


def test_names_hasan_and_hassan_arabic_forms_stay_apart_in_arabic() -> None:
    # حسن (Hasan) and حسان (Hassan) are different names; Latin "Hassan" is used for
    # both, so the cross-script key cannot separate them, but normalised Arabic does.
    assert normalise_arabic("حسن") != normalise_arabic("حسان")
    assert canonical_key("حسن") == canonical_key("حسان") == canonical_key("Hassan")


def test_names_full_name_from_issue_in_three_spellings() -> None:
    keys = {
        canonical_key("محمد يونس ذنون الحيالي"),
        canonical_key("Mohammed Younis Thanoon al-Hayali"),
        canonical_key("Muhammad Yunus Dhanun Al Hayyali"),
    }
    assert keys == {"mhmd yuns dnun hili"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّد", "محمد"),
        ("مـــحـمـد", "محمد"),
        ("أحمد إبراهيم آمنة ٱلياس", "احمد ابراهيم امنه الياس"),
        ("مؤمن وائل", "مومن وايل"),
        ("علاء", "علاء"),
        ("مصطفى", "مصطفي"),
        ("کریم ڕەزا", "كريم رهزا"),
        ("گ چ پ ژ ڤ", "گ چ پ ژ ڤ"),
        ("٣٤ ۵", "34 5"),
        ("عبد الله", "عبدالله"),
        ("عبد الرحمن", "عبدالرحمن"),
        ("أبو بكر", "ابوبكر"),
        ("أم علي", "امعلي"),
        ("نور الدين", "نورالدين"),
        ("فتح الله", "فتحالله"),
        ("علي ابن حسين", "علي بن حسين"),
        ("زينب بنت علي", "زينب بنت علي"),
        ("  محمد،  علي؛ ", "محمد علي"),
        ("ﷲ", "الله"),
    ],
)
def test_names_normalise_arabic(raw: str, expected: str) -> None:
    assert normalise_arabic(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mohammed  Younis", "mohammed younis"),
        ("Fátima Ayşe Hüseyin", "fatima ayse huseyin"),
        ("Saʿīd Sa'id Sa`id Sa’id", "said said said said"),
        ("al-Hayali", "al hayali"),
        ("El Hayali", "al hayali"),
        ("ash-Shammari", "al shammari"),
        ("ad-Dulaimi", "al dulaimi"),
        ("at-Tikriti", "al tikriti"),
        ("Abd al-Rahman", "abdulrahman"),
        ("Abdul Rahman", "abdulrahman"),
        ("Abdel Rahman", "abdulrahman"),
        ("Abdal Rahman", "abdulrahman"),
        ("Abd-ul-Rahman", "abdulrahman"),
        ("Abdurrahman", "abdulrahman"),
        ("Abd Allah", "abdullah"),
        ("Abdallah", "abdullah"),
        ("Ali ibn Hussein", "ali bin hussein"),
        ("Ali ben Hussein", "ali bin hussein"),
        ("Zainab bint Ali", "zainab bint ali"),
        ("Abu Bakr", "abubakr"),
        ("Abu'l-Hasan", "abualhasan"),
        ("Salah ad-Din", "salahaldin"),
        ("Salahuddin", "salahaldin"),
        ("Nasr Allah", "nasrallah"),
    ],
)
def test_names_normalise_latin(raw: str, expected: str) -> None:
    assert normalise_latin(raw) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Hajji", "الحاج", "Sheikh", "al-Hajj", "123", "٣٤", "Unknown",
     "مجهول الهوية", "😀", "—", "Mr. Dr."],
)  # fmt: skip
def test_names_no_usable_key_is_none(text: str) -> None:
    assert canonical_key(text) is None
    assert consonant_key(text) is None
    assert phonetic_key(text) is None
    assert canonical_tokens(text) == ()


def test_names_titles_are_dropped_from_keys() -> None:
    assert canonical_key("Hajji Mohammed Ali") == canonical_key("محمد علي")
    assert canonical_key("الحاج محمد علي") == canonical_key("Mohammed Ali")
    assert canonical_key("Sheikh Khaled al-Jubouri") == canonical_key("خالد الجبوري")


def test_names_markers_and_articles_are_dropped_from_tokens() -> None:
    assert canonical_tokens("Ali bin Hussein al-Jubouri") == canonical_tokens(
        "علي بن حسين الجبوري"
    )
    assert canonical_tokens("Ali Hussein Jubouri") == ("li", "hsin", "jburi")


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("محمد", "arabic"),
        ("Mohammed", "latin"),
        ("Hüseyin", "latin"),
        ("محمد Younis", "mixed"),
        ("Мухаммад", "unknown"),
        ("", "unknown"),
        ("123 ٤", "unknown"),
    ],
)
def test_names_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_names_split_iraqi_four_part_name() -> None:
    parts = split_name("محمد يونس ذنون الحيالي")
    assert (parts.given, parts.father, parts.grandfather, parts.family) == (
        "محمد",
        "يونس",
        "ذنون",
        "الحيالي",
    )
    assert parts.script == "arabic"
    assert parts.original == "محمد يونس ذنون الحيالي"


def test_names_split_compounds_count_as_one_part() -> None:
    parts = split_name("عبد الله أبو بكر عبد الرحمن الجبوري")
    assert (parts.given, parts.father, parts.grandfather, parts.family) == (
        "عبدالله",
        "ابوبكر",
        "عبدالرحمن",
        "الجبوري",
    )
    latin = split_name("Abdul Rahman bin Khalid al-Jubouri")
    assert (latin.given, latin.father, latin.grandfather, latin.family) == (
        "abdulrahman",
        "khalid",
        None,
        "al jubouri",
    )


def test_names_split_without_family_name_leaves_it_unknown() -> None:
    parts = split_name("Ahmed Ali Hussein")
    assert parts.family is None
    assert (parts.given, parts.father, parts.grandfather) == ("ahmed", "ali", "hussein")
    four = split_name("Ahmed Ali Hussein Khalaf")
    assert four.family is None
    assert four.others == ("khalaf",)
    five = split_name("Ahmed Ali Hussein Khalaf Jubouri")
    assert five.family == "jubouri"
    assert five.others == ("khalaf",)


def test_names_split_media_style_name_and_titles() -> None:
    parts = split_name("Hajji Muhammad al-Hayyali")
    assert (parts.given, parts.father, parts.family) == ("muhammad", None, "al hayyali")
    empty = split_name("الحاج")
    assert empty.given is None
    assert empty.original == "الحاج"


@pytest.mark.parametrize(
    "text",
    [
        "مصطفى موسى يحيى الحيالي",
        "Mustafa Musa Yahya al-Hayali",
        "عبد الله أبو بكر عبد الرحمن الجبوري",
        "Hajji Abdul Rahman bin Khalid ash-Shammari",
    ],
)
def test_names_part_keys_equal_keys_inside_full_name(text: str) -> None:
    parts = split_name(text)
    values = [parts.given, parts.father, parts.grandfather, *parts.others, parts.family]
    part_keys = tuple(canonical_key(p) for p in values if p is not None)
    assert part_keys == canonical_tokens(text)


def test_names_alef_maqsura_names_match_latin() -> None:
    assert canonical_key("مصطفى") == canonical_key("Mustafa")
    assert canonical_key("موسى") == canonical_key("Musa")
    assert canonical_key(split_name("مصطفى علي").given or "") == canonical_key(
        "Mustafa"
    )


def test_names_laqab_title_at_the_end_is_a_family_name() -> None:
    # al-Mulla and al-Sheikh are Mosul family names when they end a name with the
    # article; before a name (or without the article) they stay titles
    assert canonical_key("فاطمة وليد اسماعيل الملا") == canonical_key(
        "Fatima Walid Ismail al-Mulla"
    )
    assert split_name("فاطمة وليد اسماعيل الملا").family == "الملا"
    assert canonical_key("الملا") == canonical_key("al-Mulla") is not None
    assert canonical_key("Abeer Saad al-Shaikh") == canonical_key("عبير سعد الشيخ")
    assert canonical_key("Sheikh Khaled al-Jubouri") == canonical_key("خالد الجبوري")
    assert canonical_key("محمد الشيخ علي") == canonical_key("محمد علي")
    assert canonical_key("Sheikh") is None
    assert canonical_key("الحاج") is None
