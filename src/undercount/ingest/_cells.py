"""Turning typed cells (XLSX, JSON, Parquet) into the text the validators read."""

from __future__ import annotations

import datetime
import math

__all__ = ["cell_text"]


def cell_text(value: object) -> str | None:
    """Text of a typed cell value, as a person reading the sheet would write it.

    Integral floats lose their ``.0`` (``30.0`` -> ``"30"``), dates become ISO
    (``2017-03-17``; a date-time at midnight is a date), booleans ``true``/``false``;
    ``None`` stays ``None``. NaN is treated as missing.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
