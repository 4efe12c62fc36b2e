"""Stable hashes of settings and data: the keys of the stage cache and the provenance
of every figure in ``results.json``.

A hash must not depend on dict order, float formatting quirks or pandas' in-memory
layout, so settings are hashed as canonical JSON (sorted keys, no whitespace) and
frames as the UTF-8 CSV of their rows in a fixed order.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "canonical_json",
    "file_sha256",
    "frame_sha256",
    "json_sha256",
    "to_jsonable",
]


def to_jsonable(value: Any) -> Any:
    """``value`` with numpy scalars/arrays, tuples and paths turned into JSON types."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if np.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def canonical_json(value: Any) -> str:
    """Canonical JSON text (sorted keys, compact, UTF-8 characters kept)."""
    return json.dumps(
        to_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def json_sha256(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content: columns sorted by name, rows as given."""
    ordered = frame[sorted(frame.columns)]
    text = ordered.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
