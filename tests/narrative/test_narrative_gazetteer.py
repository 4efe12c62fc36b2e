"""The shipped gazetteer: spellings, Arabic script, context rules, provenance."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from undercount.ingest.narrative import extract_text, load_gazetteer
from undercount.ingest.narrative._gazetteer_build import derive

IRAQ_GEO = Path(__file__).resolve().parents[3] / "shared" / "data" / "iraq_geo"


def _places(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.place_id) for m in extract_text(text).of_kind("place")]


def test_governorates_of_both_countries_are_shipped() -> None:
    gazetteer = load_gazetteer()
    levels = [(e.country, e.level) for e in gazetteer.entries.values()]
    # 18 Iraqi governorates in the 2019 COD; 14 Syrian governorates.
    assert levels.count(("IQ", "governorate")) == 18
    assert levels.count(("SY", "governorate")) == 14
    mosul = [e for e in gazetteer.entries.values() if e.parent == "IQ-town-mosul"]
    assert len(mosul) >= 60
    assert {e.bank for e in mosul} == {"west", "east"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighting reached Qayyarah, Qayara and al-Qayyarah.", "IQ-town-qayyarah"),
        ("They fled from Fallujah and Falluja.", "IQ-town-al-falluja"),
        ("Families returned to Tal Afar.", "IQ-town-tal-afar"),
        ("Strikes hit Raqqa and Raqqah.", "SY-raqqa"),
        ("Camps near Deir ez-Zor and Deir Ezzor.", "SY-deir-ez-zor"),
    ],
)
def test_transliteration_variants(text: str, expected: str) -> None:
    ids = {place_id for _, place_id in _places(text)}
    assert ids == {expected}


def test_mosul_neighbourhoods_need_mosul_context() -> None:
    with_mosul = _places(
        "In west Mosul, fighting moved from Zanjili and 17 Tammuz to Bab al-Toub, "
        "Nabi Shit and the Old City."
    )
    assert [t for t, _ in with_mosul] == [
        "west Mosul",
        "Zanjili",
        "17 Tammuz",
        "Bab al-Toub",
        "Nabi Shit",
        "Old City",
    ]
    assert _places("The Old City of Aleppo and Bab al-Toub.") == [
        ("Aleppo", "SY-aleppo")
    ]


def test_17_tammuz_is_a_place_not_a_date() -> None:
    result = extract_text("Airstrikes hit 17 Tammuz in Mosul.")
    assert [p.text for p in result.of_kind("place")] == ["17 Tammuz", "Mosul"]
    assert result.of_kind("time") == []


def test_ambiguous_words_need_a_locative_cue() -> None:
    assert _places("He hit the wall.") == []
    assert _places("Hit by a mortar, the house burned.") == []
    assert _places("Fighting in Hit and in Ana continued.") == [
        ("Hit", "IQ-town-hit"),
        ("Ana", "IQ-town-anah"),  # the town ranks before the district
    ]


def test_arabic_script_places_inside_english_text() -> None:
    result = extract_text(
        "The strike on الموصل الجديدة (Mosul al-Jadida) and في الزنجيلي killed 20 "
        "civilians, said أحمد."
    )
    places = [(p.text, p.place_id, p.script) for p in result.of_kind("place")]
    assert places == [
        ("الموصل الجديدة", "IQ-mosul-mosul-al-jadida", "arabic"),
        ("Mosul al-Jadida", "IQ-mosul-mosul-al-jadida", "latin"),
        ("الزنجيلي", "IQ-mosul-zanjili", "arabic"),
    ]
    assert [a.text for a in result.of_kind("arabic")] == ["في", "أحمد"]


def test_arabic_clitics_and_spelling_variants() -> None:
    assert _places("قصف والموصل") == [("والموصل", "IQ-town-mosul")]
    assert _places("نزحوا من الرقه") == [("الرقه", "SY-raqqa")]  # taa marbuta as haa


@pytest.mark.skipif(not IRAQ_GEO.exists(), reason="shared reference data not present")
def test_shipped_admin_file_is_reproducible_from_shared_data() -> None:
    shipped = json.loads(
        resources.files("undercount")
        .joinpath("data", "gazetteer", "iraq_admin.json")
        .read_text(encoding="utf-8")
    )
    assert derive(IRAQ_GEO) == shipped


def test_every_curated_entry_names_its_source() -> None:
    curated = json.loads(
        resources.files("undercount")
        .joinpath("data", "gazetteer", "curated.json")
        .read_text(encoding="utf-8")
    )
    notes = set(curated["sources"])
    assert all(place["source"] in notes for place in curated["places"])
