"""Quotations, speakers and the claims they make."""

from __future__ import annotations

import pytest

from undercount.ingest.narrative import extract_text
from undercount.ingest.narrative._claims import classify


def _speakers(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.attribution) for q in extract_text(text).quotations]


def test_speaker_after_the_quote_with_role_and_organisation() -> None:
    text = (
        "“When so many civilians are killed in attack after attack, something is "
        "clearly wrong,” said Donatella Rovera, Senior Crisis Response Adviser at "
        "Amnesty International."
    )
    (quote,) = extract_text(text).quotations
    assert quote.speaker == "Donatella Rovera"
    assert (
        quote.speaker_role == "Senior Crisis Response Adviser at Amnesty International"
    )
    assert quote.speaker_organisation == "Amnesty International"
    assert text[quote.speaker_start : quote.speaker_end] == "Donatella Rovera"


def test_titles_pronouns_and_straight_quotes() -> None:
    text = (
        '"We are doing everything we can," said Col. John Dorrian, a coalition '
        "spokesman. “It is a tough fight,” he added. “The numbers are far higher,” "
        "Lt. Gen. Stephen Townsend said."
    )
    assert _speakers(text) == [
        ("We are doing everything we can,", "Col. John Dorrian", "same_sentence"),
        ("It is a tough fight,", "Col. John Dorrian", "same_sentence"),
        ("The numbers are far higher,", "Lt. Gen. Stephen Townsend", "same_sentence"),
    ]


def test_colon_introduction_and_multi_paragraph_quote() -> None:
    text = (
        "A resident of the Old City, Ahmed, described the strike and said:\n\n"
        "“The house collapsed on forty people.\n\n"
        "“We dug for three days.”"
    )
    found = extract_text(text).quotations
    assert [(q.speaker, q.attribution) for q in found] == [
        ("Ahmed", "introduced"),
        ("Ahmed", "continuation"),
    ]
    assert found[1].continues == found[0].id


def test_institutional_speakers() -> None:
    text = (
        "“Baghdad was the worst affected Governorate,” according to the report. "
        "“More than 231 civilians have been killed”, the agency said."
    )
    assert [q.speaker for q in extract_text(text).quotations] == [
        "the report",
        "the agency",
    ]


def test_apostrophes_are_not_quotes() -> None:
    text = "Amnesty International’s researcher said the coalition’s strikes were wrong."
    assert extract_text(text).quotations == []


@pytest.mark.parametrize(
    ("sentence", "claim_type"),
    [
        ("This is the most precise campaign in the history of warfare.", "precision"),
        ("These weapons cannot be precisely targeted.", "imprecision"),
        ("To his claims that this was precise, I would respond no.", "imprecision"),
        ("The coalition denied the allegations.", "denial"),
        ("Some attacks may amount to war crimes.", "accusation"),
        ("We call on all parties to protect civilians.", "call_to_action"),
        ("The strike flattened the street.", "harm_account"),
        ("The weather was fine.", None),
    ],
)
def test_claim_rules(sentence: str, claim_type: str | None) -> None:
    assert classify(sentence) == claim_type


def test_reported_speech_claims() -> None:
    text = (
        "Human Rights Watch said that Iraqi forces used indiscriminate rockets. "
        "A coalition spokesman denied that any civilians were harmed."
    )
    claims = extract_text(text).claims
    assert [(c.claim_type, c.speaker_type, c.reported) for c in claims] == [
        ("imprecision", "ngo", "reported_speech"),
        ("denial", "official", "reported_speech"),
    ]
    # different topics (weapon precision vs legality): not linked as contradictions
    assert [c.topic for c in claims] == ["weapon_precision", "legality"]
    assert claims[0].contradicts == () and claims[1].contradicts == ()
