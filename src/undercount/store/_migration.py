"""One step of a versioned schema (shared by the store and the service tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from undercount.store._backend import Backend

__all__ = ["Migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: ``apply`` brings version ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[Backend], None]
