"""parse_sex, parse_number and digits_to_ascii on real-looking cells."""

from __future__ import annotations

import math

import pytest

from undercount.model import (
    Sex,
    ValueParseError,
    digits_to_ascii,
    parse_number,
    parse_sex,
)


@pytest.mark.parametrize(
    "text",
    ["M", "m", " m ", "M.", "Male", "MALE", "man", "boy", "ذكر", "رجل", "ولد", "صبي",
     "ذَكَر", "ذكـــر"],
)  # fmt: skip
def test_male(text: str) -> None:
    assert parse_sex(text) is Sex.MALE


@pytest.mark.parametrize(
    "text",
    ["F", "f", "Female", "woman", "girl", "أنثى", "انثى", "انثي", "امرأة", "إمرأة",
     "امراة", "امرأه", "مرأة", "بنت", "فتاة", "فتاه", "طفلة"],
)  # fmt: skip
def test_female(text: str) -> None:
    assert parse_sex(text) is Sex.FEMALE


@pytest.mark.parametrize(
    "text", [None, "", "  ", "unknown", "Unknown", "?", "غير معروف", "مجهول", "n/a"]
)
def test_unknown_sex(text: str | None) -> None:
    assert parse_sex(text) is Sex.UNKNOWN


@pytest.mark.parametrize("text", ["34", "17/03/2017", "Ahmed", "yes", "1", "MF"])
def test_sex_refuses_other_values(text: str) -> None:
    with pytest.raises(ValueParseError, match="not a recognised sex"):
        parse_sex(text)


def test_sex_enum_values() -> None:
    assert [s.value for s in Sex] == ["M", "F", "unknown"]
    assert Sex("M") is Sex.MALE and Sex("F") is Sex.FEMALE
    assert Sex("unknown") is Sex.UNKNOWN and str(Sex.FEMALE) == "F"
    assert parse_sex(Sex.FEMALE) is Sex.FEMALE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("007", 7),
        ("-3", -3),
        ("+3", 3),
        ("1,234", 1234),
        ("1,234,567", 1234567),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234\u202f567", 1234567),
        ("١٢٣٤", 1234),
        ("۱۲۳۴", 1234),
        ("١٬٢٣٤", 1234),
        ("١،٢٣٤", 1234),
        ("١٢٫٥", 12.5),
        ("12.5", 12.5),
        ("1,234.5", 1234.5),
        (".5", 0.5),
        ("12.0", 12.0),
        ("−7", -7),  # U+2212 minus sign
        (42, 42),
        (12.5, 12.5),
    ],
)
def test_parse_number(text: str | int | float, expected: int | float) -> None:
    result = parse_number(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("text", [None, "", " ", "unknown", "n/a", "-", math.nan])
def test_parse_number_blank(text: str | float | None) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text",
    ["1,5", "12,34", "1,2345", "1.234.567", "1e3", "abc", "12abc", "1, 234",
     "1,234 567", "1..2", "12.", "inf", True, math.inf, "٣٤ سنة"],
)  # fmt: skip
def test_parse_number_refuses(text: object) -> None:
    with pytest.raises(ValueParseError) as info:
        parse_number(text)  # type: ignore[arg-type]
    assert info.value.kind == "number"


def test_digits_to_ascii() -> None:
    assert digits_to_ascii("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert digits_to_ascii("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert digits_to_ascii("０１２") == "012"
    assert digits_to_ascii("Ahmed ١٧ آذار") == "Ahmed 17 آذار"
    assert digits_to_ascii("") == ""


def test_numpy_scalars_from_pandas() -> None:
    import numpy as np

    from undercount.model import AgeRange, PartialDate, parse_age

    assert parse_number(np.int64(5)) == 5 and type(parse_number(np.int64(5))) is int  # type: ignore[arg-type]
    assert parse_number(np.float64(2.5)) == 2.5
    assert parse_number(np.float64("nan")) is None
    assert parse_age(np.int64(5)) == AgeRange(5.0, 5.0, False, "5")  # type: ignore[arg-type]
    date = PartialDate(np.int64(2017), np.int32(3))  # type: ignore[arg-type]
    assert date == PartialDate(2017, 3) and type(date.year) is int
    assert type(AgeRange(30, 40).low) is float
