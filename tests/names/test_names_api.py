"""Smoke tests of the public names API (detailed variant tests live beside)."""

from __future__ import annotations

import doctest
import importlib

import pytest

import undercount.names as names

MODULES = [
    "undercount.names._arabic",
    "undercount.names._latin",
    "undercount.names._keys",
    "undercount.names._script",
    "undercount.names._structure",
    "undercount.names._normalise",
]


@pytest.mark.parametrize("module", MODULES)
def test_names_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_names_public_api_exports() -> None:
    for name in (
        "normalise_arabic",
        "normalise_latin",
        "canonical_key",
        "canonical_tokens",
        "phonetic_key",
        "split_name",
        "NameParts",
        "detect_script",
    ):
        assert name in names.__all__


def test_names_cross_script_example_from_issue() -> None:
    keys = {
        names.canonical_key("محمد يونس ذنون الحيالي"),
        names.canonical_key("Mohammed Younis Thanoon al-Hayali"),
        names.canonical_key("Muhammad Yunus Dhanun Al Hayyali"),
    }
    assert len(keys) == 1
    assert None not in keys


@pytest.mark.parametrize("text", ["", "   ", "Hajji", "الحاج", "123", "٣٤", "Sheikh"])
def test_names_no_key_is_none(text: str) -> None:
    assert names.canonical_key(text) is None
    assert names.phonetic_key(text) is None
    assert names.canonical_tokens(text) == ()
