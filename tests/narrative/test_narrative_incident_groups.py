"""Which statements make one proposed incident (audit findings on the seed report).

On ``shared/seed/mosul-report.txt`` the audit found three weak proposals: "lost
a family member" (an interviewee's bereavement) proposed as an incident; the
headline "Thousands More Dead" and the body's "Thousands of civilians were
killed" proposed as two aggregates; and, in a text naming people and places in
Arabic script, an airstrike (105-200 killed) and a separate mortar strike (3
children) merged into one incident because they share a paragraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.ingest.narrative import Extraction, extract, extract_text

SEED = Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"

# Written for this test (no real event): two events in one paragraph, places and
# a name in Arabic script inside English text.
TWO_EVENTS = (
    "An airstrike on حي الجديدة (al-Jadida) in west Mosul on 17 March 2017 killed "
    "between 105 and 200 civilians, residents said. On 20 March, an ISIS mortar "
    "strike in Zanjili killed 3 children. Their father Ahmed al-Jubouri (احمد "
    "الجبوري) said the family had fled the neighbourhood."
)


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return extract(SEED, report_date="2017-07-20")


def test_personal_loss_is_a_casualty_but_no_incident(seed: Extraction) -> None:
    (loss,) = [c for c in seed.casualties if "lost a family member" in c.text]
    assert (loss.low, loss.high, loss.outcomes) == (1, 1, ("killed",))
    assert not [i for i in seed.incidents if loss.id in i.mention_ids]


def test_headline_and_body_are_one_aggregate(seed: Extraction) -> None:
    headline = next(c for c in seed.casualties if "Thousands More Dead" in c.text)
    body = next(
        c for c in seed.casualties if "Thousands of civilians were killed" in c.text
    )
    (battle,) = [i for i in seed.incidents if body.id in i.mention_ids]
    assert headline.id in battle.mention_ids
    assert battle.scope == "aggregate"
    assert battle.id == "incident-493ce1235086"  # the body paragraph's id is kept
    assert not [
        i for i in seed.incidents if headline.id in i.mention_ids and i is not battle
    ]
    killed = [f for f in battle.figures if f.outcome == "killed"]
    assert [(f.low, f.high) for f in killed] == [(2_000, 9_999)]


def test_seed_incidents(seed: Extraction) -> None:
    # the battle; the civilians trapped (15 to 100); the researcher's account of
    # harm in west Mosul (moved, killed and injured thousands)
    assert [(i.scope, i.place_names[0]) for i in seed.incidents] == [
        ("aggregate", "Mosul"),
        ("event", "West Mosul"),
        ("aggregate", "West Mosul"),
    ]


def test_distinct_events_in_one_paragraph_are_split() -> None:
    result = extract_text(TWO_EVENTS, report_date="2017-07-20")
    airstrike, mortar = result.incidents
    assert [(f.low, f.high) for f in airstrike.figures] == [(105, 200)]
    assert airstrike.weapon_ids == ("airstrike",)
    assert airstrike.period_start == "2017-03-17"
    assert "IQ-mosul-mosul-al-jadida" in airstrike.place_ids
    assert [(f.low, f.high, f.victims) for f in mortar.figures] == [(3, 3, "children")]
    assert mortar.weapon_ids == ("mortar",)
    assert mortar.place_ids == ("IQ-mosul-zanjili",)
    assert mortar.actor_ids == ("isis",)
    assert mortar.period_start == "2017-03-20"
    # the sentence after the mortar strike stays with it
    assert mortar.evidence.endswith("fled the neighbourhood.")
    assert airstrike.id != mortar.id


def test_one_event_told_in_several_sentences_stays_one() -> None:
    text = (
        "An airstrike hit a house in Zanjili, Mosul, on 17 March 2017 and killed "
        "12 civilians. Rescuers later found 5 more bodies in the rubble of the "
        "airstrike."
    )
    (incident,) = extract_text(text, report_date="2017-07-20").incidents
    assert len(incident.figures) == 2
