"""The stage cache: each stage's output stored under the hash of its inputs.

A stage's key is the SHA-256 of everything that can change its output: the hashes of
its inputs (data or upstream keys), its settings and seeds, and the undercount
version. A re-run finds the outputs of unchanged stages on disk and recomputes only
the stages whose key changed; nothing is ever invalidated by time.

Outputs are plain files (JSON, Parquet, CSV) in ``<root>/<stage>/<key>/``, written to
a temporary folder and renamed into place, so an interrupted run never leaves a
half-written entry that a later run would trust.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from undercount.pipeline._hashing import json_sha256

__all__ = ["CACHE_FORMAT", "StageCache", "StageEvent"]

T = TypeVar("T")

CACHE_FORMAT = 1
"""Bumped when the layout of cached outputs changes (old entries are then ignored)."""

_DONE = ".complete"


@dataclass(frozen=True, slots=True)
class StageEvent:
    """What happened to one stage in a run: computed afresh or read from the cache."""

    stage: str
    key: str
    status: Literal["computed", "cached", "uncached"]
    seconds: float = 0.0


@dataclass
class StageCache:
    """Content-addressed store of stage outputs (``root=None`` disables caching).

    Parameters
    ----------
    root
        Folder of the cache (the pipeline uses ``<project>/.undercount/cache``).
    salt
        Mixed into every key: the undercount version, so that a new version never
        reads outputs an older one computed.
    """

    root: Path | None
    salt: str = ""
    events: list[StageEvent] = field(default_factory=list)

    def key(self, stage: str, inputs: Mapping[str, Any]) -> str:
        """The key of ``stage`` for these inputs (hex SHA-256)."""
        return json_sha256(
            {
                "stage": stage,
                "format": CACHE_FORMAT,
                "salt": self.salt,
                "inputs": dict(inputs),
            }
        )

    def run(
        self,
        stage: str,
        inputs: Mapping[str, Any],
        compute: Callable[[], T],
        save: Callable[[T, Path], None],
        load: Callable[[Path], T],
    ) -> tuple[T, str]:
        """Output of ``stage`` for ``inputs``: from the cache, or computed and saved.

        Returns the output and the stage key (recorded in ``results.json``).
        """
        import time

        key = self.key(stage, inputs)
        started = time.perf_counter()
        if self.root is None:
            value = compute()
            self._record(stage, key, "uncached", started)
            return value, key
        folder = self.root / stage / key
        if (folder / _DONE).is_file():
            try:
                value = load(folder)
            except (OSError, ValueError, KeyError):
                shutil.rmtree(folder, ignore_errors=True)  # unreadable: recompute
            else:
                self._record(stage, key, "cached", started)
                return value, key
        value = compute()
        self._save(folder, value, save)
        self._record(stage, key, "computed", started)
        return value, key

    def _save(self, folder: Path, value: T, save: Callable[[T, Path], None]) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        try:
            save(value, scratch)
            (scratch / _DONE).write_text("ok\n", encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            os.replace(scratch, folder)
        finally:
            if scratch.exists():
                shutil.rmtree(scratch, ignore_errors=True)

    def _record(self, stage: str, key: str, status: str, started: float) -> None:
        import time

        self.events.append(
            StageEvent(stage, key, status, round(time.perf_counter() - started, 3))  # type: ignore[arg-type]
        )

    def status(self) -> dict[str, str]:
        """``{stage: status}`` of the stages run so far (last event per stage)."""
        return {event.stage: event.status for event in self.events}
