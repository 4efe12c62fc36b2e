"""Reading victim lists from CSV for linkage, with per-source names and column maps.

A list's source name is its file stem unless the config says otherwise. The config's
``sources`` table is keyed by file stem (or file name)::

    {"sources": {"morgue_2017": {"name": "morgue",
                                  "columns": {"Full name": "name", "ID": "record_id"}}}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from undercount.errors import UserInputError


def read_list(
    path: str | Path, *, columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Read one list (CSV, UTF-8 with or without BOM), every cell as text.

    ``columns`` renames the file's columns to canonical ones.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except FileNotFoundError:
        raise UserInputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UserInputError(f"{path}: is a directory, expected a CSV file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UserInputError(
            f"{path}: cannot read as UTF-8 CSV ({str(exc).splitlines()[0]}); "
            "save the list as CSV UTF-8"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if columns:
        missing = sorted(set(columns) - set(frame.columns))
        if missing:
            raise UserInputError(
                f"{path}: mapped column(s) {missing!r} not in the file; "
                f"columns are {list(frame.columns)!r}"
            )
        frame = frame.rename(columns=dict(columns))
    if frame.empty:
        raise UserInputError(f"{path}: no records (only a header or nothing)")
    return frame


def _source_config(sources: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    for key in (path.stem, path.name, str(path)):
        if key in sources:
            entry = sources[key]
            if not isinstance(entry, Mapping):
                raise UserInputError(
                    f"config sources.{key} must be a table with 'name' and/or "
                    f"'columns', got {entry!r}"
                )
            return entry
    return {}


def read_lists(
    paths: Sequence[str | Path], *, sources: Mapping[str, Any] | None = None
) -> dict[str, pd.DataFrame]:
    """Read several lists; returns ``{source name: records}`` in the given order.

    Raises
    ------
    UserInputError
        Unreadable file, two files with one source name, fewer than one list.
    """
    if not paths:
        raise UserInputError("no list given; pass one or more LIST.csv files")
    sources = sources or {}
    out: dict[str, pd.DataFrame] = {}
    for raw in paths:
        path = Path(raw)
        entry = _source_config(sources, path)
        name = str(entry.get("name", path.stem))
        if name in out:
            raise UserInputError(
                f"two lists are named {name!r} (file stems must differ, or set "
                "sources.<stem>.name in the config)"
            )
        out[name] = read_list(path, columns=entry.get("columns"))
    return out
