"""Fixtures for the estimation tests: the capture tables of tests/data/mse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from undercount.model.capture_table import CaptureTable

MSE_DIR = Path(__file__).resolve().parents[1] / "data" / "mse"


@pytest.fixture
def mse_table() -> Callable[[str], CaptureTable]:
    """Load ``tests/data/mse/<name>.csv`` as a CaptureTable."""

    def load(name: str) -> CaptureTable:
        return CaptureTable.read_csv(MSE_DIR / f"{name}.csv")

    return load
