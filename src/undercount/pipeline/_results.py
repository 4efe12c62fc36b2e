"""``results.json``: every figure with the versions, settings, seeds and input hashes
that produced it.

The document holds no time stamp and no absolute path, so that running the same
inputs with the same settings and seeds gives the same file byte for byte (a test
checks it); when it was run is in the report and the project's audit log.
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from undercount.pipeline._hashing import to_jsonable

__all__ = ["RESULTS_SCHEMA", "assemble_results", "software_versions", "write_results"]

RESULTS_SCHEMA = "undercount-results/1"

_PACKAGES = (
    "undercount",
    "numpy",
    "scipy",
    "pandas",
    "statsmodels",
    "numba",
    "splink",
    "duckdb",
    "vl-convert-python",
)


def software_versions() -> dict[str, str]:
    """Versions of Python and of the packages whose code produced the figures."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def assemble_results(
    analyses: list[dict[str, Any]],
    *,
    title: str,
    public: bool,
    small_cells: int,
    incidents: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole ``results.json`` document (JSON-ready)."""
    versions = software_versions()
    return dict(
        to_jsonable(
            {
                "schema": RESULTS_SCHEMA,
                "title": title,
                "undercount_version": versions["undercount"],
                "software": versions,
                "public": public,
                "small_cells": small_cells,
                "analyses": analyses,
                "incidents": incidents,
            }
        )
    )


def write_results(results: dict[str, Any], path: Path) -> Path:
    """Write ``results.json`` (UTF-8, sorted keys, two-space indent)."""
    path.write_text(
        json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return path
