"""Settings: generated from the columns present, JSON round trip, validation."""

from __future__ import annotations

import pytest

from undercount.errors import UserInputError
from undercount.link import LinkageSettings
from undercount.link._settings import comparisons_for, splink_settings


def _names(comparisons: list[object]) -> list[str]:
    return [c.create_output_column_name() for c in comparisons]  # type: ignore[attr-defined]


def test_comparisons_follow_the_columns_present() -> None:
    settings = LinkageSettings()
    full = _names(
        comparisons_for(
            {"given", "father", "family", "date", "age", "sex", "place"}, settings
        )
    )
    assert full[:3] == ["given_name", "father_name", "family_name"]
    assert {"date_of_death", "age", "sex", "place_key", "surname", "same_list"} <= set(
        full
    )
    assert "grandfather_name" not in full
    names_only = _names(comparisons_for({"given", "family"}, settings))
    assert "date_of_death" not in names_only and "age" not in names_only
    assert "sex" not in names_only


def test_no_names_is_a_user_error() -> None:
    with pytest.raises(UserInputError, match="no name part"):
        comparisons_for({"date", "age"}, LinkageSettings())


def test_splink_settings_are_link_and_dedupe_with_tf_on_names() -> None:
    creator = splink_settings({"given", "family", "date"}, LinkageSettings(), [])
    assert creator.link_type == "link_and_dedupe"
    settings_dict = creator.create_settings_dict("duckdb")
    given = next(
        c
        for c in settings_dict["comparisons"]
        if c["output_column_name"] == "given_name"
    )
    assert any(
        level.get("tf_adjustment_column") == "given_key"
        for level in given["comparison_levels"]
    )


def test_json_round_trip() -> None:
    settings = LinkageSettings(threshold=0.7, veto=("sex",), extra_columns=("phone",))
    again = LinkageSettings.from_json(settings.to_json())
    assert again == settings


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"threshold": 1.5}, "threshold"),
        ({"review_band": [0.9, 0.2]}, "review_band"),
        ({"colour": "red"}, "unknown key"),
    ],
)
def test_bad_settings_name_the_rule(values: dict[str, object], fragment: str) -> None:
    with pytest.raises(UserInputError, match=fragment):
        LinkageSettings.from_dict(values)
