"""PartialDate and parse_partial_date: forms seen in real casualty lists."""

from __future__ import annotations

import datetime
import pickle

import pytest
from pydantic import BaseModel, ValidationError

from undercount.model import PartialDate, ValueParseError, parse_partial_date

D = PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017", D(2017)),
        ("2017-03", D(2017, 3)),
        ("2017-03-17", D(2017, 3, 17)),
        ("2017/03/17", D(2017, 3, 17)),
        ("2017.3.7", D(2017, 3, 7)),
        ("17/03/2017", D(2017, 3, 17)),
        ("17-3-2017", D(2017, 3, 17)),
        ("17.03.2017", D(2017, 3, 17)),
        ("17 / 03 / 2017", D(2017, 3, 17)),
        ("3/17/2017", D(2017, 3, 17)),  # unambiguous US order
        ("03/2017", D(2017, 3)),
        ("3-2017", D(2017, 3)),
        ("2017/3", D(2017, 3)),
        ("  2017 ", D(2017)),
        ("17 March 2017", D(2017, 3, 17)),
        ("17 MARCH 2017", D(2017, 3, 17)),
        ("March 2017", D(2017, 3)),
        ("Mar 17, 2017", D(2017, 3, 17)),
        ("Mar. 17, 2017", D(2017, 3, 17)),
        ("17th March 2017", D(2017, 3, 17)),
        ("17-Mar-2017", D(2017, 3, 17)),  # Excel dd-mmm-yyyy
        ("2017-3-7", D(2017, 3, 7)),
        # 0 for an unknown day or month, as registers write it
        ("00/03/2017", D(2017, 3)),
        ("0/0/2017", D(2017)),
        ("2017-00-00", D(2017)),
        ("2017-03-00", D(2017, 3)),
        ("00/2017", D(2017)),
        ("0 March 2017", D(2017, 3)),
        ("Friday, 17 March 2017", D(2017, 3, 17)),
        ("1st of Sept 2016", D(2016, 9, 1)),
        ("2017-03-17 00:00:00", D(2017, 3, 17)),
        ("2017-03-17T14:05:00Z", D(2017, 3, 17)),
        # Levantine / Iraqi month names
        ("17 آذار 2017", D(2017, 3, 17)),
        ("17 اذار 2017", D(2017, 3, 17)),
        ("١٧ آذار ٢٠١٧", D(2017, 3, 17)),
        ("كانون الثاني 2017", D(2017, 1)),
        ("كانون ثاني ٢٠١٧", D(2017, 1)),
        ("شباط 2017", D(2017, 2)),
        ("نيسان 2017", D(2017, 4)),
        ("5 أيار 2017", D(2017, 5, 5)),
        ("5 ايار 2017", D(2017, 5, 5)),
        ("حزيران 2017", D(2017, 6)),
        ("تموز ٢٠١٧", D(2017, 7)),
        ("آب 2016", D(2016, 8)),
        ("أيلول 2016", D(2016, 9)),
        ("17 تشرين الأول 2016", D(2016, 10, 17)),
        ("تشرين الاول 2016", D(2016, 10)),
        ("تشرين الثاني 2016", D(2016, 11)),
        ("كانون الأول ٢٠١٦", D(2016, 12)),
        ("ت1 2016", D(2016, 10)),
        ("ك٢ ٢٠١٧", D(2017, 1)),
        # Egyptian / Gulf month names and spelling variants
        ("يناير 2017", D(2017, 1)),
        ("20 فبراير 2017", D(2017, 2, 20)),
        ("مارس 2017", D(2017, 3)),
        ("أبريل 2017", D(2017, 4)),
        ("ابريل 2017", D(2017, 4)),
        ("إبريل 2017", D(2017, 4)),
        ("مايو 2017", D(2017, 5)),
        ("يونيو 2017", D(2017, 6)),
        ("يونيه 2017", D(2017, 6)),
        ("10 يوليو 2017", D(2017, 7, 10)),
        ("يوليه 2017", D(2017, 7)),
        ("أغسطس 2016", D(2016, 8)),
        ("اغسطس 2016", D(2016, 8)),
        ("سبتمبر 2016", D(2016, 9)),
        ("أكتوبر 2016", D(2016, 10)),
        ("اكتوبر 2016", D(2016, 10)),
        ("نوفمبر 2016", D(2016, 11)),
        ("ديسمبر 2016", D(2016, 12)),
        # mixed forms, separators, era suffix, weekdays, diacritics and tatweel
        ("آذار (مارس) 2017", D(2017, 3)),
        ("تشرين الأول/أكتوبر 2016", D(2016, 10)),
        ("الجمعة 17 آذار 2017م", D(2017, 3, 17)),
        ("١٧، آذار، ٢٠١٧", D(2017, 3, 17)),
        ("١٧؍٠٣؍٢٠١٧", D(2017, 3, 17)),
        ("۱۷/۰۳/۲۰۱۷", D(2017, 3, 17)),
        ("٢٠١٧-٠٣", D(2017, 3)),
        ("عام 2017", D(2017)),
        ("شهر آذار 2017", D(2017, 3)),
        ("أيّار 2017", D(2017, 5)),
        ("آذار ـ 2017", D(2017, 3)),
        ("\u200f17/03/2017\u200f", D(2017, 3, 17)),
    ],
)
def test_parse_accepts_real_forms(text: str, expected: PartialDate) -> None:
    result = parse_partial_date(text)
    assert result == expected
    assert result is not None and result.precision == expected.precision


