"""undercount.toml: loading, validation errors (one line), defaults, other tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.project import (
    CANONICAL_FIELDS,
    SourceConfig,
    find_project,
    init_project,
    load_config,
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "undercount.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_template_is_valid(tmp_path: Path) -> None:
    project = init_project(tmp_path / "p", name="Mosul")
    assert project.config.project.name == "Mosul"
    assert project.config.sources == {}
    assert project.config.source("anything") == SourceConfig()


def test_full_source_table(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            """
[sources.morgue]
title = "Morgue register"
file = "lists/morgue.csv"
encoding = "windows-1256"
delimiter = ";"
extra_columns = "keep"
dayfirst = false
[sources.morgue.columns]
"رقم الجثة" = "record_id"
"المحلة" = "keep"
[strata]
columns = ["district"]
""",
        )
    )
    morgue = config.sources["morgue"]
    assert morgue.encoding == "cp1256"  # normalised codec name
    assert morgue.columns["رقم الجثة"] == "record_id"
    assert config.model_extra == {"strata": {"columns": ["district"]}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sources.m]\nencodng = 'utf-8'\n", "unknown key 'encodng'"),
        ("[sources.m]\nencoding = 'klingon'\n", "unknown encoding 'klingon'"),
        ("[sources.m]\nextra_columns = 'drop'\n", "sources.m.extra_columns"),
        ("[sources.m]\ndelimiter = ';;'\n", "one character"),
        ("[sources.m.columns]\n'x' = 'nom'\n", "not a canonical field"),
        ("[sources.m.columns]\n'a' = 'name'\n'b' = 'name'\n", "both mapped to 'name'"),
        ("[sources.'bad name']\n", "source name 'bad name'"),
        ("[sources.m\n", "not valid TOML"),
    ],
)
def test_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserInputError, match=message) as info:
        load_config(_write(tmp_path, text))
    assert "\n" not in str(info.value)


def test_canonical_fields_are_the_models() -> None:
    from undercount.model import VICTIM_COLUMNS

    assert CANONICAL_FIELDS == VICTIM_COLUMNS


def test_find_project_walks_up(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    deep = tmp_path / "p" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project(deep).root == (tmp_path / "p").resolve()
    with pytest.raises(UserInputError, match="does not exist"):
        find_project(tmp_path / "missing")
