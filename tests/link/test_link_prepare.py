"""Lists -> linkage table: names, dates, ages, sex, places; unknown stays unknown."""

from __future__ import annotations

import pandas as pd
import pytest

from undercount.errors import UserInputError
from undercount.link._keys import name_keys
from undercount.link._places import PlaceAliases
from undercount.link._prepare import prepare_lists


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    keys = name_keys()
    places = PlaceAliases.read_csv(None, keys.canonical_key)
    return prepare_lists({"list": frame}, keys, places).table


def test_arabic_and_latin_spellings_share_keys() -> None:
    table = _prepare(
        pd.DataFrame(
            {
                "record_id": ["1", "2"],
                "name": ["محمد يونس ذنون الحيالي", "Mohammed Younis Thanoon al-Hayali"],
                "place_of_death": ["المدينة القديمة", "Old City"],
            }
        )
    )
    for column in ("given_key", "father_key", "family_key", "place_key"):
        assert table.loc[0, column] == table.loc[1, column], column
    assert table.loc[0, "family_key"] is not None


def test_name_part_columns_are_used_as_given() -> None:
    table = _prepare(
        pd.DataFrame(
            {"record_id": ["1"], "given_name": ["Ahmed"], "family_name": ["al-Jubouri"]}
        )
    )
    assert table.loc[0, "given_key"] is not None
    assert table.loc[0, "father_key"] is None


def test_dates_keep_their_precision() -> None:
    table = _prepare(
        pd.DataFrame(
            {
                "record_id": ["1", "2", "3", "4"],
                "name": ["a b"] * 4,
                "date_of_death": ["2017-03-17", "2017-03", "2017", ""],
            }
        )
    )
    assert list(table["dod_precision"]) == ["day", "month", "year", None]
    # 2017-03 covers 1..31 March: end - start = 30 days
    assert table.loc[1, "dod_end"] - table.loc[1, "dod_start"] == 30
    assert table.loc[2, "dod_end"] - table.loc[2, "dod_start"] == 364
    assert table.loc[1, "dod_month"] == "2017-03"
    assert pd.isna(table.loc[1, "dod_day"])
    assert pd.isna(table.loc[3, "dod_start"])


def test_ages_from_age_or_birth_year_and_sex() -> None:
    table = _prepare(
        pd.DataFrame(
            {
                "record_id": ["1", "2", "3"],
                "name": ["a b"] * 3,
                "age": ["34", "", ""],
                "birth_year": ["", "1980", ""],
                "date_of_death": ["2017-03-01"] * 3,
                "sex": ["M", "female", "?"],
            }
        )
    )
    assert (table.loc[0, "age_low"], table.loc[0, "age_high"]) == (34, 34)
    assert (table.loc[1, "age_low"], table.loc[1, "age_high"]) == (36, 37)
    assert pd.isna(table.loc[2, "age_low"])
    assert list(table["sex"].fillna("?")) == ["M", "F", "?"]


@pytest.mark.parametrize(
    ("frame", "fragment"),
    [
        (pd.DataFrame({"name": ["a"]}), "no record_id column"),
        (pd.DataFrame({"record_id": ["1", "1"], "name": ["a", "b"]}), "more than once"),
        (pd.DataFrame({"record_id": ["1"], "age": ["3"]}), "no name column"),
    ],
)
def test_bad_lists_are_user_errors(frame: pd.DataFrame, fragment: str) -> None:
    with pytest.raises(UserInputError, match=fragment):
        _prepare(frame)
