"""AgeRange and parse_age: exact, approximate, ranged, categorical, Arabic ages."""

from __future__ import annotations

import math

import pytest
from pydantic import BaseModel, ValidationError

from undercount.model import (
    AgeRange,
    PartialDate,
    ValueParseError,
    age_from_birth_year,
    parse_age,
)

M = 1 / 12


@pytest.mark.parametrize(
    ("text", "low", "high", "approximate"),
    [
        ("34", 34, 34, False),
        (" 34 ", 34, 34, False),
        ("٣٤", 34, 34, False),
        ("۳۴", 34, 34, False),
        ("34 years", 34, 34, False),
        ("34 years old", 34, 34, False),
        ("34 yrs", 34, 34, False),
        ("34y", 34, 34, False),
        ("Age: 34", 34, 34, False),
        ("aged 34", 34, 34, False),
        ("٣٤ سنة", 34, 34, False),
        ("34 عاما", 34, 34, False),
        ("عمره 34 سنة", 34, 34, False),
        ("العمر: ٣٤", 34, 34, False),
        ("3.5", 3.5, 3.5, False),
        ("٣٫٥", 3.5, 3.5, False),
        ("0", 0, 0, False),
        ("120", 120, 120, False),
        # approximate: +-3 years, or half the age when smaller
        ("~30", 27, 33, True),
        ("~ 30", 27, 33, True),
        ("approx 30", 27, 33, True),
        ("approx. 30", 27, 33, True),
        ("about 30", 27, 33, True),
        ("around 30 years", 27, 33, True),
        ("c. 30", 27, 33, True),
        ("30?", 27, 33, True),
        ("30 approx", 27, 33, True),
        ("حوالي 30", 27, 33, True),
        ("حوالى ٣٠", 27, 33, True),
        ("30 تقريبا", 27, 33, True),
        ("تقريباً ٣٠ سنة", 27, 33, True),
        ("~2", 1, 3, True),
        ("about 6 months", 0.25, 0.75, True),
        ("~119", 116, 120, True),
        # ranges
        ("30-35", 30, 35, False),
        ("30 - 35", 30, 35, False),
        ("30–35", 30, 35, False),
        ("30 to 35", 30, 35, False),
        ("30-35 years", 30, 35, False),
        ("between 30 and 35", 30, 35, False),
        ("بين 30 و 35", 30, 35, False),
        ("٣٠-٣٥", 30, 35, False),
        ("30 الى 35", 30, 35, False),
        ("30 or 31", 30, 31, False),
        ("~30-35", 30, 35, True),
        ("6-8 months", 0.5, 8 * M, False),
        ("6 months - 2 years", 0.5, 2, False),
        # decades
        ("30s", 30, 39, False),
        ("30's", 30, 39, False),
        ("early 30s", 30, 33, False),
        ("mid-30s", 33, 36, False),
        ("late 30s", 36, 39, False),
        ("الثلاثينات", 30, 39, False),
        ("في الثلاثينات من العمر", 30, 39, False),
        ("الأربعينيات", 40, 49, False),
        # months, weeks, days
        ("6 months", 0.5, 0.5, False),
        ("8 months old", 8 * M, 8 * M, False),
        ("6m", 0.5, 0.5, False),
        ("٦ أشهر", 0.5, 0.5, False),
        ("٦ شهور", 0.5, 0.5, False),
        ("شهرين", 2 * M, 2 * M, False),
        ("شهر", M, M, False),
        ("سنتين", 2, 2, False),
        ("2 years 6 months", 2.5, 2.5, False),
        ("سنتين و 6 اشهر", 2.5, 2.5, False),
        ("3 weeks", 21 / 365.25, 21 / 365.25, False),
        ("10 days", 10 / 365.25, 10 / 365.25, False),
        # open-ended
        ("under 18", 0, 18 - M, False),
        ("<5", 0, 5 - M, False),
        ("أقل من 18", 0, 18 - M, False),
        ("60+", 60, None, False),
        ("over 60", 60, None, False),
        ("60 and over", 60, None, False),
        ("أكثر من 60", 60, None, False),
        ("60 فما فوق", 60, None, False),
        # words
        ("child", 0, 17, False),
        ("Child", 0, 17, False),
        ("طفل", 0, 17, False),
        ("طفلة", 0, 17, False),
        ("infant", 0, 1, False),
        ("baby", 0, 1, False),
        ("رضيع", 0, 1, False),
        ("newborn", 0, M, False),
        ("teen", 13, 19, False),
        ("teenager", 13, 19, False),
        ("مراهق", 13, 19, False),
        ("adult", 18, None, False),
        ("بالغ", 18, None, False),
        ("elderly", 60, None, False),
        ("شيخ", 60, None, False),
        ("مسن", 60, None, False),
        ("مسنّة", 60, None, False),
        ("كبير السن", 60, None, False),
        ("عجوز", 60, None, False),
    ],
)
def test_parse_age_forms(
    text: str, low: float, high: float | None, approximate: bool
) -> None:
    age = parse_age(text)
    assert age is not None
    assert age.low == pytest.approx(low)
    if high is None:
        assert age.high is None
    else:
        assert age.high == pytest.approx(high)
    assert age.approximate is approximate
    assert age.text == text.strip()


