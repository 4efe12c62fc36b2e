"""Quantity phrases become intervals by the fixed rules of docs/extract.md."""

from __future__ import annotations

import pytest

from undercount.ingest.narrative import extract_text
from undercount.ingest.narrative._quantities import (
    QUANTITY,
    parse_number,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("phrase", "kind", "low", "high"),
    [
        ("thousands", "vague", 2_000, 9_999),
        ("nearly a million", "approximate", 900_000, 1_000_000),
        ("between 15 and a hundred", "range", 15, 100),
        ("dozens", "vague", 24, 99),
        ("at least 105", "at_least", 105, None),
        ("more than 9,000", "more_than", 9_001, None),
        ("up to 29", "at_most", 0, 29),
        ("some 40,000", "approximate", 36_000, 44_000),
        ("tens of thousands", "vague", 20_000, 99_999),
        ("hundreds of thousands", "vague", 200_000, 999_999),
        ("9,000 to 11,000", "range", 9_000, 11_000),
        ("one hundred and five", "exact", 105, 105),
        ("half a million", "exact", 500_000, 500_000),
        ("1.2 million", "exact", 1_200_000, 1_200_000),
        ("twenty-five", "exact", 25, 25),
        ("a dozen", "exact", 12, 12),
    ],
)
def test_interval_rules(phrase: str, kind: str, low: int, high: int | None) -> None:
    match = QUANTITY.search(phrase)
    assert match is not None and match.group() == phrase
    quantity = parse_quantity(match)
    assert quantity is not None
    assert (quantity.kind, quantity.low, quantity.high) == (kind, low, high)


def test_relative_quantities_are_flagged() -> None:
    for phrase in ("thousands more", "another 50"):
        match = QUANTITY.search(phrase)
        assert match is not None
        quantity = parse_quantity(match)
        assert quantity is not None and quantity.relative


def test_parse_number_refuses_non_numbers() -> None:
    assert parse_number("a") is None
    assert parse_number("and") is None
    assert parse_number("9,000") == 9_000


@pytest.mark.parametrize(
    ("sentence", "low", "high", "outcomes", "victims"),
    [
        ("At least 105 civilians were killed.", 105, None, ("killed",), "civilians"),
        ("The strike killed 27 people.", 27, 27, ("killed",), "people"),
        ("the deaths of 2,521 civilians", 2521, 2521, ("killed",), "civilians"),
        ("Dozens of families remain trapped.", 24, 99, ("trapped",), "families"),
        ("50 civilian casualties were reported", 50, 50, ("casualties",), "civilians"),
        ("The death toll rose to 200.", 200, 200, ("killed",), "unspecified"),
        ("Hundreds of people are still missing.", 200, 999, ("missing",), "people"),
        ("more than 9,000 civilians died", 9001, None, ("killed",), "civilians"),
    ],
)
def test_casualty_statements(
    sentence: str, low: int, high: int | None, outcomes: tuple[str, ...], victims: str
) -> None:
    found = extract_text(sentence).casualties
    assert len(found) == 1, found
    c = found[0]
    assert (c.low, c.high, c.outcomes, c.victims) == (low, high, outcomes, victims)


@pytest.mark.parametrize(
    "sentence",
    [
        "The nine-month battle ended in July 2017.",
        "In 2017 the city had 1.5 million inhabitants.",
        "They walked 12 km to the camp over three days.",
        "Two airstrikes hit one house.",
        "Turnout was 45%.",
    ],
)
def test_numbers_that_are_not_casualty_figures(sentence: str) -> None:
    assert extract_text(sentence).casualties == []


def test_subgroups_and_source_families() -> None:
    text = (
        "Nineteen civilians, including seven children, were killed. Up to 29 people "
        "from two families were killed."
    )
    found = [(c.text, c.low, c.high, c.victims) for c in extract_text(text).casualties]
    assert found == [
        (
            "Nineteen civilians, including seven children, were killed",
            19,
            19,
            "civilians",
        ),
        ("seven children, were killed", 7, 7, "children"),
        ("Up to 29 people from two families were killed", 0, 29, "people"),
    ]
