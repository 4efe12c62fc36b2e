"""The pipeline's tables of undercount.toml: validated with one-line errors."""

from __future__ import annotations

import pytest

from undercount.errors import UserInputError
from undercount.pipeline import pipeline_config


def test_defaults_when_nothing_is_configured() -> None:
    config = pipeline_config({})
    assert config.estimate.headline_method == "lcmcr"
    assert config.report.small_cells == 5
    assert config.acknowledgments == ()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"estimate": {"methods": []}}, "at least one method"),
        ({"estimate": {"strata": ["weekday"]}}, "unknown strata"),
        ({"estimate": {"levle": 0.9}}, "unknown key"),
        ({"estimate": {"level": 1.5}}, "estimate.level"),
        ({"report": {"small_cells": 0}}, "report.small_cells"),
        ({"linkage": {"treshold": 0.9}}, "unknown key"),
        ({"acknowledgments": [{"belligerent": "X", "document": "d"}]}, "acknowledg"),
    ],
)
def test_bad_values_are_one_line_user_errors(extra: dict, words: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(UserInputError) as info:
        pipeline_config(extra)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_acknowledgments_and_decisions_are_read() -> None:
    config = pipeline_config(
        {
            "linkage": {"threshold": 0.8, "decisions": "review.jsonl"},
            "acknowledgments": [
                {
                    "belligerent": "CJTF-OIR",
                    "period_start": "2017-02",
                    "period_end": "2017-07",
                    "deaths_acknowledged": 10,
                    "document": "a statement",
                }
            ],
            "other_stage": {"anything": 1},
        }
    )
    assert config.decisions == "review.jsonl"
    assert config.linkage == {"threshold": 0.8}
    assert config.acknowledgments[0].deaths_acknowledged == 10
