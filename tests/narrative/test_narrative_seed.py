"""The motivating report (shared/seed/mosul-report.txt): everything must be found.

Expected items were listed by reading the whole report by hand (see the module
constants); figures are the report's own words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.ingest.narrative import Extraction, extract

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "mosul-report.txt"
LOCAL_COPY = (
    Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"
)

# (words that must lie inside the statement, low, high, outcomes that must be there)
CASUALTIES = [
    ("Thousands More Dead", 2_000, 9_999, {"killed"}),
    ("Thousands of civilians were killed", 2_000, 9_999, {"killed"}),
    ("nearly a million were forced to flee", 900_000, 1_000_000, {"displaced"}),
    ("between 15 and a hundred civilians", 15, 100, {"trapped"}),
    ("moved thousands of civilians", 2_000, 9_999, {"displaced"}),
    ("killed and injured thousands of civilians", 2_000, 9_999, {"killed", "injured"}),
    ("lost a family member", 1, 1, {"killed"}),
    ("people were trapped", None, None, {"trapped"}),
    ("families who were full of shrapnel", None, None, {"injured"}),
]
PLACES = {"Mosul": 3, "west Mosul": 2, "Iraq": 4, "Syria": 1}
ACTORS = {
    "isis": 4,  # every "ISIS"
    # "U.S led coalition", "U.S-led coalition", "coalition" x6 (one "Iraq coalition")
    "coalition": 8,
    # "Iraqi forces" x4 (one "U.S-backed"), "Iraqi" in "Iraqi and coalition" x4
    "iraqi_forces": 8,
    "united_states": 5,  # "U.S Government", "U.S", "U.S Military", "U.S.", "U.S"
}
WEAPONS = {
    "IRAMs": "iram",
    "improvised rocket-assisted munitions": "iram",
    "flying IEDs": "ied",
    "imprecise explosive weapons": "explosive_weapons",
    "explosive and imprecise weapons": "explosive_weapons",
    "airstrikes": "airstrike",
    "ground attacks": "ground_attack",
}


@pytest.fixture(scope="module")
def seed() -> Extraction:
    path = SEED if SEED.exists() else LOCAL_COPY
    return extract(path, report_date="2017-07-20")


def test_every_casualty_figure_is_found(seed: Extraction) -> None:
    for words, low, high, outcomes in CASUALTIES:
        hits = [c for c in seed.casualties if words in c.text or c.text in words]
        assert hits, f"casualty statement {words!r} not found"
        best = hits[0]
        assert (best.low, best.high) == (low, high), (words, best)
        assert outcomes <= set(best.outcomes), (words, best.outcomes)
        assert seed.text[best.start : best.end] == best.text


def test_original_phrases_are_kept(seed: Extraction) -> None:
    phrases = {c.quantity_text for c in seed.casualties}
    assert {"Thousands", "nearly a million", "between 15 and a hundred"} <= phrases
    assert {"thousands"} <= phrases


def test_every_place_is_found(seed: Extraction) -> None:
    found: dict[str, int] = {}
    for place in seed.of_kind("place"):
        found[place.text] = found.get(place.text, 0) + 1
    assert found == PLACES
    west = [p for p in seed.of_kind("place") if p.text == "west Mosul"]
    assert all(
        p.place_id == "IQ-mosul-west" and p.parent_id == "IQ-town-mosul" for p in west
    )


def test_every_actor_is_found(seed: Extraction) -> None:
    counts: dict[str, int] = {}
    for actor in seed.of_kind("actor"):
        counts[actor.actor_id] = counts.get(actor.actor_id, 0) + 1
    assert counts == ACTORS


def test_every_weapon_is_found(seed: Extraction) -> None:
    found = {w.text: w.weapon_id for w in seed.of_kind("weapon")}
    assert found == WEAPONS


def test_both_quotations_with_their_speakers(seed: Extraction) -> None:
    quotes = seed.quotations
    townsend = [q for q in quotes if q.speaker_name == "Stephen Townsend"]
    assert len(townsend) == 1
    assert townsend[0].text == "most precise campaign in the history of warfare"
    assert townsend[0].speaker == "Lieutenant General Stephen Townsend"
    assert "Lieutenant General" in (townsend[0].speaker_role or "")
    assert townsend[0].speaker_organisation == "U.S Military"

    amnesty = [q for q in quotes if q.speaker_organisation == "Amnesty International"]
    assert len(amnesty) == 3  # one quote over three paragraphs
    assert all(q.speaker_role == "Iraq Expert and main researcher" for q in amnesty)
    assert amnesty[0].attribution == "introduced"
    assert [q.attribution for q in amnesty[1:]] == ["continuation", "continuation"]
    assert amnesty[1].continues == amnesty[0].id
    assert amnesty[0].text.startswith("To his claims that this was the most precise")
    assert amnesty[2].text.endswith("they wouldn’t even seek medical attention")


def test_scare_quote_is_not_a_quotation(seed: Extraction) -> None:
    assert not [q for q in seed.quotations if q.text == "winning"]
    assert [q.speaker for q in seed.quotations if "Stop contributing" in q.text] == [
        "Noam Chomsky"
    ]


def test_duration_resolved_against_report_date(seed: Extraction) -> None:
    battle = [t for t in seed.of_kind("time") if t.text == "nine-month battle"]
    assert len(battle) == 1
    assert battle[0].value == "P9M"
    assert battle[0].period_end == "2017-07-20"
    assert battle[0].period_start == "2016-10-23"  # 270 days earlier


def test_precision_claim_is_contradicted_by_the_researcher(seed: Extraction) -> None:
    precision = [c for c in seed.claims if c.claim_type == "precision"]
    assert len(precision) == 1
    official = precision[0]
    assert official.speaker == "Lieutenant General Stephen Townsend"
    assert official.speaker_type == "official"
    assert official.stance == "defends_conduct"
    imprecision = [c for c in seed.claims if c.claim_type == "imprecision"]
    assert imprecision
    assert all(c.speaker_type == "ngo" for c in imprecision)
    assert all(official.id in c.contradicts for c in imprecision)
    assert any(official.id in c.responds_to for c in imprecision)
    denial = [c for c in seed.claims if c.claim_type == "denial"]
    assert [c.speaker for c in denial] == ["Lieutenant General Stephen Townsend"]
    accusation = [c for c in seed.claims if c.claim_type == "accusation"]
    assert {c.speaker for c in accusation} == {"Amnesty International"}


def test_spans_index_the_returned_text(seed: Extraction) -> None:
    for mention in seed.mentions:
        assert seed.text[mention.start : mention.end] == mention.text
    for proposal in (*seed.incidents, *seed.claims):
        assert seed.text[proposal.start : proposal.end] == proposal.evidence
        assert proposal.status == "proposed"
