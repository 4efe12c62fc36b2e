"""Formula escaping for CSV exports (CSV injection)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from undercount.store import escape_formulas


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+Ali", "'+Ali"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),  # plain numbers are read as numbers, never run
        ("+964", "+964"),
        ("-2.5", "-2.5"),
        ("Ali", "Ali"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        ("علي", "علي"),
    ],
)
def test_escape(cell: str | None, expected: str | None) -> None:
    assert escape_formulas(pa.array([cell], pa.string())).to_pylist() == [expected]


def test_non_text_columns_untouched() -> None:
    column = pa.array([-3, 4])
    assert escape_formulas(column) is column
