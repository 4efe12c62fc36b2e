"""Place alias normalisation against the shipped gazetteer."""

from __future__ import annotations

import pytest

from undercount.incidents import PlaceResolver, place_key
from undercount.incidents._places import default_resolver


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("al-Shifa", None, "IQ-mosul-al-shifa"),
        ("Shifaa, Mosul", None, "IQ-mosul-al-shifa"),
        ("Al-Shafaa, Mosul", None, "IQ-mosul-al-shifa"),  # vowels differ: consonants
        ("Al-Shafaa", "Mosul, Ninewa, Iraq", "IQ-mosul-al-shifa"),
        ("الشفاء", None, "IQ-mosul-al-shifa"),
        ("Zanjilly", None, "IQ-mosul-zanjili"),
        ("al-Zanjili", None, "IQ-mosul-zanjili"),
        ("al-Jadidah", None, "IQ-mosul-mosul-al-jadida"),
        ("New Mosul", None, "IQ-mosul-mosul-al-jadida"),
        ("Mosul al Jadida / New Mosul", None, "IQ-mosul-mosul-al-jadida"),
        ("Mosul", None, "IQ-town-mosul"),
    ],
)
def test_spellings(text: str, context: str | None, expected: str) -> None:
    hit = default_resolver().resolve(text, context)
    assert hit is not None and hit.place_id == expected


def test_homonym_without_context_is_not_forced_into_mosul() -> None:
    # "Al-Shafaa" alone is a Syrian town in the gazetteer.
    hit = default_resolver().resolve("Al-Shafaa")
    assert hit is not None and not hit.place_id.startswith("IQ-mosul")


def test_neighbourhood_inherits_city_point() -> None:
    hit = default_resolver().resolve("Zanjili, Mosul")
    assert hit.latitude is not None and hit.location_precision == "near"
    assert "IQ-town-mosul" in default_resolver().ancestors(hit.place_id)


def test_unknown_place() -> None:
    assert default_resolver().resolve("Nowhere-in-particular") is None
    assert default_resolver().resolve("   ") is None


def test_keys() -> None:
    assert place_key("al-Jadidah") == place_key("Jadida")
    assert place_key("Zanjilly") == place_key("Zanjili")
    assert place_key("Bab al-Toub") == place_key("Bab al-Tub")


def test_extra_aliases() -> None:
    resolver = PlaceResolver({"Hay al-Khaleej": "IQ-mosul-zanjili"})
    assert resolver.resolve("Hay al-Khaleej").place_id == "IQ-mosul-zanjili"
