"""Shared fixtures and determinism guards for the test suite."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

TESTS_DIR = Path(__file__).parent
DATA_DIR = TESTS_DIR / "data"


@pytest.fixture
def data_dir() -> Path:
    """Folder of the small real datasets shipped with the tests (see SOURCE.md)."""
    return DATA_DIR


@pytest.fixture(autouse=True)
def _forbid_global_numpy_rng(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any code that draws from numpy's global RNG: seeded generators only.

    Seeding the global RNG stays allowed (hypothesis seeds it before every example);
    drawing from it does not.
    """

    def _refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(
            "global numpy RNG used; pass a seeded numpy.random.Generator instead"
        )

    for name in ("rand", "randn", "randint", "random", "choice", "normal"):
        monkeypatch.setattr(np.random, name, _refuse)