@pytest.mark.parametrize(
    "text", [None, "", " ", "unknown", "?", "-", "n/a", "غير معروف", "مجهول", math.nan]
)
def test_unknown_ages_are_none(text: str | float | None) -> None:
    assert parse_age(text) is None


def test_numbers_are_exact() -> None:
    assert parse_age(34) == AgeRange(34.0, 34.0, False, "34")
    assert parse_age(34.0) == AgeRange(34.0, 34.0, False, "34")
    assert parse_age(0.5) == AgeRange(0.5, 0.5, False, "0.5")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-5", "negative"),
        (-1, "negative"),
        ("121", "above 120"),
        (150, "above 120"),
        ("130 years", "above 120"),
        ("35-30", "backwards"),
        ("110-130", "above 120"),
        ("banana", "not an age"),
        ("30 35", "not an age"),  # two bare numbers never add up
        ("30 bananas", "not an age"),
        ("1e3", "not an age"),
        ("M", "not an age"),  # a shifted sex column
        ("17/03/2017", "not an age"),  # a shifted date column
        ("about", "no age"),
        (True, "true/false"),
        (math.inf, "finite"),
    ],
)
def test_parse_age_refuses(value: object, reason: str) -> None:
    with pytest.raises(ValueParseError) as info:
        parse_age(value)  # type: ignore[arg-type]
    assert reason in str(info.value)
    assert info.value.kind == "age"


def test_age_range_helpers() -> None:
    child, thirties, old = parse_age("child"), parse_age("30s"), parse_age("60+")
    assert child is not None and thirties is not None and old is not None
    assert child.midpoint() == 8.5 and old.midpoint() is None
    assert thirties.contains(34) and not thirties.contains(40)
    assert old.contains(99) and old.upper == 120
    assert child.is_child() is True and thirties.is_child() is False
    teen = parse_age("teen")
    assert teen is not None and teen.is_child() is None  # straddles 18
    assert not child.overlaps(thirties)
    assert thirties.overlaps(parse_age("41"), tolerance=2)  # type: ignore[arg-type]
    assert not thirties.overlaps(parse_age("42"), tolerance=2)  # type: ignore[arg-type]
    assert thirties.distance(parse_age("42")) == 3  # type: ignore[arg-type]
    assert thirties.width() == 9
    assert parse_age("34").is_point  # type: ignore[union-attr]
    assert str(parse_age("~30")) == "~30"
    assert str(AgeRange(27.0, 33.0, True)) == "~27-33"
    assert str(AgeRange(60.0, None)) == "60-"
    with pytest.raises(ValueError):
        thirties.overlaps(child, tolerance=-1)


def test_age_range_validates() -> None:
    for low, high in ((-1, 5), (5, 121), (10, 5), (None, None), (math.nan, 3)):
        with pytest.raises(ValueParseError):
            AgeRange(low, high)
    assert AgeRange(None, 17).lower == 0


def test_age_from_birth_year() -> None:
    assert age_from_birth_year(1980, PartialDate(2017, 3, 17)) == AgeRange(
        36.0, 37.0, False, "born 1980"
    )
    assert age_from_birth_year(2017, PartialDate(2017)) == AgeRange(
        0.0, 0.0, False, "born 2017"
    )
    assert age_from_birth_year(2016, PartialDate(2017, 3)).high == 1
    with pytest.raises(ValueParseError, match="after"):
        age_from_birth_year(2018, PartialDate(2017, 3, 17))
    with pytest.raises(ValueParseError, match="above"):
        age_from_birth_year(1850, PartialDate(2017))


class _Holder(BaseModel):
    age: AgeRange | None = None


def test_pydantic_field() -> None:
    held = _Holder(age="~30")
    assert held.age == AgeRange(27.0, 33.0, True, "~30")
    dumped = held.model_dump(mode="json")
    assert dumped == {"age": {"low": 27.0, "high": 33.0, "approximate": True,
                              "text": "~30"}}  # fmt: skip
    assert _Holder.model_validate(dumped) == held
    assert _Holder.model_validate_json(held.model_dump_json()) == held
    assert _Holder(age=34).age == AgeRange(34.0, 34.0, False, "34")
    with pytest.raises(ValidationError):
        _Holder(age="banana")
    with pytest.raises(ValidationError):
        _Holder.model_validate({"age": {"low": 1, "high": 2, "bogus": 1}})
    assert "AgeRange" in str(_Holder.model_json_schema())