@pytest.mark.parametrize(
    "text",
    ["", "   ", "unknown", "Unknown", "UNK", "n/a", "N/A", "?", "-", "—", "غير معروف",
     "غير معروفة", "مجهول", "nan", "NaT", "None", "لا يوجد"],
)  # fmt: skip
def test_unknown_markers_are_none(text: str) -> None:
    assert parse_partial_date(text) is None


def test_none_and_date_objects() -> None:
    assert parse_partial_date(None) is None
    assert parse_partial_date(datetime.date(2017, 3, 17)) == D(2017, 3, 17)
    assert parse_partial_date(datetime.datetime(2017, 3, 17, 9)) == D(2017, 3, 17)


def test_dayfirst_only_decides_ambiguous_dates() -> None:
    assert parse_partial_date("3/4/2017") == D(2017, 4, 3)
    assert parse_partial_date("3/4/2017", dayfirst=False) == D(2017, 3, 4)
    for dayfirst in (True, False):
        assert parse_partial_date("3/17/2017", dayfirst=dayfirst) == D(2017, 3, 17)
        assert parse_partial_date("17/3/2017", dayfirst=dayfirst) == D(2017, 3, 17)
        assert parse_partial_date("2017-03-04", dayfirst=dayfirst) == D(2017, 3, 4)
        assert parse_partial_date("00/03/2017", dayfirst=dayfirst) == D(2017, 3)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("42811", "Excel"),  # an Excel serial for 2017-03-17: never guessed
        ("17/03/17", "two-digit"),
        ("03/17", "two-digit"),
        ("17 Mar 17", "two-digit"),
        ("17", "two-digit"),
        ("17 March", "no four-digit year"),
        ("Mar-17", "no four-digit year"),  # Excel mmm-yy
        ("17-Mar-2017 extra", "unexpected word"),
        ("1438 هـ", "Hijri"),
        ("March-April 2017", "month"),
        ("2016-2017", "numbers"),
        ("2017-02-30", "no such day"),
        ("2016-02-30", "no such day"),
        ("31/04/2017", "no such day"),
        ("2017-13", "month"),
        ("2017-00-05", "month"),
        ("13/13/2017", "month"),
        ("1750", "year"),
        ("2150-01-01", "year"),
        ("banana", "not a date"),
        ("killed in March 2017", "unexpected word"),
        ("3/17/2017 foo", "unexpected word"),
        ("2017-03 10:00", "clock"),
        ("20170317", "bare number"),
    ],
)
def test_parse_refuses_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueParseError) as info:
        parse_partial_date(text)
    message = str(info.value)
    assert reason in message
    assert repr(text) in message
    assert "17 March 2017" in message  # the accepted forms are shown as the fix
    assert info.value.kind == "date" and info.value.value == text


def test_leap_day() -> None:
    assert parse_partial_date("29/02/2016") == D(2016, 2, 29)
    with pytest.raises(ValueParseError):
        parse_partial_date("29/02/2017")


def test_not_text_is_refused() -> None:
    with pytest.raises(ValueParseError):
        parse_partial_date(20170317)  # type: ignore[arg-type]


# ------------------------------------------------------------------ PartialDate
def test_constructor_validates() -> None:
    with pytest.raises(ValueParseError, match="month"):
        D(2017, 0)
    with pytest.raises(ValueParseError, match="day needs a month"):
        D(2017, None, 3)
    with pytest.raises(ValueParseError, match="no such day"):
        D(2017, 2, 29)
    with pytest.raises(ValueParseError, match="year"):
        D(1799)
    with pytest.raises(ValueParseError, match="integer"):
        D(True)
    # a ValueParseError is a ValueError (pydantic and callers rely on it)
    with pytest.raises(ValueError):
        D(2017, 12, 32)


