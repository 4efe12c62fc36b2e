"""What every reader yields: the header, then batches of aligned rows and problems.

A reader turns a file into a header (list of column names) and an iterator of
:class:`RawBatch`. Rows in a batch are lists of cells aligned with the header
(``None`` only where the format has a real null, as JSON and Parquet do); rows the
reader cannot align (ragged CSV rows, broken quotes, invalid JSON lines) are
:class:`RowProblem` instead. Both count in ``rows_in``. Blank lines are not rows;
readers count them separately.

"Line" is the physical line where the row starts for text formats (CSV, TSV, JSON
Lines, JSON arrays), the sheet row for XLSX and the 1-based row number for Parquet,
counting the header as line 1 in tabular formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa

__all__ = ["EXTRA_KEY", "RAW_KEY", "RawBatch", "RowProblem", "TableReader"]

#: Key of ``original`` holding surplus cells of a row longer than the header.
EXTRA_KEY = "__extra__"
#: Key of ``original`` holding the raw text of a row that could not be split.
RAW_KEY = "__raw__"

Cell = str | None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row the reader could read but not align with the header.

    ``field`` is the column concerned (a header name) or ``"(row)"``.
    """

    line: int
    field: str
    reason: str
    original: dict[str, Any]


@dataclass(slots=True)
class RawBatch:
    """A slice of the file: aligned rows with their lines, and unalignable rows.

    Readers append Python rows to ``rows``/``lines``, or whole Arrow columns with
    :meth:`add_columns` (the fast paths); :meth:`columns` returns everything as one
    Arrow string array per header column, in file order.
    """

    lines: list[int] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    blank_lines: int = 0
    _segments: list[tuple[list[pa.Array], list[int]]] = field(default_factory=list)
    _segment_rows: int = 0

    def __len__(self) -> int:
        return len(self.rows) + self._segment_rows + len(self.problems)

    @property
    def n_rows(self) -> int:
        """Aligned rows (Python rows and Arrow segments)."""
        return len(self.rows) + self._segment_rows

    def _flush(self, width: int) -> None:
        if self.rows:
            arrays = [
                pa.array(column, pa.string()) for column in zip(*self.rows, strict=True)
            ]
            self._segments.append((arrays, self.lines))
            self._segment_rows += len(self.rows)
            self.rows = []
            self.lines = []

    def add_columns(self, columns: list[pa.Array], lines: list[int]) -> None:
        """Append rows given as Arrow string columns (after any Python rows)."""
        self._flush(len(columns))
        self._segments.append((columns, lines))
        self._segment_rows += len(lines)

    def columns(self, width: int) -> tuple[list[pa.Array], list[int]]:
        """All aligned rows as ``width`` Arrow string arrays, and their lines."""
        self._flush(width)
        if not self._segments:
            return [pa.array([], pa.string()) for _ in range(width)], []
        if len(self._segments) == 1:
            return self._segments[0]
        arrays = [
            pa.concat_arrays([segment[0][k] for segment in self._segments])
            for k in range(width)
        ]
        lines = [line for segment in self._segments for line in segment[1]]
        return arrays, lines


class TableReader(Protocol):
    """A streaming reader over one list file."""

    format: str
    encoding: str | None
    header: list[str]

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Columns in which a line break betrays a broken quote (text formats)."""

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of about ``size`` rows until the end of the file."""

    def progress(self) -> tuple[int, int]:
        """``(done, total)`` in bytes or rows, for a progress bar."""

    def close(self) -> None:
        """Release the file."""
