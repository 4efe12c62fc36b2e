"""Fixtures of the store tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from undercount.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty store in ``tmp_path`` (closed after the test)."""
    s = Store.create(tmp_path / "undercount.duckdb")
    yield s
    s.close()
