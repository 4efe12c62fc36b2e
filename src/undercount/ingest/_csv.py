"""CSV and TSV reader: streaming, with recovery from broken quotes and ragged rows.

The file is decoded incrementally and parsed with :mod:`csv` in strict mode, so a
quoting error is reported rather than silently repaired (non-strict parsing drops
quote characters). When a record cannot be parsed, or a quoted field swallows line
breaks where none belong (a column listed by :meth:`CsvReader.set_multiline_forbidden`),
or a record spans more than :data:`MAX_RECORD_LINES` lines, the reader *re-syncs*: the
record's first physical line becomes one quarantined row (its raw text kept), and
parsing restarts on the next line. One stray quote therefore costs one row, not the
rest of the file.

Rules (documented in docs/import.md):

- a line that is empty, or whose cells are all empty or blank, is not a row;
- a row with fewer cells than the header is quarantined; a row with more cells is
  quarantined unless the surplus cells are all empty (spreadsheet padding);
- a row holding NUL characters or bytes invalid in the encoding is quarantined.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from undercount.errors import UserInputError
from undercount.ingest._encoding import BAD_BYTES, ERRORS, has_bad_bytes, show_bad_bytes
from undercount.ingest._header import clean_header
from undercount.ingest._rows import EXTRA_KEY, RAW_KEY, RawBatch, RowProblem

__all__ = ["MAX_FIELD_BYTES", "MAX_RECORD_LINES", "CsvReader", "sniff_delimiter"]

#: A quoted field may span at most this many physical lines.
MAX_RECORD_LINES = 200
#: Longest accepted field, in characters.
MAX_FIELD_BYTES = 1 << 20

csv.field_size_limit(MAX_FIELD_BYTES)


class _RecordTooLong(Exception):
    """Raised from the line source when one record swallows too many lines."""


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``, ; TAB |`` outside quotes in the header line."""
    counts = dict.fromkeys(",;\t|", 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


class CsvReader:
    """Stream rows of a delimited text file.

    Parameters
    ----------
    path
        The file.
    encoding
        Python codec name (already chosen by the caller).
    delimiter
        Field separator; ``None`` sniffs it from the header line (``,`` for CSV,
        tab for TSV when the caller says so).
    file_format
        ``"csv"`` or ``"tsv"`` (for reporting).
    """

    def __init__(
        self, path: Path, *, encoding: str, delimiter: str | None, file_format: str
    ) -> None:
        self.format = file_format
        self.encoding: str | None = encoding
        self._where = str(path)
        self._raw: BinaryIO = path.open("rb")
        self._size = path.stat().st_size
        self._text = io.TextIOWrapper(
            self._raw, encoding=encoding, errors=ERRORS, newline=""
        )
        self._buf: list[str] = []
        self._flags = [False]  # NUL or undecodable bytes in the current record
        self._consumed = 0  # physical lines consumed by finished records
        self._bad_seen = BAD_BYTES[0]
        self._forbidden: frozenset[int] = frozenset()
        self.header: list[str] = []
        self.blank_lines = 0
        first = self._first_line()
        self.delimiter = delimiter or sniff_delimiter(first)
        self._lines = self._line_source([first] if first else [])
        self._reader = self._new_reader()
        self.header = self._read_header()

    # -- line source ---------------------------------------------------------------

    def _first_line(self) -> str:
        for line in self._text:
            if line.strip("\r\n\t ,;|"):
                return line
            self._consumed += 1
            self.blank_lines += 1
        raise UserInputError(
            f"{self._where} is empty (no header and no rows); export the list again"
        )

    def _line_source(self, first: Iterable[str]) -> Iterator[str]:
        buf = self._buf
        flags = self._flags
        for line in itertools.chain(first, self._text):
            buf.append(line)
            if "\x00" in line or (
                BAD_BYTES[0] != self._bad_seen and has_bad_bytes(line)
            ):
                flags[0] = True
            if len(buf) > MAX_RECORD_LINES:
                raise _RecordTooLong
            yield line

    def _new_reader(self) -> Iterator[list[str]]:
        return csv.reader(
            self._lines, delimiter=self.delimiter, quotechar='"', strict=True
        )

    def _read_header(self) -> list[str]:
        for row in self._rows():
            if isinstance(row, RowProblem):
                raise UserInputError(
                    f"{self._where}: cannot read the header row (line {row.line}): "
                    f"{row.reason}"
                )
            _line, cells, _suspect = row
            if cells is None:
                continue
            return clean_header(cells, where=self._where)
        raise UserInputError(f"{self._where} is empty (no header and no rows)")

    # -- records -------------------------------------------------------------------

    def set_multiline_forbidden(self, columns: frozenset[int]) -> None:
        """Columns in which a line break means a broken quote (see module notes)."""
        self._forbidden = columns

    def _resync(self, reason: str) -> RowProblem:
        """Quarantine the record's first line; re-read the lines after it."""
        lines = list(self._buf)
        self._buf.clear()
        start = self._consumed + 1
        self._consumed += 1
        self._flags[0] = False
        first = lines[0] if lines else ""
        self._lines = self._line_source(lines[1:])
        self._reader = self._new_reader()
        text = _safe(first.rstrip("\r\n"))
        return RowProblem(start, "(row)", reason, {RAW_KEY: text})

    def _rows(self) -> Iterator[tuple[int, list[str] | None, bool] | RowProblem]:
        """Yield ``(line, cells, suspect)``; ``cells`` is None for a blank line."""
        buf = self._buf
        flags = self._flags
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                if buf:  # e.g. a final line that is only a quote
                    yield self._resync("unexpected end of file inside a quoted field")
                    continue
                return
            except csv.Error as exc:
                yield self._resync(f"broken quoting ({exc}); the line is kept as text")
                continue
            except _RecordTooLong:
                yield self._resync(
                    f"a quoted field runs over more than {MAX_RECORD_LINES} lines "
                    "(an opening quote that is never closed?); the line is kept as text"
                )
                continue
            span = len(buf)
            if span > 1 and self._suspicious(cells):
                yield self._resync(
                    "a quoted field spans several lines where a line break cannot "
                    "belong (an opening quote that is never closed?); the line is kept "
                    "as text"
                )
                continue
            start = self._consumed + 1
            self._consumed += span
            buf.clear()
            if not cells or (not cells[0].strip() and not "".join(cells).strip()):
                flags[0] = False
                yield start, None, False
            elif flags[0]:
                flags[0] = False
                yield start, cells, True
            else:
                yield start, cells, False

    def _suspicious(self, cells: list[str]) -> bool:
        width = len(self.header) or len(cells)
        if len(cells) < width:
            return True
        return any(
            i < len(cells) and ("\n" in cells[i] or "\r" in cells[i])
            for i in self._forbidden
        )

    def batches(self, size: int) -> Iterator[RawBatch]:
        """Yield batches of about ``size`` rows (see module notes for the rules)."""
        width = len(self.header)
        header = self.header
        batch = RawBatch(blank_lines=self.blank_lines)
        self.blank_lines = 0
        rows = batch.rows
        lines = batch.lines
        for item in self._rows():
            if type(item) is tuple:
                line, cells, suspect = item
                if cells is None:
                    batch.blank_lines += 1
                    continue
                if suspect:
                    batch.problems.append(self._bad_row(line, header, cells))
                elif len(cells) == width:
                    rows.append(cells)  # type: ignore[arg-type]
                    lines.append(line)
                elif len(cells) > width and not "".join(cells[width:]).strip():
                    rows.append(cells[:width])  # type: ignore[arg-type]
                    lines.append(line)
                else:
                    batch.problems.append(self._ragged(line, header, cells))
            else:
                assert isinstance(item, RowProblem)
                batch.problems.append(item)
            if len(rows) + len(batch.problems) >= size:
                yield batch
                batch = RawBatch()
                rows = batch.rows
                lines = batch.lines
        if len(batch) or batch.blank_lines:
            yield batch

    def _bad_row(self, line: int, header: list[str], cells: list[str]) -> RowProblem:
        bad = [
            header[i] if i < len(header) else f"column_{i + 1}"
            for i, c in enumerate(cells)
            if "\x00" in c or has_bad_bytes(c)
        ]
        field = ", ".join(bad) or "(row)"
        return RowProblem(
            line,
            field,
            f"bytes invalid in the {self.encoding} encoding or NUL characters in "
            f"{field}; check the file's encoding (--encoding)",
            _as_original(header, [_safe(c) for c in cells]),
        )

    def _ragged(self, line: int, header: list[str], cells: list[str]) -> RowProblem:
        return RowProblem(
            line,
            "(row)",
            f"row has {len(cells)} fields but the header has {len(header)}",
            _as_original(header, cells),
        )

    def progress(self) -> tuple[int, int]:
        """Bytes read so far and the file size."""
        try:
            return min(self._raw.tell(), self._size), self._size
        except (OSError, ValueError):
            return self._size, self._size

    def close(self) -> None:
        """Close the file."""
        self._text.close()


def _safe(text: str) -> str:
    """Text safe to store: undecodable bytes and NULs shown as ``\\xNN``."""
    return show_bad_bytes(text).replace("\x00", "\\x00")


def _as_original(header: list[str], cells: list[Any]) -> dict[str, Any]:
    original: dict[str, Any] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        original[EXTRA_KEY] = list(cells[len(header) :])
    return original