def test_precision_interval_and_iso() -> None:
    year, month, day = D(2016), D(2016, 2), D(2016, 2, 29)
    assert [d.precision for d in (year, month, day)] == ["year", "month", "day"]
    assert (year.start(), year.end()) == (
        datetime.date(2016, 1, 1),
        datetime.date(2016, 12, 31),
    )
    assert month.end() == datetime.date(2016, 2, 29)  # leap year
    assert day.start() == day.end() == datetime.date(2016, 2, 29)
    assert [d.iso() for d in (year, month, day)] == ["2016", "2016-02", "2016-02-29"]
    assert str(month) == "2016-02"
    assert year.n_days() == 366 and month.n_days() == 29 and day.n_days() == 1
    assert month.midpoint() == datetime.date(2016, 2, 15)


def test_overlaps_contains_days_apart() -> None:
    year, march, day = D(2017), D(2017, 3), D(2017, 3, 17)
    assert year.overlaps(march) and march.overlaps(year) and march.overlaps(day)
    assert year.contains(march) and march.contains(day) and year.contains(day)
    assert not day.contains(march) and not march.contains(year)
    assert not march.overlaps(D(2017, 4))
    assert march.days_apart(year) == 0
    assert march.days_apart(D(2017, 4)) == 1  # 31 March -> 1 April
    assert D(2017, 4).days_apart(march) == 1
    assert D(2017, 3, 1).days_apart(D(2017, 3, 17)) == 16
    assert D(2016).days_apart(D(2017, 3, 1)) == 60  # 2016-12-31 -> 2017-03-01
    assert day.overlaps(datetime.date(2017, 3, 17))
    assert day.days_apart(datetime.date(2017, 3, 20)) == 3
    with pytest.raises(TypeError):
        day.overlaps("2017-03-17")  # type: ignore[arg-type]


def test_interval_order_is_certainly_before() -> None:
    year, march, april = D(2017), D(2017, 3), D(2017, 4)
    assert march < april and april > march
    assert march <= april and march <= march and march >= march
    # overlapping but different: incomparable
    assert not (year < march) and not (march < year)
    assert not (year <= march) and not (march >= year)
    assert not (year > march) and not (year >= march)
    assert D(2016) < march
    assert march < datetime.date(2017, 4, 1)
    assert datetime.date(2017, 2, 28) < march
    dates = [D(2017, 3, 1), D(2017), D(2017, 3, 2), D(2017, 3), D(2016), D(2017, 1)]
    assert sorted(dates, key=D.sort_key) == [
        D(2016),
        D(2017),
        D(2017, 1),
        D(2017, 3),
        D(2017, 3, 1),
        D(2017, 3, 2),
    ]


def test_equality_hash_coarsen() -> None:
    assert D(2017, 3) != D(2017, 3, 1)
    assert len({D(2017, 3), D(2017, 3), D(2017, 3, 1)}) == 2
    assert D(2017, 3, 17).coarsen("month") == D(2017, 3)
    assert D(2017, 3, 17).coarsen("year") == D(2017)
    assert D(2017).coarsen("day") == D(2017)
    with pytest.raises(AttributeError):
        D(2017).year = 2018  # type: ignore[misc]


def test_from_iso_is_strict() -> None:
    assert D.from_iso("2017-03") == D(2017, 3)
    for bad in ("2017-3", "17/03/2017", "٢٠١٧", "2017-03-17T00:00"):
        with pytest.raises(ValueParseError):
            D.from_iso(bad)


def test_errors_pickle() -> None:
    with pytest.raises(ValueParseError) as info:
        parse_partial_date("banana")
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value) and copy.kind == "date"


class _Holder(BaseModel):
    when: PartialDate | None = None


def test_pydantic_field_validation_and_serialisation() -> None:
    assert _Holder(when="17 آذار 2017").when == D(2017, 3, 17)
    assert _Holder(when=D(2017, 3)).model_dump() == {"when": "2017-03"}
    assert _Holder(when=D(2017, 3)).model_dump(mode="json") == {"when": "2017-03"}
    assert _Holder.model_validate_json('{"when": "2017-03"}').when == D(2017, 3)
    assert _Holder.model_validate({"when": {"year": 2017, "month": 3}}).when == D(
        2017, 3
    )
    assert _Holder.model_validate({"when": datetime.date(2017, 3, 1)}).when == D(
        2017, 3, 1
    )
    roundtrip = _Holder.model_validate_json(_Holder(when=D(2016)).model_dump_json())
    assert roundtrip.when == D(2016)
    with pytest.raises(ValidationError):
        _Holder(when="banana")
    with pytest.raises(ValidationError):
        _Holder(when="")
    schema = _Holder.model_json_schema()
    assert "pattern" in str(schema)
