"""``[report] data``: declaring the project's data edits one line of undercount.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.pipeline import declare_data, declared_data

CONFIG = """\
# my project
[project]
name = "p"

[report]   # report settings
title = "T"
simulated = true      # older spelling
small_cells = 5

[estimate]
seed = 3
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "undercount.toml").write_text(text, encoding="utf-8")
    return tmp_path / "undercount.toml"


def test_declare_replaces_one_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = _write(tmp_path, CONFIG)
    assert declared_data(path) == "simulated"
    assert declare_data(tmp_path, "real") == "simulated"
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["report"] == {"title": "T", "small_cells": 5, "data": "real"}
    assert data["estimate"] == {"seed": 3}
    assert "# my project" in text and "# report settings" in text
    assert declared_data(path) == "real"
    assert declare_data(tmp_path, None) == "real"
    assert declared_data(path) == "undeclared"
    assert tomllib.loads(path.read_text(encoding="utf-8"))["report"]["title"] == "T"


def test_declare_adds_the_table_when_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, '[project]\nname = "p"')
    declare_data(tmp_path, "simulated")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["report"] == {
        "data": "simulated"
    }


def test_an_inline_report_table_is_left_to_the_user(tmp_path: Path) -> None:
    text = 'report = { title = "T" }\n[project]\nname = "p"\n'
    path = _write(tmp_path, text)
    with pytest.raises(UserInputError, match="edit the file"):
        declare_data(tmp_path, "real")
    assert path.read_text(encoding="utf-8") == text
