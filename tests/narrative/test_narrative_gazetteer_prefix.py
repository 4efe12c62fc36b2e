"""Generic words for "neighbourhood" are prefixes, not places; missing Mosul names.

Audit findings: in "حي الزنجيلي" the word حي ("neighbourhood") became the Wasit
district Al-Hai, and in "Hay al-Tanak" "Hay" became the town Al Hayy; the Mosul
neighbourhoods Nablus, Yarmouk and al-Mansour were missed in "the Nablus, Yarmouk
and al-Mansour neighbourhoods".
"""

from __future__ import annotations

import pytest

from undercount.ingest.narrative._gazetteer import load_gazetteer


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.id) for m in load_gazetteer().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fighting in Mosul reached حي الزنجيلي on Sunday.",
            [("Mosul", "IQ-town-mosul"), ("الزنجيلي", "IQ-mosul-zanjili")],
        ),
        (
            "In Mosul, Hay al-Tanak was shelled.",
            [("Mosul", "IQ-town-mosul"), ("al-Tanak", "IQ-mosul-al-tanak")],
        ),
        (
            "Mosul: strikes hit Hay al-Yarmouk, Mahalla al-Mansour and Hayy Nablus.",
            [
                ("Mosul", "IQ-town-mosul"),
                ("al-Yarmouk", "IQ-mosul-yarmouk"),
                ("al-Mansour", "IQ-mosul-al-mansour"),
                ("Nablus", "IQ-mosul-nablus"),
            ],
        ),
        (
            "In west Mosul the Nablus, Yarmouk and al-Mansour neighbourhoods were hit.",
            [
                ("west Mosul", "IQ-mosul-west"),
                ("Nablus", "IQ-mosul-nablus"),
                ("Yarmouk", "IQ-mosul-yarmouk"),
                ("al-Mansour", "IQ-mosul-al-mansour"),
            ],
        ),
        (
            "the Mosul neighbourhoods of Zanjili, Nablus and Yarmouk",
            [
                ("Mosul", "IQ-town-mosul"),
                ("Zanjili", "IQ-mosul-zanjili"),
                ("Nablus", "IQ-mosul-nablus"),
                ("Yarmouk", "IQ-mosul-yarmouk"),
            ],
        ),
        # a multi-word name that starts with the generic word is still one name
        (
            "حي 17 تموز في الموصل",
            [("حي 17 تموز", "IQ-mosul-17-tammuz"), ("الموصل", "IQ-town-mosul")],
        ),
    ],
)
def test_generic_prefix_introduces_a_neighbourhood(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize("word", ["Hay", "Hayy", "Hai", "Mahalla", "Qada", "Nahiya"])
def test_generic_word_alone_is_no_place(word: str) -> None:
    assert _found(f"Residents of Mosul fled the {word} at night.") == [
        ("Mosul", "IQ-town-mosul")
    ]
    assert _found("وصلت المعارك إلى حي في الموصل") == [("الموصل", "IQ-town-mosul")]


def test_the_town_with_its_article_is_still_found() -> None:
    # the Wasit district Al-Hai (COD P-code), not dropped with the bare word
    assert _found("Protests in al-Hai, Wasit.") == [
        ("al-Hai", "IQG18Q01"),
        ("Wasit", "IQG18"),
    ]


def test_ambiguous_names_need_mosul_context() -> None:
    assert _found("Protesters gathered in Nablus and in the Yarmouk area.") == []
    assert _found("Strikes hit Yarmouk camp in Damascus.") == [
        ("Yarmouk camp", "SY-yarmouk-camp"),
        ("Damascus", "SY-damascus"),
    ]
