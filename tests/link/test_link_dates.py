"""Precision-aware date of death comparison (and the age levels) evaluated in DuckDB."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pytest

from undercount.link import LinkageSettings
from undercount.link._keys import name_keys
from undercount.link._places import PlaceAliases
from undercount.link._prepare import prepare_lists
from undercount.link._settings import comparisons_for


def _level(comparison: str, left: dict[str, str], right: dict[str, str]) -> str:
    """Label of the comparison level two records fall in (first matching level)."""
    keys = name_keys()
    frame = pd.DataFrame([{"record_id": "1", **left}, {"record_id": "2", **right}])
    frame["name"] = "x"
    table = prepare_lists(
        {"a": frame}, keys, PlaceAliases.read_csv(None, keys.canonical_key)
    ).table
    settings = LinkageSettings()
    creator = next(
        c
        for c in comparisons_for({"given", "date", "age"}, settings)
        if c.create_output_column_name() == comparison
    )
    spec: dict[str, Any] = creator.get_comparison("duckdb").as_dict()
    row = {}
    for column in table.columns:
        if column == "name_tokens":
            continue
        row[f"{column}_l"] = table.iloc[0][column]
        row[f"{column}_r"] = table.iloc[1][column]
    pair = pd.DataFrame([row])
    cases = " ".join(
        f"WHEN {level['sql_condition']} THEN '{level.get('label_for_charts', i)}'"
        if level["sql_condition"] != "ELSE"
        else f"ELSE '{level.get('label_for_charts', i)}'"
        for i, level in enumerate(spec["comparison_levels"])
    )
    con = duckdb.connect()
    con.register("pair", pair)
    return str(con.execute(f"SELECT CASE {cases} END FROM pair").fetchone()[0])


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2017-03-17", "2017-03-17", "same day"),
        ("2017-03-17", "2017-03-19", "within 3 days"),
        # month precision vs a day inside that month: consistent, not different
        ("2017-03", "2017-03-17", "consistent (same month)"),
        ("2017-03", "2017-03", "consistent (same month)"),
        ("2017", "2017-03-17", "consistent (year only)"),
        ("2017-03", "2017-04-05", "within 10 days"),
        ("2017-03-17", "2017-07-17", "one of year, month, day differs (a typing slip)"),
        ("2017-03-02", "2017-06-20", "All other comparisons"),
        ("", "2017-03-17", "date unknown"),
    ],
)
def test_date_levels(left: str, right: str, expected: str) -> None:
    got = _level("date_of_death", {"date_of_death": left}, {"date_of_death": right})
    assert got == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"age": "34"}, {"age": "34"}, "same age"),
        ({"age": "34"}, {"age": "35"}, "ages overlap or 1 year apart"),
        # a birth year is an interval of two possible ages at death
        (
            {"age": "34"},
            {"birth_year": "1983", "date_of_death": "2017-05"},
            "ages overlap or 1 year apart",
        ),
        ({"age": "30"}, {"age": "34"}, "within 5 years"),
        ({"age": "3"}, {"age": "40"}, "All other comparisons"),
        ({"age": ""}, {"age": "40"}, "age unknown"),
    ],
)
def test_age_levels(left: dict[str, str], right: dict[str, str], expected: str) -> None:
    assert _level("age", left, right) == expected
