"""Property tests: the name functions never crash and are stable where expected."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from undercount.names import (
    NameParts,
    canonical_key,
    canonical_tokens,
    consonant_key,
    detect_script,
    normalise_arabic,
    normalise_latin,
    normalise_name,
    phonetic_key,
    split_name,
)

_NUMPY_SEED = np.random.seed


@pytest.fixture(autouse=True)
def _let_hypothesis_seed_numpy(
    _forbid_global_numpy_rng: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hypothesis seeds (and restores) numpy's global RNG around every example.

    The suite-wide guard refuses ``np.random.seed``; these tests draw no numbers
    from numpy (the names code does not use it), so only seeding is let through.
    """
    monkeypatch.setattr(np.random, "seed", _NUMPY_SEED)


ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةپچژڤگکیە"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
TATWEEL = "\u0640"

arabic_words = st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=8)
arabic_names = st.lists(arabic_words, min_size=1, max_size=5).map(" ".join)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-", min_size=1, max_size=10)
latin_names = st.lists(latin_words, min_size=1, max_size=5).map(" ".join)
any_text = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_names_functions_never_crash_on_arbitrary_unicode(text: str) -> None:
    for result in (normalise_arabic(text), normalise_latin(text), normalise_name(text)):
        assert isinstance(result, str)
    key = canonical_key(text)
    assert key is None or (key and key == key.strip())
    assert isinstance(canonical_tokens(text), tuple)
    assert consonant_key(text) is None or key is not None
    assert phonetic_key(text) is None or key is not None
    assert isinstance(split_name(text), NameParts)
    assert detect_script(text) in {"arabic", "latin", "mixed", "unknown"}


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_names_normalisation_is_idempotent(text: str) -> None:
    for fn in (normalise_arabic, normalise_latin, normalise_name):
        once = fn(text)
        assert fn(once) == once


@settings(max_examples=200, deadline=None)
@given(arabic_names | latin_names)
def test_names_normalisation_is_idempotent_on_names(text: str) -> None:
    for fn in (normalise_arabic, normalise_latin, normalise_name):
        once = fn(text)
        assert fn(once) == once


@settings(max_examples=200, deadline=None)
@given(latin_names)
def test_names_key_stable_under_case_and_whitespace(text: str) -> None:
    key = canonical_key(text)
    assert canonical_key(text.upper()) == key
    assert canonical_key(text.title()) == key
    assert canonical_key("  " + text.replace(" ", "   \t") + " ") == key


@settings(max_examples=200, deadline=None)
@given(arabic_names, st.data())
def test_names_key_stable_under_diacritics_and_tatweel(
    text: str, data: st.DataObject
) -> None:
    key = canonical_key(text)
    marks = data.draw(
        st.lists(
            st.sampled_from(HARAKAT + TATWEEL), min_size=len(text), max_size=len(text)
        )
    )
    decorated = "".join(
        char + mark if char != " " else char
        for char, mark in zip(text, marks, strict=True)
    )
    assert canonical_key(decorated) == key
    assert normalise_arabic(decorated) == normalise_arabic(text)


@settings(max_examples=100, deadline=None)
@given(arabic_names | latin_names)
def test_names_key_is_a_function_of_the_normalised_name(text: str) -> None:
    assert canonical_key(normalise_name(text)) == canonical_key(text) or "ى" in text


@settings(max_examples=300, deadline=None)
@given(arabic_names | latin_names)
def test_names_part_keys_are_the_canonical_tokens(text: str) -> None:
    parts = split_name(text)
    values = [parts.given, parts.father, parts.grandfather, *parts.others, parts.family]
    keys = tuple(canonical_key(p) for p in values if p is not None)
    assert keys == canonical_tokens(text)
