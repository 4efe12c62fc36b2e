"""Arbitrary input never crashes the extractor (property-based)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from undercount.errors import UserInputError
from undercount.ingest.narrative import extract, extract_text

_WORDS = st.sampled_from(
    [
        "Mosul", "al-Jadida", "17", "Tammuz", "killed", "thousands", "of", "civilians",
        "“", "”", '"', "‘", "’", "said", "Lt.", "Gen.", "ISIS", "IRAMs", ":", "\n\n",
        "between", "and", "a", "hundred", "nearly", "million", "الموصل", "في", "March",
        "2017", "nine-month", "battle", "(", ")", ",", ".", "coalition", "Iraqi",
        "refuted", "the", "claims", "of", "who", "airstrike", "%", "-", "—", "at",
        "least", "more", "than", "9,000", "'s", "Raqqa", "Hit", "in",
    ]
)  # fmt: skip
_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_unicode_text(text: str) -> None:
    result = extract_text(text, report_date="2017-07-11")
    for mention in result.mentions:
        assert result.text[mention.start : mention.end] == mention.text


@_SETTINGS
@given(st.lists(_WORDS, max_size=80).map(" ".join))
def test_report_like_word_salad(text: str) -> None:
    result = extract_text(text)
    for mention in result.mentions:
        assert 0 <= mention.start <= mention.end <= len(result.text)
    for proposal in (*result.incidents, *result.claims):
        assert result.text[proposal.start : proposal.end] == proposal.evidence


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_result_or_a_user_error(data: bytes) -> None:
    try:
        extract(data, name="fuzz.bin")
    except UserInputError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize("prefix", [b"%PDF-1.7\n", b"<html><body>", b"\xef\xbb\xbf"])
@settings(max_examples=40, deadline=None)
@given(tail=st.binary(max_size=300))
def test_truncated_documents(prefix: bytes, tail: bytes) -> None:
    with contextlib.suppress(UserInputError):
        extract(prefix + tail, name="fuzz")
