"""The examples in the model's docstrings run, and docs/model.md names the API."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import undercount.model as model

MODULES = [
    "undercount.model._dates",
    "undercount.model._date_parser",
    "undercount.model._digits",
    "undercount.model._fields",
]
DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_docs_mention_every_public_name() -> None:
    text = DOC.read_text(encoding="utf-8")
    # Names from the capture-table modules are documented elsewhere.
    own = [
        n
        for n in model.__all__
        if not getattr(getattr(model, n), "__module__", "").startswith(
            ("undercount.model.capture_table", "undercount.model._capture")
        )
        and n != "CaptureTable"
    ]
    missing = [n for n in own if n not in text]
    assert not missing, f"docs/model.md does not mention {missing}"
